// A robot dancing to its own estimate of the conductor's time (sim/clock_sync.h): its
// reference is sampled at the robot's dance clock, not at the conductor's (simulation)
// time, and re-plans reach it as messages over its link.
// - SyncedReference wraps the reference the conductor sent the robot. Sample(t) at
//   conductor time t samples it at ClockNetwork::DanceTime(robot, t): the controller keeps
//   asking with the simulation's time and gets what the robot's own clock says is due.
//   Looks ahead (the controller's travel detection samples up to a second ahead) use the
//   dance clock's later knots: a few ms of difference from extrapolating its rate.
// - A re-plan (the supervisor's splice) is a message the conductor sends at the re-plan's
//   time: the robot keeps dancing its old reference until the message arrives
//   (ClockNetwork::Delivery: latency, losses resent, outages waited out) and the spliced
//   one from then on. Both agree until the re-planned change, which starts at least
//   SupervisorOptions::splice_lead later, so a late message changes nothing visible
//   unless it arrives after the change has started.
#ifndef YANGBOT_CHOREOGRAPHY_SYNCED_REFERENCE_H_
#define YANGBOT_CHOREOGRAPHY_SYNCED_REFERENCE_H_

#include <memory>
#include <vector>

#include "controllers/reference.h"
#include "sim/clock_sync.h"

namespace yangbot {

/// A reference sampled at robot `robot`'s dance clock, switching versions as messages arrive.
class SyncedReference : public ReferenceSource {
 public:
  /// Robot `robot` of `network` dances `reference` (both not null) from the start.
  SyncedReference(std::shared_ptr<const ClockNetwork> network, int robot,
                  std::shared_ptr<const ReferenceSource> reference);
  /// The version delivered by conductor time t (s), sampled at the robot's dance time.
  void Sample(double t, RobotReference* out) const override;
  void SampleFrom(double t, ReferenceCursor* cursor, RobotReference* out) const override;
  /// s, the end of the latest version.
  double end_time() const override { return versions_.back().reference->end_time(); }
  /// A copy that also holds `next`, which the conductor sends at time `sent` (s): danced
  /// from its delivery on.
  std::shared_ptr<const SyncedReference> Updated(std::shared_ptr<const ReferenceSource> next,
                                                 double sent) const;
  /// The latest version: what the conductor wants the robot to dance.
  const std::shared_ptr<const ReferenceSource>& conductor_reference() const {
    return versions_.back().reference;
  }
  /// s, when the latest version arrives (0 for the first).
  double delivered() const { return versions_.back().delivered; }
  /// The robot's index in the network.
  int robot() const { return robot_; }
  /// The clocks and links.
  const ClockNetwork& network() const { return *network_; }

 private:
  struct Version {
    double delivered = 0;  // s, conductor time it arrives at the robot
    std::shared_ptr<const ReferenceSource> reference;
  };
  std::shared_ptr<const ClockNetwork> network_;
  int robot_ = 0;
  std::vector<Version> versions_;  // by delivery, >= 1
};

/// Wraps robot i's reference of `references` in a SyncedReference of `network`.
std::vector<std::shared_ptr<const ReferenceSource>> SyncReferences(
    std::shared_ptr<const ClockNetwork> network,
    std::vector<std::shared_ptr<const ReferenceSource>> references);

/// The reference the conductor wants danced, in stage coordinates: a SyncedReference's
/// latest version, else `reference` itself (either inside a LocalisedReference).
std::shared_ptr<const ReferenceSource> ConductorReference(
    const std::shared_ptr<const ReferenceSource>& reference);

/// ConductorReference of each.
std::vector<std::shared_ptr<const ReferenceSource>> ConductorReferences(
    const std::vector<std::shared_ptr<const ReferenceSource>>& references);

/// `current` until `splice_time` (s, conductor time) and `next` from then on
/// (SplicedReference); when `current` is a SyncedReference the splice is a message the
/// conductor sends at `splice_time`, danced from its delivery on; a LocalisedReference
/// stays the outermost wrapper.
std::shared_ptr<const ReferenceSource> SpliceReference(
    const std::shared_ptr<const ReferenceSource>& current,
    std::shared_ptr<const ReferenceSource> next, double splice_time);

}  // namespace yangbot

#endif  // YANGBOT_CHOREOGRAPHY_SYNCED_REFERENCE_H_
