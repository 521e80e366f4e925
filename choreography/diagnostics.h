// Problems found in a choreography file, each tied to a line and column, reported all
// at once in the compiler style "FILE:LINE:COL: error: message".
#ifndef YANGBOT_CHOREOGRAPHY_DIAGNOSTICS_H_
#define YANGBOT_CHOREOGRAPHY_DIAGNOSTICS_H_

#include <string>
#include <string_view>
#include <vector>

namespace yangbot {

/// A place in a source file: 1-based line and column; line 0 when unknown.
struct SourcePos {
  int line = 0;    ///< 1-based line, 0 = unknown
  int column = 0;  ///< 1-based column, 0 = unknown
};

/// How bad a problem is.
enum class Severity { kWarning, kError };

/// One problem in a file.
struct Diagnostic {
  Severity severity = Severity::kError;  ///< error or warning
  SourcePos pos;                         ///< where (unknown: reported at 1:1)
  std::string message;                   ///< one line, no trailing period
};

/// Collected problems, reported in file order.
class Diagnostics {
 public:
  /// Adds an error at `pos`.
  void Error(SourcePos pos, std::string message);
  /// Adds a warning at `pos`.
  void Warning(SourcePos pos, std::string message);
  /// True when at least one error was added.
  bool has_errors() const { return errors_ > 0; }
  /// Number of errors.
  int error_count() const { return errors_; }
  /// Number of warnings.
  int warning_count() const { return static_cast<int>(items_.size()) - errors_; }
  /// All problems in the order they were found.
  const std::vector<Diagnostic>& items() const { return items_; }
  /// One "FILE:LINE:COL: error: message" line per problem, sorted by position
  /// (stable), each ending in '\n'; duplicates (same position and message) once.
  std::string Format(std::string_view file) const;

 private:
  std::vector<Diagnostic> items_;
  int errors_ = 0;
};

/// The candidate closest to `word` by edit distance when it is close enough to be a
/// likely typo, else "".
std::string ClosestMatch(std::string_view word, const std::vector<std::string>& candidates);

/// " (did you mean 'x'?)" for the closest candidate, or "" when none is close.
std::string DidYouMean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace yangbot

#endif  // YANGBOT_CHOREOGRAPHY_DIAGNOSTICS_H_
