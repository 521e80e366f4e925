#include "sim/scene.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>

#include "sim/assets.h"
#include "sim/error.h"
#include "tests/box_sole_robot.h"
#include "tests/sim/sim_fixtures.h"

namespace yangbot {
namespace {

struct JointFact {
  double lo, hi, torque;
};

// shared/docs/h1-facts.md, in actuator order.
const std::vector<std::pair<std::string, JointFact>> kH1Facts = {
    {"left_hip_yaw", {-0.43, 0.43, 200}},         {"left_hip_roll", {-0.43, 0.43, 200}},
    {"left_hip_pitch", {-1.57, 1.57, 200}},       {"left_knee", {-0.26, 2.05, 300}},
    {"left_ankle", {-0.87, 0.52, 40}},            {"right_hip_yaw", {-0.43, 0.43, 200}},
    {"right_hip_roll", {-0.43, 0.43, 200}},       {"right_hip_pitch", {-1.57, 1.57, 200}},
    {"right_knee", {-0.26, 2.05, 300}},           {"right_ankle", {-0.87, 0.52, 40}},
    {"torso", {-2.35, 2.35, 200}},                {"left_shoulder_pitch", {-2.87, 2.87, 40}},
    {"left_shoulder_roll", {-0.34, 3.11, 40}},    {"left_shoulder_yaw", {-1.3, 4.45, 18}},
    {"left_elbow", {-1.25, 2.61, 18}},            {"right_shoulder_pitch", {-2.87, 2.87, 40}},
    {"right_shoulder_roll", {-3.11, 0.34, 40}},   {"right_shoulder_yaw", {-4.45, 1.3, 18}},
    {"right_elbow", {-1.25, 2.61, 18}},
};

class SceneTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    SceneOptions options;
    options.robots = 16;
    scene_ = Scene::Build(options).release();
  }
  static void TearDownTestSuite() { delete scene_; }
  static Scene* scene_;
};
Scene* SceneTest::scene_ = nullptr;

TEST_F(SceneTest, RobotJointsRangesAndTorquesMatchTheH1Facts) {
  const mjModel* m = scene_->model();
  const RobotInfo& info = scene_->robot_info();
  ASSERT_GE(info.nu, 19);
  for (size_t k = 0; k < kH1Facts.size(); ++k) {
    const auto& [name, fact] = kH1Facts[k];
    EXPECT_EQ(info.actuator_names[k], name) << "actuator order";
    const int joint = mj_name2id(m, mjOBJ_JOINT, ("r00/" + name).c_str());
    ASSERT_GE(joint, 0) << name;
    EXPECT_EQ(m->jnt_type[joint], mjJNT_HINGE);
    EXPECT_TRUE(m->jnt_limited[joint]) << name;
    EXPECT_NEAR(m->jnt_range[2 * joint], fact.lo, 1e-9) << name;
    EXPECT_NEAR(m->jnt_range[2 * joint + 1], fact.hi, 1e-9) << name;
    EXPECT_NEAR(m->dof_damping[m->jnt_dofadr[joint]], 1.0, 1e-12) << name;
    EXPECT_NEAR(m->dof_armature[m->jnt_dofadr[joint]], 0.1, 1e-12) << name;
    const int motor = mj_name2id(m, mjOBJ_ACTUATOR, ("r00/" + name).c_str());
    ASSERT_GE(motor, 0) << name;
    EXPECT_EQ(m->actuator_trnid[2 * motor], joint);
    EXPECT_EQ(m->actuator_gaintype[motor], mjGAIN_FIXED);
    EXPECT_EQ(m->actuator_biastype[motor], mjBIAS_NONE);
    EXPECT_TRUE(m->actuator_ctrllimited[motor]);
    EXPECT_DOUBLE_EQ(m->actuator_ctrlrange[2 * motor], -fact.torque) << name;
    EXPECT_DOUBLE_EQ(m->actuator_ctrlrange[2 * motor + 1], fact.torque) << name;
  }
  // Axes: yaw about z, roll about x, pitch (and knee, ankle, elbow) about y.
  for (const auto& [name, fact] : kH1Facts) {
    const int joint = mj_name2id(m, mjOBJ_JOINT, ("r00/" + name).c_str());
    const double* axis = m->jnt_axis + 3 * joint;
    const int expected = name.find("yaw") != std::string::npos || name == "torso" ? 2
                         : name.find("roll") != std::string::npos             ? 0
                                                                             : 1;
    EXPECT_DOUBLE_EQ(axis[expected], 1.0) << name;
  }
}

