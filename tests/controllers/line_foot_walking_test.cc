// Walking on H1-like narrow rolling feet (the project's robot, assets/robots/h1/h1.xml): the
// whole-body controller's DCM stabiliser and step-to-step foot placement under real dynamics,
// one robot, headless, 2 ms physics. Every walk here falls without the foot placement
// (FootPlacementParams::max_shift = 0: forward, backward and sideways all fall within
// a few steps), so each also guards the balance law.
#include <gtest/gtest.h>

#include <Eigen/Geometry>
#include <array>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <memory>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "controllers/dcm_stabilizer.h"
#include "controllers/footstep_planner.h"
#include "controllers/gait_trial.h"
#include "controllers/line_foot_gait.h"
#include "controllers/step_timing.h"
#include "controllers/walking_pattern.h"
#include "controllers/walking_reference.h"
#include "controllers/whole_body_controller.h"
#include "controllers/whole_body_tasks.h"
#include "sim/error.h"
#include "sim/metrics.h"
#include "sim/runner.h"
#include "sim/scene.h"
#include "tests/box_sole_robot.h"

namespace yangbot {
namespace {

std::unique_ptr<Scene> NarrowScene() {
  SceneOptions options;
  options.robots = 1;
  options.robot_path = LineFootRobotPath();
  return Scene::Build(options);
}

// A trial of the line-foot gait on the line-foot robot: `path` at one step a beat, 120 bpm.
// The support of robot r00's left sole in a one-robot scene of the robot at `path`.
SoleSupport LeftSoleSupport(const std::string& path) {
  SceneOptions options;
  options.robots = 1;
  options.robot_path = path;
  const auto scene = Scene::Build(options);
  return ReadSoleSupport(scene->model(), mj_name2id(scene->model(), mjOBJ_SITE, "r00/left_sole")).value();
}

GaitTrial Walk(std::vector<GaitSegment> path) {
  GaitTrial trial;
  trial.robot_path = LineFootRobotPath();
  trial.path = std::move(path);
  return trial;
}

// Runs `trial` with seed 2 and prints what it measured.
GaitTrialResult RunWalk(const GaitTrial& trial, uint64_t seed = 2) {
  const GaitTrialResult r = RunGaitTrial(trial, seed);
  std::printf("line feet: fallen %d, moved %.3f %.3f m, yaw %.3f rad, %.3f m / %.1f deg from the goal, %d/%d "
              "touch-downs, worst %.0f ms off the beat, %.2f m/s (sustained %.2f m/s, %.2f rad/s), "
              "%.2f m/s a step after the stop, torque %.0f%% of a limit\n",
              r.fallen, r.moved.x(), r.moved.y(), r.yaw, r.position_error, r.heading_error * 180 / M_PI,
              r.touchdowns, r.steps, r.worst_touchdown_error * 1000, r.speed, r.sustained_speed,
              r.sustained_yaw_rate, r.stop_speed, 100 * r.max_torque_ratio);
  return r;
}

// The bars every walk here keeps: up, on the beat, arrived, within the motors' limits.
void ExpectGoodWalk(const GaitTrialResult& r, double position_tolerance = 0.05) {
  EXPECT_FALSE(r.fallen);
  EXPECT_EQ(r.touchdowns, r.steps);
  EXPECT_LT(r.worst_touchdown_error, 0.025);
  EXPECT_LT(r.position_error, position_tolerance);
  EXPECT_LT(r.heading_error, 5 * M_PI / 180);
  EXPECT_EQ(r.saturated_ticks, 0);
  EXPECT_LE(r.max_torque_ratio, 1.0);
}

TEST(LineFootTest, ClampToConvexHullKeepsInsidePointsAndProjectsOutsideOnes) {
  const std::vector<Eigen::Vector2d> square = {{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0.5, 0.5}};
  EXPECT_TRUE(ClampToConvexHull(square, {0.3, 0.6}).isApprox(Eigen::Vector2d(0.3, 0.6)));
  EXPECT_TRUE(ClampToConvexHull(square, {2, 0.5}).isApprox(Eigen::Vector2d(1, 0.5)));
  EXPECT_TRUE(ClampToConvexHull(square, {-1, -1}).isApprox(Eigen::Vector2d(0, 0)));
  // A line sole (its corners pairwise equal): the closest point of the segment.
  const std::vector<Eigen::Vector2d> line = {{0, 0}, {0, 0}, {0.2, 0}, {0.2, 0}};
  EXPECT_TRUE(ClampToConvexHull(line, {0.1, 0.3}).isApprox(Eigen::Vector2d(0.1, 0)));
  EXPECT_TRUE(ClampToConvexHull(line, {0.5, -0.1}).isApprox(Eigen::Vector2d(0.2, 0)));
  EXPECT_TRUE(ClampToConvexHull({{0.3, 0.4}}, {0, 0}).isApprox(Eigen::Vector2d(0.3, 0.4)));
}

TEST(LineFootTest, TheDcmLawMovesTheCopByTheErrorWithinTheSupport) {
  DcmInput in;
  in.omega = 3;
  in.com_ref = {0.1, 0};
  in.com_ref_velocity = {0.3, 0};
  in.com_ref_acceleration = {0.9, 0};  // its CoP: 0.1 - 0.9 / 9 = 0
  in.com = in.com_ref;
  in.com_velocity = in.com_ref_velocity;
  in.support = {{-0.1, -0.2}, {0.1, -0.2}, {0.1, 0.2}, {-0.1, 0.2}};
  DcmOutput out = StabilizeDcm(in, 1.0);
  EXPECT_NEAR(out.cop.norm(), 0, 1e-12);
  EXPECT_TRUE(out.com_acceleration.isApprox(in.com_ref_acceleration));
  in.com_velocity.y() = 0.06;  // DCM 2 cm to the left: the CoP goes (1 + k) times that
  out = StabilizeDcm(in, 1.0);
  EXPECT_NEAR(out.dcm_error.y(), 0.02, 1e-12);
  EXPECT_NEAR(out.cop.y(), 0.04, 1e-12);
  in.support = {{-0.1, 0}, {0.1, 0}};  // a line sole: the CoP stays on it, the CoM falls freely
  out = StabilizeDcm(in, 1.0);
  EXPECT_NEAR(out.cop.y(), 0, 1e-12);
  EXPECT_NEAR(out.com_acceleration.y(), 0, 1e-12);
}

// Which soles are lines: read from the foot's collision geoms (the heel half's width).
TEST(LineFootTest, TellsLineSolesFromBoxSoles) {
  SceneOptions options;
  options.robots = 1;
  auto line_feet = [&](const std::string& path) {
    options.robot_path = path;
    auto scene = Scene::Build(options);
    return WholeBodyController(*scene, 0, {}).line_feet();
  };
  EXPECT_FALSE(line_feet(BoxSoleRobotPath()));  // 8 cm box soles
  EXPECT_TRUE(line_feet(LineFootRobotPath()));
  // The public H1 model's layout: a toe bar across the front of the capsule still rolls.
  std::string xml = ReadFileOrThrow(LineFootRobotPath());
  xml = std::regex_replace(xml, std::regex(R"((<geom name="(left|right)_foot" class="h1_foot"/>))"),
                           R"($1<geom class="h1_foot" fromto="0.14 -0.03 -0.056 0.14 0.03 -0.056"/>)");
  ASSERT_NE(xml.find(R"(_foot" class="h1_foot"/><geom class="h1_foot" fromto="0.14)"), std::string::npos);
  const std::string toe_bar = ::testing::TempDir() + "/h1_toe_bar.xml";
  std::ofstream(toe_bar) << xml;
  EXPECT_TRUE(line_feet(toe_bar));
}

TEST(LineFootTest, StandsTwistingAndSpinningOnRollingFeet) {
  auto scene = NarrowScene();
  WholeBodyOptions options;
  options.stand_sway_amplitude = 0.5;
  options.stand_hanky_rate = 3;
  auto state = StartRun(*scene, MakeWholeBodyControllerFactory(options), 3);
  auto* controller = dynamic_cast<WholeBodyController*>(state->controllers[0].get());
  ASSERT_TRUE(controller->line_feet());
  const Eigen::Vector3d start(state->data->qpos);
  while (state->data->time < 12) Step(*scene, state.get());
  EXPECT_FALSE(controller->fallen());
  EXPECT_LT((Eigen::Vector3d(state->data->qpos) - start).head<2>().norm(), 0.01);
  EXPECT_EQ(controller->diagnostics().saturated_ticks, 0);
  EXPECT_EQ(controller->diagnostics().qp_failures, 0);
}

TEST(LineFootTest, WalksForwardAtOneMetrePerSecond) {
  const GaitTrialResult r = RunWalk(Walk({{4.0, 0, 0}}));  // 0.5 m steps, one a beat at 120 bpm
  ExpectGoodWalk(r);
  EXPECT_GT(r.moved.x(), 3.95);
  EXPECT_GT(r.sustained_speed, 0.995);  // the bar: 1.0 m/s (0.5 m steps, one a beat at 120 bpm)
}

TEST(LineFootTest, WalksBackward) {
  const GaitTrialResult r = RunWalk(Walk({{-2.0, 0, 0}}));  // 0.3 m steps
  ExpectGoodWalk(r);
  EXPECT_LT(r.moved.x(), -1.95);
  EXPECT_GT(r.sustained_speed, 0.5);
}

TEST(LineFootTest, WalksSidewaysFacingTheAudience) {
  const GaitTrialResult r = RunWalk(Walk({{0, 2.0, 0}}));
  ExpectGoodWalk(r);
  EXPECT_GT(r.moved.y(), 1.95);
  EXPECT_LT(std::abs(r.yaw), 0.05);
  EXPECT_GT(r.sustained_speed, 0.35);
}

TEST(LineFootTest, TurnsNinetyDegreesInPlaceWithinFourBeats) {
  const GaitTrialResult r = RunWalk(Walk({{0, 0, M_PI / 2}}));
  ExpectGoodWalk(r);  // 1.5 cm (LineFootTurnInPlaceParams; 10 cm at 0.8 rad steps, 0.3 m apart)
  EXPECT_LE(r.steps, 4);
  EXPECT_NEAR(r.yaw, M_PI / 2, 0.05);
}

TEST(LineFootTest, WalksAMixedPathWhileTheUpperBodyDances) {
  GaitTrial trial = Walk({{1.5, 0.5, 1.0}});
  trial.dance = true;
  const GaitTrialResult r = RunWalk(trial);
  ExpectGoodWalk(r);
  EXPECT_GT(r.moved.norm(), 1.5);
}

TEST(LineFootTest, StartsAndStopsWithinAStepAtTwoStepsABeat) {
  GaitTrial trial = Walk({{3.0, 0, 0}});
  trial.steps_per_beat = 2;
  trial.first_touchdown_beat = 2;
  trial.gait.limits.max_forward = 0.3;  // 1.2 m/s
  const GaitTrialResult r = RunWalk(trial);
  ExpectGoodWalk(r, 0.1);  // 6-9 cm at 1.2 m/s: the last landings' offsets stay
  EXPECT_GT(r.moved.x(), 2.9);
  EXPECT_LT(r.final_com_speed, 0.05);  // standing again at the end
}

TEST(LineFootTest, TurnsWhileWalking) {
  GaitTrial trial = Walk({{0, 0, M_PI, 1.0}});  // half a turn on an arc of 1 m radius
  trial.gait.limits = LineFootGait::TurningWalkLimits();  // 1 rad/s
  const GaitTrialResult r = RunWalk(trial);
  ExpectGoodWalk(r);
  EXPECT_NEAR(r.yaw, M_PI, 0.05);
  EXPECT_GE(r.sustained_yaw_rate, 1.0);  // 1.005 (0.89 evening out the arc's steps)
  EXPECT_GT(r.sustained_speed, 0.5);     // walking, not turning in place
}

// One step a beat at 90 bpm: 0.53 s swings, over which a landing's overshoot grows six-fold
// (FootPlacementParams::long_swing_time; with the whole landing_gain this seed rocks wider
// step by step and falls at 7.7 s).
TEST(LineFootTest, WalksOneStepABeatAtNinetyBpm) {
  GaitTrial trial = Walk({{0, 1.0, 0}});
  trial.bpm = 90;
  trial.gait.limits.max_lateral = 0.2;
  const GaitTrialResult r = RunWalk(trial, 3);
  ExpectGoodWalk(r);
  EXPECT_GT(r.moved.y(), 0.95);
}

// A short start and a stop: the first step lands two beats after the walk starts, and one
// step after the last touch-down the CoM moves slower than the bar's 0.1 m/s (the stop's
// ZMP transfer, LineFootGait::stop_shift_time).
TEST(LineFootTest, StartsWithinTwoBeatsAndStopsWithinAStep) {
  GaitTrial trial = Walk({{1.0, 0, 0}});
  trial.first_touchdown_beat = 2;
  const GaitTrialResult r = RunWalk(trial);
  ExpectGoodWalk(r);
  EXPECT_LT(r.stop_speed, 0.1);
}

// A path of changing commands: every touch-down on its beat, the last on the arrival
// downbeat, the robot within 5 cm and 5 degrees of its goal, and each landing from the
// second step after a change within 5 cm of the plan.
TEST(LineFootTest, ArrivesOnTheDownbeatAfterChangingCommands) {
  GaitTrial trial = Walk({{1.0, 0, 0}, {0.5, 0.5, 0.8}, {0, -0.5, 0}});
  const GaitTrialResult r = RunWalk(trial);
  ExpectGoodWalk(r);
  EXPECT_LT(r.settle_offset, 0.05);
  EXPECT_NEAR(r.yaw, 0.8, 5 * M_PI / 180);
}

// The stock-layout H1 (no sites; soles derived from its capsule and toe-bar feet) walks
// the same gait.
TEST(LineFootTest, TheStockLayoutRobotWalksForward) {
  GaitTrial trial = Walk({{4.0, 0, 0}});
  trial.robot_path = StockH1RobotPath();
  const GaitTrialResult r = RunWalk(trial);
  ExpectGoodWalk(r, 0.06);  // 5 cm short: its feet land short of the plan
  EXPECT_GT(r.moved.x(), 3.9);
  EXPECT_GT(r.sustained_speed, 0.98);
}

// The stock robot's toe bar tips onto its outer end while the leg leans in, so its CoP
// runs from the heel to that end: 1.5 cm outward at the sole's centre; a capsule's stays
// on its line.
TEST(LineFootTest, PlansTheStockFeetsCopOutwardOfTheirCentre) {
  EXPECT_NEAR(LineSoleOutwardCop(LeftSoleSupport(StockH1RobotPath())), 0.015, 0.002);
  EXPECT_EQ(LineSoleOutwardCop(LeftSoleSupport(LineFootRobotPath())), 0);
}

// The stock robot's toe bar, rolled 0.28 rad (a 0.8 rad turning swing stepping inward on
// the mixed path), hangs one end 8 mm below the sole site, which the swing aims at the
// floor instead; a heel-to-toe capsule rolls on its own line.
TEST(LineFootTest, AimsTheRolledToeBarsLowerEndAtTheFloor) {
  auto extent = [](const std::string& path) {
    const SoleSupport s = LeftSoleSupport(path);
    return SoleRectangle{s.x_min, s.x_max, s.y_min, s.y_max};
  };
  const Eigen::Matrix3d rolled = Eigen::AngleAxisd(0.28, Eigen::Vector3d::UnitX()).toRotationMatrix();
  const Eigen::Matrix3d heel_down = Eigen::AngleAxisd(-0.1, Eigen::Vector3d::UnitY()).toRotationMatrix();
  EXPECT_NEAR(ToeBarRollDrop(extent(StockH1RobotPath()), rolled), 0.0083, 0.001);
  EXPECT_EQ(ToeBarRollDrop(extent(StockH1RobotPath()), Eigen::Matrix3d::Identity()), 0);
  EXPECT_EQ(ToeBarRollDrop(extent(StockH1RobotPath()), heel_down), 0);  // the heel is lower
  EXPECT_NEAR(ToeBarRollDrop(extent(LineFootRobotPath()), rolled), 0, 1e-9);
}

// The gait table's mixed row on the stock robot (`yangbot gait --robot ... --rows mixed`):
// 1 m forward, then forward, left and turning, right, back and turning back, the upper
// body dancing. Seeds 1-10: every touch-down within 10 ms, landings 2 steps after a change
// within 2.7 cm, arrival within 1 cm. Seeds 1 and 4 start with the left foot. Each
// segment after the first starts with the foot that did not take the previous segment's
// last step: otherwise the second segment lifts the left foot again over the right, whose
// 1 m swing lands 12 cm short and 8 cm inward, and recovery steps follow. The swing aims
// the rolled toe bar's lower end at the floor: aiming the sole site, the back-turning
// step touches down 40-46 ms early.
TEST(LineFootTest, TheStockLayoutRobotWalksTheMixedPathOnTheBeat) {
  GaitTrial trial = Walk({{1.0, 0, 0}, {0.5, 0.5, 0.8}, {0, -0.5, 0}, {-0.5, 0, -0.8}});
  trial.robot_path = StockH1RobotPath();
  trial.dance = true;
  for (uint64_t seed : {1, 4}) {
    const GaitTrialResult r = RunWalk(trial, seed);
    ExpectGoodWalk(r);
    EXPECT_LT(r.settle_offset, 0.05);
  }
}

// Sideways at 90 bpm on the stock robot: 0.53 s single supports on a sole tipped onto its
// toe bar's outer end. Falls when the controller holds the CoP on the sole's centre line
// (the DCM error grows 2 cm in the weight shift and 10 cm a step) or the pattern plans the
// ZMP there (WalkingPatternParams::support_outward 0: 7 cm a step).
TEST(LineFootTest, TheStockLayoutRobotStepsSidewaysAtNinetyBpm) {
  GaitTrial trial = Walk({{0, 1.0, 0}});
  trial.robot_path = StockH1RobotPath();
  trial.bpm = 90;
  trial.gait.limits.max_lateral = 0.2;
  const GaitTrialResult r = RunWalk(trial);
  ExpectGoodWalk(r);
  EXPECT_GT(r.moved.y(), 0.95);
}

// Turning while walking on the stock robot (0.505 rad steps on a 1 m arc), which falls with
// the CoP held on the sole's centre line and ends in recovery steps with the whole
// LineSoleOutwardCop planned.
TEST(LineFootTest, TheStockLayoutRobotTurnsWhileWalking) {
  GaitTrial trial = Walk({{0, 0, M_PI, 1.0}});
  trial.robot_path = StockH1RobotPath();
  trial.gait.limits = LineFootGait::TurningWalkLimits();
  const GaitTrialResult r = RunWalk(trial);
  ExpectGoodWalk(r);  // 2.3 cm
  EXPECT_NEAR(r.yaw, M_PI, 0.05);
  EXPECT_GE(r.sustained_yaw_rate, 1.0);  // 1.006
}

// 90 degrees in place on the stock robot (0.52 rad steps, feet 0.2 m apart; at 0.8 rad
// steps 0.3 m apart it arrived 4 cm off, the project's robot 10 cm): the stance foot, rolled onto its
// toe bar's end, carries the turning swing with its CoP near the heel. Without the line
// sole's yaw grip in the controller's contact model (whole_body_tasks.cc) the stance foot
// spins 0.2 rad, recovery steps take over and the robot ends 1.2-1.7 m off.
TEST(LineFootTest, TheStockLayoutRobotTurnsNinetyDegreesInPlaceWithinFourBeats) {
  GaitTrial trial = Walk({{0, 0, M_PI / 2}});
  trial.robot_path = StockH1RobotPath();
  const GaitTrialResult r = RunWalk(trial);
  ExpectGoodWalk(r);
  EXPECT_LE(r.steps, 4);
  EXPECT_NEAR(r.yaw, M_PI / 2, 0.05);
}

// The gait bar's push while walking (WalkingPushTrial: 3 m at 0.5 m/s, 30 N·s on the
// torso toward (dx, dy) at 4.0 + 0.05 seed s).
GaitTrialResult PushWhileWalking(double dx, double dy, uint64_t seed) {
  return RunWalk(WalkingPushTrial(LineFootRobotPath(), dx, dy), seed);
}

// Forward in the single support after the left foot lands: the DCM runs further than the landing law can take up,
// the swinging foot is taken over and lands from the DCM sooner than planned, capture
// steps follow, and the robot walks back onto its plan with its own gait (the catch-up
// walk to the plan's standstill): it arrives at the plan's goal. Without the recovery
// steps the robot falls; without the catch-up walk it stands 1 m behind the goal.
TEST(LineFootTest, RecoversFromAPushWhileWalking) {
  const GaitTrialResult r = PushWhileWalking(1, 0, 8);
  EXPECT_FALSE(r.fallen);
  EXPECT_LT(r.position_error, 0.15);
}

// Backward: the capture steps stop the robot while its plan walks on; the catch-up walk
// starts from rest where it stands and reaches the plan's goal (without it the robot
// stood 1.5 m behind or fell at its next step).
TEST(LineFootTest, RejoinsTheWalkAfterABackwardPush) {
  const GaitTrialResult r = PushWhileWalking(-1, 0, 1);
  EXPECT_FALSE(r.fallen);
  EXPECT_LT(r.position_error, 0.15);
}

// To the right, as the right foot swings: capture steps carry the robot up to 1.1 m to the
// right and leave its feet 0.6 m apart; the catch-up walk squares the stance with its first
// step, then walks to the goal. Seed 2 (push at 4.1 s) fell on the catch-up walk's second
// landing without the squaring step and the alternating capture steps; seed 5 (4.25 s)
// ended 0.59 m short of the goal without the squaring step (the walk re-triggered capture
// steps).
TEST(LineFootTest, RejoinsTheWalkAfterAPushToTheRight) {
  for (const uint64_t seed : {2, 5}) {
    const GaitTrialResult r = PushWhileWalking(0, -1, seed);
    EXPECT_FALSE(r.fallen) << "seed " << seed;
    EXPECT_LT(r.position_error, 0.15) << "seed " << seed;
  }
}

// Forward at 4.1 s: capture steps run on; each follow-up step is the other foot's (the
// foot that had just landed, lifted again 50 ms later, tipped the robot onto it and fell).
// With the line soles' yaw grip this seed's rejoin walk is still under way when the trial
// ends (0.64 m from the goal): the test holds the fall, not the arrival.
TEST(LineFootTest, AlternatesItsCaptureStepsAfterAForwardPush) {
  const GaitTrialResult r = PushWhileWalking(1, 0, 2);
  EXPECT_FALSE(r.fallen);
  EXPECT_LT(r.position_error, 1.0);
}

// The stock-layout robot pushed sideways while walking: its capture steps shuffle outward,
// the outer foot landing up to 0.8 m from the inner one (line_toe_bar_extra_width). Without
// that reach each outer landing falls short of xi and both pushes end in a fall.
TEST(LineFootTest, TheStockLayoutRobotCatchesASidewaysPushWhileWalking) {
  for (const auto& [dy, seed] : {std::pair{1.0, uint64_t{8}}, {-1.0, uint64_t{28}}}) {
    const GaitTrialResult r = RunWalk(WalkingPushTrial(StockH1RobotPath(), 0, dy), seed);
    EXPECT_FALSE(r.fallen) << "dy " << dy << " seed " << seed;
    EXPECT_LT(r.position_error, 0.15) << "dy " << dy << " seed " << seed;
  }
}

// The project's robot pushed sideways while walking, the push variants among seeds 1-40
// that capture steps at most 0.75 m across (line_max_width) cannot catch: with no
// neighbour near, the outer foot lands up to 0.8 m from the inner one
// (line_open_max_width) and each is caught.
TEST(LineFootTest, CatchesTheSidewaysPushesThatNeedTheOpenReach) {
  for (const auto& [dy, seed] : {std::pair{1.0, uint64_t{27}}, {-1.0, uint64_t{17}}, {-1.0, uint64_t{37}}}) {
    const GaitTrialResult r = RunWalk(WalkingPushTrial(LineFootRobotPath(), 0, dy), seed);
    EXPECT_FALSE(r.fallen) << "dy " << dy << " seed " << seed;
    EXPECT_LT(r.position_error, 0.15) << "dy " << dy << " seed " << seed;
  }
}

}  // namespace
}  // namespace yangbot
