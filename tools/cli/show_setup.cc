#include "tools/cli/show_setup.h"

#include <cstdio>
#include <filesystem>

#include "choreography/music.h"
#include "sim/error.h"

namespace yangbot {

std::unique_ptr<ShowRun> CompileLoaded(LoadedShow loaded, const std::string& path) {
  auto show = std::make_unique<ShowRun>();
  show->loaded = std::move(loaded);
  std::fputs(show->loaded.diagnostics.Format(path).c_str(), stderr);
  if (!show->loaded.ok()) {
    throw Error(path + ": error: the show has " +
                std::to_string(show->loaded.diagnostics.error_count()) +
                " error(s); see `yangbot validate`");
  }
  show->compiled = CompileSchedule(show->loaded.schedule);
  return show;
}

std::unique_ptr<ShowRun> LoadShow(const std::string& path, const std::string& robot_path) {
  LoadedShow loaded = CheckShowFile(path, robot_path);
  // The music checks `yangbot validate` makes (tempo, offset, length against the track).
  CheckShowMusic(loaded.show, std::filesystem::path(path).parent_path().string(),
                 &loaded.diagnostics);
  return CompileLoaded(std::move(loaded), path);
}

std::string ShowModelPath(const Show& show, const std::string& file) {
  const std::string& model = show.troupe.model;
  if (model.empty() || model == "builtin") return "";
  return ShowRobotPath(show, std::filesystem::path(file).parent_path().string());
}

}  // namespace yangbot