TEST_F(SceneTest, RobotMassAndLinksMatchTheFacts) {
  const RobotInfo& info = scene_->robot_info();
  EXPECT_NEAR(info.mass, 51.4 + 0.064, 0.2);  // public model's total plus two handkerchiefs
  const mjModel* m = scene_->model();
  const std::map<std::string, double> masses = {{"pelvis", 5.39}, {"torso_link", 17.79},
                                                {"left_hip_pitch_link", 4.152},
                                                {"left_knee_link", 1.721},
                                                {"right_elbow_link", 0.669}};
  for (const auto& [name, mass] : masses) {
    const int body = mj_name2id(m, mjOBJ_BODY, ("r05/" + name).c_str());
    ASSERT_GE(body, 0) << name;
    EXPECT_NEAR(m->body_mass[body], mass, 1e-9) << name;
  }
  // The H1's feet: one heel-to-toe capsule a sole, about 0.2 m long and at most 6 cm
  // across, rounded so that the foot rolls about its long axis.
  const int foot = mj_name2id(m, mjOBJ_GEOM, "r00/left_foot");
  ASSERT_GE(foot, 0);
  EXPECT_EQ(m->geom_type[foot], mjGEOM_CAPSULE);
  const double radius = m->geom_size[3 * foot], half_length = m->geom_size[3 * foot + 1];
  EXPECT_LE(2 * radius, 0.06);
  EXPECT_NEAR(2 * (half_length + radius), 0.22, 0.03);
  EXPECT_TRUE(scene_->robot_info().line_soles);
}

TEST_F(SceneTest, HandkerchiefsAreLightMotorisedSpinners) {
  const mjModel* m = scene_->model();
  for (const char* side : {"left", "right"}) {
    const std::string name = std::string("r07/") + side + "_hanky";
    const int joint = mj_name2id(m, mjOBJ_JOINT, name.c_str());
    const int body = mj_name2id(m, mjOBJ_BODY, name.c_str());
    const int motor = mj_name2id(m, mjOBJ_ACTUATOR, name.c_str());
    ASSERT_GE(joint, 0);
    ASSERT_GE(body, 0);
    ASSERT_GE(motor, 0);
    EXPECT_EQ(m->jnt_type[joint], mjJNT_HINGE);
    EXPECT_GE(m->body_mass[body], 0.02);
    EXPECT_LE(m->body_mass[body], 0.04);
    const int cloth = mj_name2id(m, mjOBJ_GEOM, (name + "_cloth").c_str());
    ASSERT_GE(cloth, 0);
    EXPECT_NEAR(2 * m->geom_size[3 * cloth], 0.4, 0.05);
  }
}

TEST_F(SceneTest, EveryRobotHasAFreeJointAndNothingHoldsIt) {
  const mjModel* m = scene_->model();
  EXPECT_EQ(m->nmocap, 0);
  EXPECT_EQ(m->neq, 0);
  for (int i = 0; i < scene_->robot_count(); ++i) {
    const RobotIndex& r = scene_->robot(i);
    EXPECT_EQ(m->jnt_type[r.jnt_begin], mjJNT_FREE);
    EXPECT_EQ(m->body_parentid[r.body_begin], 0);
    EXPECT_EQ(m->body_weldid[r.body_begin], r.body_begin) << "robot " << i << " is welded";
  }
  // Only motors act on joints, and gravity is on.
  EXPECT_LT(m->opt.gravity[2], -9.0);
  for (int a = 0; a < m->nu; ++a) EXPECT_EQ(m->actuator_trntype[a], mjTRN_JOINT);
}

