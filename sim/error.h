// The one exception type YangBOT throws for bad input (files, options, models).
// Thrown only while loading or configuring, never from the per-step loop.
#ifndef YANGBOT_SIM_ERROR_H_
#define YANGBOT_SIM_ERROR_H_

#include <stdexcept>
#include <string>
#include <string_view>

namespace yangbot {

/// A user-facing error; what() is a complete message, e.g. "file:3:7: error: ...".
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

/// Formats "file:line:col: error: message" (the compiler style every tool here uses).
std::string FormatFileError(std::string_view file, int line, int column, std::string_view message,
                            std::string_view severity = "error");

/// Reads a whole file; throws Error naming the file when it cannot be read.
/// "KEY VALUE is out of range (LO to HI)", the bounds written shortest (%g): the one wording
/// of a setting refused for its range.
std::string OutOfRangeMessage(const std::string& key, const std::string& value, double lo, double hi);

std::string ReadFileOrThrow(const std::string& path);

/// Writes a file atomically: a temporary file in the same folder, flushed, then renamed
/// over `path` (and the folder flushed). When `keep_backup` is set, an existing file is
/// first kept as `path.bak` (itself replaced atomically; no backup, no save). Throws Error
/// on failure and leaves any existing file intact; a crash at any point leaves either the
/// old or the new file at `path`, never a mix.
void WriteFileAtomic(const std::string& path, std::string_view contents, bool keep_backup = false);

/// Test seam: `hook` (if set) is called with the temporary file's path once it is written
/// and flushed and the backup is kept, just before the rename; tests kill the process or
/// throw there to interrupt a save at its worst moment. Pass nullptr to remove it.
void SetBeforeRenameHookForTesting(void (*hook)(const std::string& temp_path));

}  // namespace yangbot

#endif  // YANGBOT_SIM_ERROR_H_
