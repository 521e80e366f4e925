// Gains and weights of the whole-body controller (controllers/whole_body_controller.h):
// the PD laws of its QP tasks, the task weights, the contact model and the settings of
// the behaviours that last seconds (catch-up after recovery steps, slow-step detection).
#ifndef YANGBOT_CONTROLLERS_WHOLE_BODY_GAINS_H_
#define YANGBOT_CONTROLLERS_WHOLE_BODY_GAINS_H_

#include "sim/scene.h"

namespace yangbot {

/// Gains and weights of the whole-body controller (see controllers/README.md).
struct WholeBodyGains {
  double com_kp = 40;            ///< 1/s², CoM position feedback
  double com_kd = 12;            ///< 1/s, CoM velocity feedback
  double com_z_kp = 100;         ///< 1/s², CoM height feedback
  double com_z_kd = 20;          ///< 1/s
  double foot_kp = 600;          ///< 1/s², swing foot pose
  double foot_kd = 50;           ///< 1/s
  double stance_damping = 20;    ///< 1/s, stance foot velocity damping (anti-slip)
  double pelvis_kp = 300;        ///< 1/s², pelvis orientation
  double pelvis_kd = 35;         ///< 1/s
  double posture_kp = 150;       ///< 1/s², joint posture (legs, torso)
  double posture_kd = 25;        ///< 1/s
  double arm_kp = 200;           ///< 1/s², arm joints
  double arm_kd = 28;            ///< 1/s
  double hanky_kp = 400;         ///< 1/s², spin phase
  double hanky_kd = 40;          ///< 1/s, spin rate
  double w_com = 100;            ///< CoM task weight
  double w_foot = 100;           ///< swing foot task weight
  /// Stance foot weight: "a stance foot does not accelerate" (less stance_damping times its
  /// velocity) is a task this heavy, not a hard equality. H1 legs have 5 joints, so two
  /// flat feet held in 6-D leave the pelvis 4 DoF; a foot that rocks on a sole edge (at the
  /// start, after a landing) then asked for pelvis accelerations of 100+ rad/s² that the
  /// QP met by giving up the CoM task, and the torques swung between the motor limits tick
  /// to tick. As an equality robots jump at the start and shows fall; as a task of 1e3
  /// to 1e4 they do not (figures in NOTES.md).
  double w_stance = 1e4;
  double w_pelvis = 10;          ///< pelvis roll and heading weight
  /// Pelvis pitch weight (all but recovery steps). Held loosely: the pitch task fights the
  /// CoM task when the CoM has to move on over the feet (walking, 进三退一). At w_pelvis
  /// quick walks of 0.5 m out and back fell 6/6 seeds (mostly walking back), a 2:45
  /// standing show 2/4, the 60 s demo loop (one robot) 1-4/4; at 1: 0/6, 0/4, 0/6
  /// (at 2: 1/6, 2/6, 1/6; 3: 5/6, -, 1/6).
  double w_pelvis_pitch = 1;
  double w_pelvis_recovery = 100;  ///< pelvis orientation weight while stepping to recover
  /// Pelvis roll weight for slow (one-step-a-beat, rocking) steps: used from the moment
  /// the reference's double support has lasted slow_double_support until the next double
  /// support starts. Quick steps (285-300 steps/min) fall with it; the cross step at
  /// 120 bpm bounces a foot with w_pelvis (tests/controllers/yangge_steps_test.cc).
  double w_pelvis_slow_steps = 30;
  /// Pelvis heading (yaw) weight during slow steps. With staggered or non-parallel soles
  /// and no ankle roll, moving the CoM on over the feet needs a small pelvis yaw and roll:
  /// at w_pelvis_slow_steps on every axis the CoM of 进三退一 stalls 6-8 cm behind its
  /// reference and the robot falls within 6 s.
  double w_pelvis_yaw_slow_steps = 0.3;
  /// Pelvis roll weights during travelling slow steps (the reference's CoM moved more
  /// than travel_speed * travel_window between its means over the last and the coming
  /// travel_window): loose in double support, where the CoM moves on, firmer in single
  /// support, where the pelvis roll sets how the swing foot lands. Measured on 进三退一 at
  /// 120 bpm, 4 cm strides, seeds 1-8: 0 falls with (1, 5); roll 30 in both fell every seed.
  double w_pelvis_travel_double_support = 1;
  double w_pelvis_travel_single_support = 5;
  /// m each foot's offset from the plan shrinks by at each of its planned steps after
  /// recovery steps (the robot rejoins the plan's timing at once and walks back to the
  /// plan's positions with the plan's own steps, each this much longer or shorter).
  double catch_up_step = 0.05;
  /// m, line feet: catch_up_step, and how far a catching-up foot may land from the other
  /// foot's offset or move its own (catch_up_walk_reach, reach_back, along) per step.
  double line_catch_up_step = 0.15;
  /// Line feet, the catch-up walk (PlanCatchUp::PlanLineWalk): step limits of the line-foot
  /// gait's planner (m a step ahead, behind and sideways beyond the stance width), beats
  /// from planning to its first touch-down, and how long (s) the plan must stand where the
  /// walk ends after its last touch-down (the line gait settles before dance steps).
  double line_walk_forward = 0.4;
  double line_walk_backward = 0.25;  ///< see line_walk_forward
  double line_walk_lateral = 0.2;    ///< see line_walk_forward
  double line_walk_lead_beats = 2;   ///< see line_walk_forward
  double line_walk_period = 0.5;     ///< s a step (one a beat at 120 bpm, the gait's measured rate)
  double line_walk_stand = 2.0;      ///< see line_walk_forward
  double line_walk_horizon = 30;     ///< s, how far ahead the plan's standstill is looked for
  /// m, a catch-up walk from a stance with a foot this near a neighbour's pelvis lifts that
  /// foot first (plan_catch_up.h FirstFootNearNeighbours)
  double line_walk_neighbour_clearance = 0.7;
  /// m, most travel of the catch-up walk's squaring first step (plan_catch_up.cc SquaringStep)
  double line_walk_square_travel = 0.35;
  double catch_up_blend = 0.15;  ///< s over which a lifted foot's target takes the new offset
  /// Catch-up walk: when the plan stands still long enough (no planned steps to shrink
  /// the offsets, e.g. a robot pushed into a 30 cm stagger before a long stretch of arm
  /// work), the robot walks back to the plan's feet in quick steps of its own (the show's
  /// walking gait, controllers/walking_reference.h) while arms, waist and handkerchiefs
  /// keep dancing; the rear foot of a stagger steps up first. A stagger left in place fell
  /// at the next planned walk (the default show, r05 pushed 30 N·s at 20 s, fell at 31-33 s).
  double catch_up_walk_reach = 0.05;   ///< m, landing ahead of the other foot
  /// m, landing behind the other foot (the quick gait walks back in short steps: with 5 cm
  /// the CoM lagged 7-12 cm behind a walk back and the capture point stepped it forward
  /// again; 2 cm keeps the CoM over the feet with held stance feet and squared staggers)
  double catch_up_walk_reach_back = 0.02;
  double catch_up_walk_along = 0.10;   ///< m, a foot's travel along its heading per step
  double catch_up_walk_across = 0.015; ///< m per step (H1 legs hardly side-step: 1 cm a step walks)
  double catch_up_walk_period = 0.2;   ///< s per step (300 steps/min)
  double catch_up_walk_apex = 0.03;    ///< m, swing apex (the show's quick steps walk at 3 cm)
  double catch_up_walk_lead = 1.0;     ///< s from planning to the first lift-off
  double catch_up_walk_settle = 1.0;   ///< s from the last touch-down to the walk's end
  /// m: a foot this far off its plan walks back even while the plan travels (进三退一,
  /// walks), its planned steps left out until the walk ends, to where the plan's feet are
  /// next both down. Travelling steps lengthened by catch_up_step fell (default show, r02
  /// pushed at 62 s); in-place dancing (the cross step) catches up better with its own
  /// steps (r05 at 20 s fell when its cross steps were left out for a walk).
  double catch_up_walk_preempt = 0.1;
  double travel_speed = 0.015;  ///< m/s, mean CoM reference speed that marks travelling
  double travel_window = 2;     ///< s
  double slow_double_support = 0.1;  ///< s, a double support this long marks slow steps
  /// rad, knees kept bent at least this much during recovery steps (a bound on their
  /// acceleration in the QP; -infinity: none). Recovery steps reaching far straightened
  /// both legs into the knee
  /// stop (-0.26 rad): the swing foot rose behind instead of swinging forward and the CoM
  /// rose 8 cm. 0.2 rad recovers the most pushes of the values measured (NOTES.md). Always
  /// on, the quick walk's landings come 47 ms off the beat (the swing knee straightens
  /// into a landing).
  double knee_min = 0.2;
  double knee_limit_horizon = 0.1;  ///< s in which the bound brings a knee to rest at knee_min
  double w_torso = 10;           ///< torso twist joint weight
  double w_legs = 0.01;          ///< leg posture weight (resolves redundancy)
  double w_arms = 5;             ///< arm joint weight
  double w_hanky = 1;            ///< spinner weight
  double w_qdd = 1e-4;           ///< acceleration regularisation
  double w_wrench = 1e-5;        ///< contact wrench regularisation
  double friction = 0.6;         ///< friction coefficient used in the pyramids (floor: 1.0)
  double min_normal_force = 10;  ///< N, per stance foot
  double sole_margin = 0.85;     ///< fraction of the sole the CoP may use
  double torque_margin = 0.98;   ///< fraction of each motor's limit the QP may use
  /// m, measured contact: a foot the reference puts on the ground whose sole is more than
  /// this above its reference height while the other foot bears weight is treated as a
  /// swing foot pulled back to its reference pose (the QP no longer counts on forces it
  /// cannot have, see controllers/README.md); <= 0: trust the reference's contact flags.
  double lifted_foot_tolerance = 0;
  /// m, the same while recovery steps rewrite the reference (stance feet held where they
  /// landed): a foot lifted more than this is put down again rather than asked for forces.
  double recovery_lifted_foot_tolerance = 0.01;
  /// Line feet (a sole narrower than line_foot_width, H1's rolling capsules): the CoM task
  /// is the DCM stabiliser (controllers/dcm_stabilizer.h) with this gain (the DCM error
  /// decays at dcm_gain * omega while the CoP is inside the support).
  double dcm_gain = 1.0;
  /// m: a sole whose contact is narrower than this over its heel half is a line (a toe
  /// bar does not count): it rolls about its long axis, so the stance and swing tasks leave that roll free, the CoP is held on the line
  /// and swing landings follow the step-to-step law (controllers/foot_placement.h).
  double line_foot_width = kLineSoleWidth;
};

}  // namespace yangbot

#endif  // YANGBOT_CONTROLLERS_WHOLE_BODY_GAINS_H_
