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

}  // namespace

std::unique_ptr<GlWindow> GlWindow::Create(int width, int height, const std::string& title,
                                           bool visible) {
  std::lock_guard lock(glfw_mutex);
  glfwSetErrorCallback(RecordGlfwError);
  // glfwInit is a no-op when GLFW is already initialised. GLFW is never terminated: some
  // Linux GL drivers crash in glfwTerminate, and the process is about to end anyway.
  if (!glfwInit())
    throw Error("error: cannot initialise GLFW: " + last_glfw_error + NoDisplayHint());
  glfwDefaultWindowHints();
  glfwWindowHint(GLFW_VISIBLE, visible ? GLFW_TRUE : GLFW_FALSE);
  glfwWindowHint(GLFW_SAMPLES, visible ? 4 : 0);
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
