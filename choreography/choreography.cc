#include "choreography/choreography.h"

#include <filesystem>
#include <map>
#include <mutex>
#include <optional>

#include "choreography/show_parser.h"
#include "choreography/stage.h"
#include "sim/error.h"
#include "sim/scene.h"

namespace yangbot {
namespace {

// Plans `show` with `gait`, or, when none is given, with the gait of the robot at
// `robot_path` ("" = the one the show names).
LoadedShow Check(Show show, Diagnostics diagnostics, const std::string& base_dir,
                 const std::optional<GaitParams>& gait, const std::string& robot_path) {
  LoadedShow loaded;
  loaded.show = std::move(show);
  loaded.diagnostics = std::move(diagnostics);
  // Meaning is checked even when the structure has errors, so every problem is
  // reported at once; an unreadable file has nothing to check.
  if (loaded.show.src.pos.line > 0) {
    ScheduleOptions options;
    if (gait) {
      options.gait = *gait;
    } else {
      try {
        options.gait =
            RobotGait(robot_path.empty() ? ShowRobotPath(loaded.show, base_dir) : robot_path);
      } catch (const Error& e) {
        // The other checks still run, with the default gait.
        loaded.diagnostics.Error(loaded.show.troupe.src.At("model"),
                                 std::string("cannot load the robot: ") + e.what());
      }
    }
    options.base_dir = base_dir;
    // The checks handle every input; this guard turns a bug into a report, not a crash.
    try {
      loaded.schedule =
          BuildSchedule(loaded.show, options, &loaded.diagnostics, &loaded.resolved);
      CheckLandmarkClearance(loaded.show, loaded.resolved, &loaded.diagnostics);
    } catch (const std::exception& e) {
      loaded.diagnostics.Error({1, 1}, std::string("internal error while checking: ") + e.what());
    }
  }
  return loaded;
}

std::string FolderOf(const std::string& path) {
  return std::filesystem::path(path).parent_path().string();
}

}  // namespace

std::string ShowRobotPath(const Show& show, const std::string& base_dir) {
  const std::string& model = show.troupe.model;
  if (model.empty() || model == "builtin") return DefaultRobotPath();
  std::filesystem::path path(model);
  if (path.is_relative() && !base_dir.empty()) path = std::filesystem::path(base_dir) / path;
  return path.string();
}

GaitParams RobotGait(const std::string& robot_path) {
  // Loading a robot compiles its model: shows checked again and again (the viewer's
  // editor, tests) read each file once.
  static std::mutex mutex;
  static std::map<std::string, GaitParams> gaits;
  const std::string key = std::filesystem::absolute(robot_path).lexically_normal().string();
  {
    const std::lock_guard<std::mutex> lock(mutex);
    const auto it = gaits.find(key);
    if (it != gaits.end()) return it->second;
  }
  // Only plain files (a show may name any path; a device would never end).
  if (!std::filesystem::is_regular_file(robot_path)) {
    throw Error(robot_path + ": error: robot file not found");
  }
  const GaitParams gait = GaitParamsForRobot(LoadRobotInfo(robot_path));
  const std::lock_guard<std::mutex> lock(mutex);
  gaits[key] = gait;
  return gait;
}

LoadedShow CheckShowFile(const std::string& path, const std::string& robot_path) {
  Diagnostics diagnostics;
  Show show = LoadShowFile(path, &diagnostics);
  return Check(std::move(show), std::move(diagnostics), FolderOf(path), std::nullopt, robot_path);
}

LoadedShow CheckShowFile(const std::string& path, const GaitParams& gait) {
  Diagnostics diagnostics;
  Show show = LoadShowFile(path, &diagnostics);
  return Check(std::move(show), std::move(diagnostics), FolderOf(path), gait, "");
}

LoadedShow CheckShowText(std::string_view text, const std::string& base_dir,
                         const std::string& robot_path) {
  Diagnostics diagnostics;
  Show show = ParseShow(text, &diagnostics);
  return Check(std::move(show), std::move(diagnostics), base_dir, std::nullopt, robot_path);
}

LoadedShow CheckShowText(std::string_view text, const std::string& base_dir,
                         const GaitParams& gait) {
  Diagnostics diagnostics;
  Show show = ParseShow(text, &diagnostics);
  return Check(std::move(show), std::move(diagnostics), base_dir, gait, "");
}

CompiledShow CompileShowFile(const std::string& path, const std::string& robot_path,
                             const CompileOptions& options) {
  const LoadedShow loaded = CheckShowFile(path, robot_path);
  if (!loaded.ok()) {
    std::string text = loaded.diagnostics.Format(path);
    if (!text.empty() && text.back() == '\n') text.pop_back();
    throw Error(text);
  }
  return CompileSchedule(loaded.schedule, options);
}

}  // namespace yangbot
