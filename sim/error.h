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
std::string ReadFileOrThrow(const std::string& path);

/// Writes a file atomically: a temporary file in the same folder, flushed, then renamed
/// over `path`. When `keep_backup` is set, an existing file is first kept as `path.bak`.
/// Throws Error on failure and leaves any existing file intact.
void WriteFileAtomic(const std::string& path, std::string_view contents, bool keep_backup = false);

}  // namespace yangbot

#endif  // YANGBOT_SIM_ERROR_H_