TEST_F(SceneTest, NamesArePrefixedPerRobot) {
  const mjModel* m = scene_->model();
  EXPECT_GE(mj_name2id(m, mjOBJ_JOINT, "r00/left_knee"), 0);
  EXPECT_GE(mj_name2id(m, mjOBJ_BODY, "r15/right_hanky"), 0);
  EXPECT_EQ(mj_name2id(m, mjOBJ_JOINT, "r16/left_knee"), -1);
  EXPECT_EQ(mj_name2id(m, mjOBJ_JOINT, "left_knee"), -1);
  for (int j = 0; j < m->njnt; ++j) {
    const std::string name = mj_id2name(m, mjOBJ_JOINT, j);
    EXPECT_EQ(name.substr(0, 4), Scene::Prefix(j / scene_->robot_info().njnt));
  }
  EXPECT_EQ(Scene::Prefix(3), "r03/");
}

TEST_F(SceneTest, DefaultFormationIsA4x4GridSpaced1Point5) {
  const auto& placements = scene_->options().placements;
  ASSERT_EQ(placements.size(), 16u);
  double min_distance = 1e9;
  for (size_t i = 0; i < placements.size(); ++i) {
    for (size_t j = i + 1; j < placements.size(); ++j) {
      min_distance = std::min(min_distance, std::hypot(placements[i].x - placements[j].x,
                                                       placements[i].y - placements[j].y));
    }
  }
  EXPECT_NEAR(min_distance, 1.5, 1e-12);
  EXPECT_NEAR(placements[0].x, 2.25, 1e-12);
  EXPECT_NEAR(placements[15].y, -2.25, 1e-12);
}

TEST_F(SceneTest, ConstraintMemoryFitsSixteenFallenRobots) {
  EXPECT_GE(scene_->model()->njmax, 16 * 100);
  EXPECT_GE(scene_->model()->nconmax, 16 * 20);
}

TEST_F(SceneTest, ExportedSceneReloadsWithTheSameSizes) {
  const std::string path = ::testing::TempDir() + "/exported_scene.xml";
  { std::ofstream(path) << scene_->xml(); }
  char error[1000] = "";
  mjModel* reloaded = mj_loadXML(path.c_str(), nullptr, error, sizeof(error));
  ASSERT_NE(reloaded, nullptr) << error;
  EXPECT_EQ(reloaded->nq, scene_->model()->nq);
  EXPECT_EQ(reloaded->nv, scene_->model()->nv);
  EXPECT_EQ(reloaded->nu, scene_->model()->nu);
  EXPECT_EQ(reloaded->nbody, scene_->model()->nbody);
  EXPECT_EQ(reloaded->nkey, 1);
  mj_deleteModel(reloaded);
}

TEST_F(SceneTest, StandKeyframePutsFeetOnTheFloor) {
  const mjModel* m = scene_->model();
  mjData* d = mj_makeData(m);
  mj_resetDataKeyframe(m, d, scene_->stand_key());
  mj_forward(m, d);
  for (int i = 0; i < scene_->robot_count(); ++i) {
    for (const char* side : {"left_sole", "right_sole"}) {
      const int site = mj_name2id(m, mjOBJ_SITE, (Scene::Prefix(i) + side).c_str());
      EXPECT_NEAR(d->site_xpos[3 * site + 2], 0.0, 0.003);
    }
    EXPECT_NEAR(d->xpos[3 * scene_->robot(i).body_begin], scene_->options().placements[i].x, 1e-6);
  }
  mj_deleteData(d);
}

TEST(SceneBuildTest, SizesFromOneToThirtyTwoRobots) {
  for (int n : {1, 5, 32}) {
    SceneOptions options;
    options.robots = n;
    auto scene = Scene::Build(options);
    EXPECT_EQ(scene->robot_count(), n);
    EXPECT_EQ(scene->model()->nu, n * scene->robot_info().nu);
  }
}

