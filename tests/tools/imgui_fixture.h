// A bare Dear ImGui context for tests of the viewer's windows: no window, no GL. The
// viewer's panels draw into it and tests read the draw data and what the panels queued.
#ifndef YANGBOT_TESTS_TOOLS_IMGUI_FIXTURE_H_
#define YANGBOT_TESTS_TOOLS_IMGUI_FIXTURE_H_

#include <gtest/gtest.h>
#include <imgui.h>

namespace yangbot {

/// Creates an ImGui context per test, 1600x900 at 60 frames per second, with its font
/// atlas built (NewFrame needs it) and no imgui.ini.
class ImGuiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.DisplaySize = ImVec2(1600, 900);
    io.DeltaTime = 1.0f / 60;
    unsigned char* pixels = nullptr;
    int width = 0, height = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &width, &height);
  }
  void TearDown() override { ImGui::DestroyContext(); }
};

}  // namespace yangbot

#endif  // YANGBOT_TESTS_TOOLS_IMGUI_FIXTURE_H_
