#include "choreography/show_parser.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <set>
#include <sstream>
#include <utility>

#include "controllers/localisation.h"
#include "sim/clock_sync.h"

namespace yangbot {
namespace {

constexpr size_t kMaxTextLength = 500;  // bytes in one scalar
constexpr int kMaxFlowDepth = 32;       // nested [ { levels
constexpr int kMaxIndent = 200;         // columns of block indentation
constexpr size_t kMaxItems = 100000;    // entries in one list or mapping

// ---- Comments from the source lines ---------------------------------------------------

// Per line: a whole-line comment, or code with an optional comment at its end.
struct LineInfo {
  bool comment_only = false;
  std::string comment;  // "# ..." without trailing spaces, or ""
};

std::string RightTrim(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.pop_back();
  return s;
}

LineInfo ScanLine(std::string_view line) {
  LineInfo info;
  size_t first = 0;
  while (first < line.size() && (line[first] == ' ' || line[first] == '\t')) ++first;
  if (first < line.size() && line[first] == '#') {
    info.comment_only = true;
    info.comment = RightTrim(std::string(line.substr(first)));
    return info;
  }
  // A comment starts at a '#' after white space, outside quoted scalars. A quote opens
  // a scalar only where a scalar may start (after white space or one of [{,).
  bool in_single = false, in_double = false;
  char previous = ' ';
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (in_double) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_double = false;
      }
    } else if (in_single) {
      if (c == '\'') in_single = false;  // '' re-opens on the next character
    } else if ((c == '"' || c == '\'') && (previous == ' ' || previous == '\t' || previous == '[' ||
                                           previous == '{' || previous == ',')) {
      (c == '"' ? in_double : in_single) = true;
    } else if (c == '#' && (previous == ' ' || previous == '\t')) {
      info.comment = RightTrim(std::string(line.substr(i)));
      return info;
    }
    previous = i < line.size() ? line[i] : ' ';
  }
  return info;
}

// Hands out the comments of the source in document order: each element takes the
// comment lines above it that no earlier element took, and the comment on its line.
class CommentIndex {
 public:
  explicit CommentIndex(std::string_view text) {
    size_t start = 0;
    while (start <= text.size()) {
      size_t end = text.find('\n', start);
      if (end == std::string_view::npos) end = text.size();
      lines_.push_back(ScanLine(text.substr(start, end - start)));
      start = end + 1;
    }
  }

  // Comments for an element whose first line is `line` (1-based).
  Comments Take(int line) {
    Comments out;
    if (line <= 0 || line > static_cast<int>(lines_.size())) return out;
    const int index = line - 1;
    if (index >= next_) {
      for (int i = next_; i < index; ++i) {
        if (!lines_[i].comment.empty()) out.before.push_back(lines_[i].comment);
      }
      next_ = index;
    }
    if (index == next_ && !lines_[index].comment_only) {
      out.after = lines_[index].comment;
      next_ = index + 1;
    }
    return out;
  }

  // Comments after the last element.
  std::vector<std::string> TakeRest() {
    std::vector<std::string> out;
    for (int i = next_; i < static_cast<int>(lines_.size()); ++i) {
      if (!lines_[i].comment.empty()) out.push_back(lines_[i].comment);
    }
    next_ = static_cast<int>(lines_.size());
    return out;
  }

 private:
  std::vector<LineInfo> lines_;
  int next_ = 0;  // 0-based index of the first line not yet handed out
};

// ---- Checks before yaml-cpp sees the text -------------------------------------------

// Binary data, bad UTF-8, and nesting deep enough to hurt a recursive parser.
bool PreCheck(std::string_view text, Diagnostics* diagnostics) {
  int line = 1, column = 1;
  int flow_depth = 0;
  bool line_start = true;
  int indent = 0;
  bool in_single = false, in_double = false, in_comment = false;
  char previous = ' ';
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++line;
      column = 1;
      line_start = true;
      indent = 0;
      in_comment = false;
      in_single = false;  // multi-line quoted scalars are rare; be conservative
      previous = ' ';
      continue;
    }
    if ((c < 0x20 && c != '\t' && c != '\r') || c == 0x7f) {
      diagnostics->Error({line, column}, "binary data (byte 0x" +
                                             std::string(1, "0123456789abcdef"[c >> 4]) +
                                             std::string(1, "0123456789abcdef"[c & 15]) +
                                             "): a choreography file is UTF-8 text");
      return false;
    }
    if (c >= 0x80) {
      // Validate one UTF-8 sequence.
      int extra = (c & 0xe0) == 0xc0 ? 1 : (c & 0xf0) == 0xe0 ? 2 : (c & 0xf8) == 0xf0 ? 3 : -1;
      bool ok = extra > 0 && i + extra < text.size() + 0 && c != 0xc0 && c != 0xc1 && c <= 0xf4;
      for (int k = 1; ok && k <= extra; ++k) {
        ok = i + k < text.size() && (static_cast<unsigned char>(text[i + k]) & 0xc0) == 0x80;
      }
      if (!ok) {
        diagnostics->Error({line, column}, "invalid UTF-8: a choreography file is UTF-8 text");
        return false;
      }
      i += extra;
      ++column;
      line_start = false;
      previous = 'a';
      continue;
    }
    if (line_start) {
      if (c == ' ') {
        if (++indent > kMaxIndent) {
          diagnostics->Error({line, column}, "indented more than " + std::to_string(kMaxIndent) +
                                                 " columns: nesting too deep");
          return false;
        }
      } else {
        line_start = false;
      }
    }
    if (!in_comment) {
      if (in_double) {
        if (c == '\\') {
          ++i;
          ++column;
        } else if (c == '"') {
          in_double = false;
        }
      } else if (in_single) {
        if (c == '\'') in_single = false;
      } else if (c == '#' && (previous == ' ' || previous == '\t' || column == 1)) {
        in_comment = true;
      } else if ((c == '"' || c == '\'') && (previous == ' ' || previous == '[' ||
                                             previous == '{' || previous == ',' || column == 1)) {
        (c == '"' ? in_double : in_single) = true;
      } else if (c == '[' || c == '{') {
        if (++flow_depth > kMaxFlowDepth) {
          diagnostics->Error({line, column}, "brackets nested more than " +
                                                 std::to_string(kMaxFlowDepth) +
                                                 " deep: nesting too deep");
          return false;
        }
      } else if ((c == ']' || c == '}') && flow_depth > 0) {
        --flow_depth;
      }
    }
    previous = static_cast<char>(c);
    ++column;
  }
  return true;
}

