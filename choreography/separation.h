// The stage's one separation rule: robots keep at least kMinRobotDistance apart, pelvis to
// pelvis in the plane, at every instant. Slots of a formation, planned walks (checked
// continuously along the paths, transition.h), the schedule's check of the whole show and
// FORMAT.md all quote this constant.
#ifndef YANGBOT_CHOREOGRAPHY_SEPARATION_H_
#define YANGBOT_CHOREOGRAPHY_SEPARATION_H_

namespace yangbot {

/// Least distance between two robots (m, pelvis to pelvis, in the plane), at their slots
/// and at every instant of the show.
constexpr double kMinRobotDistance = 0.6;

}  // namespace yangbot

#endif  // YANGBOT_CHOREOGRAPHY_SEPARATION_H_
