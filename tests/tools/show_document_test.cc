// The viewer's show document: edits with undo/redo, canonical atomic saves, hot reload.
#if YANGBOT_HAVE_VIEWER

#include "tools/viewer/show_document.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>

#include "choreography/show_writer.h"
#include "sim/assets.h"
#include "sim/error.h"
#include "tools/viewer/show_edits.h"
#include "tools/viewer/timeline.h"

namespace yangbot {
namespace {

const std::string kShort = AssetsDir() + "/choreographies/short.yaml";

class ShowDocumentTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("yangbot_show_document_test_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "show.yaml").string();
    std::filesystem::copy_file(kShort, path_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Rewrites the file as another program would, with a later modification time.
  void WriteOnDisk(const std::string& text) {
    const auto before = std::filesystem::last_write_time(path_);
    WriteFileAtomic(path_, text);
    std::filesystem::last_write_time(path_, before + std::chrono::seconds(1));
  }

  std::filesystem::path dir_;
  std::string path_;
};

// Moves the first cue of section 2 ("handkerchief wave", 8 beats: 4 beats in a canon of
// 1 beat over 4 robots, so it can start 1 beat later at most) by `beats`.
void MoveWave(ShowDocument* document, int beats) {
  ASSERT_TRUE(document->Apply("move hanky_flower", [beats](Show* show) {
    MoveCue(1, 0, Beats(beats), show);
  }));
}

TEST_F(ShowDocumentTest, OpensAValidFileClean) {
  ShowDocument document(path_);
  EXPECT_TRUE(document.ok()) << document.DiagnosticsText();
  EXPECT_TRUE(document.editable());
  EXPECT_FALSE(document.dirty());
  EXPECT_FALSE(document.can_undo());
  EXPECT_EQ(document.show().timeline.size(), 4u);
  const ShowRun run = MakeShowRun(document.loaded(), document.base_dir());
  EXPECT_EQ(run.scene.robots, 4);
  EXPECT_EQ(run.scene.placements.size(), 4u);
  EXPECT_EQ(run.compiled.references.size(), 4u);
  EXPECT_EQ(run.beats_per_bar, 4);
}

TEST_F(ShowDocumentTest, EditsUndoAndRedo) {
  ShowDocument document(path_);
  const int64_t revision = document.revision();
  MoveWave(&document, 1);
  EXPECT_TRUE(document.ok()) << document.DiagnosticsText();
  EXPECT_TRUE(document.dirty());
  EXPECT_GT(document.revision(), revision);
  EXPECT_EQ(document.show().timeline[1].cues[0].at, Beats(1));
  EXPECT_EQ(document.undo_label(), "move hanky_flower");

  ASSERT_TRUE(document.Undo());
  EXPECT_FALSE(document.show().timeline[1].cues[0].at.has_value());
  EXPECT_FALSE(document.dirty());  // back to what is on disk
  EXPECT_TRUE(document.can_redo());
  ASSERT_TRUE(document.Redo());
  EXPECT_EQ(document.show().timeline[1].cues[0].at, Beats(1));
  EXPECT_TRUE(document.dirty());
  EXPECT_FALSE(document.Redo());

  // A new edit after an undo drops the redo history.
  ASSERT_TRUE(document.Undo());
  MoveWave(&document, 1);
  EXPECT_FALSE(document.can_redo());
  // An edit that changes nothing is not an edit.
  EXPECT_FALSE(document.Apply("nothing", [](Show*) {}));
}

TEST_F(ShowDocumentTest, AnEditWithErrorsIsKeptAndReported) {
  ShowDocument document(path_);
  ASSERT_TRUE(document.Apply("rename", [](Show* show) { show->timeline[3].cues[0].name = "bowe"; }));
  EXPECT_FALSE(document.ok());
  EXPECT_TRUE(document.editable());  // edits keep going; nothing typed is lost
  const std::string text = document.DiagnosticsText();
  EXPECT_NE(text.find(path_ + " (as it would be saved):"), std::string::npos) << text;
  EXPECT_NE(text.find(": error: unknown move 'bowe' (did you mean 'bow'?)"), std::string::npos)
      << text;
  EXPECT_EQ(document.show().timeline[3].cues[0].name, "bowe");
  ASSERT_TRUE(document.Undo());
  EXPECT_TRUE(document.ok());
}

TEST_F(ShowDocumentTest, SavesCanonicallyAndAtomicallyWithABackup) {
  const std::string original = ReadFileOrThrow(path_);
  ShowDocument document(path_);
  MoveWave(&document, 1);
  document.Save();
  EXPECT_FALSE(document.dirty());
  EXPECT_EQ(ReadFileOrThrow(path_ + ".bak"), original);
  const std::string saved = ReadFileOrThrow(path_);
  EXPECT_EQ(saved, WriteShow(document.show()));
  EXPECT_NE(saved.find("# A short yangge for four robots"), std::string::npos);  // comments kept
  ShowDocument again(path_);
  EXPECT_TRUE(again.ok());
  EXPECT_EQ(again.show().timeline[1].cues[0].at, Beats(1));
  // Our own save is not a change on disk.
  EXPECT_EQ(document.Poll(), ShowDocument::DiskChange::kNone);

  const std::string other = (dir_ / "other.yaml").string();
  document.SaveAs(other);
  EXPECT_EQ(document.path(), other);
  EXPECT_EQ(ReadFileOrThrow(other), saved);
}

TEST_F(ShowDocumentTest, ReloadsWhenTheFileChangesOnDisk) {
  ShowDocument document(path_);
  EXPECT_EQ(document.Poll(), ShowDocument::DiskChange::kNone);
  std::string text = ReadFileOrThrow(path_);
  text.replace(text.find("tempo: 120"), 10, "tempo: 100");
  WriteOnDisk(text);
  const int64_t revision = document.revision();
  EXPECT_EQ(document.Poll(), ShowDocument::DiskChange::kReloaded);
  EXPECT_EQ(document.show().tempo, 100.0);
  EXPECT_GT(document.revision(), revision);
  EXPECT_FALSE(document.dirty());
  EXPECT_EQ(document.Poll(), ShowDocument::DiskChange::kNone);
  // The reload is one undoable step.
  ASSERT_TRUE(document.Undo());
  EXPECT_EQ(document.show().tempo, 120.0);
  EXPECT_TRUE(document.dirty());
}

TEST_F(ShowDocumentTest, KeepsUnsavedEditsWhenTheFileChangesOnDisk) {
  ShowDocument document(path_);
  MoveWave(&document, 1);
  std::string text = ReadFileOrThrow(path_);
  text.replace(text.find("tempo: 120"), 10, "tempo: 100");
  WriteOnDisk(text);
  EXPECT_EQ(document.Poll(), ShowDocument::DiskChange::kConflict);
  EXPECT_EQ(document.show().tempo, 120.0);
  EXPECT_EQ(document.show().timeline[1].cues[0].at, Beats(1));
  EXPECT_EQ(document.Poll(), ShowDocument::DiskChange::kNone);  // reported once
  document.Reload();
  EXPECT_EQ(document.show().tempo, 100.0);
  EXPECT_FALSE(document.dirty());
}

TEST_F(ShowDocumentTest, AFileWithErrorsIsReadOnlyUntilFixed) {
  const std::string good = ReadFileOrThrow(path_);
  std::string bad = good;
  bad.replace(bad.find("move: bow"), 9, "move: bwo");
  WriteOnDisk(bad);
  ShowDocument document(path_);
  EXPECT_FALSE(document.ok());
  EXPECT_FALSE(document.editable());
  EXPECT_NE(document.DiagnosticsText().find(path_ + ":"), std::string::npos);
  EXPECT_NE(document.DiagnosticsText().find("unknown move 'bwo'"), std::string::npos);
  EXPECT_FALSE(document.Apply("move", [](Show* show) { MoveCue(1, 0, Beats(2), show); }));
  EXPECT_THROW(document.Save(), Error);
  EXPECT_EQ(ReadFileOrThrow(path_), bad);  // untouched

  WriteOnDisk(good);
  EXPECT_EQ(document.Poll(), ShowDocument::DiskChange::kReloaded);
  EXPECT_TRUE(document.ok());
  EXPECT_TRUE(document.editable());
  EXPECT_FALSE(document.can_undo());  // the broken version is not an undo step
}

TEST_F(ShowDocumentTest, NoticesAMissingFile) {
  ShowDocument document(path_);
  std::filesystem::remove(path_);
  EXPECT_EQ(document.Poll(), ShowDocument::DiskChange::kMissing);
  EXPECT_EQ(document.Poll(), ShowDocument::DiskChange::kNone);
  EXPECT_TRUE(document.ok());  // the show is kept
  document.Save();
  EXPECT_TRUE(std::filesystem::exists(path_));
}


// Two robots spin their right handkerchiefs, throw them on beat 2 and catch them on beat 4
// (150 bpm), and spin again from beat 6.
constexpr const char* kThrowShow = R"(title: Throw edit test
tempo: 150
offset: 1
troupe: {robots: 2, start: line}
formations:
  line: {shape: line, spacing: 1.2}
timeline:
  - section: throw
    at: 1:1
    beats: 8
    cues:
      - hanky: spin
        hand: right
        beats: 2
      - hanky: throw
        hand: right
        at: 2
        beats: 2
      - hanky: spin
        hand: right
        at: 6
        beats: 2
)";

// A `hanky: throw` cue is a block of the timeline like any cue; moving its release (the
// cue's start) a beat later and its catch (the cue's end) half a beat earlier than that
// survives a save, and the viewer's run of the saved show throws and catches then.
TEST_F(ShowDocumentTest, EditsOfAThrowCuesReleaseAndCatchRoundTripThroughSave) {
  WriteOnDisk(kThrowShow);
  ShowDocument document(path_);
  ASSERT_TRUE(document.ok()) << document.DiagnosticsText();
  const TimelineLayout layout = LayoutTimeline(document.loaded());
  const int block = layout.Find(0, 1);
  ASSERT_GE(block, 0);
  EXPECT_EQ(layout.blocks[block].label, "hanky throw");
  EXPECT_EQ(layout.blocks[block].start, Beats(2));
  EXPECT_EQ(layout.blocks[block].length, Beats(2));
  ASSERT_TRUE(document.Apply("move the throw", [](Show* show) { MoveCue(0, 1, Beats(3), show); }));
  ASSERT_TRUE(document.Apply("catch sooner", [](Show* show) {
    ResizeCue(0, 1, Beats::Fraction(3, 2), show);
  }));
  ASSERT_TRUE(document.ok()) << document.DiagnosticsText();
  document.Save();

  ShowDocument saved(path_);
  ASSERT_TRUE(saved.ok()) << saved.DiagnosticsText();
  const Cue& cue = saved.show().timeline[0].cues[1];
  EXPECT_EQ(cue.kind, CueKind::kHanky);
  EXPECT_EQ(cue.name, "throw");
  EXPECT_EQ(cue.at, Beats(3));
  EXPECT_EQ(cue.beats, Beats::Fraction(3, 2));
  const ShowRun run = MakeShowRun(saved.loaded(), saved.base_dir());
  EXPECT_TRUE(run.scene.throwing_hankies);
  ASSERT_EQ(run.throws.size(), 2u);  // one per robot
  const BeatClock& clock = saved.loaded().schedule.clock;
  for (const HankyThrow& t : run.throws) {
    EXPECT_NEAR(t.release, clock.Time(Beats(3)), 1e-9);
    EXPECT_NEAR(t.catch_time, clock.Time(Beats::Fraction(9, 2)), 1e-9);
  }
}

}  // namespace
}  // namespace yangbot

#endif  // YANGBOT_HAVE_VIEWER
