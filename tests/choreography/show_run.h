// A checked show danced in physics: compiled, placed on its own stage and started under
// the whole-body controller (seed 1), as the small one-robot show tests set it up.
#ifndef YANGBOT_TESTS_CHOREOGRAPHY_SHOW_RUN_H_
#define YANGBOT_TESTS_CHOREOGRAPHY_SHOW_RUN_H_

#include <memory>

#include "choreography/show_compiler.h"
#include "controllers/whole_body_controller.h"
#include "sim/runner.h"
#include "sim/scene.h"

namespace yangbot {

/// The compiled show, its stage and its run, in the order they are built.
struct ShowRun {
  CompiledShow show;
  std::unique_ptr<Scene> scene;
  std::unique_ptr<RunState> state;
};

/// Compiles `schedule` (a checked show), builds a stage with a robot at each of its
/// placements and starts the run (seed 1) under the whole-body controller following it.
inline ShowRun StartShow(const Schedule& schedule) {
  ShowRun run;
  run.show = CompileSchedule(schedule);
  SceneOptions options;
  options.robots = static_cast<int>(run.show.placements.size());
  options.placements = run.show.placements;
  run.scene = Scene::Build(options);
  run.state = StartRun(*run.scene, MakeWholeBodyControllerFactory({}, run.show.references), 1);
  return run;
}

}  // namespace yangbot

#endif  // YANGBOT_TESTS_CHOREOGRAPHY_SHOW_RUN_H_
