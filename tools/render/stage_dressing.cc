#include "tools/render/stage_dressing.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace yangbot {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kGravity = 9.81;  // m/s²

// The H1's colours: graphite body, brushed-aluminium panels, a glossy black visor, and a
// teal band marking the robot's left side.
constexpr float kGraphite[4] = {0.13f, 0.13f, 0.15f, 1};
constexpr float kPanel[4] = {0.66f, 0.68f, 0.71f, 1};
constexpr float kVisor[4] = {0.02f, 0.02f, 0.03f, 1};
constexpr float kLeftBand[4] = {0.0f, 0.78f, 0.72f, 1};
constexpr float kSilk[4] = {0.9f, 0.04f, 0.06f, 1};
constexpr float kCurtain[4] = {0.40f, 0.02f, 0.03f, 1};
constexpr float kGold[4] = {0.93f, 0.72f, 0.22f, 1};

struct Vec3 {
  double x = 0, y = 0, z = 0;
};
Vec3 operator+(Vec3 a, Vec3 b) { return {a.x + b.x, a.y + b.y, a.z + b.z}; }
Vec3 operator-(Vec3 a, Vec3 b) { return {a.x - b.x, a.y - b.y, a.z - b.z}; }
Vec3 operator*(double s, Vec3 a) { return {s * a.x, s * a.y, s * a.z}; }
double Dot(Vec3 a, Vec3 b) { return a.x * b.x + a.y * b.y + a.z * b.z; }
double Norm(Vec3 a) { return std::sqrt(Dot(a, a)); }
Vec3 Cross(Vec3 a, Vec3 b) {
  return {a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x};
}

// The silk's surface: where the point of the flat square at (u, v) (m from its centre)
// is, for the spin state in `shape`.
struct SilkState {
  double half;      // m
  double bend;      // rad of bend per m of fibre towards `down`
  double trail;     // rad of lag at the corners, signed against the spin
  double flutter;   // m, edge flutter amplitude
  double phase;     // rad
  Vec3 down;        // gravity's direction (unit)
};

Vec3 SilkPoint(const SilkState& s, double u, double v) {
  const double r = std::hypot(u, v);
  if (r < 1e-9) return {};
  const double corner = s.half * std::sqrt(2.0);
  const double reach = (r / corner) * (r / corner);
  const double theta = std::atan2(v, u) - s.trail * reach;
  const Vec3 radial{std::cos(theta), std::sin(theta), 0};
  // Each fibre from the centre bends towards `down` until it hangs along it.
  const double cosine = std::clamp(Dot(radial, s.down), -1.0, 1.0);
  const double most = std::acos(cosine);
  Vec3 toward = s.down - cosine * radial;
  const double length = Norm(toward);
  double along = r, across = 0;
  if (length > 1e-9 && s.bend > 1e-9) {
    toward = (1 / length) * toward;
    const double k = s.bend;
    const double knee = most / k;  // fibre length where it hangs straight
    if (r <= knee) {
      along = std::sin(k * r) / k;
      across = (1 - std::cos(k * r)) / k;
    } else {
      along = std::sin(most) / k + (r - knee) * std::cos(most);
      across = (1 - std::cos(most)) / k + (r - knee) * std::sin(most);
    }
  }
  const Vec3 normal{0, 0, 1};
  const double wave = s.flutter * reach * std::sin(3 * std::atan2(v, u) - 2 * s.phase);
  return along * radial + across * toward + wave * normal;
}

void MulMat(const double a[9], const double b[9], double out[9]) {
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 3; ++j) {
      out[3 * i + j] = a[3 * i] * b[j] + a[3 * i + 1] * b[3 + j] + a[3 * i + 2] * b[6 + j];
    }
  }
}

// Appends a geom to the scene (false when it is full).
mjvGeom* AddGeom(mjvScene* view, int type, const double size[3], const double pos[3],
                 const double mat[9], const float rgba[4]) {
  if (view->ngeom >= view->maxgeom) return nullptr;
  mjvGeom* g = view->geoms + view->ngeom;
  mjv_initGeom(g, type, size, pos, mat, rgba);
  g->segid = view->ngeom;
  ++view->ngeom;
  return g;
}

// A static piece of the set (backdrop, lanterns).
void AddSet(mjvScene* view, int type, const double size[3], const double pos[3],
            const float rgba[4], float emission = 0) {
  const double eye[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1};
  if (mjvGeom* g = AddGeom(view, type, size, pos, eye, rgba)) {
    g->category = mjCAT_STATIC;
    g->emission = emission;
    g->specular = 0.1f;
  }
}

}  // namespace

