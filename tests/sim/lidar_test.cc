#include "sim/lidar.h"

#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <string>

#include "sim/landmarks.h"
#include "sim/scene.h"

namespace yangbot {
namespace {

// Two robots 2 m apart along y, facing +x; a wall 5 m ahead of robot 0 across the stage
// and a pillar 4 m behind it.
std::unique_ptr<Scene> TwoRobotsAndLandmarks() {
  SceneOptions options;
  options.robots = 2;
  options.placements = {{0, 0, 0}, {0, 2, 0}};
  Landmark wall;
  wall.kind = Landmark::Kind::kWall;
  wall.name = "front";
  wall.x = 5.1;  // its near face at x = 5
  wall.yaw = M_PI / 2;
  wall.length = 20;
  wall.width = 0.2;
  Landmark pillar;
  pillar.name = "back";
  pillar.x = -4;
  pillar.radius = 0.3;
  options.landmarks = {wall, pillar};
  return Scene::Build(options);
}

struct Stage {
  std::unique_ptr<Scene> scene = TwoRobotsAndLandmarks();
  mjData* d = nullptr;
  Stage() {
    d = mj_makeData(scene->model());
    mj_resetDataKeyframe(scene->model(), d, scene->stand_key());
    mj_forward(scene->model(), d);
  }
  ~Stage() { mj_deleteData(d); }
};

TEST(LandmarksTest, AreStaticGeomsThatCollideLikeTheFloor) {
  Stage stage;
  const mjModel* m = stage.scene->model();
  const int wall = mj_name2id(m, mjOBJ_GEOM, "stage/front");
  const int pillar = mj_name2id(m, mjOBJ_GEOM, "stage/back");
  const int floor = mj_name2id(m, mjOBJ_GEOM, "floor");
  ASSERT_GE(wall, 0);
  ASSERT_GE(pillar, 0);
  EXPECT_EQ(m->geom_bodyid[wall], 0);
  EXPECT_EQ(m->geom_contype[wall], m->geom_contype[floor]);
  EXPECT_EQ(m->geom_conaffinity[pillar], m->geom_conaffinity[floor]);
  EXPECT_NEAR(m->geom_size[3 * pillar], 0.3, 1e-12);
  // The robots' blocks are where they were: controllers index them by offset.
  SceneOptions bare;
  bare.robots = 2;
  bare.placements = {{0, 0, 0}, {0, 2, 0}};
  const auto plain = Scene::Build(bare);
  EXPECT_EQ(m->nbody, plain->model()->nbody);
  EXPECT_EQ(m->ngeom, plain->model()->ngeom + 2);
  EXPECT_EQ(stage.scene->robot(1).qpos_begin, plain->robot(1).qpos_begin);
}

TEST(LandmarksTest, DefaultSetKeepsClearOfTheDanceArea) {
  const std::vector<Landmark> set = DefaultLandmarks(-4, 3, -2, 2);
  ASSERT_GE(set.size(), 5u);
  for (const Landmark& l : set) {
    for (double x : {-4.0, 3.0}) {
      for (double y : {-2.0, 2.0}) EXPECT_GE(LandmarkDistance(l, x, y), kLandmarkClearance) << l.name;
    }
  }
  const StageMap map = MakeStageMap(set, 1.6);
  double cx, cy, nx, ny;
  // The back wall's near face, seen from the centre: 6.5 m behind, facing the stage.
  const double d = map.Closest(-6.0, 0.0, &cx, &cy, &nx, &ny);
  EXPECT_NEAR(d, 0.5, 1e-9);
  EXPECT_NEAR(nx, 1, 1e-9);
  EXPECT_NEAR(cx, -6.5, 1e-9);
}

TEST(LidarTest, RangesMatchTheLandmarksAndSkipTheRobotsOwnBody) {
  Stage stage;
  LidarOptions options;
  options.rays = 360;
  options.noise_m = 0;
  options.dropout = 0;
  const Lidar lidar(*stage.scene, 0, options);
  LidarScan scan;
  lidar.Scan(stage.scene->model(), *stage.d, 1, 0, &scan);
  ASSERT_EQ(scan.ranges.size(), 360u);
  // Mounted in the head, about 1.6 m up.
  EXPECT_NEAR(scan.origin[2], 1.58, 0.05);
  // Ray 0 looks forward (+x): the wall's face 5 m ahead, less the head's offset.
  EXPECT_NEAR(scan.ranges[0], 5.0 - scan.origin[0], 0.01);
  // Ray 180 looks back: the pillar's surface at x = -3.7.
  EXPECT_NEAR(scan.ranges[180], scan.origin[0] + 3.7, 0.01);
  // Ray 90 looks left at robot 1's head, 2 m away: it occludes (the head is 0.16 m wide).
  EXPECT_GT(scan.ranges[90], 1.8);
  EXPECT_LT(scan.ranges[90], 2.0);
  // Ray 270 looks right: nothing (the wall is parallel, the floor is never met by a level
  // fan), and nothing of the robot itself.
  EXPECT_LT(scan.ranges[270], 0);
  // Robot 1 sees robot 0 the same way.
  const Lidar other(*stage.scene, 1, options);
  other.Scan(stage.scene->model(), *stage.d, 1, 0, &scan);
  EXPECT_GT(scan.ranges[270], 1.8);
  EXPECT_LT(scan.ranges[270], 2.0);
}

TEST(LidarTest, NoiseAndDropoutsAreSeededAndOfTheirSize) {
  Stage stage;
  LidarOptions options;
  options.rays = 720;
  options.noise_m = 0.02;
  options.dropout = 0.1;
  const Lidar lidar(*stage.scene, 0, options);
  LidarScan a, b, c;
  lidar.Scan(stage.scene->model(), *stage.d, 7, 3, &a);
  lidar.Scan(stage.scene->model(), *stage.d, 7, 3, &b);
  lidar.Scan(stage.scene->model(), *stage.d, 7, 4, &c);
  EXPECT_EQ(a.ranges, b.ranges);
  EXPECT_NE(a.ranges, c.ranges);
  // Forward rays that meet the wall: their errors against the exact range.
  LidarOptions exact = options;
  exact.noise_m = 0;
  exact.dropout = 0;
  LidarScan truth;
  Lidar(*stage.scene, 0, exact).Scan(stage.scene->model(), *stage.d, 7, 3, &truth);
  int hits = 0, dropped = 0;
  double sum_sq = 0;
  for (size_t k = 0; k < truth.ranges.size(); ++k) {
    if (truth.ranges[k] < 0) continue;
    ++hits;
    if (a.ranges[k] < 0) {
      ++dropped;
      continue;
    }
    sum_sq += (a.ranges[k] - truth.ranges[k]) * (a.ranges[k] - truth.ranges[k]);
  }
  ASSERT_GT(hits, 200);
  EXPECT_NEAR(static_cast<double>(dropped) / hits, 0.1, 0.04);
  EXPECT_NEAR(std::sqrt(sum_sq / (hits - dropped)), 0.02, 0.004);
}

TEST(LidarTest, OptionsAreChecked) {
  LidarOptions options;
  EXPECT_EQ(SetLidarOption(&options, "rays", "90"), "");
  EXPECT_EQ(options.rays, 90);
  EXPECT_NE(SetLidarOption(&options, "rays", "9.5"), "");
  EXPECT_NE(SetLidarOption(&options, "dropout", "1"), "");
  EXPECT_EQ(SetLidarOption(&options, "rays", "-3"), "rays -3 is out of range (8 to 4096)");
  EXPECT_NE(SetLidarOption(&options, "rate_hz", "x"), "");
  EXPECT_NE(SetLidarOption(&options, "colour", "1").find("unknown"), std::string::npos);
}

}  // namespace
}  // namespace yangbot
