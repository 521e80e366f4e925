#include "choreography/check_plan.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <tuple>

namespace yangbot {
namespace {

// Problems that several robots share, reported once with the list of robots.
class GroupedProblems {
 public:
  void Add(SourcePos pos, Severity severity, const std::string& message, int robot) {
    const Key key{pos.line, pos.column, severity == Severity::kError, message};
    auto [it, inserted] = robots_.emplace(key, std::vector<int>());
    if (inserted) order_.push_back(key);
    it->second.push_back(robot + 1);
  }
  void Flush(Diagnostics* diagnostics) {
    for (const Key& key : order_) {
      const std::string text = RobotList(robots_[key]) + ": " + std::get<3>(key);
      if (std::get<2>(key)) {
        diagnostics->Error({std::get<0>(key), std::get<1>(key)}, text);
      } else {
        diagnostics->Warning({std::get<0>(key), std::get<1>(key)}, text);
      }
    }
    order_.clear();
    robots_.clear();
  }

 private:
  using Key = std::tuple<int, int, bool, std::string>;
  std::map<Key, std::vector<int>> robots_;
  std::vector<Key> order_;
};

// "bar 5, beat 3" of an absolute beat.
std::string BarAndBeat(double beat, int beats_per_bar) {
  const long long b = std::max(0LL, static_cast<long long>(std::floor(beat + 1e-9)));
  return "bar " + std::to_string(b / beats_per_bar + 1) + ", beat " +
         std::to_string(b % beats_per_bar + 1);
}

// Cues of one robot that overlap on a limb (`rs.cues` by start): per limb, the cue that
// ends last so far.
void CheckOverlaps(const RobotSchedule& rs, int r, GroupedProblems* problems) {
  int last[4] = {-1, -1, -1, -1};
  for (size_t i = 0; i < rs.cues.size(); ++i) {
    const ScheduledCue& c = rs.cues[i];
    for (int limb = 0; limb < 4; ++limb) {
      if (!(c.limbs & (1u << limb))) continue;
      const int j = last[limb];
      if (j >= 0 && c.start < rs.cues[j].start + rs.cues[j].length) {
        const ScheduledCue& other = rs.cues[j];
        problems->Add(c.pos, Severity::kError,
                      c.move->spec().name + " overlaps " + other.move->spec().name + " (line " +
                          std::to_string(other.pos.line) + ") on the " + LimbNames(1u << limb),
                      r);
      }
      if (j < 0 || c.start + c.length > rs.cues[j].start + rs.cues[j].length) {
        last[limb] = static_cast<int>(i);
      }
    }
  }
}

}  // namespace

void CheckPlan(const ResolvedShow& show, const ReflowRequest& reflow,
               const PlanProblems& problems, Schedule* schedule, Diagnostics* diagnostics) {
  const int robots = static_cast<int>(schedule->robots.size());
  GroupedProblems grouped;
  auto add = [&](const RobotProblem& p) { grouped.Add(p.pos, p.severity, p.message, p.robot); };
  for (const RobotProblem& p : problems.transitions) add(p);
  for (int r = 0; r < robots; ++r) {
    CheckOverlaps(schedule->robots[r], r, &grouped);
    if (static_cast<size_t>(r) < problems.steps.size()) {
      for (const RobotProblem& p : problems.steps[r]) add(p);
    }
  }
  grouped.Flush(diagnostics);

  const Reflow lost(reflow, robots);
  // ---- Robots that come too close, at any instant ----
  // The pelvis of each robot as its footsteps place it, moving linearly during each
  // step (see transition.h for why this checks the compiled feet exactly).
  std::vector<PelvisTrack> tracks;
  for (const RobotSchedule& rs : schedule->robots) {
    tracks.push_back(RobotPelvisTrack(rs, schedule->gait));
  }
  for (int i = 0; i < robots; ++i) {
    for (int j = i + 1; j < robots; ++j) {
      // A lost robot's track is its plan, not where it lies; the transitions were planned
      // clear of where it lies.
      if (lost.lost(i) || lost.lost(j)) continue;
      const Approach approach = ClosestApproach(tracks[i], tracks[j]);
      schedule->min_separation = std::min(schedule->min_separation, approach.distance);
      if (approach.distance >= kMinRobotDistance - 1e-9 || problems.reported.count({i, j}) > 0) continue;
      const Pose2 a = tracks[i].pelvis.front(), b = tracks[j].pelvis.front();
      if (std::hypot(a.x - b.x, a.y - b.y) < kMinRobotDistance - 1e-9) continue;  // slots: reported
      // The cue of the step that brought them closest: the one moving then, or last.
      SourcePos pos;
      Beats latest(-1);
      for (int r : {i, j}) {
        const RobotSchedule& rs = schedule->robots[r];
        for (const ScheduledStep& s : rs.steps) {
          if ((s.step.land - s.step.duration).ToDouble() > approach.beat + 1e-9) break;
          if (s.step.land >= latest) {
            latest = s.step.land;
            pos = rs.cues[static_cast<size_t>(s.cue)].pos;
          }
        }
      }
      if (pos.line == 0) {
        for (const SectionSpan& section : show.sections) {
          if (section.start.ToDouble() <= approach.beat &&
              approach.beat <= section.end.ToDouble()) {
            pos = section.at;
          }
        }
      }
      char text[200];
      std::snprintf(text, sizeof(text),
                    "robots %d and %d come within %.2f m of each other on %s (they must keep "
                    "%.1f m apart)",
                    i + 1, j + 1, approach.distance, BarAndBeat(approach.beat, show.beats_per_bar).c_str(),
                    kMinRobotDistance);
      diagnostics->Error(pos, text);
    }
  }
}

ReplanClearance ClearanceFrom(const Schedule& schedule, const ReflowRequest& reflow, Beats from) {
  const int robots = static_cast<int>(schedule.robots.size());
  const Reflow lost(reflow, robots);
  const double beat = from.ToDouble();
  // Each robot left's track cut at `from`.
  std::vector<PelvisTrack> tracks(static_cast<size_t>(robots));
  for (int r = 0; r < robots; ++r) {
    if (lost.lost(r)) continue;
    const PelvisTrack whole = RobotPelvisTrack(schedule.robots[r], schedule.gait);
    PelvisTrack& cut = tracks[r];
    cut = {{beat}, {whole.At(beat)}};
    for (size_t k = 0; k < whole.beats.size(); ++k) {
      if (whole.beats[k] <= beat) continue;
      cut.beats.push_back(whole.beats[k]);
      cut.pelvis.push_back(whole.pelvis[k]);
    }
  }
  ReplanClearance clearance;
  for (int i = 0; i < robots; ++i) {
    if (tracks[i].pelvis.empty()) continue;
    for (int j = i + 1; j < robots; ++j) {
      if (tracks[j].pelvis.empty()) continue;
      clearance.between =
          std::min(clearance.between, ClosestApproach(tracks[i], tracks[j]).distance);
    }
    for (const LostRobot& l : reflow.lost) {
      for (const Pose2& point : LyingPoints(l)) {
        const PelvisTrack still{{beat}, {point}};
        clearance.from_lost =
            std::min(clearance.from_lost, ClosestApproach(tracks[i], still).distance);
      }
    }
  }
  return clearance;
}

}  // namespace yangbot