std::vector<SilkTile> SilkShape(double half, int tiles, double spin_rate, const double down[3],
                                double phase) {
  // Spread: the pull outwards at the corners against gravity (0 at rest, ~0.9 at 3 rev/s).
  const double pull = spin_rate * spin_rate * half;
  const double spread = pull / (pull + kGravity);
  SilkState s;
  s.half = half;
  // At rest it hangs in a narrow bell; spun, it straightens out quickly.
  s.bend = std::pow(1 - spread, 1.5) * 1.3 * kPi / half;
  s.trail = (spin_rate >= 0 ? 1 : -1) * 0.6 * spread;
  s.flutter = 0.1 * half * spread;
  s.phase = phase;
  s.down = {down[0], down[1], down[2]};
  const double n = Norm(s.down);
  s.down = n > 1e-9 ? (1 / n) * s.down : Vec3{0, 0, -1};

  std::vector<SilkTile> out;
  if (tiles < 1 || !(half > 0)) return out;
  out.reserve(tiles * tiles);
  const double h = 2 * half / tiles;
  for (int i = 0; i < tiles; ++i) {
    for (int j = 0; j < tiles; ++j) {
      const double u = -half + (i + 0.5) * h, v = -half + (j + 0.5) * h;
      const Vec3 centre = SilkPoint(s, u, v);
      const Vec3 ax = SilkPoint(s, u + 0.5 * h, v) - SilkPoint(s, u - 0.5 * h, v);
      const Vec3 ay = SilkPoint(s, u, v + 0.5 * h) - SilkPoint(s, u, v - 0.5 * h);
      const double lx = Norm(ax);
      if (lx < 1e-9) continue;
      const Vec3 x = (1 / lx) * ax;
      Vec3 y = ay - Dot(ay, x) * x;
      const double ly = Norm(y);
      if (ly < 1e-9) continue;
      y = (1 / ly) * y;
      const Vec3 z = Cross(x, y);
      SilkTile t;
      t.pos[0] = centre.x;
      t.pos[1] = centre.y;
      t.pos[2] = centre.z;
      const double mat[9] = {x.x, y.x, z.x, x.y, y.y, z.y, x.z, y.z, z.z};
      std::copy(mat, mat + 9, t.mat);
      // A little overlap hides the seams where the silk curves.
      t.size[0] = 0.54 * lx;
      t.size[1] = 0.54 * ly;
      t.size[2] = 0.0015;
      out.push_back(t);
    }
  }
  return out;
}

