// Issue 22: tools/demo's headless path on a short show writes the video (1280x720 by
// default, here smaller: length, picture size, the music as its sound track), the report
// and the contact sheet, and prints the show's metrics in two lines. Needs a display
// (tools/test runs the tests under xvfb-run) and ffmpeg.
#if YANGBOT_HAVE_VIEWER

#include <gtest/gtest.h>
#include <stb/stb_image.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "sim/assets.h"
#include "tests/test_paths.h"
#include "tests/tools/run_yangbot.h"

namespace yangbot {
namespace {

using testing::CaptureOutput;

TEST(DemoTest, TheHeadlessDemoWritesVideoWithMusicReportAndContactSheet) {
  if (!std::getenv("DISPLAY")) GTEST_SKIP() << "no display (run under xvfb-run)";
  if (std::system("ffprobe -version >/dev/null 2>&1") != 0) GTEST_SKIP() << "no ffmpeg";
  const std::filesystem::path root = std::filesystem::path(AssetsDir()).parent_path();
  const auto out =
      std::filesystem::temp_directory_path() / ("yangbot_demo_" + std::to_string(::getpid()));
  std::filesystem::remove_all(out);
  const std::string command =
      "YANGBOT_DEMO_HEADLESS=1 YANGBOT_DEMO_BINARY=" + YangbotBinary() +
      " YANGBOT_DEMO_OUT=" + out.string() + " " + (root / "tools/demo").string() + " " +
      (root / "tests/tools/testdata/demo/show.yaml").string() +
      " --width 320 --height 180 --fps 10 2>&1; echo exit=$?";
  const std::string output = CaptureOutput(command);
  ASSERT_NE(output.find("exit=0"), std::string::npos) << output;
  // The metrics in two lines, then where the files are.
  EXPECT_NE(output.find("==> 2 robots, 4.0 s of show"), std::string::npos) << output;
  EXPECT_NE(output.find("    formation "), std::string::npos) << output;
  EXPECT_NE(output.find("beat timing"), std::string::npos) << output;
  EXPECT_NE(output.find("wrote " + (out / "show.mp4").string()), std::string::npos) << output;

  // The video: 4 s at 10 fps (41 frames from 0 to 4 s), 320x180, with the music.
  const std::string video = (out / "show.mp4").string();
  const std::string probe = CaptureOutput(
      "ffprobe -v error -select_streams v:0 -count_frames -show_entries "
      "stream=width,height,nb_read_frames -of default=nw=1 " + video);
  EXPECT_NE(probe.find("width=320"), std::string::npos) << probe;
  EXPECT_NE(probe.find("height=180"), std::string::npos) << probe;
  EXPECT_NE(probe.find("nb_read_frames=41"), std::string::npos) << probe;
  const std::string audio = CaptureOutput(
      "ffprobe -v error -select_streams a:0 -show_entries stream=codec_type,duration "
      "-of default=nw=1 " + video);
  EXPECT_NE(audio.find("codec_type=audio"), std::string::npos) << audio;
  const std::size_t at = audio.find("duration=");
  ASSERT_NE(at, std::string::npos) << audio;
  EXPECT_NEAR(std::stod(audio.substr(at + 9)), 4.1, 0.15) << audio;

  // The report of the run: the show's robots, length and metrics.
  std::ifstream report_file(out / "report.json");
  const nlohmann::json report = nlohmann::json::parse(report_file);
  EXPECT_EQ(report["robots"], 2);
  EXPECT_NEAR(report["sim_seconds"].get<double>(), 4.0, 1e-6);
  EXPECT_EQ(report["falls"], 0);
  EXPECT_TRUE(report["spin_phase_error_deg_rms"].is_number());

  // The contact sheet: one picture a section (two, side by side), not blank.
  const std::string sheet = (out / "contact-sheet.png").string();
  int w = 0, h = 0, channels = 0;
  unsigned char* pixels = stbi_load(sheet.c_str(), &w, &h, &channels, 3);
  ASSERT_NE(pixels, nullptr) << sheet;
  // Two 320x180 pictures with 8-pixel gaps.
  EXPECT_EQ(w, 2 * 320 + 3 * 8);
  EXPECT_EQ(h, 180 + 2 * 8);
  int lit = 0;
  for (int i = 0; i < w * h; ++i) lit += pixels[3 * i] + pixels[3 * i + 1] > 100;
  stbi_image_free(pixels);
  EXPECT_GT(lit, w * h / 4);
  std::filesystem::remove_all(out);
}

}  // namespace
}  // namespace yangbot

#endif  // YANGBOT_HAVE_VIEWER
