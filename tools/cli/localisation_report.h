// `yangbot run`'s lidar localisation (controllers/localisation.h): the setup a run's options
// and show ask for, the stage's landmarks, and the report's fields:
//   localisation                 "perfect" or "lidar"
//   localisation_error_m_rms     m, RMS over robots and physics steps of |estimated - true
//                                pelvis position| (robots standing and powered); null: perfect
//   localisation_error_m_max     m, the largest such error
//   localisation_heading_error_deg_rms  deg, the same for the heading
//   lidar_scans, lidar_scans_used      scans taken, and those that corrected a pose
//   lidar_candidate_geoms          geoms a scan tests its rays against (last scans, mean over robots)
//   lidar_cpu_share              lidar ray casting time / physics time (wall-clock, a ratio)
//   localiser_cpu_share          the whole localiser's time (rays, odometry, ICP) / physics
//   per_robot[i].localisation_error_m_rms / _max
#ifndef YANGBOT_TOOLS_CLI_LOCALISATION_REPORT_H_
#define YANGBOT_TOOLS_CLI_LOCALISATION_REPORT_H_

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

#include "choreography/choreography.h"
#include "controllers/localisation.h"
#include "sim/runner.h"

namespace yangbot {

/// The localisation of a run: `spec` (--localisation: "", "perfect", "lidar" or
/// "lidar:KEY=VALUE,...") over the show's `localisation:` key (`show` may be null). Returns
/// null for perfect; throws Error on a bad spec.
std::shared_ptr<LocalisationSetup> MakeRunLocalisation(const std::string& spec, const Show* show,
                                                       uint64_t seed);

/// The stage's landmarks: the show's `stage:` block (or, with `lidar`, the default set around
/// its formations and `placements`); without a show, the default set around `placements` when
/// `lidar`, else none.
std::vector<Landmark> RunLandmarks(const LoadedShow* show, const std::vector<Placement>& placements,
                                   bool lidar);

/// Accumulates every robot's estimate against the truth after each step.
class LocalisationError {
 public:
  /// Robots of `scene`.
  explicit LocalisationError(int robots);
  /// Compares each active robot's localiser estimate with its pelvis in `d` (the
  /// kinematics its last tick saw).
  void Update(const Scene& scene, const RunState& state, const std::vector<bool>& active);
  /// Adds the fields above (nulls without localisers); `physics_seconds` is the run's
  /// physics wall time (0: unknown).
  void AddReport(const RunState& state, double physics_seconds, nlohmann::json* report) const;

 private:
  std::vector<double> sum_sq_, max_, heading_sq_;
  std::vector<long> samples_;
  bool any_ = false;
};

}  // namespace yangbot

#endif  // YANGBOT_TOOLS_CLI_LOCALISATION_REPORT_H_
