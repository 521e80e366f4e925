#include "tools/viewer/editor_panels.h"

#include <GLFW/glfw3.h>  // key codes only, as in panel.cc
#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iterator>

#include "choreography/formation.h"
#include "choreography/move_registry.h"
#include "choreography/schedule.h"
#include "tools/viewer/show_edits.h"

namespace yangbot {
namespace {

constexpr float kLaneLabelWidth = 110;  // lane names, left of the blocks
constexpr float kRulerHeight = 18;      // bar numbers
constexpr float kSectionHeight = 20;    // section spans
constexpr float kRowHeight = 24;        // one row of cue blocks
constexpr float kInspectorWidth = 330;
constexpr float kEdgeGrab = 6;  // px at a block's right end that resize it

ImU32 BlockColor(const TimelineBlock& block, bool selected) {
  if (block.error) return selected ? IM_COL32(230, 90, 80, 255) : IM_COL32(170, 55, 50, 255);
  if (block.legs) return selected ? IM_COL32(90, 160, 240, 255) : IM_COL32(50, 105, 170, 255);
  return selected ? IM_COL32(110, 200, 130, 255) : IM_COL32(60, 135, 85, 255);
}

std::string BarBeatText(double beat, int beats_per_bar) {
  const double bar = std::floor(beat / beats_per_bar);
  char text[48];
  std::snprintf(text, sizeof(text), "%d:%g", static_cast<int>(bar) + 1,
                beat - bar * beats_per_bar + 1);
  return text;
}

// Lane y offsets (from the top of the lanes area) and total height.
std::vector<float> LaneTops(const TimelineLayout& layout, float* total) {
  std::vector<float> tops;
  float y = 0;
  for (const TimelineLane& lane : layout.lanes) {
    tops.push_back(y);
    y += lane.rows * kRowHeight + 4;
  }
  *total = y;
  return tops;
}

void FileButtons(const ShowDocument& document, EditorState* state, EditorRequests* requests) {
  if (ImGui::Button("Open...")) requests->open_dialog = true;
  ImGui::SameLine();
  ImGui::BeginDisabled(!document.editable());
  if (ImGui::Button("Save")) requests->save = true;
  ImGui::SameLine();
  if (ImGui::Button("Save as...")) requests->save_as_dialog = true;
  ImGui::EndDisabled();
  ImGui::SameLine();
  if (ImGui::Button("Reload")) requests->reload = true;
  ImGui::SameLine();
  ImGui::BeginDisabled(!document.can_undo());
  if (ImGui::Button("Undo")) requests->undo = true;
  if (document.can_undo() && ImGui::IsItemHovered()) {
    ImGui::SetTooltip("Ctrl+Z: %s", document.undo_label().c_str());
  }
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::BeginDisabled(!document.can_redo());
  if (ImGui::Button("Redo")) requests->redo = true;
  if (document.can_redo() && ImGui::IsItemHovered()) {
    ImGui::SetTooltip("Ctrl+Y: %s", document.redo_label().c_str());
  }
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::Checkbox("follow", &state->follow_playhead);
  ImGui::SameLine();
  ImGui::Checkbox("stage editor", &state->show_stage_editor);
  ImGui::SameLine();
  ImGui::Checkbox("plots", &state->show_plots);
  ImGui::SameLine();
  const LoadedShow& loaded = document.loaded();
  if (!loaded.ok()) {
    ImGui::TextColored(ImVec4(1, 0.4f, 0.35f, 1), "%d errors", loaded.diagnostics.error_count());
  } else if (loaded.diagnostics.warning_count() > 0) {
    ImGui::TextColored(ImVec4(1, 0.8f, 0.3f, 1), "%d warnings",
                       loaded.diagnostics.warning_count());
  } else {
    ImGui::TextDisabled("valid");
  }
  if (!document.editable()) {
    ImGui::SameLine();
    ImGui::TextColored(ImVec4(1, 0.8f, 0.3f, 1), "read-only until the file's errors are fixed");
  }
}

// The lanes: ruler, sections, cue blocks, playhead; mouse gestures.
void DrawLanes(const ShowDocument& document, const TimelineLayout& layout, double playhead_beat,
               bool playing, EditorState* state, EditorRequests* requests) {
  const Show& show = document.show();
  const int bpb = layout.beats_per_bar;
  float lanes_height = 0;
  const std::vector<float> tops = LaneTops(layout, &lanes_height);
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float width = std::max(100.0f, avail.x);
  const float height = std::max(kRulerHeight + kSectionHeight + lanes_height, avail.y);
  const float grid_x = origin.x + kLaneLabelWidth;
  const float grid_width = width - kLaneLabelWidth;
  const float lanes_y = origin.y + kRulerHeight + kSectionHeight;
  TimelineView& view = state->view;
  if (playing && state->follow_playhead && state->drag == EditorState::Drag::kNone) {
    view.Reveal(playhead_beat, grid_width);
  }

  ImGui::InvisibleButton("lanes", ImVec2(width, height),
                         ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight |
                             ImGuiButtonFlags_MouseButtonMiddle);
  const bool hovered = ImGui::IsItemHovered();
  const ImGuiIO& io = ImGui::GetIO();
  const double mouse_beat = view.XToBeat(io.MousePos.x - grid_x);
  ImDrawList* draw = ImGui::GetWindowDrawList();
  draw->PushClipRect(origin, ImVec2(origin.x + width, origin.y + height), true);
  draw->AddRectFilled(origin, ImVec2(origin.x + width, origin.y + height), IM_COL32(28, 28, 32, 255));

  // Grid: beats faint, bars bright with their numbers.
  const int64_t first = static_cast<int64_t>(std::floor(view.first_beat));
  const int64_t last = static_cast<int64_t>(std::ceil(view.XToBeat(grid_width)));
  const int64_t step = view.pixels_per_beat < 6 ? bpb : 1;
  for (int64_t b = first - first % step; b <= last; b += step) {
    const float x = grid_x + static_cast<float>(view.BeatToX(static_cast<double>(b)));
    if (x < grid_x) continue;
    const std::string bar = BarLabel(b, bpb);
    draw->AddLine(ImVec2(x, origin.y + (bar.empty() ? kRulerHeight : 0)),
                  ImVec2(x, origin.y + height),
                  bar.empty() ? IM_COL32(50, 50, 56, 255) : IM_COL32(85, 85, 95, 255));
    if (!bar.empty()) draw->AddText(ImVec2(x + 3, origin.y + 2), IM_COL32(200, 200, 200, 255), bar.c_str());
  }
  // Sections.
  for (const TimelineSection& s : layout.sections) {
    const float x0 = grid_x + static_cast<float>(view.BeatToX(s.start.ToDouble()));
    const float x1 = grid_x + static_cast<float>(view.BeatToX((s.start + s.length).ToDouble()));
    const ImVec2 a(std::max(x0, grid_x), origin.y + kRulerHeight + 1);
    const ImVec2 b(x1 - 1, origin.y + kRulerHeight + kSectionHeight - 2);
    if (b.x <= a.x) continue;
    draw->AddRectFilled(a, b, IM_COL32(70, 70, 110, 255), 3);
    draw->PushClipRect(a, b, true);
    draw->AddText(ImVec2(a.x + 4, a.y + 2), IM_COL32(230, 230, 240, 255), s.name.c_str());
    draw->PopClipRect();
  }
  // Lanes and blocks; the block being dragged is drawn where it would land.
  for (size_t l = 0; l < layout.lanes.size(); ++l) {
    const float y = lanes_y + tops[l];
    const float lane_h = layout.lanes[l].rows * kRowHeight;
    if (static_cast<int>(l) == state->lane) {
      draw->AddRectFilled(ImVec2(origin.x, y), ImVec2(origin.x + width, y + lane_h),
                          IM_COL32(40, 40, 48, 255));
    }
    draw->AddText(ImVec2(origin.x + 4, y + 4), IM_COL32(210, 210, 210, 255),
                  layout.lanes[l].name.c_str());
    draw->AddLine(ImVec2(origin.x, y + lane_h + 2), ImVec2(origin.x + width, y + lane_h + 2),
                  IM_COL32(60, 60, 66, 255));
  }
  const int selected = layout.Find(state->section, state->cue);
  int hovered_block = -1;
  bool hovered_edge = false;
  draw->PushClipRect(ImVec2(grid_x, origin.y), ImVec2(origin.x + width, origin.y + height), true);
  for (int i = 0; i < static_cast<int>(layout.blocks.size()); ++i) {
    const TimelineBlock& block = layout.blocks[i];
    double start = block.start.ToDouble();
    double length = block.length.ToDouble();
    if (i == selected && state->drag == EditorState::Drag::kMove) {
      const Section& section = show.timeline[block.section];
      const Cue& cue = section.cues[block.cue];
      const Beats section_start = SectionStart(section, bpb);
      const Beats at = SnapBeats(block.start.ToDouble() - section_start.ToDouble() +
                                     state->drag_beat - state->drag_from_beat,
                                 CueGrid(cue));
      const double max_at = (SectionLength(section) - block.length).ToDouble();
      start = section_start.ToDouble() + std::clamp(at.ToDouble(), 0.0, std::max(0.0, max_at));
    } else if (i == selected && state->drag == EditorState::Drag::kResize) {
      const Cue& cue = show.timeline[block.section].cues[block.cue];
      length = std::max(CueGrid(cue).ToDouble(),
                        SnapBeats(length + state->drag_beat - state->drag_from_beat, CueGrid(cue))
                            .ToDouble());
    }
    const float x0 = grid_x + static_cast<float>(view.BeatToX(start));
    const float x1 = grid_x + static_cast<float>(view.BeatToX(start + length));
    const float y0 = lanes_y + tops[block.lane] + block.row * kRowHeight + 1;
    const ImVec2 a(x0 + 1, y0), b(std::max(x0 + 3, x1 - 1), y0 + kRowHeight - 2);
    draw->AddRectFilled(a, b, BlockColor(block, i == selected), 4);
    if (i == selected) draw->AddRect(a, b, IM_COL32(255, 255, 255, 255), 4, 0, 2);
    draw->PushClipRect(a, b, true);
    draw->AddText(ImVec2(a.x + 4, a.y + 4), IM_COL32(255, 255, 255, 255), block.label.c_str());
    draw->PopClipRect();
    if (hovered && io.MousePos.x >= a.x && io.MousePos.x <= b.x && io.MousePos.y >= a.y &&
        io.MousePos.y <= b.y) {
      hovered_block = i;
      hovered_edge = io.MousePos.x >= b.x - kEdgeGrab;
    }
  }
  // Playhead (and where a scrub would go).
  const float play_x = grid_x + static_cast<float>(view.BeatToX(playhead_beat));
  draw->AddLine(ImVec2(play_x, origin.y), ImVec2(play_x, origin.y + height),
                IM_COL32(255, 70, 60, 255), 2);
  if (state->drag == EditorState::Drag::kScrub) {
    const float x = grid_x + static_cast<float>(view.BeatToX(state->drag_beat));
    draw->AddLine(ImVec2(x, origin.y), ImVec2(x, origin.y + height), IM_COL32(255, 170, 60, 200), 1);
  }
  draw->PopClipRect();
  draw->PopClipRect();

  if (hovered_block >= 0 && state->drag == EditorState::Drag::kNone) {
    const TimelineBlock& block = layout.blocks[hovered_block];
    ImGui::BeginTooltip();
    ImGui::Text("%s  at %s, %s beats", block.label.c_str(),
                BarBeatText(block.start.ToDouble(), bpb).c_str(), block.length.ToString().c_str());
    for (const std::string& p : block.problems) ImGui::TextUnformatted(p.c_str());
    ImGui::EndTooltip();
    if (hovered_edge) ImGui::SetMouseCursor(ImGuiMouseCursor_ResizeEW);
  }

  // Gestures. Zoom with Ctrl+wheel, scroll with Shift+wheel or a right/middle drag.
  if (hovered && io.MouseWheel != 0 && io.KeyCtrl) {
    view.ZoomAbout(io.MousePos.x - grid_x, std::pow(1.15, io.MouseWheel));
  } else if (hovered && (io.MouseWheel != 0 || io.MouseWheelH != 0) && io.KeyShift) {
    view.first_beat -= 40 * (io.MouseWheel + io.MouseWheelH) / view.pixels_per_beat;
  }
  if (hovered && (ImGui::IsMouseClicked(ImGuiMouseButton_Right) ||
                  ImGui::IsMouseClicked(ImGuiMouseButton_Middle))) {
    state->drag = EditorState::Drag::kPan;
  }
  if (hovered && ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
    state->drag_from_beat = state->drag_beat = mouse_beat;
    if (io.MousePos.y < lanes_y) {
      state->drag = EditorState::Drag::kScrub;
    } else if (hovered_block >= 0) {
      const TimelineBlock& block = layout.blocks[hovered_block];
      state->section = block.section;
      state->cue = block.cue;
      state->lane = block.lane;
      state->active_param.clear();
      if (document.editable()) {
        state->drag = hovered_edge ? EditorState::Drag::kResize : EditorState::Drag::kMove;
      }
    } else {
      state->section = state->cue = -1;
      for (size_t l = 0; l < layout.lanes.size(); ++l) {
        const float y = lanes_y + tops[l];
        if (io.MousePos.y >= y && io.MousePos.y < y + layout.lanes[l].rows * kRowHeight + 4) {
          state->lane = static_cast<int>(l);
        }
      }
    }
  }
  // Double-click on an empty lane: add the chosen move there.
  if (hovered && hovered_block < 0 && io.MousePos.y >= lanes_y &&
      ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left) && document.editable() &&
      state->lane < static_cast<int>(layout.lanes.size())) {
    const int si = layout.SectionAt(mouse_beat);
    const std::vector<std::string>& names = AddableMoves();
    if (si >= 0 && !names.empty()) {
      const TimelineSection& s = layout.sections[si];
      const std::string move = names[std::clamp(state->add_move, 0, static_cast<int>(names.size()) - 1)];
      const Beats at = std::clamp(SnapBeats(mouse_beat - s.start.ToDouble(), Beats(1)), Beats(0),
                                  std::max(Beats(0), s.length - Beats(1)));
      const Beats beats = std::min(Beats(4), s.length - at);
      const std::vector<std::string> who = layout.lanes[state->lane].who;
      const int section = s.section;
      requests->edits.push_back({"add " + move, [=](Show* show) {
                                   AddCue(section, NewMoveCue(move, who, at, beats), show);
                                 }});
      state->drag = EditorState::Drag::kNone;
    }
  }
  if (state->drag != EditorState::Drag::kNone) {
    if (state->drag == EditorState::Drag::kPan) {
      view.first_beat -= io.MouseDelta.x / view.pixels_per_beat;
    }
    state->drag_beat = mouse_beat;
    const bool released = !ImGui::IsMouseDown(ImGuiMouseButton_Left) &&
                          !ImGui::IsMouseDown(ImGuiMouseButton_Right) &&
                          !ImGui::IsMouseDown(ImGuiMouseButton_Middle);
    if (released) {
      const double delta = state->drag_beat - state->drag_from_beat;
      const int block_index = layout.Find(state->section, state->cue);
      if (state->drag == EditorState::Drag::kScrub) {
        requests->seek_beat = std::max(-1e6, state->drag_beat);
      } else if (block_index >= 0 && state->drag == EditorState::Drag::kMove) {
        const TimelineBlock& block = layout.blocks[block_index];
        const Section& section = show.timeline[block.section];
        const Cue& cue = section.cues[block.cue];
        const Beats at = SnapBeats(CueAt(cue).ToDouble() + delta, CueGrid(cue));
        if (at != CueAt(cue)) {
          const int si = block.section, ci = block.cue;
          requests->edits.push_back({"move " + block.label, [=](Show* show) { MoveCue(si, ci, at, show); }});
        }
      } else if (block_index >= 0 && state->drag == EditorState::Drag::kResize) {
        const TimelineBlock& block = layout.blocks[block_index];
        const Cue& cue = show.timeline[block.section].cues[block.cue];
        const Beats length = SnapBeats(block.length.ToDouble() + delta, CueGrid(cue));
        if (length != block.length) {
          const int si = block.section, ci = block.cue;
          requests->edits.push_back(
              {"resize " + block.label, [=](Show* show) { ResizeCue(si, ci, length, show); }});
        }
      }
      state->drag = EditorState::Drag::kNone;
    }
  }
}

void DrawInspector(const ShowDocument& document, const TimelineLayout& layout,
                   double playhead_beat, EditorState* state, EditorRequests* requests) {
  const Show& show = document.show();
  const int bpb = layout.beats_per_bar;
  const std::vector<std::string>& names = AddableMoves();
  ImGui::SetNextItemWidth(170);
  if (!names.empty()) {
    state->add_move = std::clamp(state->add_move, 0, static_cast<int>(names.size()) - 1);
    if (ImGui::BeginCombo("##move", names[state->add_move].c_str())) {
      for (int i = 0; i < static_cast<int>(names.size()); ++i) {
        if (ImGui::Selectable(names[i].c_str(), i == state->add_move)) state->add_move = i;
      }
      ImGui::EndCombo();
    }
  }
  ImGui::SameLine();
  ImGui::BeginDisabled(!document.editable() || layout.sections.empty());
  if (ImGui::Button("Add at playhead")) {
    const int si = layout.SectionAt(playhead_beat);
    if (si >= 0 && state->lane < static_cast<int>(layout.lanes.size())) {
      const TimelineSection& s = layout.sections[si];
      const std::string move = names[state->add_move];
      const Beats at = std::clamp(SnapBeats(playhead_beat - s.start.ToDouble(), Beats(1)),
                                  Beats(0), std::max(Beats(0), s.length - Beats(1)));
      const Beats beats = std::min(Beats(4), s.length - at);
      const std::vector<std::string> who = layout.lanes[state->lane].who;
      const int section = s.section;
      requests->edits.push_back({"add " + move, [=](Show* show) {
                                   AddCue(section, NewMoveCue(move, who, at, beats), show);
                                 }});
    }
  }
  ImGui::EndDisabled();
  ImGui::TextDisabled("lane: %s (double-click a lane to add there)",
                      state->lane < static_cast<int>(layout.lanes.size())
                          ? layout.lanes[state->lane].name.c_str()
                          : "-");
  ImGui::Separator();

  const int index = layout.Find(state->section, state->cue);
  if (index < 0) {
    ImGui::TextDisabled("click a cue to edit it; drag to move,");
    ImGui::TextDisabled("drag its right end to resize; click the");
    ImGui::TextDisabled("ruler to seek. Ctrl+wheel zoom, Shift+wheel");
    ImGui::TextDisabled("or right-drag scroll. Del, Ctrl+C/V/Z/Y.");
    return;
  }
  const TimelineBlock& block = layout.blocks[index];
  const Section& section = show.timeline[block.section];
  const Cue& cue = section.cues[block.cue];
  ImGui::Text("%s", block.label.c_str());
  ImGui::TextDisabled("section '%s', line %d", section.name.c_str(), cue.src.pos.line);
  ImGui::Text("at %s, %s beats%s", BarBeatText(block.start.ToDouble(), bpb).c_str(),
              block.length.ToString().c_str(), block.legs ? " (legs: whole beats)" : "");
  const int si = block.section, ci = block.cue;
  ImGui::BeginDisabled(!document.editable());
  const Move* move = CueMove(cue);
  if (move != nullptr && cue.kind != CueKind::kFormation) {
    ImGui::TextDisabled("%s", move->spec().doc.c_str());
    const double bpm = show.tempo_or_default();
    for (const ParamSpec& spec : move->spec().params) {
      ImGui::PushID(spec.name.c_str());
      const bool written = std::any_of(cue.params.begin(), cue.params.end(),
                                       [&](const Param& p) { return p.name == spec.name; });
      ImGui::SetNextItemWidth(170);
      if (!spec.choices.empty()) {
        const std::string current = CueWord(cue, spec);
        if (ImGui::BeginCombo(spec.name.c_str(), current.c_str())) {
          for (const std::string& choice : spec.choices) {
            if (ImGui::Selectable(choice.c_str(), choice == current) && choice != current) {
              const std::string name = spec.name;
              requests->edits.push_back({"set " + name, [=](Show* show) {
                                           SetCueWord(si, ci, name, choice, show);
                                         }});
            }
          }
          ImGui::EndCombo();
        }
      } else {
        double value = state->active_param == spec.name ? state->active_value
                                                         : CueNumber(cue, spec, bpm);
        char format[48];
        std::snprintf(format, sizeof(format), spec.integer ? "%%.0f %s" : "%%.3g %s",
                      DefaultUnit(spec.dimension));
        if (ImGui::SliderScalar(spec.name.c_str(), ImGuiDataType_Double, &value, &spec.min,
                                &spec.max, format)) {
          state->active_param = spec.name;
          state->active_value = value;
        }
        if (ImGui::IsItemDeactivatedAfterEdit()) {
          const ParamSpec copy = spec;
          requests->edits.push_back({"set " + spec.name, [=](Show* show) {
                                       SetCueNumber(si, ci, copy, value, show);
                                     }});
          state->active_param.clear();
        }
      }
      if (ImGui::IsItemHovered()) {
        ImGui::SetTooltip("%s\n[%g, %g] %s, default %g%s", spec.doc.c_str(), spec.min, spec.max,
                          DefaultUnit(spec.dimension), spec.default_value,
                          written ? "" : " (not written: the default)");
      }
      if (written) {
        ImGui::SameLine();
        if (ImGui::SmallButton("default")) {
          const std::string name = spec.name;
          requests->edits.push_back(
              {"reset " + name, [=](Show* show) { ResetCueParam(si, ci, name, show); }});
        }
      }
      ImGui::PopID();
    }
  }
  if (ImGui::Button("Delete (Del)")) {
    requests->edits.push_back(
        {"delete " + block.label, [=](Show* show) { DeleteCue(si, ci, show); }});
    state->section = state->cue = -1;
  }
  ImGui::EndDisabled();
  for (const std::string& p : block.problems) {
    ImGui::PushTextWrapPos(0);
    ImGui::TextColored(ImVec4(1, 0.45f, 0.4f, 1), "%s", p.c_str());
    ImGui::PopTextWrapPos();
  }
}

}  // namespace

