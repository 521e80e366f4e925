#include "tools/viewer/panel.h"

#include <GLFW/glfw3.h>  // key codes only: ImGui 1.86's GLFW backend indexes KeysDown by them

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iterator>

#include "sim/metrics.h"

namespace yangbot {
namespace {

constexpr double kDegrees = 180.0 / 3.14159265358979323846;
constexpr int kSpeedCount = static_cast<int>(std::size(kViewerSpeeds));
constexpr float kPanelWidth = 390;

std::string SpeedLabel(double speed) {
  if (std::isinf(speed)) return "max";
  char text[32];
  std::snprintf(text, sizeof(text), "%gx", speed);
  return text;
}

Action MakeAction(Action::Kind kind, double value = 0) {
  Action action;
  action.kind = kind;
  action.value = value;
  return action;
}

void SetSpeedIndex(int index, ViewSettings* settings, std::vector<Action>* actions) {
  settings->speed_index = std::clamp(index, 0, kSpeedCount - 1);
  actions->push_back(MakeAction(Action::Kind::kSetSpeed, kViewerSpeeds[settings->speed_index]));
}

void DrawTransport(const RunStatus& status, ViewSettings* settings, std::vector<Action>* actions) {
  ImGui::Text("t = %8.3f s   %s", status.time,
              status.seeking   ? "seeking"
              : status.playing ? "playing"
                               : "paused");
  ImGui::Text("real-time factor %.2fx   %.0f fps", status.realtime_factor,
              status.frames_per_second);
  if (ImGui::Button(status.playing ? "Pause (Space)" : "Play (Space)", ImVec2(120, 0))) {
    actions->push_back(MakeAction(Action::Kind::kTogglePlay));
  }
  ImGui::SameLine();
  ImGui::BeginDisabled(status.playing);
  if (ImGui::Button("Step (Right)")) actions->push_back(MakeAction(Action::Kind::kStep));
  ImGui::EndDisabled();
  ImGui::SameLine();
  if (ImGui::Button("Restart (Bksp)")) actions->push_back(MakeAction(Action::Kind::kRestart));

  ImGui::SetNextItemWidth(120);
  const std::string current = SpeedLabel(kViewerSpeeds[settings->speed_index]);
  if (ImGui::BeginCombo("speed (-/=)", current.c_str())) {
    for (int i = 0; i < kSpeedCount; ++i) {
      const std::string label = SpeedLabel(kViewerSpeeds[i]);
      if (ImGui::Selectable(label.c_str(), i == settings->speed_index)) {
        SetSpeedIndex(i, settings, actions);
      }
    }
    ImGui::EndCombo();
  }

  // Time slider over what has been simulated; a seek happens when it is let go.
  double value = settings->seek_dragging ? settings->seek_value
                                         : (status.seeking ? status.seek_target : status.time);
  const double zero = 0;
  const double end = std::max(status.horizon, status.time) + 1e-9;
  ImGui::SetNextItemWidth(-60);
  if (ImGui::SliderScalar("seek", ImGuiDataType_Double, &value, &zero, &end, "%.2f s")) {
    settings->seek_value = value;
  }
  settings->seek_dragging = ImGui::IsItemActive();
  if (ImGui::IsItemDeactivatedAfterEdit()) {
    actions->push_back(MakeAction(Action::Kind::kSeek, settings->seek_value));
  }
  ImGui::TextDisabled("%d snapshots (every 2 s) for seeking", status.snapshots);
}

void DrawCamera(const RunStatus& status, ViewSettings* settings, PanelRequests* requests) {
  const CameraPreset presets[] = {CameraPreset::kAudience, CameraPreset::kTop,
                                  CameraPreset::kFollow, CameraPreset::kFree};
  for (CameraPreset preset : presets) {
    if (preset != presets[0]) ImGui::SameLine();
    const bool disabled = preset == CameraPreset::kFollow && status.robots.empty();
    ImGui::BeginDisabled(disabled);
    if (ImGui::RadioButton(CameraPresetName(preset), settings->camera == preset)) {
      settings->camera = preset;
      requests->camera_changed = true;
    }
    ImGui::EndDisabled();
  }
}

void DrawToggles(ViewSettings* settings) {
  ImGui::Checkbox("contact points", &settings->contact_points);
  ImGui::SameLine(190);
  ImGui::Checkbox("contact forces", &settings->contact_forces);
  ImGui::Checkbox("centre of mass", &settings->center_of_mass);
  ImGui::SameLine(190);
  ImGui::Checkbox("robot labels", &settings->robot_labels);
  ImGui::Checkbox("shadows", &settings->shadows);
  ImGui::SameLine(190);
  ImGui::Checkbox("reflections", &settings->reflections);
  ImGui::Checkbox("estimated poses", &settings->estimated_poses);  // lidar localisation
  const char* labels[] = {"none",   "body",      "joint",      "geom",         "site",
                          "camera", "light",     "tendon",     "actuator",     "constraint",
                          "skin",   "selection", "sel. point", "contact force"};
  ImGui::SetNextItemWidth(150);
  ImGui::Combo("MuJoCo labels", &settings->mujoco_label, labels,
               static_cast<int>(std::size(labels)));
}

void DrawSelected(const RunStatus& status, ViewSettings* settings, std::vector<Action>* actions) {
  const int robot = settings->selected;
  if (robot < 0 || robot >= static_cast<int>(status.robots.size())) {
    ImGui::TextDisabled("double-click a robot (or a table row) to select it");
    return;
  }
  const RunStatus::Robot& r = status.robots[robot];
  ImGui::Text("robot %d: pelvis %.2f m, tilt %.1f deg%s%s", robot, r.pelvis_height,
              r.tilt * kDegrees, r.fallen ? ", FALLEN" : "", r.powered ? "" : ", no power");
  const char* directions[] = {"-x (from the audience)", "+x (towards the audience)",
                              "+y (stage left)", "-y (stage right)"};
  ImGui::SetNextItemWidth(200);
  ImGui::Combo("push direction", &settings->push_direction, directions,
               static_cast<int>(std::size(directions)));
  const double min_force = 10, max_force = 1000, min_time = 0.02, max_time = 2;
  ImGui::SetNextItemWidth(200);
  ImGui::SliderScalar("force", ImGuiDataType_Double, &settings->push_force, &min_force, &max_force,
                      "%.0f N");
  ImGui::SetNextItemWidth(200);
  ImGui::SliderScalar("duration", ImGuiDataType_Double, &settings->push_duration, &min_time,
                      &max_time, "%.2f s");
  if (ImGui::Button("Inject push")) {
    Action action = MakeAction(Action::Kind::kInjectFault);
    action.fault = MakePushFault(*settings, robot);
    actions->push_back(action);
  }
  ImGui::SameLine();
  ImGui::BeginDisabled(!r.powered);
  if (ImGui::Button("Inject dropout")) {
    Action action = MakeAction(Action::Kind::kInjectFault);
    action.fault.kind = Fault::Kind::kDropout;
    action.fault.robot = robot;
    actions->push_back(action);
  }
  ImGui::EndDisabled();
  ImGui::TextDisabled("Ctrl+left drag: twist it, Ctrl+right drag: pull it");
}

void DrawRobotTable(const RunStatus& status, ViewSettings* settings, PanelRequests* requests) {
  ImGui::Text("%d robots, %d fell, %d faults", static_cast<int>(status.robots.size()), status.falls,
              status.faults);
  const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV |
                                ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingFixedFit;
  const float height = std::max(120.0f, ImGui::GetContentRegionAvail().y - 60);
  if (!ImGui::BeginTable("robots", 5, flags, ImVec2(0, height))) return;
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn("robot");
  ImGui::TableSetupColumn("pelvis m");
  ImGui::TableSetupColumn("tilt deg");
  ImGui::TableSetupColumn("state");
  ImGui::TableSetupColumn("saturated");
  ImGui::TableHeadersRow();
  for (int i = 0; i < static_cast<int>(status.robots.size()); ++i) {
    const RunStatus::Robot& r = status.robots[i];
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    char label[16];
    std::snprintf(label, sizeof(label), "r%02d", i);
    if (ImGui::Selectable(label, settings->selected == i, ImGuiSelectableFlags_SpanAllColumns)) {
      settings->selected = settings->selected == i ? -1 : i;
      requests->selection_changed = true;
      if (settings->camera == CameraPreset::kFollow) requests->camera_changed = true;
    }
    ImGui::TableNextColumn();
    ImGui::Text("%.3f", r.pelvis_height);
    ImGui::TableNextColumn();
    ImGui::Text("%.1f", r.tilt * kDegrees);
    ImGui::TableNextColumn();
    if (r.fallen) {
      ImGui::TextColored(ImVec4(1, 0.35f, 0.3f, 1), "FALLEN");
    } else if (!r.powered) {
      ImGui::TextColored(ImVec4(1, 0.8f, 0.3f, 1), "no power");
    } else {
      ImGui::TextUnformatted("ok");
    }
    ImGui::TableNextColumn();
    ImGui::Text("%lld", static_cast<long long>(r.saturated_ticks));
  }
  ImGui::EndTable();
}

}  // namespace

void ReadStatus(const Transport& transport, RunStatus* status) {
  const Scene& scene = transport.scene();
  const RunState& state = transport.state();
  const mjData& d = *state.data;
  status->time = d.time;
  status->timestep = scene.model()->opt.timestep;
  status->horizon = transport.horizon();
  status->seek_target = transport.seek_target();
  status->realtime_factor = transport.realtime_factor();
  status->speed = transport.speed();
  status->playing = transport.playing();
  status->seeking = transport.seeking();
  status->snapshots = transport.snapshot_count();
  status->falls = state.metrics.falls();
  status->faults = static_cast<int>(state.faults.size());
  status->robots.resize(scene.robot_count());
  for (int i = 0; i < scene.robot_count(); ++i) {
    RunStatus::Robot& r = status->robots[i];
    r.pelvis_height = PelvisHeight(scene, d, i);
    r.tilt = TorsoTilt(scene, d, i);
    r.fallen = i < static_cast<int>(state.metrics.robots.size()) && state.metrics.robots[i].fallen;
    r.powered = i < static_cast<int>(state.powered.size()) && state.powered[i];
    r.saturated_ticks = i < static_cast<int>(state.metrics.robots.size())
                            ? state.metrics.robots[i].saturated_ticks
                            : 0;
    const mjtNum* pelvis = d.xpos + 3 * scene.robot(i).body_begin;
    r.label_pos[0] = pelvis[0];
    r.label_pos[1] = pelvis[1];
    r.label_pos[2] = pelvis[2] + 0.85;
  }
}

void ApplyViewSettings(const ViewSettings& settings, mjvOption* options, mjvScene* view) {
  options->flags[mjVIS_CONTACTPOINT] = settings.contact_points;
  options->flags[mjVIS_CONTACTFORCE] = settings.contact_forces;
  options->flags[mjVIS_COM] = settings.center_of_mass;
  options->label = std::clamp(settings.mujoco_label, 0, mjNLABEL - 1);
  view->flags[mjRND_SHADOW] = settings.shadows;
  view->flags[mjRND_REFLECTION] = settings.reflections;
}

Fault MakePushFault(const ViewSettings& settings, int robot) {
  static constexpr double kDirections[4][2] = {{-1, 0}, {1, 0}, {0, 1}, {0, -1}};
  const int k = std::clamp(settings.push_direction, 0, 3);
  Fault fault;
  fault.kind = Fault::Kind::kPush;
  fault.robot = robot;
  fault.duration = settings.push_duration;
  fault.force[0] = settings.push_force * kDirections[k][0];
  fault.force[1] = settings.push_force * kDirections[k][1];
  fault.force[2] = 0;
  return fault;
}

std::string DescribeFault(const Fault& fault, double time) {
  char text[200];
  switch (fault.kind) {
    case Fault::Kind::kDropout:
      std::snprintf(text, sizeof(text), "dropout of r%02d at t=%.3f s", fault.robot, time);
      break;
    case Fault::Kind::kPush:
      std::snprintf(text, sizeof(text),
                    "push of (%.0f, %.0f, %.0f) N for %.2f s on r%02d at t=%.3f s",
                    fault.force[0], fault.force[1], fault.force[2], fault.duration, fault.robot,
                    time);
      break;
    case Fault::Kind::kImuFreeze:
      std::snprintf(text, sizeof(text), "IMU freeze of r%02d for %.2f s at t=%.3f s",
                    fault.robot, fault.duration, time);
      break;
    case Fault::Kind::kWeakMotor:
      std::snprintf(text, sizeof(text),
                    "weak motor '%.60s' of r%02d (%.0f%% of its torque) from t=%.3f s",
                    fault.joint.c_str(), fault.robot, 100 * fault.fraction, time);
      break;
    case Fault::Kind::kNetOutage:
      std::snprintf(text, sizeof(text), "network outage of r%02d for %.2f s at t=%.3f s",
                    fault.robot, fault.duration, time);
      break;
    case Fault::Kind::kClockDrift:
      std::snprintf(text, sizeof(text), "clock of r%02d %+.0f ppm from t=%.3f s", fault.robot,
                    fault.ppm, time);
      break;
  }
  return text;
}

void DrawPanel(const RunStatus& status, const std::string& message, ViewSettings* settings,
               std::vector<Action>* actions, PanelRequests* requests) {
  if (!settings->show_panel) return;
  const ImGuiIO& io = ImGui::GetIO();
  ImGui::SetNextWindowPos(ImVec2(io.DisplaySize.x - kPanelWidth, 0), ImGuiCond_Always);
  ImGui::SetNextWindowSize(ImVec2(kPanelWidth, std::max(200.0f, io.DisplaySize.y)),
                           ImGuiCond_Always);
  if (ImGui::Begin("YangBOT", nullptr,
                   ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                       ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings)) {
    DrawTransport(status, settings, actions);
    ImGui::Separator();
    ImGui::TextUnformatted("Camera");
    DrawCamera(status, settings, requests);
    if (ImGui::Button("Screenshot (F12)")) requests->screenshot = true;
    ImGui::SameLine();
    if (status.recording) {
      ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0.75f, 0.15f, 0.15f, 1));
      char label[64];
      std::snprintf(label, sizeof(label), "Stop recording %.1f s (F9)###record", status.recorded);
      if (ImGui::Button(label)) requests->record = true;
      ImGui::PopStyleColor();
    } else if (ImGui::Button("Record video (F9)###record")) {
      requests->record = true;
    }
    ImGui::Separator();
    DrawToggles(settings);
    ImGui::Separator();
    DrawSelected(status, settings, actions);
    ImGui::Separator();
    DrawRobotTable(status, settings, requests);
    ImGui::TextWrapped("%s", message.c_str());
    ImGui::TextDisabled("drag: left rotate, right move, scroll zoom; 1-4 camera; Tab: hide panel");
  }
  ImGui::End();
}

