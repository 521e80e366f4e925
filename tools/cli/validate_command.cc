// yangbot validate FILE: checks a choreography file and prints one line per problem,
// "FILE:LINE:COL: error: message" (or warning:), all of them at once. Exit 0 when the
// file has no errors, 1 otherwise. A show with `music:` is also checked against its music
// (tempo, offset, length: CheckShowMusic). Walks are checked against the gait envelope of
// the robot that dances it (`--robot`, else the file's `troupe: model:`).
#include <cstdio>
#include <filesystem>
#include <memory>

#include "choreography/choreography.h"
#include "choreography/music.h"
#include "tools/cli/command.h"

namespace yangbot {

Command AddValidateCommand(CLI::App* app) {
  struct Flags {
    std::string file;
    bool compile = false;
    bool quiet = false;
    std::string robot;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* command = app->add_subcommand("validate", "check a choreography file");
  command->add_option("file", flags->file, "choreography YAML file")->required();
  command->add_flag("--compile", flags->compile,
                    "also compile every robot's reference (walking patterns)");
  command->add_flag("--quiet,-q", flags->quiet, "print problems only");
  command->add_option("--robot", flags->robot,
                      "robot MJCF the show is danced by (default: the file's troupe model); "
                      "its soles choose the gait walks are planned with");
  return {command, [flags] {
            LoadedShow loaded = CheckShowFile(flags->file, flags->robot);
            CheckShowMusic(loaded.show, std::filesystem::path(flags->file).parent_path().string(),
                           &loaded.diagnostics);
            std::fputs(loaded.diagnostics.Format(flags->file).c_str(), stdout);
            if (!loaded.ok()) return 1;
            if (flags->compile) CompileSchedule(loaded.schedule);
            if (!flags->quiet) {
              const double seconds = loaded.schedule.end_time();
              std::printf(
                  "%s: ok: %zu robots, %d sections, %d:%04.1f (%d warnings)\n", flags->file.c_str(),
                  loaded.schedule.robots.size(), static_cast<int>(loaded.show.timeline.size()),
                  static_cast<int>(seconds / 60), seconds - 60 * static_cast<int>(seconds / 60),
                  loaded.diagnostics.warning_count());
            }
            return 0;
          }};
}

}  // namespace yangbot
