// Divergent-component-of-motion (DCM, capture point) stabiliser for the CoM task of
// robots whose soles are lines (H1's narrow rolling feet).
//
// Linear inverted pendulum: ẍ = ω² (x − r) with r the centre of pressure (CoP) and
// ω = √(g / z). The DCM ξ = x + ẋ / ω obeys ξ̇ = ω (ξ − r). The plan gives x_ref, ẋ_ref,
// ẍ_ref, hence ξ_ref and its CoP r_ref = x_ref − ẍ_ref / ω². The stabiliser asks for the
// CoP r = r_ref + (1 + k) (ξ − ξ_ref), so that the DCM error decays as e^{−kωt}, clamped
// to the support polygon (the convex hull of the stance soles), and returns the CoM
// acceleration that CoP produces, ω² (x − r). On a line foot in single support the clamp
// leaves the lateral CoM to fall freely about the sole, which is what it physically does
// (a PD law there makes the QP swing the upper body against the fall); the fall is caught
// by where the swing foot lands (controllers/foot_placement.h).
#ifndef YANGBOT_CONTROLLERS_DCM_STABILIZER_H_
#define YANGBOT_CONTROLLERS_DCM_STABILIZER_H_

#include <Eigen/Core>
#include <vector>

namespace yangbot {

/// Closest point to `p` of the convex hull of `points` (m, floor plane); `p` itself when
/// inside. One point: that point; two or more on a line: the closest point of the segment.
Eigen::Vector2d ClampToConvexHull(const std::vector<Eigen::Vector2d>& points, const Eigen::Vector2d& p);

/// What the stabiliser needs of one tick (all horizontal, m, m/s, m/s²).
struct DcmInput {
  Eigen::Vector2d com = Eigen::Vector2d::Zero();               ///< measured CoM
  Eigen::Vector2d com_velocity = Eigen::Vector2d::Zero();      ///< measured CoM velocity
  Eigen::Vector2d com_ref = Eigen::Vector2d::Zero();           ///< planned CoM
  Eigen::Vector2d com_ref_velocity = Eigen::Vector2d::Zero();  ///< planned CoM velocity
  Eigen::Vector2d com_ref_acceleration = Eigen::Vector2d::Zero();  ///< planned CoM acceleration
  double omega = 3.2;                      ///< 1/s, √(g / CoM height above the soles)
  std::vector<Eigen::Vector2d> support;    ///< corners (ends) of the stance soles, world
};

/// The stabiliser's decision for one tick.
struct DcmOutput {
  Eigen::Vector2d dcm_error = Eigen::Vector2d::Zero();     ///< m, ξ − ξ_ref
  Eigen::Vector2d cop_reference = Eigen::Vector2d::Zero(); ///< m, r_ref of the plan
  Eigen::Vector2d cop_free = Eigen::Vector2d::Zero();      ///< m, CoP the law asks for
  Eigen::Vector2d cop = Eigen::Vector2d::Zero();           ///< m, that CoP clamped to the support
  Eigen::Vector2d com_acceleration = Eigen::Vector2d::Zero();  ///< m/s², ω² (x − cop)
};

/// The DCM law with gain `gain` (k above, dimensionless: the error decays at k·ω).
DcmOutput StabilizeDcm(const DcmInput& in, double gain);

}  // namespace yangbot

#endif  // YANGBOT_CONTROLLERS_DCM_STABILIZER_H_
