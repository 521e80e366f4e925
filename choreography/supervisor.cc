#include "choreography/supervisor.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>
#include <utility>

#include "choreography/check_plan.h"
#include "choreography/synced_reference.h"
#include "controllers/angles.h"
#include "controllers/localisation.h"
#include "controllers/reference_follower.h"

namespace yangbot {

SplicedReference::SplicedReference(std::shared_ptr<const ReferenceSource> before,
                                   std::shared_ptr<const ReferenceSource> after, double splice_time)
    : before_(std::move(before)), after_(std::move(after)), splice_time_(splice_time) {}

void SplicedReference::Sample(double t, RobotReference* out) const {
  (t < splice_time_ ? before_ : after_)->Sample(t, out);
}

void SplicedReference::SampleFrom(double t, ReferenceCursor* cursor, RobotReference* out) const {
  (t < splice_time_ ? before_ : after_)->SampleFrom(t, cursor, out);
}

double ReferenceJump(const RobotReference& a, const RobotReference& b) {
  double jump = (a.com - b.com).norm();
  jump = std::max(jump, std::abs(WrapAngle(a.pelvis_yaw - b.pelvis_yaw)));
  for (int f = 0; f < 2; ++f) {
    jump = std::max(jump, (a.feet[f].position - b.feet[f].position).norm());
    jump = std::max(jump, std::abs(WrapAngle(a.feet[f].yaw - b.feet[f].yaw)));
  }
  return jump;
}

bool RobotLost(const RunState& state, int robot) {
  const size_t r = static_cast<size_t>(robot);
  if (r < state.powered.size() && !state.powered[r]) return true;
  if (r < state.health.size() && state.health[r].failed) return true;
  if (r < state.controllers.size() && state.controllers[r] && state.controllers[r]->fallen()) {
    return true;
  }
  return r < state.metrics.robots.size() && state.metrics.robots[r].fallen;
}

Pose2 MeasuredPelvis(const Scene& scene, const mjData& d, int robot) {
  const int body = scene.robot(robot).body_begin;
  const mjtNum* R = d.xmat + 9 * body;  // row-major: R[3] = R_yx, R[0] = R_xx
  return {d.xpos[3 * body], d.xpos[3 * body + 1], std::atan2(R[3], R[0])};
}

std::vector<Pose2> LyingBody(const Scene& scene, const mjData& d, int robot, const Pose2& pelvis) {
  const RobotInfo& info = scene.robot_info();
  const Pose2 measured = MeasuredPelvis(scene, d, robot);
  const double c0 = std::cos(measured.yaw), s0 = std::sin(measured.yaw);
  const double c = std::cos(pelvis.yaw), s = std::sin(pelvis.yaw);
  std::vector<Pose2> points;
  for (int k = 0; k < info.ngeom; ++k) {
    if ((info.geom_contype[k] | info.geom_conaffinity[k]) == 0) continue;
    const mjtNum* at = d.geom_xpos + 3 * (scene.robot(robot).geom_begin + k);
    // In the pelvis's frame as measured, then at `pelvis`.
    const double dx = at[0] - measured.x, dy = at[1] - measured.y;
    const double lx = c0 * dx + s0 * dy, ly = -s0 * dx + c0 * dy;
    const Pose2 point{pelvis.x + c * lx - s * ly, pelvis.y + s * lx + c * ly, 0};
    if (DistanceToPoints(points, point.x, point.y) >= kLyingBodySpacing) points.push_back(point);
  }
  return points;
}

namespace {

// Robot `robot`'s controller as a follower of a plan; null when it follows none.
ReferenceFollower* FollowerOf(const RunState& state, int robot) {
  const auto& controller = state.controllers[static_cast<size_t>(robot)];
  return controller ? controller->follower() : nullptr;
}

// Where a lost robot lies as the conductor knows it: the robot's own estimate when it
// localises itself (controllers/localisation.h: frozen when it fell), else measured.
Pose2 ReportedPelvis(const Scene& scene, const RunState& state, int robot) {
  const ReferenceFollower* follower = FollowerOf(state, robot);
  if (follower != nullptr && follower->localiser() != nullptr) {
    return follower->localiser()->estimate();
  }
  return MeasuredPelvis(scene, *state.data, robot);
}

}  // namespace

void TellNeighbours(const Scene& scene, RunState* state) {
  const int robots = std::min(scene.robot_count(), static_cast<int>(state->controllers.size()));
  std::vector<Eigen::Vector2d> pelvis(static_cast<size_t>(robots));
  for (int r = 0; r < robots; ++r) {
    const Pose2 p = MeasuredPelvis(scene, *state->data, r);
    pelvis[r] = Eigen::Vector2d(p.x, p.y);
  }
  std::vector<Eigen::Vector2d> near;
  for (int r = 0; r < robots; ++r) {
    ReferenceFollower* follower = FollowerOf(*state, r);
    if (follower == nullptr) continue;
    near.clear();
    for (int o = 0; o < robots; ++o) {
      if (o != r && (pelvis[o] - pelvis[r]).norm() < kNeighbourRange) near.push_back(pelvis[o]);
    }
    follower->set_neighbours(near);
  }
}

std::vector<std::shared_ptr<const ReferenceSource>> FollowedReferences(const RunState& state) {
  std::vector<std::shared_ptr<const ReferenceSource>> followed;
  for (int r = 0; r < static_cast<int>(state.controllers.size()); ++r) {
    const ReferenceFollower* follower = FollowerOf(state, r);
    if (follower == nullptr || follower->reference() == nullptr) return {};
    followed.push_back(follower->reference());
  }
  return followed;
}

const ScheduledTransition* NextFormationChange(const Schedule& schedule, double time) {
  const ScheduledTransition* next = nullptr;
  for (const ScheduledTransition& t : schedule.transitions) {
    if (schedule.clock.Time(t.start) + 1e-9 < time) continue;
    if (next == nullptr || t.start < next->start) next = &t;
  }
  return next;
}

ShowSupervisor::ShowSupervisor(ResolvedShow show, Schedule schedule, SupervisorOptions settings)
    : show_(std::move(show)),
      schedule_(std::move(schedule)),
      settings_(std::move(settings)) {}

void ShowSupervisor::ReportRecoveries(const Scene& scene, RunState* state) {
  const int robots = scene.robot_count();
  recovering_.resize(static_cast<size_t>(robots), false);
  recovered_at_.resize(static_cast<size_t>(robots), -1);
  for (int r = 0; r < robots; ++r) {
    const ReferenceFollower* follower = FollowerOf(*state, r);
    if (follower == nullptr) continue;
    const bool now = follower->recovering();
    if (now || RobotLost(*state, r)) recovered_at_[r] = -1;
    if (recovered_at_[r] >= 0 && !follower->catching_up()) {
      const double took = state->data->time - recovered_at_[r];
      char text[160];
      std::snprintf(text, sizeof(text),
                    "back on its plan's places %.1f s (%.0f beats) after its recovery", took,
                    took / schedule_.clock.SecondsPerBeat());
      state->metrics.events.push_back({state->data->time, r, "caught_up", text});
      recovered_at_[r] = -1;
    }
    if (recovering_[r] && !now && !RobotLost(*state, r)) {
      // Back on the plan's beat; CatchUp walks it back to the plan's places.
      double off = 0;
      if (follower->reference()) {
        RobotReference plan;
        follower->reference()->Sample(state->data->time, &plan);
        const Eigen::Vector3d com(state->data->subtree_com + 3 * scene.robot(r).body_begin);
        off = (com - plan.com).head<2>().norm();
      }
      char text[160];
      std::snprintf(text, sizeof(text),
                    "recovered after %d recovery steps: on the beat again, %.2f m from its plan",
                    follower->recovery_steps(), off);
      state->metrics.events.push_back({state->data->time, r, "recovery", text});
      recovered_at_[r] = state->data->time;
    }
    recovering_[r] = now;
  }
}

void ShowSupervisor::AfterStep(const Scene& scene, RunState* state) {
  if (state->steps % kLookEvery == 0) Update(scene, state);
}

std::unique_ptr<StepHook> ShowSupervisor::Clone() const {
  return std::make_unique<ShowSupervisor>(*this);
}

void ShowSupervisor::Update(const Scene& scene, RunState* state) {
  const mjData& d = *state->data;
  const double now = d.time;
  const int robots = std::min(scene.robot_count(), static_cast<int>(schedule_.robots.size()));
  lost_since_.resize(static_cast<size_t>(robots), -1);
  auto planned_around = [&](int r) {
    return std::any_of(reflow_.lost.begin(), reflow_.lost.end(),
                       [r](const LostRobot& l) { return l.robot == r; });
  };
  ReportRecoveries(scene, state);
  TellNeighbours(scene, state);
  std::vector<int> ready;  // lost long enough, not yet planned around
  for (int r = 0; r < robots; ++r) {
    if (lost_since_[r] < 0 && RobotLost(*state, r)) lost_since_[r] = now;
    if (lost_since_[r] >= 0 && now - lost_since_[r] >= settings_.lost_settle &&
        !planned_around(r)) {
      ready.push_back(r);
    }
  }
  if (ready.empty()) return;
  const ScheduledTransition* next = NextFormationChange(schedule_, now + settings_.splice_lead);
  if (next == nullptr) return;  // no change left far enough ahead: the show ends as planned
  const double beat = next->start.ToDouble();
  const size_t lost_count = reflow_.lost.size() + ready.size();
  if (beat == refused_beat_ && lost_count == refused_lost_) return;  // tried: wait for the next

  ReflowRequest reflow = reflow_;
  std::string who;
  for (int r : ready) {
    const Pose2 pelvis = ReportedPelvis(scene, *state, r);
    reflow.lost.push_back({r, pelvis, next->start, LyingBody(scene, d, r, pelvis)});
    char text[64];
    const Pose2& at = reflow.lost.back().pelvis;
    std::snprintf(text, sizeof(text), "%sr%02d at (%.2f, %.2f) m", who.empty() ? "" : ", ", r, at.x,
                  at.y);
    who += text;
  }
  const std::string formation = next->formation;
  char when[96];
  std::snprintf(when, sizeof(when), "formation '%s' on beat %s (%.2f s)", formation.c_str(),
                next->start.ToString().c_str(), schedule_.clock.Time(next->start));
  auto refuse = [&](const std::string& why) {
    refused_beat_ = beat;
    refused_lost_ = lost_count;
    state->metrics.events.push_back(
        {now, -1, "reflow_failed", "lost " + who + ": cannot re-plan " + when + ": " + why});
  };
  // The formation regenerated for the robots left; failing that (the walks to it do not
  // fit the change's beats), every robot to its own slot, around the lost ones.
  Schedule schedule;
  std::string why;
  auto plan = [&]() {
    for (const bool regenerate : {true, false}) {
      reflow.regenerate_formations = regenerate;
      Diagnostics diagnostics;
      try {
        schedule = PlanSchedule(show_, schedule_.gait, reflow, &diagnostics);
      } catch (const std::exception& e) {  // a bug in the scheduler must not end the show
        diagnostics.Error({1, 1}, std::string("internal error while re-planning: ") + e.what());
      }
      if (!diagnostics.has_errors()) return true;
      if (why.empty()) {
        for (const Diagnostic& problem : diagnostics.items()) {
          if (problem.severity == Severity::kError && why.empty()) why = problem.message;
        }
      }
    }
    return false;
  };
  // Failing both, the change is held (everyone left stays where they stand), and as many
  // of the following changes as it takes: better formations left unfilled than robots
  // walking into one lying across their way (the default show, r05 fallen between two
  // slots at 34.5 s: no walk around it fitted 24 beats, and r01 walked into it).
  int held = 0;
  if (!plan()) {
    std::vector<Beats> later;
    for (const ScheduledTransition& t : schedule_.transitions) {
      if (!(t.start < next->start) &&
          std::find(later.begin(), later.end(), t.start) == later.end()) {
        later.push_back(t.start);
      }
    }
    std::sort(later.begin(), later.end());
    const size_t already = reflow.hold_changes.size();
    for (size_t n = 1; n <= later.size() && held == 0; ++n) {
      reflow.hold_changes.resize(already);
      reflow.hold_changes.insert(reflow.hold_changes.end(), later.begin(), later.begin() + n);
      if (plan()) held = static_cast<int>(n);
    }
    if (held == 0) return refuse(why);
  }
  CompiledShow compiled;
  try {
    compiled = CompileSchedule(schedule, settings_.compile);
  } catch (const std::exception& e) {
    return refuse(e.what());
  }

  // Splice every survivor's reference now; both plans agree up to here (see the top of
  // supervisor.h), which ReferenceJump checks.
  std::vector<std::pair<ReferenceFollower*, std::shared_ptr<const ReferenceSource>>> splices;
  double worst = 0;
  int worst_robot = -1;
  for (int r = 0; r < robots && r < static_cast<int>(compiled.references.size()); ++r) {
    if (lost_since_[r] >= 0) continue;
    ReferenceFollower* controller = FollowerOf(*state, r);
    if (controller == nullptr || !controller->reference()) continue;
    RobotReference before, after;
    ConductorReference(controller->reference())->Sample(now, &before);
    compiled.references[r]->Sample(now, &after);
    const double jump = ReferenceJump(before, after);
    if (jump > worst) {
      worst = jump;
      worst_robot = r;
    }
    // A robot on its own clock gets the re-plan as a message (synced_reference.h).
    splices.emplace_back(controller,
                         SpliceReference(controller->reference(), compiled.references[r], now));
  }
  if (worst > settings_.max_jump) {
    char text[128];
    std::snprintf(text, sizeof(text), "robot r%02d's reference would jump %.3f m", worst_robot,
                  worst);
    return refuse(text);
  }
  for (auto& [controller, reference] : splices) controller->set_reference(std::move(reference));

  std::string into;
  for (const ScheduledTransition& t : schedule.transitions) {
    if (t.start == next->start && t.formation == formation) {
      into = t.held ? "their places (no walks, but out of a lost robot's reach)"
             : t.regenerated ? "the formation for the robots left"
                             : "free slots of the formation (one lies too close to a lost robot)";
    }
  }
  // The planned pelvises from the change to the end: the robots left among themselves (as
  // the run's min_separation measures them) and from every point of a lost robot's body
  // (which robots standing near it when it fell may start closer to).
  const ReplanClearance clearance = ClearanceFrom(schedule, reflow, next->start);
  if (held > 0) {
    char text[64];
    std::snprintf(text, sizeof(text), " (%d formation change%s held)", held, held > 1 ? "s" : "");
    into += text + std::string("; no walk around the lost robots fitted: ") + why;
  }
  char text[700];
  std::snprintf(text, sizeof(text),
                "lost %s: %zu robots re-planned from %s into %s, %.2f m apart at least, %.2f m "
                "from the lost robots' bodies",
                who.c_str(), splices.size(), when, into.c_str(), clearance.between,
                clearance.from_lost);
  state->metrics.events.push_back({now, -1, "reflow", text});
  schedule_ = std::move(schedule);
  reflow_ = std::move(reflow);
  ++reflows_;
}

void SuperviseShow(ResolvedShow show, Schedule schedule, RunState* state,
                   SupervisorOptions settings) {
  state->hook = std::make_unique<ShowSupervisor>(std::move(show), std::move(schedule),
                                                 std::move(settings));
}

const ShowSupervisor* SupervisorOf(const RunState& state) {
  // The hook is type-erased in sim/ (which knows no choreography); only SuperviseShow puts
  // a ShowSupervisor there.
  return dynamic_cast<const ShowSupervisor*>(state.hook.get());
}

}  // namespace yangbot
