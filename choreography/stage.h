// The stage a show is danced on: its landmarks (sim/landmarks.h) from the show's `stage:`
// block, or the default set around the show's formations, and the check that robots
// dance clear of them.
#ifndef YANGBOT_CHOREOGRAPHY_STAGE_H_
#define YANGBOT_CHOREOGRAPHY_STAGE_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "choreography/diagnostics.h"
#include "choreography/resolve.h"
#include "choreography/show.h"
#include "controllers/localisation.h"

namespace yangbot {

/// The landmarks of `show`: its `stage:` block's, else DefaultLandmarks around every slot
/// of every formation of `resolved` (and `extra` places, e.g. start placements).
std::vector<Landmark> ShowLandmarks(const Show& show, const ResolvedShow& resolved,
                                    const std::vector<Placement>& extra = {});

/// The lidar localisation `show`'s `localisation:` key asks for: its settings, `seed`,
/// no landmarks yet (the stage's, ShowLandmarks); null when it asks for none or perfect.
std::shared_ptr<LocalisationSetup> ShowLidarSetup(const Show& show, uint64_t seed);

/// Errors (at the landmark) for landmarks of the `stage:` block closer than
/// kLandmarkClearance to a slot of a formation of `resolved`: robots would touch them.
void CheckLandmarkClearance(const Show& show, const ResolvedShow& resolved,
                            Diagnostics* diagnostics);

}  // namespace yangbot

#endif  // YANGBOT_CHOREOGRAPHY_STAGE_H_
