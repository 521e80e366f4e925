// Videos recorded from the viewer's window, without a window: frames on the sim-time grid,
// the show's music as the sound track, nothing under the final name until finished.
#if YANGBOT_HAVE_VIEWER

#include "tools/viewer/window_recording.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "sim/error.h"

namespace yangbot {
namespace {

std::filesystem::path TempDir(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("yangbot_window_recording_test_" + std::to_string(::getpid())) / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

TEST(VideoFramesDueTest, FramesLieOnTheSimTimeGridFromTheStart) {
  // 10 fps from t = 2 s: frame k at 2 + k/10.
  EXPECT_EQ(VideoFramesDue(2, 10, 0, 1.99), 0);  // before the start
  EXPECT_EQ(VideoFramesDue(2, 10, 0, 2.0), 1);
  EXPECT_EQ(VideoFramesDue(2, 10, 1, 2.05), 0);
  EXPECT_EQ(VideoFramesDue(2, 10, 1, 2.1), 1);  // 0.1 as a sum of 0.002 s steps
  EXPECT_EQ(VideoFramesDue(2, 10, 2, 2.0 + 50 * 0.002 + 0.35), 3);  // a slow frame: repeats
  EXPECT_EQ(VideoFramesDue(2, 10, 5, 2.2), 0);  // after a seek back: nothing until t = 2.5
  EXPECT_EQ(VideoFramesDue(2, 0, 0, 3), 0);
}

TEST(ShowSoundTrackTest, TheShowsMusicRelativeToItsFileFromTheRecordingsStart) {
  const auto dir = TempDir("sound");
  WriteFileAtomic((dir / "song.wav").string(), "not really a song");
  Show show;
  EXPECT_EQ(ShowSoundTrack(show, dir.string(), 3).path, "");  // no music
  show.music = "song.wav";
  const VideoSound sound = ShowSoundTrack(show, dir.string(), 3.5);
  EXPECT_EQ(sound.path, (dir / "song.wav").string());
  EXPECT_DOUBLE_EQ(sound.start, 3.5);  // music time is sim time
  show.music = "missing.wav";
  EXPECT_EQ(ShowSoundTrack(show, dir.string(), 0).path, "");
  std::filesystem::remove_all(dir.parent_path());
}

TEST(WindowRecordingTest, RepeatsPicturesToKeepTheVideoInSimTime) {
  if (std::system("ffmpeg -version >/dev/null 2>&1") != 0) GTEST_SKIP() << "no ffmpeg";
  const auto dir = TempDir("video");
  const std::string path = (dir / "clip.mp4").string();
  const std::vector<uint8_t> picture(3 * 32 * 24, 200);
  WindowRecording recording(path, 32, 24, 10, 1.0);
  EXPECT_EQ(recording.FramesDue(0.5), 0);
  EXPECT_EQ(recording.Add(1.0, picture), 1);
  EXPECT_EQ(recording.Add(1.05, picture), 0);
  EXPECT_EQ(recording.Add(1.52, picture), 5);  // a slow window frame: 1.1 ... 1.5
  EXPECT_EQ(recording.frames(), 6);
  EXPECT_DOUBLE_EQ(recording.seconds(), 0.6);
  EXPECT_THROW(recording.Add(2, std::vector<uint8_t>(7)), Error);
  EXPECT_FALSE(std::filesystem::exists(path));  // not finished yet
  recording.Finish();
  EXPECT_GT(std::filesystem::file_size(path), 200u);
  EXPECT_FALSE(std::filesystem::exists(PartialVideoPath(path)));
  std::filesystem::remove_all(dir.parent_path());
}

TEST(CapturePathTest, NamesAFreeFileUnderOut) {
  const std::string path = CapturePath("mp4");
  EXPECT_EQ(path.rfind("out/yangbot-", 0), 0u) << path;
  EXPECT_EQ(path.substr(path.size() - 4), ".mp4");
  EXPECT_FALSE(std::filesystem::exists(path));
}

}  // namespace
}  // namespace yangbot

#endif  // YANGBOT_HAVE_VIEWER
