#include <cstdio>
#include <memory>

#include "sim/error.h"
#include "tools/cli/command.h"

namespace yangbot {

Command AddExportSceneCommand(CLI::App* app) {
  struct Flags {
    StageFlags stage;
    std::string out;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* command =
      app->add_subcommand("export-scene", "write the exact MJCF of the stage that is simulated");
  AddStageFlags(command, &flags->stage);
  command->add_option("--out,-o", flags->out, "output file")->required();
  return {command, [flags] {
            auto scene = Scene::Build(ToSceneOptions(flags->stage));
            WriteFileAtomic(flags->out, scene->xml());
            std::printf("wrote %s: %d robots, nq %d, nv %d, nu %d\n", flags->out.c_str(),
                        scene->robot_count(), scene->model()->nq, scene->model()->nv,
                        scene->model()->nu);
            return 0;
          }};
}

}  // namespace yangbot
