// The viewer's live plots of one robot: centre of mass against its reference, pelvis
// height, the highest motor torque as a share of its limit, handkerchief phase error.
// Sampled from the run at each sync (under the session lock); GL-free.
#ifndef YANGBOT_TOOLS_VIEWER_PLOTS_H_
#define YANGBOT_TOOLS_VIEWER_PLOTS_H_

#include <deque>
#include <vector>

#include "tools/viewer/transport.h"

namespace yangbot {

/// One sample of a robot's plotted signals.
struct PlotSample {
  double time = 0;              ///< s
  double com[2] = {0, 0};       ///< m, measured centre of mass (x, y)
  double com_ref[2] = {0, 0};   ///< m, the controller's reference (measured when it has none)
  double pelvis_height = 0;     ///< m
  double torque_percent = 0;    ///< highest |torque| / limit over the robot's motors, %
  double hanky_error_deg = 0;   ///< deg, largest |phase error| of the spinning handkerchiefs
};

/// Reads robot `robot`'s signals now.
PlotSample SamplePlot(const Transport& transport, int robot);

/// A sliding window of samples of one robot.
class RobotPlots {
 public:
  /// Keeps the last `window` seconds of sim time.
  explicit RobotPlots(double window = 10) : window_(window) {}
  /// Adds the sample of `robot` now; starts over when the robot or the run changed (a
  /// different robot, time going back after a seek or restart, or a jump forward).
  void Sample(const Transport& transport, int robot);
  /// Drops every sample.
  void Clear() { samples_.clear(); }
  /// The robot plotted (-1: none yet).
  int robot() const { return robot_; }
  /// The samples, oldest first.
  const std::deque<PlotSample>& samples() const { return samples_; }
  /// One signal as floats for ImGui::PlotLines.
  template <typename Get>
  std::vector<float> Series(Get get) const {
    std::vector<float> values;
    values.reserve(samples_.size());
    for (const PlotSample& s : samples_) values.push_back(static_cast<float>(get(s)));
    return values;
  }

 private:
  double window_;
  int robot_ = -1;
  std::deque<PlotSample> samples_;
};

}  // namespace yangbot

#endif  // YANGBOT_TOOLS_VIEWER_PLOTS_H_
