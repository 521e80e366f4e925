#include "choreography/move.h"

#include <algorithm>
#include <cmath>

namespace yangbot {

std::string LimbNames(LimbSet limbs) {
  std::vector<std::string> names;
  if (limbs & kLegs) names.push_back("legs");
  if (limbs & kWaist) names.push_back("waist");
  if (limbs & kArms) names.push_back("arms");
  if (limbs & kHanky) names.push_back("hanky");
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " and " : ", ";
    out += names[i];
  }
  return out.empty() ? "nothing" : out;
}

ParamSpec NumberParam(std::string name, Dimension dimension, double default_value, double min,
                      double max, std::string doc) {
  ParamSpec spec;
  spec.name = std::move(name);
  spec.dimension = dimension;
  spec.default_value = default_value;
  spec.min = min;
  spec.max = max;
  spec.doc = std::move(doc);
  return spec;
}

ParamSpec WordParam(std::string name, std::vector<std::string> choices, std::string doc) {
  ParamSpec spec;
  spec.name = std::move(name);
  spec.choices = std::move(choices);
  spec.doc = std::move(doc);
  return spec;
}

const std::string& ParamValues::Word(size_t i) const {
  static const std::string kEmpty;
  return i < words.size() ? words[i] : kEmpty;
}

BodyPose MirrorPose(const BodyPose& pose) {
  BodyPose m = pose;
  m.torso_yaw = -pose.torso_yaw;
  m.trunk_roll = -pose.trunk_roll;
  for (int side = 0; side < 2; ++side) {
    const int from = (1 - side) * 4;
    const int to = side * 4;
    m.arm_q[to + 0] = pose.arm_q[from + 0];   // shoulder pitch
    m.arm_q[to + 1] = -pose.arm_q[from + 1];  // shoulder roll
    m.arm_q[to + 2] = -pose.arm_q[from + 2];  // shoulder yaw
    m.arm_q[to + 3] = pose.arm_q[from + 3];   // elbow
    m.hanky[side].spinning = pose.hanky[1 - side].spinning;
    m.hanky[side].phase = -pose.hanky[1 - side].phase;
  }
  return m;
}

GaitParams GaitParamsForSoles(bool line_soles) {
  GaitParams gait;
  gait.line_soles = line_soles;
  gait.walk = MeasuredGaitEnvelope(line_soles);
  return gait;
}

GaitParams GaitParamsForRobot(const RobotInfo& info) {
  GaitParams gait = GaitParamsForSoles(info.line_soles);
  gait.sole = info.sole;
  return gait;
}

FootstepPlannerParams PlannerParams(const GaitParams& gait) {
  FootstepPlannerParams params;
  params.limits = gait.limits;
  params.nominal_width = 2 * gait.foot_lateral;
  return params;
}

Stance StanceAtPelvis(const Pose2& pelvis, const GaitParams& gait) {
  const double c = std::cos(pelvis.yaw), s = std::sin(pelvis.yaw);
  Stance stance;
  stance.left = {pelvis.x + c * gait.foot_forward - s * gait.foot_lateral,
                 pelvis.y + s * gait.foot_forward + c * gait.foot_lateral, pelvis.yaw};
  stance.right = {pelvis.x + c * gait.foot_forward + s * gait.foot_lateral,
                  pelvis.y + s * gait.foot_forward - c * gait.foot_lateral, pelvis.yaw};
  return stance;
}

Pose2 PelvisOfStance(const Stance& stance, const GaitParams& gait) {
  const Pose2 centre = stance.Center();
  const double c = std::cos(centre.yaw), s = std::sin(centre.yaw);
  return {centre.x - c * gait.foot_forward, centre.y - s * gait.foot_forward, centre.yaw};
}

std::string Move::PlanSteps(const StepContext&, const ParamValues&, std::vector<BeatStep>*) const {
  return "";
}

void Move::Pose(const ParamValues&, double, double, BodyPose*) const {}

double SmoothStep(double s) {
  s = std::clamp(s, 0.0, 1.0);
  return s * s * (3 - 2 * s);
}

double Envelope(double u, double length, double ramp) {
  const double r = std::min(ramp, length / 4);
  if (r <= 0) return 1.0;
  return SmoothStep(u / r) * SmoothStep((length - u) / r);
}

}  // namespace yangbot
