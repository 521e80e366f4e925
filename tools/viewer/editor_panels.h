// The viewer's show-editing windows, drawn with Dear ImGui (no GL, no window): the timeline
// editor with its cue inspector, the stage editor (formations from above), the problems
// list and the robot plots. What the user asks for comes back as EditorRequests (edits as
// functions on the Show, run through ShowDocument::Apply so they can be undone); the
// layout, edits and document logic they use are in timeline.h, show_edits.h and
// show_document.h.
#ifndef YANGBOT_TOOLS_VIEWER_EDITOR_PANELS_H_
#define YANGBOT_TOOLS_VIEWER_EDITOR_PANELS_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "choreography/show.h"
#include "tools/viewer/panel.h"
#include "tools/viewer/plots.h"
#include "tools/viewer/show_document.h"
#include "tools/viewer/timeline.h"
#include "tools/viewer/transition_paths.h"

namespace yangbot {

/// Height of the timeline window at the bottom of the viewer (ImGui units).
constexpr float kTimelineHeight = 260;

/// What the editing windows remember from frame to frame.
struct EditorState {
  TimelineView view;               ///< timeline zoom and scroll
  int section = -1, cue = -1;      ///< selected cue (-1: none)
  int lane = 0;                    ///< lane new cues go into
  int add_move = 0;                ///< index into the move library list
  std::optional<Cue> clipboard;    ///< Ctrl+C
  bool follow_playhead = true;     ///< keep the playhead in view while playing
  bool show_stage_editor = false;  ///< the stage editor window
  bool show_plots = false;         ///< the plots window
  int formation = 0;               ///< formation shown in the stage editor
  bool show_paths = true;          ///< draw the planned paths into it
  // Gestures in progress.
  enum class Drag { kNone, kMove, kResize, kScrub, kPan, kSlot };
  Drag drag = Drag::kNone;
  double drag_from_beat = 0;  ///< beat under the mouse at the press
  double drag_beat = 0;       ///< beat under the mouse now
  int drag_slot = -1;         ///< slot being dragged in the stage editor
  double slot_x = 0, slot_y = 0;  ///< m, where it is dragged to (snapped)
  std::string active_param;   ///< parameter slider being dragged
  double active_value = 0;    ///< its value while dragged
  std::string open_path;      ///< the Open / Save as text field
};

/// What the editing windows ask the viewer to do this frame.
struct EditorRequests {
  /// An edit of the show (label for undo, then the change).
  struct Edit {
    std::string label;
    std::function<void(Show*)> apply;
  };
  std::vector<Edit> edits;              ///< in order
  std::optional<double> seek_beat;      ///< move the run to this beat
  bool undo = false, redo = false;      ///< Ctrl+Z / Ctrl+Y
  bool save = false;                    ///< Ctrl+S
  std::optional<std::string> save_as;   ///< save to this path
  std::optional<std::string> open;      ///< open this file
  bool reload = false;                  ///< reload from disk, dropping unsaved edits
  bool open_dialog = false;             ///< show the Open dialog (Ctrl+O)
  bool save_as_dialog = false;          ///< show the Save as dialog (Ctrl+Shift+S)
};

/// Editing keys pressed this frame (Ctrl+O, Ctrl+S, Ctrl+Shift+S, Ctrl+Z, Ctrl+Y or
/// Ctrl+Shift+Z, Ctrl+C, Ctrl+V, Delete), unless ImGui has the keyboard (a text field).
struct EditorKeys {
  bool copy = false;   ///< Ctrl+C
  bool paste = false;  ///< Ctrl+V
  bool erase = false;  ///< Delete
};
/// Reads the editing keys into `requests` (file, undo, redo) and the returned copy,
/// paste and delete.
EditorKeys HandleEditorShortcuts(const InputEvents& events, EditorRequests* requests);

/// Names of the moves a cue can be added with (the library without the internal
/// walk_to and the handkerchief actions, which are `hanky:` cues).
const std::vector<std::string>& AddableMoves();

/// Ctrl+C on the selected cue, Ctrl+V at the playhead, Delete. `playhead_beat` is the
/// run's beat now.
void CopyPasteDelete(const ShowDocument& document, const TimelineLayout& layout, bool copy,
                     bool paste, bool erase, double playhead_beat, EditorState* state,
                     EditorRequests* requests);

/// The timeline window at the bottom of the viewer (`width` wide, left of the panel):
/// file buttons, lanes of cue blocks, the playhead, and the inspector of the selected cue.
/// `playhead_beat`: the run's beat now; `playing` keeps it in view.
void DrawTimelineWindow(const ShowDocument& document, const TimelineLayout& layout,
                        double playhead_beat, bool playing, float width, EditorState* state,
                        EditorRequests* requests);

/// The Open and Save as dialogs and the confirmation before closing with unsaved edits.
/// Returns true when the user chose to close anyway (after saving or discarding).
bool DrawFileDialogs(const ShowDocument* document, bool confirm_close, EditorState* state,
                     EditorRequests* requests);

/// The problems window (FILE:LINE:COL lines), shown while the show has any; `running_old`:
/// the run still shows the last version without errors.
void DrawProblemsWindow(const ShowDocument& document, bool running_old);

/// The stage editor: formation slots from above, draggable (snapped to kSlotGrid), slots
/// closer than kMinRobotDistance in red; `robots_xy` are the robots' positions now (x, y
/// pairs). `paths`: the formation changes of the show on stage (TransitionPathsOf); those
/// into the formation shown are drawn, red where robots come closer than
/// kMinRobotDistance on the way. `paths_current`: they are of the show as edited now (not
/// of an older version still on stage).
void DrawStageEditor(const ShowDocument& document, const std::vector<double>& robots_xy,
                     const std::vector<TransitionPaths>& paths, bool paths_current,
                     EditorState* state, EditorRequests* requests);

/// The plots of the selected robot.
void DrawPlotsWindow(const RobotPlots& plots, EditorState* state);

}  // namespace yangbot

#endif  // YANGBOT_TOOLS_VIEWER_EDITOR_PANELS_H_
