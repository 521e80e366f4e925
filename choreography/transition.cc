#include "choreography/transition.h"

#include <algorithm>
#include <cstdio>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "choreography/assignment.h"
#include "choreography/progress_search.h"

namespace yangbot {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Progress units of the timing search per step at the envelope's limits: a walk's
// advance changes by half a step from one tick to the next (progress_search.h).
constexpr int kUnitsPerStep = 4;

// Most paths (straight ways of travelling, then detours) the timing search tries for one
// robot in one order of planning.
constexpr int kMostSearchedPaths = 16;

// Detour offsets (m) to the side of the straight line, tried in this order.
constexpr double kDetourOffsets[] = {0.4, 0.8, 1.2, 1.8, 2.5};

double Distance(const Pose2& a, const Pose2& b) { return std::hypot(a.x - b.x, a.y - b.y); }

// Ways of travelling along a path (transition.h): straight in any direction, the facing
// blended evenly with the distance travelled (kDirect); or turning to face the way
// (away from it), walking forward (backward) and turning to the final facing, the first
// and last turns in place or, when the gait turns while it walks, while it starts and
// stops walking (kForwardTurning, kBackwardTurning).
enum class Travel { kDirect, kForward, kBackward, kForwardTurning, kBackwardTurning };

// One stretch of a walk: the pelvis moves linearly (position and yaw) from `from` to
// `to`, taking `steps` steps (real) at the step limits.
struct Phase {
  Pose2 from, to;
  double steps = 0;
};

// A walk's pelvis path from the start to the goal, in phases (a turn in place, a stretch
// of walking, ...). The walk's steps spread over the phases in proportion to the steps
// each needs at the limits, so a slower pace slows every phase alike.
struct Path {
  std::vector<Pose2> points;  // start, waypoints..., goal (yaw of the goal: its facing)
  std::vector<Phase> phases;
  double total = 0;  // steps, summed over the phases
  double length = 0;  // m, travelled
  double turn = 0;    // rad, yaw from the start to the goal (unwrapped along the phases)

  // Pelvis at fraction f of the walk's steps.
  Pose2 At(double f) const {
    if (phases.empty()) return points.back();
    double s = std::clamp(f, 0.0, 1.0) * total;
    for (const Phase& phase : phases) {
      if (s <= phase.steps || &phase == &phases.back()) {
        const double u = phase.steps > 0 ? std::clamp(s / phase.steps, 0.0, 1.0) : 1.0;
        return {phase.from.x + u * (phase.to.x - phase.from.x),
                phase.from.y + u * (phase.to.y - phase.from.y),
                phase.from.yaw + u * (phase.to.yaw - phase.from.yaw)};
      }
      s -= phase.steps;
    }
    return phases.back().to;
  }
};

// Metres one step may travel along (dx, dy) (world, `distance` = its length > 0) by a
// robot whose facing turns from `yaw` by `turn` on the way: the least over the facings.
double StepReach(double dx, double dy, double distance, double yaw, double turn,
                 const GaitEnvelope& envelope, double margin) {
  // At the ends, at fractions of the turn, and where the way lies straight ahead, behind
  // or to a side of the facing (where one limit alone binds and the reach is least).
  std::vector<double> facings;
  for (double f : {0.0, 0.25, 0.5, 0.75, 1.0}) facings.push_back(yaw + f * turn);
  const double heading = std::atan2(dy, dx);
  const double low = std::min(yaw, yaw + turn), high = std::max(yaw, yaw + turn);
  for (double y = heading + std::ceil((low - heading) / (M_PI / 2)) * (M_PI / 2); y <= high;
       y += M_PI / 2) {
    facings.push_back(y);
  }
  double reach = kInf;
  for (double y : facings) {
    const double lx = (std::cos(y) * dx + std::sin(y) * dy) / distance;
    const double ly = (-std::sin(y) * dx + std::cos(y) * dy) / distance;
    double r = kInf;
    if (lx > 1e-12) r = std::min(r, envelope.max_forward / lx);
    if (lx < -1e-12) r = std::min(r, envelope.max_backward / -lx);
    if (std::abs(ly) > 1e-12) r = std::min(r, envelope.max_sideways / std::abs(ly));
    reach = std::min(reach, r * margin);
  }
  return reach;
}

double TurnSteps(double turn, const GaitParams& gait, double margin) {
  return std::abs(turn) / (gait.walk.max_turn * margin);
}

Path MakePath(const Pose2& start, const Pose2& goal, const std::vector<Pose2>& waypoints,
              Travel travel, const GaitParams& gait, double margin) {
  Path path;
  path.points.push_back(start);
  path.points.insert(path.points.end(), waypoints.begin(), waypoints.end());
  path.points.push_back(goal);
  double yaw = start.yaw;
  Pose2 at = start;
  auto add = [&](const Pose2& to, double steps) {
    if (steps <= 1e-12) return;
    path.phases.push_back({at, to, steps});
    path.total += steps;
    at = to;
  };
  auto turn_to = [&](double facing) {
    const double target = yaw + WrapAngle(facing - yaw);
    add({at.x, at.y, target}, TurnSteps(target - yaw, gait, margin));
    yaw = target;
  };
  double total_length = 0;
  for (size_t i = 1; i < path.points.size(); ++i) {
    total_length += Distance(path.points[i - 1], path.points[i]);
  }
  path.length = total_length;
  const double final_yaw = start.yaw + WrapAngle(goal.yaw - start.yaw);
  double travelled = 0;
  for (size_t i = 1; i < path.points.size(); ++i) {
    const double dx = path.points[i].x - path.points[i - 1].x;
    const double dy = path.points[i].y - path.points[i - 1].y;
    const double length = std::hypot(dx, dy);
    if (length <= 1e-9) continue;
    if (travel == Travel::kDirect) {
      // The facing turns evenly with the distance travelled.
      const double f1 = (travelled + length) / total_length;
      const double to_yaw = start.yaw + f1 * (final_yaw - start.yaw);
      add({path.points[i].x, path.points[i].y, to_yaw},
          WalkSteps(dx, dy, yaw, to_yaw - yaw, gait, margin));
      yaw = to_yaw;
    } else {
      const bool backward = travel == Travel::kBackward || travel == Travel::kBackwardTurning;
      const bool turning = travel == Travel::kForwardTurning || travel == Travel::kBackwardTurning;
      const double heading = std::atan2(dy, dx) + (backward ? M_PI : 0.0);
      const double ux = dx / length, uy = dy / length;
      // Distance covered while turning by `turn` from `from_yaw` along the segment, at
      // most `most`: the turn's steps at the least reach on the way.
      auto turning_reach = [&](double from_yaw, double turn, double most) {
        return std::min(most, TurnSteps(turn, gait, margin) *
                                  StepReach(ux, uy, 1.0, from_yaw, turn, gait.walk, margin));
      };
      double done = 0;  // m of this segment walked
      if (turning && i == 1) {
        // Turn to face the way while the first steps travel.
        const double turn = WrapAngle(heading - yaw);
        const double a = std::abs(turn) > 1e-9 ? turning_reach(yaw, turn, length / 2) : 0.0;
        if (a > 1e-9) {
          add({at.x + a * ux, at.y + a * uy, yaw + turn},
              WalkSteps(a * ux, a * uy, yaw, turn, gait, margin));
          yaw += turn;
          done = a;
        }
      }
      turn_to(heading);
      const double reach = (backward ? gait.walk.max_backward : gait.walk.max_forward) * margin;
      double b = 0;  // m at the segment's end in which the last turn is taken
      const double last_turn = WrapAngle(goal.yaw - yaw);
      if (turning && i + 1 == path.points.size() && std::abs(last_turn) > 1e-9) {
        b = turning_reach(yaw, last_turn, (length - done) / 2);
      }
      add({path.points[i].x - b * ux, path.points[i].y - b * uy, yaw},
          (length - done - b) / reach);
      if (b > 1e-9) {
        add({path.points[i].x, path.points[i].y, yaw + last_turn},
            WalkSteps(b * ux, b * uy, yaw, last_turn, gait, margin));
        yaw += last_turn;
      }
    }
    travelled += length;
  }
  turn_to(goal.yaw);
  path.turn = yaw - start.yaw;
  return path;
}

// The travel that needs the fewest steps first.
std::vector<Path> PathsByPace(const Pose2& start, const Pose2& goal,
                              const std::vector<Pose2>& waypoints, const GaitParams& gait,
                              double margin) {
  std::vector<Path> out;
  for (Travel travel : {Travel::kDirect, Travel::kForward, Travel::kBackward}) {
    out.push_back(MakePath(start, goal, waypoints, travel, gait, margin));
  }
  if (gait.walk.turns_while_walking) {
    for (Travel travel : {Travel::kForwardTurning, Travel::kBackwardTurning}) {
      out.push_back(MakePath(start, goal, waypoints, travel, gait, margin));
    }
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Path& a, const Path& b) { return a.total < b.total - 1e-9; });
  return out;
}

