// The viewer's editing windows in a bare ImGui context (no window, no GL): they draw, and
// the keys and clipboard turn into edits of the show document.
#if YANGBOT_HAVE_VIEWER

#include "tools/viewer/editor_panels.h"

#include <GLFW/glfw3.h>
#include <gtest/gtest.h>
#include <imgui.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <memory>
#include <string>

#include "sim/assets.h"
#include "tests/tools/imgui_fixture.h"

namespace yangbot {
namespace {

const std::string kShort = AssetsDir() + "/choreographies/short.yaml";

class EditorPanelsTest : public ImGuiTest {
 protected:
  void SetUp() override {
    ImGuiTest::SetUp();
    dir_ = std::filesystem::temp_directory_path() /
           ("yangbot_editor_panels_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "show.yaml").string();
    std::filesystem::copy_file(kShort, path_, std::filesystem::copy_options::overwrite_existing);
    document_ = std::make_unique<ShowDocument>(path_);
    layout_ = LayoutTimeline(document_->loaded());
  }
  void TearDown() override {
    std::filesystem::remove_all(dir_);
    ImGuiTest::TearDown();
  }

  // One frame of every editing window; returns what they asked for.
  EditorRequests Frame(const InputEvents& events = {}) {
    ImGui::NewFrame();
    EditorRequests requests;
    keys_ = HandleEditorShortcuts(events, &requests);
    DrawProblemsWindow(*document_, false);
    DrawTimelineWindow(*document_, layout_, 10.5, true, 1200, &state_, &requests);
    DrawStageEditor(*document_, {0, 0, 1, 1}, paths_, true, &state_, &requests);
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
  std::vector<TransitionPaths> paths_;
};

// Vertices drawn in the red of separation problems (opaque, as for a current show).
int RedVertices() {
  int red = 0;
  const ImDrawData* draw = ImGui::GetDrawData();
  for (int l = 0; l < draw->CmdListsCount; ++l) {
    for (const ImDrawVert& v : draw->CmdLists[l]->VtxBuffer) red += v.col == IM_COL32(255, 60, 50, 230);
  }
  return red;
}

TEST_F(EditorPanelsTest, StageEditorDrawsThePlannedPathsRedWhereRobotsComeTooClose) {
  state_.show_stage_editor = true;
  const Show& show = document_->show();
  ASSERT_GE(show.formations.size(), 2u);
  state_.formation = 1;
  // Two robots walking into formation 1, meeting head-on half way; one standing aside.
  TransitionPaths paths;
  paths.formation = show.formations[1].name;
  for (int k = 0; k <= 20; ++k) {
    const double y = -1 + 0.1 * k;
    if (k == 0) paths.points.resize(3), paths.close.resize(3);
    paths.points[0].push_back({0, y});
    paths.points[1].push_back({0, -y});
    paths.points[2].push_back({2, 0});
    const bool close = std::abs(2 * y) < 0.6;
    paths.close[0].push_back(close);
    paths.close[1].push_back(close);
    paths.close[2].push_back(false);
  }
  paths.approaches.push_back({0, 1, 10, 0.0});
  paths_ = {paths};
  Frame();
  Frame();
  const int with_approach = RedVertices();
  EXPECT_GT(with_approach, 0);
  // The same paths kept apart: drawn, but nothing red (the show's slots are fine).
  for (auto& robot : paths_[0].close) robot.assign(robot.size(), false);
  paths_[0].approaches.clear();
  Frame();
  EXPECT_EQ(RedVertices(), 0);
  // Paths into another formation are not drawn in this one.
  paths_ = {paths};
  paths_[0].formation = show.formations[0].name;
  Frame();
  EXPECT_EQ(RedVertices(), 0);
  state_.formation = 0;
  Frame();
  Frame();
  EXPECT_EQ(RedVertices(), with_approach);
}

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
