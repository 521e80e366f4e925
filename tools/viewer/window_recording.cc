#include "tools/viewer/window_recording.h"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <filesystem>

namespace yangbot {

int64_t VideoFramesDue(double start, double fps, int64_t written, double time) {
  if (!(time >= start) || !(fps > 0)) return 0;
  // Frame k is due once time >= start + k / fps; 1e-9 absorbs the rounding of step sums.
  const int64_t due = static_cast<int64_t>(std::floor((time - start) * fps + 1e-9)) + 1;
  return std::max<int64_t>(0, due - written);
}

VideoSound ShowSoundTrack(const Show& show, const std::string& base_dir, double start) {
  VideoSound sound;
  if (show.music.empty()) return sound;
  std::filesystem::path file(show.music);
  if (file.is_relative() && !base_dir.empty()) file = std::filesystem::path(base_dir) / file;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) return sound;
  sound.path = file.string();
  sound.start = std::max(0.0, start);
  return sound;
}

std::string CapturePath(const std::string& extension) {
  const std::time_t now = std::time(nullptr);
  char stamp[32];
  std::strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", std::localtime(&now));
  std::string path = std::string("out/yangbot-") + stamp + "." + extension;
  for (int k = 2; std::filesystem::exists(path) || std::filesystem::exists(PartialVideoPath(path));
       ++k) {
    path = std::string("out/yangbot-") + stamp + "-" + std::to_string(k) + "." + extension;
  }
  return path;
}

WindowRecording::WindowRecording(const std::string& path, int width, int height, double fps,
                                 double start, const VideoSound& sound)
    : video_(path, width, height, fps, sound),
      width_(width),
      height_(height),
      fps_(fps),
      start_(start) {}

int64_t WindowRecording::FramesDue(double time) const {
  return VideoFramesDue(start_, fps_, video_.frames(), time);
}

int64_t WindowRecording::Add(double time, const std::vector<uint8_t>& rgb) {
  const int64_t due = FramesDue(time);
  for (int64_t k = 0; k < due; ++k) video_.AddFrame(rgb);
  return due;
}

void WindowRecording::Finish() { video_.Close(); }

}  // namespace yangbot
