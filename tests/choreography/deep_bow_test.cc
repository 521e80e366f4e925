// The fall definition (sim/fall.h) against the move library's deepest pose: a robot
// bowing as deep as `bow` allows, in physics under the whole-body controller, counts as
// fallen neither in the metrics nor in its controller (which would then relax and drop).
// One robot, about 6 s of physics.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>

#include "choreography/choreography.h"
#include "choreography/move_registry.h"
#include "controllers/whole_body_controller.h"
#include "sim/fall.h"
#include "sim/runner.h"
#include "sim/scene.h"
#include "tests/choreography/show_run.h"

namespace yangbot {
namespace {

TEST(DeepBowTest, TheDeepestBowIsNotAFall) {
  const Move* bow = BuiltinMoves().Find("bow");
  ASSERT_NE(bow, nullptr);
  const ParamSpec& depth = bow->spec().params.at(0);
  ASSERT_EQ(depth.name, "depth");
  char degrees[32];
  std::snprintf(degrees, sizeof(degrees), "%g deg", depth.max);
  const std::string text = std::string("tempo: 120\noffset: 1\ntroupe: {robots: 1, start: here}\n"
                           "formations:\n  here: {shape: line, spacing: 1}\n"
                           "timeline:\n  - section: bow\n    at: 1:1\n    beats: 8\n    cues:\n"
                           "      - move: bow\n        depth: ") +
                           degrees + "\n";
  const LoadedShow loaded = CheckShowText(text, ".");
  ASSERT_TRUE(loaded.ok()) << loaded.diagnostics.Format("bow") << text;
  auto [show, scene, state] = StartShow(loaded.schedule);
  while (state->data->time < show.end_time + 1.0) Step(*scene, state.get());
  const RobotMetrics& r = state->metrics.robots[0];
  std::printf("bow %.0f deg: trunk tilt up to %.1f deg, pelvis down to %.3f m\n", depth.max,
              r.max_tilt * 180 / M_PI, r.min_pelvis_height);
  EXPECT_FALSE(r.fallen);
  EXPECT_FALSE(state->controllers[0]->fallen());
  // The bow is danced to its depth (43.7 deg measured for 45), and the fall limit keeps a
  // margin above it for a bow danced while stepping or after a push (the default show's
  // 30 deg bows measure up to 34 deg).
  EXPECT_GT(r.max_tilt, (depth.max - 5) * M_PI / 180);
  EXPECT_LT(r.max_tilt, kFallTiltAngle - 10 * M_PI / 180);
}

}  // namespace
}  // namespace yangbot
