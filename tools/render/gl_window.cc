#include "tools/render/gl_window.h"

#include <GLFW/glfw3.h>

#include <mutex>

#include "sim/error.h"

namespace yangbot {
namespace {

std::mutex glfw_mutex;
std::string last_glfw_error;

void RecordGlfwError(int code, const char* description) {
  last_glfw_error = std::to_string(code) + ": " + (description ? description : "?");
}

std::string NoDisplayHint() {
  return " (no display? run under xvfb-run -a -s \"-screen 0 1600x900x24\", or set DISPLAY)";
}

// Whether the display's GL renderer is a software one, asked once through a hidden window.
// Call with glfw_mutex held, after glfwInit.
bool SoftwareDisplay() {
  static int software = -1;
  if (software < 0) {
    glfwDefaultWindowHints();
    glfwWindowHint(GLFW_VISIBLE, GLFW_FALSE);
    GLFWwindow* probe = glfwCreateWindow(16, 16, "probe", nullptr, nullptr);
    software = 0;
    if (probe) {
      GLFWwindow* current = glfwGetCurrentContext();
      glfwMakeContextCurrent(probe);
      const char* renderer = reinterpret_cast<const char*>(glGetString(GL_RENDERER));
      software = IsSoftwareRenderer(renderer ? renderer : "") ? 1 : 0;
      glfwMakeContextCurrent(current);
      glfwDestroyWindow(probe);
    }
  }
  return software == 1;
}

}  // namespace

bool IsSoftwareRenderer(const std::string& gl_renderer) {
  for (const char* name : {"llvmpipe", "softpipe", "swrast", "Software Rasterizer"}) {
    if (gl_renderer.find(name) != std::string::npos) return true;
  }
  return false;
}

std::unique_ptr<GlWindow> GlWindow::Create(int width, int height, const std::string& title,
                                           bool visible) {
  std::lock_guard lock(glfw_mutex);
  glfwSetErrorCallback(RecordGlfwError);
  // glfwInit is a no-op when GLFW is already initialised. GLFW is never terminated: some
  // Linux GL drivers crash in glfwTerminate, and the process is about to end anyway.
  if (!glfwInit())
    throw Error("error: cannot initialise GLFW: " + last_glfw_error + NoDisplayHint());
  const bool multisample = visible && !SoftwareDisplay();
  glfwDefaultWindowHints();
  glfwWindowHint(GLFW_VISIBLE, visible ? GLFW_TRUE : GLFW_FALSE);
  glfwWindowHint(GLFW_SAMPLES, multisample ? 4 : 0);
  GLFWwindow* window = glfwCreateWindow(width, height, title.c_str(), nullptr, nullptr);
  if (!window) {
    throw Error("error: cannot open an OpenGL window: " + last_glfw_error + NoDisplayHint());
  }
  glfwMakeContextCurrent(window);
  std::unique_ptr<GlWindow> result(new GlWindow);
  result->window_ = window;
  return result;
}

GlWindow::~GlWindow() {
  if (!window_) return;
  if (glfwGetCurrentContext() == window_) glfwMakeContextCurrent(nullptr);
  glfwDestroyWindow(window_);
}

}  // namespace yangbot
