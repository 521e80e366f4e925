#include "choreography/formation.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace yangbot {
namespace {

ParamSpec FacingParam() {
  ParamSpec p =
      NumberParam("facing", Dimension::kAngle, 0, -360, 360,
                  "deg (0 faces the audience), or in / out: towards or away from the centre");
  p.choices = {"in", "out"};
  return p;
}

ParamSpec SpacingParam(double default_value) {
  return NumberParam("spacing", Dimension::kLength, default_value, kMinRobotDistance, 10,
                     "distance between neighbours");
}

// Shifts slots so their bounding box is centred on the origin.
void CentreBox(std::vector<Placement>* slots) {
  if (slots->empty()) return;
  double x0 = slots->front().x, x1 = x0, y0 = slots->front().y, y1 = y0;
  for (const Placement& p : *slots) {
    x0 = std::min(x0, p.x);
    x1 = std::max(x1, p.x);
    y0 = std::min(y0, p.y);
    y1 = std::max(y1, p.y);
  }
  for (Placement& p : *slots) {
    p.x -= 0.5 * (x0 + x1);
    p.y -= 0.5 * (y0 + y1);
  }
}

// Row-major rows of `per_row` from the front, each centred; the last row may be short.
std::vector<Placement> Rows(int robots, int per_row, double dx, double dy) {
  std::vector<Placement> slots;
  per_row = std::max(1, per_row);
  const int rows = (robots + per_row - 1) / per_row;
  for (int r = 0; r < rows; ++r) {
    const int count = std::min(per_row, robots - r * per_row);
    for (int c = 0; c < count; ++c) {
      slots.push_back({-r * dx, (0.5 * (count - 1) - c) * dy, 0});
    }
  }
  CentreBox(&slots);
  return slots;
}

class Shape : public FormationShape {
 public:
  Shape(std::string name, std::string doc, std::vector<ParamSpec> params)
      : name_(std::move(name)), doc_(std::move(doc)), params_(std::move(params)) {
    params_.push_back(FacingParam());
  }
  const std::string& name() const override { return name_; }
  const std::string& doc() const override { return doc_; }
  const std::vector<ParamSpec>& params() const override { return params_; }

