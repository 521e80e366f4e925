#include "tools/render/offscreen_renderer.h"

#include <GLFW/glfw3.h>

#include <algorithm>
#include <string>

#include "sim/error.h"
#include "tools/render/image.h"

namespace yangbot {
namespace {

constexpr int kMaxGeoms = 10000;  // stage geoms plus contact and force decorations
constexpr int kMaxSize = 8192;    // pixels, either side

}  // namespace

RenderQuality SoftwareRenderQuality() {
  RenderQuality quality;
  quality.samples = 0;
  quality.shadow_size = 1024;
  quality.slices = 16;
  return quality;
}

RenderQuality CurrentRenderQuality() {
  const char* renderer = reinterpret_cast<const char*>(glGetString(GL_RENDERER));
  return IsSoftwareRenderer(renderer ? renderer : "") ? SoftwareRenderQuality() : RenderQuality();
}

void MakeRenderContext(const mjModel* m, const RenderQuality& quality, int width, int height,
                       int font_scale, mjrContext* context) {
  // The offscreen buffer's size, multisampling, shadow map and tessellation come from the
  // model's <visual>: the context is made from a copy of the model with those of `quality`.
  mjModel* copy = mj_copyModel(nullptr, m);
  copy->vis.global.offwidth = std::max(width, m->vis.global.offwidth);
  copy->vis.global.offheight = std::max(height, m->vis.global.offheight);
  copy->vis.quality.offsamples = std::max(0, quality.samples);
  copy->vis.quality.shadowsize = std::clamp(quality.shadow_size, 256, 8192);
  if (quality.slices < copy->vis.quality.numslices) {
    copy->vis.quality.numslices = std::max(8, quality.slices);
    copy->vis.quality.numstacks = std::max(4, quality.slices / 2);
    copy->vis.quality.numquads = 1;
  }
  mjr_makeContext(copy, context, font_scale);
  mj_deleteModel(copy);
}

std::unique_ptr<OffscreenRenderer> OffscreenRenderer::Create(
    const mjModel* m, int width, int height, const std::optional<RenderQuality>& wanted) {
  if (width < 16 || height < 16 || width > kMaxSize || height > kMaxSize) {
    throw Error("error: picture size must be 16.." + std::to_string(kMaxSize) +
                " pixels a side (got " + std::to_string(width) + "x" + std::to_string(height) +
                ")");
  }
  std::unique_ptr<OffscreenRenderer> r(new OffscreenRenderer);
  r->model_ = m;
  r->width_ = width;
  r->height_ = height;
  r->window_ = GlWindow::Create(64, 64, "yangbot offscreen", /*visible=*/false);
  const RenderQuality quality = wanted ? *wanted : CurrentRenderQuality();
  mjv_defaultCamera(&r->camera_);
  mjv_defaultOption(&r->options_);
  mjv_defaultScene(&r->view_);
  mjr_defaultContext(&r->context_);
  mjv_makeScene(m, &r->view_, kMaxGeoms);
  // Labels large enough to read on a contact sheet's shrunk pictures.
  MakeRenderContext(m, quality, width, height, height >= 600 ? mjFONTSCALE_250 : mjFONTSCALE_150,
                    &r->context_);
  r->made_ = true;
  mjr_setBuffer(mjFB_OFFSCREEN, &r->context_);
  if (r->context_.currentBuffer != mjFB_OFFSCREEN || r->context_.offWidth < width ||
      r->context_.offHeight < height) {
    throw Error("error: this OpenGL driver cannot render " + std::to_string(width) + "x" +
                std::to_string(height) + " offscreen");
  }
  r->rgb_.resize(3 * static_cast<size_t>(width) * height);
  return r;
}

OffscreenRenderer::~OffscreenRenderer() {
  if (made_) {
    if (window_) glfwMakeContextCurrent(window_->window());
    mjr_freeContext(&context_);
    mjv_freeScene(&view_);
  }
}

const std::vector<uint8_t>& OffscreenRenderer::Render(mjData* d, const std::string& label) {
  glfwMakeContextCurrent(window_->window());
  mjv_updateScene(model_, d, &options_, nullptr, &camera_, mjCAT_ALL, &view_);
  if (dressing_) dressing_->Apply(*d, &view_);
  const mjrRect viewport = {0, 0, width_, height_};
  mjr_setBuffer(mjFB_OFFSCREEN, &context_);
  mjr_render(viewport, &view_, &context_);
  if (!label.empty()) {
    mjr_overlay(mjFONT_BIG, mjGRID_TOPLEFT, viewport, label.c_str(), nullptr, &context_);
  }
  mjr_readPixels(rgb_.data(), nullptr, viewport, &context_);
  FlipRows(width_, height_, &rgb_);
  return rgb_;
}

}  // namespace yangbot
