// Choreography files in one call: load -> check -> compile.
//
//   LoadedShow loaded = CheckShowFile("assets/choreographies/yangge16.yaml");
//   if (!loaded.ok()) { puts(loaded.diagnostics.Format(path).c_str()); ... }
//   CompiledShow show = CompileSchedule(loaded.schedule);
//   // show.placements -> SceneOptions::placements; show.references[i] -> robot i's controller
//
// or CompileShowFile(path), which throws yangbot::Error listing every problem.
#ifndef YANGBOT_CHOREOGRAPHY_CHOREOGRAPHY_H_
#define YANGBOT_CHOREOGRAPHY_CHOREOGRAPHY_H_

#include <string>
#include <string_view>

#include "choreography/diagnostics.h"
#include "choreography/schedule.h"
#include "choreography/show.h"
#include "choreography/show_compiler.h"

namespace yangbot {

/// A show file read and checked.
struct LoadedShow {
  Show show;                ///< what the file says
  ResolvedShow resolved;    ///< what it means, checked (complete only when ok())
  Schedule schedule;        ///< the plan (complete only when ok())
  Diagnostics diagnostics;  ///< every problem found
  /// True when there are no errors (warnings allowed).
  bool ok() const { return !diagnostics.has_errors(); }
};

/// The robot model a show names (`troupe: model:`, relative to `base_dir`), or the
/// built-in robot (DefaultRobotPath) when it names none ("" or "builtin").
std::string ShowRobotPath(const Show& show, const std::string& base_dir);
/// The gait the robot at `robot_path` walks, chosen by its soles
/// (GaitParamsForRobot); each file is read once per process. Throws
/// yangbot::Error when the robot cannot be loaded.
GaitParams RobotGait(const std::string& robot_path);

/// Reads, parses and checks a show file (everything `yangbot validate` reports); music
/// and model paths are relative to the file's folder. Walks are planned with the gait of
/// the robot at `robot_path`, else of the one the show names (ShowRobotPath); a robot that
/// cannot be loaded is an error at `troupe: model:`.
LoadedShow CheckShowFile(const std::string& path, const std::string& robot_path = "");
/// The same, planning with `gait` whatever the robot.
LoadedShow CheckShowFile(const std::string& path, const GaitParams& gait);
/// Parses and checks show text; `base_dir` is the folder relative paths start from; the
/// gait as CheckShowFile chooses it.
LoadedShow CheckShowText(std::string_view text, const std::string& base_dir,
                         const std::string& robot_path = "");
/// The same, planning with `gait` whatever the robot.
LoadedShow CheckShowText(std::string_view text, const std::string& base_dir,
                         const GaitParams& gait);
/// Reads, checks and compiles a show file (the gait as CheckShowFile chooses it); throws
/// yangbot::Error whose message holds one "FILE:LINE:COL: error: ..." line per error when
/// the file has errors.
CompiledShow CompileShowFile(const std::string& path, const std::string& robot_path = "",
                             const CompileOptions& options = {});

}  // namespace yangbot

#endif  // YANGBOT_CHOREOGRAPHY_CHOREOGRAPHY_H_
