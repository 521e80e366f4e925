// The stage: one MuJoCo model holding N copies of a robot, built from the robot's
// MJCF file. The Scene is immutable once built (model, names, per-robot index
// ranges); everything that changes during a run lives in RunState (runner.h).
#ifndef YANGBOT_SIM_SCENE_H_
#define YANGBOT_SIM_SCENE_H_

#include <mujoco/mujoco.h>

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/landmarks.h"

namespace yangbot {

/// Where a robot stands at the start: position on the floor (m) and facing (rad, about z).
struct Placement {
  double x = 0;    ///< m
  double y = 0;    ///< m
  double yaw = 0;  ///< rad, 0 faces +x (towards the audience)
};

/// What to build.
struct SceneOptions {
  int robots = 16;                   ///< robot count, 1..32
  std::string robot_path;            ///< robot MJCF; empty: the built-in H1-class robot
  std::vector<Placement> placements; ///< one per robot; empty: a grid (see spacing)
  double spacing = 1.5;              ///< m, grid spacing when placements is empty
  double timestep = 0.002;           ///< s, physics step
  /// The handkerchiefs fly: each is a free body on a tether, latched to its pin
  /// (HandkerchiefProp, sim/handkerchief_throw.h); false: each is part of its spinner.
  bool throwing_hankies = false;
  /// Fixed landmarks of the stage (walls, pillars, set pieces; sim/landmarks.h): static
  /// geoms the lidars see and robots collide with. Empty: the bare stage.
  std::vector<Landmark> landmarks;
};

/// Path of the built-in H1-class robot file (assets/robots/h1/h1.xml): the H1's narrow
/// rolling line soles, one heel-to-toe capsule a foot.
std::string DefaultRobotPath();

/// Path of the handkerchief assembly (spinner motor and handkerchief) that the stage attaches
/// to each forearm of an H1 that has none.
std::string HandkerchiefAssemblyPath();

/// The H1's 19 actuated joints, in actuator order, with the public model's names (MuJoCo
/// Menagerie unitree_h1); each is driven by a motor of the same name.
inline constexpr std::array<const char*, 19> kH1Joints = {
    "left_hip_yaw",        "left_hip_roll",       "left_hip_pitch",     "left_knee",
    "left_ankle",          "right_hip_yaw",       "right_hip_roll",     "right_hip_pitch",
    "right_knee",          "right_ankle",         "torso",              "left_shoulder_pitch",
    "left_shoulder_roll",  "left_shoulder_yaw",   "left_elbow",         "right_shoulder_pitch",
    "right_shoulder_roll", "right_shoulder_yaw",  "right_elbow"};

/// Bodies of the H1 layout the stage and the controllers use: feet, forearms, torso.
inline constexpr std::array<const char*, 5> kH1Bodies = {
    "left_ankle_link", "right_ankle_link", "left_elbow_link", "right_elbow_link", "torso_link"};

/// Default formation: a near-square grid, `spacing` apart, centred on the origin, facing +x.
std::vector<Placement> GridPlacements(int robots, double spacing);

/// m: a sole whose heel half is narrower than this across rolls about its long axis (the
/// public H1 model's heel-to-toe capsules, with or without a toe bar): a line sole. Wider
/// soles (the box feet of the test robot assets/robots/h1_box/h1_box.xml) stand flat.
inline constexpr double kLineSoleWidth = 0.01;

/// Where a sole touches a flat floor, in its sole site's frame (x along the foot, y to its
/// left, z up): the span of the foot's collision points within 1 cm of the lowest.
struct SoleSupport {
  double x_min = 0, x_max = 0;  ///< m, heel and toe ends
  double y_min = 0, y_max = 0;  ///< m, right and left edges
  bool line = false;            ///< its heel half is narrower than the line width: it rolls
};

/// The support of the sole at site `site` of `m` (any model holding it: a robot file or the
/// stage), read from the collision geoms (boxes, spheres, capsules, cylinders) of the site's
/// body in the model's own frames; `line_width` (m) tells line soles from flat ones. The
/// one sole detection: the stage's RobotInfo and the whole-body controller both use it.
/// nullopt when the body has no collision geometry of those kinds.
std::optional<SoleSupport> ReadSoleSupport(const mjModel* m, int site,
                                           double line_width = kLineSoleWidth);

/// Facts about the robot file, read from the single-robot model (same for every copy).
struct RobotInfo {
  std::string path;                         ///< source file
  int nq = 0, nv = 0, nu = 0;               ///< per-robot sizes (free joint included)
  int nbody = 0, njnt = 0, ngeom = 0, nsite = 0, nsensor = 0;  ///< per-robot counts
  std::vector<std::string> body_names;      ///< local body i (0 = robot root), "" if unnamed
  std::vector<std::string> joint_names;     ///< local joint i (0 = the free joint)
  std::vector<std::string> geom_names;      ///< local geom i
  std::vector<int> geom_contype;            ///< local geom i's contype bits, as the file has them
  std::vector<int> geom_conaffinity;        ///< local geom i's conaffinity bits, as the file has them
  std::vector<std::string> site_names;      ///< local site i
  std::vector<std::string> actuator_names;  ///< local actuator i
  std::vector<std::string> sensor_names;    ///< local sensor i
  std::vector<double> stand_qpos;           ///< standing posture (size nq), key "stand" or qpos0
  std::vector<int> actuator_qpos;           ///< local qpos address of actuator i's joint
  std::vector<int> actuator_dof;            ///< local dof address of actuator i's joint
  std::vector<double> ctrl_min, ctrl_max;   ///< N·m, torque limits of actuator i
  double mass = 0;                          ///< kg, total
  int torso_body = 0;                       ///< local body "torso_link", else 0 (the root)
  std::vector<int> imu_sensors;             ///< local sensors mounted on the site "imu" (the IMU)
  /// Both soles (sites "left_sole", "right_sole") are lines (ReadSoleSupport): the robot
  /// walks the line-foot gait (controllers/line_foot_gait.h), else the box-foot gait.
  bool line_soles = false;
  /// Support of the left sole (site "left_sole", its own frame; the right one mirrors it),
  /// as ReadSoleSupport reads it; all zero without that site.
  SoleSupport sole;
  /// Seated pose of each handkerchief hub (0 left, 1 right) in the standing posture, in the
  /// robot file's world frame: x, y, z (m) and quaternion w, x, y, z (the spinner body's
  /// frame); all zero when the robot has no site "left_hanky_hub" / "right_hanky_hub".
  std::array<std::array<double, 7>, 2> hanky_seat{};
  /// The robot MJCF as staged: the file with what the stage adds, compiler folders absolute.
  std::string staged_xml;
  /// What the stage added to the file, in order: "left_sole site", "right_sole site",
  /// "left handkerchief", "right handkerchief", "stand posture" (empty for the project's robot).
  std::vector<std::string> stage_added;

