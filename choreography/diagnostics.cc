#include "choreography/diagnostics.h"

#include <algorithm>
#include <numeric>
#include <unordered_set>

#include "sim/error.h"

namespace yangbot {

void Diagnostics::Error(SourcePos pos, std::string message) {
  items_.push_back({Severity::kError, pos, std::move(message)});
  ++errors_;
}

void Diagnostics::Warning(SourcePos pos, std::string message) {
  items_.push_back({Severity::kWarning, pos, std::move(message)});
}

std::string Diagnostics::Format(std::string_view file) const {
  std::vector<size_t> order(items_.size());
  std::iota(order.begin(), order.end(), size_t{0});
  auto line_of = [](const Diagnostic& d) { return d.pos.line > 0 ? d.pos.line : 1; };
  auto column_of = [](const Diagnostic& d) { return d.pos.column > 0 ? d.pos.column : 1; };
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const Diagnostic& x = items_[a];
    const Diagnostic& y = items_[b];
    if (line_of(x) != line_of(y)) return line_of(x) < line_of(y);
    return column_of(x) < column_of(y);
  });
  std::string out;
  std::unordered_set<std::string> seen;
  for (size_t i : order) {
    const Diagnostic& d = items_[i];
    std::string line = FormatFileError(file, line_of(d), column_of(d), d.message,
                                       d.severity == Severity::kError ? "error" : "warning");
    if (!seen.insert(line).second) continue;
    out += line;
    out += '\n';
  }
  return out;
}

namespace {

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), size_t{0});
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      const size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + cost});
      diagonal = up;
    }
  }
  return row[b.size()];
}

}  // namespace

std::string ClosestMatch(std::string_view word, const std::vector<std::string>& candidates) {
  if (word.size() > 64) return "";
  std::string best;
  size_t best_distance = 0;
  for (const std::string& candidate : candidates) {
    const size_t d = EditDistance(word, candidate);
    if (best.empty() || d < best_distance) {
      best = candidate;
      best_distance = d;
    }
  }
  const size_t allowed = std::max<size_t>(2, std::max(word.size(), best.size()) / 3);
  if (best.empty() || best_distance > allowed || best_distance >= word.size()) return "";
  return best;
}

std::string DidYouMean(std::string_view word, const std::vector<std::string>& candidates) {
  const std::string best = ClosestMatch(word, candidates);
  return best.empty() ? "" : " (did you mean '" + best + "'?)";
}

}  // namespace yangbot
