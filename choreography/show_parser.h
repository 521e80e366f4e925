// Choreography YAML -> Show. Checks the structure (keys, types, units' syntax, value
// ranges that need no other part of the file); the meaning (groups, moves, timing,
// overlaps) is checked by the schedule (schedule.h). Comments are carried from the
// source lines to the elements they sit on, since yaml-cpp drops them.
#ifndef YANGBOT_CHOREOGRAPHY_SHOW_PARSER_H_
#define YANGBOT_CHOREOGRAPHY_SHOW_PARSER_H_

#include <string>
#include <string_view>
#include <vector>

#include "choreography/diagnostics.h"
#include "choreography/show.h"

namespace yangbot {

/// Largest choreography file read (bytes); larger files are an error, not parsed.
constexpr size_t kMaxShowFileBytes = 4 << 20;

/// Parses choreography text. Never throws on bad input: every problem goes to
/// `diagnostics` (all of them, not just the first) and the returned Show holds what
/// could be read.
Show ParseShow(std::string_view text, Diagnostics* diagnostics);

/// Reads and parses a file; a missing, unreadable or oversized file is a diagnostic
/// at 1:1 (the returned Show is then empty).
Show LoadShowFile(const std::string& path, Diagnostics* diagnostics);

/// Cue keys that are not move parameters (move, formation, hanky, who, at, beats, canon,
/// order, assign, mirror); every other key of a cue is a parameter, checked by the schedule.
const std::vector<std::string>& ReservedCueKeys();

}  // namespace yangbot

#endif  // YANGBOT_CHOREOGRAPHY_SHOW_PARSER_H_
