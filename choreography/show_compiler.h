// Schedule -> one ReferenceSource per robot (controllers/reference.h): pure code, no
// physics. Footsteps become a beat-timed FootstepPlan for the ZMP-preview walking
// pattern (controllers/walking_pattern.h), which gives CoM, ZMP and feet at any time;
// walks follow the gait of the robot's soles (Schedule::gait.line_soles: the line-foot
// gait of controllers/line_foot_gait.h, else the box-foot gait of walking_reference.h);
// the other cues give the waist, arms, CoM height and handkerchiefs by evaluating
// their moves at the beats since each cue started. Times are computed from exact beat
// numbers (BeatClock::Time), so cue and step times do not drift.
#ifndef YANGBOT_CHOREOGRAPHY_SHOW_COMPILER_H_
#define YANGBOT_CHOREOGRAPHY_SHOW_COMPILER_H_

#include <memory>
#include <utility>
#include <vector>

#include "choreography/schedule.h"
#include "controllers/reference.h"
#include "controllers/walking_pattern.h"
#include "controllers/walking_reference.h"
#include "sim/scene.h"

namespace yangbot {

/// Settings of the compilation.
struct CompileOptions {
  double preview_dt = 0.005;  ///< s, sample period of the CoM preview
  double lead_in = 2.0;       ///< s, a walking pattern starts this long before its first lift-off
  double settle = 2.0;        ///< s, and ends this long after its last touch-down
  /// How the walking patterns are followed (controllers/walking_reference.h: its defaults
  /// are the gait H1-class legs can walk and dance; arms, waist and hankies come from the
  /// cues).
  WalkingPosture walking;
};

/// A compiled show.
struct CompiledShow {
  BeatClock clock;                    ///< tempo and offset
  double end_time = 0;                ///< s, end of the last section
  std::vector<Placement> placements;  ///< start placement per robot (for SceneOptions)
  std::vector<std::shared_ptr<const ReferenceSource>> references;  ///< one per robot
};

/// Compiles a schedule that has no errors. Throws yangbot::Error when a walking pattern
/// rejects a plan (which the scheduler should have prevented).
CompiledShow CompileSchedule(const Schedule& schedule, const CompileOptions& options = {});

/// The compiled reference of one robot (exposed for tests and tools).
class ShowReference : public ReferenceSource {
 public:
  /// Builds robot `robot`'s reference from `schedule`.
  ShowReference(const Schedule& schedule, int robot, const CompileOptions& options);
  /// The reference at conductor time t (s); cheap, no allocation.
  void Sample(double t, RobotReference* out) const override;
  /// Sample(t, out), bit for bit, its lookups (walk, cues, held hankies and the walk's
  /// own tables) started from and left in `cursor`.
  void SampleFrom(double t, ReferenceCursor* cursor, RobotReference* out) const override;
  /// s, the end of the show or of the last walk, whichever is later.
  double end_time() const override { return end_time_; }
  /// All footsteps, timed (touch-downs on beats). Stretches of walking more than
  /// lead_in + settle apart get walking patterns of their own, so memory follows the
  /// time spent walking, not the length of the show.
  const FootstepPlan& plan() const { return plan_; }
  /// Number of walking patterns (stretches of walking).
  int pattern_count() const { return static_cast<int>(walks_.size()); }
  /// The body pose (waist, arms, CoM offset, hankies) at time t (s), before rates.
  BodyPose PoseAt(double t) const;

 private:
  struct TimedCue {
    ScheduledCue cue;
    double start_time = 0;  // s
    double end_time = 0;    // s
  };
  struct HeldHanky {
    double time = 0;   // s, when the cue driving it ended
    double phase = 0;  // rad, its phase then
  };
  void Evaluate(const TimedCue& cue, double u, BodyPose* pose) const;
  // PoseAt(t), its lookups started from and left in `cursor`.
  BodyPose PoseAt(double t, ReferenceCursor* cursor) const;
  // The cues that may be active at t: [first, last) of cues_.
  std::pair<std::vector<TimedCue>::const_iterator, std::vector<TimedCue>::const_iterator>
  ActiveRange(double t, ReferenceCursor* cursor) const;

  // The line-foot gait's lowered CoM over a stretch of walking: eased down over `down`
  // and back up over `up` (s, from, to); depth 0: none.
  struct Crouch {
    double depth = 0;  // m
    std::pair<double, double> down, up;
  };

  BeatClock clock_;
  double end_time_ = 0;
  double com_height_ = 0.95;
  FootstepPlan plan_;
  std::vector<WalkingReference> walks_;  // one per stretch of walking, by start time, >= 1
  std::vector<Crouch> crouches_;         // one per walk
  std::vector<TimedCue> cues_;                  // non-leg channels of every cue, by start
  double longest_ = 0;                          // s, longest cue
  std::array<std::vector<HeldHanky>, 2> held_;  // by end time
};

}  // namespace yangbot

#endif  // YANGBOT_CHOREOGRAPHY_SHOW_COMPILER_H_
