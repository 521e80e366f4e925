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
#include "tests/test_paths.h"

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

TEST(ImageTest, DownscaleAveragesThePixelsItCovers) {
  // 4x2 pixels, red 0, 100, 200, 250 along the top row, 0 below: halved to 2x1.
  std::vector<uint8_t> rgb(3 * 8, 0);
  const uint8_t top[4] = {0, 100, 200, 250};
  for (int x = 0; x < 4; ++x) rgb[3 * x] = top[x];
  const std::vector<uint8_t> small = Downscale(4, 2, rgb, 2, 1);
  ASSERT_EQ(small.size(), 6u);
  EXPECT_EQ(small[0], 25);   // (0 + 100 + 0 + 0) / 4
  EXPECT_EQ(small[3], 113);  // (200 + 250) / 4, rounded
  EXPECT_THROW(Downscale(4, 2, rgb, 8, 1), Error);
}

TEST(ImageTest, TileGridLaysPicturesOutInRows) {
  const std::vector<uint8_t> white(3 * 2 * 1, 255), grey(3 * 2 * 1, 128);
  int width = 0, height = 0;
  const std::vector<uint8_t> grid = TileGrid({white, grey, white}, 2, 1, 2, 1, &width, &height);
  EXPECT_EQ(width, 2 * 2 + 3);   // two columns, three gaps
  EXPECT_EQ(height, 2 * 1 + 3);  // two rows
  auto at = [&](int x, int y) { return grid[3 * (y * width + x)]; };
  EXPECT_EQ(at(1, 1), 255);  // first tile
  EXPECT_EQ(at(4, 1), 128);  // second, right of it
  EXPECT_EQ(at(1, 3), 255);  // third, on the next row
  EXPECT_EQ(at(0, 0), 24);   // background
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

TEST(ImageTest, FfmpegCommandWritesTheGivenFileWithOrWithoutSound) {
  const std::vector<std::string> silent = FfmpegVideoCommand("out/v.mp4.part", 64, 48, 30);
  ASSERT_GE(silent.size(), 4u);
  EXPECT_EQ(silent.front(), "ffmpeg");
  EXPECT_EQ(silent.back(), "out/v.mp4.part");
  const std::string line = [](const std::vector<std::string>& args) {
    std::string text;
    for (const std::string& a : args) text += " " + a;
    return text;
  }(silent);
  EXPECT_NE(line.find(" -s 64x48 -r 30 -i pipe:0 "), std::string::npos) << line;
  EXPECT_NE(line.find(" -an "), std::string::npos) << line;
  // The name does not end in .mp4: the container is given.
  EXPECT_NE(line.find(" -f mp4 out/v.mp4.part"), std::string::npos) << line;

  const std::vector<std::string> with_music =
      FfmpegVideoCommand("v.part", 64, 48, 25, VideoSound{"music dir/song.opus", 12.5});
  std::string text;
  for (const std::string& a : with_music) text += "|" + a;
  EXPECT_EQ(text.find("|-an|"), std::string::npos) << text;
  // The music starts where the video does, and is cut or padded to the video's length.
  EXPECT_NE(text.find("|-i|pipe:0|-ss|12.500000|-i|music dir/song.opus|"), std::string::npos)
      << text;
  EXPECT_NE(text.find("|-map|0:v:0|-map|1:a:0|"), std::string::npos) << text;
  EXPECT_NE(text.find("|-af|apad|-shortest|"), std::string::npos) << text;
  EXPECT_EQ(with_music.back(), "v.part");
  EXPECT_EQ(PartialVideoPath("out/show.mp4"), "out/show.mp4.part");
}

TEST(ImageTest, AnUnfinishedVideoLeavesNoFileUnderItsName) {
  if (std::system("ffmpeg -version >/dev/null 2>&1") != 0) GTEST_SKIP() << "no ffmpeg";
  const auto dir = TempDir("partial");
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "clip.mp4").string();
  {
    VideoWriter video(path, 64, 48, 10);
    for (int i = 0; i < 30; ++i) video.AddFrame(Gradient(64, 48));
    EXPECT_FALSE(std::filesystem::exists(path));  // ffmpeg writes clip.mp4.part meanwhile
  }  // destroyed without Close: an interrupted recording
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_FALSE(std::filesystem::exists(PartialVideoPath(path)));

  // A video already there survives an interrupted one, and is replaced by a finished one.
  WriteFileAtomic(path, "the earlier video");
  {
    VideoWriter video(path, 64, 48, 10);
    video.AddFrame(Gradient(64, 48));
  }
  EXPECT_EQ(ReadFileOrThrow(path), "the earlier video");
  VideoWriter video(path, 64, 48, 10);
  for (int i = 0; i < 5; ++i) video.AddFrame(Gradient(64, 48));
  EXPECT_EQ(ReadFileOrThrow(path), "the earlier video");
  video.Close();
  EXPECT_GT(std::filesystem::file_size(path), 500u);
  EXPECT_FALSE(std::filesystem::exists(PartialVideoPath(path)));
  std::filesystem::remove_all(dir.parent_path());
}

