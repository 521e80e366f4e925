// Pass/fail limits on run metrics, written "METRIC OP NUMBER": `falls>0`,
// `min_separation_m<0.6`, `sync_error_deg_rms>2`. A threshold states when a run FAILS:
// `falls>0` fails a run in which any robot fell. `yangbot run --fail-on` takes them from
// the command line; a choreography file may carry them too (same syntax), which is why
// the parser lives here and not in tools/.
#ifndef YANGBOT_CHOREOGRAPHY_THRESHOLDS_H_
#define YANGBOT_CHOREOGRAPHY_THRESHOLDS_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace yangbot {

/// A comparison operator of a threshold.
enum class ThresholdOp { kLess, kLessEqual, kGreater, kGreaterEqual, kEqual };

/// The operator as written: "<", "<=", ">", ">=", "==".
const char* ThresholdOpText(ThresholdOp op);

/// One failure condition on a run metric.
struct Threshold {
  std::string metric;  ///< a top-level number of the run report, e.g. "falls"
  ThresholdOp op = ThresholdOp::kGreater;
  double limit = 0;  ///< in the metric's unit (the unit is in its name: _m, _deg, _ms)

  /// True when `value` meets the failure condition (`value OP limit`).
  bool FailsFor(double value) const;
  /// Canonical text, e.g. "falls>0", "min_separation_m<0.6".
  std::string ToString() const;
};

/// Parses "METRIC OP NUMBER" (spaces allowed around the parts). `metrics` are the names
/// the run reports; an unknown name is an error with a "did you mean" suggestion. An
/// empty `metrics` checks the syntax only (a show file's thresholds, whose names the run
/// checks against its report). On
/// error returns nullopt and sets `error` to a one-line message without a prefix, e.g.
/// "unknown metric 'fals' (did you mean 'falls'?)".
std::optional<Threshold> ParseThreshold(std::string_view text,
                                        const std::vector<std::string>& metrics,
                                        std::string* error);

}  // namespace yangbot

#endif  // YANGBOT_CHOREOGRAPHY_THRESHOLDS_H_
