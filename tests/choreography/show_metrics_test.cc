// Show metrics on hand-made states: the stand keyframe with chosen joint angles and
// positions (mj_forward only, no physics), so every expected value is known exactly.
#include "choreography/show_metrics.h"

#include <gtest/gtest.h>

#include <cmath>

#include "choreography/choreography.h"

namespace yangbot {
namespace {

constexpr double kDeg = 3.14159265358979323846 / 180.0;

TEST(ShowMetricsTest, RmsOfNothingIsAbsent) {
  RmsAccumulator rms;
  EXPECT_FALSE(rms.Rms().has_value());
  rms.Add(3);
  rms.Add(-4);
  EXPECT_DOUBLE_EQ(*rms.Rms(), std::sqrt(12.5));
  EXPECT_EQ(rms.count(), 2);
}

TEST(ShowMetricsTest, DeviationsAreFromTheMean) {
  EXPECT_EQ(DeviationsFromMean({1, 2, 6}), (std::vector<double>{-2, -1, 3}));
  EXPECT_TRUE(DeviationsFromMean({}).empty());
}

TEST(ShowMetricsTest, TouchdownsMatchTheFirstOnsetInTheirWindow) {
  const auto matched = MatchTouchdowns({1.0, 1.5, 2.0, 3.0}, {0.25, 0.25, 0.25, 0.25},
                                       {0.7, 1.02, 1.04, 1.3, 2.3, 3.1});
  ASSERT_EQ(matched.size(), 4u);
  EXPECT_DOUBLE_EQ(*matched[0], 1.02);   // 0.7 is before the window
  EXPECT_DOUBLE_EQ(*matched[1], 1.3);    // early but within a quarter second
  EXPECT_FALSE(matched[2].has_value());  // 2.3 is past 2.25
  EXPECT_DOUBLE_EQ(*matched[3], 3.1);
}

class ShowMetricsStateTest : public ::testing::Test {
 protected:
  // Two robots side by side, 120 bpm, bar 1 at 1 s.
  void Load(const std::string& timeline) {
    const std::string text =
        "tempo: 120\noffset: 1\ntroupe: {robots: 2, start: pair}\nformations:\n"
        "  pair: {shape: line, spacing: 1.5}\n  ahead: {shape: line, spacing: 1.5, centre: "
        "[0.3, 0]}\ntimeline:\n" +
        timeline;
    loaded_ = CheckShowText(text, "");
    ASSERT_TRUE(loaded_.ok()) << loaded_.diagnostics.Format("test");
    show_ = CompileSchedule(loaded_.schedule);
    SceneOptions options;
    options.robots = 2;
    options.placements = show_.placements;
    scene_ = Scene::Build(options);
    d_ = mj_makeData(scene_->model());
    mj_resetDataKeyframe(scene_->model(), d_, scene_->stand_key());
    metrics_ = std::make_unique<ShowMetrics>(*scene_, loaded_.schedule, show_);
  }
  void TearDown() override { mj_deleteData(d_); }

  // qpos address of robot i's joint driven by actuator `name`.
  int Qpos(int robot, const std::string& name) const {
    const RobotInfo& info = scene_->robot_info();
    return scene_->robot(robot).qpos_begin +
           info.actuator_qpos[RobotInfo::IndexOf(info.actuator_names, name)];
  }
  double* Base(int robot) const { return d_->qpos + scene_->robot(robot).qpos_begin; }
  void UpdateAt(double t, std::vector<bool> active = {true, true}) {
    d_->time = t;
    mj_forward(scene_->model(), d_);
    metrics_->Update(*d_, active);
  }
  // As a physics step leaves the data: contacts found in the state at t, the time one
  // timestep on.
  void UpdateAfterStepFrom(double t) {
    d_->time = t;
    mj_forward(scene_->model(), d_);
    d_->time = t + scene_->model()->opt.timestep;
    metrics_->Update(*d_, {true, true});
  }
  RobotReference Reference(int robot, double t) const {
    RobotReference ref;
    show_.references[robot]->Sample(t, &ref);
    return ref;
  }

