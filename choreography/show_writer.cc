#include "choreography/show_writer.h"

#include <cstdio>

namespace yangbot {
namespace {

bool NeedsQuotes(std::string_view s) {
  if (s.empty()) return true;
  if (s.front() == ' ' || s.back() == ' ') return true;
  // Indicators that may not start a plain scalar.
  static constexpr std::string_view kStart = "-?:,[]{}#&*!|>'\"%@`";
  if (kStart.find(s.front()) != std::string_view::npos) return true;
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7f) return true;
    if (c == ',' || c == '[' || c == ']' || c == '{' || c == '}') return true;  // flow context
    if (c == ':' && (i + 1 == s.size() || s[i + 1] == ' ')) return true;
    if (c == '#' && i > 0 && s[i - 1] == ' ') return true;
  }
  // Words YAML gives another meaning, and anything that looks like a number.
  static constexpr std::string_view kSpecial[] = {
      "true", "false", "yes",  "no",   "on",    "off",  "null", "True", "False", "Yes", "No",
      "On",   "Off",   "Null", "TRUE", "FALSE", "NULL", "~",    "y",    "n",     "Y",   "N"};
  for (std::string_view w : kSpecial) {
    if (s == w) return true;
  }
  if (ParseNumber(s) || (s.front() >= '0' && s.front() <= '9') || s.front() == '.') return true;
  return false;
}

class Writer {
 public:
  std::string Finish() { return std::move(out_); }

  void Blank() {
    if (!out_.empty() && !out_.ends_with("\n\n")) out_ += '\n';
  }

  void Before(int indent, const Comments& comments) {
    for (const std::string& line : comments.before) {
      out_.append(static_cast<size_t>(indent), ' ');
      out_ += line;
      out_ += '\n';
    }
  }

  // One "KEY: VALUE" line (or "KEY:" when value is empty) with its comments.
  void Line(int indent, std::string_view prefix, std::string_view text, const Comments* comments) {
    if (comments != nullptr) Before(indent, *comments);
    out_.append(static_cast<size_t>(indent), ' ');
    out_ += prefix;
    out_ += text;
    if (comments != nullptr && !comments->after.empty()) {
      out_ += "  ";
      out_ += comments->after;
    }
    out_ += '\n';
  }

  // A key of `src` with its value: comments come from src.key_comments.
  void Key(int indent, const SourceInfo& src, const std::string& key, std::string_view value) {
    const auto it = src.key_comments.find(key);
    const Comments* comments = it != src.key_comments.end() ? &it->second : nullptr;
    Line(indent, key + ":", value.empty() ? "" : " " + std::string(value), comments);
  }

  std::string out_;
};

std::string IntList(const std::vector<int>& values) {
  std::string text = "[";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) text += ", ";
    text += std::to_string(values[i]);
  }
  return text + "]";
}

std::string ParamText(const Param& p) {
  return p.is_number ? FormatQuantity(p.quantity) : YamlScalar(p.word);
}

void WriteParams(Writer* w, int indent, const std::vector<Param>& params) {
  for (const Param& p : params) {
    w->Line(indent, p.name + ": ", ParamText(p), &p.src.comments);
  }
}

void WriteTroupe(Writer* w, const Show& show) {
  const Troupe& t = show.troupe;
  const bool empty = !t.robots && t.model.empty() && t.start.empty() && t.groups.empty();
  w->Key(0, show.src, "troupe", empty ? "{}" : "");
  if (empty) return;
  if (t.robots) w->Key(2, t.src, "robots", std::to_string(*t.robots));
  if (!t.model.empty()) w->Key(2, t.src, "model", YamlScalar(t.model));
  if (!t.start.empty()) w->Key(2, t.src, "start", YamlScalar(t.start));
  if (t.groups.empty()) return;
  w->Key(2, t.src, "groups", "");
  for (const GroupDef& g : t.groups) {
    std::string value;
    if (g.rule.empty()) {
      value = IntList(g.robots);
    } else if (g.rule == "rows" || g.rule == "columns") {
      value = "{" + g.rule + ": " + IntList(g.numbers) + "}";
    } else {
      value = "{rule: " + YamlScalar(g.rule) + "}";
    }
    w->Line(4, g.name + ": ", value, &g.src.comments);
  }
}

