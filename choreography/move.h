// A move of the library: its parameters (units, defaults, bounds), the limbs it drives,
// and what it does: leg moves give footsteps on the beat grid, the others a body pose
// as a function of the beats since the cue started. Moves are stateless; one object
// serves every cue and robot. Each lives in its own file under choreography/moves/ and
// is registered by name in the MoveRegistry (move_registry.h).
#ifndef YANGBOT_CHOREOGRAPHY_MOVE_H_
#define YANGBOT_CHOREOGRAPHY_MOVE_H_

#include <array>
#include <string>
#include <vector>

#include "choreography/beats.h"
#include "choreography/gait_envelope.h"
#include "choreography/units.h"
#include "controllers/footstep_planner.h"
#include "controllers/reference.h"
#include "sim/scene.h"

namespace yangbot {

/// Limbs a cue drives (bit set); cues on the same limb of one robot may not overlap.
enum Limb : unsigned {
  kLegs = 1u << 0,   ///< footsteps and CoM height (knee bounce)
  kWaist = 1u << 1,  ///< torso yaw (twist), trunk roll (sway), trunk pitch (bow)
  kArms = 1u << 2,   ///< the eight arm joints
  kHanky = 1u << 3,  ///< the handkerchief spinners
};
/// A set of Limb bits.
using LimbSet = unsigned;
/// "legs", "waist and arms", ... for messages.
std::string LimbNames(LimbSet limbs);

/// Joint ranges of the arm joints (rad, size kArmJoints, actuator order: left shoulder
/// pitch, roll, yaw, elbow, then right), from the H1-class model.
constexpr std::array<double, kArmJoints> kArmMin = {-2.87, -0.34, -1.3,  -1.25,
                                                    -2.87, -3.11, -4.45, -1.25};
/// Upper ends of the arm joint ranges (rad, size kArmJoints).
constexpr std::array<double, kArmJoints> kArmMax = {2.87, 3.11, 4.45, 2.61, 2.87, 0.34, 1.3, 2.61};

/// A parameter a move (or formation shape) declares.
struct ParamSpec {
  std::string name;                        ///< key in the cue, e.g. "stride"
  Dimension dimension = Dimension::kNone;  ///< what a number measures
  double default_value = 0;                ///< in the dimension's default unit (deg for angles)
  double min = 0;                          ///< lower bound, default unit
  double max = 0;                          ///< upper bound, default unit
  bool integer = false;                    ///< whole numbers only
  std::vector<std::string> choices;        ///< when non-empty: a word, one of these
  std::string doc;                         ///< one line for FORMAT.md and messages
};

/// Builds a number parameter.
ParamSpec NumberParam(std::string name, Dimension dimension, double default_value, double min,
                      double max, std::string doc);
/// Builds a word parameter; the first choice is the default.
ParamSpec WordParam(std::string name, std::vector<std::string> choices, std::string doc);

/// Parameter values of one cue, in the order of the spec: numbers in the default unit
/// of their dimension (deg for angles, turns/beat for spin rates), words as written.
struct ParamValues {
  std::vector<double> numbers;     ///< by spec index (0 for word parameters)
  std::vector<std::string> words;  ///< by spec index ("" for number parameters)

