#include "sim/landmarks.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace yangbot {
namespace {

std::string Num(double v) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.6g", v);
  return text;
}

Landmark Wall(const char* name, double ax, double ay, double bx, double by, double height) {
  Landmark w;
  w.kind = Landmark::Kind::kWall;
  w.name = name;
  w.x = 0.5 * (ax + bx);
  w.y = 0.5 * (ay + by);
  w.yaw = std::atan2(by - ay, bx - ax);
  w.length = std::hypot(bx - ax, by - ay);
  w.width = 0.2;
  w.height = height;
  return w;
}

// Corners of a wall's or box's footprint, counter-clockwise.
void Corners(const Landmark& l, double x[4], double y[4]) {
  const double c = std::cos(l.yaw), s = std::sin(l.yaw);
  const double hl = 0.5 * l.length, hw = 0.5 * l.width;
  const double u[4] = {hl, -hl, -hl, hl}, v[4] = {hw, hw, -hw, -hw};
  for (int i = 0; i < 4; ++i) {
    x[i] = l.x + c * u[i] - s * v[i];
    y[i] = l.y + s * u[i] + c * v[i];
  }
}

}  // namespace

const char* LandmarkKindName(Landmark::Kind kind) {
  switch (kind) {
    case Landmark::Kind::kWall: return "wall";
    case Landmark::Kind::kPillar: return "pillar";
    case Landmark::Kind::kBox: return "box";
  }
  return "?";
}

std::vector<Landmark> DefaultLandmarks(double x_min, double x_max, double y_min, double y_max) {
  constexpr double kMargin = kLandmarkClearance + 1.5;
  const double x0 = std::min(x_min - kMargin, -4.0), x1 = std::max(x_max + kMargin, 4.0);
  const double y0 = std::min(y_min - kMargin, -4.0), y1 = std::max(y_max + kMargin, 4.0);
  const double depth = x1 - x0;
  std::vector<Landmark> out;
  out.push_back(Wall("back_wall", x0 - 0.1, y0 - 0.3, x0 - 0.1, y1 + 0.3, 3));
  // Wings: the dancers' left wall runs further downstage than the right one.
  out.push_back(Wall("left_wall", x0, y1 + 0.1, x0 + 0.6 * depth, y1 + 0.1, 3));
  out.push_back(Wall("right_wall", x0, y0 - 0.1, x0 + 0.45 * depth, y0 - 0.1, 3));
  Landmark pillar;
  pillar.kind = Landmark::Kind::kPillar;
  pillar.name = "left_pillar";
  pillar.x = x1;
  pillar.y = y1;
  pillar.radius = 0.3;
  out.push_back(pillar);
  pillar.name = "right_pillar";
  pillar.y = y0 + 0.5;
  pillar.radius = 0.2;
  out.push_back(pillar);
  Landmark gate;
  gate.kind = Landmark::Kind::kBox;
  gate.name = "set_piece";
  gate.x = x0 + 1.0;
  gate.y = y0 + 1.3;
  gate.yaw = 0.5;
  gate.length = 1.2;
  gate.width = 0.6;
  gate.height = 2.2;
  out.push_back(gate);
  return out;
}

double LandmarkDistance(const Landmark& l, double x, double y) {
  if (l.kind == Landmark::Kind::kPillar) {
    return std::max(0.0, std::hypot(x - l.x, y - l.y) - l.radius);
  }
  const double c = std::cos(l.yaw), s = std::sin(l.yaw);
  const double u = c * (x - l.x) + s * (y - l.y), v = -s * (x - l.x) + c * (y - l.y);
  const double du = std::max(0.0, std::abs(u) - 0.5 * l.length);
  const double dv = std::max(0.0, std::abs(v) - 0.5 * l.width);
  return std::hypot(du, dv);
}

std::string LandmarksXml(const std::vector<Landmark>& landmarks) {
  std::string xml;
  for (const Landmark& l : landmarks) {
    const std::string common = " contype=\"1\" conaffinity=\"2\" condim=\"3\" group=\"0\"";
    if (l.kind == Landmark::Kind::kPillar) {
      xml += "<geom name=\"stage/" + l.name + "\" type=\"cylinder\" pos=\"" + Num(l.x) + " " +
             Num(l.y) + " " + Num(0.5 * l.height) + "\" size=\"" + Num(l.radius) + " " +
             Num(0.5 * l.height) + "\" rgba=\"0.55 0.12 0.1 1\"" + common + "/>";
    } else {
      const char* rgba =
          l.kind == Landmark::Kind::kWall ? "0.16 0.14 0.2 1" : "0.7 0.5 0.18 1";
      xml += "<geom name=\"stage/" + l.name + "\" type=\"box\" pos=\"" + Num(l.x) + " " +
             Num(l.y) + " " + Num(0.5 * l.height) + "\" size=\"" + Num(0.5 * l.length) + " " +
             Num(0.5 * l.width) + " " + Num(0.5 * l.height) + "\" euler=\"0 0 " + Num(l.yaw) +
             "\" rgba=\"" + rgba + "\"" + common + "/>";
    }
  }
  return xml;
}

double StageMap::Closest(double x, double y, double* cx, double* cy, double* nx,
                         double* ny) const {
  double best = std::numeric_limits<double>::infinity();
  for (const MapSegment& s : segments) {
    const double dx = s.bx - s.ax, dy = s.by - s.ay;
    const double len2 = dx * dx + dy * dy;
    const double t = len2 > 0 ? std::clamp(((x - s.ax) * dx + (y - s.ay) * dy) / len2, 0.0, 1.0) : 0;
    const double px = s.ax + t * dx, py = s.ay + t * dy;
    const double d = std::hypot(x - px, y - py);
    if (d < best) {
      best = d;
      *cx = px;
      *cy = py;
      // Outward normal: faces are counter-clockwise, so the outside is on the right.
      const double len = std::sqrt(len2);
      *nx = len > 0 ? dy / len : 1;
      *ny = len > 0 ? -dx / len : 0;
    }
  }
  for (const MapCircle& c : circles) {
    const double r = std::hypot(x - c.x, y - c.y);
    const double d = std::abs(r - c.r);
    if (d < best) {
      best = d;
      const double ux = r > 1e-9 ? (x - c.x) / r : 1, uy = r > 1e-9 ? (y - c.y) / r : 0;
      *cx = c.x + c.r * ux;
      *cy = c.y + c.r * uy;
      *nx = ux;
      *ny = uy;
    }
  }
  return best;
}

StageMap MakeStageMap(const std::vector<Landmark>& landmarks, double height) {
  StageMap map;
  for (const Landmark& l : landmarks) {
    if (l.height < height) continue;
    if (l.kind == Landmark::Kind::kPillar) {
      map.circles.push_back({l.x, l.y, l.radius});
      continue;
    }
    double x[4], y[4];
    Corners(l, x, y);
    for (int i = 0; i < 4; ++i) map.segments.push_back({x[i], y[i], x[(i + 1) % 4], y[(i + 1) % 4]});
  }
  return map;
}

}  // namespace yangbot
