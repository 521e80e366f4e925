// ZMP preview control of the centre of mass (S. Kajita et al., "Biped walking
// pattern generation by using preview control of zero-moment point", ICRA 2003),
// with the integral-action servo of T. Katayama et al. (1985) that the paper uses.
//
// Cart-table model, per horizontal axis, sampled every dt with the CoM jerk u
// held constant over each sample:
//   x = [c, c', c'']           CoM position (m), velocity (m/s), acceleration (m/s^2)
//   x_{k+1} = A x_k + B u_k    A = [1 dt dt^2/2; 0 1 dt; 0 0 1], B = [dt^3/6; dt^2/2; dt]
//   p_k     = C x_k            C = [1 0 -z_c/g]   (the ZMP of a cart on a table of height z_c)
//
// The servo minimises sum_k Qe (p_k - p_ref_k)^2 + R (u_k - u_{k-1})^2 on the augmented
// state X_k = [e_k; x_k - x_{k-1}] (e = p - p_ref), whose discrete algebraic Riccati
// equation is solved here by fixed-point iteration. Its control law, in increments,
//   du_k = -Gi e_k - Gx (x_k - x_{k-1}) - sum_{j=1..N} Gd(j) (p_ref_{k+j} - p_ref_{k+j-1}),
// sums to Kajita's u_k = -Gi sum_i e_i - Gx x_k - sum_j Gd(j) p_ref_{k+j} (Gd(1) = -Gi).
// The increment form is used because it is exactly shift invariant and needs no
// integrator state, so a controller can restart from any CoM state (replanning).
// Both axes share the gains; they are stepped together as the columns of 3x2 matrices.
#ifndef YANGBOT_CONTROLLERS_ZMP_PREVIEW_H_
#define YANGBOT_CONTROLLERS_ZMP_PREVIEW_H_

#include <Eigen/Core>
#include <span>
#include <vector>

namespace yangbot {

/// CoM state of both horizontal axes: column 0 is x, column 1 is y; rows are
/// position (m), velocity (m/s) and acceleration (m/s^2).
using CartState = Eigen::Matrix<double, 3, 2>;

/// Parameters of the cart-table model and of the preview servo.
struct ZmpPreviewParams {
  double dt = 0.005;         ///< s, sample period of the model and the controller
  double com_height = 0.95;  ///< m, constant CoM height z_c above the ground
  double gravity = 9.81;     ///< m/s^2
  double qe = 1.0;           ///< weight of the squared ZMP error (1/m^2)
  double r = 1e-6;           ///< weight of the squared jerk increment (s^6/m^2)
  double horizon = 1.6;      ///< s, preview window length (rounded to whole samples)
};

/// Model matrices and preview gains (Kajita 2003, in increment form).
struct ZmpPreviewGains {
  ZmpPreviewParams params;  ///< the parameters they were computed for
  Eigen::Matrix3d a;        ///< cart-table transition matrix (3x3)
  Eigen::Vector3d b;        ///< jerk input matrix (3x1)
  Eigen::RowVector3d c;     ///< ZMP output row [1 0 -z_c/g] (1x3)
  double gi = 0;            ///< gain on the ZMP error e_k (1/s^3 per m)
  Eigen::RowVector3d gx;    ///< gain on the state increment x_k - x_{k-1} (1x3)
  /// Preview gains Gd(j), j = 1..N, stored at index j-1 (size N = horizon / dt); Gd(1) = -gi.
  Eigen::VectorXd gd;
  int riccati_iterations = 0;  ///< fixed-point iterations the Riccati solve took
  /// Number of preview samples N (size of gd).
  int preview_steps() const { return static_cast<int>(gd.size()); }
};

/// Solves the Riccati equation by iteration and computes the gains; throws
/// yangbot::Error on non-positive dt, z_c, gravity, r or horizon, or no convergence.
ZmpPreviewGains ComputeZmpPreviewGains(const ZmpPreviewParams& params);

/// Cart-table ZMP (m, size 2) of a CoM state: p = c - z_c / g * c''.
Eigen::Vector2d CartTableZmp(const ZmpPreviewGains& gains, const CartState& state);

/// A CoM trajectory sampled every dt, with the jerk held over each sample.
struct ComTrajectory {
  double dt = 0;                       ///< s, sample period
  std::vector<CartState> states;       ///< state at sample k (size K)
  std::vector<Eigen::Vector2d> jerks;  ///< m/s^3, jerk applied over [k dt, (k+1) dt) (size K)
  std::vector<Eigen::Vector2d> zmp;    ///< m, cart-table ZMP C x_k at sample k (size K)
};

/// Online preview controller: one call per sample, given the ZMP reference window.
/// Restartable from any CoM state, so a caller can replan the reference at any sample.
class ZmpPreviewController {
 public:
  /// A controller at rest at the origin, with gains for `params` (see ComputeZmpPreviewGains).
  explicit ZmpPreviewController(const ZmpPreviewParams& params);
  /// A controller at rest at the origin, with precomputed gains.
  explicit ZmpPreviewController(const ZmpPreviewGains& gains);

  /// Puts the CoM at rest at `com` (m, xy), with no previous jerk.
  void Reset(const Eigen::Vector2d& com);
  /// Sets the CoM state and the jerk (m/s^3, xy) applied over the previous sample.
  void SetState(const CartState& state, const Eigen::Vector2d& previous_jerk);

  /// Applies one sample of jerk and advances the state by dt; returns the jerk (m/s^3).
  /// zmp_ref[j] is the reference ZMP (m, xy) j samples from now (j = 0: the current
  /// sample); windows shorter than N + 1 are extended with their last value. Non-empty.
  Eigen::Vector2d Step(std::span<const Eigen::Vector2d> zmp_ref);

  /// The current CoM state (columns x, y; rows pos m, vel m/s, acc m/s^2).
  const CartState& state() const { return state_; }
  /// The current cart-table ZMP (m, xy).
  Eigen::Vector2d zmp() const { return CartTableZmp(gains_, state_); }
  /// The gains in use.
  const ZmpPreviewGains& gains() const { return gains_; }

 private:
  ZmpPreviewGains gains_;
  CartState state_ = CartState::Zero();
  CartState previous_state_ = CartState::Zero();          // x_{k-1}
  Eigen::RowVector2d jerk_ = Eigen::RowVector2d::Zero();  // u_{k-1}
};

/// Offline preview: the CoM trajectory (K samples) that tracks `zmp_ref` (m, xy, one
/// entry per sample, K >= 1), starting at rest at `initial_com` (m, xy). The reference
/// is held at its last value beyond its end (the preview looks past sample K - 1).
ComTrajectory ComputeComTrajectory(const ZmpPreviewGains& gains,
                                   const std::vector<Eigen::Vector2d>& zmp_ref,
                                   const Eigen::Vector2d& initial_com);

}  // namespace yangbot

#endif  // YANGBOT_CONTROLLERS_ZMP_PREVIEW_H_
