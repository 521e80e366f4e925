#include "tools/cli/localisation_report.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "choreography/stage.h"
#include "controllers/angles.h"
#include "controllers/reference_follower.h"
#include "sim/error.h"

namespace yangbot {
namespace {

const Localiser* LocaliserOf(const RunState& state, int robot) {
  const ReferenceFollower* follower =
      state.controllers[robot] ? state.controllers[robot]->follower() : nullptr;
  return follower ? follower->localiser() : nullptr;
}

}  // namespace

std::shared_ptr<LocalisationSetup> MakeRunLocalisation(const std::string& spec, const Show* show,
                                                       uint64_t seed) {
  // The file's choice, which --localisation overrides (its settings on the file's).
  std::shared_ptr<LocalisationSetup> setup = show ? ShowLidarSetup(*show, seed) : nullptr;
  std::string mode = setup ? "lidar" : "perfect";
  if (!setup) {
    setup = std::make_shared<LocalisationSetup>();
    setup->seed = seed;
  }
  if (!spec.empty()) {
    const size_t colon = spec.find(':');
    mode = spec.substr(0, colon);
    LocalisationMode parsed;
    if (!ParseLocalisationMode(mode, &parsed)) {
      throw Error("error: bad --localisation '" + spec + "': lidar or perfect");
    }
    if (colon != std::string::npos) {
      if (mode != "lidar") throw Error("error: bad --localisation '" + spec + "': settings need lidar");
      std::stringstream items(spec.substr(colon + 1));
      std::string item;
      while (std::getline(items, item, ',')) {
        const size_t eq = item.find('=');
        const std::string why =
            eq == std::string::npos
                ? "'" + item + "' is not KEY=VALUE"
                : SetLocalisationOption(&setup->options, item.substr(0, eq), item.substr(eq + 1));
        if (!why.empty()) throw Error("error: bad --localisation '" + spec + "': " + why);
      }
    }
  }
  if (mode != "lidar") return nullptr;
  return setup;
}

std::vector<Landmark> RunLandmarks(const LoadedShow* show, const std::vector<Placement>& placements,
                                   bool lidar) {
  if (show && (show->show.stage || lidar)) return ShowLandmarks(show->show, show->resolved, placements);
  if (!lidar) return {};
  double x_min = 0, x_max = 0, y_min = 0, y_max = 0;
  for (const Placement& p : placements) {
    x_min = std::min(x_min, p.x);
    x_max = std::max(x_max, p.x);
    y_min = std::min(y_min, p.y);
    y_max = std::max(y_max, p.y);
  }
  return DefaultLandmarks(x_min, x_max, y_min, y_max);
}

LocalisationError::LocalisationError(int robots)
    : sum_sq_(robots, 0.0), max_(robots, 0.0), heading_sq_(robots, 0.0), samples_(robots, 0) {}

void LocalisationError::Update(const Scene& scene, const RunState& state,
                               const std::vector<bool>& active) {
  const mjData& d = *state.data;
  for (int r = 0; r < scene.robot_count(); ++r) {
    const Localiser* localiser = LocaliserOf(state, r);
    if (localiser == nullptr || localiser->scans() == 0) continue;
    any_ = true;
    if (r < static_cast<int>(active.size()) && !active[r]) continue;
    const int body = scene.robot(r).body_begin;
    const Pose2& e = localiser->estimate();
    const double err = std::hypot(e.x - d.xpos[3 * body], e.y - d.xpos[3 * body + 1]);
    const mjtNum* R = d.xmat + 9 * body;
    const double heading = WrapAngle(e.yaw - std::atan2(R[3], R[0]));
    sum_sq_[r] += err * err;
    heading_sq_[r] += heading * heading;
    max_[r] = std::max(max_[r], err);
    ++samples_[r];
  }
}

void LocalisationError::AddReport(const RunState& state, double physics_seconds,
                                  nlohmann::json* report) const {
  nlohmann::json& out = *report;
  out["localisation"] = any_ ? "lidar" : "perfect";
  for (const char* key : {"localisation_error_m_rms", "localisation_error_m_max",
                          "localisation_heading_error_deg_rms", "lidar_scans", "lidar_scans_used",
                          "lidar_candidate_geoms", "lidar_cpu_share", "localiser_cpu_share"}) {
    out[key] = nullptr;
  }
  if (!any_) return;
  double sum = 0, heading = 0, worst = 0;
  long n = 0;
  int scans = 0, used = 0;
  double lidar_s = 0, localiser_s = 0, geoms = 0;
  for (size_t r = 0; r < samples_.size(); ++r) {
    sum += sum_sq_[r];
    heading += heading_sq_[r];
    worst = std::max(worst, max_[r]);
    n += samples_[r];
    if (const Localiser* l = LocaliserOf(state, static_cast<int>(r))) {
      scans += l->scans();
      used += l->scans_used();
      lidar_s += l->lidar_seconds();
      localiser_s += l->estimator_seconds();
      geoms += l->last_scan().geoms_tested;
    }
    if (out.contains("per_robot") && r < out["per_robot"].size()) {
      out["per_robot"][r]["localisation_error_m_rms"] =
          samples_[r] ? nlohmann::json(std::sqrt(sum_sq_[r] / samples_[r])) : nlohmann::json();
      out["per_robot"][r]["localisation_error_m_max"] =
          samples_[r] ? nlohmann::json(max_[r]) : nlohmann::json();
    }
  }
  if (n > 0) {
    out["localisation_error_m_rms"] = std::sqrt(sum / n);
    out["localisation_error_m_max"] = worst;
    out["localisation_heading_error_deg_rms"] = std::sqrt(heading / n) * 180 / M_PI;
  }
  out["lidar_scans"] = scans;
  out["lidar_scans_used"] = used;
  out["lidar_candidate_geoms"] = geoms / std::max<size_t>(1, samples_.size());
  if (physics_seconds > 0) {
    out["lidar_cpu_share"] = lidar_s / physics_seconds;
    out["localiser_cpu_share"] = localiser_s / physics_seconds;
  }
}

}  // namespace yangbot