EditorKeys HandleEditorShortcuts(const InputEvents& events, EditorRequests* requests) {
  EditorKeys keys;
  if (ImGui::GetIO().WantCaptureKeyboard) return keys;
  for (const InputEvents::Key& press : events.keys) {
    if (press.repeat) continue;
    if (!press.ctrl) {
      if (press.key == GLFW_KEY_DELETE && !press.command) keys.erase = true;
      continue;
    }
    switch (press.key) {
      case GLFW_KEY_O:
        requests->open_dialog = true;
        break;
      case GLFW_KEY_S:
        (press.shift ? requests->save_as_dialog : requests->save) = true;
        break;
      case GLFW_KEY_Z:
        (press.shift ? requests->redo : requests->undo) = true;
        break;
      case GLFW_KEY_Y:
        requests->redo = true;
        break;
      case GLFW_KEY_C:
        keys.copy = true;
        break;
      case GLFW_KEY_V:
        keys.paste = true;
        break;
      default:
        break;
    }
  }
  return keys;
}

const std::vector<std::string>& AddableMoves() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> all = BuiltinMoves().Names();
    std::erase_if(all, [](const std::string& n) {
      return n == "walk_to" || n == HankyMoveName("spin") || n == HankyMoveName("flick") ||
             n == HankyMoveName("throw");
    });
    return all;
  }();
  return names;
}

