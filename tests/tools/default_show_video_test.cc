// Issue 7: a headless video of the default show (its first seconds) renders with the show's
// music as its sound track, and a snapshot from it shows the sixteen robots with their red handkerchiefs. Needs a display
// (tools/test runs the tests under xvfb-run) and ffmpeg.
#if YANGBOT_HAVE_VIEWER

#include <gtest/gtest.h>
#include <stb/stb_image.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "sim/assets.h"
#include "tests/tools/run_yangbot.h"

namespace yangbot {
namespace {

using testing::CaptureOutput;
using testing::CommandResult;
using testing::RunYangbot;

TEST(DefaultShowVideoTest, TheFirstSecondsRenderWithEveryRobotInThePicture) {
  if (!std::getenv("DISPLAY")) GTEST_SKIP() << "no display (run under xvfb-run)";
  if (std::system("ffprobe -version >/dev/null 2>&1") != 0) GTEST_SKIP() << "no ffmpeg";
  const std::string show = AssetsDir() + "/choreographies/yangge16.yaml";
  const auto dir = std::filesystem::temp_directory_path() /
                   ("yangbot_default_show_video_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  const int width = 480, height = 270;
  const CommandResult r = RunYangbot(
      "run " + show + " --quiet --seconds 2 --video " + (dir / "show.mp4").string() +
      " --fps 10 --snapshots " + (dir / "png").string() + " --every 1 --width " +
      std::to_string(width) + " --height " + std::to_string(height));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("16 robots"), std::string::npos) << r.output;

  // An H.264 MP4 with a frame every 0.1 s from 0 to 2 s.
  const std::string probe = CaptureOutput(
      "ffprobe -v error -select_streams v:0 -count_frames -show_entries "
      "stream=codec_name,width,height,nb_read_frames -of default=nw=1 " +
      (dir / "show.mp4").string());
  EXPECT_NE(probe.find("codec_name=h264"), std::string::npos) << probe;
  EXPECT_NE(probe.find("width=480"), std::string::npos) << probe;
  EXPECT_NE(probe.find("nb_read_frames=21"), std::string::npos) << probe;
  // The show's music is its sound track, cut to the video's length.
  const std::string audio = CaptureOutput(
      "ffprobe -v error -select_streams a:0 -show_entries stream=codec_type,duration "
      "-of default=nw=1 " + (dir / "show.mp4").string());
  EXPECT_NE(audio.find("codec_type=audio"), std::string::npos) << audio;
  const std::size_t at = audio.find("duration=");
  ASSERT_NE(at, std::string::npos) << audio;
  EXPECT_NEAR(std::stod(audio.substr(at + 9)), 2.1, 0.15) << audio;

  // The last snapshot: red handkerchiefs of many robots (each covers a few pixels at this
  // size; one robot alone would not reach the count) and a lit stage, not a blank frame.
  const std::string png = (dir / "png" / "t00002.00.png").string();
  int w = 0, h = 0, channels = 0;
  unsigned char* pixels = stbi_load(png.c_str(), &w, &h, &channels, 3);
  ASSERT_NE(pixels, nullptr) << png;
  EXPECT_EQ(w, width);
  EXPECT_EQ(h, height);
  int red = 0, bright = 0;
  for (int i = 0; i < w * h; ++i) {
    const unsigned char* p = pixels + 3 * i;
    if (p[0] > 120 && p[0] > 2 * p[1] && p[0] > 2 * p[2]) ++red;
    if (p[0] + p[1] + p[2] > 300) ++bright;
  }
  stbi_image_free(pixels);
  EXPECT_GT(red, 16 * 4) << "red handkerchief pixels";
  EXPECT_GT(bright, w * h / 50) << "lit pixels";
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace yangbot

#endif  // YANGBOT_HAVE_VIEWER
