// A video recorded from the viewer's window (F9 or the panel's button). The window draws a
// few frames a second under software GL and the run may go faster or slower than real time,
// so the video is not a stream of drawn frames: its frames lie on the sim-time grid
// start + k / fps, each showing the last picture drawn at or before its time (a picture
// drawn after a long step is repeated). The video therefore plays at real speed, in step
// with the show's music, which is its sound track (music time is sim time). While the run
// is paused, or after a seek back, no frames are due until it passes the recorded time.
// GL-free: the viewer reads the pixels, this decides how many frames they make.
#ifndef YANGBOT_TOOLS_VIEWER_WINDOW_RECORDING_H_
#define YANGBOT_TOOLS_VIEWER_WINDOW_RECORDING_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "choreography/show.h"
#include "tools/render/image.h"

namespace yangbot {

/// Frames of a video starting at sim time `start` (s) with `fps` frames per sim second that
/// are due at sim time `time` but not among the `written` first: 0 when none.
int64_t VideoFramesDue(double start, double fps, int64_t written, double time);

/// The show's music as the sound track of a video starting at sim time `start` (s): its
/// `music:` file, relative to `base_dir` (the show file's folder). No sound (an empty
/// path) when the show has no music or the file does not exist.
VideoSound ShowSoundTrack(const Show& show, const std::string& base_dir, double start);

/// A free name out/yangbot-YYYYmmdd-HHMMSS[-N].`extension` (local time) for a capture.
std::string CapturePath(const std::string& extension);

/// A video being recorded from the window (see file comment).
class WindowRecording {
 public:
  /// Starts ffmpeg on `path` (see VideoWriter: it appears under that name only once
  /// finished) for pictures of width x height pixels; the first frame is at sim time
  /// `start`. Throws Error when ffmpeg cannot start.
  WindowRecording(const std::string& path, int width, int height, double fps, double start,
                  const VideoSound& sound = {});

  /// Frames due at sim time `time` (VideoFramesDue): read the window only when > 0.
  int64_t FramesDue(double time) const;
  /// Adds the picture drawn at sim time `time` (packed RGB, top row first, width x height)
  /// as every frame due then; returns how many. Throws Error when ffmpeg has gone away.
  int64_t Add(double time, const std::vector<uint8_t>& rgb);
  /// Finishes the video; throws Error when ffmpeg fails. Without it (destroyed unfinished)
  /// nothing is left under the path.
  void Finish();

  /// The video's file.
  const std::string& path() const { return video_.path(); }
  /// Picture size, pixels.
  int width() const { return width_; }
  /// Picture size, pixels.
  int height() const { return height_; }
  /// Frames written so far.
  int64_t frames() const { return video_.frames(); }
  /// Length of the video so far (s).
  double seconds() const { return static_cast<double>(video_.frames()) / fps_; }

 private:
  VideoWriter video_;
  int width_, height_;
  double fps_, start_;
};

}  // namespace yangbot

#endif  // YANGBOT_TOOLS_VIEWER_WINDOW_RECORDING_H_