// MuJoCo's collision filter: two geoms may touch when either's contype meets the other's
// conaffinity.
bool MayTouch(int contype1, int conaffinity1, int contype2, int conaffinity2) {
  return (contype1 & conaffinity2) || (contype2 & conaffinity1);
}

// Robots touch each other (any collidable geom of one with any of another), touch
// themselves only as their file says (the project's robots never, the stock H1 as its own
// bits allow), touch the floor as their file says, and geoms that touch nothing in the
// file (visuals, handkerchiefs) touch nothing on the stage. Up to 32 robots, any H1 model.
TEST(SceneBuildTest, RobotsTouchEachOtherAndThemselvesOnlyAsTheirFileSays) {
  const std::string robots = AssetsDir() + "/robots/";
  struct Case {
    std::string path;
    int count;
    bool throwing;
  };
  const Case cases[] = {{DefaultRobotPath(), 17, false},  // 17: the widest code (5 bits)
                        {robots + "h1_box/h1_box.xml", 3, false},
                        {robots + "h1_stock/h1_stock.xml", 3, false},
                        {testing::SimTestdata("tiny_robot.xml"), 5, false},
                        {DefaultRobotPath(), 2, true}};
  for (const Case& c : cases) {
    SceneOptions options;
    options.robots = c.count;
    options.robot_path = c.path;
    options.throwing_hankies = c.throwing;
    auto scene = Scene::Build(options);
    const mjModel* m = scene->model();
    const RobotInfo& info = scene->robot_info();
    const int floor = mj_name2id(m, mjOBJ_GEOM, "floor");
    ASSERT_GE(floor, 0);
    int cross = 0, self = 0;
    for (int i = 0; i < c.count; ++i) {
      for (int k = 0; k < info.ngeom; ++k) {
        const int gk = scene->robot(i).geom_begin + k;
        const bool collidable = info.geom_contype[k] || info.geom_conaffinity[k];
        EXPECT_EQ(MayTouch(m->geom_contype[gk], m->geom_conaffinity[gk], m->geom_contype[floor],
                           m->geom_conaffinity[floor]),
                  MayTouch(info.geom_contype[k], info.geom_conaffinity[k], 1, 2))
            << c.path << " robot " << i << " geom " << k << " and the floor";
        for (int l = 0; l < info.ngeom; ++l) {
          const bool file = MayTouch(info.geom_contype[k], info.geom_conaffinity[k],
                                     info.geom_contype[l], info.geom_conaffinity[l]);
          const int own = scene->robot(i).geom_begin + l;
          ASSERT_EQ(MayTouch(m->geom_contype[gk], m->geom_conaffinity[gk], m->geom_contype[own],
                             m->geom_conaffinity[own]),
                    file)
              << c.path << " robot " << i << " geoms " << k << ", " << l;
          self += file;
          for (int j = i + 1; j < c.count; ++j) {
            const int other = scene->robot(j).geom_begin + l;
            const bool both = collidable && (info.geom_contype[l] || info.geom_conaffinity[l]);
            ASSERT_EQ(MayTouch(m->geom_contype[gk], m->geom_conaffinity[gk],
                               m->geom_contype[other], m->geom_conaffinity[other]),
                      both)
                << c.path << " robots " << i << ", " << j << " geoms " << k << ", " << l;
            cross += both;
          }
        }
      }
    }
    EXPECT_GT(cross, 0) << c.path;
    std::printf("%s x %d: %d geom pairs across robots may touch, %d within one\n",
                c.path.c_str(), c.count, cross, self);
    // The flying handkerchiefs touch the floor only: not the robots, not one another (a
    // rigid plate held on its latch is not silk: seated plates ground on neighbours).
    for (const HandkerchiefProp& h : scene->hankies()) {
      const int g = m->body_geomadr[h.body];
      EXPECT_TRUE(MayTouch(m->geom_contype[g], m->geom_conaffinity[g], m->geom_contype[floor],
                           m->geom_conaffinity[floor]));
      for (int i = 0; i < c.count; ++i) {
        for (int k = 0; k < info.ngeom; ++k) {
          const int other = scene->robot(i).geom_begin + k;
          EXPECT_FALSE(MayTouch(m->geom_contype[g], m->geom_conaffinity[g],
                                m->geom_contype[other], m->geom_conaffinity[other]));
        }
      }
      for (const HandkerchiefProp& o : scene->hankies()) {
        const int og = m->body_geomadr[o.body];
        EXPECT_FALSE(MayTouch(m->geom_contype[g], m->geom_conaffinity[g], m->geom_contype[og],
                              m->geom_conaffinity[og]));
      }
    }
  }
  // The project's robot never touches itself; the stock H1 does.
  auto self_pairs = [](const std::string& path) {
    const RobotInfo info = LoadRobotInfo(path);
    int n = 0;
    for (int k = 0; k < info.ngeom; ++k) {
      for (int l = k + 1; l < info.ngeom; ++l) {
        n += MayTouch(info.geom_contype[k], info.geom_conaffinity[k], info.geom_contype[l],
                      info.geom_conaffinity[l]);
      }
    }
    return n;
  };
  EXPECT_EQ(self_pairs(DefaultRobotPath()), 0);
  EXPECT_GT(self_pairs(robots + "h1_stock/h1_stock.xml"), 0);
}