// The footsteps and step-by-step pelvis of a walk along `path` timed by `progress`: the
// fraction of the path reached at each window tick 0..ticks (nondecreasing, 0 first). It
// stands until the progress first grows, then steps on every tick, each foot landing about
// the frame the path reaches at that tick (in place while the progress stays), until the
// tick after it reaches the end, whose step closes the feet square. A step lands every
// `tick` beats, window tick 1 `lead` + `tick` beats after the window opens. Returns "" or
// why the steps break the limits (or do not fit the window).
std::string BuildTimedWalk(const Stance& feet, const Path& path,
                           const std::vector<double>& progress, Beats lead, Beats tick,
                           const GaitParams& gait, const FootstepPlanner& planner,
                           PlannedWalk* walk) {
  const int ticks = static_cast<int>(progress.size()) - 1;
  walk->steps.clear();
  walk->pelvis.assign(static_cast<size_t>(ticks) + 1, PelvisOfStance(feet, gait));
  walk->delay = 0;
  const Pose2 start = path.points.front();
  const Pose2 goal = path.At(1);
  const Stance square = StanceAtPelvis(goal, gait);
  const bool at_rest = path.total <= 1e-9 && Distance(feet.left, square.left) < 1e-6 &&
                       Distance(feet.right, square.right) < 1e-6 &&
                       std::abs(WrapAngle(feet.left.yaw - square.left.yaw)) < 1e-6 &&
                       std::abs(WrapAngle(feet.right.yaw - square.right.yaw)) < 1e-6;
  if (at_rest) return "";
  int first = 1;
  while (first <= ticks && progress[static_cast<size_t>(first)] <= 0) ++first;
  if (first + 1 > ticks) return "too few beats";
  walk->delay = first - 1;
  // First foot: the one on the side the robot turns to, or moves to.
  Foot foot = Foot::kLeft;
  {
    const Pose2 ahead = path.At(progress[static_cast<size_t>(first)]);
    const double c = std::cos(start.yaw), s = std::sin(start.yaw);
    const double ly = -s * (ahead.x - start.x) + c * (ahead.y - start.y);
    const double turn = ahead.yaw - start.yaw;
    if (turn < -1e-6 || (std::abs(turn) <= 1e-6 && ly < -1e-3)) foot = Foot::kRight;
  }
  Stance now = feet;
  for (int b = first; b <= ticks; ++b) {
    const double f = progress[static_cast<size_t>(b)];
    const bool closing = f >= 1 && b > first && progress[static_cast<size_t>(b) - 1] >= 1;
    BeatStep step;
    step.foot = foot;
    step.pose = StanceAtPelvis(closing ? goal : path.At(f), gait).foot(foot);
    step.land = lead + tick * static_cast<int64_t>(b);
    step.duration = tick;
    const std::string bad = planner.CheckStep(foot, step.pose, now.foot(OtherFoot(foot)));
    if (!bad.empty()) return bad;
    now.foot(foot) = step.pose;
    walk->steps.push_back(step);
    for (size_t k = static_cast<size_t>(b); k < walk->pelvis.size(); ++k) {
      walk->pelvis[k] = PelvisOfStance(now, gait);
    }
    foot = OtherFoot(foot);
    if (closing) return "";
  }
  return "too few beats";
}

