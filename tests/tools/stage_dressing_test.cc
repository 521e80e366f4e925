// The stage's dressing (tools/render/stage_dressing.h): the handkerchief's silk follows
// its spin rate, and the dressing replaces the cloth plate and the box head in the
// abstract scene while the model stays as it is. GL-free.
#if YANGBOT_HAVE_VIEWER

#include "tools/render/stage_dressing.h"

#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <vector>

namespace yangbot {
namespace {

constexpr double kTwoPi = 2 * 3.14159265358979323846;
constexpr double kHalf = 0.2;  // m, the built-in robot's handkerchief
constexpr int kTiles = 6;

// The tile at the (+x, +y) corner of the silk.
const SilkTile& Corner(const std::vector<SilkTile>& tiles) { return tiles.back(); }

TEST(SilkShapeTest, TheSilkDroopsAtRestAndSpreadsFlatWhenSpun) {
  const double down[3] = {0, 0, -1};
  const auto rest = SilkShape(kHalf, kTiles, 0, down, 0);
  const auto spun = SilkShape(kHalf, kTiles, 3 * kTwoPi, down, 0);
  ASSERT_EQ(rest.size(), 36u);
  ASSERT_EQ(spun.size(), 36u);
  // At rest the corners hang well below the hand and close in to the axis.
  EXPECT_LT(Corner(rest).pos[2], -0.15);
  EXPECT_LT(std::hypot(Corner(rest).pos[0], Corner(rest).pos[1]), 0.1);
  // Spun at 3 rev/s the silk is nearly flat and spread to its full size.
  EXPECT_GT(Corner(spun).pos[2], -0.04);
  EXPECT_GT(std::hypot(Corner(spun).pos[0], Corner(spun).pos[1]), 0.2);
  // In between, the faster the spin the less it droops.
  double last = -1;
  for (double rate : {0.0, 0.5, 1.0, 2.0, 3.0}) {
    const double z = Corner(SilkShape(kHalf, kTiles, rate * kTwoPi, down, 0)).pos[2];
    EXPECT_GT(z, last) << rate << " rev/s";
    last = z;
  }
}

TEST(SilkShapeTest, TheCornersTrailBehindTheSpin) {
  const double down[3] = {0, 0, -1};
  auto angle = [&](double rate) {
    const SilkTile c = Corner(SilkShape(kHalf, kTiles, rate, down, 0));  // a copy
    return std::atan2(c.pos[1], c.pos[0]);
  };
  const double flat = std::atan2(1.0, 1.0);  // 45 deg: where the corner sits on the plate
  // Spinning counter-clockwise (positive rate), the corner lags clockwise; and mirrored.
  EXPECT_LT(angle(3 * kTwoPi), flat - 0.1);
  EXPECT_GT(angle(-3 * kTwoPi), flat + 0.1);
}

TEST(SilkShapeTest, TheSilkHangsTowardsGravityWhateverTheHand) {
  // The spin axis horizontal, gravity along the cloth's +x: at rest it hangs along +x.
  const double down[3] = {1, 0, 0};
  double mean_x = 0;
  const auto tiles = SilkShape(kHalf, kTiles, 0, down, 0);
  for (const SilkTile& t : tiles) mean_x += t.pos[0] / tiles.size();
  EXPECT_GT(mean_x, 0.08);
}

// The abstract scene MuJoCo makes of `d` with default options (free it with mjv_freeScene).
void UpdateView(const mjModel* m, mjData* d, mjvScene* view) {
  mjvOption vis;
  mjvCamera camera;
  mjv_defaultOption(&vis);
  mjv_defaultCamera(&camera);
  mjv_defaultScene(view);
  mjv_makeScene(m, view, 5000);
  mjv_updateScene(m, d, &vis, nullptr, &camera, mjCAT_ALL, view);
}

TEST(StageDressingTest, TheSceneShowsSilkAndTrimsInsteadOfTheClothPlateAndBoxHead) {
  SceneOptions options;
  options.robots = 1;
  auto scene = Scene::Build(options);
  const mjModel* m = scene->model();
  mjData* d = mj_makeData(m);
  mj_resetDataKeyframe(m, d, scene->stand_key());
  mj_forward(m, d);
  const int cloth = mj_name2id(m, mjOBJ_GEOM, "r00/left_hanky_cloth");
  const int head = mj_name2id(m, mjOBJ_GEOM, "r00/head");
  ASSERT_GE(cloth, 0);
  ASSERT_GE(head, 0);
  mjvScene view;
  UpdateView(m, d, &view);
  auto count = [&](int geom, int type) {
    int n = 0;
    for (int i = 0; i < view.ngeom; ++i) {
      n += view.geoms[i].objtype == mjOBJ_GEOM && view.geoms[i].objid == geom &&
           view.geoms[i].type == type;
    }
    return n;
  };
  ASSERT_EQ(count(cloth, mjGEOM_BOX), 1);  // the model's plate
  const int before = view.ngeom;

  StageDressing dressing(*scene);
  dressing.Apply(*d, &view);
  // The plate became 36 silk tiles; the box head a rounded shell and visor.
  EXPECT_EQ(count(cloth, mjGEOM_BOX), StageDressing::kSilkTiles * StageDressing::kSilkTiles);
  EXPECT_EQ(count(head, mjGEOM_BOX), 0);
  EXPECT_EQ(count(head, mjGEOM_ELLIPSOID), 2);
  EXPECT_GT(view.ngeom, before);
  // Geoms stay selectable: segid numbers them in order.
  for (int i = 0; i < view.ngeom; ++i) ASSERT_EQ(view.geoms[i].segid, i);
  // The left side is marked (a band on the left upper arm), the right is not.
  EXPECT_EQ(count(mj_name2id(m, mjOBJ_GEOM, "r00/left_upper_arm"), mjGEOM_CYLINDER), 1);
  EXPECT_EQ(count(mj_name2id(m, mjOBJ_GEOM, "r00/right_upper_arm"), mjGEOM_CYLINDER), 0);
  // The model is untouched.
  EXPECT_EQ(m->geom_type[cloth], mjGEOM_BOX);
  mjv_freeScene(&view);
  mj_deleteData(d);
}

// On a stage built to throw, the handkerchief is a free body: its plate becomes silk where
// it flies, 1 m above its pin, and the spinner's hidden cloth draws nothing.
TEST(StageDressingTest, AThrownHandkerchiefIsSilkWhereItFlies) {
  SceneOptions options;
  options.robots = 1;
  options.throwing_hankies = true;
  auto scene = Scene::Build(options);
  const mjModel* m = scene->model();
  ASSERT_EQ(scene->hankies().size(), 2u);
  const HandkerchiefProp& left = scene->hankies()[0];
  ASSERT_GE(m->body_geomnum[left.body], 1);
  const int plate = m->body_geomadr[left.body];
  const int pin_cloth = mj_name2id(m, mjOBJ_GEOM, "r00/left_hanky_cloth");
  mjData* d = mj_makeData(m);
  mj_resetDataKeyframe(m, d, scene->stand_key());
  d->qpos[left.qpos_begin + 2] += 1.0;  // in the air
  mj_forward(m, d);
  mjvScene view;
  UpdateView(m, d, &view);
  StageDressing dressing(*scene);
  dressing.Apply(*d, &view);
  int tiles = 0, pin_tiles = 0;
  double z = 0;
  for (int i = 0; i < view.ngeom; ++i) {
    const mjvGeom& g = view.geoms[i];
    if (g.objtype != mjOBJ_GEOM || g.type != mjGEOM_BOX) continue;
    if (g.objid == plate) {
      ++tiles;
      z += g.pos[2];
    }
    pin_tiles += g.objid == pin_cloth;
  }
  EXPECT_EQ(tiles, StageDressing::kSilkTiles * StageDressing::kSilkTiles);
  EXPECT_EQ(pin_tiles, 0);
  ASSERT_GT(tiles, 0);
  EXPECT_NEAR(z / tiles, d->geom_xpos[3 * plate + 2], 0.2);  // the silk flies with the plate
  mjv_freeScene(&view);
  mj_deleteData(d);
}

}  // namespace
}  // namespace yangbot

#endif  // YANGBOT_HAVE_VIEWER
