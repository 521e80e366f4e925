#include "choreography/choreography.h"

#include <filesystem>

#include "choreography/show_parser.h"
#include "sim/error.h"

namespace yangbot {
namespace {

LoadedShow Check(Show show, Diagnostics diagnostics, const std::string& base_dir,
                 const GaitParams& gait) {
  LoadedShow loaded;
  loaded.show = std::move(show);
  loaded.diagnostics = std::move(diagnostics);
  // Meaning is checked even when the structure has errors, so every problem is
  // reported at once; an unreadable file has nothing to check.
  if (loaded.show.src.pos.line > 0) {
    ScheduleOptions options;
    options.gait = gait;
    options.base_dir = base_dir;
    // The checks handle every input; this guard turns a bug into a report, not a crash.
    try {
      loaded.schedule = BuildSchedule(loaded.show, options, &loaded.diagnostics);
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

LoadedShow CheckShowFile(const std::string& path, const GaitParams& gait) {
  Diagnostics diagnostics;
  Show show = LoadShowFile(path, &diagnostics);
  return Check(std::move(show), std::move(diagnostics), FolderOf(path), gait);
}

LoadedShow CheckShowText(std::string_view text, const std::string& base_dir,
                         const GaitParams& gait) {
  Diagnostics diagnostics;
  Show show = ParseShow(text, &diagnostics);
  return Check(std::move(show), std::move(diagnostics), base_dir, gait);
}

CompiledShow CompileShowFile(const std::string& path, const GaitParams& gait,
                             const CompileOptions& options) {
  const LoadedShow loaded = CheckShowFile(path, gait);
  if (!loaded.ok()) {
    std::string text = loaded.diagnostics.Format(path);
    if (!text.empty() && text.back() == '\n') text.pop_back();
    throw Error(text);
  }
  return CompileSchedule(loaded.schedule, options);
}

}  // namespace yangbot
