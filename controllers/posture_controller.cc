#include "controllers/posture_controller.h"

#include <cmath>
#include <string>

namespace yangbot {
namespace {
constexpr double kCopGain = 1.5;          // capture-point feedback gain (dimensionless)
constexpr double kSoleHalfLength = 0.09;  // m, usable half-length of the sole for the CoP
}  // namespace

PostureController::PostureController(const Scene& scene, int robot,
                                     const PostureControllerOptions& options)
    : options_(options), layout_(RobotLayout::Resolve(scene.robot_info())) {
  (void)robot;
  const RobotInfo& info = scene.robot_info();
  q_ref_.resize(info.nu);
  kp_.resize(info.nu);
  kd_.resize(info.nu);
  for (int a = 0; a < info.nu; ++a) {
    q_ref_[a] = info.stand_qpos[info.actuator_qpos[a]];
    const std::string& name = info.actuator_names[a];
    // Stiffness by joint class: legs carry the body, arms only themselves.
    if (name.find("ankle") != std::string::npos) {
      kp_[a] = 40, kd_[a] = 4;  // soft: balance comes from the CoP term
    } else if (name.find("hip") != std::string::npos || name.find("knee") != std::string::npos ||
               name == "torso") {
      kp_[a] = 400, kd_[a] = 12;
    } else if (name.find("shoulder") != std::string::npos) {
      kp_[a] = 60, kd_[a] = 2;
    } else {
      kp_[a] = 30, kd_[a] = 1;
    }
  }
  torso_ = RobotLayout::Actuator(info, "torso");
  jac_.resize(3 * scene.model()->nv);
}

std::unique_ptr<RobotController> PostureController::Clone() const {
  return std::make_unique<PostureController>(*this);
}

void PostureController::Compute(const Scene& scene, int robot, const mjData& d, double* ctrl) {
  const mjModel* m = scene.model();
  const RobotInfo& info = scene.robot_info();
  const RobotIndex& index = scene.robot(robot);
  state_.Read(scene, robot, d, layout_);
  const double t = d.time;

  // Balance (ankle strategy): put the centre of pressure where it drives the
  // capture point back over the middle of the feet,
  //   cop = cp + k (cp - cp_ref),  cp = com + v_com / omega,  omega = sqrt(g / z_com),
  // clamped to the support area, and realise it through the legs as a ground reaction
  // at that point: tau = h - J(cop)^T f.
  const int left = index.site_begin + layout_.left_sole_site;
  const int right = index.site_begin + layout_.right_sole_site;
  const double* com = d.subtree_com + 3 * index.body_begin;
  const double* pl = d.site_xpos + 3 * left;
  const double* pr = d.site_xpos + 3 * right;
  double com_vel[3];
  ComVelocity(m, d, index.body_begin, info.nbody, com_vel);
  const double g = -m->opt.gravity[2];
  const double omega = std::sqrt(g / std::max(0.3, com[2] - 0.5 * (pl[2] + pr[2])));
  double cop[2];
  for (int r = 0; r < 2; ++r) {
    const double cp = com[r] + com_vel[r] / omega;
    const double cp_ref = 0.5 * (pl[r] + pr[r]);
    cop[r] = cp + kCopGain * (cp - cp_ref);
  }
  // Share the weight in proportion to how close the CoP is to each foot, and clamp
  // each foot's CoP to its sole (a box around the sole site, axes of the foot).
  const double dx = pl[0] - pr[0], dy = pl[1] - pr[1];
  const double span = dx * dx + dy * dy;
  double w_left = span > 1e-6 ? ((cop[0] - pr[0]) * dx + (cop[1] - pr[1]) * dy) / span : 0.5;
  w_left = std::clamp(w_left, 0.05, 0.95);
  const double weight = info.mass * g;

  std::vector<double> tau_ff(info.nv);
  for (int k = 0; k < info.nv; ++k) tau_ff[k] = d.qfrc_bias[index.dof_begin + k];
  for (int foot = 0; foot < 2; ++foot) {
    const int site = foot == 0 ? left : right;
    const double* ps = d.site_xpos + 3 * site;
    const double* R = d.site_xmat + 9 * site;
    // CoP offset from the sole centre, in the foot frame, clamped to the sole.
    const double wx = cop[0] - ps[0], wy = cop[1] - ps[1];
    const double fx = std::clamp(R[0] * wx + R[3] * wy, -kSoleHalfLength, kSoleHalfLength);
    const double point[3] = {ps[0] + R[0] * fx, ps[1] + R[3] * fx, ps[2]};
    const double fz = weight * (foot == 0 ? w_left : 1 - w_left);
    const int body = m->site_bodyid[site];
    mj_jac(m, &d, jac_.data(), nullptr, point, body);
    const mjtNum* jz = jac_.data() + 2 * m->nv + index.dof_begin;  // z row, robot block
    for (int k = 0; k < info.nv; ++k) tau_ff[k] -= jz[k] * fz;
  }

  for (int a = 0; a < info.nu; ++a) {
    double q_ref = q_ref_[a];
    if (a == torso_) {
      q_ref += options_.sway_amplitude *
               std::sin(2 * M_PI * options_.sway_frequency * t + options_.sway_phase);
    }
    ctrl[a] = tau_ff[info.actuator_dof[a]] + kp_[a] * (q_ref - state_.joint_q[a]) -
              kd_[a] * state_.joint_v[a];
  }
  for (const int spinner : {layout_.left_hanky, layout_.right_hanky}) {
    if (spinner < 0) continue;
    const double rate = 2 * M_PI * options_.hanky_rate;
    ctrl[spinner] = HankySpinTorque(state_.joint_q[spinner], state_.joint_v[spinner],
                                    options_.hanky_phase + rate * t, rate, spin_gains_);
  }
}

ControllerFactory MakePostureControllerFactory(const PostureControllerOptions& options) {
  return [options](const Scene& scene, int robot) {
    return std::make_unique<PostureController>(scene, robot, options);
  };
}

}  // namespace yangbot
