// The viewer's robot plots, sampled from a simulated run.
#if YANGBOT_HAVE_VIEWER

#include "tools/viewer/plots.h"

#include <gtest/gtest.h>

#include <memory>

#include "controllers/posture_controller.h"
#include "controllers/whole_body_controller.h"
#include "sim/scene.h"

namespace yangbot {
namespace {

std::unique_ptr<Scene> TwoRobots() {
  SceneOptions options;
  options.robots = 2;
  return Scene::Build(options);
}

TEST(RobotPlotsTest, SamplesTheWholeBodyControllersSignals) {
  auto scene = TwoRobots();
  WholeBodyOptions options;
  options.stand_hanky_rate = 2;
  Transport transport(*scene, MakeWholeBodyControllerFactory(options), 1);
  RobotPlots plots(0.5);
  transport.Play();
  transport.SetSpeed(Transport::kAsFastAsPossible);
  for (int k = 0; k < 200; ++k) {
    transport.Update(0, 5);
    plots.Sample(transport, 1);
  }
  EXPECT_EQ(plots.robot(), 1);
  ASSERT_FALSE(plots.samples().empty());
  // The window keeps the last 0.5 s of the 2 s run.
  EXPECT_NEAR(plots.samples().back().time, 2.0, 1e-9);
  EXPECT_GE(plots.samples().front().time, 1.5 - 1e-9);
  const PlotSample& s = plots.samples().back();
  EXPECT_NEAR(s.pelvis_height, 0.98, 0.05);
  EXPECT_LT(std::abs(s.com[0] - s.com_ref[0]), 0.05);  // standing on its reference
  EXPECT_LT(std::abs(s.com[1] - s.com_ref[1]), 0.05);
  EXPECT_GT(s.torque_percent, 1);  // holding itself up takes torque
  EXPECT_LE(s.torque_percent, 100 + 1e-9);
  EXPECT_LT(s.hanky_error_deg, 30);
  EXPECT_EQ(plots.Series([](const PlotSample& p) { return p.time; }).size(),
            plots.samples().size());

  // Another robot, or time going back, starts over.
  plots.Sample(transport, 0);
  EXPECT_EQ(plots.samples().size(), 1u);
  transport.Restart();
  plots.Sample(transport, 0);
  EXPECT_EQ(plots.samples().size(), 1u);
  EXPECT_EQ(plots.samples().back().time, 0);
}

TEST(RobotPlotsTest, WithoutAReferenceTheCentreOfMassIsItsOwn) {
  auto scene = TwoRobots();
  Transport transport(*scene, MakePostureControllerFactory(), 1);
  transport.RequestStep();
  transport.Update(0);
  const PlotSample s = SamplePlot(transport, 0);
  EXPECT_EQ(s.com[0], s.com_ref[0]);
  EXPECT_EQ(s.com[1], s.com_ref[1]);
  EXPECT_EQ(s.hanky_error_deg, 0);
}

}  // namespace
}  // namespace yangbot

#endif  // YANGBOT_HAVE_VIEWER