StageDressing::StageDressing(const Scene& scene, std::optional<FloorBox> stage)
    : stage_(stage) {
  const mjModel* m = scene.model();
  geom_rgba_.assign(4 * m->ngeom, 1.0f);
  recolour_.assign(m->ngeom, false);
  carpet_ = mj_name2id(m, mjOBJ_GEOM, "carpet");
  border_ = mj_name2id(m, mjOBJ_GEOM, "carpet_border");
  if (!stage_ && carpet_ >= 0) {
    const double hx = m->geom_size[3 * carpet_], hy = m->geom_size[3 * carpet_ + 1];
    stage_ = FloorBox{-hx, hx, -hy, hy};
  }
  const RobotInfo& info = scene.robot_info();
  auto local = [&](const std::string& name) { return RobotInfo::IndexOf(info.geom_names, name); };
  auto paint = [&](int geom, const float rgba[4]) {
    recolour_[geom] = true;
    std::copy(rgba, rgba + 4, &geom_rgba_[4 * geom]);
  };
  const float hidden[4] = {0, 0, 0, 0};
  for (int r = 0; r < scene.robot_count(); ++r) {
    const int base = scene.robot(r).geom_begin;
    for (const char* side : {"left", "right"}) {
      const int cloth = local(std::string(side) + "_hanky_cloth");
      if (cloth < 0) continue;
      Hanky hanky;
      hanky.geom = base + cloth;
      hanky.half = std::min(m->geom_size[3 * hanky.geom], m->geom_size[3 * hanky.geom + 1]);
      const int joint = m->body_jntnum[m->geom_bodyid[hanky.geom]] > 0
                            ? m->body_jntadr[m->geom_bodyid[hanky.geom]]
                            : -1;
      hanky.dof = joint >= 0 ? m->jnt_dofadr[joint] : -1;
      hankies_.push_back(hanky);
      paint(hanky.geom, hidden);  // drawn as silk tiles instead
    }
    auto trim = [&](int geom, int type, std::initializer_list<double> pos,
                    std::initializer_list<double> size, const float rgba[4]) {
      Trim t;
      t.geom = geom;
      t.type = type;
      std::copy(pos.begin(), pos.end(), t.pos);
      std::copy(size.begin(), size.end(), t.size);
      std::copy(rgba, rgba + 4, t.rgba);
      trims_.push_back(t);
      return &trims_.back();
    };
    for (const char* name : {"torso", "pelvis"}) {
      if (const int g = local(name); g >= 0) paint(base + g, kGraphite);
    }
    if (const int g = local("torso"); g >= 0) {
      const double* s = m->geom_size + 3 * (base + g);
      // The chest panel, on the torso's front face.
      trim(base + g, mjGEOM_BOX, {s[0] + 0.004, 0, 0.1 * s[2]}, {0.005, 0.72 * s[1], 0.6 * s[2]},
           kPanel);
    }
    if (const int g = local("head"); g >= 0) {
      const double* s = m->geom_size + 3 * (base + g);
      paint(base + g, hidden);
      // A rounded head: a light shell with a black visor facing forward.
      trim(base + g, mjGEOM_ELLIPSOID, {0, 0, 0}, {1.05 * s[0], 1.05 * s[1], 0.95 * s[2]},
           kPanel);
      Trim* visor = trim(base + g, mjGEOM_ELLIPSOID, {0.45 * s[0], 0, 0.1 * s[2]},
                         {0.7 * s[0], 0.85 * s[1], 0.45 * s[2]}, kVisor);
      visor->specular = 0.9f;
      visor->shininess = 0.9f;
    }
    for (const char* side : {"left", "right"}) {
      const std::string prefix(side);
      if (const int g = local(prefix + "_thigh"); g >= 0) {
        const double* s = m->geom_size + 3 * (base + g);
        // The thigh's cover panel.
        trim(base + g, mjGEOM_CAPSULE, {0.008, 0, 0}, {s[0] + 0.006, 0.55 * s[1], 0}, kPanel);
      }
      if (prefix == "left") {
        // The left side's mark: bands on the upper arm and the shank.
        if (const int g = local("left_upper_arm"); g >= 0) {
          const double* s = m->geom_size + 3 * (base + g);
          trim(base + g, mjGEOM_CYLINDER, {0, 0, 0.3 * s[1]}, {s[0] + 0.008, 0.35 * s[1], 0},
               kLeftBand);
        }
        if (const int g = local("left_shank"); g >= 0) {
          const double* s = m->geom_size + 3 * (base + g);
          trim(base + g, mjGEOM_CYLINDER, {0, 0, 0.2 * s[1]}, {s[0] + 0.008, 0.25 * s[1], 0},
               kLeftBand);
        }
      }
    }
  }
  // On a stage built to throw (SceneOptions::throwing_hankies) each handkerchief is a
  // free body of its own (Scene::hankies()) and the spinner's cloth is hidden: the silk
  // follows the flying plate, seated or in the air.
  if (!scene.hankies().empty()) hankies_.clear();
  for (const HandkerchiefProp& prop : scene.hankies()) {
    if (m->body_geomnum[prop.body] < 1) continue;
    Hanky hanky;
    hanky.geom = m->body_geomadr[prop.body];
    hanky.body = prop.body;
    hanky.half = std::min(m->geom_size[3 * hanky.geom], m->geom_size[3 * hanky.geom + 1]);
    hankies_.push_back(hanky);
    paint(hanky.geom, hidden);
  }
}

