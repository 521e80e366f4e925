#include "controllers/localisation.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <memory>
#include <random>
#include <vector>

#include "controllers/angles.h"
#include "controllers/whole_body_controller.h"
#include "sim/runner.h"

namespace yangbot {
namespace {

// m: the first map surface along the ray from (x, y) at world angle a (infinity: none).
double CastRay(const StageMap& map, double x, double y, double a) {
  const double dx = std::cos(a), dy = std::sin(a);
  double best = std::numeric_limits<double>::infinity();
  for (const MapSegment& s : map.segments) {
    const double ex = s.bx - s.ax, ey = s.by - s.ay;
    const double den = dx * ey - dy * ex;
    if (std::abs(den) < 1e-12) continue;
    const double t = ((s.ax - x) * ey - (s.ay - y) * ex) / den;
    const double u = ((s.ax - x) * dy - (s.ay - y) * dx) / den;
    if (t > 0 && u >= 0 && u <= 1) best = std::min(best, t);
  }
  for (const MapCircle& c : map.circles) {
    const double fx = x - c.x, fy = y - c.y;
    const double b = fx * dx + fy * dy, cc = fx * fx + fy * fy - c.r * c.r;
    const double disc = b * b - cc;
    if (disc < 0) continue;
    const double t = -b - std::sqrt(disc);
    if (t > 0) best = std::min(best, t);
  }
  return best;
}

// A scan of `rays` rays from `pose`, in the robot's level frame, with range noise.
std::vector<Eigen::Vector2d> SyntheticScan(const StageMap& map, const Pose2& pose, int rays,
                                           double noise, std::mt19937* rng) {
  std::normal_distribution<double> gauss(0, noise);
  std::vector<Eigen::Vector2d> points;
  for (int k = 0; k < rays; ++k) {
    const double a = 2 * M_PI * k / rays;
    const double r = CastRay(map, pose.x, pose.y, pose.yaw + a);
    if (!std::isfinite(r) || r > 20) continue;
    const double range = r + gauss(*rng);
    points.emplace_back(range * std::cos(a), range * std::sin(a));
  }
  return points;
}

StageMap DefaultMap() { return MakeStageMap(DefaultLandmarks(-4, 3, -2, 2), 1.6); }

TEST(ScanMatchTest, RecoversAKnownPoseFromASyntheticScan) {
  const StageMap map = DefaultMap();
  std::mt19937 rng(3);
  for (const Pose2& truth : {Pose2{1.0, -0.5, 0.3}, Pose2{-3.5, 1.8, -2.5}, Pose2{2.5, 2.0, 1.4}}) {
    const auto points = SyntheticScan(map, truth, 180, 0.01, &rng);
    ASSERT_GT(points.size(), 60u);
    // A prior 15 cm and 3 deg off, with a loose covariance.
    const Pose2 prior{truth.x + 0.12, truth.y - 0.09, truth.yaw + 0.05};
    const Eigen::Matrix3d cov = Eigen::Vector3d(0.09, 0.09, 0.04).asDiagonal();
    const ScanMatch match = MatchScan(map, points, prior, cov, LocalisationOptions{});
    ASSERT_TRUE(match.used);
    EXPECT_NEAR(match.pose.x, truth.x, 0.01);
    EXPECT_NEAR(match.pose.y, truth.y, 0.01);
    EXPECT_NEAR(WrapAngle(match.pose.yaw - truth.yaw), 0, 0.005);
    EXPECT_LT(match.rms_m, 0.02);
    EXPECT_LT(match.covariance(0, 0), 0.01 * 0.01);
  }
}

TEST(ScanMatchTest, DirectionsTheScanCannotSeeStayWithThePrior) {
  // One long wall: across it the scan fixes the pose, along it only the prior does.
  Landmark wall;
  wall.kind = Landmark::Kind::kWall;
  wall.name = "only";
  wall.x = -5;
  wall.yaw = M_PI / 2;
  wall.length = 200;
  const StageMap map = MakeStageMap({wall}, 1.6);
  std::mt19937 rng(5);
  const Pose2 truth{0, 0, 0};
  const auto points = SyntheticScan(map, truth, 180, 0.005, &rng);
  const Pose2 prior{0.1, 0.2, 0};
  const Eigen::Matrix3d cov = Eigen::Vector3d(0.04, 0.04, 0.0001).asDiagonal();
  const ScanMatch match = MatchScan(map, points, prior, cov, LocalisationOptions{});
  ASSERT_TRUE(match.used);
  EXPECT_NEAR(match.pose.x, 0, 0.01);     // across the wall: corrected
  EXPECT_NEAR(match.pose.y, 0.2, 0.01);   // along it: the prior
  EXPECT_GT(match.covariance(1, 1), 0.03);
}

TEST(ScanMatchTest, ReturnsOffTheMapAreNotMatched) {
  const StageMap map = DefaultMap();
  std::mt19937 rng(9);
  const Pose2 truth{0.5, 0.5, 0.2};
  auto points = SyntheticScan(map, truth, 180, 0.01, &rng);
  // A ring of other robots 1.3 m around: a quarter of the points on them.
  const size_t on_map = points.size();
  for (int k = 0; k < 60; ++k) {
    const double a = 2 * M_PI * k / 60;
    points.emplace_back(1.3 * std::cos(a), 1.3 * std::sin(a));
  }
  const ScanMatch match =
      MatchScan(map, points, {0.6, 0.45, 0.22}, Eigen::Vector3d(0.04, 0.04, 0.01).asDiagonal(),
                LocalisationOptions{});
  ASSERT_TRUE(match.used);
  EXPECT_LE(match.inliers, static_cast<int>(on_map));
  EXPECT_NEAR(match.pose.x, truth.x, 0.015);
  EXPECT_NEAR(match.pose.y, truth.y, 0.015);
}

// Odometry with a 3 % length error and a 5 mrad/s gyro bias, walking a 2 m square for 60 s:
// without scans the estimate drifts off; with a scan every 0.1 s it stays within 2 cm.
TEST(PoseFilterTest, ScansCorrectOdometryDrift) {
  const StageMap map = DefaultMap();
  LocalisationOptions options;
  std::mt19937 rng(11);
  Pose2 truth{-1, -1, 0};
  PoseFilter with_scans(truth, options), odometry_only(truth, options);
  constexpr double kDt = 0.01, kSpeed = 0.3;  // s, m/s
  double worst = 0;
  for (int i = 1; i <= 6000; ++i) {
    // Straight along each side, turning 90 deg in place at the corners.
    const double t = i * kDt;
    const double along = std::fmod(t * kSpeed, 2.0 + M_PI / 2 * 0.5);
    Pose2 step{kSpeed * kDt, 0, 0};
    if (along > 2.0) step = {0, 0, kSpeed * kDt / 0.5};
    truth = ComposePose(truth, step);
    const Pose2 measured{step.x * 1.03, step.y, step.yaw + 0.005 * kDt};
    with_scans.Predict(measured, kDt);
    odometry_only.Predict(measured, kDt);
    if (i % 10 == 0) with_scans.Correct(map, SyntheticScan(map, truth, 180, 0.01, &rng));
    if (t > 5) {
      worst = std::max(worst, std::hypot(with_scans.pose().x - truth.x,
                                         with_scans.pose().y - truth.y));
    }
  }
  EXPECT_LT(worst, 0.02);
  EXPECT_GT(std::hypot(odometry_only.pose().x - truth.x, odometry_only.pose().y - truth.y), 0.2);
}

TEST(StageFrameTest, LocalisedReferencesMoveWithTheScopesFrame) {
  class Fixed : public ReferenceSource {
   public:
    void Sample(double t, RobotReference* out) const override {
      *out = RobotReference{};
      out->time = t;
      out->com = {1, 0, 0.9};
      out->com_velocity = {0.5, 0, 0};
      out->feet[0].position = {1, 0.2, 0};
      out->pelvis_yaw = 0.1;
    }
    double end_time() const override { return 1; }
  };
  const LocalisedReference reference(std::make_shared<Fixed>());
  RobotReference r;
  reference.Sample(0, &r);
  EXPECT_NEAR(r.com.x(), 1, 1e-12);  // outside a scope: the plan itself
  {
    const StageFrameScope scope({0.1, -0.2, M_PI / 2});
    EXPECT_NEAR(CurrentStageFrame().yaw, M_PI / 2, 1e-12);
    reference.Sample(0, &r);
  }
  EXPECT_NEAR(r.com.x(), 0.1, 1e-12);
  EXPECT_NEAR(r.com.y(), 0.8, 1e-12);
  EXPECT_NEAR(r.com.z(), 0.9, 1e-12);
  EXPECT_NEAR(r.com_velocity.y(), 0.5, 1e-12);
  EXPECT_NEAR(r.feet[0].position.x(), -0.1, 1e-12);
  EXPECT_NEAR(r.pelvis_yaw, 0.1 + M_PI / 2, 1e-12);
  EXPECT_NEAR(CurrentStageFrame().yaw, 0, 1e-12);
}

// One robot standing with the whole-body controller, its localiser started 10 cm and 2 deg
// off: the lidar pulls the estimate onto the truth within a second.
TEST(LocaliserTest, AStandingRobotFindsItselfOnTheStage) {
  SceneOptions options;
  options.robots = 1;
  options.placements = {{0.3, -0.4, 0.2}};
  options.landmarks = DefaultLandmarks(-1, 1, -1, 1);
  const auto scene = Scene::Build(options);
  auto setup = std::make_shared<LocalisationSetup>();
  setup->landmarks = options.landmarks;
  setup->start_error = {0.08, -0.06, 0.035};
  WholeBodyOptions wbc;
  wbc.localisation = setup;
  auto state = StartRun(*scene, MakeWholeBodyControllerFactory(wbc), 1);
  RunUntil(*scene, state.get(), 1.0);
  const auto* controller = dynamic_cast<const WholeBodyController*>(state->controllers[0].get());
  ASSERT_NE(controller->localiser(), nullptr);
  const Localiser& localiser = *controller->localiser();
  EXPECT_GE(localiser.scans(), 10);
  EXPECT_EQ(localiser.scans_used(), localiser.scans())
      << "last scan: " << localiser.last_match().points << " points, "
      << localiser.last_match().inliers << " inliers, rms " << localiser.last_match().rms_m;
  const mjData& d = *state->data;
  const Pose2& e = localiser.estimate();
  EXPECT_NEAR(e.x, d.qpos[0], 0.02);
  EXPECT_NEAR(e.y, d.qpos[1], 0.02);
  EXPECT_NEAR(WrapAngle(e.yaw - 0.2), 0, 0.01);
  EXPECT_FALSE(controller->fallen());
}

TEST(LocalisationOptionsTest, SettingsAreChecked) {
  LocalisationOptions options;
  EXPECT_EQ(SetLocalisationOption(&options, "rays", "120"), "");
  EXPECT_EQ(options.lidar.rays, 120);
  EXPECT_EQ(SetLocalisationOption(&options, "gyro_bias_rad_s", "0.01"), "");
  EXPECT_NE(SetLocalisationOption(&options, "odometry_scale", "2"), "");
  EXPECT_NE(SetLocalisationOption(&options, "speed", "2").find("unknown localisation"),
            std::string::npos);
  LocalisationMode mode;
  EXPECT_TRUE(ParseLocalisationMode("lidar", &mode));
  EXPECT_EQ(mode, LocalisationMode::kLidar);
  EXPECT_FALSE(ParseLocalisationMode("gps", &mode));
}

}  // namespace
}  // namespace yangbot