 private:
  std::string name_, doc_;
  std::vector<ParamSpec> params_;
};

class Grid : public Shape {
 public:
  Grid()
      : Shape("grid", "rows one behind another, `rows` of them (0: as square as possible)",
              {[] {
                 ParamSpec p = NumberParam("rows", Dimension::kNone, 0, 0, 32, "number of rows");
                 p.integer = true;
                 return p;
               }(),
               SpacingParam(1.5)}) {}
  std::vector<Placement> Generate(const ParamValues& p, int robots) const override {
    int rows = static_cast<int>(p.Number(0));
    if (rows <= 0)
      rows = static_cast<int>(std::ceil(std::sqrt(static_cast<double>(robots)) - 1e-9));
    rows = std::clamp(rows, 1, std::max(1, robots));
    const int per_row = (robots + rows - 1) / rows;
    return Rows(robots, per_row, p.Number(1), p.Number(1));
  }
};

class Line : public Shape {
 public:
  Line() : Shape("line", "one row, side by side", {SpacingParam(1.2)}) {}
  std::vector<Placement> Generate(const ParamValues& p, int robots) const override {
    return Rows(robots, robots, p.Number(0), p.Number(0));
  }
};

class Column : public Shape {
 public:
  Column() : Shape("column", "one behind another", {SpacingParam(1.2)}) {}
  std::vector<Placement> Generate(const ParamValues& p, int robots) const override {
    return Rows(robots, 1, p.Number(0), p.Number(0));
  }
};

class Circle : public Shape {
 public:
  Circle()
      : Shape("circle", "a ring, slot 1 at the front, counter-clockwise seen from above",
              {NumberParam("radius", Dimension::kLength, 3, 0.5, 20, "ring radius")}) {}
  std::vector<Placement> Generate(const ParamValues& p, int robots) const override {
    std::vector<Placement> slots;
    for (int i = 0; i < robots; ++i) {
      const double a = 2 * M_PI * i / robots;
      slots.push_back({p.Number(0) * std::cos(a), p.Number(0) * std::sin(a), 0});
    }
    return slots;
  }
};

class Arc : public Shape {
 public:
  Arc()
      : Shape("arc",
              "part of a ring behind its centre, ends curving towards the audience, left to right",
              {NumberParam("radius", Dimension::kLength, 5, 0.5, 30, "ring radius"),
               NumberParam("span", Dimension::kAngle, 120, 10, 360, "angle the arc covers")}) {}
  std::vector<Placement> Generate(const ParamValues& p, int robots) const override {
    std::vector<Placement> slots;
    const double span = p.Radians(1);
    const bool full = span >= 2 * M_PI - 1e-9;
    for (int i = 0; i < robots; ++i) {
      const double f = robots == 1 ? 0.5 : static_cast<double>(i) / (full ? robots : robots - 1);
      // From the dancers' left (+y) through the back (-x) to the right.
      const double a = M_PI - span / 2 + (1 - f) * span;
      slots.push_back({p.Number(0) * std::cos(a), p.Number(0) * std::sin(a), 0});
    }
    return slots;
  }
};

class Vee : public Shape {
 public:
  Vee()
      : Shape("v", "a V pointing at the audience: the tip, then left and right arms alternately",
              {SpacingParam(1.2),
               NumberParam("angle", Dimension::kAngle, 70, 20, 160, "opening angle of the V")}) {}
  std::vector<Placement> Generate(const ParamValues& p, int robots) const override {
    std::vector<Placement> slots;
    const double half = p.Radians(1) / 2;
    for (int i = 0; i < robots; ++i) {
      const int k = (i + 1) / 2;                // distance along the arm, in slots
      const double side = i % 2 == 1 ? 1 : -1;  // odd: left arm
      slots.push_back({-k * p.Number(0) * std::cos(half),
                       i == 0 ? 0 : side * k * p.Number(0) * std::sin(half), 0});
    }
    CentreBox(&slots);
    return slots;
  }
};

class Diamond : public Shape {
 public:
  Diamond()
      : Shape("diamond", "rows of 1, 2, 3 ... then fewer again, neighbours `spacing` apart",
              {SpacingParam(1.2)}) {}
  std::vector<Placement> Generate(const ParamValues& p, int robots) const override {
    const int m = static_cast<int>(std::ceil(std::sqrt(static_cast<double>(robots)) - 1e-9));
    const double d = p.Number(0) / std::sqrt(2.0);
    std::vector<Placement> slots;
    for (int r = 0; r <= 2 * m - 2 && static_cast<int>(slots.size()) < robots; ++r) {
      const int count = std::min(r, 2 * m - 2 - r) + 1;
      for (int j = 0; j < count && static_cast<int>(slots.size()) < robots; ++j) {
        slots.push_back({-r * d, (count - 1 - 2 * j) * d, 0});
      }
    }
    CentreBox(&slots);
    return slots;
  }
};

class TwoColumns : public Shape {
 public:
  TwoColumns()
      : Shape("two_columns", "two columns side by side; odd slots left, even slots right",
              {SpacingParam(1.2), NumberParam("gap", Dimension::kLength, 3, kMinRobotDistance, 20,
                                              "distance between the columns")}) {}
  std::vector<Placement> Generate(const ParamValues& p, int robots) const override {
    std::vector<Placement> slots;
    for (int i = 0; i < robots; ++i) {
      slots.push_back({-(i / 2) * p.Number(0), (i % 2 == 0 ? 0.5 : -0.5) * p.Number(1), 0});
    }
    CentreBox(&slots);
    return slots;
  }
};

}  // namespace

const std::vector<const FormationShape*>& FormationShapes() {
  static const Grid grid;
  static const Line line;
  static const Column column;
  static const Circle circle;
  static const Arc arc;
  static const Vee vee;
  static const Diamond diamond;
  static const TwoColumns two_columns;
  static const std::vector<const FormationShape*> shapes = {
      &grid, &line, &column, &circle, &arc, &vee, &diamond, &two_columns};
  return shapes;
}

const FormationShape* FindFormationShape(const std::string& name) {
  for (const FormationShape* shape : FormationShapes()) {
    if (shape->name() == name) return shape;
  }
  return nullptr;
}

std::vector<std::string> FormationShapeNames() {
  std::vector<std::string> names;
  for (const FormationShape* shape : FormationShapes()) names.push_back(shape->name());
  return names;
}

void ApplyFacing(const std::string& word, double facing, double centre_x, double centre_y,
                 std::vector<Placement>* slots) {
  for (Placement& p : *slots) {
    if (word.empty()) {
      p.yaw = facing;
      continue;
    }
    const double dx = p.x - centre_x, dy = p.y - centre_y;
    if (std::hypot(dx, dy) < 1e-9) continue;
    const double out = std::atan2(dy, dx);
    p.yaw = word == "in" ? std::remainder(out + M_PI, 2 * M_PI) : out;
  }
}

double ClosestSlots(const std::vector<Placement>& slots, int* i, int* j) {
  double best = std::numeric_limits<double>::infinity();
  *i = *j = -1;
  for (size_t a = 0; a < slots.size(); ++a) {
    for (size_t b = a + 1; b < slots.size(); ++b) {
      const double d = std::hypot(slots[a].x - slots[b].x, slots[a].y - slots[b].y);
      if (d < best) {
        best = d;
        *i = static_cast<int>(a);
        *j = static_cast<int>(b);
      }
    }
  }
  return best;
}

}  // namespace yangbot
