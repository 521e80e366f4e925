// Registration functions of the built-in moves, one per file in this folder; called
// from RegisterBuiltinMoves (move_registry.cc).
#ifndef YANGBOT_CHOREOGRAPHY_MOVES_BUILTIN_MOVES_H_
#define YANGBOT_CHOREOGRAPHY_MOVES_BUILTIN_MOVES_H_

#include "choreography/move_registry.h"

namespace yangbot {

/// stand: stand still in the neutral pose (legs, waist, arms).
void RegisterStand(MoveRegistry* registry);
/// cross_step (十字步): forward-across, forward, back-across, back over 4 beats (legs).
void RegisterCrossStep(MoveRegistry* registry);
/// three_forward_one_back (进三退一): three steps forward, one back, over 4 beats (legs).
void RegisterThreeForwardOneBack(MoveRegistry* registry);
/// knee_bounce: bend and straighten both knees on every beat (legs).
void RegisterKneeBounce(MoveRegistry* registry);
/// waist_twist: twist the chest left and right about the waist (waist).
void RegisterWaistTwist(MoveRegistry* registry);
/// side_sway: sway the upper body left and right (waist).
void RegisterSideSway(MoveRegistry* registry);
/// arm_swing: swing the arms forward and back, opposite each other (arms).
void RegisterArmSwing(MoveRegistry* registry);
/// figure_eight: draw figure-eights in front with the hands (arms).
void RegisterFigureEight(MoveRegistry* registry);
/// hanky_flower (手绢花): raise the hand and spin the handkerchief flat (arms, hanky).
void RegisterHankyFlower(MoveRegistry* registry);
/// flick: flick the forearm and the handkerchief on the beat (arms, hanky).
void RegisterFlick(MoveRegistry* registry);
/// bow: bend forward and come back up over the cue (waist, arms).
void RegisterBow(MoveRegistry* registry);
/// walk_to: walk to a place and facing, one step a beat (legs); formation changes use it.
void RegisterWalkTo(MoveRegistry* registry);
/// hanky_spin: spin the handkerchief, phase locked to the beat (hanky); `hanky: spin`.
void RegisterHankySpin(MoveRegistry* registry);
/// hanky_flick: a half turn of the handkerchief on the beat (hanky); `hanky: flick`.
void RegisterHankyFlick(MoveRegistry* registry);
/// hanky_throw: throw the handkerchief up and catch it (hanky); `hanky: throw`.
void RegisterHankyThrow(MoveRegistry* registry);

/// Sides a hand parameter selects: {left, right} flags for "left", "right", "both".
struct HandSides {
  bool left = false;   ///< left hand used
  bool right = false;  ///< right hand used
};
/// Parses a hand word (unknown words select the right hand).
HandSides SidesOf(const std::string& hand);

/// Handkerchief angle (rad) of a flick every cycle: half a turn per cycle, eased in and out
/// over the first 90 % of it; `cycles` counts flicks since the cue started (u / every).
/// The spinner motor has 0.5 N·m for a ~0.003 kg·m² handkerchief: a half turn in a
/// quarter beat at 120 bpm needs ~4 N·m, and the whole-body controller then swung the
/// whole body to turn it (a standing robot falls within 3 s; NOTES.md).
double FlickPhase(double cycles);

/// Writes a left-arm pose (pitch, roll, yaw, elbow; rad) to the chosen sides of
/// pose->arm_q, mirrored for the right arm (roll and yaw negated).
void SetArms(const std::array<double, 4>& left_arm, HandSides sides, BodyPose* pose);

}  // namespace yangbot

#endif  // YANGBOT_CHOREOGRAPHY_MOVES_BUILTIN_MOVES_H_
