// Loading a show for a headless run, shared by `yangbot run` and `yangbot bench`: the
// checks `yangbot validate` makes, diagnostics to stderr, compilation, and the robot
// model the file names.
#ifndef YANGBOT_TOOLS_CLI_SHOW_SETUP_H_
#define YANGBOT_TOOLS_CLI_SHOW_SETUP_H_

#include <memory>
#include <string>

#include "choreography/choreography.h"

namespace yangbot {

/// A loaded and compiled show.
struct ShowRun {
  LoadedShow loaded;      ///< the file, its plan and diagnostics
  CompiledShow compiled;  ///< placements and one reference per robot
};

/// Prints a loaded show's diagnostics (as `yangbot validate` does) to stderr and compiles
/// it; throws Error when it has errors. `path` names it in messages.
std::unique_ptr<ShowRun> CompileLoaded(LoadedShow loaded, const std::string& path);

/// Loads the show file at `path`, checks its music, and compiles it (see CompileLoaded);
/// its walks are planned for the robot at `robot_path` (`--robot`), else the one the file
/// names (CheckShowFile).
std::unique_ptr<ShowRun> LoadShow(const std::string& path, const std::string& robot_path = "");

/// The robot model a show file names ("" = built-in), relative to the file's folder.
std::string ShowModelPath(const Show& show, const std::string& file);

}  // namespace yangbot

#endif  // YANGBOT_TOOLS_CLI_SHOW_SETUP_H_
