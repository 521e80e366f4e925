// What the cameras and the contact sheet take from a compiled show: where the robots will
// be (the references' centre of mass over the floor, which the pelvis stands over) and
// one moment a section.
#ifndef YANGBOT_TOOLS_VIEWER_SHOW_FRAMING_H_
#define YANGBOT_TOOLS_VIEWER_SHOW_FRAMING_H_

#include <memory>
#include <vector>

#include "choreography/choreography.h"
#include "tools/render/show_camera.h"
#include "tools/render/stage_recorder.h"

namespace yangbot {

/// The planned pelvis positions of every robot of `compiled` (its references).
TroupeTrack PlannedTrack(const CompiledShow& compiled);

/// The cameras framing `compiled` for a model whose free cameras have `fovy` (deg).
std::shared_ptr<const ShowCamera> FrameShow(const CompiledShow& compiled, double fovy);

/// One contact-sheet moment a section of `show`, each `into` of the way through it (0..1),
/// labelled "N. NAME  M:SS" (section number from 1, time of the moment).
std::vector<SheetMoment> SectionMoments(const Show& show, const BeatClock& clock,
                                        double into = 0.6);

}  // namespace yangbot

#endif  // YANGBOT_TOOLS_VIEWER_SHOW_FRAMING_H_
