#include "controllers/dcm_stabilizer.h"

#include <algorithm>
#include <array>
#include <limits>

namespace yangbot {
namespace {

double Cross(const Eigen::Vector2d& a, const Eigen::Vector2d& b) { return a.x() * b.y() - a.y() * b.x(); }

Eigen::Vector2d ClosestOnSegment(const Eigen::Vector2d& a, const Eigen::Vector2d& b, const Eigen::Vector2d& p) {
  const Eigen::Vector2d ab = b - a;
  const double len2 = ab.squaredNorm();
  if (len2 < 1e-18) return a;
  return a + std::clamp((p - a).dot(ab) / len2, 0.0, 1.0) * ab;
}

}  // namespace

Eigen::Vector2d ClampToConvexHull(const std::vector<Eigen::Vector2d>& points, const Eigen::Vector2d& p) {
  if (points.empty()) return p;
  // The sorted points and the hull live on the stack for the few corners of two soles (no
  // heap allocation a controller tick), on the heap beyond.
  constexpr size_t kOnStack = 16;
  std::array<Eigen::Vector2d, kOnStack> pts_stack;
  std::array<Eigen::Vector2d, 2 * kOnStack> hull_stack;
  std::vector<Eigen::Vector2d> pts_heap, hull_heap;
  const size_t n = points.size();
  if (n > kOnStack) {
    pts_heap.resize(n);
    hull_heap.resize(2 * n);
  }
  Eigen::Vector2d* pts = n > kOnStack ? pts_heap.data() : pts_stack.data();
  Eigen::Vector2d* hull = n > kOnStack ? hull_heap.data() : hull_stack.data();
  // Andrew's monotone chain, counter-clockwise, collinear points dropped.
  std::copy(points.begin(), points.end(), pts);
  std::sort(pts, pts + n, [](const Eigen::Vector2d& a, const Eigen::Vector2d& b) {
    return a.x() < b.x() || (a.x() == b.x() && a.y() < b.y());
  });
  size_t k = 0;
  for (size_t i = 0; i < n; ++i) {
    while (k >= 2 && Cross(hull[k - 1] - hull[k - 2], pts[i] - hull[k - 2]) <= 1e-12) --k;
    hull[k++] = pts[i];
  }
  for (size_t i = n - 1, lower = k + 1; i-- > 0;) {
    while (k >= lower && Cross(hull[k - 1] - hull[k - 2], pts[i] - hull[k - 2]) <= 1e-12) --k;
    hull[k++] = pts[i];
  }
  const size_t size = k > 1 ? k - 1 : k;
  if (size == 1) return hull[0];
  bool inside = size >= 3;
  for (size_t i = 0; i < size && inside; ++i) {
    inside = Cross(hull[(i + 1) % size] - hull[i], p - hull[i]) >= 0;
  }
  if (inside) return p;
  Eigen::Vector2d best = hull[0];
  double best_d = std::numeric_limits<double>::infinity();
  for (size_t i = 0; i < size; ++i) {
    const Eigen::Vector2d q = ClosestOnSegment(hull[i], hull[(i + 1) % size], p);
    const double d = (q - p).squaredNorm();
    if (d < best_d) best_d = d, best = q;
  }
  return best;
}

DcmOutput StabilizeDcm(const DcmInput& in, double gain) {
  DcmOutput out;
  const double w = in.omega;
  const Eigen::Vector2d xi = in.com + in.com_velocity / w;
  const Eigen::Vector2d xi_ref = in.com_ref + in.com_ref_velocity / w;
  out.dcm_error = xi - xi_ref;
  out.cop_reference = in.com_ref - in.com_ref_acceleration / (w * w);
  out.cop_free = out.cop_reference + (1 + gain) * out.dcm_error;
  out.cop = ClampToConvexHull(in.support, out.cop_free);
  out.com_acceleration = w * w * (in.com - out.cop);
  return out;
}

}  // namespace yangbot
