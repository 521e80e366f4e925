#include "tools/viewer/show_builder.h"

#include <utility>

#include "controllers/whole_body_controller.h"
#include "sim/error.h"
#include "sim/scene.h"

namespace yangbot {

namespace {

// A lost robot on the stage editor's paths: where it lies, all along.
class LyingAt : public ReferenceSource {
 public:
  explicit LyingAt(const Pose2& pelvis) { reference_.com = {pelvis.x, pelvis.y, 0}; }
  void Sample(double, RobotReference* out) const override { *out = reference_; }
  double end_time() const override { return 0; }

 private:
  RobotReference reference_;
};

}  // namespace

bool UpdatePlannedPaths(const Transport& transport, int* reflows_drawn,
                        std::vector<TransitionPaths>* paths) {
  const ShowSupervisor* supervisor = SupervisorOf(transport.state());
  if (supervisor == nullptr || supervisor->reflows() == *reflows_drawn) return false;
  auto references = FollowedReferences(transport.state());
  if (references.empty()) return false;
  for (const LostRobot& lost : supervisor->lost()) {
    if (lost.robot < static_cast<int>(references.size())) {
      references[lost.robot] = std::make_shared<LyingAt>(lost.pelvis);
    }
  }
  *paths = TransitionPathsOf(supervisor->schedule(), references);
  *reflows_drawn = supervisor->reflows();
  return true;
}

std::unique_ptr<Session> MakeShowSession(const ShowRun& run, uint64_t seed,
                                         const std::vector<Fault>& faults, bool reflow) {
  // As `yangbot run` sets up a show's run: its throws fly, its supervisor watches.
  auto setup = [&run, reflow](RunState* state) {
    state->throws = run.throws;
    if (reflow) SuperviseShow(run.resolved, run.schedule, state);
  };
  WholeBodyOptions controller;
  std::vector<std::shared_ptr<const ReferenceSource>> references = run.compiled.references;
  if (run.localisation) {  // robots that localise themselves follow the plan on their estimate
    auto lidar = std::make_shared<LocalisationSetup>(*run.localisation);
    lidar->seed = seed;
    controller.localisation = std::move(lidar);
    references = LocaliseReferences(std::move(references));
  }
  return std::make_unique<Session>(Scene::Build(run.scene),
                                   MakeWholeBodyControllerFactory(controller, std::move(references)),
                                   seed, faults, setup);
}

StageBuild BuildShowStage(uint64_t seed, std::vector<Fault> faults, bool reflow) {
  return [seed, faults = std::move(faults), reflow](const LoadedShow& loaded,
                                                    const std::string& base_dir) {
    BuiltStage built;
    try {
      ShowRun run = MakeShowRun(loaded, base_dir);
      built.session = MakeShowSession(run, seed, faults, reflow);
      built.paths = TransitionPathsOf(loaded.schedule, run.compiled);
      built.show = std::move(run);
    } catch (const Error& e) {
      built.session.reset();
      built.error = e.what();
    }
    return built;
  };
}

ShowBuilder::ShowBuilder(StageBuild build)
    : build_(std::move(build)), worker_([this] { Work(); }) {}

ShowBuilder::~ShowBuilder() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  worker_.join();
}

void ShowBuilder::Request(int64_t revision, LoadedShow loaded, std::string base_dir) {
  {
    std::lock_guard lock(mutex_);
    ++generation_;
    pending_ = Job{generation_, revision, std::move(loaded), std::move(base_dir)};
    result_.reset();
  }
  wake_.notify_all();
}

std::optional<BuiltStage> ShowBuilder::Take() {
  std::lock_guard lock(mutex_);
  std::optional<BuiltStage> result = std::move(result_);
  result_.reset();
  return result;
}

bool ShowBuilder::busy() const {
  std::lock_guard lock(mutex_);
  return pending_.has_value() || (building_ != 0 && building_ == generation_);
}

void ShowBuilder::Work() {
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [this] { return stop_ || pending_.has_value(); });
    if (stop_) return;
    Job job = std::move(*pending_);
    pending_.reset();
    building_ = job.generation;
    lock.unlock();
    BuiltStage built = build_(job.loaded, job.base_dir);  // the slow part, unlocked
    built.revision = job.revision;
    lock.lock();
    building_ = 0;
    // A newer request made it stale; its Session is destroyed here, off the UI thread.
    if (job.generation == generation_) {
      result_ = std::move(built);
    } else {
      lock.unlock();
      built = BuiltStage();
      lock.lock();
    }
  }
}

}  // namespace yangbot
