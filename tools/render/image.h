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

/// Shrinks a packed RGB image of width x height to to_width x to_height (each at most the
/// original's), every pixel the mean of the pixels it covers.
std::vector<uint8_t> Downscale(int width, int height, const std::vector<uint8_t>& rgb,
                               int to_width, int to_height);

/// Lays pictures of tile_width x tile_height (packed RGB) out in a grid of `columns`,
/// left to right and top to bottom, `gap` pixels apart and around, on a dark background;
/// returns the picture and its size.
std::vector<uint8_t> TileGrid(const std::vector<std::vector<uint8_t>>& tiles, int tile_width,
                              int tile_height, int columns, int gap, int* width, int* height);

/// Encodes a packed RGB image (top row first) as PNG bytes.
std::string EncodePng(int width, int height, const std::vector<uint8_t>& rgb);

/// Writes a PNG file atomically, creating its folder; throws Error on failure.
void WritePng(const std::string& path, int width, int height, const std::vector<uint8_t>& rgb);

/// A video's sound track.
struct VideoSound {
  std::string path;  ///< audio file ffmpeg can read (WAV, Opus, ...); "" = a silent video
  double start = 0;  ///< s into the audio at the video's first frame (>= 0)
};

/// Where a video is written until it is finished: `path` + ".part". An interrupted
/// recording leaves at most this file, never a truncated video under the final name.
std::string PartialVideoPath(const std::string& path);

/// ffmpeg's command line (argv, "ffmpeg" first) that encodes raw packed RGB frames
/// (width x height, `fps` a second) from its standard input as H.264 MP4 into `output`,
/// with `sound` as an AAC sound track cut or padded with silence to the video's length.
std::vector<std::string> FfmpegVideoCommand(const std::string& output, int width, int height,
                                            double fps, const VideoSound& sound = {});

/// Streams frames into `ffmpeg`, which encodes them as H.264 MP4 (FfmpegVideoCommand).
/// ffmpeg writes PartialVideoPath(path); Close renames it to `path` once ffmpeg succeeded.
class VideoWriter {
 public:
  /// Starts ffmpeg writing the video of `path` (its folder is created) at `fps` frames a
  /// second; throws Error when ffmpeg cannot be started.
  VideoWriter(const std::string& path, int width, int height, double fps,
              const VideoSound& sound = {});
  /// Without Close (an error, an interruption): stops ffmpeg and deletes the partial
  /// file; a file already at `path` is left as it was.
  ~VideoWriter();
  VideoWriter(const VideoWriter&) = delete;
  VideoWriter& operator=(const VideoWriter&) = delete;

  /// Appends one frame (packed RGB, top row first, width*height*3 bytes); throws Error when
  /// ffmpeg has gone away.
  void AddFrame(const std::vector<uint8_t>& rgb);
  /// Finishes the video and moves it to `path`; throws Error when ffmpeg fails (the
  /// partial file is deleted then) or the file cannot be renamed.
  void Close();
  /// The final path.
  const std::string& path() const { return path_; }
  /// Frames written so far.
  int frames() const { return frames_; }

 private:
  std::string path_;
  std::string partial_;  // what ffmpeg writes
  int width_, height_;
  int fd_ = -1;     // pipe into ffmpeg's stdin
  pid_t pid_ = -1;  // the ffmpeg process
  int frames_ = 0;
};

}  // namespace yangbot

#endif  // YANGBOT_TOOLS_RENDER_IMAGE_H_