// ---- The parser ----------------------------------------------------------------------

SourcePos PosOf(const YAML::Node& node) {
  const YAML::Mark mark = node.Mark();
  if (mark.line < 0 || mark.column < 0) return {};
  return {mark.line + 1, mark.column + 1};
}

std::string Quote(std::string_view s) {
  if (s.size() > 40) return "'" + std::string(s.substr(0, 37)) + "...'";
  return "'" + std::string(s) + "'";
}

bool IsName(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z') || s[0] == '_')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

class Parser {
 public:
  Parser(std::string_view text, Diagnostics* diagnostics)
      : comments_(text), diagnostics_(diagnostics) {}

  Show Parse(const YAML::Node& root) {
    Show show;
    show.src.pos = PosOf(root);
    if (!root.IsMap()) {
      Error(root,
            "expected a choreography: a mapping with title, tempo, troupe, formations "
            "and timeline");
      return show;
    }
    ForEachKey(
        root, "the header",
        {"title", "tempo", "beats_per_bar", "offset", "music", "thresholds", "network",
         "localisation", "stage", "troupe", "formations", "timeline"},
        &show.src, [&](const std::string& key, const YAML::Node& value) {
          if (key == "title") {
            Text(value, key, &show.title);
          } else if (key == "tempo") {
            double bpm = 0;
            if (Number(value, key, "bpm", &bpm)) {
              if (bpm < 20 || bpm > 400) {
                Error(value, "tempo " + FormatNumber(bpm) + " bpm is out of range (20 to 400 bpm)");
              }
              show.tempo = bpm;
            }
          } else if (key == "beats_per_bar") {
            int n = 0;
            if (Integer(value, key, &n)) {
              if (n < 1 || n > 16) {
                Error(value, "beats_per_bar " + std::to_string(n) + " is out of range (1 to 16)");
              }
              show.beats_per_bar = n;
            }
          } else if (key == "offset") {
            double s = 0;
            if (Number(value, key, "s", &s)) {
              if (s < 0 || s > 3600) {
                Error(value, "offset " + FormatNumber(s) + " s is out of range (0 to 3600 s)");
              }
              show.offset = s;
            }
          } else if (key == "music") {
            Text(value, key, &show.music);
          } else if (key == "thresholds") {
            ParseThresholds(value, &show.thresholds);
          } else if (key == "network") {
            ParseNetwork(value, &show.network.emplace());
          } else if (key == "localisation") {
            ParseLocalisation(value, &show.localisation.emplace());
          } else if (key == "stage") {
            ParseStage(value, &show.stage.emplace());
          } else if (key == "troupe") {
            ParseTroupe(value, &show.troupe);
          } else if (key == "formations") {
            ParseFormations(value, &show.formations);
          } else if (key == "timeline") {
            ParseTimeline(value, &show.timeline);
          }
        });
    if (show.src.key_pos.count("tempo") == 0) {
      Error(SourcePos{1, 1}, "missing 'tempo' (beats per minute)");
    }
    if (show.src.key_pos.count("troupe") == 0) {
      Error(SourcePos{1, 1}, "missing 'troupe' (robots and groups)");
    }
    if (show.src.key_pos.count("formations") == 0) {
      Error(SourcePos{1, 1}, "missing 'formations' (at least the start formation)");
    }
    if (show.src.key_pos.count("timeline") == 0) {
      Error(SourcePos{1, 1}, "missing 'timeline' (the sections of the show)");
    }
    show.end_comments = comments_.TakeRest();
    return show;
  }

 private:
  void Error(const YAML::Node& at, std::string message) {
    diagnostics_->Error(PosOf(at), std::move(message));
  }
  void Error(SourcePos at, std::string message) { diagnostics_->Error(at, std::move(message)); }

  // Visits a mapping's keys in document order: takes their comments, reports
  // non-word and duplicate keys and (when `known` is non-empty and `other` is null)
  // unknown keys with a suggestion. `other` handles keys outside `known`.
  template <typename Handle>
  void ForEachKey(const YAML::Node& map, const std::string& where,
                  std::initializer_list<const char*> known, SourceInfo* src, Handle handle,
                  const std::function<void(const std::string&, const YAML::Node&, const YAML::Node&,
                                           const Comments&)>* other = nullptr) {
    std::vector<std::string> known_list(known.begin(), known.end());
    std::map<std::string, SourcePos> seen;
    size_t count = 0;
    for (auto it = map.begin(); it != map.end(); ++it) {
      if (++count > kMaxItems) {
        Error(map, "more than " + std::to_string(kMaxItems) + " keys in " + where);
        return;
      }
      const YAML::Node key = it->first;
      const YAML::Node value = it->second;
      const SourcePos key_pos = PosOf(key);
      Comments comments = comments_.Take(key_pos.line);
      if (!key.IsScalar()) {
        Error(key, "keys in " + where + " must be words");
        continue;
      }
      const std::string name = key.Scalar();
      if (auto [first, inserted] = seen.emplace(name, key_pos); !inserted) {
        Error(key, "duplicate key " + Quote(name) + " in " + where + " (first at line " +
                       std::to_string(first->second.line) + ")");
        continue;
      }
      const bool is_known =
          std::find(known_list.begin(), known_list.end(), name) != known_list.end();
      if (!is_known) {
        if (other != nullptr) {
          (*other)(name, key, value, comments);
        } else {
          Error(key, "unknown key " + Quote(name) + " in " + where + DidYouMean(name, known_list));
        }
        continue;
      }
      src->key_pos[name] = value.IsNull() ? key_pos : PosOf(value);
      if (!comments.empty()) src->key_comments[name] = std::move(comments);
      handle(name, value);
    }
  }

  bool Scalar(const YAML::Node& value, const std::string& key, const char* expected,
              std::string* out) {
    if (value.IsNull() || !value.IsScalar()) {
      Error(value, Quote(key) + " must be " + expected +
                       (value.IsNull() ? ", found nothing" : ", found a list or mapping"));
      return false;
    }
    if (value.Scalar().size() > kMaxTextLength) {
      Error(value,
            Quote(key) + " is longer than " + std::to_string(kMaxTextLength) + " characters");
      return false;
    }
    *out = value.Scalar();
    return true;
  }

  bool Text(const YAML::Node& value, const std::string& key, std::string* out) {
    return Scalar(value, key, "text", out);
  }

  bool Name(const YAML::Node& value, const std::string& key, std::string* out) {
    std::string text;
    if (!Scalar(value, key, "a name", &text)) return false;
    if (!IsName(text)) {
      Error(value, Quote(key) + " must be a name (letters, digits and _), found " + Quote(text));
      return false;
    }
    *out = text;
    return true;
  }

  // A number in a fixed unit: a bare number, or one followed by exactly that unit.
  bool Number(const YAML::Node& value, const std::string& key, const char* unit, double* out) {
    std::string text;
    if (!Scalar(value, key, "a number", &text)) return false;
    std::string_view body = text;
    const std::string suffix = std::string(" ") + unit;
    if (*unit != 0 && body.size() > suffix.size() && body.ends_with(suffix)) {
      body.remove_suffix(suffix.size());
    }
    const std::optional<double> number = ParseNumber(body);
    if (!number) {
      Error(value, Quote(key) + " must be a number" + (*unit ? std::string(" in ") + unit : "") +
                       ", found " + Quote(text));
      return false;
    }
    if (std::abs(*number) > 1e9) {
      Error(value, Quote(key) + " " + Quote(text) + " is too large");
      return false;
    }
    *out = *number;
    return true;
  }

  bool Integer(const YAML::Node& value, const std::string& key, int* out) {
    std::string text;
    if (!Scalar(value, key, "a whole number", &text)) return false;
    const std::optional<long long> number = ParseInteger(text);
    if (!number) {
      Error(value, Quote(key) + " must be a whole number, found " + Quote(text));
      return false;
    }
    *out = static_cast<int>(*number);
    return true;
  }

  bool BeatsValue(const YAML::Node& value, const std::string& key, Beats* out) {
    std::string text;
    if (!Scalar(value, key, "a number of beats", &text)) return false;
    std::string_view body = text;
    for (std::string_view suffix : {" beats", " beat"}) {
      if (body.size() > suffix.size() && body.ends_with(suffix)) {
        body.remove_suffix(suffix.size());
        break;
      }
    }
    const std::optional<Beats> beats = Beats::Parse(body);
    if (!beats) {
      Error(value,
            Quote(key) + " must be a number of beats such as 4, 2.5 or 1/2, found " + Quote(text));
      return false;
    }
    *out = *beats;
    return true;
  }

  bool Bool(const YAML::Node& value, const std::string& key, bool* out) {
    std::string text;
    if (!Scalar(value, key, "true or false", &text)) return false;
    if (text == "true" || text == "yes" || text == "on") {
      *out = true;
    } else if (text == "false" || text == "no" || text == "off") {
      *out = false;
    } else {
      Error(value, Quote(key) + " must be true or false, found " + Quote(text));
      return false;
    }
    return true;
  }

  // A flow or block list of numbers: [a, b] (sizes within [min_size, max_size]).
  bool NumberList(const YAML::Node& value, const std::string& key, size_t min_size, size_t max_size,
                  const char* unit, std::vector<double>* out) {
    if (!value.IsSequence() || value.size() < min_size || value.size() > max_size) {
      Error(value, Quote(key) + " must be a list of " + std::to_string(min_size) +
                       (max_size > min_size ? " or " + std::to_string(max_size) : "") + " numbers" +
                       (*unit ? std::string(" (") + unit + ")" : ""));
      return false;
    }
    bool ok = true;
    for (size_t i = 0; i < value.size(); ++i) {
      double x = 0;
      ok = Number(value[i], key, unit, &x) && ok;
      out->push_back(x);
    }
    return ok;
  }

  bool IntegerList(const YAML::Node& value, const std::string& key, std::vector<int>* out) {
    if (!value.IsSequence() || value.size() == 0) {
      Error(value, Quote(key) + " must be a list of whole numbers such as [1, 2, 3]");
      return false;
    }
    if (value.size() > kMaxItems) {
      Error(value, Quote(key) + " has more than " + std::to_string(kMaxItems) + " entries");
      return false;
    }
    bool ok = true;
    for (size_t i = 0; i < value.size(); ++i) {
      int n = 0;
      if (Integer(value[i], key, &n)) {
        out->push_back(n);
      } else {
        ok = false;
      }
    }
    return ok;
  }

  // ---- thresholds ----

  using SettingVisitor = std::function<void(const std::string&, const YAML::Node&,
                                             const YAML::Node&, const Comments&)>;

  // A visitor for ForEachKey over a block of numeric KEY: VALUE settings: `check` (key,
  // value text) returns why a setting is refused (empty: accepted; "unknown..." is blamed
  // on the key, anything else on the value); accepted settings go to `settings` in file
  // order, with their positions and comments in `src`.
  SettingVisitor NumericSettings(
      const std::string& block,
      std::function<std::string(const std::string&, const std::string&)> check, SourceInfo* src,
      std::vector<std::pair<std::string, std::string>>* settings) {
    return [this, block, check = std::move(check), src, settings](
               const std::string& name, const YAML::Node& key, const YAML::Node& value,
               const Comments& comments) {
      std::string text;
      if (!Scalar(value, name, "a number", &text)) return;
      const std::string why = check(name, text);
      if (!why.empty()) {
        Error(why.starts_with("unknown") ? key : value, block + ": " + why);
        return;
      }
      src->key_pos[name] = PosOf(value);
      if (!comments.empty()) src->key_comments[name] = comments;
      settings->push_back({name, text});
    };
  }

  // `network:` KEY: VALUE settings of NetworkOptions, each checked as --network checks it.
  void ParseNetwork(const YAML::Node& node, ShowNetwork* network) {
    network->src.pos = PosOf(node);
    if (!node.IsMap()) {
      Error(node, "'network' must be a mapping such as {latency_ms: 20, jitter_ms: 10, loss: 0.05}");
      return;
    }
    const SettingVisitor setting = NumericSettings(
        "network",
        [](const std::string& name, const std::string& text) {
          NetworkOptions options;
          return SetNetworkOption(&options, name, text);
        },
        &network->src, &network->settings);
    ForEachKey(node, "network", {}, &network->src, [](const std::string&, const YAML::Node&) {},
               &setting);
  }

  // `localisation: lidar` / `perfect`, or {mode: lidar, KEY: VALUE...} with lidar settings.
  void ParseLocalisation(const YAML::Node& node, ShowLocalisation* localisation) {
    localisation->src.pos = PosOf(node);
    auto mode = [&](const YAML::Node& value) {
      std::string text;
      if (!Scalar(value, "localisation", "lidar or perfect", &text)) return;
      LocalisationMode parsed;
      if (!ParseLocalisationMode(text, &parsed)) {
        Error(value, "localisation must be lidar or perfect, found " + Quote(text));
        return;
      }
      localisation->mode = text;
    };
    if (node.IsScalar()) return mode(node);
    if (!node.IsMap()) {
      Error(node, "'localisation' must be lidar, perfect or a mapping such as {mode: lidar, "
                  "rays: 180}");
      return;
    }
    const SettingVisitor setting = NumericSettings(
        "localisation",
        [](const std::string& name, const std::string& text) {
          LocalisationOptions options;
          return SetLocalisationOption(&options, name, text);
        },
        &localisation->src, &localisation->settings);
    ForEachKey(node, "localisation", {"mode"}, &localisation->src,
               [&](const std::string&, const YAML::Node& value) { mode(value); }, &setting);
  }

  // [x, y] in metres.
  bool Point(const YAML::Node& value, const std::string& key, double* x, double* y,
             std::string* text) {
    if (!value.IsSequence() || value.size() != 2) {
      Error(value, Quote(key) + " must be [x, y] (m)");
      return false;
    }
    const bool ok = Number(value[0], key, "m", x) & Number(value[1], key, "m", y);
    if (ok && (std::abs(*x) > 1000 || std::abs(*y) > 1000)) {
      Error(value, Quote(key) + " is more than 1000 m from the centre of the stage");
      return false;
    }
    if (ok) *text = "[" + value[0].Scalar() + ", " + value[1].Scalar() + "]";
    return ok;
  }

  // `stage: {landmarks: [...]}`: walls {wall: NAME, from: [x, y], to: [x, y], height,
  // thickness}, pillars {pillar: NAME, at, radius, height}, set pieces {box: NAME, at,
  // size: [length, depth], height, facing}.
  void ParseStage(const YAML::Node& node, ShowStage* stage) {
    stage->src.pos = PosOf(node);
    if (!node.IsMap()) {
      Error(node, "'stage' must be a mapping such as {landmarks: [{pillar: p1, at: [6, 4]}]}");
      return;
    }
    ForEachKey(node, "stage", {"landmarks"}, &stage->src,
               [&](const std::string&, const YAML::Node& value) {
                 if (value.IsNull()) return;  // a bare stage
                 if (!value.IsSequence()) {
                   Error(value, "'landmarks' must be a list such as [{wall: back, from: [-7, -5], "
                                "to: [-7, 5]}, {pillar: p1, at: [6, 5]}]");
                   return;
                 }
                 for (size_t i = 0; i < value.size() && i < kMaxItems; ++i) {
                   ShowLandmark landmark;
                   if (ParseLandmark(value[i], &landmark)) {
                     for (const ShowLandmark& other : stage->landmarks) {
                       if (other.landmark.name == landmark.landmark.name) {
                         Error(value[i], "a second landmark named " +
                                             Quote(landmark.landmark.name) + " (first at line " +
                                             std::to_string(other.src.pos.line) + ")");
                       }
                     }
                     stage->landmarks.push_back(std::move(landmark));
                   }
                 }
               });
  }

  bool ParseLandmark(const YAML::Node& item, ShowLandmark* out) {
    out->src.pos = PosOf(item);
    out->src.comments = comments_.Take(out->src.pos.line);
    Landmark& l = out->landmark;
    if (!item.IsMap()) {
      Error(item, "a landmark must be a mapping: {wall: NAME, from: [x, y], to: [x, y]}, "
                  "{pillar: NAME, at: [x, y]} or {box: NAME, at: [x, y], size: [l, w]}");
      return false;
    }
    int kinds = 0;
    for (const char* kind : {"wall", "pillar", "box"}) {
      if (item[kind]) {
        ++kinds;
        l.kind = std::string(kind) == "wall"     ? Landmark::Kind::kWall
                 : std::string(kind) == "pillar" ? Landmark::Kind::kPillar
                                                 : Landmark::Kind::kBox;
      }
    }
    if (kinds != 1) {
      Error(item, "a landmark needs exactly one of wall: NAME, pillar: NAME or box: NAME");
      return false;
    }
    const std::string kind = LandmarkKindName(l.kind);
    std::vector<const char*> known = {"wall", "pillar", "box", "height"};
    if (l.kind == Landmark::Kind::kWall) {
      known.insert(known.end(), {"from", "to", "thickness"});
      l.width = 0.2;
      l.height = 3;
    } else if (l.kind == Landmark::Kind::kPillar) {
      known.insert(known.end(), {"at", "radius"});
      l.height = 3;
    } else {
      known.insert(known.end(), {"at", "size", "facing"});
      l.height = 2.2;
    }
    bool ok = true;
    double ax = 0, ay = 0, bx = 0, by = 0;
    std::set<std::string> given;
    auto positive = [&](const YAML::Node& value, const std::string& key, double lo, double hi,
                        double* out_value) {
      if (!Number(value, key, "m", out_value)) return false;
      if (*out_value < lo || *out_value > hi) {
        Error(value, Quote(key) + " " + FormatNumber(*out_value) + " m is out of range (" +
                         FormatNumber(lo) + " to " + FormatNumber(hi) + " m)");
        return false;
      }
      return true;
    };
    for (auto it = item.begin(); it != item.end(); ++it) {
      const YAML::Node key = it->first, value = it->second;
      const std::string name = key.IsScalar() ? key.Scalar() : "";
      if (std::find_if(known.begin(), known.end(), [&](const char* k) { return name == k; }) ==
          known.end()) {
        Error(key, "unknown key " + Quote(name) + " in a " + kind + " landmark" +
                       DidYouMean(name, std::vector<std::string>(known.begin(), known.end())));
        ok = false;
        continue;
      }
      given.insert(name);
      std::string text = value.IsScalar() ? value.Scalar() : "";
      out->src.key_pos[name] = PosOf(value);
      if (name == kind) {
        ok = Name(value, name, &l.name) && ok;
      } else if (name == "from") {
        ok = Point(value, name, &ax, &ay, &text) && ok;
      } else if (name == "to") {
        ok = Point(value, name, &bx, &by, &text) && ok;
      } else if (name == "at") {
        ok = Point(value, name, &l.x, &l.y, &text) && ok;
      } else if (name == "size") {
        if (!value.IsSequence() || value.size() != 2) {
          Error(value, "'size' must be [length, depth] (m)");
          ok = false;
        } else {
          ok = positive(value[0], "size", 0.05, 100, &l.length) &
                   positive(value[1], "size", 0.05, 100, &l.width) &&
               ok;
          text = "[" + value[0].Scalar() + ", " + value[1].Scalar() + "]";
        }
      } else if (name == "height") {
        ok = positive(value, name, 0.1, 30, &l.height) && ok;
      } else if (name == "thickness") {
        ok = positive(value, name, 0.01, 10, &l.width) && ok;
      } else if (name == "radius") {
        ok = positive(value, name, 0.02, 20, &l.radius) && ok;
      } else if (name == "facing") {
        double deg = 0;
        ok = Number(value, name, "deg", &deg) && ok;
        l.yaw = deg * M_PI / 180;
      }
      out->fields.push_back({name, text});
    }
    const std::vector<const char*> required =
        l.kind == Landmark::Kind::kWall     ? std::vector<const char*>{"from", "to"}
        : l.kind == Landmark::Kind::kPillar ? std::vector<const char*>{"at"}
                                            : std::vector<const char*>{"at", "size"};
    for (const char* key : required) {
      if (given.count(key) == 0) {
        Error(item, "the " + kind + " landmark " + Quote(l.name) + " needs '" + key + "'");
        ok = false;
      }
    }
    if (ok && l.kind == Landmark::Kind::kWall) {
      l.x = 0.5 * (ax + bx);
      l.y = 0.5 * (ay + by);
      l.yaw = std::atan2(by - ay, bx - ax);
      l.length = std::hypot(bx - ax, by - ay);
      if (l.length < 0.05) {
        Error(item, "the wall " + Quote(l.name) + " is shorter than 5 cm: 'from' and 'to' meet");
        ok = false;
      }
    }
    return ok;
  }

  void ParseThresholds(const YAML::Node& node, std::vector<ShowThreshold>* thresholds) {
    if (!node.IsSequence()) {
      Error(node, "'thresholds' must be a list of conditions such as \"falls>0\" or "
                  "\"min_separation_m<0.6\"");
      return;
    }
    if (node.size() > kMaxItems) {
      Error(node, "'thresholds' has more than " + std::to_string(kMaxItems) + " entries");
      return;
    }
    for (size_t i = 0; i < node.size(); ++i) {
      const YAML::Node item = node[i];
      ShowThreshold t;
      t.src.pos = PosOf(item);
      t.src.comments = comments_.Take(t.src.pos.line);
      std::string text;
      if (!Scalar(item, "thresholds", "a condition such as \"falls>0\"", &text)) continue;
      // The metric is any name here: which metrics exist is up to the run that reads them.
      size_t end = 0;
      while (end < text.size() && text[end] == ' ') ++end;
      const size_t begin = end;
      while (end < text.size() && (std::isalnum(static_cast<unsigned char>(text[end])) ||
                                   text[end] == '_')) {
        ++end;
      }
      const std::string metric = text.substr(begin, end - begin);
      std::string error;
      std::optional<Threshold> parsed;
      if (!metric.empty() && !IsName(metric)) {
        error = "the metric " + Quote(metric) + " must be a name (letters, digits and _)";
      } else {
        parsed = ParseThreshold(text, {metric}, &error);
      }
      if (!parsed) {
        Error(item, "threshold " + Quote(text) + ": " + error);
        continue;
      }
      t.threshold = *parsed;
      thresholds->push_back(std::move(t));
    }
  }

  // ---- troupe ----

  void ParseTroupe(const YAML::Node& node, Troupe* troupe) {
    troupe->src.pos = PosOf(node);
    if (!node.IsMap()) {
      Error(node, "'troupe' must be a mapping with robots, model, start and groups");
      return;
    }
    ForEachKey(node, "troupe", {"robots", "model", "start", "groups"}, &troupe->src,
               [&](const std::string& key, const YAML::Node& value) {
                 if (key == "robots") {
                   int n = 0;
                   if (Integer(value, key, &n)) troupe->robots = n;
                 } else if (key == "model") {
                   Text(value, key, &troupe->model);
                 } else if (key == "start") {
                   Name(value, key, &troupe->start);
                 } else if (key == "groups") {
                   ParseGroups(value, &troupe->groups);
                 }
               });
    if (!troupe->robots) Error(node, "missing 'robots' in troupe (how many robots dance)");
  }

  void ParseGroups(const YAML::Node& node, std::vector<GroupDef>* groups) {
    if (!node.IsMap()) {
      Error(node, "'groups' must be a mapping of group names to robot lists or rules");
      return;
    }
    SourceInfo unused;
    std::function<void(const std::string&, const YAML::Node&, const YAML::Node&, const Comments&)>
        each = [&](const std::string& name, const YAML::Node& key, const YAML::Node& value,
                   const Comments& comments) {
          GroupDef group;
          group.name = name;
          group.src.pos = PosOf(key);
          group.src.comments = comments;
          if (!IsName(name)) {
            Error(key, "group name " + Quote(name) + " must be letters, digits and _");
          }
          if (value.IsSequence()) {
            IntegerList(value, name, &group.robots);
          } else if (value.IsMap()) {
            ForEachKey(value, "group " + Quote(name), {"rule", "rows", "columns"}, &group.src,
                       [&](const std::string& k, const YAML::Node& v) {
                         if (k == "rule") {
                           Name(v, k, &group.rule);
                         } else {
                           if (!group.rule.empty() && group.rule != k) {
                             Error(v, "group " + Quote(name) + " has both 'rule' and " + Quote(k));
                           }
                           group.rule = k;
                           IntegerList(v, k, &group.numbers);
                         }
                       });
            if (group.rule.empty()) {
              Error(value, "group " + Quote(name) +
                               " needs a 'rule' (odd, even, front, back, "
                               "left_half, right_half), 'rows' or 'columns'");
            }
          } else {
            Error(value, "group " + Quote(name) +
                             " must be a list of robots such as [1, 2, 3] or a rule such as "
                             "{rule: odd}");
          }
          groups->push_back(std::move(group));
        };
    ForEachKey(
        node, "groups", {}, &unused, [](const std::string&, const YAML::Node&) {}, &each);
  }

  // ---- formations ----

  void ParseFormations(const YAML::Node& node, std::vector<FormationDef>* formations) {
    if (!node.IsMap()) {
      Error(node, "'formations' must be a mapping of formation names to shapes or slots");
      return;
    }
    SourceInfo unused;
    std::function<void(const std::string&, const YAML::Node&, const YAML::Node&, const Comments&)>
        each = [&](const std::string& name, const YAML::Node& key, const YAML::Node& value,
                   const Comments& comments) {
          FormationDef formation;
          formation.name = name;
          formation.src.pos = PosOf(key);
          formation.src.comments = comments;
          if (!IsName(name)) {
            Error(key, "formation name " + Quote(name) + " must be letters, digits and _");
          }
          ParseFormation(value, &formation);
          formations->push_back(std::move(formation));
        };
    ForEachKey(
        node, "formations", {}, &unused, [](const std::string&, const YAML::Node&) {}, &each);
  }

  void ParseFormation(const YAML::Node& node, FormationDef* formation) {
    const std::string where = "formation " + Quote(formation->name);
    if (!node.IsMap()) {
      Error(node, where + " must be a mapping with a 'shape' or 'slots'");
      return;
    }
    std::function<void(const std::string&, const YAML::Node&, const YAML::Node&, const Comments&)>
        param = [&](const std::string& name, const YAML::Node& key, const YAML::Node& value,
                    const Comments& comments) {
          Param p;
          if (ParseParam(name, key, value, comments, &p)) formation->params.push_back(std::move(p));
        };
    ForEachKey(
        node, where, {"shape", "centre", "slots"}, &formation->src,
        [&](const std::string& key, const YAML::Node& value) {
          if (key == "shape") {
            Name(value, key, &formation->shape);
          } else if (key == "centre") {
            std::vector<double> xy;
            if (NumberList(value, key, 2, 2, "m", &xy)) formation->centre = {xy[0], xy[1]};
          } else if (key == "slots") {
            ParseSlots(value, formation);
          }
        },
        &param);
    const bool has_slots = formation->src.key_pos.count("slots") > 0;
    if (formation->shape.empty() && !has_slots && formation->src.key_pos.count("shape") == 0) {
      Error(node, where +
                      " needs a 'shape' (grid, line, column, circle, arc, v, diamond, "
                      "two_columns) or written-out 'slots'");
    }
    if (!formation->shape.empty() && has_slots) {
      Error(formation->src.At("slots"), where + " has both a 'shape' and 'slots'; keep one");
    }
  }

  void ParseSlots(const YAML::Node& node, FormationDef* formation) {
    if (!node.IsSequence() || node.size() == 0) {
      Error(node, "'slots' must be a list of [x, y] or [x, y, facing] (m, m, deg)");
      return;
    }
    if (node.size() > kMaxItems) {
      Error(node, "'slots' has more than " + std::to_string(kMaxItems) + " entries");
      return;
    }
    for (size_t i = 0; i < node.size(); ++i) {
      const YAML::Node item = node[i];
      Slot slot;
      slot.src.pos = PosOf(item);
      slot.src.comments = comments_.Take(slot.src.pos.line);
      std::vector<double> values;
      if (!item.IsSequence() || item.size() < 2 || item.size() > 3) {
        Error(item, "a slot must be [x, y] or [x, y, facing] (m, m, deg)");
        continue;
      }
      bool ok = true;
      for (size_t k = 0; k < item.size(); ++k) {
        double v = 0;
        ok = Number(item[k], k == 2 ? "facing" : (k == 0 ? "x" : "y"), k == 2 ? "deg" : "m", &v) &&
             ok;
        values.push_back(v);
      }
      if (!ok) continue;
      slot.x = values[0];
      slot.y = values[1];
      slot.has_facing = values.size() == 3;
      slot.facing = slot.has_facing ? values[2] : 0;
      formation->slots.push_back(std::move(slot));
    }
  }

  // A parameter value: "NUMBER [UNIT]" or a word.
  bool ParseParam(const std::string& name, const YAML::Node& key, const YAML::Node& value,
                  const Comments& comments, Param* p) {
    p->name = name;
    p->src.pos = value.IsNull() ? PosOf(key) : PosOf(value);
    p->src.comments = comments;
    if (!IsName(name)) {
      Error(key, "parameter name " + Quote(name) + " must be letters, digits and _");
      return false;
    }
    std::string text;
    if (!Scalar(value, name, "a number (with an optional unit) or a word", &text)) return false;
    size_t split = 0;
    while (split < text.size() && text[split] != ' ') ++split;
    if (const std::optional<double> number = ParseNumber(std::string_view(text).substr(0, split))) {
      if (std::abs(*number) > 1e9) {
        Error(value, Quote(name) + " " + Quote(text) + " is too large");
        return false;
      }
      p->is_number = true;
      p->quantity.value = *number;
      std::string unit = text.substr(split);
      while (!unit.empty() && unit.front() == ' ') unit.erase(0, 1);
      // Canonical spelling of a known unit; unknown units are reported by the schedule,
      // which knows what the parameter measures.
      for (Dimension d : {Dimension::kLength, Dimension::kAngle, Dimension::kBeats,
                          Dimension::kTime, Dimension::kSpinRate}) {
        std::string ignored;
        if (auto q = ParseQuantity("1 " + unit, d, &ignored)) {
          unit = q->unit;
          break;
        }
      }
      p->quantity.unit = unit;
    } else {
      if (text.empty() || text[0] == '-' || text[0] == '+' || text[0] == '.' ||
          (text[0] >= '0' && text[0] <= '9')) {
        Error(value, Quote(name) + " must be a number (with an optional unit) or a word, found " +
                         Quote(text));
        return false;
      }
      p->is_number = false;
      p->word = text;
    }
    return true;
  }

  // ---- timeline ----

  void ParseTimeline(const YAML::Node& node, std::vector<Section>* timeline) {
    if (node.IsNull()) return;
    if (!node.IsSequence()) {
      Error(node, "'timeline' must be a list of sections (- section: NAME)");
      return;
    }
    if (node.size() > kMaxItems) {
      Error(node, "'timeline' has more than " + std::to_string(kMaxItems) + " sections");
      return;
    }
    for (size_t i = 0; i < node.size(); ++i) {
      Section section;
      ParseSection(node[i], &section);
      timeline->push_back(std::move(section));
    }
  }

  void ParseSection(const YAML::Node& node, Section* section) {
    section->src.pos = PosOf(node);
    section->src.comments = comments_.Take(section->src.pos.line);
    if (!node.IsMap()) {
      Error(node, "a section must be a mapping: section, at, beats, cues");
      return;
    }
    ForEachKey(node, "a section", {"section", "at", "beats", "cues"}, &section->src,
               [&](const std::string& key, const YAML::Node& value) {
                 if (key == "section") {
                   Text(value, key, &section->name);
                 } else if (key == "at") {
                   ParseBarBeat(value, &section->at);
                 } else if (key == "beats") {
                   Beats b;
                   if (BeatsValue(value, key, &b)) section->beats = b;
                 } else if (key == "cues") {
                   ParseCues(value, section);
                 }
               });
    if (section->src.key_pos.count("section") == 0) {
      Error(node, "a section needs a name ('section: NAME')");
    }
    if (section->src.key_pos.count("at") == 0) {
      Error(node, "section needs 'at: BAR:BEAT' (where it starts, e.g. 1:1)");
    }
    if (section->src.key_pos.count("beats") == 0) {
      Error(node, "section needs 'beats' (its length in beats)");
    }
  }

  void ParseBarBeat(const YAML::Node& value, BarBeat* at) {
    std::string text;
    if (!Scalar(value, "at", "BAR:BEAT such as 5:1", &text)) return;
    const size_t colon = text.find(':');
    std::optional<long long> bar;
    std::optional<Beats> beat;
    if (colon != std::string::npos) {
      bar = ParseInteger(std::string_view(text).substr(0, colon));
      beat = Beats::Parse(std::string_view(text).substr(colon + 1));
    }
    if (!bar || !beat) {
      Error(value, "'at' must be BAR:BEAT such as 5:1 or 5:2.5, found " + Quote(text));
      return;
    }
    if (*bar < 1 || *bar > 100000) {
      Error(value, "bar " + std::to_string(*bar) + " is out of range (bars count from 1)");
      return;
    }
    if (*beat < Beats(1)) {
      Error(value, "beat " + beat->ToString() + " is out of range (beats in a bar count from 1)");
      return;
    }
    at->bar = static_cast<int>(*bar);
    at->beat = *beat;
  }

  void ParseCues(const YAML::Node& node, Section* section) {
    if (node.IsNull()) return;
    if (!node.IsSequence()) {
      Error(node,
            "'cues' must be a list of cues (- move: NAME, - formation: NAME, - hanky: ACTION)");
      return;
    }
    if (node.size() > kMaxItems) {
      Error(node, "'cues' has more than " + std::to_string(kMaxItems) + " entries");
      return;
    }
    for (size_t i = 0; i < node.size(); ++i) {
      Cue cue;
      ParseCue(node[i], &cue);
      section->cues.push_back(std::move(cue));
    }
  }

  void ParseCue(const YAML::Node& node, Cue* cue) {
    cue->src.pos = PosOf(node);
    cue->src.comments = comments_.Take(cue->src.pos.line);
    if (!node.IsMap()) {
      Error(node, "a cue must be a mapping such as {move: cross_step, who: all}");
      return;
    }
    int kinds = 0;
    std::function<void(const std::string&, const YAML::Node&, const YAML::Node&, const Comments&)>
        param = [&](const std::string& name, const YAML::Node& key, const YAML::Node& value,
                    const Comments& comments) {
          Param p;
          if (ParseParam(name, key, value, comments, &p)) cue->params.push_back(std::move(p));
        };
    ForEachKey(
        node, "a cue",
        {"move", "formation", "hanky", "who", "at", "beats", "canon", "order", "assign", "mirror"},
        &cue->src,
        [&](const std::string& key, const YAML::Node& value) {
          if (key == "move" || key == "formation" || key == "hanky") {
            if (++kinds > 1) {
              Error(value, "a cue has one of 'move', 'formation' or 'hanky', not several");
              return;
            }
            cue->kind = key == "move"        ? CueKind::kMove
                        : key == "formation" ? CueKind::kFormation
                                             : CueKind::kHanky;
            Name(value, key, &cue->name);
          } else if (key == "who") {
            ParseWho(value, cue);
          } else if (key == "at") {
            Beats b;
            if (BeatsValue(value, key, &b)) cue->at = b;
          } else if (key == "beats") {
            Beats b;
            if (BeatsValue(value, key, &b)) cue->beats = b;
          } else if (key == "canon") {
            Beats b;
            if (BeatsValue(value, key, &b)) cue->canon = b;
          } else if (key == "order") {
            Name(value, key, &cue->order);
          } else if (key == "assign") {
            ParseAssign(value, cue);
          } else if (key == "mirror") {
            Bool(value, key, &cue->mirror);
          }
        },
        &param);
    if (kinds == 0) {
      Error(node, "a cue needs 'move: NAME', 'formation: NAME' or 'hanky: spin|flick'");
    }
  }

  // `assign: METHOD` or `assign: {by: METHOD, keep_groups: [...], pin: {ROBOT: SLOT}}`.
  void ParseAssign(const YAML::Node& value, Cue* cue) {
    if (!value.IsMap()) {
      Name(value, "assign", &cue->assign);
      return;
    }
    cue->assign_src.pos = PosOf(value);
    ForEachKey(value, "'assign'", {"by", "keep_groups", "pin"}, &cue->assign_src,
               [&](const std::string& key, const YAML::Node& v) {
                 if (key == "by") {
                   Name(v, key, &cue->assign);
                 } else if (key == "keep_groups") {
                   auto add = [&](const YAML::Node& item) {
                     std::string name;
                     if (Name(item, key, &name)) {
                       cue->keep_groups.push_back(name);
                       cue->keep_groups_pos.push_back(PosOf(item));
                     }
                   };
                   if (v.IsSequence()) {
                     if (v.size() == 0 || v.size() > kMaxItems) {
                       Error(v, "'keep_groups' must list at least one group");
                       return;
                     }
                     for (size_t i = 0; i < v.size(); ++i) add(v[i]);
                   } else {
                     add(v);
                   }
                 } else if (key == "pin") {
                   if (!v.IsMap() || v.size() == 0) {
                     Error(v, "'pin' must map robots to slots, such as {1: 4, 16: 13}");
                     return;
                   }
                   size_t count = 0;
                   for (auto it = v.begin(); it != v.end(); ++it) {
                     if (++count > kMaxItems) break;
                     SlotPin pin;
                     pin.pos = PosOf(it->first);
                     if (Integer(it->first, "pin", &pin.robot) &&
                         Integer(it->second, "pin", &pin.slot)) {
                       cue->pins.push_back(pin);
                     }
                   }
                 }
               });
  }

  void ParseWho(const YAML::Node& value, Cue* cue) {
    auto add = [&](const YAML::Node& item) {
      std::string text;
      if (!Scalar(item, "who", "a group name or a robot number", &text)) return;
      if (!IsName(text) && !ParseInteger(text)) {
        Error(item, "'who' entries must be group names or robot numbers, found " + Quote(text));
        return;
      }
      cue->who.push_back(text);
      cue->who_pos.push_back(PosOf(item));
    };
    if (value.IsSequence()) {
      if (value.size() == 0 || value.size() > kMaxItems) {
        Error(value, "'who' must list at least one group or robot");
        return;
      }
      for (size_t i = 0; i < value.size(); ++i) add(value[i]);
    } else {
      add(value);
    }
  }

  CommentIndex comments_;
  Diagnostics* diagnostics_;
};

}  // namespace

