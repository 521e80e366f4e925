// The viewer's ImGui panel and input handling in a bare ImGui context: no window, no GL.
#if YANGBOT_HAVE_VIEWER

#include "tools/viewer/panel.h"

#include <GLFW/glfw3.h>
#include <gtest/gtest.h>
#include <imgui.h>

#include <cmath>
#include <string>
#include <vector>

#include "tests/tools/imgui_fixture.h"

namespace yangbot {
namespace {

class PanelTest : public ImGuiTest {
 protected:
  void SetUp() override {
    ImGuiTest::SetUp();
    status_.robots.resize(16);
    status_.time = 1.5;
    status_.horizon = 4;
  }

  // One UI frame as the viewer runs it (minus the sync and the drawing), consuming `events_`.
  ViewInput Frame() {
    ImGui::NewFrame();
    const ImGuiIO& io = ImGui::GetIO();
    const ViewInput input = ReadViewInput(io, events_, io.DisplaySize.x - PanelWidth(settings_),
                                          io.DisplaySize.y, settings_.selected >= 0, &drag_);
    requests_ = PanelRequests();
    HandleShortcuts(events_, status_, &settings_, &actions_, &requests_);
    events_ = InputEvents();
    DrawPanel(status_, "hello", &settings_, &actions_, &requests_);
    ImGui::Render();
    return input;
  }

  // Presses key `key` (as the viewer's key callback queues it); returns the actions queued.
  std::vector<Action> Press(int key, bool repeat = false, bool command = false) {
    actions_.clear();
    InputEvents::Key press;
    press.key = key;
    press.repeat = repeat;
    press.command = command;
    events_.keys.push_back(press);
    Frame();
    return actions_;
  }