TEST(SceneBuildTest, RejectsBadRobotCountsAndFiles) {
  SceneOptions options;
  options.robots = 0;
  EXPECT_THROW(Scene::Build(options), Error);
  options.robots = 33;
  EXPECT_THROW(Scene::Build(options), Error);
  options.robots = 1;
  options.robot_path = "/nonexistent/robot.xml";
  try {
    Scene::Build(options);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/robot.xml"), std::string::npos);
  }
}

TEST(SceneBuildTest, RejectsARobotWithoutAFreeJoint) {
  const std::string path = ::testing::TempDir() + "/fixed_robot.xml";
  std::ofstream(path) << R"(<mujoco><compiler autolimits="true"/><worldbody><body name="b"><joint name="j"/>
      <geom size="0.1" mass="1"/></body></worldbody>
      <actuator><motor joint="j" ctrlrange="-1 1"/></actuator></mujoco>)";
  SceneOptions options;
  options.robots = 1;
  options.robot_path = path;
  try {
    Scene::Build(options);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("free joint"), std::string::npos) << e.what();
  }
}

using testing::SimTestdata;

TEST(RobotFileTest, TheTinyTestRobotIsAValidRobot) {
  SceneOptions options;
  options.robots = 2;
  options.robot_path = SimTestdata("tiny_robot.xml");
  auto scene = Scene::Build(options);
  EXPECT_EQ(scene->robot_info().nu, 1);
  EXPECT_TRUE(scene->robot_info().imu_sensors.empty());
}