void CopyPasteDelete(const ShowDocument& document, const TimelineLayout& layout, bool copy,
                     bool paste, bool erase, double playhead_beat, EditorState* state,
                     EditorRequests* requests) {
  const Show& show = document.show();
  const int index = layout.Find(state->section, state->cue);
  if (copy && index >= 0) {
    state->clipboard = show.timeline[state->section].cues[state->cue];
  }
  if (!document.editable()) return;
  if (erase && index >= 0) {
    const int si = state->section, ci = state->cue;
    requests->edits.push_back(
        {"delete " + layout.blocks[index].label, [=](Show* s) { DeleteCue(si, ci, s); }});
    state->section = state->cue = -1;
  }
  if (paste && state->clipboard) {
    const int si = layout.SectionAt(playhead_beat);
    if (si < 0) return;
    const TimelineSection& s = layout.sections[si];
    Cue cue = *state->clipboard;
    const Beats length = cue.beats.value_or(Beats(4));
    cue.beats = std::min(length, s.length);
    Beats at = std::clamp(SnapBeats(playhead_beat - s.start.ToDouble(), CueGrid(cue)), Beats(0),
                          std::max(Beats(0), s.length - *cue.beats));
    cue.at = at;
    const int section = s.section;
    requests->edits.push_back({"paste " + cue.name, [=](Show* show) { AddCue(section, cue, show); }});
  }
}