// BuildTimedWalk at an even pace: `delay` ticks standing, `moving` steps of travel, one
// closing step.
std::string BuildWalk(const Stance& feet, const Path& path, int delay, int moving, int ticks,
                      Beats lead, Beats tick, const GaitParams& gait,
                      const FootstepPlanner& planner, PlannedWalk* walk) {
  if (path.total <= 1e-9 || moving < 1) moving = 1;  // square up the feet where it stands
  std::vector<double> progress(static_cast<size_t>(std::max(ticks, 0)) + 1);
  for (int b = 0; b <= ticks; ++b) {
    progress[static_cast<size_t>(b)] =
        std::clamp(static_cast<double>(b - delay) / moving, 0.0, 1.0);
  }
  return BuildTimedWalk(feet, path, progress, lead, tick, gait, planner, walk);
}

// ceil(a / b) and floor(a / b) of exact beats (b > 0).
int64_t CeilDiv(const Beats& a, const Beats& b) {
  const int64_t n = a.num() * b.den(), d = a.den() * b.num();
  return n >= 0 ? (n + d - 1) / d : -((-n) / d);
}
int64_t FloorDiv(const Beats& a, const Beats& b) {
  const int64_t n = a.num() * b.den(), d = a.den() * b.num();
  return n >= 0 ? n / d : -((-n + d - 1) / d);
}

// Positions of every robot at the beats of a transition, on one grid: index g is beat
// base + g. Between two indices each robot moves linearly (see the file comment).
using GridTrack = std::vector<Pose2>;

// Least distance of two grid tracks.
double GridApproach(const GridTrack& a, const GridTrack& b) {
  if (a.size() == 1 || b.size() == 1) {
    // One stands still: compare against each beat of the other.
    const GridTrack& moving = a.size() == 1 ? b : a;
    const Pose2& still = a.size() == 1 ? a.front() : b.front();
    if (moving.size() == 1) return Distance(still, moving.front());
    double best = kInf;
    for (size_t g = 1; g < moving.size(); ++g) {
      best = std::min(best, ClosestApproach(moving[g - 1], moving[g], still, still));
    }
    return best;
  }
  double best = kInf;
  for (size_t g = 1; g < a.size() && g < b.size(); ++g) {
    best = std::min(best, ClosestApproach(a[g - 1], a[g], b[g - 1], b[g]));
  }
  return best;
}

// Clearance two robots must keep: `wanted` where their start and end positions allow it,
// never more than those distances (slots 0.65 m apart are legal).
double PairClearance(const Pose2& start, const Pose2& end, const GridTrack& other, double wanted) {
  const double ends = std::min(Distance(start, other.front()), Distance(end, other.back()));
  return std::min(wanted, ends - 1e-9);
}

class Planner {
 public:
  Planner(const std::vector<WalkRequest>& walkers, const std::vector<StandingRobot>& standing,
          const GaitParams& gait, const TransitionOptions& options, int64_t* budget)
      : walkers_(walkers),
        standing_(standing),
        gait_(gait),
        options_(options),
        footsteps_(WalkPlannerParams(gait)),
        budget_(budget) {
    base_ = walkers.empty() ? Beats() : walkers.front().start;
    for (const WalkRequest& w : walkers) base_ = std::min(base_, w.start);
    horizon_ = 0;
    // The grid: a tick every step_beats from the earliest window; each walker steps
    // on the ticks inside its window.
    tick_ = gait.walk.step_beats > Beats() ? gait.walk.step_beats : Beats(1);
    for (const WalkRequest& w : walkers) {
      const Beats from = w.start - base_;
      const int64_t first = CeilDiv(from + w.settle, tick_);
      // The last step lands arrival_beats before the window's end at the latest.
      const Beats tail = std::max(w.end_settle, gait.walk.arrival_beats);
      const int64_t last = FloorDiv(from + Beats(w.beats) - tail, tick_);
      offset_.push_back(first);
      tail_.push_back(tail);
      ticks_.push_back(static_cast<int>(std::max<int64_t>(0, last - first)));
      lead_.push_back(tick_ * first - from);
      horizon_ = std::max<int64_t>(horizon_, first + ticks_.back());
    }
    for (const StandingRobot& r : standing) standing_tracks_.push_back({r.pelvis});
  }

  Pose2 StartOf(size_t i) const { return PelvisOfStance(walkers_[i].feet, gait_); }
  // Beats walker i's walk of `steps` steps (the closing step included) needs from its
  // window's start.
  int BeatsFor(size_t i, int steps) const {
    const Beats need = lead_[i] + tick_ * static_cast<int64_t>(steps) + tail_[i];
    return static_cast<int>(CeilDiv(need, Beats(1)));
  }
  int Ticks(size_t i) const { return ticks_[i]; }
  // Steps (real, without the closing step) of walker i's quickest way to `goal`
  // (QuickestWalkSteps), kept: the order and the sharing out of slots ask again and again.
  double QuickestSteps(size_t i, const Pose2& goal) {
    const auto key = std::make_tuple(i, goal.x, goal.y, goal.yaw);
    auto it = quickest_.find(key);
    if (it == quickest_.end()) {
      it = quickest_.emplace(key, QuickestWalkSteps(StartOf(i), goal, gait_, options_.limit_margin))
               .first;
    }
    return it->second;
  }
  // Whether walks hurry (arrive as early as the envelope lets them, then stand) rather
  // than take their whole window at an even pace: what a crowded change needs when the
  // slow walks of the robots planned first hold the ways of those after them too long.
  void SetHurry(bool hurry) { hurry_ = hurry; }
  // Whether walker i cannot reach `goal` in its window even alone; the steps it needs
  // (the closing step included) go to `needed`.
  bool TooFar(size_t i, const Pose2& goal, int* needed) {
    const Choices& choices = ChoicesFor(i, goal);
    *needed = choices.needed;
    return choices.too_far;
  }

