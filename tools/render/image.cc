#include "tools/render/image.h"

#include <signal.h>
#include <spawn.h>
#include <stb_image_write.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "sim/error.h"

extern char** environ;

namespace yangbot {
namespace {

void MakeParentFolder(const std::string& path) {
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (parent.empty()) return;
  std::error_code ec;
  std::filesystem::create_directories(parent, ec);
  if (ec)
    throw Error(path + ": error: cannot create folder " + parent.string() + ": " + ec.message());
}

void AppendBytes(void* context, void* data, int size) {
  static_cast<std::string*>(context)->append(static_cast<const char*>(data), size);
}

}  // namespace

void FlipRows(int width, int height, std::vector<uint8_t>* rgb) {
  const size_t row = 3 * static_cast<size_t>(width);
  for (int top = 0, bottom = height - 1; top < bottom; ++top, --bottom) {
    std::swap_ranges(rgb->begin() + top * row, rgb->begin() + (top + 1) * row,
                     rgb->begin() + bottom * row);
  }
}

std::vector<uint8_t> Downscale(int width, int height, const std::vector<uint8_t>& rgb,
                               int to_width, int to_height) {
  if (width <= 0 || height <= 0 || rgb.size() != 3 * static_cast<size_t>(width) * height ||
      to_width <= 0 || to_height <= 0 || to_width > width || to_height > height) {
    throw Error("error: internal: bad picture sizes to downscale");
  }
  std::vector<uint8_t> out(3 * static_cast<size_t>(to_width) * to_height);
  for (int y = 0; y < to_height; ++y) {
    const int y0 = y * height / to_height, y1 = std::max(y0 + 1, (y + 1) * height / to_height);
    for (int x = 0; x < to_width; ++x) {
      const int x0 = x * width / to_width, x1 = std::max(x0 + 1, (x + 1) * width / to_width);
      unsigned sum[3] = {0, 0, 0};
      for (int sy = y0; sy < y1; ++sy) {
        const uint8_t* p = rgb.data() + 3 * (static_cast<size_t>(sy) * width + x0);
        for (int sx = x0; sx < x1; ++sx, p += 3) {
          sum[0] += p[0];
          sum[1] += p[1];
          sum[2] += p[2];
        }
      }
      const unsigned n = static_cast<unsigned>((y1 - y0) * (x1 - x0));
      uint8_t* q = out.data() + 3 * (static_cast<size_t>(y) * to_width + x);
      for (int k = 0; k < 3; ++k) q[k] = static_cast<uint8_t>((sum[k] + n / 2) / n);
    }
  }
  return out;
}

std::vector<uint8_t> TileGrid(const std::vector<std::vector<uint8_t>>& tiles, int tile_width,
                              int tile_height, int columns, int gap, int* width, int* height) {
  const int count = static_cast<int>(tiles.size());
  columns = std::max(1, std::min(columns, std::max(count, 1)));
  const int rows = std::max(1, (count + columns - 1) / columns);
  *width = columns * tile_width + (columns + 1) * gap;
  *height = rows * tile_height + (rows + 1) * gap;
  std::vector<uint8_t> out(3 * static_cast<size_t>(*width) * *height, 24);
  const size_t row_bytes = 3 * static_cast<size_t>(tile_width);
  for (int i = 0; i < count; ++i) {
    if (tiles[i].size() != row_bytes * tile_height) {
      throw Error("error: internal: a tile's pixels do not match its size");
    }
    const int left = gap + (i % columns) * (tile_width + gap);
    const int top = gap + (i / columns) * (tile_height + gap);
    for (int y = 0; y < tile_height; ++y) {
      std::copy_n(tiles[i].data() + y * row_bytes, row_bytes,
                  out.data() + 3 * ((static_cast<size_t>(top) + y) * *width + left));
    }
  }
  return out;
}

std::string EncodePng(int width, int height, const std::vector<uint8_t>& rgb) {
  if (width <= 0 || height <= 0 || rgb.size() != 3 * static_cast<size_t>(width) * height) {
    throw Error("error: internal: image size does not match its pixels");
  }
  std::string png;
  if (!stbi_write_png_to_func(AppendBytes, &png, width, height, 3, rgb.data(), 3 * width)) {
    throw Error("error: PNG encoding failed");
  }
  return png;
}

void WritePng(const std::string& path, int width, int height, const std::vector<uint8_t>& rgb) {
  const std::string png = EncodePng(width, height, rgb);
  MakeParentFolder(path);
  WriteFileAtomic(path, png);
}

std::string PartialVideoPath(const std::string& path) { return path + ".part"; }

std::vector<std::string> FfmpegVideoCommand(const std::string& output, int width, int height,
                                            double fps, const VideoSound& sound) {
  char rate[32];
  std::snprintf(rate, sizeof(rate), "%.17g", fps);
  std::vector<std::string> args = {"ffmpeg",   "-nostdin", "-y",     "-loglevel", "error",
                                   "-f",       "rawvideo", "-pix_fmt", "rgb24",   "-s",
                                   std::to_string(width) + "x" + std::to_string(height),
                                   "-r",       rate,       "-i",     "pipe:0"};
  if (sound.path.empty()) {
    args.push_back("-an");
  } else {
    char start[32];
    std::snprintf(start, sizeof(start), "%.6f", std::max(0.0, sound.start));
    // -ss before -i seeks the audio input; apad + -shortest make the video's length rule:
    // a short piece of music is padded with silence, a long one is cut at the last frame.
    args.insert(args.end(), {"-ss", start, "-i", sound.path});
    for (const char* arg : {"-map", "0:v:0", "-map", "1:a:0", "-af", "apad", "-shortest",
                            "-c:a", "aac", "-b:a", "160k"}) {
      args.push_back(arg);
    }
  }
  // The output name ends in .part: the container is named, not guessed from it.
  for (const char* arg : {"-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2", "-c:v", "libx264", "-preset",
                          "veryfast", "-crf", "20", "-pix_fmt", "yuv420p", "-movflags",
                          "+faststart", "-f", "mp4"}) {
    args.push_back(arg);
  }
  args.push_back(output);
  return args;
}

VideoWriter::VideoWriter(const std::string& path, int width, int height, double fps,
                         const VideoSound& sound)
    : path_(path), partial_(PartialVideoPath(path)), width_(width), height_(height) {
  if (width <= 0 || height <= 0 || !(fps > 0 && fps <= 240)) {
    throw Error("error: bad video size or frame rate (fps must be in (0, 240])");
  }
  MakeParentFolder(path);
  // A dead ffmpeg must surface as an error from AddFrame, not kill us with SIGPIPE.
  signal(SIGPIPE, SIG_IGN);
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) throw Error("error: cannot create a pipe to ffmpeg");
  std::vector<std::string> args = FfmpegVideoCommand(partial_, width, height, fps, sound);
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[0], STDIN_FILENO);
  posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
  posix_spawn_file_actions_addclose(&actions, pipe_fds[1]);
  const int status = posix_spawnp(&pid_, "ffmpeg", &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(pipe_fds[0]);
  if (status != 0) {
    close(pipe_fds[1]);
    pid_ = -1;
    throw Error(std::string("error: cannot start ffmpeg (") + std::strerror(status) +
                "); install it (Debian: apt-get install ffmpeg)");
  }
  fd_ = pipe_fds[1];
}

