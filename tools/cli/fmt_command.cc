// yangbot fmt FILE: prints a valid choreography file in canonical form (fixed key order,
// shortest exact numbers, the comments a person wrote kept). --check exits 1 when the
// file is not canonical; --in-place rewrites it atomically, keeping the previous
// version as FILE.bak (WriteFileAtomic). Invalid files are not formatted: their problems
// are printed as by `yangbot validate` and the exit code is 1.
#include <cstdio>
#include <memory>

#include "choreography/choreography.h"
#include "choreography/show_parser.h"
#include "choreography/show_writer.h"
#include "sim/error.h"
#include "tools/cli/command.h"

namespace yangbot {

Command AddFmtCommand(CLI::App* app) {
  struct Flags {
    std::string file;
    bool check = false;
    bool in_place = false;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* command =
      app->add_subcommand("fmt", "print or rewrite a choreography file canonically");
  command->add_option("file", flags->file, "choreography YAML file")->required();
  command->add_flag("--check", flags->check, "exit 1 when the file is not in canonical form");
  command->add_flag("--in-place,-i", flags->in_place,
                    "rewrite the file (atomically; the old one is kept as FILE.bak)");
  return {command, [flags] {
            const std::string& path = flags->file;
            const LoadedShow loaded = CheckShowFile(path);
            std::fputs(loaded.diagnostics.Format(path).c_str(), stderr);
            if (!loaded.ok()) return 1;
            const std::string text = WriteShow(loaded.show);
            // The canonical form must read back to itself; anything else is a bug here.
            Diagnostics again;
            if (WriteShow(ParseShow(text, &again)) != text || again.has_errors()) {
              throw Error(path +
                          ": error: internal: the canonical form does not round-trip; "
                          "file left unchanged");
            }
            const std::string original = ReadFileOrThrow(path);
            if (flags->check) {
              if (original == text) return 0;
              std::printf("%s: not in canonical form (run yangbot fmt --in-place)\n", path.c_str());
              return 1;
            }
            if (flags->in_place) {
              if (original != text) WriteFileAtomic(path, text, /*keep_backup=*/true);
              return 0;
            }
            std::fputs(text.c_str(), stdout);
            return 0;
          }};
}

}  // namespace yangbot
