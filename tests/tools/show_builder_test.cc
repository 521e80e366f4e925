// Shows compiled off the UI thread: requests return at once, the newest one wins, and the
// real build gives a run of the show's troupe (or the compiler's complaint).
#if YANGBOT_HAVE_VIEWER

#include "tools/viewer/show_builder.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "choreography/choreography.h"
#include "sim/assets.h"
#include "tests/test_paths.h"

namespace yangbot {
namespace {

const std::string kShort = AssetsDir() + "/choreographies/short.yaml";

// Take()s until a result comes (or ~20 s pass: a failure).
std::optional<BuiltStage> Await(ShowBuilder* builder) {
  for (int i = 0; i < 4000; ++i) {
    if (std::optional<BuiltStage> built = builder->Take()) return built;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return std::nullopt;
}

// A build that records what it was asked for and waits for `gate` before finishing.
struct GatedBuild {
  std::shared_future<void> gate;
  std::atomic<int> started{0};
  std::vector<std::string> built;  // base_dir of each finished build, in order (worker only)
  StageBuild Function() {
    return [this](const LoadedShow&, const std::string& base_dir) {
      ++started;
      gate.wait();
      built.push_back(base_dir);
      BuiltStage result;
      result.error = "built " + base_dir;
      return result;
    };
  }
};

TEST(ShowBuilderTest, RequestReturnsBeforeTheBuildAndTheResultComesOnce) {
  std::promise<void> open;
  GatedBuild gated;
  gated.gate = open.get_future().share();
  ShowBuilder builder(gated.Function());
  EXPECT_FALSE(builder.busy());
  builder.Request(7, LoadedShow(), "a");  // the build waits for the gate: Request does not
  EXPECT_TRUE(builder.busy());
  EXPECT_FALSE(builder.Take().has_value());
  open.set_value();
  std::optional<BuiltStage> built = Await(&builder);
  ASSERT_TRUE(built.has_value());
  EXPECT_EQ(built->revision, 7);
  EXPECT_EQ(built->error, "built a");
  EXPECT_FALSE(builder.Take().has_value());
  EXPECT_FALSE(builder.busy());
}

TEST(ShowBuilderTest, OnlyTheNewestRequestCounts) {
  std::promise<void> open;
  GatedBuild gated;
  gated.gate = open.get_future().share();
  ShowBuilder builder(gated.Function());
  builder.Request(1, LoadedShow(), "first");
  while (gated.started == 0) std::this_thread::yield();  // "first" is being built
  builder.Request(2, LoadedShow(), "second");  // waits, then is replaced before it starts
  builder.Request(3, LoadedShow(), "third");
  open.set_value();
  std::optional<BuiltStage> built = Await(&builder);
  ASSERT_TRUE(built.has_value());
  EXPECT_EQ(built->revision, 3);
  EXPECT_EQ(built->error, "built third");
  EXPECT_EQ(gated.built, (std::vector<std::string>{"first", "third"}));
  EXPECT_FALSE(builder.busy());
}

TEST(ShowBuilderTest, BuildsTheShowsRunOrSaysWhyNot) {
  ShowBuilder builder(BuildShowStage(/*seed=*/3, {}));
  const LoadedShow loaded = CheckShowFile(kShort);
  ASSERT_TRUE(loaded.ok());
  builder.Request(4, loaded, AssetsDir() + "/choreographies");
  std::optional<BuiltStage> built = Await(&builder);
  ASSERT_TRUE(built.has_value());
  EXPECT_EQ(built->error, "");
  ASSERT_TRUE(built->session != nullptr);
  ASSERT_TRUE(built->show.has_value());
  EXPECT_EQ(built->session->scene().robot_count(),
            static_cast<int>(loaded.schedule.robots.size()));
  built->session->Sync([](Transport* transport) { EXPECT_EQ(transport->time(), 0); });
  EXPECT_EQ(built->paths.size(), loaded.schedule.transitions.size());  // for the stage editor

  const LoadedShow broken = CheckShowText("this is: [not a show", "");
  ASSERT_FALSE(broken.ok());
  builder.Request(5, broken, "");
  built = Await(&builder);
  ASSERT_TRUE(built.has_value());
  EXPECT_EQ(built->revision, 5);
  EXPECT_EQ(built->session, nullptr);
  EXPECT_NE(built->error.find("error"), std::string::npos) << built->error;
}

// Four robots in a column 1.2 m apart twist, then close up to 0.8 m apart from beat 12 (7 s).
// (TestDataDir() is tests/testdata; the regression suite's shows sit beside it.)
const std::string kColumn =
    (std::filesystem::path(TestDataDir()).parent_path() / "regression" / "shows" / "reflow.yaml")
        .string();

int CountEvents(const RunState& state, const std::string& kind) {
  return static_cast<int>(std::count_if(state.metrics.events.begin(), state.metrics.events.end(),
                                        [&](const RunEvent& e) { return e.kind == kind; }));
}

// The column's front robot loses power at 1.5 s.
Fault FrontRobotDropsOut() {
  Fault dropout;
  dropout.kind = Fault::Kind::kDropout;
  dropout.robot = 0;
  dropout.time = 1.5;
  return dropout;
}

// The viewer supervises a show as `yangbot run` does: the front robot loses power at 1.5 s
// and the others are re-planned around it before the close-up ("reflow", at ~2.5 s). A
// seek back restores the supervisor with the run (the snapshots keep it): going forward
// again from the snapshot at 2 s re-plans the same way and lands on the very same state
// (with the supervisor left as it was after the first pass, nobody was re-planned again).
TEST(ShowBuilderTest, TheViewersRunReflowsAroundADroppedRobotAndSeeksReplayIt) {
  const LoadedShow loaded = CheckShowFile(kColumn);
  ASSERT_TRUE(loaded.ok()) << loaded.diagnostics.Format("show");
  const ShowRun run = MakeShowRun(loaded, "");
  const Fault dropout = FrontRobotDropsOut();
  std::unique_ptr<Session> session = MakeShowSession(run, 1, {dropout});
  session->Sync([&](Transport* transport) {
    const RunState& state = transport->state();
    const int nq = transport->scene().model()->nq;
    transport->Seek(3.5);
    transport->FinishSeek();
    ASSERT_EQ(CountEvents(state, "reflow"), 1);
    const auto reflow = std::find_if(state.metrics.events.begin(), state.metrics.events.end(),
                                     [](const RunEvent& e) { return e.kind == "reflow"; });
    EXPECT_GT(reflow->time, 2.0);  // after the snapshot at 2 s: the replay re-plans
    const std::vector<double> first(state.data->qpos, state.data->qpos + nq);
    transport->Seek(1.0);  // back before the dropout
    transport->FinishSeek();
    EXPECT_EQ(CountEvents(state, "reflow"), 0);
    transport->Seek(3.5);
    transport->FinishSeek();
    EXPECT_EQ(CountEvents(state, "reflow"), 1);
    EXPECT_EQ(std::vector<double>(state.data->qpos, state.data->qpos + nq), first);
  });
  // Without supervision nobody is re-planned.
  std::unique_ptr<Session> plain = MakeShowSession(run, 1, {dropout}, /*reflow=*/false);
  plain->Sync([](Transport* transport) {
    transport->Seek(3.5);
    transport->FinishSeek();
    EXPECT_EQ(CountEvents(transport->state(), "reflow"), 0);
  });
}

// The stage editor draws the plan being danced: after the reflow around the dropped front
// robot, the close-up's paths are the re-planned ones, that robot standing where it lies and
// nobody's path within 0.6 m of it (the written plan walked it 0.6 m on, into its close-up
// place); after a seek back before the dropout, the written plan's paths again.
TEST(ShowBuilderTest, TheStageEditorsPathsFollowAReflowAndASeekBack) {
  const LoadedShow loaded = CheckShowFile(kColumn);
  ASSERT_TRUE(loaded.ok()) << loaded.diagnostics.Format("show");
  const ShowRun run = MakeShowRun(loaded, "");
  const std::vector<TransitionPaths> written = TransitionPathsOf(loaded.schedule, run.compiled);
  ASSERT_EQ(written.size(), 1u);
  const std::vector<std::array<double, 2>>& walked = written[0].points[0];
  EXPECT_GT(std::hypot(walked.back()[0] - walked.front()[0], walked.back()[1] - walked.front()[1]), 0.3);
  const Fault dropout = FrontRobotDropsOut();
  std::unique_ptr<Session> session = MakeShowSession(run, 1, {dropout});
  session->Sync([&](Transport* transport) {
    std::vector<TransitionPaths> paths = written;
    int drawn = 0;
    EXPECT_FALSE(UpdatePlannedPaths(*transport, &drawn, &paths));  // nothing re-planned yet
    transport->Seek(3.5);
    transport->FinishSeek();
    ASSERT_TRUE(UpdatePlannedPaths(*transport, &drawn, &paths));
    EXPECT_EQ(drawn, 1);
    EXPECT_FALSE(UpdatePlannedPaths(*transport, &drawn, &paths));  // drawn already
    ASSERT_EQ(paths.size(), 1u);
    const TransitionPaths& replanned = paths[0];
    const Pose2 lying = MeasuredPelvis(transport->scene(), *transport->state().data, 0);
    const std::vector<std::array<double, 2>>& still = replanned.points[0];
    EXPECT_LT(std::hypot(still.front()[0] - lying.x, still.front()[1] - lying.y), 0.15);
    for (const std::array<double, 2>& p : still) EXPECT_EQ(p, still.front());
    EXPECT_GE(replanned.min_distance, 0.6);
    EXPECT_TRUE(replanned.approaches.empty());
    transport->Seek(1.0);  // before the dropout: the written plan
    transport->FinishSeek();
    ASSERT_TRUE(UpdatePlannedPaths(*transport, &drawn, &paths));
    EXPECT_EQ(drawn, 0);
    ASSERT_EQ(paths.size(), 1u);
    EXPECT_EQ(paths[0].points, written[0].points);
  });
  // Unsupervised, the written plan's paths stay.
  std::unique_ptr<Session> plain = MakeShowSession(run, 1, {dropout}, /*reflow=*/false);
  plain->Sync([&](Transport* transport) {
    transport->Seek(3.5);
    transport->FinishSeek();
    int drawn = 0;
    std::vector<TransitionPaths> paths = written;
    EXPECT_FALSE(UpdatePlannedPaths(*transport, &drawn, &paths));
  });
}

}  // namespace
}  // namespace yangbot

#endif  // YANGBOT_HAVE_VIEWER
