// Compiling an edited show and building its run, off the UI thread. Compiling a show
// (references for every robot), building its stage (mj_makeData: seconds for 16 robots) and
// starting its run take long enough to freeze the window, so the viewer hands each new
// revision of the show to a worker thread and picks the result up at a later frame; the
// old run goes on playing meanwhile. Only the newest request counts: a build still in
// flight when a newer one is asked for is finished and thrown away. GL-free: the viewer
// makes the MuJoCo drawing context for the new stage itself.
//
//   ShowBuilder builder(BuildShowStage(seed, faults));
//   builder.Request(document->revision(), document->loaded(), document->base_dir());  // on an edit
//   if (std::optional<BuiltStage> built = builder.Take()) { ... }                     // each frame
#ifndef YANGBOT_TOOLS_VIEWER_SHOW_BUILDER_H_
#define YANGBOT_TOOLS_VIEWER_SHOW_BUILDER_H_

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "choreography/choreography.h"
#include "choreography/supervisor.h"
#include "sim/runner.h"
#include "tools/viewer/session.h"
#include "tools/viewer/show_document.h"
#include "tools/viewer/transport.h"
#include "tools/viewer/transition_paths.h"

namespace yangbot {

/// A show compiled and its run built, physics not started; or why that failed.
struct BuiltStage {
  int64_t revision = -1;             ///< the document revision it was asked for
  std::optional<ShowRun> show;       ///< the compiled show (when it compiled)
  std::unique_ptr<Session> session;  ///< its run, paused at time 0 (when it compiled)
  std::vector<TransitionPaths> paths;  ///< its formation changes (TransitionPathsOf)
  std::string error;                 ///< why not ("" when it compiled)
};

/// What the worker does with a request: compile `loaded` (its relative paths start at
/// `base_dir`) and build its run. Errors go into BuiltStage::error, not exceptions.
using StageBuild = std::function<BuiltStage(const LoadedShow& loaded, const std::string& base_dir)>;

/// For the stage editor: the paths of the formation changes the robots of a show session
/// now dance. After a reflow (the supervisor re-planned around lost robots) they are the
/// re-planned schedule's, sampled from the references the controllers now follow, a lost
/// robot standing where it lies; after a seek back before it, the written plan's again.
/// `*reflows_drawn` is the supervisor's reflow count `*paths` were made for (0: the
/// written plan's, -1: none yet); when it differs, `*paths` and it are replaced and the
/// result is true. False when nothing changed or nothing supervises. Call it under
/// Session::Sync (a few ms when it samples).
bool UpdatePlannedPaths(const Transport& transport, int* reflows_drawn,
                        std::vector<TransitionPaths>* paths);

/// The viewer's run of a compiled show: its stage, with one whole-body controller per robot
/// following the show's references, supervised as `yangbot run` supervises a show (robots
/// that fall or drop out are planned around, choreography/supervisor.h) unless `reflow`
/// is false; paused at time 0.
std::unique_ptr<Session> MakeShowSession(const ShowRun& run, uint64_t seed,
                                         const std::vector<Fault>& faults, bool reflow = true);

/// The viewer's build: MakeShowRun, MakeShowSession and the paths of its formation changes.
StageBuild BuildShowStage(uint64_t seed, std::vector<Fault> faults, bool reflow = true);

/// Runs StageBuilds one at a time on a worker thread (see file comment).
class ShowBuilder {
 public:
  /// Starts the worker, which runs `build` for each request.
  explicit ShowBuilder(StageBuild build);
  /// Waits for a build in flight to finish (its result is dropped) and stops the worker.
  ~ShowBuilder();
  ShowBuilder(const ShowBuilder&) = delete;
  ShowBuilder& operator=(const ShowBuilder&) = delete;

  /// Asks for `loaded` (a checked show, usually ok()) to be built; replaces any request not
  /// yet started, and makes any earlier result stale.
  void Request(int64_t revision, LoadedShow loaded, std::string base_dir);
  /// The result of the newest request once it is ready (then only once); nullopt before,
  /// and for results that a newer request made stale.
  std::optional<BuiltStage> Take();
  /// Whether the newest request is still waiting or being built.
  bool busy() const;

 private:
  struct Job {
    int64_t generation = 0;
    int64_t revision = -1;
    LoadedShow loaded;
    std::string base_dir;
  };
  void Work();

  StageBuild build_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::optional<Job> pending_;        // guarded by mutex_
  std::optional<BuiltStage> result_;  // guarded by mutex_; for generation_ only
  int64_t generation_ = 0;            // guarded by mutex_; of the newest request
  int64_t building_ = 0;              // guarded by mutex_; generation being built (0: none)
  bool stop_ = false;                 // guarded by mutex_
  std::thread worker_;
};

}  // namespace yangbot

#endif  // YANGBOT_TOOLS_VIEWER_SHOW_BUILDER_H_
