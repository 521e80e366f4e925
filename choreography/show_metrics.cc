#include "choreography/show_metrics.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "controllers/angles.h"
#include "controllers/robot_state.h"

namespace yangbot {
namespace {

constexpr double kDegrees = 180.0 / 3.14159265358979323846;
// Limb channels whose joints are compared for sync, in the order of limb_qpos_.
constexpr Limb kSyncLimbs[3] = {kLegs, kWaist, kArms};

// Index in kSyncLimbs of an actuator's joint, by its name; -1 for the handkerchiefs
// and anything unknown.
int SyncLimbOfActuator(const std::string& name) {
  auto has = [&](const char* part) { return name.find(part) != std::string::npos; };
  if (has("hanky")) return -1;
  if (has("hip") || has("knee") || has("ankle")) return 0;
  if (has("torso")) return 1;
  if (has("shoulder") || has("elbow")) return 2;
  return -1;
}

// Identity of "the same move at the same time" (see the file comment of the header).
std::string CueKey(const ScheduledCue& cue) {
  std::string key = cue.move->spec().name + "|" + cue.start.ToString() + "|" +
                    cue.length.ToString() + "|" + (cue.mirror ? "m" : "-");
  char number[32];
  for (double value : cue.params.numbers) {
    std::snprintf(number, sizeof(number), "|%.17g", value);
    key += number;
  }
  for (const std::string& word : cue.params.words) key += "|" + word;
  return key;
}

// Value of the number parameter `name` of a cue of `move`.
double ParamNumber(const Move& move, const ParamValues& params, const std::string& name) {
  const auto& specs = move.spec().params;
  for (size_t k = 0; k < specs.size(); ++k) {
    if (specs[k].name == name) return params.Number(k);
  }
  return 0;
}

nlohmann::json Optional(const std::optional<double>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

}  // namespace

std::optional<double> RmsAccumulator::Rms() const {
  if (count_ == 0) return std::nullopt;
  return std::sqrt(sum_squares_ / static_cast<double>(count_));
}

std::vector<double> DeviationsFromMean(const std::vector<double>& values) {
  double mean = 0;
  for (double v : values) mean += v;
  if (!values.empty()) mean /= static_cast<double>(values.size());
  std::vector<double> deviations;
  deviations.reserve(values.size());
  for (double v : values) deviations.push_back(v - mean);
  return deviations;
}

std::vector<std::optional<double>> MatchTouchdowns(const std::vector<double>& planned,
                                                   const std::vector<double>& half_window,
                                                   const std::vector<double>& onsets) {
  std::vector<std::optional<double>> matched;
  matched.reserve(planned.size());
  for (size_t k = 0; k < planned.size(); ++k) {
    const double from = planned[k] - half_window[k];
    const auto it = std::lower_bound(onsets.begin(), onsets.end(), from);
    if (it != onsets.end() && *it <= planned[k] + half_window[k]) {
      matched.push_back(*it);
    } else {
      matched.push_back(std::nullopt);
    }
  }
  return matched;
}

std::vector<std::string> ShowMetricNames() {
  return {"formation_error_m_rms", "sync_error_deg_rms", "spin_phase_error_deg_rms",
          "beat_timing_error_ms_rms", "touchdowns_missed"};
}

nlohmann::json ShowMetricsJson(const ShowMetricsResult& result) {
  nlohmann::json json;
  json["formation_error_m_rms"] = Optional(result.formation_error_m_rms);
  json["sync_error_deg_rms"] = Optional(result.sync_error_deg_rms);
  json["spin_phase_error_deg_rms"] = Optional(result.spin_phase_error_deg_rms);
  json["beat_timing_error_ms_rms"] = Optional(result.beat_timing_error_ms_rms);
  json["touchdowns_planned"] = result.touchdowns_planned;
  json["touchdowns_missed"] = result.touchdowns_missed;
  nlohmann::json robots = nlohmann::json::array();
  for (const RobotShowMetrics& r : result.robots) {
    robots.push_back({{"formation_error_m_rms", Optional(r.formation_error_m_rms)},
                      {"sync_error_deg_rms", Optional(r.sync_error_deg_rms)},
                      {"spin_phase_error_deg_rms", Optional(r.spin_phase_error_deg_rms)},
                      {"beat_timing_error_ms_rms", Optional(r.beat_timing_error_ms_rms)},
                      {"touchdowns_planned", r.touchdowns_planned},
                      {"touchdowns_missed", r.touchdowns_missed}});
  }
  json["per_robot"] = robots;
  return json;
}

ShowMetrics::ShowMetrics(const Scene& scene, const Schedule& schedule, const CompiledShow& show,
                         const ShowMetricsOptions& options)
    : scene_(scene), references_(show.references), options_(options) {
  const RobotInfo& info = scene.robot_info();
  const RobotLayout layout = RobotLayout::Resolve(info);
  for (int a = 0; a < info.nu; ++a) {
    const int limb = SyncLimbOfActuator(info.actuator_names[a]);
    if (limb >= 0) limb_qpos_[limb].push_back(info.actuator_qpos[a]);
  }
  if (layout.left_hanky >= 0) hanky_qpos_[0] = info.actuator_qpos[layout.left_hanky];
  if (layout.right_hanky >= 0) hanky_qpos_[1] = info.actuator_qpos[layout.right_hanky];

  const mjModel* m = scene.model();
  foot_of_body_.assign(m->nbody, -1);
  const int robots = scene.robot_count();
  robots_.resize(robots);
  for (int i = 0; i < robots; ++i) {
    const int begin = scene.robot(i).body_begin;
    foot_of_body_[begin + layout.left_foot_body] = 2 * i;
    foot_of_body_[begin + layout.right_foot_body] = 2 * i + 1;
  }
  AddPlan(schedule, -std::numeric_limits<double>::infinity());
}

void ShowMetrics::AddPlan(const Schedule& schedule, double from) {
  const double beat = schedule.clock.SecondsPerBeat();
  const int robots = std::min(scene_.robot_count(), static_cast<int>(schedule.robots.size()));
  for (int i = 0; i < robots; ++i) {
    const RobotSchedule& rs = schedule.robots[i];
    RobotData& r = robots_[i];
    for (const ScheduledCue& c : rs.cues) {
      const double end = schedule.clock.Time(c.start + c.length);
      if (end < from) continue;
      if (c.move->spec().name == "walk_to") {
        r.formations.push_back(
            {end, ParamNumber(*c.move, c.params, "x"), ParamNumber(*c.move, c.params, "y")});
      }
      if (!(c.limbs & (kLegs | kWaist | kArms))) continue;
      const auto [it, added] = cue_keys_.emplace(CueKey(c), static_cast<int>(cue_keys_.size()));
      r.cues.push_back({std::max(from, schedule.clock.Time(c.start)), end, it->second, c.limbs});
    }
    std::sort(r.formations.begin() + r.next_formation, r.formations.end());
    std::stable_sort(r.cues.begin(), r.cues.end(),
                     [](const Cue& a, const Cue& b) { return a.start < b.start; });
    for (const ScheduledStep& s : rs.steps) {
      const double land = schedule.clock.Time(s.step.land);
      if (land < from) continue;
      const int foot = s.step.foot == Foot::kLeft ? 0 : 1;
      r.planned[foot].push_back(land);
      r.half_window[foot].push_back(0.5 * s.step.duration.ToDouble() * beat);
    }
    for (int foot = 0; foot < 2; ++foot) {
      // Keep touch-downs sorted (their windows with them).
      std::vector<std::pair<double, double>> both;
      for (size_t k = 0; k < r.planned[foot].size(); ++k) both.push_back({r.planned[foot][k], r.half_window[foot][k]});
      std::stable_sort(both.begin(), both.end(),
                       [](const auto& a, const auto& b) { return a.first < b.first; });
      for (size_t k = 0; k < both.size(); ++k) std::tie(r.planned[foot][k], r.half_window[foot][k]) = both[k];
    }
  }
}

void ShowMetrics::FollowSchedule(const Schedule& schedule, double from,
                                 std::vector<std::shared_ptr<const ReferenceSource>> references) {
  if (!references.empty()) references_ = std::move(references);
  const int robots = std::min(scene_.robot_count(), static_cast<int>(schedule.robots.size()));
  for (int i = 0; i < robots; ++i) {
    RobotData& r = robots_[i];
    // Drop what the old plan had from `from` on (formation ends not yet measured).
    std::erase_if(r.formations, [&](const std::array<double, 3>& f) { return f[0] >= from; });
    r.next_formation = std::min(r.next_formation, r.formations.size());
    std::erase_if(r.cues, [&](const Cue& c) { return c.start >= from; });
    for (Cue& c : r.cues) c.end = std::min(c.end, from);
    for (int foot = 0; foot < 2; ++foot) {
      size_t keep = 0;
      for (size_t k = 0; k < r.planned[foot].size(); ++k) {
        if (r.planned[foot][k] >= from) continue;
        r.planned[foot][keep] = r.planned[foot][k];
        r.half_window[foot][keep] = r.half_window[foot][k];
        ++keep;
      }
      r.planned[foot].resize(keep);
      r.half_window[foot].resize(keep);
    }
  }
  AddPlan(schedule, from);
}

void ShowMetrics::Update(const mjData& d, const std::vector<bool>& active) {
  const mjModel* m = scene_.model();
  const int robots = scene_.robot_count();
  for (int i = 0; i < robots; ++i) {
    if (!active[i]) robots_[i].inactive_since = std::min(robots_[i].inactive_since, d.time);
  }

  // Contact onsets of the feet. After a step, d's contacts are those mj_step1 found in the
  // state one timestep before d.time (the integration moved on without them), so an onset
  // is that state's time.
  const double contact_time = d.time - m->opt.timestep;
  std::vector<char> contact(2 * robots, 0);
  for (int c = 0; c < d.ncon; ++c) {
    for (int geom : {d.contact[c].geom1, d.contact[c].geom2}) {
      const int foot = foot_of_body_[m->geom_bodyid[geom]];
      if (foot >= 0) contact[foot] = 1;
    }
  }
  for (int i = 0; i < robots; ++i) {
    RobotData& r = robots_[i];
    for (int foot = 0; foot < 2; ++foot) {
      const bool now = contact[2 * i + foot];
      if (started_ && now && !r.in_contact[foot] && d.time < r.inactive_since) {
        r.onsets[foot].push_back(contact_time);
      }
      r.in_contact[foot] = now;
    }
  }
  started_ = true;

  // Formation changes that ended by now.
  for (int i = 0; i < robots; ++i) {
    RobotData& r = robots_[i];
    while (r.next_formation < r.formations.size() &&
           d.time >= r.formations[r.next_formation][0] - 1e-9) {
      const auto& [end, slot_x, slot_y] = r.formations[r.next_formation];
      ++r.next_formation;
      if (d.time >= r.inactive_since) continue;
      const double* pelvis = d.xpos + 3 * scene_.robot(i).body_begin;
      const double dx = pelvis[0] - slot_x;
      const double dy = pelvis[1] - slot_y;
      const double error = std::hypot(dx, dy);
      r.formation.Add(error);
      formation_.Add(error);
    }
  }

  if (d.time >= next_sample_ - 1e-9) {
    Sample(d, active);
    // Next sample on the period grid.
    next_sample_ =
        (std::floor(d.time / options_.sample_period + 1e-6) + 1) * options_.sample_period;
  }
}

void ShowMetrics::Sample(const mjData& d, const std::vector<bool>& active) {
  const int robots = scene_.robot_count();
  const int references = static_cast<int>(references_.size());
  // Groups doing the same move now: key -> (robots, limbs).
  std::map<int, std::pair<std::vector<int>, LimbSet>> groups;
  RobotReference ref;
  for (int i = 0; i < robots && i < references; ++i) {
    if (!active[i] || d.time >= robots_[i].inactive_since) continue;
    for (const Cue& c : robots_[i].cues) {
      if (c.start > d.time) break;
      if (d.time >= c.end) continue;
      auto& group = groups[c.key];
      group.first.push_back(i);
      group.second = c.limbs;
    }
    // Handkerchief phase.
    references_[i]->Sample(d.time, &ref);
    const int qpos = scene_.robot(i).qpos_begin;
    for (int side = 0; side < 2; ++side) {
      if (hanky_qpos_[side] < 0 || !ref.hanky[side].spinning) continue;
      const double error =
          WrapAngle(d.qpos[qpos + hanky_qpos_[side]] - ref.hanky[side].phase) * kDegrees;
      robots_[i].spin.Add(error);
      spin_.Add(error);
    }
  }
  std::vector<double> angles;
  for (const auto& [key, group] : groups) {
    const std::vector<int>& members = group.first;
    if (members.size() < 2) continue;
    for (int limb = 0; limb < 3; ++limb) {
      if (!(group.second & kSyncLimbs[limb])) continue;
      for (int joint : limb_qpos_[limb]) {
        angles.clear();
        for (int i : members) angles.push_back(d.qpos[scene_.robot(i).qpos_begin + joint]);
        const std::vector<double> deviations = DeviationsFromMean(angles);
        for (size_t k = 0; k < members.size(); ++k) {
          robots_[members[k]].sync.Add(deviations[k] * kDegrees);
          sync_.Add(deviations[k] * kDegrees);
        }
      }
    }
  }
}

ShowMetricsResult ShowMetrics::Result(double end_time) const {
  ShowMetricsResult result;
  result.formation_error_m_rms = formation_.Rms();
  result.sync_error_deg_rms = sync_.Rms();
  result.spin_phase_error_deg_rms = spin_.Rms();
  RmsAccumulator timing;
  for (const RobotData& r : robots_) {
    RobotShowMetrics robot;
    robot.formation_error_m_rms = r.formation.Rms();
    robot.sync_error_deg_rms = r.sync.Rms();
    robot.spin_phase_error_deg_rms = r.spin.Rms();
    const double judged_until = std::min(end_time, r.inactive_since);
    RmsAccumulator robot_timing;
    for (int foot = 0; foot < 2; ++foot) {
      const auto matched = MatchTouchdowns(r.planned[foot], r.half_window[foot], r.onsets[foot]);
      for (size_t k = 0; k < matched.size(); ++k) {
        if (r.planned[foot][k] + r.half_window[foot][k] > judged_until) continue;
        ++robot.touchdowns_planned;
        if (!matched[k]) {
          ++robot.touchdowns_missed;
          continue;
        }
        const double error_ms = (*matched[k] - r.planned[foot][k]) * 1000.0;
        robot_timing.Add(error_ms);
        timing.Add(error_ms);
      }
    }
    robot.beat_timing_error_ms_rms = robot_timing.Rms();
    result.touchdowns_planned += robot.touchdowns_planned;
    result.touchdowns_missed += robot.touchdowns_missed;
    result.robots.push_back(robot);
  }
  result.beat_timing_error_ms_rms = timing.Rms();
  return result;
}

}  // namespace yangbot
