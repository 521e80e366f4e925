#include "controllers/step_rhythm.h"

#include <Eigen/Core>
#include <algorithm>
#include <array>

namespace yangbot {

void StepRhythm::Observe(const RobotReference& ref, double t, const WholeBodyGains& k) {
  if (ref.feet[0].in_contact && ref.feet[1].in_contact) {
    if (double_support_since_ < 0) double_support_since_ = t;
    return;
  }
  if (double_support_since_ >= 0) {
    const double lasted = t - double_support_since_;
    slow_steps_ = lasted >= k.slow_double_support && lasted < 1.0;
  }
  double_support_since_ = -1;
}

bool StepRhythm::Travelling(const ReferenceSource* plan, double t, const WholeBodyGains& k) {
  if (!plan) return false;
  if (t < travel_next_) return travelling_;
  travel_next_ = t + 0.25;
  constexpr int kSamples = 8;  // per window
  Eigen::Vector2d before = Eigen::Vector2d::Zero(), after = Eigen::Vector2d::Zero();
  RobotReference r;
  for (int i = 0; i < kSamples; ++i) {
    const double offset = (i + 0.5) * k.travel_window / kSamples;
    plan->Sample(std::max(0.0, t - offset), &r);
    before += r.com.head<2>();
    plan->Sample(t + offset, &r);
    after += r.com.head<2>();
  }
  travelling_ = (after - before).norm() / kSamples > k.travel_speed * k.travel_window;
  return travelling_;
}

double StepRhythm::NextTouchdown(const ReferenceSource* plan, double t, double horizon) {
  if (!plan) return -1;
  if (plan == touchdown_plan_ && t < touchdown_look_) return next_touchdown_;
  touchdown_plan_ = plan;
  constexpr double kStep = 0.01;
  RobotReference r;
  plan->SampleFrom(t, &touchdown_cursor_, &r);
  std::array<bool, 2> down = {r.feet[0].in_contact, r.feet[1].in_contact};
  next_touchdown_ = -1;
  touchdown_look_ = t + 0.1;
  for (double dt = kStep; dt <= horizon + 1e-9; dt += kStep) {
    plan->SampleFrom(t + dt, &touchdown_cursor_, &r);
    for (int side = 0; side < 2; ++side) {
      if (r.feet[side].in_contact && !down[side]) {
        next_touchdown_ = touchdown_look_ = t + dt;
        return next_touchdown_;
      }
      down[side] = r.feet[side].in_contact;
    }
  }
  return next_touchdown_;
}

PelvisWeights ChoosePelvisWeights(const WholeBodyGains& k, bool recovering, bool slow_steps, bool travelling,
                                  bool single_support) {
  PelvisWeights w{k.w_pelvis, k.w_pelvis_pitch, k.w_pelvis};
  if (recovering) {
    w.roll = w.pitch = w.yaw = k.w_pelvis_recovery;
  } else if (slow_steps) {
    w.roll = !travelling ? k.w_pelvis_slow_steps
                         : single_support ? k.w_pelvis_travel_single_support : k.w_pelvis_travel_double_support;
    w.yaw = k.w_pelvis_yaw_slow_steps;
  }
  return w;
}

}  // namespace yangbot
