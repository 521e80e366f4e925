// Issue 22's picture check, rendered: from the audience shot, the troupe spans at least
// 40 % of the picture's width and every robot's handkerchiefs show. Pixels are told apart
// by MuJoCo's segmentation rendering (each geom drawn in a colour of its own). Needs a
// display (tools/test runs the tests under xvfb-run).
#if YANGBOT_HAVE_VIEWER

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

#include "tools/render/camera.h"
#include "tools/render/offscreen_renderer.h"
#include "tools/render/show_camera.h"
#include "tools/render/stage_dressing.h"

namespace yangbot {
namespace {

TEST(StageRenderTest, TheTroupeSpansTheAudiencePictureAndEveryHandkerchiefShows) {
  if (!std::getenv("DISPLAY")) GTEST_SKIP() << "no display (run under xvfb-run)";
  SceneOptions options;
  options.robots = 4;
  for (double y : {-1.8, -0.6, 0.6, 1.8}) options.placements.push_back({0, y, 0});
  auto scene = Scene::Build(options);
  const mjModel* m = scene->model();
  mjData* d = mj_makeData(m);
  mj_resetDataKeyframe(m, d, scene->stand_key());
  // Every handkerchief spinning at 3 rev/s.
  std::vector<int> cloths;
  for (int g = 0; g < m->ngeom; ++g) {
    const char* name = mj_id2name(m, mjOBJ_GEOM, g);
    if (!name || std::string(name).find("hanky_cloth") == std::string::npos) continue;
    cloths.push_back(g);
    const int joint = m->body_jntadr[m->geom_bodyid[g]];
    d->qvel[m->jnt_dofadr[joint]] = 3 * 2 * 3.14159265358979323846;
  }
  ASSERT_EQ(cloths.size(), 8u);
  mj_forward(m, d);

  const TroupeTrack still = [&](double, std::vector<double>* xy) {
    xy->clear();
    for (const Placement& p : options.placements) {
      xy->push_back(p.x);
      xy->push_back(p.y);
    }
  };
  const ShowCamera framing(still, 1, m->vis.global.fovy);
  const int width = 640, height = 360;
  auto renderer = OffscreenRenderer::Create(m, width, height);
  StageDressing dressing(*scene, framing.Stage());
  renderer->set_dressing(&dressing);
  framing.Audience(0, static_cast<double>(width) / height).Apply(renderer->camera());
  renderer->view()->flags[mjRND_SEGMENT] = 1;
  renderer->view()->flags[mjRND_IDCOLOR] = 1;
  const std::vector<uint8_t>& rgb = renderer->Render(d);

  std::vector<int> hanky_pixels(4, 0);
  int left = width, right = -1;
  const mjvScene& view = *renderer->view();
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      const uint8_t* p = rgb.data() + 3 * (y * width + x);
      const int id = p[0] | (p[1] << 8) | (p[2] << 16);  // segid + 1; 0: background
      if (id == 0 || id > view.ngeom) continue;
      const mjvGeom& g = view.geoms[id - 1];
      if (g.objtype != mjOBJ_GEOM || g.objid < 0) continue;
      const int robot = RobotOfBody(*scene, m->geom_bodyid[g.objid]);
      if (robot < 0) continue;
      left = std::min(left, x);
      right = std::max(right, x);
      if (std::find(cloths.begin(), cloths.end(), g.objid) != cloths.end()) ++hanky_pixels[robot];
    }
  }
  for (int r = 0; r < 4; ++r) EXPECT_GT(hanky_pixels[r], 40) << "robot " << r;
  EXPECT_GE(right - left, 0.4 * width) << "the troupe spans " << left << ".." << right;
  mj_deleteData(d);
}

}  // namespace
}  // namespace yangbot

#endif  // YANGBOT_HAVE_VIEWER