  /// Number i.
  double Number(size_t i) const { return i < numbers.size() ? numbers[i] : 0.0; }
  /// Number i, an angle, in rad.
  double Radians(size_t i) const { return Number(i) * 3.14159265358979323846 / 180.0; }
  /// Word i.
  const std::string& Word(size_t i) const;
};

/// What a move declares about itself.
struct MoveSpec {
  std::string name;               ///< registry name, e.g. "cross_step"
  std::string doc;                ///< one line
  LimbSet limbs = 0;              ///< limbs it drives
  std::vector<ParamSpec> params;  ///< its parameters, in a fixed order
  int cycle_beats = 0;            ///< > 0: a cue's length must be a whole number of cycles
  int min_beats = 1;              ///< shortest cue, beats (0: any length on the grid)
};

/// One handkerchief's reference pose.
struct HankyPose {
  bool spinning = false;  ///< spin on
  double phase = 0;       ///< rad, spin angle (continuous, not wrapped)
};

/// The pose channels moves write; each belongs to one limb.
struct BodyPose {
  double com_height_offset = 0;            ///< m, added to the CoM height (legs: knee bounce)
  double torso_yaw = 0;                    ///< rad, waist twist, + turns the chest left (waist)
  double trunk_roll = 0;                   ///< rad, side sway, + leans right (waist)
  double trunk_pitch = 0;                  ///< rad, + leans forward (waist: bow)
  std::array<double, kArmJoints> arm_q{};  ///< rad, arm joint targets (arms; 0 = hanging)
  std::array<HankyPose, 2> hanky;          ///< 0 left, 1 right (hanky)
};

/// The pose of the robot seen in a mirror (left <-> right): yaw, roll and spin
/// directions change sign, arms and hankies swap sides (shoulder roll and yaw negated).
BodyPose MirrorPose(const BodyPose& pose);

/// Robot geometry and gait numbers the compiler plans with. The defaults suit the
/// built-in H1-class robot; the controller side passes values read from the model.
struct GaitParams {
  double com_height = 0.95;      ///< m, CoM height when standing
  // Geometry of the robot's stand posture (assets/robots/h1/h1.xml keyframe "stand"): the
  // soles are 0.202 m either side of the pelvis and 0.025 m ahead of it. A reference that
  // puts the feet elsewhere relative to the CoM makes a standing robot lean and drift.
  double foot_lateral = 0.202;   ///< m, sole centre from the pelvis centre line (each side)
  double foot_forward = 0.025;   ///< m, sole centre ahead of the pelvis
  double swing_height = 0.03;    ///< m, swing apex height (quick low steps walk; see NOTES.md)
  FootstepLimits limits;         ///< step limits of dance steps (footstep_planner.h)
  /// The robot's soles are lines (RobotInfo::line_soles): its walks are compiled with the
  /// line-foot gait (controllers/line_foot_gait.h), else with the box-foot gait.
  bool line_soles = false;
  /// The robot's left sole (RobotInfo::sole): line-foot walks plan their single-support
  /// ZMP by it (LineFootSupportOutward, the public H1's toe bar).
  SoleSupport sole;
  /// What a walking step may do (walk_to, formation changes): the measured envelope of the
  /// gait of the robot's soles, quoted in FORMAT.md (gait_envelope.h).
  GaitEnvelope walk = MeasuredGaitEnvelope(line_soles);
  double min_first_step = 1.0;   ///< s, time the robots need before their first step
};

/// The geometry defaults walking the gait of a robot whose soles are lines (`line_soles`)
/// or flat boxes.
GaitParams GaitParamsForSoles(bool line_soles);
/// The gait of a robot with `info`'s soles (GaitParamsForSoles, and the sole itself).
GaitParams GaitParamsForRobot(const RobotInfo& info);
/// The footstep planner for a gait (nominal width 2 * foot_lateral).
FootstepPlannerParams PlannerParams(const GaitParams& gait);
/// Feet of a robot whose pelvis is at `pelvis` (world).
Stance StanceAtPelvis(const Pose2& pelvis, const GaitParams& gait);
/// Pelvis pose over a stance (inverse of StanceAtPelvis for a square stance).
Pose2 PelvisOfStance(const Stance& stance, const GaitParams& gait);

/// One footstep of a leg move, on the beat grid.
struct BeatStep {
  Foot foot = Foot::kLeft;   ///< the swing foot
  Pose2 pose;                ///< landing pose, world (m, m, rad)
  bool allow_cross = false;  ///< may land across the support foot
  Beats land;                ///< beats after the cue start at which it lands
  Beats duration{1};         ///< beats from the previous landing (lift-off + swing)
};

/// What a leg move plans from.
struct StepContext {
  Stance start;                              ///< feet at the cue start (world)
  Beats length;                              ///< cue length, beats
  const GaitParams* gait = nullptr;          ///< geometry and limits
  const FootstepPlanner* planner = nullptr;  ///< planner for the gait
  bool end_only = false;  ///< only where the feet end up matters (a move may plan faster)
};

/// A move of the library; stateless and shared.
class Move {
 public:
  virtual ~Move() = default;
  /// Its name, parameters, limbs and cycle.
  virtual const MoveSpec& spec() const = 0;
  /// Leg moves: appends the steps (world) of a cue; returns "" or why it cannot be
  /// danced (e.g. too far for the beats given). Steps land within (0, length].
  virtual std::string PlanSteps(const StepContext& context, const ParamValues& params,
                                std::vector<BeatStep>* steps) const;
  /// Writes the channels of its limbs at `u` beats into a cue of `length` beats
  /// (0 <= u <= length); other channels are left alone.
  virtual void Pose(const ParamValues& params, double u, double length, BodyPose* pose) const;
};

/// Smooth 0 -> 1 over [0, 1] with zero slope at both ends (3 s^2 - 2 s^3, clamped).
double SmoothStep(double s);
/// Fade-in/out weight of a cue at u beats of `length`: 1 inside, smooth ramps of
/// min(ramp, length / 4) beats at both ends, 0 at u = 0 and u = length.
double Envelope(double u, double length, double ramp = 1.0);

}  // namespace yangbot

#endif  // YANGBOT_CHOREOGRAPHY_MOVE_H_