VideoWriter::~VideoWriter() {
  if (pid_ <= 0) return;  // closed
  kill(pid_, SIGTERM);    // not finished: no point encoding the rest
  if (fd_ >= 0) close(fd_);
  while (waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
  }
  std::error_code ec;
  std::filesystem::remove(partial_, ec);
}

void VideoWriter::AddFrame(const std::vector<uint8_t>& rgb) {
  if (fd_ < 0) throw Error(path_ + ": error: the video is already closed");
  if (rgb.size() != 3 * static_cast<size_t>(width_) * height_) {
    throw Error("error: internal: video frame size does not match the video");
  }
  size_t written = 0;
  while (written < rgb.size()) {
    const ssize_t n = write(fd_, rgb.data() + written, rgb.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw Error(path_ + ": error: ffmpeg stopped accepting frames (" + std::strerror(errno) +
                  ")");
    }
    written += static_cast<size_t>(n);
  }
  ++frames_;
}

void VideoWriter::Close() {
  if (fd_ >= 0) {
    close(fd_);
    fd_ = -1;
  }
  if (pid_ <= 0) return;
  int status = 0;
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
  std::error_code ec;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::filesystem::remove(partial_, ec);
    throw Error(path_ + ": error: ffmpeg failed to encode the video");
  }
  std::filesystem::rename(partial_, path_, ec);
  if (ec) {
    std::filesystem::remove(partial_, ec);
    throw Error(path_ + ": error: cannot move the finished video here (" + ec.message() + ")");
  }
}

}  // namespace yangbot
