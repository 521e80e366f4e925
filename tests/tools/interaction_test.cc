// Clicking on robots and pushing them, through MuJoCo's abstract scene: no window, no GL.
#if YANGBOT_HAVE_VIEWER

#include "tools/viewer/interaction.h"

#include <gtest/gtest.h>

#include <cmath>
#include <memory>

#include "controllers/posture_controller.h"
#include "sim/error.h"
#include "tools/render/camera.h"

namespace yangbot {
namespace {

constexpr int kWidth = 1200, kHeight = 900;

class InteractionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SceneOptions options;
    options.robots = 4;
    scene_ = Scene::Build(options);
    transport_ = std::make_unique<Transport>(*scene_, MakePostureControllerFactory(), 3);
    mjv_defaultOption(&options_);
    mjv_defaultScene(&view_);
    mjv_makeScene(scene_->model(), &view_, 5000);
    SetCameraPreset(*scene_, CameraPreset::kAudience, 0, &camera_);
    UpdateView();
  }
  void TearDown() override { mjv_freeScene(&view_); }

  void UpdateView() {
    mjv_updateScene(scene_->model(), transport_->mutable_state()->data, &options_,
                    &transport_->perturb(), &camera_, mjCAT_ALL, &view_);
  }

  // Where robot `robot`'s torso shows in the view, as ViewInput's relx/rely.
  void TorsoOnScreen(int robot, double* relx, double* rely) {
    const int body = scene_->robot(robot).body_begin +
                     RobotInfo::IndexOf(scene_->robot_info().body_names, "torso_link");
    const mjtNum* p = transport_->state().data->xipos + 3 * body;
    float x = 0, y = 0;
    ASSERT_TRUE(ProjectToViewport(view_, kWidth, kHeight, p, &x, &y));
    ASSERT_GT(x, 0);
    ASSERT_LT(x, kWidth);
    ASSERT_GT(y, 0);
    ASSERT_LT(y, kHeight);
    *relx = x / kWidth;
    *rely = 1 - y / kHeight;
  }

  bool Apply(const ViewInput& input) {
    return ApplyViewInput(input, static_cast<double>(kWidth) / kHeight, options_, view_, &settings_,
                          &camera_, transport_.get());
  }

  std::unique_ptr<Scene> scene_;
  std::unique_ptr<Transport> transport_;
  mjvOption options_;
  mjvScene view_;
  mjvCamera camera_;
  ViewSettings settings_;
};

TEST_F(InteractionTest, DoubleClickOnARobotSelectsIt) {
  for (int robot : {2, 1}) {
    ViewInput input;
    input.select = true;
    TorsoOnScreen(robot, &input.relx, &input.rely);
    EXPECT_TRUE(Apply(input));
    EXPECT_EQ(settings_.selected, robot);
    EXPECT_EQ(RobotOfBody(*scene_, transport_->perturb().select), robot);
  }
  ViewInput sky;  // the top of the picture: nothing there
  sky.select = true;
  sky.relx = 0.5;
  sky.rely = 0.99;
  EXPECT_TRUE(Apply(sky));
  EXPECT_EQ(settings_.selected, -1);
  EXPECT_EQ(transport_->perturb().select, 0);
}

TEST_F(InteractionTest, CtrlDragPushesTheSelectedRobot) {
  ViewInput click;
  click.select = true;
  TorsoOnScreen(3, &click.relx, &click.rely);
  Apply(click);
  ASSERT_EQ(settings_.selected, 3);
  ViewInput begin;
  begin.perturb_begin = mjPERT_TRANSLATE;
  Apply(begin);
  EXPECT_EQ(transport_->perturb().active, mjPERT_TRANSLATE);
  mjtNum before[3];
  mju_copy3(before, transport_->perturb().refpos);
  ViewInput move;
  move.perturb_action = mjMOUSE_MOVE_V;
  move.dx = 0.1;
  Apply(move);
  EXPECT_GT(mju_dist3(before, transport_->perturb().refpos), 0.05);

  const int q = scene_->robot(3).qpos_begin;
  const double y0 = transport_->state().data->qpos[q + 1];
  transport_->Play();
  transport_->SetSpeed(Transport::kAsFastAsPossible);
  transport_->Update(0, 200);
  const double y1 = transport_->state().data->qpos[q + 1];
  EXPECT_GT(std::abs(y1 - y0), 0.002);  // dragged sideways on screen: moves along y

  ViewInput end;
  end.perturb_end = true;
  Apply(end);
  EXPECT_EQ(transport_->perturb().active, 0);
}

