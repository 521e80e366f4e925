#include "tools/render/stage_recorder.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "sim/error.h"

namespace yangbot {

std::string SnapshotFileName(double t) {
  char name[40];
  std::snprintf(name, sizeof(name), "t%08.2f.png", t);
  return name;
}

std::unique_ptr<StageRecorder> StageRecorder::Create(const Scene& scene,
                                                     const StageRecordingOptions& options) {
  if (options.camera == CameraPreset::kFollow &&
      (options.follow < 0 || options.follow >= scene.robot_count())) {
    throw Error("error: --follow names robot " + std::to_string(options.follow) +
                " but the stage has " + std::to_string(scene.robot_count()) + " robots");
  }
  if (!options.snapshot_dir.empty() && !(options.snapshot_every > 0)) {
    throw Error("error: the snapshot interval must be > 0 s");
  }
  std::unique_ptr<StageRecorder> r(new StageRecorder);
  r->scene_ = &scene;
  r->options_ = options;
  // The GL context first, so a missing display fails before ffmpeg starts.
  r->renderer_ =
      OffscreenRenderer::Create(scene.model(), options.width, options.height, options.quality);
  SetCameraPreset(scene, options.camera, options.follow, r->renderer_->camera());
  r->dressing_ = std::make_unique<StageDressing>(
      scene, options.show_camera ? std::optional<FloorBox>(options.show_camera->Stage())
                                 : std::nullopt);
  r->renderer_->set_dressing(r->dressing_.get());
  // The sheet's pictures are the video's, shrunk (never enlarged).
  r->options_.sheet_tile_width = std::clamp(options.sheet_tile_width, 16, options.width);
  if (!options.snapshot_dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(options.snapshot_dir, ec);
    if (ec) {
      throw Error(options.snapshot_dir + ": error: cannot create the snapshot folder (" +
                  ec.message() + ")");
    }
  }
  if (!options.video.empty()) {
    r->video_ =
        std::make_unique<VideoWriter>(options.video, options.width, options.height, options.fps,
                                      options.sound);
  }
  return r;
}

StageRecorder::~StageRecorder() = default;

void StageRecorder::Aim(double t) {
  const auto& shots = options_.show_camera;
  if (!shots) return;
  const double aspect = static_cast<double>(options_.width) / options_.height;
  if (options_.camera == CameraPreset::kAudience) shots->Audience(t, aspect).Apply(renderer_->camera());
  if (options_.camera == CameraPreset::kTop) shots->Overhead(t, aspect).Apply(renderer_->camera());
}

void StageRecorder::Capture(mjData* d) {
  // Due when its time is at most half a step ahead: the step nearest to it takes it.
  const double now = d->time + 0.5 * scene_->model()->opt.timestep;
  Aim(d->time);
  while (video_ && next_frame_ / options_.fps <= now) {
    video_->AddFrame(renderer_->Render(d));
    ++next_frame_;
  }
  while (!options_.contact_sheet.empty() && sheet_.size() < options_.moments.size() &&
         options_.moments[sheet_.size()].time <= now) {
    const int tile_height = options_.sheet_tile_width * options_.height / options_.width;
    sheet_.push_back(Downscale(options_.width, options_.height,
                               renderer_->Render(d, options_.moments[sheet_.size()].label),
                               options_.sheet_tile_width, tile_height));
  }
  while (!options_.snapshot_dir.empty() && next_snapshot_ * options_.snapshot_every <= now) {
    const double t = next_snapshot_ * options_.snapshot_every;
    WritePicture((std::filesystem::path(options_.snapshot_dir) / SnapshotFileName(t)).string(), d);
    ++next_snapshot_;
    ++snapshots_;
  }
}

void StageRecorder::WritePicture(const std::string& path, mjData* d) {
  Aim(d->time);
  WritePng(path, options_.width, options_.height, renderer_->Render(d));
}

void StageRecorder::Finish() {
  if (video_) video_->Close();
  if (!options_.contact_sheet.empty()) {
    const int tile_height = options_.sheet_tile_width * options_.height / options_.width;
    int width = 0, height = 0;
    const std::vector<uint8_t> sheet = TileGrid(sheet_, options_.sheet_tile_width, tile_height,
                                                options_.sheet_columns, 8, &width, &height);
    WritePng(options_.contact_sheet, width, height, sheet);
  }
}

}  // namespace yangbot