  struct Attempt {
    bool ok = false;
    std::vector<PlannedWalk> walks;  // by walker index
    std::vector<GridTrack> tracks;   // by walker index
    int failed = -1;
    std::vector<int> blockers;  // walker indices; standing robots as walkers.size() + k
    bool too_far = false;
    int needed = 0;
  };

  // Plans the walkers in `order` towards `goals`, each against those before it: its
  // preferred walk (straight at the slowest even pace) when that keeps clear, else the
  // timing search (progress_search.h) along its paths in order of preference. A walker's
  // walk depends only on the walkers planned before it, in their order, and their goals:
  // a sequence met before (the repair loop and the fallbacks revisit orders) takes the
  // result found then, without searching (or spending budget) again.
  Attempt PlanInOrder(const std::vector<int>& order, const std::vector<Pose2>& goals) {
    Attempt attempt;
    const size_t n = walkers_.size();
    attempt.walks.resize(n);
    attempt.tracks.resize(n);
    std::vector<bool> planned(n, false);
    // Key of a walker's result: hurry, then each walker planned so far and its goal.
    std::vector<double> sequence{hurry_ ? 1.0 : 0.0};
    for (int i : order) {
      const size_t w = static_cast<size_t>(i);
      const Choices& choices = ChoicesFor(w, goals[w]);
      sequence.insert(sequence.end(), {static_cast<double>(i), goals[w].x, goals[w].y, goals[w].yaw});
      auto known = results_.find(sequence);
      Result fresh;
      if (known == results_.end()) {
        fresh = PlanNext(w, goals[w], choices, attempt.tracks, planned);
        // A failure for want of budget is not the answer of a search that ran its course.
        if (fresh.found || *budget_ > 0) known = results_.emplace(sequence, std::move(fresh)).first;
      }
      const Result& result = known != results_.end() ? known->second : fresh;
      const bool found = result.found;
      if (found) {
        attempt.walks[w] = result.walk.walk;
        attempt.tracks[w] = result.walk.track;
      }
      if (!found) {
        attempt.failed = i;
        attempt.blockers = result.blockers;
        attempt.too_far = choices.too_far;
        attempt.needed = choices.needed;
        // The rest walk as they prefer, for the record.
        for (size_t k = 0; k < n; ++k) {
          if (planned[k]) continue;
          const Choices& own = ChoicesFor(k, goals[k]);
          if (own.preferred) {
            attempt.walks[k] = own.preferred->walk;
            attempt.tracks[k] = own.preferred->track;
          } else {
            attempt.walks[k] = Standing(k, goals[k]);
            attempt.tracks[k] = Grid(k, attempt.walks[k]);
          }
        }
        return attempt;
      }
      planned[w] = true;
    }
    attempt.ok = true;
    return attempt;
  }

  // The least distance between any two robots of an attempt (walkers and standing).
  double MinDistance(const Attempt& attempt) const {
    double best = kInf;
    for (size_t i = 0; i < attempt.tracks.size(); ++i) {
      for (size_t j = i + 1; j < attempt.tracks.size(); ++j) {
        best = std::min(best, GridApproach(attempt.tracks[i], attempt.tracks[j]));
      }
      for (const GridTrack& s : standing_tracks_) {
        best = std::min(best, GridApproach(attempt.tracks[i], s));
      }
    }
    return best;
  }

 private:
  struct Candidate {
    PlannedWalk walk;
    GridTrack track;
  };

  GridTrack Grid(size_t i, const PlannedWalk& walk) const {
    GridTrack track(static_cast<size_t>(horizon_) + 1);
    const int64_t offset = offset_[i];
    for (int64_t g = 0; g <= horizon_; ++g) {
      const int64_t last = static_cast<int64_t>(walk.pelvis.size()) - 1;
      const int64_t b = std::clamp<int64_t>(g - offset, 0, last);
      track[static_cast<size_t>(g)] = walk.pelvis[static_cast<size_t>(b)];
    }
    return track;
  }

  PlannedWalk Standing(size_t i, const Pose2& goal) const {
    PlannedWalk walk;
    walk.robot = walkers_[i].robot;
    walk.goal = goal;
    walk.start = walkers_[i].start;
    walk.pelvis.assign(static_cast<size_t>(ticks_[i]) + 1, StartOf(i));
    return walk;
  }

  // Robots (walker indices; standing ones as walkers.size() + k) that `track` comes closer
  // to than PairClearance with `wanted` m.
  std::vector<int> Conflicts(const GridTrack& track, size_t self,
                             const std::vector<GridTrack>& tracks, const std::vector<bool>& planned,
                             bool first_only, double wanted) const {
    std::vector<int> out;
    for (size_t j = 0; j < tracks.size(); ++j) {
      if (j == self || !planned[j]) continue;
      if (GridApproach(track, tracks[j]) <
          PairClearance(track.front(), track.back(), tracks[j], wanted)) {
        out.push_back(static_cast<int>(j));
        if (first_only) return out;
      }
    }
    for (size_t k = 0; k < standing_tracks_.size(); ++k) {
      const GridTrack& other = standing_tracks_[k];
      if (GridApproach(track, other) < PairClearance(track.front(), track.back(), other, wanted)) {
        out.push_back(static_cast<int>(walkers_.size() + k));
        if (first_only) return out;
      }
    }
    return out;
  }

