#include "choreography/thresholds.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "choreography/diagnostics.h"

namespace yangbot {
namespace {

std::string_view Trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

bool IsNameChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

}  // namespace

const char* ThresholdOpText(ThresholdOp op) {
  switch (op) {
    case ThresholdOp::kLess:
      return "<";
    case ThresholdOp::kLessEqual:
      return "<=";
    case ThresholdOp::kGreater:
      return ">";
    case ThresholdOp::kGreaterEqual:
      return ">=";
    case ThresholdOp::kEqual:
      return "==";
  }
  return "?";
}

bool Threshold::FailsFor(double value) const {
  switch (op) {
    case ThresholdOp::kLess:
      return value < limit;
    case ThresholdOp::kLessEqual:
      return value <= limit;
    case ThresholdOp::kGreater:
      return value > limit;
    case ThresholdOp::kGreaterEqual:
      return value >= limit;
    case ThresholdOp::kEqual:
      return value == limit;
  }
  return false;
}

std::string Threshold::ToString() const {
  char number[32];
  std::snprintf(number, sizeof(number), "%.17g", limit);
  // Shortest text that reads back to the same double.
  for (int digits = 1; digits <= 17; ++digits) {
    char shorter[32];
    std::snprintf(shorter, sizeof(shorter), "%.*g", digits, limit);
    if (std::strtod(shorter, nullptr) == limit) {
      std::snprintf(number, sizeof(number), "%s", shorter);
      break;
    }
  }
  return metric + ThresholdOpText(op) + number;
}

std::optional<Threshold> ParseThreshold(std::string_view text,
                                        const std::vector<std::string>& metrics,
                                        std::string* error) {
  const std::string_view whole = Trim(text);
  size_t i = 0;
  while (i < whole.size() && IsNameChar(whole[i])) ++i;
  const std::string name(whole.substr(0, i));
  std::string_view rest = Trim(whole.substr(i));
  Threshold threshold;
  threshold.metric = name;
  if (name.empty()) {
    *error = "expected METRIC OP NUMBER, e.g. 'falls>0' or 'min_separation_m<0.6'";
    return std::nullopt;
  }
  // Longest operator first, so "<=" is not read as "<" followed by "=".
  static constexpr struct {
    const char* text;
    ThresholdOp op;
  } kOps[] = {{"<=", ThresholdOp::kLessEqual},
              {">=", ThresholdOp::kGreaterEqual},
              {"==", ThresholdOp::kEqual},
              {"<", ThresholdOp::kLess},
              {">", ThresholdOp::kGreater}};
  bool found = false;
  for (const auto& candidate : kOps) {
    const std::string_view op_text = candidate.text;
    if (rest.substr(0, op_text.size()) == op_text) {
      threshold.op = candidate.op;
      rest = Trim(rest.substr(op_text.size()));
      found = true;
      break;
    }
  }
  if (!found) {
    *error = "expected an operator (<, <=, >, >=, ==) after '" + name + "'";
    return std::nullopt;
  }
  if (!metrics.empty() && std::find(metrics.begin(), metrics.end(), name) == metrics.end()) {
    *error = "unknown metric '" + name + "'" + DidYouMean(name, metrics);
    return std::nullopt;
  }
  const std::string number(rest);
  char* end = nullptr;
  threshold.limit = number.empty() ? 0.0 : std::strtod(number.c_str(), &end);
  if (number.empty() || end != number.c_str() + number.size() || !std::isfinite(threshold.limit)) {
    *error = "expected a finite number after '" + name + ThresholdOpText(threshold.op) +
             "', got '" + number + "'";
    return std::nullopt;
  }
  return threshold;
}

}  // namespace yangbot
