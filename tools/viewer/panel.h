// The viewer's Dear ImGui panel and its keyboard and mouse handling. Plain ImGui calls with
// no GL or window: the viewer wires them to GLFW and OpenGL, tests run them in a bare
// ImGui context. Run edits come out as Actions, applied under the lock at the next sync.
#ifndef YANGBOT_TOOLS_VIEWER_PANEL_H_
#define YANGBOT_TOOLS_VIEWER_PANEL_H_

#include <imgui.h>
#include <mujoco/mujoco.h>

#include <cstdint>
#include <string>
#include <vector>

#include "tools/render/camera.h"
#include "tools/viewer/session.h"
#include "tools/viewer/transport.h"

namespace yangbot {

/// Playback speeds the panel offers, times real time (the last: as fast as possible).
inline constexpr double kViewerSpeeds[] = {0.1, 0.2, 0.5, 1.0, Transport::kAsFastAsPossible};

/// What the panel shows about the run; copied from the transport at each sync.
struct RunStatus {
  /// One robot's row in the status table.
  struct Robot {
    double pelvis_height = 0;         ///< m
    double tilt = 0;                  ///< rad, torso from upright
    bool fallen = false;              ///< ever fell (RunState::metrics)
    bool powered = true;              ///< false after a dropout
    int64_t saturated_ticks = 0;      ///< steps with a motor at its torque limit
    double label_pos[3] = {0, 0, 0};  ///< m, world point above the head, for its label
  };
  double time = 0;             ///< s
  double timestep = 0.002;     ///< s
  double horizon = 0;          ///< s, furthest time reached
  double seek_target = 0;      ///< s
  double realtime_factor = 0;  ///< measured
  double speed = 1;            ///< requested (x real time; infinity: as fast as possible)
  bool playing = false;        ///< play state
  bool seeking = false;        ///< a seek is re-simulating
  int snapshots = 0;           ///< snapshots kept for seeking
  int falls = 0;               ///< robots that fell
  int faults = 0;              ///< faults in the run
  double frames_per_second = 0;  ///< the viewer's drawing rate (set by the viewer)
  bool recording = false;        ///< a video is being recorded (set by the viewer)
  double recorded = 0;           ///< s of video recorded so far (set by the viewer)
  std::vector<Robot> robots;   ///< one per robot
};

/// Copies the run's status (call under the session lock).
void ReadStatus(const Transport& transport, RunStatus* status);

/// Display settings, edited by the panel, the keyboard and the mouse.
struct ViewSettings {
  CameraPreset camera = CameraPreset::kAudience;  ///< active camera preset
  int selected = -1;                              ///< selected robot (-1: none)
  bool contact_points = false;                    ///< mjVIS_CONTACTPOINT
  bool contact_forces = false;                    ///< mjVIS_CONTACTFORCE
  bool center_of_mass = false;                    ///< mjVIS_COM
  bool robot_labels = true;                       ///< robot numbers above the heads
  bool estimated_poses = true;  ///< ghosts of the robots' own pose estimates (lidar; pose_markers.h)
  bool shadows = true;                            ///< mjRND_SHADOW
  bool reflections = true;                        ///< mjRND_REFLECTION
  int mujoco_label = mjLABEL_NONE;                ///< mjvOption::label
  int speed_index = 3;                            ///< into kViewerSpeeds (1x)
  double push_force = 150;                        ///< N, injected push magnitude
  double push_duration = 0.2;                     ///< s
  int push_direction = 0;                         ///< 0 -x (from the audience), 1 +x, 2 +y, 3 -y
  bool show_panel = true;                         ///< Tab toggles
  double seek_value = 0;                          ///< s, time slider while dragged
  bool seek_dragging = false;                     ///< the time slider is held
};

/// One-frame requests from the panel or the keyboard to the viewer itself.
struct PanelRequests {
  bool screenshot = false;         ///< write a picture under out/
  bool record = false;             ///< start recording a video under out/, or stop it
  bool camera_changed = false;     ///< re-apply ViewSettings::camera
  bool selection_changed = false;  ///< ViewSettings::selected was set from the panel
};

/// Applies ViewSettings to MuJoCo's visual options and render flags.
void ApplyViewSettings(const ViewSettings& settings, mjvOption* options, mjvScene* view);

/// Draws the control panel (transport, camera, display toggles, selected robot, robots
/// table). `message` is a line of feedback shown at the bottom.
void DrawPanel(const RunStatus& status, const std::string& message, ViewSettings* settings,
               std::vector<Action>* actions, PanelRequests* requests);

/// Key presses and double-clicks since the last frame. The viewer's GLFW callbacks queue
/// them, so a quick tap or double-click between two slow frames is not lost.
struct InputEvents {
  /// A key press.
  struct Key {
    int key = 0;           ///< GLFW key code
    bool repeat = false;   ///< auto-repeat while held
    bool command = false;  ///< with Ctrl, Alt or Super
    bool ctrl = false;     ///< with Ctrl
    bool shift = false;    ///< with Shift
  };
  /// A double-click.
  struct Click {
    int button = 0;      ///< mouse button (0 left, 1 right)
    float x = 0, y = 0;  ///< window position (ImGui units), from the top-left
  };
  std::vector<Key> keys;             ///< in order
  std::vector<Click> double_clicks;  ///< in order
};

/// Keyboard shortcuts, unless ImGui has the keyboard: Space play/pause, Right single step
/// (paused; repeats while held), Backspace restart, F12 screenshot, F9 start/stop recording
/// a video, -/= slower/faster, Tab panel on/off, 1-4 camera (audience, overhead, follow,
/// free).
void HandleShortcuts(const InputEvents& events, const RunStatus& status, ViewSettings* settings,
                     std::vector<Action>* actions, PanelRequests* requests);

/// The pushes and dropouts the panel injects, as faults on `robot`.
Fault MakePushFault(const ViewSettings& settings, int robot);

/// One line about a fault of any kind starting at `time` (s), for the panel's message,
/// e.g. "IMU freeze of r03 for 0.80 s at t=1.200 s".
std::string DescribeFault(const Fault& fault, double time);

/// Mouse drag in the 3D view, carried from frame to frame.
struct MouseDrag {
  int button = -1;       ///< ImGui mouse button dragging in the view (-1: none)
  bool perturb = false;  ///< the drag pushes the selected body (Ctrl held at the press)
};

/// What the mouse did in the 3D view this frame (as MuJoCo's `simulate` maps it).
struct ViewInput {
  int camera_action = mjMOUSE_NONE;   ///< for mjv_moveCamera (left: rotate, right: move)
  int perturb_action = mjMOUSE_NONE;  ///< for mjv_movePerturb
  double dx = 0, dy = 0;              ///< motion / window height
  double zoom = 0;                    ///< scroll, for mjv_moveCamera(mjMOUSE_ZOOM, 0, zoom)
  int perturb_begin = 0;              ///< mjPERT_ROTATE (Ctrl+left) / mjPERT_TRANSLATE (Ctrl+right)
  bool perturb_end = false;           ///< the push drag ended
  bool select = false;                ///< left double-click: select the body under the mouse
  bool center = false;                ///< right double-click: orbit about the point under the mouse
  double relx = 0, rely = 0;          ///< mouse position for select/center, 0..1 from bottom-left
};

/// Reads the mouse from ImGui's IO (after ImGui::NewFrame) and the queued double-clicks,
/// ignoring what ImGui captures.
/// The 3D view is the top-left view_width x view_height of the window (ImGui units).
/// `can_perturb`: a robot body is selected, so Ctrl+drag pushes it.
ViewInput ReadViewInput(const ImGuiIO& io, const InputEvents& events, float view_width,
                        float view_height, bool can_perturb, MouseDrag* drag);

/// Width the panel takes at the window's right edge (ImGui units; 0 when hidden).
float PanelWidth(const ViewSettings& settings);

}  // namespace yangbot

#endif  // YANGBOT_TOOLS_VIEWER_PANEL_H_
