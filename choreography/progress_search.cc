#include "choreography/progress_search.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "choreography/transition.h"

namespace yangbot {
namespace {

// Cost of one change of advance, in units of distance from the uniform pace: enough that
// equal detours prefer the smoother timing, small against any real lag.
constexpr double kChangeCost = 0.25;

const Pose2& TrackAt(const std::vector<Pose2>& track, int64_t g) {
  return track[static_cast<size_t>(std::clamp<int64_t>(g, 0, static_cast<int64_t>(track.size()) - 1))];
}

double PlaneDistance(const Pose2& a, const Pose2& b) { return std::hypot(a.x - b.x, a.y - b.y); }

// Plane distance by a square root: the quick filters below; decisions near a threshold
// fall back to ClosestApproach (hypot), so the answers are those of the exact test.
double QuickDistance(double dx, double dy) { return std::sqrt(dx * dx + dy * dy); }

// Relative band around a clearance inside which the quick tests defer to the exact one.
constexpr double kQuickBand = 1e-9;

// Whether the robot moving linearly from p0 to p1 over grid ticks g -> g + 1 keeps clear
// of every obstacle (`extra` m added to each clearance).
bool Clear(const Pose2& p0, const Pose2& p1, int64_t g,
           const std::vector<TimedObstacle>& obstacles, double extra) {
  const double own = QuickDistance(p1.x - p0.x, p1.y - p0.y);
  for (const TimedObstacle& o : obstacles) {
    const Pose2& q0 = TrackAt(*o.track, g);
    const Pose2& q1 = TrackAt(*o.track, g + 1);
    const double need = o.clearance + extra;
    // Neither can close the gap by more than its own travel.
    const double rx = p0.x - q0.x, ry = p0.y - q0.y;
    const double travel = own + QuickDistance(q1.x - q0.x, q1.y - q0.y);
    const double far = need * (1 + kQuickBand) + travel;
    if (rx * rx + ry * ry >= far * far) continue;
    // The closest approach, squared, against the band around the clearance.
    const double vx = (p1.x - p0.x) - (q1.x - q0.x), vy = (p1.y - p0.y) - (q1.y - q0.y);
    const double vv = vx * vx + vy * vy;
    const double s = vv > 0 ? std::clamp(-(rx * vx + ry * vy) / vv, 0.0, 1.0) : 0.0;
    const double cx = rx + s * vx, cy = ry + s * vy;
    const double closest = cx * cx + cy * cy;
    if (closest >= need * need * (1 + 4 * kQuickBand)) continue;
    if (closest <= need * need * (1 - 4 * kQuickBand)) return false;
    if (PlaneDistance(p0, q0) - PlaneDistance(p0, p1) - PlaneDistance(q0, q1) >= need) continue;
    if (ClosestApproach(p0, p1, q0, q1) < need) return false;
  }
  return true;
}

}  // namespace

std::vector<int> SearchProgress(const ProgressProblem& problem,
                                const std::vector<TimedObstacle>& obstacles, int64_t* explored) {
  const int units = static_cast<int>(problem.points.size()) - 1;
  const int ticks = problem.ticks;
  if (units < 1 || ticks < 2) return {};
  const Pose2& start = problem.points.front();
  const Pose2& goal = problem.points.back();
  // Standing at the start until the window opens, at the goal after it closes.
  for (int64_t g = 0; g < problem.offset; ++g) {
    if (!Clear(start, start, g, obstacles, 0)) return {};
  }
  for (int64_t g = problem.offset + ticks; g < problem.horizon; ++g) {
    if (!Clear(goal, goal, g, obstacles, 0)) return {};
  }
  // Robots that never come within reach of the box around the path are clear of every
  // state (the pelvis stays between two points of the path, inside the box): only the
  // others are checked.
  double low_x = start.x, high_x = start.x, low_y = start.y, high_y = start.y;
  double low_yaw = start.yaw, high_yaw = start.yaw;
  for (const Pose2& p : problem.points) {
    low_x = std::min(low_x, p.x);
    high_x = std::max(high_x, p.x);
    low_y = std::min(low_y, p.y);
    high_y = std::max(high_y, p.y);
    low_yaw = std::min(low_yaw, p.yaw);
    high_yaw = std::max(high_yaw, p.yaw);
  }
  const double most_extra = problem.moving_margin + problem.turn_margin * (high_yaw - low_yaw);
  std::vector<TimedObstacle> near;
  for (const TimedObstacle& o : obstacles) {
    const double reach = (o.clearance + most_extra) * (1 + kQuickBand);
    for (int64_t g = problem.offset; g < problem.offset + ticks; ++g) {
      const Pose2& q0 = TrackAt(*o.track, g);
      const Pose2& q1 = TrackAt(*o.track, g + 1);
      const double dx = std::max({low_x - q0.x, 0.0, q0.x - high_x});
      const double dy = std::max({low_y - q0.y, 0.0, q0.y - high_y});
      if (QuickDistance(dx, dy) - QuickDistance(q1.x - q0.x, q1.y - q0.y) < reach) {
        near.push_back(o);
        break;
      }
    }
  }
  const int advances = problem.max_advance + 1;
  const size_t states = static_cast<size_t>(units + 1) * static_cast<size_t>(advances);
  auto index = [&](int k, int a) { return static_cast<size_t>(k) * advances + a; };
  // Pelvis in state (k, a): midway between the frames of the two feet.
  auto pelvis = [&](int k, int a) {
    const Pose2& p = problem.points[static_cast<size_t>(k)];
    const Pose2& q = problem.points[static_cast<size_t>(k - a)];
    return Pose2{(p.x + q.x) / 2, (p.y + q.y) / 2, p.yaw};
  };
  // Turn (rad) between the frames of the two feet in state (k, a).
  auto turn = [&](int k, int a) {
    return std::abs(problem.points[static_cast<size_t>(k)].yaw -
                    problem.points[static_cast<size_t>(k - a)].yaw);
  };
  constexpr double kUnreached = std::numeric_limits<double>::infinity();
  std::vector<double> cost(states, kUnreached), next(states, kUnreached);
  // parent[b][state]: the state at tick b - 1 (b >= 1).
  std::vector<std::vector<int>> parent(static_cast<size_t>(ticks) + 1);
  std::vector<size_t> reached{index(0, 0)}, reached_next;
  cost[index(0, 0)] = 0;
  const double last = problem.pace_ticks > 0 ? std::min(problem.pace_ticks, std::max(1, ticks - 1))
                                             : std::max(1, ticks - 1);
  for (int b = 0; b < ticks; ++b) {
    const int64_t g = problem.offset + b;
    const double reference = units * std::min(1.0, (b + 1) / last);
    // Ticks left after b + 1 in which to reach the goal and close the feet.
    const int left = ticks - (b + 1);
    std::vector<int>& from = parent[static_cast<size_t>(b) + 1];
    from.assign(states, -1);
    reached_next.clear();
    for (size_t s : reached) {
      const int k = static_cast<int>(s / advances), a = static_cast<int>(s % advances);
      const Pose2 p0 = pelvis(k, a);
      const int lowest = std::max(0, a - problem.max_change);
      const int highest = std::min(problem.max_advance, a + problem.max_change);
      for (int a1 = lowest; a1 <= highest; ++a1) {
        const int k1 = k + a1;
        if (k1 > units) break;
        // Too far behind to arrive and close the feet in the ticks left.
        if (k1 < units && static_cast<int64_t>(units - k1) >
                              static_cast<int64_t>(problem.max_advance) * (left - 1)) {
          continue;
        }
        if (k1 == units && a1 > 0 && left < 1) continue;
        const size_t s1 = index(k1, a1);
        const double c1 = cost[s] + std::abs(k1 - reference) + kChangeCost * (a1 != a);
        if (c1 >= next[s1]) continue;
        if (explored != nullptr) ++*explored;
        const Pose2 p1 = pelvis(k1, a1);
        const bool moving = a > 0 || a1 > 0;
        const double extra =
            moving ? problem.moving_margin + problem.turn_margin * std::max(turn(k, a), turn(k1, a1))
                   : 0;
        if (!Clear(p0, p1, g, near, extra)) continue;
        if (next[s1] == kUnreached) reached_next.push_back(s1);
        next[s1] = c1;
        from[s1] = static_cast<int>(s);
      }
    }
    for (size_t s : reached) cost[s] = kUnreached;
    std::swap(cost, next);
    std::swap(reached, reached_next);
    if (reached.empty()) return {};
  }
  const size_t end = index(units, 0);
  if (cost[end] == kUnreached) return {};
  std::vector<int> out(static_cast<size_t>(ticks) + 1);
  size_t s = end;
  for (int b = ticks; b >= 0; --b) {
    out[static_cast<size_t>(b)] = static_cast<int>(s / advances);
    if (b > 0) s = static_cast<size_t>(parent[static_cast<size_t>(b)][s]);
  }
  return out;
}

}  // namespace yangbot
