#include "choreography/phase_spread.h"

#include <algorithm>
#include <cmath>

#include "controllers/angles.h"
#include "controllers/robot_state.h"

namespace yangbot {

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
  std::array<std::vector<double>, 2> errors;
  RobotReference ref;
  for (int i = 0; i < robots; ++i) {
    if (!active[i] || !references_[i]) continue;
    references_[i]->Sample(d.time, &ref);
    for (int side = 0; side < 2; ++side) {
      if (hanky_qpos_[side] < 0 || !ref.hanky[side].spinning) continue;
      const double q = d.qpos[scene_.robot(i).qpos_begin + hanky_qpos_[side]];
      errors[side].push_back(WrapAngle(q - ref.hanky[side].phase));
    }
  }
  for (const std::vector<double>& e : errors) {
    if (e.size() < 2) continue;
    double s = 0, c = 0;
    for (double x : e) {
      s += std::sin(x);
      c += std::cos(x);
    }
    const double mean = std::atan2(s, c);
    for (double x : e) {
      const double deviation = WrapAngle(x - mean) * 180 / M_PI;
      sum_squares_ += deviation * deviation;
      ++count_;
    }
  }
}

std::optional<double> HankyPhaseSpread::Rms() const {
  if (count_ == 0) return std::nullopt;
  return std::sqrt(sum_squares_ / static_cast<double>(count_));
}

}  // namespace yangbot