void HandleShortcuts(const InputEvents& events, const RunStatus& status, ViewSettings* settings,
                     std::vector<Action>* actions, PanelRequests* requests) {
  if (ImGui::GetIO().WantCaptureKeyboard) return;
  for (const InputEvents::Key& press : events.keys) {
    if (press.command) continue;
    if (press.key == GLFW_KEY_RIGHT) {
      if (!status.playing) actions->push_back(MakeAction(Action::Kind::kStep));
      continue;
    }
    if (press.repeat) continue;
    switch (press.key) {
      case GLFW_KEY_SPACE:
        actions->push_back(MakeAction(Action::Kind::kTogglePlay));
        break;
      case GLFW_KEY_BACKSPACE:
        actions->push_back(MakeAction(Action::Kind::kRestart));
        break;
      case GLFW_KEY_F12:
        requests->screenshot = true;
        break;
      case GLFW_KEY_F9:
        requests->record = true;
        break;
      case GLFW_KEY_MINUS:
        SetSpeedIndex(settings->speed_index - 1, settings, actions);
        break;
      case GLFW_KEY_EQUAL:
        SetSpeedIndex(settings->speed_index + 1, settings, actions);
        break;
      case GLFW_KEY_TAB:
        settings->show_panel = !settings->show_panel;
        break;
      case GLFW_KEY_1:
      case GLFW_KEY_2:
      case GLFW_KEY_3:
      case GLFW_KEY_4: {
        // The cameras a key away: 1 audience, 2 overhead, 3 follow, 4 free.
        static constexpr CameraPreset kKeys[4] = {CameraPreset::kAudience, CameraPreset::kTop,
                                                  CameraPreset::kFollow, CameraPreset::kFree};
        settings->camera = kKeys[press.key - GLFW_KEY_1];
        requests->camera_changed = true;
        break;
      }
      default:
        break;
    }
  }
}

