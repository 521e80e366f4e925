// yangbot: the command-line front end. Every subcommand (tools/cli/) is a thin shell
// over the libraries: the stage (sim/), controllers (controllers/), the choreography
// (choreography/) and the one runner they share.
#include <cstdio>
#include <vector>

#include "sim/error.h"
#include "tools/cli/command.h"

int main(int argc, char** argv) {
  using namespace yangbot;
  CLI::App app{"YangBOT: design and test robot yangge shows in simulation"};
  app.require_subcommand(1);
  const std::vector<Command> commands = {
      AddRunCommand(&app),
      AddExportSceneCommand(&app),
      AddValidateCommand(&app),
      AddFmtCommand(&app),
      AddSnapshotCommand(&app),
      AddViewCommand(&app),
      AddRegressCommand(&app),
      AddMusicCommand(&app),
      AddBeatsCommand(&app),
      AddBenchCommand(&app),
      AddGaitCommand(&app),
  };
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  try {
    for (const Command& command : commands) {
      if (command.app->parsed()) return command.run();
    }
  } catch (const Error& e) {
    std::fprintf(stderr, "yangbot: %s\n", e.what());
    return 1;
  }
  return 0;
}
