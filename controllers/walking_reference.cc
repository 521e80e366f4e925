#include "controllers/walking_reference.h"

#include <cmath>
#include <utility>

namespace yangbot {
namespace {

void CopyFoot(const FootState& from, bool in_contact, FootReference* to) {
  to->position = from.position;
  to->velocity = from.velocity;
  to->acceleration = from.acceleration;
  to->yaw = from.yaw;
  to->yaw_rate = from.yaw_rate;
  to->in_contact = in_contact;
}

}  // namespace

WalkingReference::WalkingReference(std::shared_ptr<const WalkingPattern> pattern,
                                   const WalkingPosture& posture)
    : pattern_(std::move(pattern)), posture_(posture) {}

void WalkingReference::Sample(double t, RobotReference* out) const {
  const WalkingSample s = pattern_->Sample(t - posture_.delay);
  out->time = t;
  out->com = s.com_position;
  out->com_velocity = s.com_velocity;
  out->com_acceleration = s.com_acceleration;
  if (posture_.com_height > 0) {
    out->com.z() = pattern_->params().ground_height + posture_.com_height;
  }
  // Lateral axis: across the mean heading of the feet; centre: midpoint of the feet.
  const double yaw = 0.5 * (s.left.yaw + s.right.yaw);
  const Eigen::Vector2d across(-std::sin(yaw), std::cos(yaw));
  const Eigen::Vector2d mid = 0.5 * (s.left.position + s.right.position).head<2>();
  const double off = across.dot(out->com.head<2>() - mid);
  // World roll of the pelvis: positive roll (left side up) leans the upper body to the right.
  out->trunk_roll = -posture_.roll_per_lateral_offset * off;
  if (posture_.lateral_com_scale != 1) {
    const double off_v = across.dot(out->com_velocity.head<2>() - 0.5 * (s.left.velocity + s.right.velocity).head<2>());
    const double k = posture_.lateral_com_scale - 1;
    out->com.head<2>() += k * off * across;
    out->com_velocity.head<2>() += k * off_v * across;
    out->com_acceleration.head<2>() -= across.dot(out->com_acceleration.head<2>()) * (1 - posture_.lateral_com_scale) * across;
  }
  out->zmp = s.zmp_reference;
  CopyFoot(s.left, s.left_in_contact, &out->feet[0]);
  CopyFoot(s.right, s.right_in_contact, &out->feet[1]);
  // Yaws are continuous in the pattern: the mean is the heading halfway between the feet.
  out->pelvis_yaw = 0.5 * (s.left.yaw + s.right.yaw);
  out->pelvis_yaw_rate = 0.5 * (s.left.yaw_rate + s.right.yaw_rate);
  out->torso_yaw = posture_.torso_yaw;
  out->torso_yaw_rate = 0;
  out->trunk_pitch = posture_.trunk_pitch;
  out->arm_q = posture_.arm_q;
  out->arm_qd.fill(0);
  for (auto& h : out->hanky) h = HankyReference{};
}

}  // namespace yangbot