  // Detour waypoints for option `index` (0: straight); false when there are no more.
  bool Waypoints(size_t i, const Pose2& goal, int index, std::vector<Pose2>* out) const {
    out->clear();
    if (index == 0) return true;
    constexpr int kShapes = 3;
    const int k = (index - 1) / (2 * kShapes);
    if (k >= static_cast<int>(std::size(kDetourOffsets))) return false;
    const int shape = ((index - 1) / 2) % kShapes;
    const double offset = ((index - 1) % 2 == 0 ? 1.0 : -1.0) * kDetourOffsets[k];
    const Pose2 s = StartOf(i);
    double ux = goal.x - s.x, uy = goal.y - s.y;
    const double length = std::hypot(ux, uy);
    if (length > 1e-6) {
      ux /= length;
      uy /= length;
    } else {
      ux = std::cos(s.yaw);
      uy = std::sin(s.yaw);
    }
    auto at = [&](double f) {
      return Pose2{s.x + f * (goal.x - s.x) - uy * offset, s.y + f * (goal.y - s.y) + ux * offset,
                   0};
    };
    if (shape == 0) {
      out->push_back(at(0.5));  // one bend
    } else if (shape == 1) {
      out->push_back(at(0.25));  // a parallel lane
      out->push_back(at(0.75));
    } else {
      out->push_back(at(0));  // step aside first, walk, step back in
      out->push_back(at(1));
    }
    return true;
  }

  // Robot i's ways towards `goal` (they do not depend on the other robots).
  struct Choices {
    bool too_far = false;  // it cannot reach the goal in its window even alone
    int needed = 0;        // steps (the closing one included) of its quickest walk
    std::optional<Candidate> preferred;  // straight at the slowest even pace
    std::vector<Path> paths;             // for the timing search, in order of preference
  };

  const Choices& ChoicesFor(size_t i, const Pose2& goal) {
    const auto key = std::make_tuple(i, goal.x, goal.y, goal.yaw, hurry_);
    auto it = cache_.find(key);
    if (it == cache_.end()) it = cache_.emplace(key, MakeChoices(i, goal)).first;
    return it->second;
  }

  Choices MakeChoices(size_t i, const Pose2& goal) const {
    Choices out;
    const WalkRequest& w = walkers_[i];
    const int beats = ticks_[i];  // step times in the window
    Candidate c;
    c.walk = Standing(i, goal);
    // Already there, feet square: it stands.
    if (BuildWalk(w.feet, MakePath(StartOf(i), goal, {}, Travel::kDirect, gait_, 1), 0, 0, beats,
                  lead_[i], tick_, gait_, footsteps_, &c.walk)
            .empty() &&
        c.walk.steps.empty()) {
      c.track = Grid(i, c.walk);
      out.preferred = std::move(c);
      return out;
    }
    std::vector<Pose2> waypoints;
    for (int option = 0; Waypoints(i, goal, option, &waypoints) &&
                         out.paths.size() < static_cast<size_t>(kMostSearchedPaths);
         ++option) {
      // Each way of travelling (direct, facing forward, facing backward), quickest first;
      // detours only the quickest that fits.
      for (const Path& path :
           PathsByPace(StartOf(i), goal, waypoints, gait_, options_.limit_margin)) {
        const int fastest = std::max(1, static_cast<int>(std::ceil(path.total - 1e-9)));
        if (option == 0 && (out.needed == 0 || fastest + 1 < out.needed)) {
          out.needed = fastest + 1;
        }
        if (fastest + 1 > beats) continue;
        if (option == 0 && !out.preferred) {
          c.walk.waypoints.clear();
          // A pace on the edge of the limits can break them on a bend: a little slower.
          std::string bad = "?";
          if (hurry_) {
            for (int m = fastest; m <= std::min(beats - 1, fastest + 2) && !bad.empty(); ++m) {
              bad = BuildWalk(w.feet, path, 0, m, beats, lead_[i], tick_, gait_, footsteps_,
                              &c.walk);
            }
          }
          for (int m = beats - 1; m >= std::max(fastest, beats - 3) && !bad.empty(); --m) {
            bad = BuildWalk(w.feet, path, 0, m, beats, lead_[i], tick_, gait_, footsteps_,
                            &c.walk);
          }
          if (bad.empty()) {
            c.track = Grid(i, c.walk);
            out.preferred = c;
          }
        }
        if (path.total > 1e-9) out.paths.push_back(path);
        if (option > 0) break;
      }
      // Straight is the shortest: when its quickest travel does not fit, no detour does.
      if (option == 0 && out.needed > beats) {
        out.too_far = true;
        out.paths.clear();
        return out;
      }
    }
    if (!out.preferred && out.paths.empty()) {
      out.too_far = true;  // no pace keeps within the step limits
      out.needed = std::max(out.needed, beats + 1);
    }
    return out;
  }

  // What planning a walker against those planned before it gives.
  struct Result {
    bool found = false;
    Candidate walk;             // when found
    std::vector<int> blockers;  // robots its preferred walk comes too close to
  };

  // Walker w towards `goal` against the walkers `planned` (their `tracks`) and those
  // standing: its preferred walk when that keeps clear, else the timing search along its
  // paths in order of preference.
  Result PlanNext(size_t w, const Pose2& goal, const Choices& choices,
                  const std::vector<GridTrack>& tracks, const std::vector<bool>& planned) {
    Result out;
    if (choices.too_far) return out;
    if (choices.preferred) {
      out.blockers = Conflicts(choices.preferred->track, w, tracks, planned, false,
                               options_.preferred_clearance);
      if (out.blockers.empty()) {
        out.found = true;
        out.walk = *choices.preferred;
        return out;
      }
    }
    const std::vector<TimedObstacle> obstacles = Obstacles(w, goal, tracks, planned);
    for (const Path& path : choices.paths) {
      if (*budget_ <= 0) break;
      if (Timed(w, goal, path, obstacles, tracks, planned, &out.walk)) {
        out.found = true;
        return out;
      }
    }
    return out;
  }

  // The robots planned before walker i, and those standing, as obstacles of its timing
  // search, each with the clearance PairClearance gives the pair: the least one (the
  // preferred one is for walks that need no search).
  std::vector<TimedObstacle> Obstacles(size_t i, const Pose2& goal,
                                       const std::vector<GridTrack>& tracks,
                                       const std::vector<bool>& planned) const {
    const Pose2 start = StartOf(i);
    std::vector<TimedObstacle> out;
    auto add = [&](const GridTrack& track) {
      out.push_back({&track, PairClearance(start, goal, track, options_.clearance)});
    };
    for (size_t j = 0; j < tracks.size(); ++j) {
      if (j != i && planned[j]) add(tracks[j]);
    }
    for (const GridTrack& track : standing_tracks_) add(track);
    return out;
  }

