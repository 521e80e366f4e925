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
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "controllers/whole_body_controller.h"
#include "sim/error.h"
#include "tools/render/gl_window.h"
#include "tools/render/image.h"
#include "tools/render/offscreen_renderer.h"
#include "tools/render/show_camera.h"
#include "tools/render/stage_dressing.h"
#include "tools/viewer/audio_output.h"
#include "tools/viewer/editor_panels.h"
#include "tools/viewer/interaction.h"
#include "tools/viewer/panel.h"
#include "tools/viewer/plots.h"
#include "tools/viewer/session.h"
#include "tools/viewer/show_builder.h"
#include "tools/viewer/show_document.h"
#include "tools/viewer/show_framing.h"
#include "tools/viewer/timeline.h"
#include "tools/viewer/pose_markers.h"
#include "tools/viewer/transition_paths.h"
#include "tools/viewer/window_recording.h"

namespace yangbot {
namespace {

constexpr int kMaxGeoms = 20000;  // stage geoms plus contact, force and perturbation decorations
constexpr double kVideoFps = 30;  // frames per sim second of videos recorded from the window

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
    // Software GL (xvfb) gets the cheaper shadows and tessellation.
    MakeRenderContext(m, CurrentRenderQuality(), 0, 0, mjFONTSCALE_150, &context);
  }
  ~MujocoView() {
    mjr_freeContext(&context);
    mjv_freeScene(&scene);
  }
};