void StageDressing::Apply(const mjData& d, mjvScene* view) const {
  // Recolour, hide and note which geoms are drawn (their trims and silk follow them).
  std::vector<char> drawn(recolour_.size(), 0);
  int kept = 0;
  for (int i = 0; i < view->ngeom; ++i) {
    mjvGeom g = view->geoms[i];
    if (g.objtype == mjOBJ_GEOM && g.objid >= 0 && g.objid < static_cast<int>(recolour_.size())) {
      drawn[g.objid] = 1;
      if (recolour_[g.objid]) {
        const float* rgba = &geom_rgba_[4 * g.objid];
        if (rgba[3] == 0) continue;
        std::copy(rgba, rgba + 3, g.rgba);
      }
      if (stage_ && (g.objid == carpet_ || g.objid == border_)) {
        const double edge = g.objid == border_ ? 0.08 : 0;
        g.pos[0] = static_cast<float>(0.5 * (stage_->x_min + stage_->x_max));
        g.pos[1] = static_cast<float>(0.5 * (stage_->y_min + stage_->y_max));
        g.size[0] = static_cast<float>(0.5 * (stage_->x_max - stage_->x_min) + edge);
        g.size[1] = static_cast<float>(0.5 * (stage_->y_max - stage_->y_min) + edge);
      }
    }
    g.segid = kept;
    view->geoms[kept++] = g;
  }
  view->ngeom = kept;

  // Robot trims, in their geom's frame.
  for (const Trim& t : trims_) {
    if (!drawn[t.geom]) continue;
    const mjtNum* xpos = d.geom_xpos + 3 * t.geom;
    const mjtNum* xmat = d.geom_xmat + 9 * t.geom;
    double pos[3], mat[9], frame[9];
    std::copy(xmat, xmat + 9, frame);
    for (int k = 0; k < 3; ++k) {
      pos[k] = xpos[k] + xmat[3 * k] * t.pos[0] + xmat[3 * k + 1] * t.pos[1] +
               xmat[3 * k + 2] * t.pos[2];
    }
    MulMat(frame, t.mat, mat);
    if (mjvGeom* g = AddGeom(view, t.type, t.size, pos, mat, t.rgba)) {
      g->objtype = mjOBJ_GEOM;
      g->objid = t.geom;
      g->category = mjCAT_DYNAMIC;
      g->specular = t.specular;
      g->shininess = t.shininess;
    }
  }

  // Handkerchiefs: silk shaped by the spin, in the cloth's frame.
  for (const Hanky& h : hankies_) {
    if (!drawn[h.geom]) continue;
    const mjtNum* xpos = d.geom_xpos + 3 * h.geom;
    const mjtNum* xmat = d.geom_xmat + 9 * h.geom;
    const double down[3] = {-xmat[6], -xmat[7], -xmat[8]};  // world -z in the cloth's frame
    // rad/s about the cloth's normal: the spinner's joint, or a free body's angular
    // velocity (cvel, world frame) along the plate's z axis.
    double rate = h.dof >= 0 ? d.qvel[h.dof] : 0;
    if (h.body >= 0) {
      const mjtNum* w = d.cvel + 6 * h.body;
      rate = w[0] * xmat[2] + w[1] * xmat[5] + w[2] * xmat[8];
    }
    double frame[9];
    std::copy(xmat, xmat + 9, frame);
    const double spin_angle = std::atan2(xmat[3], xmat[0]);
    for (const SilkTile& tile : SilkShape(h.half, kSilkTiles, rate, down, spin_angle)) {
      double pos[3], mat[9];
      for (int k = 0; k < 3; ++k) {
        pos[k] = xpos[k] + xmat[3 * k] * tile.pos[0] + xmat[3 * k + 1] * tile.pos[1] +
                 xmat[3 * k + 2] * tile.pos[2];
      }
      MulMat(frame, tile.mat, mat);
      mjvGeom* g = AddGeom(view, mjGEOM_BOX, tile.size, pos, mat, kSilk);
      if (!g) return;
      g->objtype = mjOBJ_GEOM;
      g->objid = h.geom;
      g->category = mjCAT_DYNAMIC;
      g->specular = 0.35f;
      g->shininess = 0.7f;
    }
  }

  // The set: a pleated curtain behind the stage under a gold pelmet.
  if (!stage_) return;
  const FloorBox& s = *stage_;
  const double back = s.x_min - 1.6;
  const double mid_y = 0.5 * (s.y_min + s.y_max);
  const double wide = 0.5 * (s.y_max - s.y_min) + 10;
  {
    const double size[3] = {0.05, wide, 3.5}, pos[3] = {back, mid_y, 3.5};
    AddSet(view, mjGEOM_BOX, size, pos, kCurtain);
  }
  // Folds: half-round pleats across the curtain.
  for (double y = mid_y - wide + 0.3; y < mid_y + wide; y += 0.6) {
    const double size[3] = {0.16, 3.5, 0}, pos[3] = {back + 0.04, y, 3.5};
    AddSet(view, mjGEOM_CYLINDER, size, pos, kCurtain);
  }
  {
    const double size[3] = {0.12, wide, 0.25}, pos[3] = {back + 0.2, mid_y, 6.0};
    AddSet(view, mjGEOM_BOX, size, pos, kGold);
  }
}

}  // namespace yangbot