  /// Local index of a named element (-1 when absent); `names` is one of the lists above.
  static int IndexOf(const std::vector<std::string>& names, const std::string& name);
};

/// Where one robot's elements sit in the shared model: each kind is a contiguous block.
struct RobotIndex {
  std::string prefix;    ///< name prefix, e.g. "r03/"
  int body_begin = 0;    ///< id of the root body; the robot owns [body_begin, +nbody)
  int jnt_begin = 0;     ///< first joint id (the free joint)
  int qpos_begin = 0;    ///< first qpos address (size nq block)
  int dof_begin = 0;     ///< first dof address (size nv block)
  int geom_begin = 0;    ///< first geom id
  int site_begin = 0;    ///< first site id
  int ctrl_begin = 0;    ///< first actuator id (size nu block)
  int sensor_begin = 0;  ///< first sensor id
};

/// One throwable handkerchief of the stage (throw mode): ids in the shared model. The flying
/// bodies sit after all robots (MuJoCo gives free joints to top-level bodies only), so each
/// robot's own blocks (RobotIndex) are as without throws.
struct HandkerchiefProp {
  int robot = 0;         ///< robot index
  int side = 0;          ///< 0 left, 1 right
  int body = 0;          ///< the flying handkerchief's body
  int qpos_begin = 0;    ///< its free joint's qpos (x y z, quaternion)
  int dof_begin = 0;     ///< its free joint's dofs (linear, angular in the world frame)
  int pin_body = 0;      ///< the spinner body (the pin) it is seated on
  int spin_joint = 0;    ///< the spinner's hinge joint
  int hub_site = 0;      ///< the pin's hub site (the seat's centre)
  int flight_hub_site = 0;  ///< the handkerchief's hub site
  int pusher_site = 0;   ///< the ejector's base on the pin (below the hub)
  /// The latch's actuators (0 latched, 1 open): springs a, b, c then dampers a, b, c.
  std::array<int, 6> latch_ctrl{};
  int pusher_ctrl = 0;   ///< the ejector's actuator (N, pushes the hub along the pin)
  int winch_ctrl = 0;    ///< the winch's actuator (N, <= 0 pulls the tether in)
  int tether_tendon = 0; ///< the tether (pin hub to handkerchief hub)
  int pusher_tendon = 0; ///< the ejector's line (its base to the handkerchief hub)
};

/// The compiled stage of N robots.
class Scene {
 public:
  /// Builds and compiles the scene; throws yangbot::Error with a clear message on bad input.
  static std::unique_ptr<Scene> Build(const SceneOptions& options);
  ~Scene();
  Scene(const Scene&) = delete;
  Scene& operator=(const Scene&) = delete;