  LoadedShow loaded_;
  CompiledShow show_;
  std::unique_ptr<Scene> scene_;
  mjData* d_ = nullptr;
  std::unique_ptr<ShowMetrics> metrics_;
};

constexpr const char* kTwistAndSpin =
    "  - section: s\n    at: 1:1\n    beats: 8\n    cues:\n"
    "      - move: waist_twist\n        amplitude: 15 deg\n"
    "      - move: hanky_spin\n";

TEST_F(ShowMetricsStateTest, SyncErrorIsTheSpreadAmongRobotsDoingTheSameMove) {
  Load(kTwistAndSpin);
  d_->qpos[Qpos(0, "torso")] = 0.1;
  d_->qpos[Qpos(1, "torso")] = 0.1 + 2 * kDeg;  // each 1 deg from the mean
  UpdateAt(2.0);
  const ShowMetricsResult result = metrics_->Result(2.0);
  ASSERT_TRUE(result.sync_error_deg_rms.has_value());
  EXPECT_NEAR(*result.sync_error_deg_rms, 1.0, 1e-9);  // only the waist: the cue's limb
  EXPECT_NEAR(*result.robots[1].sync_error_deg_rms, 1.0, 1e-9);
  EXPECT_FALSE(result.formation_error_m_rms.has_value());  // no formation change
}

TEST_F(ShowMetricsStateTest, NoSyncSampleBeforeTheCueOrForAFallenPartner) {
  Load(kTwistAndSpin);
  d_->qpos[Qpos(1, "torso")] = 0.3;
  UpdateAt(0.5);                 // before the cue: nobody dances
  UpdateAt(2.0, {true, false});  // robot 2 fell: no group of two
  UpdateAt(2.5, {true, true});   // and it stays out
  EXPECT_FALSE(metrics_->Result(3.0).sync_error_deg_rms.has_value());
}

TEST_F(ShowMetricsStateTest, SpinPhaseErrorIsWrappedAngleFromTheReference) {
  Load(kTwistAndSpin);
  const RobotReference ref = Reference(0, 2.0);
  ASSERT_TRUE(ref.hanky[0].spinning && ref.hanky[1].spinning);
  for (int robot = 0; robot < 2; ++robot) {
    // Whole turns apart do not count; 5 deg ahead (left) and behind (right) do.
    d_->qpos[Qpos(robot, "left_hanky")] = ref.hanky[0].phase + 4 * M_PI + 5 * kDeg;
    d_->qpos[Qpos(robot, "right_hanky")] = ref.hanky[1].phase - 5 * kDeg;
  }
  UpdateAt(2.0);
  const ShowMetricsResult result = metrics_->Result(2.0);
  ASSERT_TRUE(result.spin_phase_error_deg_rms.has_value());
  EXPECT_NEAR(*result.spin_phase_error_deg_rms, 5.0, 1e-6);
}

constexpr const char* kFormationChange =
    "  - section: s\n    at: 1:1\n    beats: 8\n    cues:\n"
    "      - formation: ahead\n";

TEST_F(ShowMetricsStateTest, FormationErrorIsMeasuredWhenTheChangeEnds) {
  Load(kFormationChange);
  const double end = loaded_.schedule.clock.Time(Beats(8));
  UpdateAt(end - 0.01);  // not yet: robots still at the start
  EXPECT_FALSE(metrics_->Result(end).formation_error_m_rms.has_value());
  Base(0)[0] = 0.3;         // robot 1 on its slot
  Base(1)[0] = 0.3 + 0.03;  // robot 2 3 cm too far forward and 4 cm to the left
  Base(1)[1] += 0.04;
  UpdateAt(end);
  const ShowMetricsResult result = metrics_->Result(end);
  ASSERT_TRUE(result.robots[0].formation_error_m_rms && result.robots[1].formation_error_m_rms);
  EXPECT_NEAR(*result.robots[0].formation_error_m_rms, 0, 1e-9);
  EXPECT_NEAR(*result.robots[1].formation_error_m_rms, 0.05, 1e-9);
  EXPECT_NEAR(*result.formation_error_m_rms, std::sqrt(0.05 * 0.05 / 2), 1e-9);
  UpdateAt(end + 1);  // measured once per change
  EXPECT_EQ(*metrics_->Result(end + 1).formation_error_m_rms, *result.formation_error_m_rms);
}

TEST_F(ShowMetricsStateTest, BeatTimingComparesContactOnsetsWithPlannedTouchdowns) {
  Load(kFormationChange);
  const RobotSchedule& robot = loaded_.schedule.robots[0];
  ASSERT_GE(robot.steps.size(), 2u);
  const double first = loaded_.schedule.clock.Time(robot.steps[0].step.land);
  UpdateAfterStepFrom(0);  // standing: in contact from the start, no onset
  for (int i = 0; i < 2; ++i) Base(i)[2] += 0.3;
  UpdateAfterStepFrom(first - 0.2);  // both robots in the air
  // 5 mm into the floor: the keyframe's soles rest a hair above it (no contact yet).
  for (int i = 0; i < 2; ++i) Base(i)[2] -= 0.3 + 0.005;
  // Both feet land 20 ms after the first planned touch-down: the step from there finds
  // the contacts (the data's time is a step later).
  UpdateAfterStepFrom(first + 0.02);
  const double end = loaded_.schedule.end_time() + 1;
  const ShowMetricsResult result = metrics_->Result(end);
  const int steps = static_cast<int>(robot.steps.size() + loaded_.schedule.robots[1].steps.size());
  EXPECT_EQ(result.touchdowns_planned, steps);
  EXPECT_EQ(result.touchdowns_missed, steps - 2);  // one matched step per robot
  ASSERT_TRUE(result.beat_timing_error_ms_rms.has_value());
  EXPECT_NEAR(*result.beat_timing_error_ms_rms, 20.0, 1e-6);
  // Judged only when its window is over: at the first touch-down, nothing counts yet.
  EXPECT_EQ(metrics_->Result(first).touchdowns_planned, 0);
}

TEST_F(ShowMetricsStateTest, JsonHasTheDocumentedNamesAndNullsWhenUnmeasured) {
  Load(kTwistAndSpin);
  UpdateAt(0.5);
  const nlohmann::json json = ShowMetricsJson(metrics_->Result(0.5));
  for (const std::string& name : ShowMetricNames()) EXPECT_TRUE(json.contains(name)) << name;
  EXPECT_TRUE(json["sync_error_deg_rms"].is_null());
  ASSERT_EQ(json["per_robot"].size(), 2u);
  EXPECT_TRUE(json["per_robot"][0].contains("beat_timing_error_ms_rms"));
}

}  // namespace
}  // namespace yangbot