  // Walker i's walk along `path` timed by the search; false when no timing keeps clear
  // (or the walk it gives breaks the step limits). The search's pelvis model is checked
  // against the built feet; where the turn between the feet moved the pelvis into a
  // reserved robot's way, the search runs again with a wider margin.
  bool Timed(size_t i, const Pose2& goal, const Path& path,
             const std::vector<TimedObstacle>& obstacles, const std::vector<GridTrack>& tracks,
             const std::vector<bool>& planned, Candidate* out) {
    ProgressProblem problem;
    const int units =
        std::max(2, static_cast<int>(std::ceil(path.total * kUnitsPerStep - 1e-9)));
    problem.points.reserve(static_cast<size_t>(units) + 1);
    for (int k = 0; k <= units; ++k) problem.points.push_back(path.At(static_cast<double>(k) / units));
    problem.max_advance = kUnitsPerStep;
    problem.max_change = kUnitsPerStep / 2;
    problem.offset = offset_[i];
    problem.ticks = ticks_[i];
    problem.horizon = horizon_;
    if (hurry_) problem.pace_ticks = std::max(1, static_cast<int>(std::ceil(path.total - 1e-9)));
    // A turn between the feet shifts the pelvis sideways by about half the feet's lateral
    // offset times the turn.
    problem.turn_margin = 0.5 * gait_.foot_lateral;
    problem.moving_margin = 0.005;
    for (int retry = 0; retry < 3; ++retry, problem.moving_margin += 0.03) {
      int64_t explored = 0;
      const std::vector<int> reached = SearchProgress(problem, obstacles, &explored);
      *budget_ -= explored;
      if (reached.empty()) return false;
      std::vector<double> progress;
      for (int k : reached) progress.push_back(static_cast<double>(k) / units);
      out->walk = Standing(i, goal);
      out->walk.waypoints.assign(path.points.begin() + 1, path.points.end() - 1);
      if (!BuildTimedWalk(walkers_[i].feet, path, progress, lead_[i], tick_, gait_, footsteps_,
                          &out->walk)
               .empty()) {
        return false;
      }
      out->track = Grid(i, out->walk);
      if (Conflicts(out->track, i, tracks, planned, true, options_.clearance).empty()) return true;
    }
    return false;
  }

  const std::vector<WalkRequest>& walkers_;
  const std::vector<StandingRobot>& standing_;
  const GaitParams& gait_;
  const TransitionOptions& options_;
  FootstepPlanner footsteps_;
  int64_t* budget_;
  Beats base_;
  int64_t horizon_ = 0;
  Beats tick_{1};                // beats between step landings (the envelope's step_beats)
  std::vector<int64_t> offset_;  // grid index of each walker's first tick
  std::vector<int> ticks_;       // ticks in each walker's window
  std::vector<Beats> lead_;      // beats from each walker's window start to its first tick
  std::vector<Beats> tail_;      // beats each walker stands before its window's end (settle, arrival)
  std::vector<GridTrack> standing_tracks_;
  bool hurry_ = false;
  std::map<std::tuple<size_t, double, double, double, bool>, Choices> cache_;
  std::map<std::tuple<size_t, double, double, double>, double> quickest_;
  // PlanInOrder's result for the last walker of a sequence (hurry, then each walker
  // planned and its goal, in order).
  std::map<std::vector<double>, Result> results_;
};

