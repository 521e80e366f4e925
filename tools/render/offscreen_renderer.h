// Offscreen pictures of the stage: a hidden GLFW window, a MuJoCo render context drawing
// into its offscreen buffer, and pixels read back. Used by `yangbot snapshot`.
#ifndef YANGBOT_TOOLS_RENDER_OFFSCREEN_RENDERER_H_
#define YANGBOT_TOOLS_RENDER_OFFSCREEN_RENDERER_H_

#include <mujoco/mujoco.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tools/render/gl_window.h"
#include "tools/render/stage_dressing.h"

namespace yangbot {

/// What a picture costs to draw. Software GL (llvmpipe under xvfb) spends most of a frame
/// on multisampling, tessellated round geoms and the shadow map (1280x720, 16 robots:
/// 0.35 s a frame with the defaults, 0.2 s with SoftwareRenderQuality()).
struct RenderQuality {
  int samples = 4;         ///< multisampling of the offscreen buffer (0: none)
  int shadow_size = 2048;  ///< pixels a side of the shadow map
  int slices = 28;         ///< slices of round geoms (stacks: half; MuJoCo's default 28)
};

/// The cheaper quality for software renderers: no multisampling, a 1024 shadow map,
/// 16 slices.
RenderQuality SoftwareRenderQuality();

/// The quality for the current GL context's renderer: SoftwareRenderQuality() on a
/// software renderer, RenderQuality() otherwise.
RenderQuality CurrentRenderQuality();

/// Makes `context` (mjr_defaultContext'ed) in the current GL context for `m`, drawn with
/// `quality`, with an offscreen buffer of at least width x height pixels and `font_scale`
/// (mjtFontScale). The model is not changed.
void MakeRenderContext(const mjModel* m, const RenderQuality& quality, int width, int height,
                       int font_scale, mjrContext* context);

/// Renders a model's state into width x height RGB pictures.
class OffscreenRenderer {
 public:
  /// Opens the GL context and uploads the model (meshes, textures); throws Error when there
  /// is no display or the size is beyond what the GL driver allows. The model must outlive
  /// the renderer.
  /// Without `quality`: RenderQuality() on a GPU, SoftwareRenderQuality() on a software
  /// renderer.
  static std::unique_ptr<OffscreenRenderer> Create(
      const mjModel* m, int width, int height,
      const std::optional<RenderQuality>& quality = std::nullopt);
  ~OffscreenRenderer();
  OffscreenRenderer(const OffscreenRenderer&) = delete;
  OffscreenRenderer& operator=(const OffscreenRenderer&) = delete;

  /// Picture width in pixels.
  int width() const { return width_; }
  /// Picture height in pixels.
  int height() const { return height_; }
  /// The camera the next Render uses (see SetCameraPreset in camera.h).
  mjvCamera* camera() { return &camera_; }
  /// What the next Render shows (mjVIS_* flags, labels).
  mjvOption* options() { return &options_; }
  /// The abstract scene (mjRND_* flags, e.g. shadows; on by default).
  mjvScene* view() { return &view_; }

  /// Draws `dressing` (silk handkerchiefs, robot trims, the set) into every picture; null:
  /// the model as it is. It must outlive the renderer.
  void set_dressing(const StageDressing* dressing) { dressing_ = dressing; }

  /// Renders the state in `d` and returns its pixels: packed RGB, top row first, with
  /// `label` (may be "") written in the top-left corner. The reference stays valid until
  /// the next call.
  const std::vector<uint8_t>& Render(mjData* d, const std::string& label = "");

 private:
  OffscreenRenderer() = default;
  const mjModel* model_ = nullptr;
  int width_ = 0, height_ = 0;
  std::unique_ptr<GlWindow> window_;
  mjvCamera camera_;
  mjvOption options_;
  mjvScene view_;
  mjrContext context_;
  const StageDressing* dressing_ = nullptr;
  bool made_ = false;  // view_ and context_ hold allocations
  std::vector<uint8_t> rgb_;
};

}  // namespace yangbot

#endif  // YANGBOT_TOOLS_RENDER_OFFSCREEN_RENDERER_H_