void DrawTimelineWindow(const ShowDocument& document, const TimelineLayout& layout,
                        double playhead_beat, bool playing, float width, EditorState* state,
                        EditorRequests* requests) {
  const ImGuiIO& io = ImGui::GetIO();
  ImGui::SetNextWindowPos(ImVec2(0, io.DisplaySize.y - kTimelineHeight), ImGuiCond_Always);
  ImGui::SetNextWindowSize(ImVec2(width, kTimelineHeight), ImGuiCond_Always);
  const std::string title = document.path() + (document.dirty() ? " *" : "") + "###timeline";
  if (ImGui::Begin(title.c_str(), nullptr,
                   ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                       ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings |
                       ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse)) {
    FileButtons(document, state, requests);
    const float inspector = std::min(kInspectorWidth, 0.45f * ImGui::GetContentRegionAvail().x);
    ImGui::BeginChild("lanes", ImVec2(ImGui::GetContentRegionAvail().x - inspector, 0), true,
                      ImGuiWindowFlags_NoScrollWithMouse);
    DrawLanes(document, layout, playhead_beat, playing, state, requests);
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("inspector", ImVec2(0, 0), true);
    DrawInspector(document, layout, playhead_beat, state, requests);
    ImGui::EndChild();
  }
  ImGui::End();
}