// PlanTransition without the search for the beats needed.
TransitionPlan PlanWalks(const std::vector<WalkRequest>& walkers,
                         const std::vector<StandingRobot>& standing, const GaitParams& gait,
                         const TransitionOptions& options, int64_t* budget) {
  TransitionPlan plan;
  Planner planner(walkers, standing, gait, options, budget);
  const size_t n = walkers.size();
  std::vector<Pose2> goals;
  for (const WalkRequest& w : walkers) goals.push_back(w.goal);

  // Whether point p lies within the preferred clearance of walker b's straight way.
  auto near_way = [&](const Pose2& p, size_t b) {
    return ClosestApproach(planner.StartOf(b), goals[b], p, p) < options.preferred_clearance;
  };
  // When set, the order also puts a robot that stands on another's straight way before
  // it (it leaves first) and one whose slot lies on another's way after it (it arrives
  // once the other has passed).
  bool around_ways = false;
  // Longest walks (for their window) first: they have the least slack. A robot that stands
  // where another's slot is goes before that one, so that the one arriving, planned
  // later, waits for it to leave rather than the other way round (on a cycle, the
  // longest walk of those left goes first).
  auto initial_order = [&] {
    std::vector<std::pair<double, int>> keyed;
    for (size_t i = 0; i < n; ++i) {
      const double steps = planner.QuickestSteps(i, goals[i]);
      keyed.push_back({-steps / std::max(1, planner.Ticks(i)), static_cast<int>(i)});
    }
    std::stable_sort(keyed.begin(), keyed.end());
    std::vector<int> waiting(n, 0);  // robots standing on i's slot not yet in the order
    std::vector<std::vector<int>> after(n);
    for (size_t a = 0; a < n; ++a) {
      for (size_t b = 0; b < n; ++b) {
        if (a == b) continue;
        const bool before =
            Distance(planner.StartOf(a), goals[b]) < options.preferred_clearance ||
            (around_ways && (near_way(planner.StartOf(a), b) || near_way(goals[b], a)));
        if (!before) continue;
        after[a].push_back(static_cast<int>(b));
        ++waiting[b];
      }
    }
    std::vector<int> order;
    std::vector<bool> placed(n, false);
    while (order.size() < n) {
      int pick = -1;
      for (const auto& [key, i] : keyed) {
        if (placed[i]) continue;
        if (pick < 0) pick = i;  // on a cycle
        if (waiting[i] == 0) {
          pick = i;
          break;
        }
      }
      placed[pick] = true;
      order.push_back(pick);
      for (int b : after[pick]) --waiting[b];
    }
    return order;
  };
  // Plans towards `goals`: in the initial order, raising a robot that fails to the front,
  // then trading slots with a robot in its way where the caller allows.
  auto plan_towards = [&] {
    std::vector<int> order = initial_order();
    std::set<std::vector<int>> tried;
    std::set<std::pair<int, int>> swapped;
    Planner::Attempt attempt;
    for (size_t round = 0; round < 2 * n + 8 && *budget > 0; ++round) {
      tried.insert(order);
      attempt = planner.PlanInOrder(order, goals);
      if (attempt.ok || attempt.too_far) break;
      // Raise the robot that failed to the front.
      std::vector<int> raised = order;
      raised.erase(std::find(raised.begin(), raised.end(), attempt.failed));
      raised.insert(raised.begin(), attempt.failed);
      if (tried.count(raised) == 0) {
        order = raised;
        continue;
      }
      // Trade slots with a robot in the way.
      bool traded = false;
      for (int j : attempt.blockers) {
        if (j >= static_cast<int>(n) || !options.can_swap) continue;
        const int a = walkers[attempt.failed].robot, b = walkers[j].robot;
        if (swapped.count({std::min(a, b), std::max(a, b)}) > 0 || !options.can_swap(a, b)) {
          continue;
        }
        swapped.insert({std::min(a, b), std::max(a, b)});
        std::swap(goals[attempt.failed], goals[j]);
        order = initial_order();
        tried.clear();
        traded = true;
        break;
      }
      if (!traded) break;
    }
    return attempt;
  };
  Planner::Attempt attempt = plan_towards();
  // Paths that cross are what the order and the trades cannot untangle: share the slots
  // out again, among the robots that may trade, so that the summed squared distance is
  // least among the walks that fit their windows (robots that start and arrive together
  // on such slots keep apart walking straight: CAPT), and plan once more.
  if (!attempt.ok && !attempt.too_far && options.can_swap && *budget > 0) {
    const std::vector<Pose2> first = goals;
    CostMatrix cost(n, std::vector<double>(n, kForbidden));
    for (size_t i = 0; i < n; ++i) {
      for (size_t j = 0; j < n; ++j) {
        if (i != j && !options.can_swap(walkers[i].robot, walkers[j].robot)) continue;
        const Pose2 from = planner.StartOf(i);
        const int fastest =
            static_cast<int>(std::ceil(planner.QuickestSteps(i, first[j]) - 1e-9));
        if (i != j && std::max(1, fastest) + 1 > planner.Ticks(i)) continue;
        cost[i][j] = std::pow(from.x - first[j].x, 2) + std::pow(from.y - first[j].y, 2);
      }
    }
    const std::optional<std::vector<int>> pick = MinTotalAssignment(cost);
    bool changed = false;
    if (pick) {
      for (size_t i = 0; i < n; ++i) {
        goals[i] = first[static_cast<size_t>((*pick)[i])];
        changed = changed || (*pick)[i] != static_cast<int>(i);
      }
    }
    if (changed) {
      Planner::Attempt again = plan_towards();
      if (again.ok) {
        attempt = std::move(again);
      } else {
        goals = first;
      }
    }
    // Prioritised planning fails where a robot planned early parks on a later one's way
    // or waits on it: plan once more in the order that the ways ask for.
    if (!attempt.ok && *budget > 0) {
      around_ways = true;
      Planner::Attempt again = plan_towards();
      around_ways = false;
      if (again.ok) {
        attempt = std::move(again);
      } else {
        goals = first;
      }
    }
  }
  // Crowded changes, where the slow even walks of the robots planned first hold the ways
  // of those after them too long: every walk hurries (arrives as early as the envelope
  // lets it, then stands), planned as above, then in the order that the ways ask for.
  if (!attempt.ok && !attempt.too_far && *budget > 0) {
    const std::vector<Pose2> kept = goals;
    planner.SetHurry(true);
    Planner::Attempt again = plan_towards();
    if (!again.ok && options.can_swap && *budget > 0) {
      around_ways = true;
      again = plan_towards();
      around_ways = false;
    }
    if (again.ok) {
      attempt = std::move(again);
    } else {
      planner.SetHurry(false);
      goals = kept;
    }
  }
  plan.walks = attempt.walks;
  plan.ok = attempt.ok;
  plan.min_distance = planner.MinDistance(attempt);
  if (plan.ok || attempt.failed < 0) return plan;
  plan.robots.push_back(walkers[attempt.failed].robot);
  plan.too_far = attempt.too_far;
  if (attempt.too_far) {
    plan.beats_needed = planner.BeatsFor(static_cast<size_t>(attempt.failed), attempt.needed);
    plan.distance = Distance(planner.StartOf(attempt.failed), goals[attempt.failed]);
    for (size_t i = 0; i < n; ++i) {
      int needed = 0;
      if (!planner.TooFar(i, goals[i], &needed)) continue;
      plan.too_far_robots.push_back({walkers[i].robot, Distance(planner.StartOf(i), goals[i]),
                                     planner.BeatsFor(i, needed)});
    }
    return plan;
  }
  for (int j : attempt.blockers) {
    plan.robots.push_back(j < static_cast<int>(n) ? walkers[j].robot
                                                  : standing[j - static_cast<int>(n)].robot);
  }
  return plan;
}

}  // namespace

FootstepPlannerParams WalkPlannerParams(const GaitParams& gait) {
  FootstepPlannerParams params = PlannerParams(gait);
  params.limits = WalkStepLimits(gait.walk);
  return params;
}

double ClosestApproach(const Pose2& a0, const Pose2& a1, const Pose2& b0, const Pose2& b1) {
  // r(s) = (a0 - b0) + s ((a1 - a0) - (b1 - b0)), s in [0, 1].
  const double rx = a0.x - b0.x, ry = a0.y - b0.y;
  const double vx = (a1.x - a0.x) - (b1.x - b0.x), vy = (a1.y - a0.y) - (b1.y - b0.y);
  const double vv = vx * vx + vy * vy;
  const double s = vv > 0 ? std::clamp(-(rx * vx + ry * vy) / vv, 0.0, 1.0) : 0.0;
  return std::hypot(rx + s * vx, ry + s * vy);
}

