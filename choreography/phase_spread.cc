#include "choreography/phase_spread.h"

#include <algorithm>
#include <cmath>

#include "controllers/angles.h"
#include "controllers/robot_state.h"
#include "sim/handkerchief_throw.h"

namespace yangbot {
namespace {

// A robot's phase error (rad).
struct PhaseError {
  int robot = 0;
  double error = 0;
};

// Adds each side's deviations of `errors` from their circular mean to the sum of squares
// (deg²) and the count, and to robot_sums / robot_counts by robot when not null; sides
// with fewer than two robots add nothing.
void Accumulate(const std::array<std::vector<PhaseError>, 2>& errors, double* sum_squares,
                int64_t* count, std::vector<double>* robot_sums = nullptr,
                std::vector<int64_t>* robot_counts = nullptr) {
  for (const std::vector<PhaseError>& e : errors) {
    if (e.size() < 2) continue;
    double s = 0, c = 0;
    for (const PhaseError& x : e) {
      s += std::sin(x.error);
      c += std::cos(x.error);
    }
    const double mean = std::atan2(s, c);
    for (const PhaseError& x : e) {
      const double deviation = WrapAngle(x.error - mean) * 180 / M_PI;
      *sum_squares += deviation * deviation;
      ++*count;
      if (robot_sums) {
        (*robot_sums)[x.robot] += deviation * deviation;
        ++(*robot_counts)[x.robot];
      }
    }
  }
}

}  // namespace

HankyPhaseSpread::HankyPhaseSpread(const Scene& scene,
                                   std::vector<std::shared_ptr<const ReferenceSource>> references,
                                   double period)
    : scene_(scene), references_(std::move(references)), period_(period) {
  const RobotInfo& info = scene.robot_info();
  const RobotLayout layout = RobotLayout::Resolve(info);
  if (layout.left_hanky >= 0) hanky_qpos_[0] = info.actuator_qpos[layout.left_hanky];
  if (layout.right_hanky >= 0) hanky_qpos_[1] = info.actuator_qpos[layout.right_hanky];
}

void HankyPhaseSpread::Update(const mjData& d, const std::vector<bool>& active) {
  if (d.time + 1e-9 < next_) return;
  next_ = d.time + period_;
  const int robots = std::min(scene_.robot_count(), static_cast<int>(references_.size()));
  std::array<std::vector<PhaseError>, 2> errors, flying;
  RobotReference ref;
  for (int i = 0; i < robots; ++i) {
    if (!active[i] || !references_[i]) continue;
    references_[i]->Sample(d.time, &ref);
    for (int side = 0; side < 2; ++side) {
      if (hanky_qpos_[side] < 0 || !ref.hanky[side].spinning) continue;
      double q = d.qpos[scene_.robot(i).qpos_begin + hanky_qpos_[side]];
      bool in_flight = false;
      for (const HandkerchiefProp& h : scene_.hankies()) {
        if (h.robot != i || h.side != side) continue;
        // The cloth's x axis in the pin's frame: its angle on the pin.
        const mjtNum* a = d.xmat + 9 * h.pin_body;
        const mjtNum* b = d.xmat + 9 * h.body;
        q += std::atan2(a[1] * b[0] + a[4] * b[3] + a[7] * b[6],
                        a[0] * b[0] + a[3] * b[3] + a[6] * b[6]);
        in_flight = !MeasureHanky(scene_.model(), &d, h).in_reach;
      }
      const double error = WrapAngle(q - ref.hanky[side].phase);
      errors[side].push_back({i, error});
      if (in_flight) flying[side].push_back({i, error});
    }
  }
  Accumulate(errors, &sum_squares_, &count_);
  robot_flight_sum_squares_.resize(scene_.robot_count(), 0.0);
  robot_flight_count_.resize(scene_.robot_count(), 0);
  Accumulate(flying, &flight_sum_squares_, &flight_count_, &robot_flight_sum_squares_,
             &robot_flight_count_);
}

std::optional<double> HankyPhaseSpread::Rms() const {
  if (count_ == 0) return std::nullopt;
  return std::sqrt(sum_squares_ / static_cast<double>(count_));
}

std::optional<double> HankyPhaseSpread::FlightRms() const {
  if (flight_count_ == 0) return std::nullopt;
  return std::sqrt(flight_sum_squares_ / static_cast<double>(flight_count_));
}

std::optional<double> HankyPhaseSpread::FlightRms(int robot) const {
  if (robot < 0 || robot >= static_cast<int>(robot_flight_count_.size()) ||
      robot_flight_count_[robot] == 0) {
    return std::nullopt;
  }
  return std::sqrt(robot_flight_sum_squares_[robot] /
                   static_cast<double>(robot_flight_count_[robot]));
}

}  // namespace yangbot
