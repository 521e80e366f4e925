// PNG and MP4 output, and `yangbot snapshot` end to end when a display is available.
#if YANGBOT_HAVE_VIEWER

#include "tools/render/image.h"

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
                   ("yangbot_image_test_" + std::to_string(::getpid())) / name;
  std::filesystem::remove_all(dir);
  return dir;
}

std::vector<uint8_t> Gradient(int width, int height) {
  std::vector<uint8_t> rgb(3 * width * height);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      rgb[3 * (y * width + x)] = static_cast<uint8_t>(x * 255 / width);
      rgb[3 * (y * width + x) + 1] = static_cast<uint8_t>(y * 255 / height);
      rgb[3 * (y * width + x) + 2] = 128;
    }
  }
  return rgb;
}

TEST(ImageTest, FlipRowsReversesRows) {
  std::vector<uint8_t> rgb = {1, 1, 1, 2, 2, 2, 3, 3, 3};  // 1 x 3
  FlipRows(1, 3, &rgb);
  EXPECT_EQ(rgb, (std::vector<uint8_t>{3, 3, 3, 2, 2, 2, 1, 1, 1}));
  std::vector<uint8_t> two = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};  // 2 x 2
  FlipRows(2, 2, &two);
  EXPECT_EQ(two, (std::vector<uint8_t>{7, 8, 9, 10, 11, 12, 1, 2, 3, 4, 5, 6}));
}

TEST(ImageTest, WritesAPng) {
  const auto dir = TempDir("png");
  const std::string path = (dir / "sub" / "picture.png").string();
  WritePng(path, 40, 30, Gradient(40, 30));
  const std::string bytes = ReadFileOrThrow(path);
  ASSERT_GT(bytes.size(), 8u);
  EXPECT_EQ(bytes.substr(1, 3), "PNG");
  EXPECT_THROW(EncodePng(40, 30, std::vector<uint8_t>(10)), Error);
  std::filesystem::remove_all(dir.parent_path());
}

TEST(ImageTest, WritesAnMp4ThroughFfmpeg) {
  if (std::system("ffmpeg -version >/dev/null 2>&1") != 0) GTEST_SKIP() << "no ffmpeg";
  const auto dir = TempDir("mp4");
  const std::string path = (dir / "clip.mp4").string();
  VideoWriter video(path, 64, 48, 10);
  for (int i = 0; i < 10; ++i) video.AddFrame(Gradient(64, 48));
  EXPECT_THROW(video.AddFrame(std::vector<uint8_t>(5)), Error);
  video.Close();
  EXPECT_EQ(video.frames(), 10);
  EXPECT_GT(std::filesystem::file_size(path), 500u);
  std::filesystem::remove_all(dir.parent_path());
}

TEST(SnapshotCommandTest, WritesPictureAndVideo) {
  if (!std::getenv("DISPLAY")) GTEST_SKIP() << "no display (run under xvfb-run)";
  if (std::system("ffmpeg -version >/dev/null 2>&1") != 0) GTEST_SKIP() << "no ffmpeg";
  const auto dir = TempDir("snapshot");
  const std::string png = (dir / "stage.png").string();
  const std::string mp4 = (dir / "stage.mp4").string();
  const std::string command =
      std::string(YANGBOT_BINARY) + " snapshot --robots 2 --seconds 0.2 --width 320 --height 180" +
      " --camera top --out " + png + " --video " + mp4 + " --fps 20 >/dev/null";
  ASSERT_EQ(std::system(command.c_str()), 0);
  EXPECT_GT(std::filesystem::file_size(png), 1000u);
  EXPECT_GT(std::filesystem::file_size(mp4), 1000u);
  std::filesystem::remove_all(dir.parent_path());
}

}  // namespace
}  // namespace yangbot

#endif  // YANGBOT_HAVE_VIEWER
