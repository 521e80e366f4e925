// Pictures out of the renderer: PNG files (stb_image_write) and MP4 videos (frames piped
// into an ffmpeg process). GL-free; pixels are packed RGB, 3 bytes a pixel, top row first.
#ifndef YANGBOT_TOOLS_RENDER_IMAGE_H_
#define YANGBOT_TOOLS_RENDER_IMAGE_H_

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace yangbot {

/// Reverses the row order of a packed RGB image in place (OpenGL's bottom row first <->
/// image files' top row first).
void FlipRows(int width, int height, std::vector<uint8_t>* rgb);

/// Encodes a packed RGB image (top row first) as PNG bytes.
std::string EncodePng(int width, int height, const std::vector<uint8_t>& rgb);

/// Writes a PNG file atomically, creating its folder; throws Error on failure.
void WritePng(const std::string& path, int width, int height, const std::vector<uint8_t>& rgb);

/// Streams frames into `ffmpeg`, which encodes them as H.264 MP4.
class VideoWriter {
 public:
  /// Starts ffmpeg writing `path` (its folder is created) at `fps` frames a second;
  /// throws Error when ffmpeg cannot be started.
  VideoWriter(const std::string& path, int width, int height, double fps);
  /// Stops ffmpeg if Close was not called (errors are ignored then).
  ~VideoWriter();
  VideoWriter(const VideoWriter&) = delete;
  VideoWriter& operator=(const VideoWriter&) = delete;

  /// Appends one frame (packed RGB, top row first, width*height*3 bytes); throws Error when
  /// ffmpeg has gone away.
  void AddFrame(const std::vector<uint8_t>& rgb);
  /// Finishes the file; throws Error when ffmpeg fails.
  void Close();
  /// Frames written so far.
  int frames() const { return frames_; }

 private:
  std::string path_;
  int width_, height_;
  int fd_ = -1;     // pipe into ffmpeg's stdin
  pid_t pid_ = -1;  // the ffmpeg process
  int frames_ = 0;
};

}  // namespace yangbot

#endif  // YANGBOT_TOOLS_RENDER_IMAGE_H_