bool DrawFileDialogs(const ShowDocument* document, bool confirm_close, EditorState* state,
                     EditorRequests* requests) {
  if (requests->open_dialog) {
    ImGui::OpenPopup("Open choreography");
    if (document != nullptr && state->open_path.empty()) state->open_path = document->path();
  }
  if (requests->save_as_dialog && document != nullptr) {
    ImGui::OpenPopup("Save as");
    state->open_path = document->path();
  }
  if (confirm_close) ImGui::OpenPopup("Unsaved changes");
  const ImVec2 centre(ImGui::GetIO().DisplaySize.x / 2, ImGui::GetIO().DisplaySize.y / 2);
  bool close = false;
  for (const char* name : {"Open choreography", "Save as"}) {
    ImGui::SetNextWindowPos(centre, ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    if (!ImGui::BeginPopupModal(name, nullptr, ImGuiWindowFlags_AlwaysAutoResize)) continue;
    const bool open = name[0] == 'O';
    if (open && document != nullptr && document->dirty()) {
      ImGui::TextColored(ImVec4(1, 0.8f, 0.3f, 1), "unsaved edits of %s will be lost",
                         document->path().c_str());
    }
    ImGui::SetNextItemWidth(520);
    if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
    const bool enter = ImGui::InputText("file", &state->open_path,
                                        ImGuiInputTextFlags_EnterReturnsTrue);
    if (ImGui::Button(open ? "Open" : "Save") || enter) {
      if (open) {
        requests->open = state->open_path;
      } else {
        requests->save_as = state->open_path;
      }
      ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    if (ImGui::Button("Cancel") || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) {
      ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
  }
  ImGui::SetNextWindowPos(centre, ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
  if (ImGui::BeginPopupModal("Unsaved changes", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
    ImGui::Text("%s has unsaved changes.", document != nullptr ? document->path().c_str() : "");
    const bool can_save = document != nullptr && document->editable();
    ImGui::BeginDisabled(!can_save);
    if (ImGui::Button("Save and quit")) {
      requests->save = true;
      close = true;
      ImGui::CloseCurrentPopup();
    }
    ImGui::EndDisabled();
    ImGui::SameLine();
    if (ImGui::Button("Quit without saving")) {
      close = true;
      ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    if (ImGui::Button("Cancel") || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) {
      ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
  }
  return close;
}

void DrawProblemsWindow(const ShowDocument& document, bool running_old) {
  const std::string text = document.DiagnosticsText();
  if (text.empty()) return;
  ImGui::SetNextWindowPos(ImVec2(10, 10), ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowSize(ImVec2(760, 170), ImGuiCond_FirstUseEver);
  if (ImGui::Begin("Problems", nullptr, ImGuiWindowFlags_NoSavedSettings)) {
    if (running_old) {
      ImGui::TextColored(ImVec4(1, 0.8f, 0.3f, 1),
                         "the stage runs the last version without errors");
    }
    size_t begin = 0;
    while (begin < text.size()) {
      size_t end = text.find('\n', begin);
      if (end == std::string::npos) end = text.size();
      const std::string line = text.substr(begin, end - begin);
      const bool error = line.find(": error: ") != std::string::npos;
      ImGui::TextColored(error ? ImVec4(1, 0.45f, 0.4f, 1) : ImVec4(1, 0.8f, 0.3f, 1), "%s",
                         line.c_str());
      begin = end + 1;
    }
  }
  ImGui::End();
}

void DrawStageEditor(const ShowDocument& document, const std::vector<double>& robots_xy,
                     const std::vector<TransitionPaths>& paths, bool paths_current,
                     EditorState* state, EditorRequests* requests) {
  if (!state->show_stage_editor) return;
  ImGui::SetNextWindowPos(ImVec2(10, 190), ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowSize(ImVec2(420, 460), ImGuiCond_FirstUseEver);
  if (!ImGui::Begin("Stage editor", &state->show_stage_editor, ImGuiWindowFlags_NoSavedSettings)) {
    ImGui::End();
    return;
  }
  const Show& show = document.show();
  if (show.formations.empty()) {
    ImGui::TextDisabled("the show has no formations");
    ImGui::End();
    return;
  }
  state->formation = std::clamp(state->formation, 0, static_cast<int>(show.formations.size()) - 1);
  const FormationDef& formation = show.formations[state->formation];
  ImGui::SetNextItemWidth(200);
  if (ImGui::BeginCombo("formation", formation.name.c_str())) {
    for (int i = 0; i < static_cast<int>(show.formations.size()); ++i) {
      if (ImGui::Selectable(show.formations[i].name.c_str(), i == state->formation)) {
        state->formation = i;
        state->drag_slot = -1;
      }
    }
    ImGui::EndCombo();
  }
  const int robots = show.troupe.robots.value_or(static_cast<int>(formation.slots.size()));
  Diagnostics ignored;  // the problems window lists them
  std::vector<Placement> slots =
      FormationSlots(formation, robots, show.tempo_or_default(), &ignored);
  if (slots.empty()) {
    // FormationSlots gives nothing for a formation with errors (slots too close among
    // them): written slots are still drawn, so they can be dragged apart.
    const double cx = formation.centre ? (*formation.centre)[0] : 0.0;
    const double cy = formation.centre ? (*formation.centre)[1] : 0.0;
    for (const Slot& s : formation.slots) {
      slots.push_back({s.x + cx, s.y + cy, s.has_facing ? s.facing * M_PI / 180 : 0.0});
    }
  }
  ImGui::SameLine();
  ImGui::TextDisabled(formation.shape.empty() ? "written slots" : "shape %s",
                      formation.shape.c_str());
  ImGui::SameLine();
  ImGui::Checkbox("paths", &state->show_paths);
  // Changes into this formation that need more beats: one click stretches the cue.
  for (const StretchOffer& offer : StretchOffers(document.loaded(), formation.name)) {
    char label[160];
    std::snprintf(label, sizeof(label), "stretch to %s beats##stretch%d_%d",
                  offer.needed.ToString().c_str(), offer.section, offer.cue);
    ImGui::TextColored(ImVec4(1, 0.4f, 0.3f, 1), "the change into '%s' needs %s beats, has %s",
                       offer.formation.c_str(), offer.needed.ToString().c_str(),
                       offer.beats.ToString().c_str());
    ImGui::SameLine();
    if (ImGui::Button(label)) {
      requests->edits.push_back({"stretch the change into " + offer.formation,
                                 [offer](Show* show) {
                                   StretchCue(offer.section, offer.cue, offer.needed, show);
                                 }});
    }
  }
  // The changes into this formation, as compiled.
  std::vector<const TransitionPaths*> into;
  for (const TransitionPaths& p : paths) {
    if (state->show_paths && p.formation == formation.name) into.push_back(&p);
  }

  // Top view, audience at the bottom: stage +x down the screen, +y to the right.
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const ImVec2 size(std::max(100.0f, ImGui::GetContentRegionAvail().x),
                    std::max(100.0f, ImGui::GetContentRegionAvail().y - 22));
  double extent = 3;
  for (const Placement& p : slots) extent = std::max({extent, std::abs(p.x) + 1, std::abs(p.y) + 1});
  const float scale = static_cast<float>(std::min(size.x, size.y) / (2 * extent));
  const ImVec2 centre(origin.x + size.x / 2, origin.y + size.y / 2);
  auto to_screen = [&](double x, double y) {
    return ImVec2(centre.x + static_cast<float>(y) * scale, centre.y + static_cast<float>(x) * scale);
  };
  auto to_stage = [&](ImVec2 p, double* x, double* y) {
    *x = (p.y - centre.y) / scale;
    *y = (p.x - centre.x) / scale;
  };
  ImGui::InvisibleButton("stage", size);
  const bool hovered = ImGui::IsItemHovered();
  ImDrawList* draw = ImGui::GetWindowDrawList();
  draw->PushClipRect(origin, ImVec2(origin.x + size.x, origin.y + size.y), true);
  draw->AddRectFilled(origin, ImVec2(origin.x + size.x, origin.y + size.y), IM_COL32(35, 32, 30, 255));
  for (int k = -static_cast<int>(extent); k <= static_cast<int>(extent); ++k) {
    const ImU32 color = k == 0 ? IM_COL32(110, 100, 90, 255) : IM_COL32(60, 56, 52, 255);
    draw->AddLine(to_screen(k, -extent), to_screen(k, extent), color);
    draw->AddLine(to_screen(-extent, k), to_screen(extent, k), color);
  }
  draw->AddText(ImVec2(centre.x - 30, origin.y + size.y - 16), IM_COL32(180, 180, 180, 255),
                "audience");
  for (size_t i = 0; i + 1 < robots_xy.size(); i += 2) {
    draw->AddCircleFilled(to_screen(robots_xy[i], robots_xy[i + 1]), 3, IM_COL32(150, 150, 150, 200));
  }
  // Planned paths under the slots: a segment is red where its robot is too close to
  // another at either end; a red bar joins each such pair where they are closest.
  int path_approaches = 0;
  const int alpha = paths_current ? 230 : 110;
  for (const TransitionPaths* p : into) {
    for (size_t r = 0; r < p->points.size(); ++r) {
      const auto& points = p->points[r];
      for (size_t k = 0; k + 1 < points.size(); ++k) {
        const bool red = p->close[r][k] || p->close[r][k + 1];
        draw->AddLine(to_screen(points[k][0], points[k][1]),
                      to_screen(points[k + 1][0], points[k + 1][1]),
                      red ? IM_COL32(255, 60, 50, alpha) : IM_COL32(200, 190, 120, alpha / 2),
                      red ? 3.0f : 1.5f);
      }
    }
    for (const TransitionPaths::Approach& a : p->approaches) {
      const auto& pa = p->points[a.a][a.sample];
      const auto& pb = p->points[a.b][a.sample];
      draw->AddLine(to_screen(pa[0], pa[1]), to_screen(pb[0], pb[1]), IM_COL32(255, 60, 50, alpha), 2);
      draw->AddCircle(to_screen(pa[0], pa[1]), 5, IM_COL32(255, 60, 50, alpha), 0, 2);
      draw->AddCircle(to_screen(pb[0], pb[1]), 5, IM_COL32(255, 60, 50, alpha), 0, 2);
    }
    path_approaches += static_cast<int>(p->approaches.size());
  }
  std::vector<Placement> shown = slots;
  if (state->drag_slot >= 0 && state->drag_slot < static_cast<int>(shown.size())) {
    shown[state->drag_slot].x = state->slot_x;
    shown[state->drag_slot].y = state->slot_y;
  }
  const auto close = CloseSlots(shown, kMinRobotDistance);
  std::vector<bool> too_close(shown.size(), false);
  for (const auto& [i, j] : close) {
    too_close[i] = too_close[j] = true;
    draw->AddLine(to_screen(shown[i].x, shown[i].y), to_screen(shown[j].x, shown[j].y),
                  IM_COL32(255, 60, 50, 255), 2);
  }
  const float radius = std::max(4.0f, static_cast<float>(kMinRobotDistance / 2) * scale);
  int hovered_slot = -1;
  for (size_t i = 0; i < shown.size(); ++i) {
    const ImVec2 p = to_screen(shown[i].x, shown[i].y);
    const ImU32 fill = too_close[i] ? IM_COL32(200, 50, 45, 220) : IM_COL32(70, 120, 190, 220);
    draw->AddCircleFilled(p, radius, fill);
    const ImVec2 nose(p.x + std::sin(static_cast<float>(shown[i].yaw)) * radius * 1.3f,
                      p.y + std::cos(static_cast<float>(shown[i].yaw)) * radius * 1.3f);
    draw->AddLine(p, nose, IM_COL32(255, 255, 255, 255), 2);
    char label[16];
    std::snprintf(label, sizeof(label), "%d", static_cast<int>(i) + 1);
    draw->AddText(ImVec2(p.x - 4, p.y - 7), IM_COL32(255, 255, 255, 255), label);
    const ImVec2 m = ImGui::GetIO().MousePos;
    if (hovered && std::hypot(m.x - p.x, m.y - p.y) <= radius) hovered_slot = static_cast<int>(i);
  }
  draw->PopClipRect();
  if (hovered && hovered_slot >= 0 && ImGui::IsMouseClicked(ImGuiMouseButton_Left) &&
      document.editable()) {
    state->drag_slot = hovered_slot;
    state->slot_x = slots[hovered_slot].x;
    state->slot_y = slots[hovered_slot].y;
  }
  if (state->drag_slot >= 0) {
    double x = 0, y = 0;
    to_stage(ImGui::GetIO().MousePos, &x, &y);
    state->slot_x = std::round(x / kSlotGrid) * kSlotGrid;
    state->slot_y = std::round(y / kSlotGrid) * kSlotGrid;
    if (!ImGui::IsMouseDown(ImGuiMouseButton_Left)) {
      const int f = state->formation, s = state->drag_slot;
      const double sx = state->slot_x, sy = state->slot_y;
      if (s < static_cast<int>(slots.size()) &&
          (std::abs(sx - slots[s].x) > 1e-9 || std::abs(sy - slots[s].y) > 1e-9)) {
        requests->edits.push_back({"move slot " + std::to_string(s + 1) + " of " + formation.name,
                                   [=](Show* show) { MoveSlot(f, s, sx, sy, slots, show); }});
      }
      state->drag_slot = -1;
    }
  }
  if (close.empty() && path_approaches == 0) {
    ImGui::TextDisabled("drag a slot (snaps to %.1f m); grid lines 1 m apart", kSlotGrid);
  } else if (path_approaches == 0) {
    ImGui::TextColored(ImVec4(1, 0.4f, 0.35f, 1), "%d pairs closer than %.1f m",
                       static_cast<int>(close.size()), kMinRobotDistance);
  } else {
    ImGui::TextColored(ImVec4(1, 0.4f, 0.35f, 1),
                       "%d pairs of slots and %d pairs on the way closer than %.1f m",
                       static_cast<int>(close.size()), path_approaches, kMinRobotDistance);
  }
  if (!into.empty() && !paths_current) {
    ImGui::SameLine();
    ImGui::TextDisabled("(paths of the version on stage)");
  }
  ImGui::End();
}

void DrawPlotsWindow(const RobotPlots& plots, EditorState* state) {
  if (!state->show_plots) return;
  ImGui::SetNextWindowPos(ImVec2(440, 190), ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowSize(ImVec2(420, 430), ImGuiCond_FirstUseEver);
  if (!ImGui::Begin("Plots", &state->show_plots, ImGuiWindowFlags_NoSavedSettings)) {
    ImGui::End();
    return;
  }
  if (plots.robot() < 0 || plots.samples().empty()) {
    ImGui::TextDisabled("select a robot; plots fill while the show plays");
    ImGui::End();
    return;
  }
  const PlotSample& now = plots.samples().back();
  ImGui::Text("robot %d, last %.0f s", plots.robot(), now.time - plots.samples().front().time);
  const ImVec2 size(ImGui::GetContentRegionAvail().x, 55);
  auto plot = [&](const char* label, const std::vector<float>& values, float lo, float hi,
                  const char* overlay) {
    ImGui::TextUnformatted(label);
    ImGui::PlotLines((std::string("##") + label).c_str(), values.data(),
                     static_cast<int>(values.size()), 0, overlay, lo, hi, size);
  };
  char text[96];
  for (int axis = 0; axis < 2; ++axis) {
    const auto error = plots.Series([axis](const PlotSample& s) {
      return 100 * (s.com[axis] - s.com_ref[axis]);
    });
    std::snprintf(text, sizeof(text), "%+.1f cm (CoM %.3f, ref %.3f m)",
                  100 * (now.com[axis] - now.com_ref[axis]), now.com[axis], now.com_ref[axis]);
    plot(axis == 0 ? "CoM - reference, x (cm)" : "CoM - reference, y (cm)", error, -5, 5, text);
  }
  std::snprintf(text, sizeof(text), "%.3f m", now.pelvis_height);
  plot("pelvis height (m)", plots.Series([](const PlotSample& s) { return s.pelvis_height; }),
       0.3f, 1.1f, text);
  std::snprintf(text, sizeof(text), "%.0f %%", now.torque_percent);
  plot("highest torque (% of limit)",
       plots.Series([](const PlotSample& s) { return s.torque_percent; }), 0, 100, text);
  std::snprintf(text, sizeof(text), "%.1f deg", now.hanky_error_deg);
  plot("handkerchief phase error (deg)",
       plots.Series([](const PlotSample& s) { return s.hanky_error_deg; }), 0, 45, text);
  ImGui::End();
}

}  // namespace yangbot
