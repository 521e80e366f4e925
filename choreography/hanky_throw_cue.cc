#include "choreography/hanky_throw_cue.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <set>
#include <string>
#include <tuple>

#include "choreography/moves/builtin_moves.h"

namespace yangbot {
namespace {

constexpr char kThrowMove[] = "hanky_throw";

// Index of parameter `name` in `spec` (-1 when absent).
int ParamIndex(const MoveSpec& spec, const std::string& name) {
  for (size_t i = 0; i < spec.params.size(); ++i) {
    if (spec.params[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

bool IsThrow(const ScheduledCue& cue) {
  return cue.move != nullptr && cue.move->spec().name == kThrowMove;
}

// The sides (0 left, 1 right) a throw cue throws: its `hand`, swapped when mirrored.
std::vector<int> ThrownSides(const ScheduledCue& cue) {
  HandSides sides = SidesOf(cue.params.Word(ParamIndex(cue.move->spec(), "hand")));
  if (cue.mirror) std::swap(sides.left, sides.right);
  std::vector<int> thrown;
  if (sides.left) thrown.push_back(0);
  if (sides.right) thrown.push_back(1);
  return thrown;
}

std::string Fixed(double value, int digits) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.*f", digits, value);
  return text;
}

// Longest throw (s) whose natural flight the ejector can launch.
double LongestThrow() {
  double lo = kShortestHankyThrow, hi = 4;
  for (int k = 0; k < 30; ++k) {
    const double mid = 0.5 * (lo + hi);
    (PlanHankyFlight(mid).speed <= kHankyMaxLaunchSpeed ? lo : hi) = mid;
  }
  return lo;
}

// Time (s) an unpulled flight launched at `speed` takes to fall back to the pin.
double FallBackTime(double speed) {
  double lo = 0.01, hi = 4;
  // Rising or above the pin: not back yet (the height falls monotonically past the apex).
  for (int k = 0; k < 40; ++k) {
    const double mid = 0.5 * (lo + hi);
    double rate = 0;
    const double z = HankyFlightHeight(speed, mid, &rate, 0);
    (z > 0 || rate > 0 ? lo : hi) = mid;
  }
  return lo;
}

// The handkerchief poses `cue` (a hanky cue) gives at `u` beats into it, mirror applied.
std::array<HankyPose, 2> HankiesAt(const ScheduledCue& cue, double u) {
  BodyPose pose;
  cue.move->Pose(cue.params, u, cue.length.ToDouble(), &pose);
  return (cue.mirror ? MirrorPose(pose) : pose).hanky;
}

// Why the pin of `side` does not hand the throw `cue` of `robot` a handkerchief already
// spinning as the throw spins it ("" when it does): the ejector releases on the cue's first
// beat, so the spin the handkerchief flies with is the one its pin had. A pin that stood
// still, or a spin that ends at another phase or rate, sends it up spinning off the beat.
std::string SpinIntoThrow(const RobotSchedule& robot, const ScheduledCue& cue, int side) {
  constexpr double kDu = 1e-3;                   // beats: the rate's finite difference
  constexpr double kTolerance = 10 * M_PI / 180;  // rad, of phase and of phase per kDu
  const ScheduledCue* before = nullptr;
  for (const ScheduledCue& c : robot.cues) {
    if (&c != &cue && c.move != nullptr && (c.limbs & kHanky) && c.start + c.length == cue.start &&
        HankiesAt(c, c.length.ToDouble())[side].spinning) {
      before = &c;
    }
  }
  if (before == nullptr) return "is not spinning before it";
  const double length = before->length.ToDouble();
  const HankyPose end = HankiesAt(*before, length)[side];
  const double end_rate = end.phase - HankiesAt(*before, length - kDu)[side].phase;
  const HankyPose start = HankiesAt(cue, 0)[side];
  const double start_rate = HankiesAt(cue, kDu)[side].phase - start.phase;
  if (std::abs(std::remainder(start.phase - end.phase, 2 * M_PI)) > kTolerance ||
      std::abs(start_rate - end_rate) * 360 > kTolerance) {
    return "spins at another phase or rate before it";
  }
  return "";
}

}  // namespace

std::vector<HankyThrow> ScheduledHankyThrows(const Schedule& schedule) {
  std::vector<HankyThrow> throws;
  for (size_t r = 0; r < schedule.robots.size(); ++r) {
    for (const ScheduledCue& cue : schedule.robots[r].cues) {
      if (!IsThrow(cue)) continue;
      HankyThrow t;
      t.robot = static_cast<int>(r);
      t.release = schedule.clock.Time(cue.start);
      t.catch_time = schedule.clock.Time(cue.start + cue.length);
      t.apex = cue.params.Number(ParamIndex(cue.move->spec(), "height"));
      for (const int side : ThrownSides(cue)) {
        t.side = side;
        throws.push_back(t);
      }
    }
  }
  return throws;
}

void CheckHankyThrows(const Show& show, const Schedule& schedule, Diagnostics* diagnostics) {
  std::set<std::tuple<int, int, int>> reported;  // section, cue, problem
  auto once = [&](const ScheduledCue& cue, int problem) {
    return reported.insert({cue.section, cue.cue, problem}).second;
  };
  std::vector<PelvisTrack> tracks;  // built on the first throw
  for (size_t r = 0; r < schedule.robots.size(); ++r) {
    for (const ScheduledCue& cue : schedule.robots[r].cues) {
      if (!IsThrow(cue)) continue;
      const double duration =
          schedule.clock.Time(cue.start + cue.length) - schedule.clock.Time(cue.start);
      const double apex = cue.params.Number(ParamIndex(cue.move->spec(), "height"));
      SourcePos height_pos = cue.pos;  // the written `height`, else the cue
      if (cue.section < static_cast<int>(show.timeline.size()) &&
          cue.cue < static_cast<int>(show.timeline[cue.section].cues.size())) {
        for (const Param& p : show.timeline[cue.section].cues[cue.cue].params) {
          if (p.name == "height") height_pos = p.src.pos;
        }
      }
      if (duration < kShortestHankyThrow) {
        if (once(cue, 0)) {
          diagnostics->Error(cue.pos, "a throw needs at least " + Fixed(kShortestHankyThrow, 1) +
                                          " s from release to catch; this one lasts " +
                                          Fixed(duration, 2) + " s");
        }
        continue;
      }
      const HankyFlight flight = PlanHankyFlight(duration, apex);
      if (flight.speed > kHankyMaxLaunchSpeed) {
        if (once(cue, 1)) {
          diagnostics->Error(
              apex > 0 ? height_pos : cue.pos,
              apex > 0 ? "a throw to " + Fixed(apex, 2) + " m needs a launch at " +
                             Fixed(flight.speed, 1) + " m/s; the ejector gives at most " +
                             Fixed(kHankyMaxLaunchSpeed, 1) + " m/s"
                       : "a throw lasting " + Fixed(duration, 2) + " s needs a launch at " +
                             Fixed(flight.speed, 1) + " m/s; the ejector gives at most " +
                             Fixed(kHankyMaxLaunchSpeed, 1) + " m/s: catch within " +
                             Fixed(LongestThrow(), 2) + " s of the release");
        }
        continue;
      }
      if (flight.apex > kHankyTetherLength && once(cue, 2)) {
        diagnostics->Error(cue.pos, "the throw flies " + Fixed(flight.apex, 2) +
                                        " m high, beyond the " + Fixed(kHankyTetherLength, 1) +
                                        " m tether: catch sooner");
      }
      if (apex > 0 && flight.tension < 0 && once(cue, 3)) {
        diagnostics->Error(height_pos, "a throw to " + Fixed(apex, 2) + " m falls back in " +
                                           Fixed(FallBackTime(flight.speed), 2) +
                                           " s, before its catch beat " + Fixed(duration, 2) +
                                           " s after the release: throw higher or catch sooner");
      }
      if (apex > 0 && flight.tension > kHankyMaxTension && once(cue, 4)) {
        diagnostics->Error(height_pos, "the winch cannot pull a throw to " + Fixed(apex, 2) +
                                           " m back within " + Fixed(duration, 2) + " s (it pulls at most " +
                                           Fixed(kHankyMaxTension, 1) +
                                           " N): catch later or throw lower");
      }
      // The spin the handkerchief leaves with.
      for (const int side : ThrownSides(cue)) {
        const std::string why = SpinIntoThrow(schedule.robots[r], cue, side);
        if (!why.empty() && once(cue, 6)) {
          diagnostics->Warning(
              cue.pos, "robot " + std::to_string(r + 1) + "'s " + (side == 0 ? "left" : "right") +
                           " handkerchief " + why +
                           " is thrown: it flies off the beat's spin; end a `hanky: spin` of "
                           "the throw's rate and phase on that hand on the release beat (in "
                           "the same canon)");
        }
      }
      // Neighbours within reach of the flight at release (on a plan without errors: the
      // tracks of an incomplete one mean little).
      if (diagnostics->has_errors()) continue;
      if (tracks.empty()) {
        for (const RobotSchedule& robot : schedule.robots) {
          tracks.push_back(RobotPelvisTrack(robot, schedule.gait));
        }
      }
      const double beat = cue.start.ToDouble();
      const Pose2 self = tracks[r].At(beat);
      for (size_t j = 0; j < tracks.size(); ++j) {
        if (j == r) continue;
        const Pose2 other = tracks[j].At(beat);
        const double distance = std::hypot(other.x - self.x, other.y - self.y);
        if (distance < kHankyThrowClearance && once(cue, 5)) {
          diagnostics->Warning(cue.pos, "robot " + std::to_string(j + 1) + " stands " +
                                            Fixed(distance, 2) + " m from robot " +
                                            std::to_string(r + 1) +
                                            " when it throws: within reach of the flight");
        }
      }
    }
  }
}

}  // namespace yangbot
