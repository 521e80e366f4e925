#include "tools/viewer/viewer.h"

#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>
#include <mujoco/mujoco.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <string>
#include <vector>

#include "controllers/posture_controller.h"
#include "sim/error.h"
#include "tools/render/gl_window.h"
#include "tools/render/image.h"
#include "tools/viewer/interaction.h"
#include "tools/viewer/panel.h"
#include "tools/viewer/session.h"

namespace yangbot {
namespace {

constexpr int kMaxGeoms = 20000;  // stage geoms plus contact, force and perturbation decorations

// MuJoCo's visualisation structures for one window, freed on scope exit.
struct MujocoView {
  mjvCamera camera;
  mjvOption options;
  mjvScene scene;
  mjrContext context;
  explicit MujocoView(const mjModel* m) {
    mjv_defaultCamera(&camera);
    mjv_defaultOption(&options);
    mjv_defaultScene(&scene);
    mjr_defaultContext(&context);
    mjv_makeScene(m, &scene, kMaxGeoms);
    mjr_makeContext(m, &context, mjFONTSCALE_150);
  }
  ~MujocoView() {
    mjr_freeContext(&context);
    mjv_freeScene(&scene);
  }
};

// A free name out/yangbot-YYYYmmdd-HHMMSS[-N].png.
std::string ScreenshotPath() {
  const std::time_t now = std::time(nullptr);
  char stamp[32];
  std::strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", std::localtime(&now));
  std::string path = std::string("out/yangbot-") + stamp + ".png";
  for (int k = 2; std::filesystem::exists(path); ++k) {
    path = std::string("out/yangbot-") + stamp + "-" + std::to_string(k) + ".png";
  }
  return path;
}

// The window's back buffer as packed RGB, top row first.
std::vector<uint8_t> ReadWindow(int width, int height, const mjrContext& context) {
  std::vector<uint8_t> rgb(3 * static_cast<size_t>(width) * height);
  mjr_readPixels(rgb.data(), nullptr, mjrRect{0, 0, width, height}, &context);
  FlipRows(width, height, &rgb);
  return rgb;
}

// Robot numbers above the heads, drawn under the panel.
void DrawRobotLabels(const mjvScene& view, const RunStatus& status, int selected, float width,
                     float height) {
  ImDrawList* draw = ImGui::GetBackgroundDrawList();
  for (int i = 0; i < static_cast<int>(status.robots.size()); ++i) {
    const RunStatus::Robot& r = status.robots[i];
    float x, y;
    if (!ProjectToViewport(view, static_cast<int>(width), static_cast<int>(height), r.label_pos, &x,
                           &y)) {
      continue;
    }
    char label[16];
    std::snprintf(label, sizeof(label), "r%02d", i);
    const ImVec2 size = ImGui::CalcTextSize(label);
    const ImVec2 corner(x - size.x / 2, y - size.y);
    const ImU32 color = i == selected ? IM_COL32(255, 220, 60, 255)
                        : r.fallen    ? IM_COL32(255, 90, 80, 255)
                                      : IM_COL32(235, 235, 235, 255);
    draw->AddRectFilled(ImVec2(corner.x - 3, corner.y - 1),
                        ImVec2(corner.x + size.x + 3, corner.y + size.y + 1),
                        IM_COL32(0, 0, 0, 140), 3);
    draw->AddText(corner, color, label);
  }
}

std::string Describe(const Fault& fault, double time) {
  char text[160];
  if (fault.kind == Fault::Kind::kDropout) {
    std::snprintf(text, sizeof(text), "dropout of r%02d at t=%.3f s", fault.robot, time);
  } else {
    std::snprintf(text, sizeof(text),
                  "push of (%.0f, %.0f, %.0f) N for %.2f s on r%02d at t=%.3f s", fault.force[0],
                  fault.force[1], fault.force[2], fault.duration, fault.robot, time);
  }
  return text;
}

// What the GLFW callbacks queue between frames (see InputEvents).
struct EventQueue {
  InputEvents events;
  double last_press_time = -1;  // s, glfwGetTime of the last mouse press
  int last_press_button = -1;
  double last_press_x = 0, last_press_y = 0;
};

EventQueue* QueueOf(GLFWwindow* window) {
  return static_cast<EventQueue*>(glfwGetWindowUserPointer(window));
}

void OnKey(GLFWwindow* window, int key, int /*scancode*/, int action, int mods) {
  if (action == GLFW_RELEASE) return;
  InputEvents::Key press;
  press.key = key;
  press.repeat = action == GLFW_REPEAT;
  press.command = (mods & (GLFW_MOD_CONTROL | GLFW_MOD_ALT | GLFW_MOD_SUPER)) != 0;
  QueueOf(window)->events.keys.push_back(press);
}

void OnMouseButton(GLFWwindow* window, int button, int action, int /*mods*/) {
  if (action != GLFW_PRESS) return;
  EventQueue* queue = QueueOf(window);
  double x = 0, y = 0;
  glfwGetCursorPos(window, &x, &y);
  const double now = glfwGetTime();
  const bool double_click =
      button == queue->last_press_button && now - queue->last_press_time < 0.35 &&
      std::abs(x - queue->last_press_x) < 6 && std::abs(y - queue->last_press_y) < 6;
  if (double_click) {
    InputEvents::Click click;
    click.button = button;
    click.x = static_cast<float>(x);
    click.y = static_cast<float>(y);
    queue->events.double_clicks.push_back(click);
    queue->last_press_time = -1;
    return;
  }
  queue->last_press_time = now;
  queue->last_press_button = button;
  queue->last_press_x = x;
  queue->last_press_y = y;
}

}  // namespace

int RunViewer(const ViewerOptions& options) {
  auto built = Scene::Build(options.scene);
  if (options.select >= built->robot_count()) {
    throw Error("error: --select names robot " + std::to_string(options.select) +
                " but the stage has " + std::to_string(built->robot_count()) + " robots");
  }
  // The window before the run (mj_makeData of a big stage takes seconds): no display fails fast.
  auto window = GlWindow::Create(options.width, options.height, "YangBOT", /*visible=*/true);
  GLFWwindow* glfw = window->window();
  glfwSwapInterval(1);
  Session session(std::move(built), MakePostureControllerFactory(), options.seed, options.faults);
  const Scene& stage = session.scene();
  const mjModel* m = stage.model();
  MujocoView mj(m);

  // Our callbacks go in first: ImGui's GLFW backend chains to them.
  EventQueue queue;
  glfwSetWindowUserPointer(glfw, &queue);
  glfwSetKeyCallback(glfw, OnKey);
  glfwSetMouseButtonCallback(glfw, OnMouseButton);
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  ImGui::StyleColorsDark();
  ImGui_ImplGlfw_InitForOpenGL(glfw, /*install_callbacks=*/true);
  ImGui_ImplOpenGL3_Init("#version 130");

  ViewSettings settings;
  settings.camera = options.camera;
  settings.selected = options.select;
  SetCameraPreset(stage, settings.camera, std::max(settings.selected, 0), &mj.camera);
  RunStatus status;
  std::string message = "Space play/pause, Right step, Backspace restart, F12 screenshot";
  MouseDrag drag;
  std::vector<Action> actions;
  bool apply_selection = settings.selected >= 0;
  if (!options.paused) actions.push_back(Action{Action::Kind::kPlay, 0, {}});
  session.Start();
  const auto start = std::chrono::steady_clock::now();
  int64_t frame = 0;
  double frames_per_second = 0;
  auto fps_start = start;
  int fps_frames = 0;

  while (!glfwWindowShouldClose(glfw)) {
    glfwPollEvents();
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    ImGui::NewFrame();
    // The 3D view is the window left of the panel (ImGui units; the framebuffer may differ).
    const float view_width = std::max(1.0f, io.DisplaySize.x - PanelWidth(settings));
    const float view_height = std::max(1.0f, io.DisplaySize.y);

    // Keyboard and mouse: camera moves now (this thread owns the camera), run edits queued.
    PanelRequests requests;
    const ViewInput input =
        ReadViewInput(io, queue.events, view_width, view_height, settings.selected >= 0, &drag);
    HandleShortcuts(queue.events, status, &settings, &actions, &requests);
    queue.events = InputEvents();
    if (frame > 0 && (input.camera_action != mjMOUSE_NONE || input.zoom != 0)) {
      if (mj.camera.type == mjCAMERA_FIXED) {
        FreeCameraFromView(mj.scene, &mj.camera);
        settings.camera = CameraPreset::kFree;
      }
      if (input.camera_action != mjMOUSE_NONE) {
        mjv_moveCamera(m, input.camera_action, input.dx, input.dy, &mj.scene, &mj.camera);
      }
      if (input.zoom != 0) mjv_moveCamera(m, mjMOUSE_ZOOM, 0, input.zoom, &mj.scene, &mj.camera);
    }
    ApplyViewSettings(settings, &mj.options, &mj.scene);

    // Sync: the only time this thread holds the lock. Apply the queued actions, the mouse's
    // selection and push, read the status and copy the state into the abstract scene.
    bool selection_changed = false;
    session.Sync([&](Transport* transport) {
      for (const Action& action : actions) {
        const std::string error = ApplyAction(action, transport);
        if (!error.empty()) {
          message = error;
        } else if (action.kind == Action::Kind::kInjectFault) {
          message = "injected " + Describe(action.fault, transport->time());
        }
      }
      if (apply_selection) SelectRobotBody(stage, settings.selected, transport->mutable_perturb());
      apply_selection = false;
      selection_changed = ApplyViewInput(input, view_width / view_height, mj.options, mj.scene,
                                         &settings, &mj.camera, transport);
      ReadStatus(*transport, &status);
      status.frames_per_second = frames_per_second;
      mjv_updateScene(m, transport->mutable_state()->data, &mj.options, &transport->perturb(),
                      &mj.camera, mjCAT_ALL, &mj.scene);
    });
    actions.clear();
    if (selection_changed && settings.camera == CameraPreset::kFollow && settings.selected >= 0) {
      SetCameraPreset(stage, settings.camera, settings.selected, &mj.camera);
    }

    // The panel shows this sync's status; what it queues goes in at the next sync.
    DrawPanel(status, message, &settings, &actions, &requests);
    if (requests.selection_changed) apply_selection = true;
    if (requests.camera_changed) {
      SetCameraPreset(stage, settings.camera, std::max(settings.selected, 0), &mj.camera);
    }

    // Draw without the lock: MuJoCo first, ImGui on top.
    int fb_width = 0, fb_height = 0;
    glfwGetFramebufferSize(glfw, &fb_width, &fb_height);
    const int scene_width =
        static_cast<int>(fb_width * view_width / std::max(1.0f, io.DisplaySize.x));
    if (fb_width <= 0 || fb_height <= 0 || scene_width <= 0) {  // minimised
      ImGui::EndFrame();
      glfwWaitEventsTimeout(0.1);
      continue;
    }
    glViewport(0, 0, fb_width, fb_height);
    glClearColor(0.1f, 0.1f, 0.12f, 1);
    glClear(GL_COLOR_BUFFER_BIT | GL_DEPTH_BUFFER_BIT);
    mjr_setBuffer(mjFB_WINDOW, &mj.context);
    mjr_render(mjrRect{0, 0, scene_width, fb_height}, &mj.scene, &mj.context);
    if (requests.screenshot) {
      const std::string path = ScreenshotPath();
      try {
        WritePng(path, scene_width, fb_height, ReadWindow(scene_width, fb_height, mj.context));
        message = "saved " + path;
      } catch (const Error& e) {
        message = e.what();
      }
    }
    if (settings.robot_labels) {
      DrawRobotLabels(mj.scene, status, settings.selected, view_width, view_height);
    }
    ImGui::Render();
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());

    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (options.quit_after > 0 && elapsed >= options.quit_after) {
      if (!options.screenshot.empty()) {
        WritePng(options.screenshot, fb_width, fb_height,
                 ReadWindow(fb_width, fb_height, mj.context));
        std::printf("wrote %s: %dx%d at t=%.2f s\n", options.screenshot.c_str(), fb_width,
                    fb_height, status.time);
      }
      glfwSetWindowShouldClose(glfw, GLFW_TRUE);
    }
    glfwSwapBuffers(glfw);
    ++frame;
    ++fps_frames;
    const auto now = std::chrono::steady_clock::now();
    const double fps_window = std::chrono::duration<double>(now - fps_start).count();
    if (fps_window >= 0.5) {
      frames_per_second = fps_frames / fps_window;
      fps_frames = 0;
      fps_start = now;
    }
  }

  session.Stop();
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  return 0;
}

}  // namespace yangbot
