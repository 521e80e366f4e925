// Choreography YAML -> Show. Checks the structure (keys, types, units' syntax, value
// ranges that need no other part of the file); the meaning (groups, moves, timing,
// overlaps) is checked by the schedule (schedule.h). Comments are carried from the
// source lines to the elements they sit on, since yaml-cpp drops them.
#ifndef YANGBOT_CHOREOGRAPHY_SHOW_PARSER_H_
#define YANGBOT_CHOREOGRAPHY_SHOW_PARSER_H_

#include <string>
#include <string_view>
#include <vector>
#include <yaml-cpp/node/node.h>

#include "choreography/diagnostics.h"
#include "choreography/show.h"

namespace yangbot {

/// Largest choreography file read (bytes); larger files are an error, not parsed.
constexpr size_t kMaxShowFileBytes = 4 << 20;

/// Parses choreography text. Never throws on bad input: every problem goes to
/// `diagnostics` (all of them, not just the first) and the returned Show holds what
/// could be read.
Show ParseShow(std::string_view text, Diagnostics* diagnostics);

/// Every YAML document of `text`, as YAML::LoadAll reads them, but always ending:
/// yaml-cpp 0.7's LoadAll (Debian 12) repeats an empty document forever, allocating, when
/// a token cannot start a document (jbeder/yaml-cpp#1040; found by tests/fuzz, e.g.
/// "  a: 1\n,b: 2"). That case throws YAML::ParserException at the token instead. Other
/// syntax errors throw as LoadAll throws them. Use this, never YAML::LoadAll, on user files.
std::vector<YAML::Node> LoadYamlDocuments(const std::string& text);

/// Reads and parses a file; a missing, unreadable or oversized file is a diagnostic
/// at 1:1 (the returned Show is then empty).
Show LoadShowFile(const std::string& path, Diagnostics* diagnostics);

/// Cue keys that are not move parameters (move, formation, hanky, who, at, beats, canon,
/// order, assign, mirror); every other key of a cue is a parameter, checked by the schedule.
const std::vector<std::string>& ReservedCueKeys();

}  // namespace yangbot

#endif  // YANGBOT_CHOREOGRAPHY_SHOW_PARSER_H_