  /// The compiled model (never changed after Build).
  const mjModel* model() const { return model_; }
  /// The exact MJCF text that was compiled (what `yangbot export-scene` writes).
  const std::string& xml() const { return xml_; }
  /// Options it was built from (placements filled in).
  const SceneOptions& options() const { return options_; }
  /// Facts about one robot copy.
  const RobotInfo& robot_info() const { return info_; }
  /// Number of robots.
  int robot_count() const { return static_cast<int>(robots_.size()); }
  /// Index ranges of robot i (0-based).
  const RobotIndex& robot(int i) const { return robots_[i]; }
  /// Name prefix of robot i, "r00/" ... "r31/".
  static std::string Prefix(int i);
  /// Id of the scene's "stand" keyframe.
  int stand_key() const { return stand_key_; }
  /// The throwable handkerchiefs, robot by robot, left then right (empty unless
  /// options().throwing_hankies).
  const std::vector<HandkerchiefProp>& hankies() const { return hankies_; }

 private:
  Scene() = default;
  SceneOptions options_;
  RobotInfo info_;
  std::vector<RobotIndex> robots_;
  std::vector<HandkerchiefProp> hankies_;
  std::string xml_;
  mjModel* model_ = nullptr;
  int stand_key_ = 0;
};

/// What of the H1 layout (kH1Bodies, kH1Joints and their motors) the robot lacks, e.g.
/// "joint 'left_knee'; motors 'left_knee', 'right_knee'" (at most 6 names a kind, then "and N
/// more"); empty when it has the H1 layout.
std::string MissingH1Layout(const RobotInfo& info);

/// Loads a single-robot MJCF and reads its RobotInfo; throws yangbot::Error naming what is
/// wrong ("PATH:LINE:COL: error: ..." where it points at an element): malformed XML, what
/// MuJoCo rejects, no single floating base, mocap bodies, equality constraints, actuators
/// that are not torque motors on joints with a torque limit, massless bodies, and dofs that
/// move next to no inertia (the dynamics would blow up).
///
/// A robot with the H1 layout (MissingH1Layout is empty) is completed to the project's layout,
/// so that any H1 model as shipped can dance every show:
///  - without a site "left_sole" / "right_sole", the stage adds one on the foot, at the centre
///    of the span of the foot's lowest collision points in the standing posture (z up);
///  - without a motor "left_hanky" / "right_hanky", it attaches the handkerchief assembly
///    (HandkerchiefAssemblyPath) to that side's elbow link;
///  - without a keyframe "stand", it stands the robot with the H1's 0.8 rad knee bend, feet
///    flat and the pelvis level, leaning the shanks so that the centre of mass is over the
///    middle of the soles, and lowers it until the soles touch the floor.
/// The IMU stays optional: the controllers read the base from qpos/qvel without one.
RobotInfo LoadRobotInfo(const std::string& path);

/// Builds the scene MJCF text for the options (used by Scene::Build).
std::string BuildSceneXml(const SceneOptions& options, const RobotInfo& info);

}  // namespace yangbot

#endif  // YANGBOT_SIM_SCENE_H_
