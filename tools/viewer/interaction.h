// Mouse selection and pushing in the viewer, applied to the run at the sync. GL-free: it
// works on MuJoCo's abstract scene (mjvScene), so tests can click on robots without a window.
#ifndef YANGBOT_TOOLS_VIEWER_INTERACTION_H_
#define YANGBOT_TOOLS_VIEWER_INTERACTION_H_

#include <mujoco/mujoco.h>

#include "sim/scene.h"
#include "tools/viewer/panel.h"
#include "tools/viewer/transport.h"

namespace yangbot {

/// Selects robot `robot`'s torso (its root body when it has none) as the body to push, at
/// its centre of mass; -1 clears the selection. Ends any push in progress.
void SelectRobotBody(const Scene& scene, int robot, mjvPerturb* perturb);

/// Applies this frame's mouse input to the run: a left double-click selects the robot body
/// under the mouse (settings->selected, the transport's perturbation), a right double-click
/// makes `camera` orbit about the point under the mouse, and a Ctrl+drag starts, moves and
/// ends the push (mjv_initPerturb / mjv_movePerturb). `view` is the scene as last drawn with
/// `options`; `aspect` its viewport's width / height. Call under the session lock. Returns
/// whether the selection changed.
bool ApplyViewInput(const ViewInput& input, double aspect, const mjvOption& options,
                    const mjvScene& view, ViewSettings* settings, mjvCamera* camera,
                    Transport* transport);

}  // namespace yangbot

#endif  // YANGBOT_TOOLS_VIEWER_INTERACTION_H_