TEST(ImageTest, WritesAnMp4WithASoundTrack) {
  if (std::system("ffmpeg -version >/dev/null 2>&1") != 0) GTEST_SKIP() << "no ffmpeg";
  if (std::system("ffprobe -version >/dev/null 2>&1") != 0) GTEST_SKIP() << "no ffprobe";
  const auto dir = TempDir("sound");
  std::filesystem::create_directories(dir);
  // 1 s of a 440 Hz tone; the video lasts 2 s: the sound is padded to the video's length.
  const std::string tone = (dir / "tone.wav").string();
  ASSERT_EQ(std::system(("ffmpeg -nostdin -loglevel error -f lavfi -i sine=frequency=440:duration=1 " +
                         tone)
                            .c_str()),
            0);
  const std::string path = (dir / "clip.mp4").string();
  VideoWriter video(path, 64, 48, 10, VideoSound{tone, 0.25});
  for (int i = 0; i < 20; ++i) video.AddFrame(Gradient(64, 48));
  video.Close();
  const std::string probe = (dir / "probe.txt").string();
  ASSERT_EQ(std::system(("ffprobe -v error -show_entries stream=codec_type,duration -of csv=p=0 " +
                         path + " > " + probe)
                            .c_str()),
            0);
  const std::string streams = ReadFileOrThrow(probe);
  const size_t video_at = streams.find("video,"), audio_at = streams.find("audio,");
  ASSERT_NE(video_at, std::string::npos) << streams;
  ASSERT_NE(audio_at, std::string::npos) << streams;
  EXPECT_NEAR(std::atof(streams.c_str() + video_at + 6), 2.0, 0.01) << streams;
  EXPECT_NEAR(std::atof(streams.c_str() + audio_at + 6), 2.0, 0.1) << streams;  // padded
  std::filesystem::remove_all(dir.parent_path());
}

TEST(SnapshotCommandTest, WritesPictureAndVideo) {
  if (!std::getenv("DISPLAY")) GTEST_SKIP() << "no display (run under xvfb-run)";
  if (std::system("ffmpeg -version >/dev/null 2>&1") != 0) GTEST_SKIP() << "no ffmpeg";
  const auto dir = TempDir("snapshot");
  const std::string png = (dir / "stage.png").string();
  const std::string mp4 = (dir / "stage.mp4").string();
  const std::string command =
      YangbotBinary() + " snapshot --robots 2 --seconds 0.2 --width 320 --height 180" +
      " --camera top --out " + png + " --video " + mp4 + " --fps 20 >/dev/null";
  ASSERT_EQ(std::system(command.c_str()), 0);
  EXPECT_GT(std::filesystem::file_size(png), 1000u);
  EXPECT_GT(std::filesystem::file_size(mp4), 1000u);
  std::filesystem::remove_all(dir.parent_path());
}

}  // namespace
}  // namespace yangbot

#endif  // YANGBOT_HAVE_VIEWER
