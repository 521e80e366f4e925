// How far apart the troupe's handkerchiefs spin, from the simulated state:
// hanky_phase_spread_deg_rms. Sampled every `period`; for each side, every active robot
// whose conductor reference spins that handkerchief has a phase error (spinner joint angle
// minus the reference phase at conductor time, wrapped); its deviation from the circular
// mean of those errors over the robots is one sample, deg. What the audience sees of
// robots dancing to slightly different clocks: a troupe late or early together adds
// nothing, one robot behind the others does. Fewer than two robots spinning: no sample.
// On a throw-mode stage (sim/handkerchief_throw.h) the phase is the handkerchief's own
// (the spinner angle plus the cloth's angle on the pin), and the handkerchiefs in flight
// at the same time make a second measure of their own:
// hanky_flight_phase_spread_deg_rms (do they keep spinning together in the air).
#ifndef YANGBOT_CHOREOGRAPHY_PHASE_SPREAD_H_
#define YANGBOT_CHOREOGRAPHY_PHASE_SPREAD_H_

#include <mujoco/mujoco.h>

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "controllers/reference.h"
#include "sim/scene.h"

namespace yangbot {

/// Accumulates hanky_phase_spread_deg_rms (see the top of this file).
class HankyPhaseSpread {
 public:
  /// `references`: what the conductor wants each robot to dance (one per robot).
  HankyPhaseSpread(const Scene& scene,
                   std::vector<std::shared_ptr<const ReferenceSource>> references,
                   double period = 0.02);
  /// Replaces the references (after a re-plan), one per robot.
  void set_references(std::vector<std::shared_ptr<const ReferenceSource>> references) {
    references_ = std::move(references);
  }
  /// Samples `d` when a period has passed; `active[i]`: robot i still dances.
  void Update(const mjData& d, const std::vector<bool>& active);
  /// deg, RMS of the samples; nullopt without any.
  std::optional<double> Rms() const;
  /// deg, RMS of the samples of handkerchiefs in flight; nullopt without any.
  std::optional<double> FlightRms() const;
  /// deg, RMS of robot i's samples in flight; nullopt without any.
  std::optional<double> FlightRms(int robot) const;
  /// Samples taken.
  int64_t count() const { return count_; }

 private:
  const Scene& scene_;
  std::vector<std::shared_ptr<const ReferenceSource>> references_;
  double period_ = 0.02;
  double next_ = 0;                  // s, next sample
  std::array<int, 2> hanky_qpos_{-1, -1};  // local qpos index of each spinner; -1 none
  double sum_squares_ = 0;
  int64_t count_ = 0;
  double flight_sum_squares_ = 0;
  int64_t flight_count_ = 0;
  std::vector<double> robot_flight_sum_squares_;  // per robot
  std::vector<int64_t> robot_flight_count_;       // per robot
};

}  // namespace yangbot

#endif  // YANGBOT_CHOREOGRAPHY_PHASE_SPREAD_H_