void WriteFormations(Writer* w, const Show& show) {
  w->Key(0, show.src, "formations", show.formations.empty() ? "{}" : "");
  for (const FormationDef& f : show.formations) {
    w->Line(2, f.name + ":", "", &f.src.comments);
    if (!f.shape.empty()) w->Key(4, f.src, "shape", YamlScalar(f.shape));
    if (f.centre) {
      w->Key(4, f.src, "centre",
             "[" + FormatNumber((*f.centre)[0]) + ", " + FormatNumber((*f.centre)[1]) + "]");
    }
    WriteParams(w, 4, f.params);
    if (!f.slots.empty()) {
      w->Key(4, f.src, "slots", "");
      for (const Slot& s : f.slots) {
        std::string value = "[" + FormatNumber(s.x) + ", " + FormatNumber(s.y);
        if (s.has_facing) value += ", " + FormatNumber(s.facing);
        w->Line(6, "- ", value + "]", &s.src.comments);
      }
    }
  }
}

// Comments of an item's first line: its own, and those of the key written first when
// the source had that key on another line.
Comments FirstLine(const SourceInfo& src, const std::string& key) {
  Comments c = src.comments;
  const auto it = src.key_comments.find(key);
  if (it == src.key_comments.end()) return c;
  c.before.insert(c.before.end(), it->second.before.begin(), it->second.before.end());
  if (c.after.empty()) {
    c.after = it->second.after;
  } else if (!it->second.after.empty()) {
    c.before.push_back(it->second.after);
  }
  return c;
}

// `assign: METHOD`, or a mapping when robots keep to groups or are pinned.
void WriteAssign(Writer* w, const Cue& cue) {
  if (cue.keep_groups.empty() && cue.pins.empty()) {
    if (cue.assign.empty()) return;
    // A mapping that held only `by` becomes the short form; its comment goes along.
    Comments comments;
    if (const auto it = cue.src.key_comments.find("assign"); it != cue.src.key_comments.end()) {
      comments = it->second;
    }
    if (const auto it = cue.assign_src.key_comments.find("by");
        it != cue.assign_src.key_comments.end()) {
      comments.before.insert(comments.before.end(), it->second.before.begin(),
                             it->second.before.end());
      if (comments.after.empty()) comments.after = it->second.after;
    }
    w->Line(8, "assign: ", YamlScalar(cue.assign), &comments);
    return;
  }
  w->Key(8, cue.src, "assign", "");
  if (!cue.assign.empty()) w->Key(10, cue.assign_src, "by", YamlScalar(cue.assign));
  if (!cue.keep_groups.empty()) {
    std::string value = YamlScalar(cue.keep_groups[0]);
    if (cue.keep_groups.size() > 1) {
      value = "[" + value;
      for (size_t i = 1; i < cue.keep_groups.size(); ++i) value += ", " + YamlScalar(cue.keep_groups[i]);
      value += "]";
    }
    w->Key(10, cue.assign_src, "keep_groups", value);
  }
  if (!cue.pins.empty()) {
    std::string value = "{";
    for (size_t i = 0; i < cue.pins.size(); ++i) {
      if (i > 0) value += ", ";
      value += std::to_string(cue.pins[i].robot) + ": " + std::to_string(cue.pins[i].slot);
    }
    w->Key(10, cue.assign_src, "pin", value + "}");
  }
}

void WriteCue(Writer* w, const Cue& cue) {
  const char* kind = cue.kind == CueKind::kMove        ? "move"
                     : cue.kind == CueKind::kFormation ? "formation"
                                                       : "hanky";
  const Comments first = FirstLine(cue.src, kind);
  w->Line(6, std::string("- ") + kind + ": ", YamlScalar(cue.name), &first);
  if (!cue.who.empty()) {
    // Robot numbers bare, names as scalars; one entry without brackets.
    auto item = [](const std::string& who) { return ParseInteger(who) ? who : YamlScalar(who); };
    std::string value = item(cue.who[0]);
    if (cue.who.size() > 1) {
      value = "[" + value;
      for (size_t i = 1; i < cue.who.size(); ++i) value += ", " + item(cue.who[i]);
      value += "]";
    }
    w->Key(8, cue.src, "who", value);
  }
  if (cue.at) w->Key(8, cue.src, "at", cue.at->ToString());
  if (cue.beats) w->Key(8, cue.src, "beats", cue.beats->ToString());
  if (cue.canon) w->Key(8, cue.src, "canon", cue.canon->ToString());
  if (!cue.order.empty()) w->Key(8, cue.src, "order", YamlScalar(cue.order));
  WriteAssign(w, cue);
  if (cue.mirror) w->Key(8, cue.src, "mirror", "true");
  WriteParams(w, 8, cue.params);
}

