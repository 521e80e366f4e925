// The viewer's run, shared by two threads as in MuJoCo's `simulate`: a physics thread steps
// the Transport under a mutex; the render thread takes the same mutex only for a short sync,
// where it applies the UI's queued actions and copies the state into its mjvScene. GL-free.
#ifndef YANGBOT_TOOLS_VIEWER_SESSION_H_
#define YANGBOT_TOOLS_VIEWER_SESSION_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "sim/runner.h"
#include "sim/scene.h"
#include "tools/viewer/transport.h"

namespace yangbot {

/// A UI request, queued by the render thread and applied to the transport at the next sync.
struct Action {
  /// What to do.
  enum class Kind { kPlay, kPause, kTogglePlay, kStep, kSetSpeed, kRestart, kSeek, kInjectFault };
  Kind kind = Kind::kTogglePlay;  ///< what to do
  double value = 0;               ///< kSetSpeed: speed (x real time); kSeek: sim time (s)
  Fault fault;                    ///< kInjectFault; its time is set to the run's time when applied
};

/// Applies one action; returns an error message for the user ("" when it worked).
std::string ApplyAction(const Action& action, Transport* transport);

/// A run stepped by a background physics thread.
class Session {
 public:
  /// Builds the run (paused at time 0; `setup` as Transport's); the physics thread starts
  /// with Start.
  Session(std::unique_ptr<Scene> scene, const ControllerFactory& factory, uint64_t seed,
          std::vector<Fault> faults = {}, const std::function<void(RunState*)>& setup = nullptr);
  /// Stops the physics thread.
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  /// The stage (immutable; safe to read from any thread).
  const Scene& scene() const { return *scene_; }
  /// Starts the physics thread (it steps whenever the transport has a step due).
  void Start();
  /// Stops and joins the physics thread.
  void Stop();
  /// Runs `fn` on the transport while holding the lock (the physics thread waits).
  void Sync(const std::function<void(Transport*)>& fn);

 private:
  void PhysicsLoop();
  std::unique_ptr<Scene> scene_;
  std::mutex mutex_;
  Transport transport_;  // guarded by mutex_
  std::thread thread_;
  std::atomic<bool> stop_{false};
};

}  // namespace yangbot

#endif  // YANGBOT_TOOLS_VIEWER_SESSION_H_