// tests/sim/testdata holds tiny_robot.xml with one thing wrong per file: each is rejected
// with "PATH:LINE:COL: error: WHAT" pointing at the culprit (or "PATH: error:" when no
// element is to blame).
TEST(RobotFileTest, EachBrokenRobotFileIsRejectedWithWhereAndWhat) {
  struct Case {
    const char* file;
    const char* location;  // after the path
    const char* problem;
  };
  const Case cases[] = {
      {"malformed.xml", ":13:3: error: ", "expected </body>, found </worldbody>"},
      {"unknown_attribute.xml", ":7:7: error: ", "geom 'base': Schema violation: unrecognized "
                                                 "attribute: 'heft'"},
      {"position_actuator.xml", ":16:5: error: ", "actuator 'swing' is a position servo (kp 50), "
                                                 "not a torque motor: use <motor>"},
      {"geared_motor.xml", ":16:5: error: ", "actuator 'swing' has gear 50, so ctrl is not the "
                                            "joint torque"},
      {"no_torque_limit.xml", ":16:5: error: ", "actuator 'swing' has no ctrlrange"},
      {"massless_link.xml", ":8:7: error: ", "body 'arm': mass and inertia of moving bodies"},
      {"negative_mass.xml", ":10:9: error: ", "geom 'arm': mass, inertia or density are negative"},
      {"feather_link.xml", ":9:9: error: ", "joint 'swing' moves an inertia of 3.24026e-11 kg·m², "
                                            "below 1e-06 kg·m²: the simulation would blow up"},
      {"equality.xml", ":15:3: error: ", "the robot must not contain equality constraints"},
  };
  for (const Case& c : cases) {
    SceneOptions options;
    options.robots = 2;
    options.robot_path = SimTestdata(c.file);
    try {
      Scene::Build(options);
      ADD_FAILURE() << c.file << " was accepted";
    } catch (const Error& e) {
      const std::string what = e.what();
      EXPECT_EQ(what.rfind(options.robot_path + c.location, 0), 0u) << what;
      EXPECT_NE(what.find(c.problem), std::string::npos) << what;
    }
  }
}

TEST(RobotFileTest, TheBuiltInRobotHasAnImu) {
  const RobotInfo info = LoadRobotInfo(DefaultRobotPath());
  std::vector<std::string> names;
  for (int s : info.imu_sensors) names.push_back(info.sensor_names[s]);
  EXPECT_EQ(names, (std::vector<std::string>{"imu_quat", "imu_gyro", "imu_acc"}));
}

// The one sole detection (ReadSoleSupport, RobotInfo::line_soles): the box-soled test
// robot's soles stand flat, the project robot's heel-to-toe capsule and the stock-layout
// H1's capsules with a 6 cm toe bar across the front roll (the toe bar does not count).
TEST(SoleSupportTest, RobotInfoTellsLineSolesFromBoxSoles) {
  const std::string robots = AssetsDir() + "/robots/";
  EXPECT_FALSE(LoadRobotInfo(BoxSoleRobotPath()).line_soles);
  EXPECT_TRUE(LoadRobotInfo(DefaultRobotPath()).line_soles);
  EXPECT_TRUE(LoadRobotInfo(robots + "h1_stock/h1_stock.xml").line_soles);

  // The supports themselves, in the sole site's frame.
  auto support = [](const std::string& path, const char* site) {
    char error[1000] = "";
    mjModel* m = mj_loadXML(path.c_str(), nullptr, error, sizeof(error));
    EXPECT_NE(m, nullptr) << error;
    const std::optional<SoleSupport> out = ReadSoleSupport(m, mj_name2id(m, mjOBJ_SITE, site));
    mj_deleteModel(m);
    return out;
  };
  const std::optional<SoleSupport> box = support(BoxSoleRobotPath(), "left_sole");
  ASSERT_TRUE(box);
  EXPECT_FALSE(box->line);
  EXPECT_NEAR(box->y_max - box->y_min, 0.08, 1e-6);
  EXPECT_NEAR(box->x_max - box->x_min, 0.22, 1e-6);
  const std::optional<SoleSupport> line = support(DefaultRobotPath(), "right_sole");
  ASSERT_TRUE(line);
  EXPECT_TRUE(line->line);
  EXPECT_LT(line->y_max - line->y_min, kLineSoleWidth);
  EXPECT_GT(line->x_max - line->x_min, 0.15);
  // A line narrower than asked for is flat.
  char error[1000] = "";
  mjModel* m = mj_loadXML(DefaultRobotPath().c_str(), nullptr, error, sizeof(error));
  ASSERT_NE(m, nullptr) << error;
  EXPECT_FALSE(ReadSoleSupport(m, mj_name2id(m, mjOBJ_SITE, "left_sole"), 0.0)->line);
  mj_deleteModel(m);
}

}  // namespace
}  // namespace yangbot