TEST_F(InteractionTest, RightDoubleClickOrbitsAboutThePoint) {
  ViewInput input;
  input.center = true;
  TorsoOnScreen(0, &input.relx, &input.rely);
  Apply(input);
  EXPECT_EQ(camera_.type, mjCAMERA_FREE);
  EXPECT_EQ(settings_.camera, CameraPreset::kFree);
  const mjtNum* torso = transport_->state().data->xipos +
                        3 * (scene_->robot(0).body_begin +
                             RobotInfo::IndexOf(scene_->robot_info().body_names, "torso_link"));
  EXPECT_LT(mju_dist3(camera_.lookat, torso), 0.3);
}

TEST_F(InteractionTest, FreeCameraFromViewKeepsTheView) {
  const mjvGLCamera fixed = mjv_averageCamera(&view_.camera[0], &view_.camera[1]);
  FreeCameraFromView(view_, &camera_);
  UpdateView();
  const mjvGLCamera free = mjv_averageCamera(&view_.camera[0], &view_.camera[1]);
  for (int k = 0; k < 3; ++k) {
    EXPECT_NEAR(free.pos[k], fixed.pos[k], 1e-3);
    EXPECT_NEAR(free.forward[k], fixed.forward[k], 1e-3);
  }
}

TEST_F(InteractionTest, CameraPresets) {
  SetCameraPreset(*scene_, CameraPreset::kTop, 0, &camera_);
  EXPECT_EQ(camera_.type, mjCAMERA_FIXED);
  EXPECT_EQ(camera_.fixedcamid, mj_name2id(scene_->model(), mjOBJ_CAMERA, "top"));
  SetCameraPreset(*scene_, CameraPreset::kFollow, 2, &camera_);
  EXPECT_EQ(camera_.type, mjCAMERA_TRACKING);
  EXPECT_EQ(camera_.trackbodyid, scene_->robot(2).body_begin);
  SetCameraPreset(*scene_, CameraPreset::kFree, 0, &camera_);
  EXPECT_EQ(camera_.type, mjCAMERA_FREE);
  EXPECT_EQ(ParseCameraPreset("audience"), CameraPreset::kAudience);
  EXPECT_STREQ(CameraPresetName(CameraPreset::kFollow), "follow");
  EXPECT_THROW(ParseCameraPreset("balcony"), Error);
}

TEST_F(InteractionTest, PointsBehindTheCameraDoNotProject) {
  const mjvGLCamera eye = mjv_averageCamera(&view_.camera[0], &view_.camera[1]);
  const mjtNum behind[3] = {eye.pos[0] - eye.forward[0], eye.pos[1] - eye.forward[1],
                            eye.pos[2] - eye.forward[2]};
  float x, y;
  EXPECT_FALSE(ProjectToViewport(view_, kWidth, kHeight, behind, &x, &y));
  const mjtNum ahead[3] = {eye.pos[0] + 5 * eye.forward[0], eye.pos[1] + 5 * eye.forward[1],
                           eye.pos[2] + 5 * eye.forward[2]};
  ASSERT_TRUE(ProjectToViewport(view_, kWidth, kHeight, ahead, &x, &y));
  EXPECT_NEAR(x, kWidth / 2.0, 1);
  EXPECT_NEAR(y, kHeight / 2.0, 1);
}

}  // namespace
}  // namespace yangbot

#endif  // YANGBOT_HAVE_VIEWER
