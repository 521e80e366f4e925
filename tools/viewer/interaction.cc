#include "tools/viewer/interaction.h"

#include <algorithm>

#include "tools/render/camera.h"

namespace yangbot {

void SelectRobotBody(const Scene& scene, int robot, mjvPerturb* perturb) {
  perturb->active = 0;
  perturb->skinselect = -1;
  mju_zero3(perturb->localpos);
  if (robot < 0 || robot >= scene.robot_count()) {
    perturb->select = 0;
    return;
  }
  perturb->select = scene.robot(robot).body_begin + scene.robot_info().torso_body;
}

bool ApplyViewInput(const ViewInput& input, double aspect, const mjvOption& options,
                    const mjvScene& view, ViewSettings* settings, mjvCamera* camera,
                    Transport* transport) {
  const Scene& scene = transport->scene();
  const mjModel* m = scene.model();
  mjData* d = transport->mutable_state()->data;
  mjvPerturb* perturb = transport->mutable_perturb();
  bool changed = false;
  if ((input.select || input.center) && view.ngeom > 0) {
    mjtNum point[3];
    int geom = -1, skin = -1;
    const int body =
        mjv_select(m, d, &options, aspect, input.relx, input.rely, &view, point, &geom, &skin);
    if (input.select) {
      const int robot = body > 0 ? RobotOfBody(scene, body) : -1;
      changed = robot != settings->selected;
      settings->selected = robot;
      SelectRobotBody(scene, robot, perturb);
      if (robot >= 0) {
        // Push the body where it was clicked, as MuJoCo's `simulate` does.
        perturb->select = body;
        mjtNum offset[3];
        mju_sub3(offset, point, d->xpos + 3 * body);
        mju_mulMatTVec(perturb->localpos, d->xmat + 9 * body, offset, 3, 3);
      }
    }
    if (input.center && body >= 0) {
      if (camera->type != mjCAMERA_FREE) {
        FreeCameraFromView(view, camera);
        settings->camera = CameraPreset::kFree;
      }
      mju_copy3(camera->lookat, point);
    }
  }
  if (input.perturb_begin && perturb->select > 0) {
    mjv_initPerturb(m, d, &view, perturb);
    perturb->active = input.perturb_begin;
  }
  if (input.perturb_action != mjMOUSE_NONE && perturb->active) {
    mjv_movePerturb(m, d, input.perturb_action, input.dx, input.dy, &view, perturb);
  }
  if (input.perturb_end) perturb->active = 0;
  return changed;
}

}  // namespace yangbot
