// PartitionPointFrom finds what a fresh binary search finds, from any hint: one step
// on, many steps either way, past the end, and in tables with equal keys.
#include "controllers/reference_cursor.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <random>
#include <vector>

namespace yangbot {
namespace {

TEST(ReferenceCursorTest, AnyHintFindsTheUpperBound) {
  // Sorted, with runs of equal times (a ZMP jump is two knots at one time).
  const std::vector<double> times = {0.0, 0.5, 0.5, 1.0, 1.2, 1.2, 1.2, 2.0, 3.5, 4.0};
  std::vector<double> queries = {-1.0, 0.0, 4.0, 9.0};
  for (double t = -0.5; t < 4.5; t += 0.05) queries.push_back(t);
  for (double t : times) queries.push_back(t);
  for (const double t : queries) {
    const auto expected = std::upper_bound(times.begin(), times.end(), t);
    for (std::size_t start = 0; start <= times.size() + 3; ++start) {
      std::size_t hint = start;
      const auto found =
          PartitionPointFrom(times.begin(), times.end(), [t](double x) { return !(t < x); }, &hint);
      ASSERT_EQ(found - times.begin(), expected - times.begin()) << "t " << t << " hint " << start;
      EXPECT_EQ(hint, static_cast<std::size_t>(found - times.begin()));
    }
  }
}

TEST(ReferenceCursorTest, ACarriedHintFollowsTimeBothWays) {
  std::vector<double> times;
  for (int i = 0; i < 200; ++i) times.push_back(0.05 * i);
  std::mt19937 random(7);
  std::uniform_real_distribution<double> jump(-4.0, 4.0);
  std::size_t hint = 0;
  double t = 0;
  for (int k = 0; k < 2000; ++k) {
    // Mostly a tick on; every 50th sample jumps many entries back or forward.
    t = k % 50 == 0 ? std::clamp(t + jump(random), -1.0, 11.0) : t + 0.002;
    const auto expected = std::lower_bound(times.begin(), times.end(), t);
    const auto found =
        PartitionPointFrom(times.begin(), times.end(), [t](double x) { return x < t; }, &hint);
    ASSERT_EQ(found - times.begin(), expected - times.begin()) << "t " << t;
  }
}

TEST(ReferenceCursorTest, EmptyTableIsItsEnd) {
  const std::vector<double> none;
  std::size_t hint = 5;
  EXPECT_EQ(PartitionPointFrom(none.begin(), none.end(), [](double) { return true; }, &hint), none.end());
  EXPECT_EQ(hint, 0u);
}

}  // namespace
}  // namespace yangbot
