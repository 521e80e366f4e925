// Any H1 model as shipped: a robot file with the public model's body, joint and motor names
// and nothing of this project's (assets/robots/h1_stock/h1_stock.xml) is completed by the
// stage (sole sites, handkerchiefs, a standing posture) and danced by the controllers.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "controllers/robot_state.h"
#include "controllers/whole_body_controller.h"
#include "sim/assets.h"
#include "sim/error.h"
#include "sim/runner.h"
#include "sim/scene.h"
#include "tests/box_sole_robot.h"
#include "tests/sim/sim_fixtures.h"

namespace yangbot {
namespace {

std::string StockPath() { return AssetsDir() + "/robots/h1_stock/h1_stock.xml"; }

// `path`'s text with every match of `pattern` replaced, written to a temp file `name`.
std::string Edited(const std::string& path, const std::string& pattern, const std::string& with,
                   const std::string& name) {
  const std::string text = std::regex_replace(ReadFileOrThrow(path), std::regex(pattern), with);
  const std::string out = ::testing::TempDir() + "/" + name;
  WriteFileAtomic(out, text);
  return out;
}

std::unique_ptr<Scene> Stage(const std::string& path) {
  SceneOptions options;
  options.robots = 1;
  options.robot_path = path;
  return Scene::Build(options);
}

TEST(StockRobotTest, LoadsWithNoSitesSensorsOrKeyframeAndIsCompleted) {
  // The file as shipped: nothing of the project's.
  char error[1000] = "";
  mjModel* raw = mj_loadXML(StockPath().c_str(), nullptr, error, sizeof(error));
  ASSERT_TRUE(raw) << error;
  EXPECT_EQ(raw->nsite, 0);
  EXPECT_EQ(raw->nsensor, 0);
  EXPECT_EQ(raw->nkey, 0);
  EXPECT_EQ(raw->nu, 19);
  mj_deleteModel(raw);

  const RobotInfo info = LoadRobotInfo(StockPath());
  EXPECT_EQ(info.stage_added,
            (std::vector<std::string>{"left_sole site", "right_sole site", "left handkerchief",
                                      "right handkerchief", "stand posture"}));
  // The soles, and the handkerchief assembly's seat sites (throw mode, handkerchief.xml).
  EXPECT_EQ(info.site_names,
            (std::vector<std::string>{
                "left_sole", "right_sole", "left_hanky_hub", "left_hanky_seat_a",
                "left_hanky_seat_b", "left_hanky_seat_c", "left_hanky_pusher", "right_hanky_hub",
                "right_hanky_seat_a", "right_hanky_seat_b", "right_hanky_seat_c",
                "right_hanky_pusher"}));
  EXPECT_TRUE(info.imu_sensors.empty());
  ASSERT_EQ(info.nu, 21);
  for (size_t k = 0; k < kH1Joints.size(); ++k) EXPECT_EQ(info.actuator_names[k], kH1Joints[k]);
  EXPECT_EQ(info.actuator_names[19], "left_hanky");
  EXPECT_EQ(info.actuator_names[20], "right_hanky");
  EXPECT_EQ(info.nv, 6 + info.nu);  // every joint driven, as the whole-body controller needs
  // The IMU is optional: the controllers read the base from qpos/qvel.
  const RobotLayout layout = RobotLayout::Resolve(info);
  EXPECT_EQ(layout.imu_site, -1);
  EXPECT_EQ(layout.left_hanky, 19);
  EXPECT_EQ(layout.right_hanky, 20);
}

TEST(StockRobotTest, SolesAreWhereTheFootGeomsTouchTheFloorInTheStandingPosture) {
  auto scene = Stage(StockPath());
  const mjModel* m = scene->model();
  mjData* d = mj_makeData(m);
  mj_resetDataKeyframe(m, d, scene->stand_key());
  mj_forward(m, d);
  for (const std::string side : {"left", "right"}) {
    const int foot = mj_name2id(m, mjOBJ_BODY, ("r00/" + side + "_ankle_link").c_str());
    const int site = mj_name2id(m, mjOBJ_SITE, ("r00/" + side + "_sole").c_str());
    ASSERT_GE(site, 0);
    EXPECT_EQ(m->site_bodyid[site], foot);
    // The capsules' lowest points, from the geoms themselves.
    const double* o = d->xpos + 3 * foot;
    const double* R = d->xmat + 9 * foot;
    double lowest = 1e9;
    std::vector<std::array<double, 3>> ends;  // capsule ends minus the radius, foot frame
    for (int g = m->body_geomadr[foot]; g < m->body_geomadr[foot] + m->body_geomnum[foot]; ++g) {
      ASSERT_EQ(m->geom_type[g], mjGEOM_CAPSULE);
      const double* c = d->geom_xpos + 3 * g;
      const double* a = d->geom_xmat + 9 * g;
      for (const double s : {-1.0, 1.0}) {
        const double w[3] = {c[0] + s * a[2] * m->geom_size[3 * g + 1],
                             c[1] + s * a[5] * m->geom_size[3 * g + 1],
                             c[2] + s * a[8] * m->geom_size[3 * g + 1] - m->geom_size[3 * g]};
        lowest = std::min(lowest, w[2]);
        std::array<double, 3> local{};
        for (int k = 0; k < 3; ++k) {
          local[k] = R[k] * (w[0] - o[0]) + R[3 + k] * (w[1] - o[1]) + R[6 + k] * (w[2] - o[2]);
        }
        ends.push_back({local[0], local[1], w[2]});
      }
    }
    // The standing posture puts them on the floor (to the keyframe's 6 digits), the foot flat.
    EXPECT_NEAR(lowest, 0, 1e-6) << side;
    EXPECT_NEAR(R[8], 1, 1e-9) << side;
    // The site: at that height, midway between heel and toe bar, on the foot's axis, z up.
    double x_min = 1e9, x_max = -1e9, y_min = 1e9, y_max = -1e9;
    for (const auto& e : ends) {
      if (e[2] > lowest + 1e-6) continue;
      x_min = std::min(x_min, e[0]);
      x_max = std::max(x_max, e[0]);
      y_min = std::min(y_min, e[1]);
      y_max = std::max(y_max, e[1]);
    }
    EXPECT_NEAR(x_min, -0.035, 1e-9);  // the heel
    EXPECT_NEAR(x_max, 0.14, 1e-9);    // the toe bar
    EXPECT_NEAR(y_max - y_min, 0.06, 1e-9);
    EXPECT_NEAR(d->site_xpos[3 * site + 2], lowest, 1e-6) << side;
    const double* p = m->site_pos + 3 * site;
    EXPECT_NEAR(p[0], 0.5 * (x_min + x_max), 1e-6) << side;
    EXPECT_NEAR(p[1], 0.5 * (y_min + y_max), 1e-6) << side;
    EXPECT_NEAR(p[2], -0.07, 1e-6) << side;
    EXPECT_NEAR(d->site_xmat[9 * site + 8], 1, 1e-9) << side;
  }
  // The posture leans the shanks until the centre of mass is over the middle of the soles
  // (of the file's robot: the handkerchiefs, attached after, move it 0.3 mm forward).
  const double* com = d->subtree_com + 3 * mj_name2id(m, mjOBJ_BODY, "r00/pelvis");
  const double middle = 0.5 * (d->site_xpos[3 * mj_name2id(m, mjOBJ_SITE, "r00/left_sole")] +
                               d->site_xpos[3 * mj_name2id(m, mjOBJ_SITE, "r00/right_sole")]);
  EXPECT_NEAR(com[0], middle, 1e-3);
  mj_deleteData(d);
}

TEST(StockRobotTest, DerivesTheProjectRobotsHandPlacedSolesFromItsFeet) {
  // The project's robot (line soles) and the box-soled test robot without their sole
  // sites: the derived ones are where they were.
  for (const std::string& robot : {DefaultRobotPath(), BoxSoleRobotPath()}) {
    SCOPED_TRACE(robot);
    const std::string path = Edited(robot, R"(\n *<site name="(left|right)_sole"[^>]*>)",
                                    "", "h1_without_soles.xml");
    const RobotInfo info = LoadRobotInfo(path);
    EXPECT_EQ(info.stage_added,
              (std::vector<std::string>{"left_sole site", "right_sole site", "left handkerchief",
                                        "right handkerchief"}));
    auto scene = Stage(path);
    const mjModel* m = scene->model();
    for (const char* site : {"r00/left_sole", "r00/right_sole"}) {
      const int s = mj_name2id(m, mjOBJ_SITE, site);
      ASSERT_GE(s, 0) << site;
      EXPECT_NEAR(m->site_pos[3 * s], 0.03, 1e-6) << site;
      EXPECT_NEAR(m->site_pos[3 * s + 1], 0, 1e-6) << site;
      EXPECT_NEAR(m->site_pos[3 * s + 2], -0.07, 1e-6) << site;
      EXPECT_NEAR(m->site_quat[4 * s], 1, 1e-9) << site;
    }
  }
}

TEST(StockRobotTest, HandkerchiefsAreAttachedToTheForearmsAndSpin) {
  auto scene = Stage(StockPath());
  const mjModel* m = scene->model();
  mjData* d = mj_makeData(m);
  mj_resetDataKeyframe(m, d, scene->stand_key());
  for (const std::string side : {"left", "right"}) {
    const int body = mj_name2id(m, mjOBJ_BODY, ("r00/" + side + "_hanky").c_str());
    const int motor = mj_name2id(m, mjOBJ_ACTUATOR, ("r00/" + side + "_hanky").c_str());
    ASSERT_GE(body, 0) << side;
    ASSERT_GE(motor, 0) << side;
    EXPECT_EQ(m->body_parentid[body],
              mj_name2id(m, mjOBJ_BODY, ("r00/" + side + "_elbow_link").c_str()));
    EXPECT_DOUBLE_EQ(m->body_mass[body], 0.032);
    EXPECT_DOUBLE_EQ(m->actuator_ctrlrange[2 * motor + 1], 0.5);
    EXPECT_GE(mj_name2id(m, mjOBJ_GEOM, ("r00/" + side + "_hanky_cloth").c_str()), 0);
    d->ctrl[motor] = side == "left" ? 0.5 : -0.5;
  }
  // The robot is passive and starts to fall; the spinners spin up regardless.
  while (d->time < 0.2) mj_step(m, d);
  const int left = m->jnt_dofadr[mj_name2id(m, mjOBJ_JOINT, "r00/left_hanky")];
  const int right = m->jnt_dofadr[mj_name2id(m, mjOBJ_JOINT, "r00/right_hanky")];
  EXPECT_GT(d->qvel[left], 20);    // rad/s
  EXPECT_LT(d->qvel[right], -20);  // rad/s
  mj_deleteData(d);
}

TEST(StockRobotTest, AnUnknownLayoutIsOneErrorNamingWhatIsMissing) {
  // A near-H1: the left knee joint renamed (its motor still named left_knee).
  const std::string path = Edited(StockPath(), R"("left_knee")", R"("left_knee_joint")",
                                  "h1_stock_renamed_knee.xml");
  const std::string renamed = Edited(path, R"(motor class="h1" name="left_knee_joint")",
                                     R"(motor class="h1" name="left_knee")", "h1_stock_knee.xml");
  const RobotInfo info = LoadRobotInfo(renamed);
  EXPECT_TRUE(info.stage_added.empty());  // not an H1: the stage adds nothing
  try {
    RobotLayout::Resolve(info);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              renamed + ": error: not an H1 layout: the controllers need the H1's body, joint and "
                        "motor names (those of MuJoCo Menagerie's unitree_h1); missing joint "
                        "'left_knee'");
  }
  // Far from an H1: everything is named, six a kind.
  try {
    RobotLayout::Resolve(LoadRobotInfo(testing::SimTestdata("tiny_robot.xml")));
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(
                  "missing bodies 'left_ankle_link', 'right_ankle_link', 'left_elbow_link', "
                  "'right_elbow_link', 'torso_link'; joints 'left_hip_yaw', 'left_hip_roll', "
                  "'left_hip_pitch', 'left_knee', 'left_ankle', 'right_hip_yaw' and 13 more; "
                  "motors "),
              std::string::npos)
        << e.what();
  }
}