float PanelWidth(const ViewSettings& settings) { return settings.show_panel ? kPanelWidth : 0; }

ViewInput ReadViewInput(const ImGuiIO& io, const InputEvents& events, float view_width,
                        float view_height, bool can_perturb, MouseDrag* drag) {
  ViewInput input;
  const double height = std::max(1.0f, view_height);
  const double width = std::max(1.0f, view_width);
  if (drag->button >= 0 && !io.MouseDown[drag->button]) {
    input.perturb_end = drag->perturb;
    *drag = MouseDrag();
  }
  const bool in_view =
      io.MousePos.x >= 0 && io.MousePos.x < width && io.MousePos.y >= 0 && io.MousePos.y < height;
  if (drag->button < 0 && !io.WantCaptureMouse && in_view) {
    for (int button = 0; button < 3; ++button) {
      if (!io.MouseClicked[button]) continue;
      drag->button = button;
      drag->perturb = button < 2 && io.KeyCtrl && can_perturb;
      if (drag->perturb) input.perturb_begin = button == 0 ? mjPERT_ROTATE : mjPERT_TRANSLATE;
      break;
    }
    if (io.MouseWheel != 0) input.zoom = -0.05 * io.MouseWheel;
  }
  if (!io.WantCaptureMouse) {
    for (const InputEvents::Click& click : events.double_clicks) {
      if (click.button > 1 || click.x < 0 || click.x >= width || click.y < 0 || click.y >= height) {
        continue;
      }
      input.select = click.button == 0;
      input.center = click.button == 1;
      input.relx = click.x / width;
      input.rely = 1 - click.y / height;
    }
  }
  if (drag->button >= 0 && (io.MouseDelta.x != 0 || io.MouseDelta.y != 0)) {
    int action = mjMOUSE_ZOOM;
    if (drag->button == 0) action = io.KeyShift ? mjMOUSE_ROTATE_H : mjMOUSE_ROTATE_V;
    if (drag->button == 1) action = io.KeyShift ? mjMOUSE_MOVE_H : mjMOUSE_MOVE_V;
    input.dx = io.MouseDelta.x / height;
    input.dy = io.MouseDelta.y / height;
    if (drag->perturb) {
      input.perturb_action = action;
    } else {
      input.camera_action = action;
    }
  }
  return input;
}

}  // namespace yangbot