// A rectangle of the window's back buffer (GL coordinates: from the bottom-left) as packed
// RGB, top row first.
std::vector<uint8_t> ReadWindow(const mjrRect& rect, const mjrContext& context) {
  std::vector<uint8_t> rgb(3 * static_cast<size_t>(rect.width) * rect.height);
  mjr_readPixels(rgb.data(), nullptr, rect, &context);
  FlipRows(rect.width, rect.height, &rgb);
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

// What the GLFW callbacks queue between frames (see InputEvents).
struct EventQueue {
  InputEvents events;
  bool close_requested = false;  // the window's close button (vetoed while there are unsaved edits)
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
  press.ctrl = (mods & GLFW_MOD_CONTROL) != 0;
  press.shift = (mods & GLFW_MOD_SHIFT) != 0;
  QueueOf(window)->events.keys.push_back(press);
}

void OnClose(GLFWwindow* window) {
  QueueOf(window)->close_requested = true;
  glfwSetWindowShouldClose(window, GLFW_FALSE);  // the loop decides (unsaved edits)
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

// The stand-in run while no show is compiled: the troupe standing, waist twisting and
// handkerchiefs spinning under the whole-body controller.
ControllerFactory StandingFactory() {
  WholeBodyOptions options;
  options.stand_sway_amplitude = 0.2;  // rad, as `yangbot run`
  options.stand_hanky_rate = 3;        // rev/s
  return MakeWholeBodyControllerFactory(options);
}

// What the window shows: a run and the MuJoCo structures drawing its model.
struct Stage {
  std::unique_ptr<Session> session;
  std::unique_ptr<MujocoView> view;
  std::optional<ShowRun> show;  // the compiled show it runs (none: standing demo)
  std::vector<TransitionPaths> paths;  // its formation changes, for the stage editor
  int paths_reflows = 0;  // the supervisor's re-plans `paths` show (UpdatePlannedPaths)
  std::shared_ptr<const ShowCamera> framing;  // the show's audience and overhead shots
  std::unique_ptr<StageDressing> dressing;    // silk, robot trims, the set
};

// The cameras and dressing of the stage's show (or of the bare stage).
void DressStage(Stage* stage) {
  const Scene& scene = stage->session->scene();
  stage->framing = nullptr;
  if (stage->show) stage->framing = FrameShow(stage->show->compiled, scene.model()->vis.global.fovy);
  stage->dressing = std::make_unique<StageDressing>(
      scene, stage->framing ? std::optional<FloorBox>(stage->framing->Stage()) : std::nullopt);
}

// Builds the stage for `show` (or the standing demo on `scene`) and starts its physics.
Stage MakeStage(const SceneOptions& scene, std::optional<ShowRun> show, uint64_t seed,
                const std::vector<Fault>& faults, bool reflow) {
  Stage stage;
  if (show) {
    stage.session = MakeShowSession(*show, seed, faults, reflow);
  } else {
    stage.session = std::make_unique<Session>(Scene::Build(scene), StandingFactory(), seed, faults);
  }
  stage.show = std::move(show);
  stage.view = std::make_unique<MujocoView>(stage.session->scene().model());
  DressStage(&stage);
  return stage;
}

std::string WindowTitle(const ShowDocument* document) {
  if (document == nullptr) return "YangBOT";
  return "YangBOT - " + std::filesystem::path(document->path()).filename().string() +
         (document->dirty() ? " *" : "");
}

}  // namespace

int RunViewer(const ViewerOptions& options) {
  // The show (if any) first: a file that cannot be read is a plain error.
  std::unique_ptr<ShowDocument> document;
  SceneOptions demo = options.scene;
  std::optional<ShowRun> first_run;
  if (!options.show_file.empty()) {
    if (!std::filesystem::exists(options.show_file)) {
      throw Error(options.show_file + ": error: no such file");
    }
    document = std::make_unique<ShowDocument>(options.show_file);
    std::fputs(document->DiagnosticsText().c_str(), stderr);
    if (document->ok()) {
      first_run = MakeShowRun(document->loaded(), document->base_dir());
    } else if (document->show().troupe.robots) {
      demo.robots = std::clamp(*document->show().troupe.robots, 1, 32);
    }
  }
  const int robots = first_run ? first_run->scene.robots : demo.robots;
  if (options.select >= robots) {
    throw Error("error: --select names robot " + std::to_string(options.select) +
                " but the stage has " + std::to_string(robots) + " robots");
  }
  // The window before the run (mj_makeData of a big stage takes seconds): no display fails fast.
  auto window = GlWindow::Create(options.width, options.height, WindowTitle(document.get()).c_str(),
                                 /*visible=*/true);
  GLFWwindow* glfw = window->window();
  glfwSwapInterval(1);
  std::vector<TransitionPaths> first_paths;
  if (first_run) first_paths = TransitionPathsOf(document->loaded().schedule, first_run->compiled);
  Stage stage = MakeStage(demo, std::move(first_run), options.seed, options.faults, options.reflow);
  stage.paths = std::move(first_paths);
  int64_t built_revision = document ? document->revision() : -1;  // the revision on stage
  int64_t requested_revision = built_revision;  // the newest handed to the builder
  ShowBuilder builder(BuildShowStage(options.seed, options.faults, options.reflow));

  // Our callbacks go in first: ImGui's GLFW backend chains to them.
  EventQueue queue;
  glfwSetWindowUserPointer(glfw, &queue);
  glfwSetKeyCallback(glfw, OnKey);
  glfwSetMouseButtonCallback(glfw, OnMouseButton);
  glfwSetWindowCloseCallback(glfw, OnClose);
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
  SetCameraPreset(stage.session->scene(), settings.camera, std::max(settings.selected, 0),
                  &stage.view->camera);
  RunStatus status;
  std::string message = "Space play/pause, Right step, Backspace restart, F12 screenshot";
  if (document && !document->ok()) message = options.show_file + " has errors: see Problems";
  MouseDrag drag;
  std::vector<Action> actions;
  bool apply_selection = settings.selected >= 0;
  if (!options.paused) actions.push_back(Action{Action::Kind::kPlay, 0, {}});
  EditorState editor;
  editor.show_stage_editor = options.stage_editor;
  editor.show_plots = options.plots;
  TimelineLayout layout;
  int64_t layout_revision = -1;
  RobotPlots plots;
  bool confirm_close = false;
  std::unique_ptr<WindowRecording> recording;  // F9; --record starts one at the first frame
  std::string title = WindowTitle(document.get());
  // The show's music; silent when it has none or there is no audio device.
  ShowMusic music;
  if (document && document->ok()) music.Load(document->show(), document->base_dir());
  stage.session->Start();
  const auto start = std::chrono::steady_clock::now();
  auto last_poll = start;
  int64_t frame = 0;
  double frames_per_second = 0;
  auto fps_start = start;
  int fps_frames = 0;
  bool quit = false;

  while (!quit) {
    glfwPollEvents();
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    ImGui::NewFrame();
    const Scene& scene = stage.session->scene();
    const mjModel* m = scene.model();
    MujocoView& mj = *stage.view;
    const bool editing = document != nullptr && options.timeline;
    // The 3D view is the window's top-left, left of the panel and above the timeline
    // (ImGui units; the framebuffer may differ).
    const float view_width = std::max(1.0f, io.DisplaySize.x - PanelWidth(settings));
    const float timeline_height = editing ? std::min(kTimelineHeight, io.DisplaySize.y / 2) : 0;
    const float view_height = std::max(1.0f, io.DisplaySize.y - timeline_height);

    // The show file: hot reload, then the timeline layout of the current revision.
    const auto now = std::chrono::steady_clock::now();
    if (document && now - last_poll > std::chrono::milliseconds(500)) {
      last_poll = now;
      switch (document->Poll()) {
        case ShowDocument::DiskChange::kReloaded:
          message = "reloaded " + document->path() +
                    (document->ok() ? "" : ": it has errors, see Problems");
          break;
        case ShowDocument::DiskChange::kConflict:
          message = document->path() +
                    " changed on disk; your unsaved edits are kept (Reload takes the file's)";
          break;
        case ShowDocument::DiskChange::kMissing:
          message = document->path() + " is gone from disk; Save writes it again";
          break;
        case ShowDocument::DiskChange::kNone:
          break;
      }
    }
    if (document && layout_revision != document->revision()) {
      layout = LayoutTimeline(document->loaded());
      layout_revision = document->revision();
    }

    // Keyboard and mouse: camera moves now (this thread owns the camera), run edits queued.
    PanelRequests requests;
    EditorRequests edits;
    const ViewInput input =
        ReadViewInput(io, queue.events, view_width, view_height, settings.selected >= 0, &drag);
    HandleShortcuts(queue.events, status, &settings, &actions, &requests);
    const EditorKeys keys = document ? HandleEditorShortcuts(queue.events, &edits) : EditorKeys();
    queue.events = InputEvents();
    if (frame > 0 && (input.camera_action != mjMOUSE_NONE || input.zoom != 0)) {
      if (mj.camera.type == mjCAMERA_FIXED) FreeCameraFromView(mj.scene, &mj.camera);
      // The mouse takes over from the framing shots (and from fixed cameras).
      if (settings.camera == CameraPreset::kAudience || settings.camera == CameraPreset::kTop) {
        settings.camera = CameraPreset::kFree;
      }
      if (input.camera_action != mjMOUSE_NONE) {
        mjv_moveCamera(m, input.camera_action, input.dx, input.dy, &mj.scene, &mj.camera);
      }
      if (input.zoom != 0) mjv_moveCamera(m, mjMOUSE_ZOOM, 0, input.zoom, &mj.scene, &mj.camera);
    }
    ApplyViewSettings(settings, &mj.options, &mj.scene);
    // The show's framing shots follow the troupe (eased, from the plan's coming seconds).
    if (stage.framing && !(frame > 0 && input.camera_action != mjMOUSE_NONE)) {
      const double aspect = view_width / view_height;
      if (settings.camera == CameraPreset::kAudience) {
        stage.framing->Audience(status.time, aspect).Apply(&mj.camera);
      } else if (settings.camera == CameraPreset::kTop) {
        stage.framing->Overhead(status.time, aspect).Apply(&mj.camera);
      }
    }

    // Sync: the only time this thread holds the lock. Apply the queued actions, the mouse's
    // selection and push, read the status and copy the state into the abstract scene.
    bool selection_changed = false;
    stage.session->Sync([&](Transport* transport) {
      for (const Action& action : actions) {
        const std::string error = ApplyAction(action, transport);
        if (!error.empty()) {
          message = error;
        } else if (action.kind == Action::Kind::kInjectFault) {
          message = "injected " + DescribeFault(action.fault, transport->time());
        }
      }
      if (apply_selection) SelectRobotBody(scene, settings.selected, transport->mutable_perturb());
      apply_selection = false;
      selection_changed = ApplyViewInput(input, view_width / view_height, mj.options, mj.scene,
                                         &settings, &mj.camera, transport);
      ReadStatus(*transport, &status);
      status.frames_per_second = frames_per_second;
      if (editor.show_plots) plots.Sample(*transport, std::max(settings.selected, 0));
      UpdatePlannedPaths(*transport, &stage.paths_reflows, &stage.paths);  // after a reflow
      mjv_updateScene(m, transport->mutable_state()->data, &mj.options, &transport->perturb(),
                      &mj.camera, mjCAT_ALL, &mj.scene);
      stage.dressing->Apply(*transport->mutable_state()->data, &mj.scene);
      if (settings.estimated_poses) {
        AddEstimatedPoseMarkers(EstimatedPoses(scene, transport->state()), &mj.scene);
      }
    });
    actions.clear();
    status.recording = recording != nullptr;
    status.recorded = recording ? recording->seconds() : 0;
    // The music follows the run's clock (muted away from 1x and while seeking).
    music.Follow(status.time, status.speed, status.playing && !status.seeking);
    if (selection_changed && settings.camera == CameraPreset::kFollow && settings.selected >= 0) {
      SetCameraPreset(scene, settings.camera, settings.selected, &mj.camera);
    }

    // The panel shows this sync's status; what it queues goes in at the next sync.
    DrawPanel(status, message, &settings, &actions, &requests);
    if (requests.selection_changed) apply_selection = true;
    if (requests.camera_changed) {
      SetCameraPreset(scene, settings.camera, std::max(settings.selected, 0), &mj.camera);
    }
    // The show's windows.
    const BeatClock clock = stage.show ? stage.show->compiled.clock : document ? document->show().clock() : BeatClock();
    const double playhead_beat = clock.BeatAt(status.time);
    if (document) {
      const bool running_old = !document->ok() || built_revision != document->revision();
      DrawProblemsWindow(*document, running_old && stage.show.has_value());
      if (editing) {
        DrawTimelineWindow(*document, layout, playhead_beat, status.playing, view_width, &editor,
                           &edits);
        CopyPasteDelete(*document, layout, keys.copy, keys.paste, keys.erase, playhead_beat,
                        &editor, &edits);
      }
      std::vector<double> robots_xy;
      for (const RunStatus::Robot& r : status.robots) {
        robots_xy.push_back(r.label_pos[0]);
        robots_xy.push_back(r.label_pos[1]);
      }
      DrawStageEditor(*document, robots_xy, stage.paths,
                      document->ok() && built_revision == document->revision(), &editor, &edits);
    }
    DrawPlotsWindow(plots, &editor);
    if (queue.close_requested) {
      queue.close_requested = false;
      if (document && document->dirty()) {
        confirm_close = true;
      } else {
        quit = true;
      }
    }
    if (DrawFileDialogs(document.get(), confirm_close, &editor, &edits)) quit = true;
    confirm_close = false;

    // Edits and file requests change the document now; the stage follows below.
    if (document) {
      for (const EditorRequests::Edit& edit : edits.edits) {
        if (document->Apply(edit.label, edit.apply)) {
          message = edit.label + (document->ok() ? "" : ": the show now has errors (Ctrl+Z undoes)");
        }
      }
      if (edits.undo) {
        const std::string label = document->undo_label();
        if (document->Undo()) message = "undid " + label;
      }
      if (edits.redo) {
        const std::string label = document->redo_label();
        if (document->Redo()) message = "redid " + label;
      }
      try {
        if (edits.save) {
          document->Save();
          message = "saved " + document->path() + " (previous version in .bak)";
        }
        if (edits.save_as) {
          document->SaveAs(*edits.save_as);
          message = "saved " + document->path();
        }
      } catch (const Error& e) {
        message = e.what();
        quit = false;  // a failed save does not close the window
      }
      if (edits.reload) {
        document->Reload();
        message = "reloaded " + document->path();
      }
      if (edits.seek_beat) {
        actions.push_back(Action{Action::Kind::kSeek, std::max(0.0, clock.Time(Beats::Fraction(
                                                          std::llround(*edits.seek_beat * 4), 4))),
                                 {}});
      }
    }
    if (edits.open) {
      if (!std::filesystem::exists(*edits.open)) {
        message = *edits.open + ": no such file";
      } else {
        document = std::make_unique<ShowDocument>(*edits.open);
        built_revision = -1;
        requested_revision = -1;
        layout_revision = -1;
        editor = EditorState();
        editor.show_stage_editor = options.stage_editor;
        editor.show_plots = options.plots;
        message = "opened " + document->path() + (document->ok() ? "" : ": it has errors, see Problems");
      }
    }

    // A new revision without errors is compiled on the builder's thread (the old run goes
    // on meanwhile); its run replaces the old one once ready, at the same time when possible.
    if (document && document->ok() && requested_revision != document->revision()) {
      requested_revision = document->revision();
      builder.Request(requested_revision, document->loaded(), document->base_dir());
    }
    bool rebuilt = false;  // the new stage has not been synced yet: draw it next frame
    if (std::optional<BuiltStage> built = builder.Take()) {
      if (!built->session) {
        message = std::string("the show does not compile: ") + built->error;
      } else {
        const mjvCamera camera = mj.camera;
        double time = 0;
        bool playing = false;
        stage.session->Sync([&](Transport* transport) {
          time = transport->seeking() ? transport->seek_target() : transport->time();
          playing = transport->playing();
        });
        stage.session->Stop();
        stage.session = std::move(built->session);
        stage.show = std::move(built->show);
        stage.paths = std::move(built->paths);
        stage.paths_reflows = 0;
        stage.view = std::make_unique<MujocoView>(stage.session->scene().model());
        DressStage(&stage);
        built_revision = built->revision;
        stage.view->camera = camera;
        settings.selected = std::min(settings.selected, stage.session->scene().robot_count() - 1);
        apply_selection = settings.selected >= 0;
        plots.Clear();
        actions.insert(actions.begin(), Action{Action::Kind::kSetSpeed, kViewerSpeeds[settings.speed_index], {}});
        if (time > 0) actions.push_back(Action{Action::Kind::kSeek, time, {}});
        if (playing) actions.push_back(Action{Action::Kind::kPlay, 0, {}});
        stage.session->Start();
        rebuilt = true;
        if (document) music.Load(document->show(), document->base_dir());
      }
    }
    if (const std::string t = WindowTitle(document.get()); t != title) {
      title = t;
      glfwSetWindowTitle(glfw, title.c_str());
    }

    // Draw without the lock: MuJoCo first, ImGui on top.
    MujocoView& drawn = *stage.view;
    int fb_width = 0, fb_height = 0;
    glfwGetFramebufferSize(glfw, &fb_width, &fb_height);
    const float to_pixels = fb_height / std::max(1.0f, io.DisplaySize.y);
    const int scene_width = static_cast<int>(view_width * to_pixels);
    const int scene_bottom = static_cast<int>(timeline_height * to_pixels);
    const mjrRect scene_rect{0, scene_bottom, scene_width, fb_height - scene_bottom};
    if (fb_width <= 0 || fb_height <= 0 || scene_width <= 0 || scene_rect.height <= 0) {
      ImGui::EndFrame();  // minimised
      glfwWaitEventsTimeout(0.1);
      continue;
    }
    glViewport(0, 0, fb_width, fb_height);
    glClearColor(0.1f, 0.1f, 0.12f, 1);
    glClear(GL_COLOR_BUFFER_BIT | GL_DEPTH_BUFFER_BIT);
    mjr_setBuffer(mjFB_WINDOW, &drawn.context);
    if (!rebuilt) mjr_render(scene_rect, &drawn.scene, &drawn.context);
    if (requests.screenshot) {
      const std::string path = CapturePath("png");
      try {
        WritePng(path, scene_rect.width, scene_rect.height, ReadWindow(scene_rect, drawn.context));
        message = "saved " + path;
      } catch (const Error& e) {
        message = e.what();
      }
    }
    const bool record_at_start = frame == 0 && !options.record.empty();
    if (requests.record || record_at_start) {
      try {
        if (recording) {
          recording->Finish();
          char length[32];
          std::snprintf(length, sizeof(length), " (%.1f s)", recording->seconds());
          message = "saved " + recording->path() + length;
          recording.reset();
        } else {
          const std::string path = record_at_start ? options.record : CapturePath("mp4");
          const VideoSound sound =
              document ? ShowSoundTrack(document->show(), document->base_dir(), status.time) : VideoSound();
          recording = std::make_unique<WindowRecording>(path, scene_rect.width, scene_rect.height,
                                                        kVideoFps, status.time, sound);
          message = "recording " + path + (sound.path.empty() ? "" : " with the music") +
                    ": F9 stops";
        }
      } catch (const Error& e) {
        message = e.what();
        recording.reset();
      }
    }
    if (recording &&
        (scene_rect.width != recording->width() || scene_rect.height != recording->height())) {
      // ffmpeg takes one picture size: the video ends here.
      try {
        recording->Finish();
        message = "recording stopped (the window changed size): saved " + recording->path();
      } catch (const Error& e) {
        message = e.what();
      }
      recording.reset();
    }
    if (recording && !rebuilt && recording->FramesDue(status.time) > 0) {
      try {
        recording->Add(status.time, ReadWindow(scene_rect, drawn.context));
      } catch (const Error& e) {
        message = e.what();
        recording.reset();
      }
    }
    if (settings.robot_labels && !rebuilt) {
      DrawRobotLabels(drawn.scene, status, settings.selected, view_width, view_height);
    }
    ImGui::Render();
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());

    ++frame;
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if ((options.quit_after > 0 && elapsed >= options.quit_after) ||
        (options.frames > 0 && frame >= options.frames)) {
      if (!options.screenshot.empty()) {
        WritePng(options.screenshot, fb_width, fb_height,
                 ReadWindow(mjrRect{0, 0, fb_width, fb_height}, drawn.context));
        std::printf("wrote %s: %dx%d at t=%.2f s\n", options.screenshot.c_str(), fb_width,
                    fb_height, status.time);
      }
      std::printf("%lld frames in %.1f s: %.1f fps; sim time %.2f s (%.2fx real time)\n",
                  static_cast<long long>(frame), elapsed, frame / elapsed, status.time,
                  status.time / elapsed);
      quit = true;
    }
    glfwSwapBuffers(glfw);
    ++fps_frames;
    const auto after = std::chrono::steady_clock::now();
    const double fps_window = std::chrono::duration<double>(after - fps_start).count();
    if (fps_window >= 0.5) {
      frames_per_second = fps_frames / fps_window;
      fps_frames = 0;
      fps_start = after;
    }
  }

  stage.session->Stop();
  if (recording) {
    recording->Finish();  // throws Error when ffmpeg failed: the exit status says so
    std::printf("wrote %s: %lld frames, %.2f s of video\n", recording->path().c_str(),
                static_cast<long long>(recording->frames()), recording->seconds());
  }
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  return 0;
}

}  // namespace yangbot