void WriteTimeline(Writer* w, const Show& show) {
  w->Key(0, show.src, "timeline", show.timeline.empty() ? "[]" : "");
  bool first = true;
  for (const Section& section : show.timeline) {
    if (!first) w->Blank();
    first = false;
    const Comments first = FirstLine(section.src, "section");
    w->Line(2, "- section: ", YamlScalar(section.name), &first);
    w->Key(4, section.src, "at", std::to_string(section.at.bar) + ":" + section.at.beat.ToString());
    if (section.beats) w->Key(4, section.src, "beats", section.beats->ToString());
    w->Key(4, section.src, "cues", section.cues.empty() ? "[]" : "");
    for (const Cue& cue : section.cues) WriteCue(w, cue);
  }
}

}  // namespace

std::string YamlScalar(std::string_view text) {
  if (!NeedsQuotes(text)) return std::string(text);
  std::string out = "\"";
  for (char ch : text) {
    const unsigned char c = static_cast<unsigned char>(ch);
    switch (ch) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          char buffer[8];
          std::snprintf(buffer, sizeof(buffer), "\\x%02x", c);
          out += buffer;
        } else {
          out += ch;
        }
    }
  }
  return out + "\"";
}

std::string WriteShow(const Show& show) {
  Writer w;
  if (!show.title.empty()) w.Key(0, show.src, "title", YamlScalar(show.title));
  if (show.tempo) w.Key(0, show.src, "tempo", FormatNumber(*show.tempo));
  if (show.beats_per_bar) w.Key(0, show.src, "beats_per_bar", std::to_string(*show.beats_per_bar));
  if (show.offset) w.Key(0, show.src, "offset", FormatNumber(*show.offset));
  if (!show.music.empty()) w.Key(0, show.src, "music", YamlScalar(show.music));
  if (!show.thresholds.empty()) {
    w.Key(0, show.src, "thresholds", "");
    for (const ShowThreshold& t : show.thresholds) {
      w.Line(2, "- ", YamlScalar(t.threshold.ToString()), &t.src.comments);
    }
  }
  if (show.network) {
    w.Key(0, show.src, "network", show.network->settings.empty() ? "{}" : "");
    for (const auto& [key, value] : show.network->settings) w.Key(2, show.network->src, key, value);
  }
  if (show.localisation) {
    if (show.localisation->settings.empty()) {
      w.Key(0, show.src, "localisation", show.localisation->mode);
    } else {
      w.Key(0, show.src, "localisation", "");
      w.Key(2, show.localisation->src, "mode", show.localisation->mode);
      for (const auto& [key, value] : show.localisation->settings) {
        w.Key(2, show.localisation->src, key, value);
      }
    }
  }
  if (show.stage) {
    w.Key(0, show.src, "stage", "");
    w.Key(2, show.stage->src, "landmarks", show.stage->landmarks.empty() ? "[]" : "");
    for (const ShowLandmark& l : show.stage->landmarks) {
      std::string text = "{";
      for (const auto& [key, value] : l.fields) {
        text += (text.size() > 1 ? ", " : "") + key + ": " + value;
      }
      w.Line(4, "- ", text + "}", &l.src.comments);
    }
  }
  w.Blank();
  WriteTroupe(&w, show);
  w.Blank();
  WriteFormations(&w, show);
  w.Blank();
  WriteTimeline(&w, show);
  if (!show.end_comments.empty()) {
    w.Blank();
    for (const std::string& line : show.end_comments) w.Line(0, line, "", nullptr);
  }
  std::string text = w.Finish();
  if (text.starts_with("\n")) text.erase(0, 1);
  return text;
}

}  // namespace yangbot
