#include "tools/viewer/session.h"

#include <chrono>

#include "sim/error.h"

namespace yangbot {
namespace {

using Clock = std::chrono::steady_clock;
// Longest the physics thread holds the lock in one go, so the UI stays responsive.
constexpr auto kMaxHold = std::chrono::milliseconds(8);

}  // namespace

std::string ApplyAction(const Action& action, Transport* transport) {
  switch (action.kind) {
    case Action::Kind::kPlay:
      transport->Play();
      break;
    case Action::Kind::kPause:
      transport->Pause();
      break;
    case Action::Kind::kTogglePlay:
      transport->TogglePlay();
      break;
    case Action::Kind::kStep:
      transport->RequestStep();
      break;
    case Action::Kind::kSetSpeed:
      transport->SetSpeed(action.value);
      break;
    case Action::Kind::kRestart:
      transport->Restart();
      break;
    case Action::Kind::kSeek:
      transport->Seek(action.value);
      break;
    case Action::Kind::kInjectFault: {
      Fault fault = action.fault;
      fault.time = transport->time();
      try {
        transport->InjectFault(fault);
      } catch (const Error& e) {
        return e.what();
      }
      break;
    }
  }
  return "";
}

Session::Session(std::unique_ptr<Scene> scene, const ControllerFactory& factory, uint64_t seed,
                 std::vector<Fault> faults, const std::function<void(RunState*)>& setup)
    : scene_(std::move(scene)),
      transport_(*scene_, factory, seed, std::move(faults), Transport::kSnapshotPeriod,
                 setup) {}

Session::~Session() { Stop(); }

void Session::Start() {
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] { PhysicsLoop(); });
}

void Session::Stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void Session::Sync(const std::function<void(Transport*)>& fn) {
  std::lock_guard lock(mutex_);
  fn(&transport_);
}

void Session::PhysicsLoop() {
  auto last = Clock::now();
  while (!stop_) {
    bool stepped = false;
    {
      std::lock_guard lock(mutex_);
      const auto now = Clock::now();
      transport_.AddWallTime(std::chrono::duration<double>(now - last).count());
      last = now;
      const auto deadline = now + kMaxHold;
      while (transport_.StepIfDue()) {
        stepped = true;
        if (Clock::now() >= deadline) break;
      }
    }
    // Let the render thread in; idle more gently when nothing was due.
    std::this_thread::sleep_for(stepped ? std::chrono::microseconds(100)
                                        : std::chrono::microseconds(1000));
  }
}

}  // namespace yangbot
