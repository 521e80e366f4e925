// The viewer's editing windows in a bare ImGui context (no window, no GL): they draw, and
// the keys and clipboard turn into edits of the show document.
#if YANGBOT_HAVE_VIEWER

#include "tools/viewer/editor_panels.h"

#include <GLFW/glfw3.h>
#include <gtest/gtest.h>
#include <imgui.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

namespace yangbot {
namespace {

const std::string kShort = std::string(YANGBOT_ASSETS_DIR) + "/choreographies/short.yaml";

class EditorPanelsTest : public ::testing::Test {
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
    dir_ = std::filesystem::temp_directory_path() /
           ("yangbot_editor_panels_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "show.yaml").string();
    std::filesystem::copy_file(kShort, path_, std::filesystem::copy_options::overwrite_existing);
    document_ = std::make_unique<ShowDocument>(path_);
    layout_ = LayoutTimeline(document_->loaded());
  }
  void TearDown() override {
    ImGui::DestroyContext();
    std::filesystem::remove_all(dir_);
  }

  // One frame of every editing window; returns what they asked for.
  EditorRequests Frame(const InputEvents& events = {}) {
    ImGui::NewFrame();
    EditorRequests requests;
    keys_ = HandleEditorShortcuts(events, &requests);
    DrawProblemsWindow(*document_, false);
    DrawTimelineWindow(*document_, layout_, 10.5, true, 1200, &state_, &requests);
    DrawStageEditor(*document_, {0, 0, 1, 1}, &state_, &requests);
    DrawPlotsWindow(plots_, &state_);
    DrawFileDialogs(document_.get(), false, &state_, &requests);
    ImGui::Render();
    return requests;
  }

  void ApplyAll(const EditorRequests& requests) {
    for (const auto& edit : requests.edits) document_->Apply(edit.label, edit.apply);
    layout_ = LayoutTimeline(document_->loaded());
  }

  static InputEvents Key(int key, bool ctrl, bool shift = false) {
    InputEvents events;
    InputEvents::Key press;
    press.key = key;
    press.ctrl = press.command = ctrl;
    press.shift = shift;
    events.keys.push_back(press);
    return events;
  }

  std::filesystem::path dir_;
  std::string path_;
  std::unique_ptr<ShowDocument> document_;
  TimelineLayout layout_;
  EditorState state_;
  EditorKeys keys_;
  RobotPlots plots_;
};

TEST_F(EditorPanelsTest, DrawsTheTimelineStageEditorAndPlots) {
  state_.show_stage_editor = true;
  state_.show_plots = true;
  state_.section = 0;
  state_.cue = 1;  // waist_twist: its parameters in the inspector
  Frame();
  const EditorRequests requests = Frame();
  EXPECT_TRUE(requests.edits.empty());
  EXPECT_FALSE(requests.seek_beat.has_value());
  const ImDrawData* draw = ImGui::GetDrawData();
  ASSERT_NE(draw, nullptr);
  EXPECT_GT(draw->TotalVtxCount, 2000);
}

TEST_F(EditorPanelsTest, EditingKeys) {
  EXPECT_TRUE(Frame(Key(GLFW_KEY_Z, true)).undo);
  EXPECT_TRUE(Frame(Key(GLFW_KEY_Z, true, true)).redo);
  EXPECT_TRUE(Frame(Key(GLFW_KEY_Y, true)).redo);
  EXPECT_TRUE(Frame(Key(GLFW_KEY_S, true)).save);
  Frame(Key(GLFW_KEY_DELETE, false));
  EXPECT_TRUE(keys_.erase);
  Frame(Key(GLFW_KEY_C, true));
  EXPECT_TRUE(keys_.copy);
  Frame(Key(GLFW_KEY_V, true));
  EXPECT_TRUE(keys_.paste);
  EXPECT_FALSE(Frame(Key(GLFW_KEY_Z, false)).undo);
  // The Open dialog takes the keyboard: its text field gets Ctrl+Z and Delete.
  EXPECT_TRUE(Frame(Key(GLFW_KEY_O, true)).open_dialog);
  Frame();
  EXPECT_FALSE(Frame(Key(GLFW_KEY_Z, true)).undo);
}

TEST_F(EditorPanelsTest, CtrlShiftSAsksWhereToSave) {
  EXPECT_TRUE(Frame(Key(GLFW_KEY_S, true, true)).save_as_dialog);
  EXPECT_EQ(state_.open_path, path_);  // the field starts at the current file
}

TEST_F(EditorPanelsTest, CopiesPastesAtThePlayheadAndDeletes) {
  state_.section = 1;  // the handkerchief wave
  state_.cue = 0;
  EditorRequests requests;
  CopyPasteDelete(*document_, layout_, /*copy=*/true, false, false, 25.4, &state_, &requests);
  ASSERT_TRUE(state_.clipboard.has_value());
  EXPECT_EQ(state_.clipboard->name, "hanky_flower");
  EXPECT_TRUE(requests.edits.empty());
  // Beat 25.4 is in the bow (beats 24-32): pasted 1.5 beats in (quarter-beat grid).
  CopyPasteDelete(*document_, layout_, false, /*paste=*/true, false, 25.4, &state_, &requests);
  ApplyAll(requests);
  const Section& bow = document_->show().timeline[3];
  ASSERT_EQ(bow.cues.size(), 2u);
  EXPECT_EQ(bow.cues[1].name, "hanky_flower");
  EXPECT_EQ(bow.cues[1].at, Beats::Fraction(3, 2));
  EXPECT_EQ(bow.cues[1].beats, Beats(4));
  EXPECT_EQ(document_->undo_label(), "paste hanky_flower");

  requests = EditorRequests();
  state_.section = 3;
  state_.cue = 1;
  CopyPasteDelete(*document_, layout_, false, false, /*erase=*/true, 0, &state_, &requests);
  ApplyAll(requests);
  EXPECT_EQ(document_->show().timeline[3].cues.size(), 1u);
  EXPECT_EQ(state_.cue, -1);
  ASSERT_TRUE(document_->Undo());
  EXPECT_EQ(document_->show().timeline[3].cues.size(), 2u);
}

TEST_F(EditorPanelsTest, OffersTheMoveLibraryWithoutInternalMoves) {
  const std::vector<std::string>& moves = AddableMoves();
  EXPECT_NE(std::find(moves.begin(), moves.end(), "cross_step"), moves.end());
  EXPECT_NE(std::find(moves.begin(), moves.end(), "hanky_flower"), moves.end());
  EXPECT_EQ(std::find(moves.begin(), moves.end(), "walk_to"), moves.end());
  EXPECT_EQ(std::find(moves.begin(), moves.end(), "hanky_spin"), moves.end());
}

}  // namespace
}  // namespace yangbot

#endif  // YANGBOT_HAVE_VIEWER