const std::vector<std::string>& ReservedCueKeys() {
  static const std::vector<std::string> keys = {"move",  "formation", "hanky", "who",    "at",
                                                "beats", "canon",     "order", "assign", "mirror"};
  return keys;
}

namespace {

// Remembers where a document starts and whether it is a lone null (all yaml-cpp emits for
// a document it cannot start).
class DocumentProbe : public YAML::EventHandler {
 public:
  void Reset() {
    events_ = 0;
    lone_null_ = false;
  }
  bool lone_null() const { return events_ == 1 && lone_null_; }
  const YAML::Mark& mark() const { return mark_; }

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override {
    if (Event(mark)) lone_null_ = true;
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { Event(mark); }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                const std::string&) override {
    Event(mark);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    Event(mark);
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    Event(mark);
  }
  void OnMapEnd() override {}

 private:
  // Counts a node event; true for the document's first.
  bool Event(const YAML::Mark& mark) {
    if (events_++ == 0) mark_ = mark;
    return events_ == 1;
  }
  int events_ = 0;
  bool lone_null_ = false;
  YAML::Mark mark_;
};

}  // namespace

std::vector<YAML::Node> LoadYamlDocuments(const std::string& text) {
  // A first pass over the events only: a lone null document followed by another at the
  // same place means the parser consumes nothing and would go on forever.
  {
    std::istringstream in(text);
    YAML::Parser parser(in);
    DocumentProbe probe;
    bool previous_lone_null = false;
    int previous_pos = -1;
    for (;;) {
      probe.Reset();
      if (!parser.HandleNextDocument(probe)) break;
      const bool stuck =
          probe.lone_null() && previous_lone_null && probe.mark().pos == previous_pos;
      if (stuck) {
        const size_t pos = static_cast<size_t>(std::max(probe.mark().pos, 0));
        const std::string what = pos < text.size() ? "'" + text.substr(pos, 1) + "'" : "text";
        throw YAML::ParserException(probe.mark(), "unexpected " + what + " where a value or a "
                                                  "key was expected");
      }
      previous_lone_null = probe.lone_null();
      previous_pos = probe.mark().pos;
    }
  }
  return YAML::LoadAll(text);
}