Pose2 PelvisTrack::At(double beat) const {
  if (pelvis.empty()) return {};
  if (beat <= beats.front()) return pelvis.front();
  if (beat >= beats.back()) return pelvis.back();
  const size_t i = static_cast<size_t>(std::upper_bound(beats.begin(), beats.end(), beat) -
                                       beats.begin());
  const double span = beats[i] - beats[i - 1];
  const double u = span > 0 ? (beat - beats[i - 1]) / span : 1.0;
  const Pose2& a = pelvis[i - 1];
  const Pose2& b = pelvis[i];
  return {a.x + u * (b.x - a.x), a.y + u * (b.y - a.y), a.yaw + u * (b.yaw - a.yaw)};
}

Approach ClosestApproach(const PelvisTrack& a, const PelvisTrack& b) {
  Approach best;
  if (a.pelvis.empty() || b.pelvis.empty()) return best;
  // Knots of both tracks, in order: between two, both move linearly.
  std::vector<double> knots;
  knots.reserve(a.beats.size() + b.beats.size());
  std::merge(a.beats.begin(), a.beats.end(), b.beats.begin(), b.beats.end(),
             std::back_inserter(knots));
  knots.erase(std::unique(knots.begin(), knots.end()), knots.end());
  if (knots.size() == 1) {
    best.distance = Distance(a.pelvis.front(), b.pelvis.front());
    best.beat = knots.front();
    return best;
  }
  for (size_t k = 1; k < knots.size(); ++k) {
    const Pose2 a0 = a.At(knots[k - 1]), a1 = a.At(knots[k]);
    const Pose2 b0 = b.At(knots[k - 1]), b1 = b.At(knots[k]);
    const double d = ClosestApproach(a0, a1, b0, b1);
    if (d < best.distance) {
      best.distance = d;
      // When, within the interval (for messages).
      const double rx = a0.x - b0.x, ry = a0.y - b0.y;
      const double vx = (a1.x - a0.x) - (b1.x - b0.x), vy = (a1.y - a0.y) - (b1.y - b0.y);
      const double vv = vx * vx + vy * vy;
      const double s = vv > 0 ? std::clamp(-(rx * vx + ry * vy) / vv, 0.0, 1.0) : 0.0;
      best.beat = knots[k - 1] + s * (knots[k] - knots[k - 1]);
    }
  }
  return best;
}

double WalkSteps(double dx, double dy, double yaw, double turn, const GaitParams& gait,
                 double limit_margin) {
  const GaitEnvelope& envelope = gait.walk;
  const double distance = std::hypot(dx, dy);
  const double steps = std::abs(turn) / (envelope.max_turn * limit_margin);
  if (distance <= 0) return steps;
  const double reach = StepReach(dx, dy, distance, yaw, turn, envelope, limit_margin);
  return std::max(steps, distance / reach);
}

double QuickestWalkSteps(const Pose2& from, const Pose2& to, const GaitParams& gait,
                         double limit_margin) {
  return PathsByPace(from, to, {}, gait, limit_margin).front().total;
}

std::string PlanWalk(const Stance& feet, const Pose2& goal, Beats length, const GaitParams& gait,
                     std::vector<BeatStep>* steps, Beats* needed) {
  WalkRequest w;
  w.feet = feet;
  w.goal = goal;
  w.beats = static_cast<int>(std::max<int64_t>(0, length.Floor()));
  TransitionPlan plan = PlanTransition({w}, {}, gait);
  if (!plan.ok) {
    if (needed != nullptr) *needed = Beats(plan.beats_needed);
    char text[400];
    std::snprintf(text, sizeof(text), "must walk %.2f m in %s beats but needs %d beats (turning %.0f deg; %s)",
                  plan.distance, length.ToString().c_str(), plan.beats_needed,
                  std::abs(WrapAngle(goal.yaw - PelvisOfStance(feet, gait).yaw)) * 180 / M_PI,
                  DescribeGaitEnvelope(gait.walk).c_str());
    return text;
  }
  *steps = plan.walks.front().steps;
  return "";
}

TransitionPlan PlanTransition(const std::vector<WalkRequest>& walkers,
                              const std::vector<StandingRobot>& standing, const GaitParams& gait,
                              const TransitionOptions& options) {
  // The budget, scaled by the windows' mean squared steps beyond kBudgetTicks.
  double squared = 0;
  const Beats tick = gait.walk.step_beats > Beats() ? gait.walk.step_beats : Beats(1);
  for (const WalkRequest& w : walkers) {
    const double steps = static_cast<double>(FloorDiv(Beats(w.beats), tick));
    squared += steps * steps / static_cast<double>(walkers.size());
  }
  const int64_t granted = static_cast<int64_t>(
      static_cast<double>(options.budget) *
      std::max(1.0, squared / (static_cast<double>(kBudgetTicks) * kBudgetTicks)));
  int64_t budget = granted;
  TransitionPlan plan = PlanWalks(walkers, standing, gait, options, &budget);
  plan.explored = granted - budget;
  if (plan.ok || plan.too_far || walkers.empty()) return plan;
  // Longer windows, doubling, then halving back: the first length that plans.
  auto fits = [&](int extra) {
    std::vector<WalkRequest> longer = walkers;
    for (WalkRequest& w : longer) w.beats += extra;
    return PlanWalks(longer, standing, gait, options, &budget).ok;
  };
  plan.beats_needed = [&] {
    int lo = 0, hi = 1;
    while (hi <= kMostExtraTransitionBeats && budget > 0 && !fits(hi)) {
      lo = hi;
      hi *= 2;
    }
    // 0: more than were tried.
    if (hi > kMostExtraTransitionBeats || budget <= 0) return 0;
    while (hi - lo > 1) {
      const int mid = (lo + hi) / 2;
      if (fits(mid)) {
        hi = mid;
      } else {
        lo = mid;
      }
    }
    return walkers.front().beats + hi;
  }();
  plan.explored = granted - budget;
  return plan;
}

}  // namespace yangbot