  RunStatus status_;
  ViewSettings settings_;
  MouseDrag drag_;
  std::vector<Action> actions_;
  PanelRequests requests_;
  InputEvents events_;
};

TEST_F(PanelTest, DrawsTheWholePanel) {
  settings_.selected = 3;
  status_.robots[3].fallen = true;
  status_.robots[4].powered = false;
  Frame();
  Frame();
  const ImDrawData* draw = ImGui::GetDrawData();
  ASSERT_NE(draw, nullptr);
  EXPECT_GT(draw->TotalVtxCount, 1000);
  EXPECT_TRUE(actions_.empty());
}

TEST_F(PanelTest, SpaceTogglesPlay) {
  const std::vector<Action> actions = Press(GLFW_KEY_SPACE);
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(actions[0].kind, Action::Kind::kTogglePlay);
}

TEST_F(PanelTest, RightArrowStepsOnlyWhenPaused) {
  status_.playing = true;
  EXPECT_TRUE(Press(GLFW_KEY_RIGHT).empty());
  status_.playing = false;
  std::vector<Action> actions = Press(GLFW_KEY_RIGHT);
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(actions[0].kind, Action::Kind::kStep);
  actions = Press(GLFW_KEY_RIGHT, /*repeat=*/true);  // held down: keeps stepping
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(actions[0].kind, Action::Kind::kStep);
}

TEST_F(PanelTest, HeldOrCommandKeysDoNotRepeatActions) {
  EXPECT_TRUE(Press(GLFW_KEY_SPACE, /*repeat=*/true).empty());
  EXPECT_TRUE(Press(GLFW_KEY_SPACE, /*repeat=*/false, /*command=*/true).empty());
}

TEST_F(PanelTest, QuickTapsBetweenFramesAllCount) {
  for (int i = 0; i < 3; ++i) events_.keys.push_back({GLFW_KEY_RIGHT, false, false});
  Frame();
  EXPECT_EQ(actions_.size(), 3u);
}

TEST_F(PanelTest, BackspaceRestarts) {
  const std::vector<Action> actions = Press(GLFW_KEY_BACKSPACE);
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(actions[0].kind, Action::Kind::kRestart);
}

TEST_F(PanelTest, F12AsksForAScreenshotAndTabHidesThePanel) {
  Press(GLFW_KEY_F12);
  EXPECT_TRUE(requests_.screenshot);
  Press(GLFW_KEY_TAB);
  EXPECT_FALSE(settings_.show_panel);
  EXPECT_EQ(PanelWidth(settings_), 0);
  Press(GLFW_KEY_TAB);
  EXPECT_TRUE(settings_.show_panel);
}

TEST_F(PanelTest, NumberKeysPickTheCameras) {
  Press(GLFW_KEY_2);
  EXPECT_EQ(settings_.camera, CameraPreset::kTop);
  EXPECT_TRUE(requests_.camera_changed);
  Press(GLFW_KEY_3);
  EXPECT_EQ(settings_.camera, CameraPreset::kFollow);
  Press(GLFW_KEY_4);
  EXPECT_EQ(settings_.camera, CameraPreset::kFree);
  Press(GLFW_KEY_1);
  EXPECT_EQ(settings_.camera, CameraPreset::kAudience);
}

TEST_F(PanelTest, F9AndTheButtonStartAndStopARecording) {
  Press(GLFW_KEY_F9);
  EXPECT_TRUE(requests_.record);
  Press(GLFW_KEY_F9, /*repeat=*/true);  // held down: once is enough
  EXPECT_FALSE(requests_.record);
  Press(GLFW_KEY_F9, false, /*command=*/true);
  EXPECT_FALSE(requests_.record);
  // The panel draws its button either way (red, with the length, while recording).
  status_.recording = true;
  status_.recorded = 12.5;
  Frame();
  EXPECT_FALSE(requests_.record);
  EXPECT_GT(ImGui::GetDrawData()->TotalVtxCount, 1000);
}

TEST_F(PanelTest, MinusAndEqualChangeSpeed) {
  std::vector<Action> actions = Press(GLFW_KEY_MINUS);
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(actions[0].kind, Action::Kind::kSetSpeed);
  EXPECT_DOUBLE_EQ(actions[0].value, 0.5);
  Press(GLFW_KEY_EQUAL);
  actions = Press(GLFW_KEY_EQUAL);
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_TRUE(std::isinf(actions[0].value));
  actions = Press(GLFW_KEY_EQUAL);  // already the fastest
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_TRUE(std::isinf(actions[0].value));
}

TEST_F(PanelTest, LeftDragRotatesRightDragMovesScrollZooms) {
  ImGuiIO& io = ImGui::GetIO();
  io.MousePos = ImVec2(300, 400);
  Frame();
  io.MouseDown[0] = true;
  ViewInput input = Frame();
  EXPECT_EQ(input.perturb_begin, 0);
  io.MousePos = ImVec2(345, 400);
  input = Frame();
  EXPECT_EQ(input.camera_action, mjMOUSE_ROTATE_V);
  EXPECT_NEAR(input.dx, 45.0 / 900, 1e-6);
  EXPECT_EQ(input.dy, 0);
  io.MouseDown[0] = false;
  Frame();

  io.MouseDown[1] = true;
  Frame();
  io.KeyShift = true;
  io.MousePos = ImVec2(345, 420);
  input = Frame();
  EXPECT_EQ(input.camera_action, mjMOUSE_MOVE_H);
  EXPECT_NEAR(input.dy, 20.0 / 900, 1e-6);
  io.KeyShift = false;
  io.MouseDown[1] = false;
  Frame();

  io.MouseWheel = 2;
  input = Frame();
  EXPECT_NEAR(input.zoom, -0.1, 1e-9);
}

TEST_F(PanelTest, CtrlDragPushesTheSelectedRobot) {
  ImGuiIO& io = ImGui::GetIO();
  settings_.selected = 2;
  io.MousePos = ImVec2(500, 500);
  Frame();
  io.KeyCtrl = true;
  io.MouseDown[1] = true;
  ViewInput input = Frame();
  EXPECT_EQ(input.perturb_begin, mjPERT_TRANSLATE);
  io.MousePos = ImVec2(520, 500);
  input = Frame();
  EXPECT_EQ(input.perturb_action, mjMOUSE_MOVE_V);
  EXPECT_EQ(input.camera_action, mjMOUSE_NONE);
  io.MouseDown[1] = false;
  input = Frame();
  EXPECT_TRUE(input.perturb_end);
  io.KeyCtrl = false;
}

TEST_F(PanelTest, CtrlDragWithoutSelectionMovesTheCamera) {
  ImGuiIO& io = ImGui::GetIO();
  io.MousePos = ImVec2(500, 500);
  Frame();
  io.KeyCtrl = true;
  io.MouseDown[0] = true;
  ViewInput input = Frame();
  EXPECT_EQ(input.perturb_begin, 0);
  io.MousePos = ImVec2(500, 530);
  input = Frame();
  EXPECT_EQ(input.camera_action, mjMOUSE_ROTATE_V);
  io.KeyCtrl = false;
}

TEST_F(PanelTest, DoubleClicksSelectAndCenter) {
  ImGuiIO& io = ImGui::GetIO();
  io.MousePos = ImVec2(604, 450);
  Frame();
  events_.double_clicks.push_back({0, 604, 450});
  ViewInput input = Frame();
  EXPECT_TRUE(input.select);
  EXPECT_FALSE(input.center);
  EXPECT_NEAR(input.relx, 604.0 / (1600 - PanelWidth(settings_)), 1e-6);
  EXPECT_NEAR(input.rely, 0.5, 1e-6);
  events_.double_clicks.push_back({1, 100, 90});
  input = Frame();
  EXPECT_TRUE(input.center);
  EXPECT_NEAR(input.rely, 0.9, 1e-6);
  events_.double_clicks.push_back({0, 1500, 450});  // on the panel
  input = Frame();
  EXPECT_FALSE(input.select);
}

TEST_F(PanelTest, ClicksOnThePanelAreNotViewDrags) {
  ImGuiIO& io = ImGui::GetIO();
  io.MousePos = ImVec2(1500, 300);
  Frame();
  io.MouseDown[0] = true;
  Frame();
  io.MousePos = ImVec2(1450, 320);
  const ViewInput input = Frame();
  EXPECT_EQ(input.camera_action, mjMOUSE_NONE);
  EXPECT_EQ(drag_.button, -1);
}

TEST_F(PanelTest, PushFaultPointsWhereAsked) {
  settings_.push_force = 200;
  settings_.push_duration = 0.3;
  settings_.push_direction = 2;
  const Fault fault = MakePushFault(settings_, 5);
  EXPECT_EQ(fault.kind, Fault::Kind::kPush);
  EXPECT_EQ(fault.robot, 5);
  EXPECT_DOUBLE_EQ(fault.duration, 0.3);
  EXPECT_DOUBLE_EQ(fault.force[0], 0);
  EXPECT_DOUBLE_EQ(fault.force[1], 200);
}

TEST(DescribeFaultTest, NamesEveryKindOfFault) {
  EXPECT_EQ(DescribeFault(ParseFault("dropout:3@1"), 1.25), "dropout of r03 at t=1.250 s");
  EXPECT_EQ(DescribeFault(ParseFault("push:1@2:-150,0,0:0.2"), 2),
            "push of (-150, 0, 0) N for 0.20 s on r01 at t=2.000 s");
  EXPECT_EQ(DescribeFault(ParseFault("imu:12@0.5:0.8"), 0.5),
            "IMU freeze of r12 for 0.80 s at t=0.500 s");
  EXPECT_EQ(DescribeFault(ParseFault("motor:0@3:left_knee:0.3"), 3),
            "weak motor 'left_knee' of r00 (30% of its torque) from t=3.000 s");
}

TEST_F(PanelTest, ViewSettingsReachMujoco) {
  mjvOption options;
  mjv_defaultOption(&options);
  mjvScene view;
  mjv_defaultScene(&view);
  settings_.contact_forces = true;
  settings_.center_of_mass = true;
  settings_.shadows = false;
  settings_.mujoco_label = mjLABEL_SELECTION;
  ApplyViewSettings(settings_, &options, &view);
  EXPECT_TRUE(options.flags[mjVIS_CONTACTFORCE]);
  EXPECT_FALSE(options.flags[mjVIS_CONTACTPOINT]);
  EXPECT_TRUE(options.flags[mjVIS_COM]);
  EXPECT_EQ(options.label, mjLABEL_SELECTION);
  EXPECT_FALSE(view.flags[mjRND_SHADOW]);
  EXPECT_TRUE(view.flags[mjRND_REFLECTION]);
}

}  // namespace
}  // namespace yangbot

#endif  // YANGBOT_HAVE_VIEWER
