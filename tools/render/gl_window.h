// A GLFW window holding the OpenGL context MuJoCo renders with: hidden for offscreen
// pictures (works under xvfb-run), visible for the viewer.
#ifndef YANGBOT_TOOLS_RENDER_GL_WINDOW_H_
#define YANGBOT_TOOLS_RENDER_GL_WINDOW_H_

#include <memory>
#include <string>

struct GLFWwindow;

namespace yangbot {

/// Whether GL_RENDERER names a software renderer (llvmpipe, softpipe, swrast).
bool IsSoftwareRenderer(const std::string& gl_renderer);

/// Owns one GLFW window and its OpenGL context (made current on creation).
class GlWindow {
 public:
  /// Opens a window; throws Error (with a hint about xvfb-run) when there is no display.
  /// A visible window is multisampled unless the renderer is a software one (there it
  /// halves the frame rate).
  static std::unique_ptr<GlWindow> Create(int width, int height, const std::string& title,
                                          bool visible);
  ~GlWindow();
  GlWindow(const GlWindow&) = delete;
  GlWindow& operator=(const GlWindow&) = delete;

  /// The GLFW window.
  GLFWwindow* window() const { return window_; }

 private:
  GlWindow() = default;
  GLFWwindow* window_ = nullptr;
};

}  // namespace yangbot

#endif  // YANGBOT_TOOLS_RENDER_GL_WINDOW_H_
