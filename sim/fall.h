// What counts as a fallen robot: the one definition that the run's metrics (sim/metrics.h)
// and the controllers' fall detectors (which then stop balancing and relax) share.
//
// A robot has fallen when its pelvis is below kFallPelvisHeight or its trunk tilts more
// than kFallTiltAngle from upright. The numbers sit between what the dances do and what a
// fall does on the H1 (pelvis 0.98 m standing):
// - The dances stay well clear: the deepest pose of the move library is a 45 deg bow
//   (`bow` depth bound, choreography/FORMAT.md), and over the 30 regression scenarios the
//   survivors' lowest pelvis is 0.65 m (a 0.4 m recovery lunge after a 30 N·s push) and
//   their largest trunk tilt 40 deg. A full 45 deg bow measures 43.7 deg standing alone
//   (tests/choreography/deep_bow_test.cc) and the default show's 30 deg bows up to 34 deg:
//   a 0.8 rad (46 deg) limit would leave 2 deg between the deepest bow and a fall.
// - A robot down on a knee has its pelvis at about the thigh's length (0.4-0.5 m), one
//   lying on the floor at 0.1-0.3 m with its trunk 70-90 deg from upright: both count.
#ifndef YANGBOT_SIM_FALL_H_
#define YANGBOT_SIM_FALL_H_

namespace yangbot {

/// A robot counts as fallen when its pelvis (root body) drops below this height (m)...
inline constexpr double kFallPelvisHeight = 0.5;
/// ...or its trunk tilts beyond this angle from upright (rad, 60 deg).
inline constexpr double kFallTiltAngle = 60.0 * 3.14159265358979323846 / 180.0;

/// Whether a robot whose pelvis is `pelvis_height` m above the floor and whose trunk is
/// tilted `tilt` rad from upright has fallen.
constexpr bool IsFallen(double pelvis_height, double tilt) {
  return pelvis_height < kFallPelvisHeight || tilt > kFallTiltAngle;
}

}  // namespace yangbot

#endif  // YANGBOT_SIM_FALL_H_
