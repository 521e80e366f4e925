#include "tools/viewer/plots.h"

#include <algorithm>
#include <cmath>

#include "controllers/whole_body_controller.h"
#include "sim/metrics.h"

namespace yangbot {

PlotSample SamplePlot(const Transport& transport, int robot) {
  const Scene& scene = transport.scene();
  const RunState& state = transport.state();
  const mjModel* m = scene.model();
  const mjData* d = state.data;
  PlotSample s;
  s.time = d->time;
  const RobotIndex& index = scene.robot(robot);
  const mjtNum* com = d->subtree_com + 3 * index.body_begin;
  s.com[0] = s.com_ref[0] = com[0];
  s.com[1] = s.com_ref[1] = com[1];
  const auto* wbc = robot < static_cast<int>(state.controllers.size())
                        ? dynamic_cast<const WholeBodyController*>(state.controllers[robot].get())
                        : nullptr;
  if (wbc != nullptr && d->time > 0) {
    const WholeBodyDiagnostics& diag = wbc->diagnostics();
    s.com_ref[0] = diag.com_ref.x();
    s.com_ref[1] = diag.com_ref.y();
    const RobotReference& ref = wbc->last_reference();
    for (int side = 0; side < 2; ++side) {
      if (ref.hanky[side].spinning) {
        s.hanky_error_deg = std::max(s.hanky_error_deg,
                                     std::abs(diag.hanky_phase_error[side]) * 180 / M_PI);
      }
    }
  }
  s.pelvis_height = PelvisHeight(scene, *d, robot);
  for (int a = index.ctrl_begin; a < index.ctrl_begin + scene.robot_info().nu; ++a) {
    const double limit = std::max(std::abs(m->actuator_ctrlrange[2 * a]),
                                  std::abs(m->actuator_ctrlrange[2 * a + 1]));
    if (limit > 0) {
      s.torque_percent = std::max(s.torque_percent, 100 * std::abs(d->ctrl[a]) / limit);
    }
  }
  return s;
}

void RobotPlots::Sample(const Transport& transport, int robot) {
  if (robot < 0 || robot >= transport.scene().robot_count()) return;
  const double t = transport.time();
  if (robot != robot_ || (!samples_.empty() && (t < samples_.back().time ||
                                                t > samples_.back().time + window_))) {
    samples_.clear();
  }
  robot_ = robot;
  if (!samples_.empty() && t == samples_.back().time) return;  // paused: nothing new
  samples_.push_back(SamplePlot(transport, robot));
  while (!samples_.empty() && samples_.front().time < t - window_) samples_.pop_front();
}

}  // namespace yangbot
