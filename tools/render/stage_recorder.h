// Pictures of a run as it goes, headless: an MP4 video (frames on the sim-time grid
// k / fps), PNG snapshots every so many seconds and a contact sheet (labelled moments in a
// grid), rendered offscreen from one camera, with the stage's dressing (stage_dressing.h).
// `yangbot run --video/--snapshots` and `yangbot snapshot` both film through this.
#ifndef YANGBOT_TOOLS_RENDER_STAGE_RECORDER_H_
#define YANGBOT_TOOLS_RENDER_STAGE_RECORDER_H_

#include <mujoco/mujoco.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/scene.h"
#include "tools/render/camera.h"
#include "tools/render/image.h"
#include "tools/render/offscreen_renderer.h"
#include "tools/render/show_camera.h"

namespace yangbot {

/// One picture of a contact sheet.
struct SheetMoment {
  double time = 0;    ///< s of sim time
  std::string label;  ///< written in its top-left corner
};

/// What to film.
struct StageRecordingOptions {
  std::string video;                              ///< MP4 path; "" = no video
  double fps = 30;                                ///< video frames per simulated second
  VideoSound sound;  ///< the video's sound track, from sim time 0 (a show's music: music time is sim time)
  std::string snapshot_dir;                       ///< folder for PNG snapshots; "" = none
  double snapshot_every = 10;                     ///< s of sim time between snapshots (> 0)
  int width = 1280;                               ///< pixels
  int height = 720;                               ///< pixels
  CameraPreset camera = CameraPreset::kAudience;  ///< where the camera looks from
  int follow = 0;                                 ///< robot the follow camera tracks
  /// Frames the troupe for the audience and top cameras (and sizes the stage floor); null:
  /// the model's fixed cameras.
  std::shared_ptr<const ShowCamera> show_camera;
  std::optional<RenderQuality> quality;  ///< what a picture costs; none: for the renderer
  std::string contact_sheet;          ///< PNG path of the contact sheet; "" = none
  std::vector<SheetMoment> moments;   ///< its pictures, by time
  int sheet_columns = 4;              ///< pictures a row
  int sheet_tile_width = 480;  ///< pixels, at most the video's; the height keeps its aspect
};

/// File name of the snapshot taken at time t (s): "t00012.50.png" (sorts by time).
std::string SnapshotFileName(double t);

/// Films a run: call Capture after every physics step (and once before the first).
class StageRecorder {
 public:
  /// Opens the GL context and starts ffmpeg when a video is asked for; throws Error when
  /// there is no display, no ffmpeg, or the robot to follow does not exist. `scene`
  /// must outlive the recorder.
  static std::unique_ptr<StageRecorder> Create(const Scene& scene,
                                               const StageRecordingOptions& options);
  ~StageRecorder();
  StageRecorder(const StageRecorder&) = delete;
  StageRecorder& operator=(const StageRecorder&) = delete;

  /// Renders the video frames and snapshots due at d->time (those whose time is within
  /// half a physics step of it or earlier and not yet taken); throws Error on write failure.
  void Capture(mjData* d);
  /// Renders the state in `d` into a PNG file (the same camera and size).
  void WritePicture(const std::string& path, mjData* d);
  /// Finishes the video (only then does it appear under its name: see VideoWriter) and
  /// writes the contact sheet; throws Error when ffmpeg fails or a file cannot be written.
  /// Call once, after the last Capture.
  void Finish();

  /// Video frames written so far.
  int frames() const { return video_ ? video_->frames() : 0; }
  /// Snapshots written so far.
  int snapshots() const { return snapshots_; }
  /// Contact sheet pictures taken so far.
  int sheet_pictures() const { return static_cast<int>(sheet_.size()); }
  /// The options it films with.
  const StageRecordingOptions& options() const { return options_; }
  /// The scene of the last picture rendered (its camera projects points into it).
  mjvScene* view() { return renderer_->view(); }

 private:
  StageRecorder() = default;
  const Scene* scene_ = nullptr;
  StageRecordingOptions options_;
  std::unique_ptr<OffscreenRenderer> renderer_;
  std::unique_ptr<VideoWriter> video_;
  int next_frame_ = 0;     // index of the next video frame (time next_frame_ / fps)
  int next_snapshot_ = 0;  // index of the next snapshot (time next_snapshot_ * every)
  int snapshots_ = 0;
  std::unique_ptr<StageDressing> dressing_;
  std::vector<std::vector<uint8_t>> sheet_;  // contact sheet pictures taken, tile-sized
  void Aim(double t);  // points the camera for time t
};

}  // namespace yangbot

#endif  // YANGBOT_TOOLS_RENDER_STAGE_RECORDER_H_