Show ParseShow(std::string_view text, Diagnostics* diagnostics) {
  if (text.size() > kMaxShowFileBytes) {
    diagnostics->Error({1, 1}, "file is " + std::to_string(text.size()) + " bytes, more than the " +
                                   std::to_string(kMaxShowFileBytes) + " a choreography may have");
    return {};
  }
  if (!PreCheck(text, diagnostics)) return {};
  std::vector<YAML::Node> documents;
  try {
    documents = LoadYamlDocuments(std::string(text));
  } catch (const YAML::Exception& e) {
    const int line = e.mark.line >= 0 ? e.mark.line + 1 : 1;
    const int column = e.mark.column >= 0 ? e.mark.column + 1 : 1;
    diagnostics->Error({line, column}, "YAML syntax: " + e.msg);
    return {};
  } catch (const std::exception& e) {
    diagnostics->Error({1, 1}, std::string("YAML syntax: ") + e.what());
    return {};
  }
  if (documents.empty() || documents[0].IsNull()) {
    diagnostics->Error({1, 1},
                       "empty file: expected a choreography (title, tempo, troupe, "
                       "formations, timeline)");
    return {};
  }
  if (documents.size() > 1) {
    diagnostics->Error(PosOf(documents[1]),
                       "more than one YAML document ('---'); a "
                       "choreography file holds one");
  }
  try {
    Parser parser(text, diagnostics);
    return parser.Parse(documents[0]);
  } catch (const YAML::Exception& e) {
    // Conversions above are all checked; this is a last guard against surprises.
    diagnostics->Error({std::max(e.mark.line + 1, 1), std::max(e.mark.column + 1, 1)},
                       "YAML: " + e.msg);
    return {};
  } catch (const std::exception& e) {
    diagnostics->Error({1, 1}, std::string("internal error while reading: ") + e.what());
    return {};
  }
}

Show LoadShowFile(const std::string& path, Diagnostics* diagnostics) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) {
    diagnostics->Error({1, 1}, "cannot read file: " + ec.message());
    return {};
  }
  if (size > kMaxShowFileBytes) {
    diagnostics->Error({1, 1}, "file is " + std::to_string(size) + " bytes, more than the " +
                                   std::to_string(kMaxShowFileBytes) + " a choreography may have");
    return {};
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    diagnostics->Error({1, 1}, "cannot read file");
    return {};
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return ParseShow(buffer.str(), diagnostics);
}

}  // namespace yangbot
