#include "controllers/zmp_preview.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "sim/error.h"

namespace yangbot {
namespace {

// A walk's ZMP reference, sampled every dt: 2 s standing at the origin, a 0.5 s shift
// onto the right foot, then `steps` steps of 0.25 m (0.125 s double support, 0.375 s
// single support), a 0.5 s shift to the final centre, and 2.5 s standing.
struct WalkReference {
  std::vector<Eigen::Vector2d> zmp;
  double walk_begin = 0;  // s, first lift-off
  double walk_end = 0;    // s, last touch-down
  Eigen::Vector2d final_center;
};

WalkReference MakeWalkReference(double dt, int steps = 8) {
  auto support = [](int i) {  // foot standing during step i (right first)
    return Eigen::Vector2d(0.25 * i, i % 2 == 0 ? -0.1 : 0.1);
  };
  WalkReference ref;
  ref.walk_begin = 2.0;
  ref.walk_end = 2.0 + 0.375 + 0.5 * (steps - 1);
  ref.final_center = Eigen::Vector2d(0.25 * steps, 0);
  const double total = ref.walk_end + 3.0;
  const int count = static_cast<int>(std::lround(total / dt)) + 1;
  for (int k = 0; k < count; ++k) {
    const double t = k * dt;
    Eigen::Vector2d p;
    if (t < 1.5) {
      p.setZero();
    } else if (t < 2.0) {
      p = support(0) * (t - 1.5) / 0.5;
    } else if (t < ref.walk_end) {
      const int i = std::min(steps - 1, static_cast<int>((t - 2.0 + 0.125) / 0.5));
      const double begin_ds = 2.0 + 0.5 * i - 0.125;  // double support before step i
      p = t < begin_ds + 0.125 && i > 0
              ? support(i - 1) + (support(i) - support(i - 1)) * (t - begin_ds) / 0.125
              : support(i);
    } else if (t < ref.walk_end + 0.5) {
      p = support(steps - 1) + (ref.final_center - support(steps - 1)) * (t - ref.walk_end) / 0.5;
    } else {
      p = ref.final_center;
    }
    ref.zmp.push_back(p);
  }
  return ref;
}

TEST(ZmpPreviewGainsTest, ConvergeWithConsistentSigns) {
  const ZmpPreviewGains g = ComputeZmpPreviewGains({});
  EXPECT_GT(g.riccati_iterations, 0);
  EXPECT_EQ(g.preview_steps(), 320);  // 1.6 s / 5 ms
  EXPECT_GT(g.gi, 0);
  EXPECT_DOUBLE_EQ(g.gd(0), -g.gi);  // Kajita 2003: Gd(1) = -Gi
  // The preview gains fade over the horizon and, summed, cancel the position gain: a
  // CoM at rest on a constant reference needs no jerk (1.6 s leaves about 1 %).
  EXPECT_LT(std::abs(g.gd(g.preview_steps() - 1)), 0.02 * std::abs(g.gd(0)));
  EXPECT_NEAR(g.gd.sum(), -g.gx(0), 0.01 * g.gx(0));
  EXPECT_DOUBLE_EQ(g.c(2), -0.95 / 9.81);
}

TEST(ZmpPreviewGainsTest, RejectsBadParameters) {
  ZmpPreviewParams p;
  p.dt = 0;
  EXPECT_THROW(ComputeZmpPreviewGains(p), Error);
  p = {};
  p.com_height = -1;
  EXPECT_THROW(ComputeZmpPreviewGains(p), Error);
  p = {};
  p.r = 0;
  EXPECT_THROW(ComputeZmpPreviewGains(p), Error);
}

TEST(ZmpPreviewTest, RestsOnAConstantReference) {
  const ZmpPreviewGains g = ComputeZmpPreviewGains({});
  const Eigen::Vector2d c(1.5, -0.7);
  const ComTrajectory tr = ComputeComTrajectory(g, std::vector<Eigen::Vector2d>(500, c), c);
  for (const CartState& x : tr.states) {
    EXPECT_NEAR((x.row(0).transpose() - c).norm(), 0, 1e-12);
    EXPECT_NEAR(x.bottomRows<2>().norm(), 0, 1e-12);
  }
}

// The cart-table ZMP of the resulting CoM motion tracks the reference (Kajita 2003,
// Fig. 6) and the CoM comes to rest on the final stance centre, at several rates.
class ZmpPreviewTrackingTest : public ::testing::TestWithParam<double> {};

TEST_P(ZmpPreviewTrackingTest, TracksAWalkAndEndsAtTheFinalCentre) {
  ZmpPreviewParams params;
  params.dt = GetParam();
  const ZmpPreviewGains g = ComputeZmpPreviewGains(params);
  const WalkReference ref = MakeWalkReference(params.dt);
  const ComTrajectory tr = ComputeComTrajectory(g, ref.zmp, Eigen::Vector2d::Zero());
  ASSERT_EQ(tr.states.size(), ref.zmp.size());
  double max_error = 0;
  for (size_t k = 0; k < ref.zmp.size(); ++k) {
    const CartState& x = tr.states[k];
    // Cart-table ZMP recomputed from the CoM: p = x - z_c / g * x''.
    const Eigen::Vector2d p = x.row(0).transpose() - 0.95 / 9.81 * x.row(2).transpose();
    EXPECT_NEAR((p - tr.zmp[k]).norm(), 0, 1e-12);
    max_error = std::max(max_error, (p - ref.zmp[k]).norm());
  }
  EXPECT_LT(max_error, 0.02);
  const CartState& last = tr.states.back();
  EXPECT_LT((last.row(0).transpose() - ref.final_center).norm(), 1e-3);
  EXPECT_LT(last.row(1).norm(), 1e-3);
}

INSTANTIATE_TEST_SUITE_P(Rates, ZmpPreviewTrackingTest, ::testing::Values(0.01, 0.005, 0.002));

TEST(ZmpPreviewTest, StatesFollowTheCartTableModel) {
  const ZmpPreviewGains g = ComputeZmpPreviewGains({});
  const WalkReference ref = MakeWalkReference(g.params.dt, 3);
  const ComTrajectory tr = ComputeComTrajectory(g, ref.zmp, Eigen::Vector2d::Zero());
  const double dt = g.params.dt;
  for (size_t k = 0; k + 1 < tr.states.size(); ++k) {
    const CartState& x = tr.states[k];
    const Eigen::Vector2d u = tr.jerks[k];
    CartState expected;
    expected.row(0) =
        x.row(0) + dt * x.row(1) + dt * dt / 2 * x.row(2) + dt * dt * dt / 6 * u.transpose();
    expected.row(1) = x.row(1) + dt * x.row(2) + dt * dt / 2 * u.transpose();
    expected.row(2) = x.row(2) + dt * u.transpose();
    EXPECT_LT((tr.states[k + 1] - expected).cwiseAbs().maxCoeff(), 1e-12) << k;
  }
}

TEST(ZmpPreviewTest, TranslatingTheReferenceTranslatesTheCom) {
  const ZmpPreviewGains g = ComputeZmpPreviewGains({});
  const WalkReference ref = MakeWalkReference(g.params.dt, 4);
  const Eigen::Vector2d shift(3.0, -4.0);
  std::vector<Eigen::Vector2d> moved = ref.zmp;
  for (Eigen::Vector2d& p : moved) p += shift;
  const ComTrajectory a = ComputeComTrajectory(g, ref.zmp, Eigen::Vector2d::Zero());
  const ComTrajectory b = ComputeComTrajectory(g, moved, shift);
  for (size_t k = 0; k < a.states.size(); ++k) {
    EXPECT_LT((b.states[k].row(0) - a.states[k].row(0) - shift.transpose()).norm(), 1e-9);
    EXPECT_LT((b.states[k].bottomRows<2>() - a.states[k].bottomRows<2>()).norm(), 1e-9);
  }
}

TEST(ZmpPreviewControllerTest, OnlineMatchesOffline) {
  const ZmpPreviewGains g = ComputeZmpPreviewGains({});
  const WalkReference ref = MakeWalkReference(g.params.dt, 4);
  const ComTrajectory offline = ComputeComTrajectory(g, ref.zmp, Eigen::Vector2d::Zero());
  ZmpPreviewController online(g);
  online.Reset(Eigen::Vector2d::Zero());
  const int n = g.preview_steps();
  for (size_t k = 0; k < ref.zmp.size(); ++k) {
    ASSERT_EQ(online.state(), offline.states[k]) << k;
    // A full window, padded by hand with the last value, gives the same jerk.
    std::vector<Eigen::Vector2d> window(n + 1);
    for (int j = 0; j <= n; ++j) window[j] = ref.zmp[std::min(k + j, ref.zmp.size() - 1)];
    EXPECT_EQ(online.Step(window), offline.jerks[k]) << k;
  }
}

TEST(ZmpPreviewControllerTest, SetStateResumesExactly) {
  const ZmpPreviewGains g = ComputeZmpPreviewGains({});
  const WalkReference ref = MakeWalkReference(g.params.dt, 4);
  ZmpPreviewController a(g);
  a.Reset(Eigen::Vector2d::Zero());
  const std::span<const Eigen::Vector2d> all(ref.zmp);
  Eigen::Vector2d jerk = Eigen::Vector2d::Zero();
  const size_t half = ref.zmp.size() / 2;
  for (size_t k = 0; k < half; ++k) jerk = a.Step(all.subspan(k));
  // A second controller given only the state and the last jerk continues identically.
  ZmpPreviewController b(g);
  b.SetState(a.state(), jerk);
  for (size_t k = half; k < ref.zmp.size(); ++k) {
    const Eigen::Vector2d ja = a.Step(all.subspan(k));
    const Eigen::Vector2d jb = b.Step(all.subspan(k));
    EXPECT_LT((ja - jb).norm(), 1e-6) << k;
    EXPECT_LT((a.state() - b.state()).norm(), 1e-9) << k;
  }
}

TEST(ZmpPreviewControllerTest, ReplansMidWalkWithoutJumps) {
  const ZmpPreviewGains g = ComputeZmpPreviewGains({});
  const double dt = g.params.dt;
  const WalkReference plan_a = MakeWalkReference(dt, 8);
  // Replan at 3 s: the new reference turns the remaining walk 0.3 m to the left.
  const size_t switch_k = static_cast<size_t>(std::lround(3.0 / dt));
  std::vector<Eigen::Vector2d> plan_b = plan_a.zmp;
  for (size_t k = switch_k + 50; k < plan_b.size(); ++k) {
    const double f = std::min(1.0, (k - switch_k - 50) * dt / 2.0);
    plan_b[k].y() += 0.3 * f;
  }
  ZmpPreviewController c(g);
  c.Reset(Eigen::Vector2d::Zero());
  CartState previous = c.state();
  const size_t settled_k = switch_k + static_cast<size_t>(g.preview_steps());
  double max_error = 0, settled_error = 0;
  for (size_t k = 0; k < plan_b.size(); ++k) {
    const std::vector<Eigen::Vector2d>& ref = k < switch_k ? plan_a.zmp : plan_b;
    c.Step(std::span<const Eigen::Vector2d>(ref).subspan(k));
    // Position and velocity change by at most what the acceleration can do in dt.
    EXPECT_LT((c.state().row(0) - previous.row(0)).norm(), 0.7 * dt) << k;
    EXPECT_LT((c.state().row(1) - previous.row(1)).norm(), 3.0 * dt) << k;
    previous = c.state();
    if (k + 1 < plan_b.size()) {
      const double error = (c.zmp() - ref[k + 1]).norm();
      max_error = std::max(max_error, error);
      if (k > settled_k) settled_error = std::max(settled_error, error);
    }
  }
  // The change shows up only 0.25 s ahead, so tracking suffers for a while, then recovers.
  EXPECT_LT(max_error, 0.06);
  EXPECT_LT(settled_error, 0.02);
  EXPECT_NEAR(c.state()(0, 1), 0.3, 1e-3);  // ends on the replanned centre
}

TEST(ZmpPreviewControllerTest, ShortWindowsHoldTheLastValue) {
  const ZmpPreviewGains g = ComputeZmpPreviewGains({});
  ZmpPreviewController a(g), b(g);
  a.Reset(Eigen::Vector2d::Zero());
  b.Reset(Eigen::Vector2d::Zero());
  const std::vector<Eigen::Vector2d> short_window = {Eigen::Vector2d(0, 0),
                                                     Eigen::Vector2d(0.1, 0)};
  const std::vector<Eigen::Vector2d> long_window(g.preview_steps() + 1, Eigen::Vector2d(0.1, 0));
  std::vector<Eigen::Vector2d> padded = long_window;
  padded[0].setZero();
  EXPECT_EQ(a.Step(short_window), b.Step(padded));
  EXPECT_THROW(a.Step({}), Error);
}

}  // namespace
}  // namespace yangbot
