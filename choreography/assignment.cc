#include "choreography/assignment.h"

#include <algorithm>
#include <cmath>

namespace yangbot {
namespace {

bool Rectangular(const CostMatrix& cost) {
  if (cost.empty()) return true;
  const size_t slots = cost.front().size();
  if (slots < cost.size()) return false;
  return std::all_of(cost.begin(), cost.end(),
                     [slots](const std::vector<double>& row) { return row.size() == slots; });
}

// Kuhn's augmenting paths: can every robot get a slot using pairs with cost <= limit?
class Matcher {
 public:
  Matcher(const CostMatrix& cost, double limit)
      : cost_(cost), limit_(limit), owner_(cost.empty() ? 0 : cost.front().size(), -1) {}

  bool Perfect() {
    for (size_t r = 0; r < cost_.size(); ++r) {
      seen_.assign(owner_.size(), false);
      if (!Augment(static_cast<int>(r))) return false;
    }
    return true;
  }

 private:
  bool Augment(int r) {
    for (size_t s = 0; s < owner_.size(); ++s) {
      if (seen_[s] || !(cost_[r][s] <= limit_)) continue;
      seen_[s] = true;
      if (owner_[s] < 0 || Augment(owner_[s])) {
        owner_[s] = r;
        return true;
      }
    }
    return false;
  }

  const CostMatrix& cost_;
  double limit_;
  std::vector<int> owner_;  // robot holding each slot, -1 free
  std::vector<bool> seen_;
};

}  // namespace

std::optional<std::vector<int>> MinTotalAssignment(const CostMatrix& cost) {
  // Hungarian method with potentials (rows: robots, columns: slots), 1-based inside;
  // each robot in turn joins along a shortest augmenting path in the reduced costs.
  if (!Rectangular(cost)) return std::nullopt;
  const int n = static_cast<int>(cost.size());
  if (n == 0) return std::vector<int>();
  const int m = static_cast<int>(cost.front().size());
  const double kInf = std::numeric_limits<double>::infinity();
  std::vector<double> u(n + 1, 0), v(m + 1, 0);
  std::vector<int> p(m + 1, 0), way(m + 1, 0);
  for (int i = 1; i <= n; ++i) {
    p[0] = i;
    int j0 = 0;
    std::vector<double> minv(m + 1, kInf);
    std::vector<bool> used(m + 1, false);
    do {
      used[j0] = true;
      const int i0 = p[j0];
      double delta = kInf;
      int j1 = 0;
      for (int j = 1; j <= m; ++j) {
        if (used[j]) continue;
        const double c = cost[i0 - 1][j - 1];
        if (std::isfinite(c)) {
          const double cur = c - u[i0] - v[j];
          if (cur < minv[j]) {
            minv[j] = cur;
            way[j] = j0;
          }
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      if (j1 == 0) return std::nullopt;  // no augmenting path: forbidden pairs block it
      for (int j = 0; j <= m; ++j) {
        if (used[j]) {
          u[p[j]] += delta;
          v[j] -= delta;
        } else {
          minv[j] -= delta;
        }
      }
      j0 = j1;
    } while (p[j0] != 0);
    do {
      const int j1 = way[j0];
      p[j0] = p[j1];
      j0 = j1;
    } while (j0 != 0);
  }
  std::vector<int> slot_of(static_cast<size_t>(n), -1);
  for (int j = 1; j <= m; ++j) {
    if (p[j] > 0) slot_of[p[j] - 1] = j - 1;
  }
  return slot_of;
}

std::optional<double> BottleneckValue(const CostMatrix& cost) {
  if (!Rectangular(cost)) return std::nullopt;
  if (cost.empty()) return 0.0;
  std::vector<double> values;
  for (const auto& row : cost) {
    for (double c : row) {
      if (std::isfinite(c)) values.push_back(c);
    }
  }
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  if (values.empty() || !Matcher(cost, values.back()).Perfect()) return std::nullopt;
  // The smallest value that still admits a perfect matching.
  size_t lo = 0, hi = values.size() - 1;
  while (lo < hi) {
    const size_t mid = (lo + hi) / 2;
    if (Matcher(cost, values[mid]).Perfect()) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  return values[lo];
}

std::optional<std::vector<int>> BottleneckAssignment(const CostMatrix& longest,
                                                     const CostMatrix& total, double tie) {
  const std::optional<double> bottleneck = BottleneckValue(longest);
  if (!bottleneck) return std::nullopt;
  const CostMatrix& sum = total.empty() ? longest : total;
  if (sum.size() != longest.size()) return std::nullopt;
  CostMatrix masked = sum;
  for (size_t r = 0; r < masked.size(); ++r) {
    if (masked[r].size() != longest[r].size()) return std::nullopt;
    for (size_t s = 0; s < masked[r].size(); ++s) {
      if (!(longest[r][s] <= *bottleneck + tie)) masked[r][s] = kForbidden;
    }
  }
  return MinTotalAssignment(masked);
}

}  // namespace yangbot