TEST(StockRobotTest, TheProjectRobotsCompiledLayoutIsUnchanged) {
  // The handkerchiefs come from the shared assembly, in the places they had in h1.xml:
  // last children of the elbow links, motors last, same masses and joint dynamics.
  const RobotInfo info = LoadRobotInfo(DefaultRobotPath());
  EXPECT_EQ(info.stage_added, (std::vector<std::string>{"left handkerchief", "right handkerchief"}));
  EXPECT_EQ(info.nq, 28);
  EXPECT_EQ(info.nu, 21);
  EXPECT_EQ(info.body_names,
            (std::vector<std::string>{
                "pelvis", "left_hip_yaw_link", "left_hip_roll_link", "left_hip_pitch_link",
                "left_knee_link", "left_ankle_link", "right_hip_yaw_link", "right_hip_roll_link",
                "right_hip_pitch_link", "right_knee_link", "right_ankle_link", "torso_link",
                "left_shoulder_pitch_link", "left_shoulder_roll_link", "left_shoulder_yaw_link",
                "left_elbow_link", "left_hanky", "right_shoulder_pitch_link",
                "right_shoulder_roll_link", "right_shoulder_yaw_link", "right_elbow_link",
                "right_hanky"}));
  EXPECT_EQ(info.site_names,
            (std::vector<std::string>{
                "imu", "left_sole", "right_sole", "left_hand", "left_hanky_hub",
                "left_hanky_seat_a", "left_hanky_seat_b", "left_hanky_seat_c", "left_hanky_pusher",
                "right_hand", "right_hanky_hub", "right_hanky_seat_a", "right_hanky_seat_b",
                "right_hanky_seat_c", "right_hanky_pusher"}));
  EXPECT_EQ(info.actuator_names.back(), "right_hanky");
  EXPECT_NEAR(info.mass, 51.5, 0.01);
  // The file's standing posture, with the spinners at 0.
  EXPECT_DOUBLE_EQ(info.stand_qpos[2], 0.9802);
  EXPECT_DOUBLE_EQ(info.stand_qpos[9], -0.34);
  EXPECT_EQ(info.stand_qpos[26], 0);
  EXPECT_EQ(info.stand_qpos[27], 0);
  auto scene = Stage(DefaultRobotPath());
  const mjModel* m = scene->model();
  const int joint = mj_name2id(m, mjOBJ_JOINT, "r00/left_hanky");
  const int body = mj_name2id(m, mjOBJ_BODY, "r00/left_hanky");
  EXPECT_DOUBLE_EQ(m->dof_damping[m->jnt_dofadr[joint]], 0.0005);
  EXPECT_DOUBLE_EQ(m->dof_armature[m->jnt_dofadr[joint]], 0.0002);
  EXPECT_FALSE(m->jnt_limited[joint]);
  EXPECT_DOUBLE_EQ(m->body_pos[3 * body], 0.28);
  EXPECT_DOUBLE_EQ(m->body_pos[3 * body + 2], 0.02);
  const int cloth = mj_name2id(m, mjOBJ_GEOM, "r00/left_hanky_cloth");
  EXPECT_EQ(m->geom_contype[cloth], 0);
  EXPECT_EQ(m->geom_conaffinity[cloth], 0);
}

// Physics: the stock robot stands under the whole-body controller, as the project's does.
TEST(StockRobotTest, StandsFiveSecondsUnderTheWholeBodyController) {
  auto scene = Stage(StockPath());
  auto state = StartRun(*scene, MakeWholeBodyControllerFactory(), 1);
  RunUntil(*scene, state.get(), 5.0);
  EXPECT_EQ(state->metrics.falls(), 0);
  EXPECT_GT(state->metrics.robots[0].min_pelvis_height, 0.9);
}

}  // namespace
}  // namespace yangbot
