// `yangbot view FILE` end to end: the window opens on a show, draws it and saves a picture
// (needs a display: tools/test runs the tests under xvfb-run).
#if YANGBOT_HAVE_VIEWER

#include <gtest/gtest.h>
#include <stb/stb_image.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "sim/assets.h"
#include "sim/error.h"
#include "tests/tools/run_yangbot.h"

namespace yangbot {
namespace {

using testing::RunYangbot;

const std::string kShort = AssetsDir() + "/choreographies/short.yaml";

TEST(ViewCommandTest, AMissingShowFileIsAClearError) {
  const auto result = RunYangbot("view /nonexistent/show.yaml");
  EXPECT_EQ(result.status, 1);
  EXPECT_NE(result.output.find("/nonexistent/show.yaml: error: no such file"), std::string::npos)
      << result.output;
}

TEST(ViewCommandTest, DrawsAShowWithItsRedHandkerchiefs) {
  if (!std::getenv("DISPLAY")) GTEST_SKIP() << "no display (run under xvfb-run)";
  const auto dir = std::filesystem::temp_directory_path() /
                   ("yangbot_viewer_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string png = (dir / "view.png").string();
  const auto result = RunYangbot("view " + kShort +
                                 " --frames 8 --width 960 --height 600 --camera audience"
                                 " --screenshot " + png);
  ASSERT_EQ(result.status, 0) << result.output;
  EXPECT_NE(result.output.find("wrote " + png), std::string::npos) << result.output;
  int width = 0, height = 0, channels = 0;
  unsigned char* pixels = stbi_load(png.c_str(), &width, &height, &channels, 3);
  ASSERT_NE(pixels, nullptr);
  EXPECT_EQ(width, 960);
  EXPECT_EQ(height, 600);
  // The handkerchiefs are strongly red; the timeline's playhead is red too, so count only
  // the 3D view (above the timeline, left of the panel).
  int red = 0, bright = 0;
  for (int y = 0; y < height - 270; ++y) {
    for (int x = 0; x < width - 400; ++x) {
      const unsigned char* p = pixels + 3 * (y * width + x);
      if (p[0] > 120 && p[0] > 2 * p[1] && p[0] > 2 * p[2]) ++red;
      if (p[0] + p[1] + p[2] > 300) ++bright;
    }
  }
  stbi_image_free(pixels);
  EXPECT_GT(red, 50);
  EXPECT_GT(bright, 500);  // robots and stage lit, not a blank frame
  std::filesystem::remove_all(dir);
}

// Issue 6's acceptance run: the default show for 300 frames (~100 s of the show at the
// software renderer's few frames a second). The picture is kept in the build tree
// (tests/test-output/view.png) for people to look at.
TEST(ViewCommandTest, TheDefaultShowFor300FramesShowsSixteenRobotsWithHandkerchiefs) {
  if (!std::getenv("DISPLAY")) GTEST_SKIP() << "no display (run under xvfb-run)";
  std::filesystem::create_directories("test-output");
  const std::string png = "test-output/view.png";
  std::filesystem::remove(png);
  const int width = 960, height = 540;
  const auto result = RunYangbot("view " + AssetsDir() +
                                 "/choreographies/yangge16.yaml --frames 300 --width 960"
                                 " --height 540 --camera top --no-timeline --screenshot " + png);
  ASSERT_EQ(result.status, 0) << result.output;
  int w = 0, h = 0, channels = 0;
  unsigned char* pixels = stbi_load(png.c_str(), &w, &h, &channels, 3);
  ASSERT_NE(pixels, nullptr) << png;
  ASSERT_EQ(w, width);
  ASSERT_EQ(h, height);
  // Robots are white/grey/black on a red carpet seen from above; count, in the 3D view
  // (left of the panel), strongly red handkerchief-or-carpet pixels and robot-coloured ones
  // (grey or white: channels within 20 of each other, not the dark background).
  int red = 0, robot = 0, view = 0;
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w - 400; ++x) {
      const unsigned char* p = pixels + 3 * (y * w + x);
      ++view;
      if (p[0] > 120 && p[0] > 2 * p[1] && p[0] > 2 * p[2]) ++red;
      const int lo = std::min({p[0], p[1], p[2]}), hi = std::max({p[0], p[1], p[2]});
      if (hi - lo < 20 && hi > 90) ++robot;
    }
  }
  stbi_image_free(pixels);
  EXPECT_GT(red, view / 50) << "red pixels";
  EXPECT_GT(robot, view / 400) << "robot pixels: 16 robots cover a plausible share";
  EXPECT_LT(robot, view / 2) << "robot pixels: not a washed-out frame";
}

TEST(ViewCommandTest, RecordsAVideoWithTheShowsMusic) {
  if (!std::getenv("DISPLAY")) GTEST_SKIP() << "no display (run under xvfb-run)";
  if (std::system("ffmpeg -version >/dev/null 2>&1") != 0) GTEST_SKIP() << "no ffmpeg";
  const auto dir = std::filesystem::temp_directory_path() /
                   ("yangbot_viewer_record_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  // The short show with music: a 1 s tone next to it, named relative to the show file.
  ASSERT_EQ(std::system(("ffmpeg -nostdin -loglevel error -y -f lavfi -i "
                         "sine=frequency=440:duration=1 " + (dir / "tone.wav").string())
                            .c_str()),
            0);
  std::string show = ReadFileOrThrow(kShort);
  const size_t troupe = show.find("\ntroupe:");
  ASSERT_NE(troupe, std::string::npos);
  show.insert(troupe + 1, "music: tone.wav\n");
  const std::string file = (dir / "show.yaml").string();
  WriteFileAtomic(file, show);
  const std::string video = (dir / "videos" / "show.mp4").string();
  const auto result = RunYangbot("view " + file +
                                 " --frames 12 --width 640 --height 400 --record " + video);
  ASSERT_EQ(result.status, 0) << result.output;
  EXPECT_NE(result.output.find("wrote " + video), std::string::npos) << result.output;
  EXPECT_FALSE(std::filesystem::exists(video + ".part"));
  // The music player found no sound card here (CI): silent, without complaint.
  EXPECT_EQ(result.output.find("ALSA"), std::string::npos) << result.output;
  const std::string streams = testing::CaptureOutput(
      "ffprobe -v error -show_entries stream=codec_type,duration -of csv=p=0 " + video);
  const size_t video_at = streams.find("video,"), audio_at = streams.find("audio,");
  ASSERT_NE(video_at, std::string::npos) << streams;
  ASSERT_NE(audio_at, std::string::npos) << streams;
  // 12 frames of the window at a few frames a second: seconds of sim time, at 30 fps.
  const double seconds = std::atof(streams.c_str() + video_at + 6);
  EXPECT_GT(seconds, 0.5) << streams;
  EXPECT_NEAR(std::atof(streams.c_str() + audio_at + 6), seconds, 0.1) << streams;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace yangbot

#endif  // YANGBOT_HAVE_VIEWER
