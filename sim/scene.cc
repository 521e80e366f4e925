#include "sim/scene.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <optional>
#include <sstream>

#include "sim/assets.h"
#include "sim/error.h"
#include "sim/xml.h"

namespace yangbot {
namespace {

constexpr int kMaxRobots = 32;

// Attributes that hold the name of a robot element (and so get the robot prefix).
// Default classes, materials, meshes and textures are shared by all copies.
constexpr const char* kReferenceAttributes[] = {
    "name",   "joint",  "joint1", "joint2", "jointinparent", "body",   "body1",
    "body2",  "site",   "geom",   "geom1",  "geom2",         "tendon", "tendon1",
    "tendon2", "refname", "objname", "slidersite", "cranksite", "target"};

// Top-level MJCF sections whose children belong to one robot.
constexpr const char* kPerRobotSections[] = {"contact", "equality", "tendon", "actuator", "sensor"};

XmlElement Element(std::string tag) {
  XmlElement e;
  e.tag = std::move(tag);
  return e;
}

std::string Format(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.6g", v);
  return buffer;
}

void PrefixNames(XmlElement* e, const std::string& prefix) {
  for (auto& [key, value] : e->attributes) {
    for (const char* attribute : kReferenceAttributes) {
      if (key == attribute && !value.empty()) {
        value = prefix + value;
        break;
      }
    }
  }
  for (auto& child : e->children) PrefixNames(&child, prefix);
}

std::vector<double> ParseNumbers(const std::string& text) {
  std::vector<double> out;
  std::istringstream in(text);
  double v;
  while (in >> v) out.push_back(v);
  return out;
}

std::string JoinNumbers(const double* v, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += (i ? " " : "") + Format(v[i]);
  return out;
}

// Quaternion product a*b, (w, x, y, z).
void QuatMul(const double a[4], const double b[4], double out[4]) {
  out[0] = a[0] * b[0] - a[1] * b[1] - a[2] * b[2] - a[3] * b[3];
  out[1] = a[0] * b[1] + a[1] * b[0] + a[2] * b[3] - a[3] * b[2];
  out[2] = a[0] * b[2] - a[1] * b[3] + a[2] * b[0] + a[3] * b[1];
  out[3] = a[0] * b[3] + a[1] * b[2] - a[2] * b[1] + a[3] * b[0];
}

// A dof must move at least this much inertia (kg·m² for rotation, kg for translation).
constexpr double kMinDofInertia = 1e-6;

// "PATH:LINE:COL: error: MESSAGE" at an element of the robot file, or "PATH: error: MESSAGE"
// when there is no element to point at.
std::string LocatedError(const std::string& path, const XmlElement* where,
                         const std::string& message) {
  if (!where) return path + ": error: " + message;
  return FormatFileError(path, where->line, where->column, message);
}

// The first element that starts on `line`, outside <default> (where nothing is compiled).
const XmlElement* ElementOnLine(const XmlElement& e, int line) {
  if (e.line == line) return &e;
  for (const auto& child : e.children) {
    if (child.tag == "default") continue;
    if (const XmlElement* found = ElementOnLine(child, line)) return found;
  }
  return nullptr;
}

// The element of body `id` (MuJoCo numbers bodies depth first, in file order; 0 is the world).
const XmlElement* BodyElement(const XmlElement& root, int id) {
  const XmlElement* worldbody = root.Child("worldbody");
  if (!worldbody || id < 1) return worldbody;
  int next = 1;
  std::function<const XmlElement*(const XmlElement&)> visit =
      [&](const XmlElement& e) -> const XmlElement* {
    for (const auto& child : e.children) {
      if (child.tag != "body") continue;
      if (next++ == id) return &child;
      if (const XmlElement* found = visit(child)) return found;
    }
    return nullptr;
  };
  return visit(*worldbody);
}

// The element of joint `id`: its body's k-th <joint>/<freejoint>, else the body.
const XmlElement* JointElement(const XmlElement& root, const mjModel* m, int id) {
  const int body = m->jnt_bodyid[id];
  const XmlElement* e = BodyElement(root, body);
  if (!e) return nullptr;
  int k = id - m->body_jntadr[body];
  for (const auto& child : e->children) {
    if ((child.tag == "joint" || child.tag == "freejoint") && k-- == 0) return &child;
  }
  return e;
}

// The element of actuator `id` (actuators are numbered in file order).
const XmlElement* ActuatorElement(const XmlElement& root, int id) {
  int next = 0;
  for (const auto& section : root.children) {
    if (section.tag != "actuator") continue;
    for (const auto& child : section.children) {
      if (next++ == id) return &child;
    }
  }
  return nullptr;
}

// MuJoCo's load error ("Error: WHAT\nObject name = N, id = I, line = L, column = -1" or
// "XML Error: WHAT\n\nElement 'TAG', line L") as "PATH:LINE:COL: error: TAG 'N': WHAT".
std::string MujocoLoadError(const std::string& path, const XmlElement& root, const char* error) {
  std::string text = error;
  std::string what = text.substr(0, text.find('\n'));
  for (const char* prefix : {"XML Error: ", "Error: "}) {
    if (what.starts_with(prefix)) what = what.substr(std::strlen(prefix));
  }
  if (what.empty()) what = "MuJoCo could not load the robot";
  int line = 0;  // the location, if any, follows the first line
  const size_t details = text.find('\n');
  for (const char* key : {"line = ", "line "}) {
    const size_t at = details == std::string::npos ? details : text.find(key, details);
    if (at != std::string::npos) {
      line = std::atoi(text.c_str() + at + std::strlen(key));
      break;
    }
  }
  const XmlElement* where = line > 0 ? ElementOnLine(root, line) : nullptr;
  if (!where) {
    return line > 0 ? FormatFileError(path, line, 1, what) : path + ": error: " + what;
  }
  const std::string name = where->Get("name");
  return LocatedError(path, where,
                      where->tag + (name.empty() ? "" : " '" + name + "'") + ": " + what);
}

// Why actuator `a` is not a torque motor on a joint ("" when it is one): the controllers
// write joint torques in N·m into ctrl and read the torque limits from ctrlrange.
std::string ActuatorProblem(const mjModel* m, int a) {
  const std::string use = ": use <motor> (gear 1) with ctrlrange = the torque limit in N·m";
  if (m->actuator_trntype[a] != mjTRN_JOINT) {
    return "does not drive a joint (tendon, site or slider-crank transmission)" + use;
  }
  const int type = m->jnt_type[m->actuator_trnid[2 * a]];
  if (type != mjJNT_HINGE && type != mjJNT_SLIDE) return "must drive a hinge or slide joint";
  if (m->actuator_dyntype[a] != mjDYN_NONE) {
    return "has activation dynamics, it is not a torque motor" + use;
  }
  if (m->actuator_gaintype[a] != mjGAIN_FIXED) {
    return "has a state-dependent gain (a muscle?), it is not a torque motor" + use;
  }
  const mjtNum* bias = m->actuator_biasprm + a * mjNBIAS;
  if (m->actuator_biastype[a] != mjBIAS_NONE) {
    if (bias[1] != 0) return "is a position servo (kp " + Format(-bias[1]) + "), not a torque motor" + use;
    if (bias[2] != 0) return "is a velocity servo (kv " + Format(-bias[2]) + "), not a torque motor" + use;
    return "has a bias force, it is not a torque motor" + use;
  }
  const double gain = m->actuator_gainprm[a * mjNGAIN];
  if (gain != 1) return "has gain " + Format(gain) + ", so ctrl is not the torque" + use;
  const double gear = m->actuator_gear[6 * a];
  if (gear != 1) return "has gear " + Format(gear) + ", so ctrl is not the joint torque" + use;
  if (!m->actuator_ctrllimited[a]) return "has no ctrlrange (its torque limit)";
  const double lo = m->actuator_ctrlrange[2 * a], hi = m->actuator_ctrlrange[2 * a + 1];
  if (!(lo < 0 && hi > 0)) {
    return "has ctrlrange [" + Format(lo) + ", " + Format(hi) +
           "]: a torque limit must allow both signs (e.g. -40 40)";
  }
  return "";
}


std::string NameOf(const mjModel* m, int type, int id) {
  const char* name = mj_id2name(m, type, id);
  return name ? name : "";
}

// The robot file's one top-level body; throws naming the file when there is not exactly one.
const XmlElement& RootBody(const XmlElement& robot, const std::string& path) {
  const XmlElement* worldbody = robot.Child("worldbody");
  if (!worldbody) throw Error(path + ": error: the robot file has no <worldbody>");
  const XmlElement* root = nullptr;
  for (const auto& child : worldbody->children) {
    if (child.tag != "body") continue;
    if (root) {
      throw Error(FormatFileError(path, child.line, child.column,
                                  "the robot must have exactly one top-level body"));
    }
    root = &child;
  }
  if (!root) throw Error(path + ": error: the robot must have exactly one top-level body");
  return *root;
}

// What the stage needs of the file's XML: a <mujoco> root without <include>, and a top-level
// body placed with pos and quat (the stage moves it to each robot's placement). The number of
// top-level bodies is checked on the compiled model.
void CheckRobotTree(const XmlElement& robot, const std::string& path) {
  if (robot.tag != "mujoco") throw Error(path + ": error: the root element must be <mujoco>");
  for (const auto& section : robot.children) {
    if (section.tag == "include") {
      throw Error(FormatFileError(path, section.line, section.column,
                                  "<include> is not supported in robot files"));
    }
  }
  const XmlElement* worldbody = robot.Child("worldbody");
  if (!worldbody) return;
  for (const auto& body : worldbody->children) {
    if (body.tag != "body") continue;
    if (ParseNumbers(body.Get("pos", "0 0 0")).size() != 3 ||
        ParseNumbers(body.Get("quat", "1 0 0 0")).size() != 4 || body.Find("euler") ||
        body.Find("axisangle") || body.Find("xyaxes") || body.Find("zaxis")) {
      throw Error(FormatFileError(path, body.line, body.column,
                                  "the root body must be placed with pos and (optionally) quat"));
    }
  }
}

// Makes the compiler's mesh and texture folders absolute (relative ones are relative to the
// robot file's folder `base`, or to its assetdir), so the staged text compiles from anywhere.
void AbsoluteFolders(XmlElement* robot, const std::filesystem::path& base) {
  XmlElement* compiler = robot->Child("compiler");
  if (!compiler) {
    robot->children.insert(robot->children.begin(), Element("compiler"));
    compiler = &robot->children.front();
  }
  auto absolute = [&](const std::string& folder) {
    const std::filesystem::path p(folder);
    std::string out = (p.is_relative() ? base / p : p).lexically_normal().string();
    if (out.empty() || out.back() != '/') out += '/';
    return out;
  };
  const std::string assets = absolute(compiler->Get("assetdir", ""));
  compiler->Remove("assetdir");
  for (const char* attribute : {"meshdir", "texturedir"}) {
    const std::string* value = compiler->Find(attribute);
    compiler->Set(attribute, value ? absolute(*value) : assets);
  }
}

// Compiles MJCF text from memory (MuJoCo's virtual file system); nullptr and `error` on failure.
mjModel* CompileXml(const std::string& xml, char* error, int error_size) {
  auto vfs = std::make_unique<mjVFS>();  // megabytes: not on the stack
  mj_defaultVFS(vfs.get());
  const char* kFile = "yangbot_model.xml";
  if (mj_makeEmptyFileVFS(vfs.get(), kFile, static_cast<int>(xml.size())) != 0) {
    std::snprintf(error, error_size, "cannot allocate the model in MuJoCo's virtual file system");
    return nullptr;
  }
  std::memcpy(vfs->filedata[mj_findFileVFS(vfs.get(), kFile)], xml.data(), xml.size());
  mjModel* m = mj_loadXML(kFile, vfs.get(), error, error_size);
  mj_deleteVFS(vfs.get());
  return m;
}

// The <body> element named `name` under `e`, or nullptr.
XmlElement* FindBodyUnder(XmlElement* e, const std::string& name) {
  for (auto& child : e->children) {
    if (child.tag != "body") continue;
    if (child.Get("name") == name) return &child;
    if (XmlElement* found = FindBodyUnder(&child, name)) return found;
  }
  return nullptr;
}

// The robot file's <body> element named `name` (the compiled model has it).
XmlElement* FindBody(XmlElement* robot, const std::string& name) {
  XmlElement* worldbody = robot->Child("worldbody");
  XmlElement* body = worldbody ? FindBodyUnder(worldbody, name) : nullptr;
  if (!body) throw Error("error: internal: no <body name=\"" + name + "\"> in the robot file");
  return body;
}

using Vec3 = std::array<double, 3>;

// The points of body `body`'s collision geoms that can be lowest on a floor (world frame,
// from the kinematics in d): corners of boxes, the bottoms of spheres and of capsule ends,
// the lowest rim points of cylinder ends, mesh vertices.
std::vector<Vec3> LowestCandidates(const mjModel* m, const mjData* d, int body) {
  std::vector<Vec3> out;
  for (int g = m->body_geomadr[body]; g >= 0 && g < m->body_geomadr[body] + m->body_geomnum[body];
       ++g) {
    if (m->geom_contype[g] == 0 && m->geom_conaffinity[g] == 0) continue;
    const double* c = d->geom_xpos + 3 * g;
    const double* R = d->geom_xmat + 9 * g;  // row-major: column k is the geom's axis k
    const double* size = m->geom_size + 3 * g;
    auto at = [&](double x, double y, double z) {
      return Vec3{c[0] + R[0] * x + R[1] * y + R[2] * z, c[1] + R[3] * x + R[4] * y + R[5] * z,
                  c[2] + R[6] * x + R[7] * y + R[8] * z};
    };
    switch (m->geom_type[g]) {
      case mjGEOM_SPHERE: {
        const Vec3 p = at(0, 0, 0);
        out.push_back({p[0], p[1], p[2] - size[0]});
        break;
      }
      case mjGEOM_CAPSULE:
        for (const double end : {-size[1], size[1]}) {
          const Vec3 p = at(0, 0, end);
          out.push_back({p[0], p[1], p[2] - size[0]});
        }
        break;
      case mjGEOM_CYLINDER: {
        // The rim point of an end disc furthest down: along -z's part normal to the axis.
        const double ux = -R[6], uy = -R[7];  // -z in the geom's x, y
        const double norm = std::hypot(ux, uy);
        for (const double end : {-size[1], size[1]}) {
          if (norm > 1e-9) {
            out.push_back(at(size[0] * ux / norm, size[0] * uy / norm, end));
          } else {
            for (const auto& [x, y] : {std::pair{1, 0}, {-1, 0}, {0, 1}, {0, -1}}) {
              out.push_back(at(size[0] * x, size[0] * y, end));
            }
          }
        }
        break;
      }
      case mjGEOM_BOX:
        for (int k = 0; k < 8; ++k) {
          out.push_back(at((k & 1 ? 1 : -1) * size[0], (k & 2 ? 1 : -1) * size[1],
                           (k & 4 ? 1 : -1) * size[2]));
        }
        break;
      case mjGEOM_MESH: {
        const int mesh = m->geom_dataid[g];
        const float* v = m->mesh_vert + 3 * m->mesh_vertadr[mesh];
        for (int k = 0; k < m->mesh_vertnum[mesh]; ++k) {
          out.push_back(at(v[3 * k], v[3 * k + 1], v[3 * k + 2]));
        }
        break;
      }
      default:
        break;
    }
  }
  return out;
}

// A sole fitted to a foot in the standing posture: the centre of the span (along and across
// the foot's heading) of the points within kSoleTolerance of its lowest point.
struct SoleFit {
  bool found = false;  // the foot has collision geometry
  Vec3 world{};        // m, the sole centre (world), at the lowest point's height
  Vec3 pos{};          // m, the same point in the foot's frame
  double quat[4] = {1, 0, 0, 0};  // the foot's heading with z up, in the foot's frame
};

// m: points this close to the lowest one share the floor with it (equal heights of a flat
// sole's corners and capsule ends, up to rounding in the robot file).
constexpr double kSoleTolerance = 0.002;

SoleFit FitSole(const mjModel* m, const mjData* d, int body) {
  SoleFit fit;
  const std::vector<Vec3> points = LowestCandidates(m, d, body);
  if (points.empty()) return fit;
  fit.found = true;
  const double* o = d->xpos + 3 * body;
  const double* R = d->xmat + 9 * body;
  const double yaw = std::atan2(R[3], R[0]);  // heading of the foot's x axis
  const double c = std::cos(yaw), s = std::sin(yaw);
  double lowest = points[0][2];
  for (const Vec3& p : points) lowest = std::min(lowest, p[2]);
  double x_min = 1e9, x_max = -1e9, y_min = 1e9, y_max = -1e9;
  for (const Vec3& p : points) {
    if (p[2] > lowest + kSoleTolerance) continue;
    const double x = c * (p[0] - o[0]) + s * (p[1] - o[1]);
    const double y = -s * (p[0] - o[0]) + c * (p[1] - o[1]);
    x_min = std::min(x_min, x);
    x_max = std::max(x_max, x);
    y_min = std::min(y_min, y);
    y_max = std::max(y_max, y);
  }
  const double x = 0.5 * (x_min + x_max), y = 0.5 * (y_min + y_max);
  fit.world = {o[0] + c * x - s * y, o[1] + s * x + c * y, lowest};
  const double r[3] = {fit.world[0] - o[0], fit.world[1] - o[1], fit.world[2] - o[2]};
  for (int k = 0; k < 3; ++k) fit.pos[k] = R[k] * r[0] + R[3 + k] * r[1] + R[6 + k] * r[2];
  const double* q = d->xquat + 4 * body;
  const double body_conj[4] = {q[0], -q[1], -q[2], -q[3]};
  const double heading[4] = {std::cos(yaw / 2), 0, 0, std::sin(yaw / 2)};
  QuatMul(body_conj, heading, fit.quat);
  return fit;
}

// The H1's standing knee bend (rad; shared/docs/h1-facts.md).
constexpr double kStandKnee = 0.8;

// A standing posture for an H1 without a "stand" keyframe (see LoadRobotInfo): knees bent
// kStandKnee, hip pitch = -(knee + ankle) so the feet stay parallel to the pelvis, the ankle
// chosen by bisection so that the centre of mass is over the middle of the two soles, and the
// pelvis lowered until the lowest sole touches z = 0. Leaves d at that posture's kinematics.
std::vector<double> StandPosture(const mjModel* m, mjData* d) {
  auto qpos_of = [&](const std::string& joint) {
    return m->jnt_qposadr[mj_name2id(m, mjOBJ_JOINT, joint.c_str())];
  };
  const int feet[2] = {mj_name2id(m, mjOBJ_BODY, "left_ankle_link"),
                       mj_name2id(m, mjOBJ_BODY, "right_ankle_link")};
  std::vector<double> q(m->qpos0, m->qpos0 + m->nq);
  // Forward lean of the centre of mass over the soles' middle (m) with the ankle at `ankle`.
  auto lean = [&](double ankle) {
    for (const char* side : {"left_", "right_"}) {
      q[qpos_of(std::string(side) + "knee")] = kStandKnee;
      q[qpos_of(std::string(side) + "ankle")] = ankle;
      q[qpos_of(std::string(side) + "hip_pitch")] = -(kStandKnee + ankle);
    }
    mju_copy(d->qpos, q.data(), m->nq);
    mj_kinematics(m, d);
    double com = 0, mass = 0, sole = 0;
    for (int b = 1; b < m->nbody; ++b) {
      com += m->body_mass[b] * d->xipos[3 * b];
      mass += m->body_mass[b];
    }
    for (const int foot : feet) sole += 0.5 * FitSole(m, d, foot).world[0];
    return com / mass - sole;  // the robot faces +x
  };
  const int ankle = mj_name2id(m, mjOBJ_JOINT, "left_ankle");
  double lo = m->jnt_range[2 * ankle], hi = m->jnt_range[2 * ankle + 1];
  if (!m->jnt_limited[ankle]) lo = -1, hi = 1;
  double lean_lo = lean(lo);
  if (lean_lo * lean(hi) < 0) {
    for (int k = 0; k < 40; ++k) {
      const double mid = 0.5 * (lo + hi);
      const double lean_mid = lean(mid);
      if ((lean_mid < 0) == (lean_lo < 0)) {
        lo = mid;
        lean_lo = lean_mid;
      } else {
        hi = mid;
      }
    }
  }
  lean(0.5 * (lo + hi));
  const double floor = std::min(FitSole(m, d, feet[0]).world[2], FitSole(m, d, feet[1]).world[2]);
  q[2] -= floor;
  mju_copy(d->qpos, q.data(), m->nq);
  mj_kinematics(m, d);
  return q;
}

// Adds the handkerchief assembly (HandkerchiefAssemblyPath) under `side`'s elbow link:
// its body and motor renamed with the side's prefix; its default class and materials
// merged into the robot once (`merged` says whether they already are).
void AttachHandkerchief(XmlElement* robot, const XmlElement& assembly, const std::string& side,
                        bool* merged) {
  for (const char* tag : {"default", "asset", "actuator"}) {
    if (!robot->Child(tag)) robot->children.push_back(Element(tag));
  }
  if (!*merged) {
    for (const auto& section : assembly.children) {
      if (section.tag != "default" && section.tag != "asset") continue;
      XmlElement* into = robot->Child(section.tag);
      into->children.insert(into->children.end(), section.children.begin(), section.children.end());
    }
    *merged = true;
  }
  XmlElement* elbow = FindBody(robot, side + "_elbow_link");
  XmlElement* actuators = nullptr;
  for (auto& section : robot->children) {
    if (section.tag == "actuator") actuators = &section;  // the last one: motors go last
  }
  for (const auto& section : assembly.children) {
    if (section.tag != "worldbody" && section.tag != "actuator") continue;
    for (XmlElement child : section.children) {
      PrefixNames(&child, side + "_");
      (section.tag == "worldbody" ? elbow : actuators)->children.push_back(std::move(child));
    }
  }
}

// Completes a robot with the H1 layout to the project's layout (see LoadRobotInfo): adds to
// `robot` (the file's XML) and to info->stand_qpos / stage_added. `m` is the file compiled.
void CompleteH1(XmlElement* robot, const mjModel* m, RobotInfo* info) {
  if (!MissingH1Layout(*info).empty()) return;
  const std::unique_ptr<mjData, void (*)(mjData*)> data(mj_makeData(m), mj_deleteData);
  mjData* d = data.get();
  const bool derive_stand = mj_name2id(m, mjOBJ_KEY, "stand") < 0;
  if (derive_stand) {
    info->stand_qpos = StandPosture(m, d);
  } else {
    mju_copy(d->qpos, info->stand_qpos.data(), m->nq);
    mj_kinematics(m, d);
  }
  for (const std::string side : {"left", "right"}) {
    if (RobotInfo::IndexOf(info->site_names, side + "_sole") >= 0) continue;
    const std::string foot = side + "_ankle_link";
    const SoleFit fit = FitSole(m, d, mj_name2id(m, mjOBJ_BODY, foot.c_str()));
    if (!fit.found) {
      throw Error(info->path + ": error: body '" + foot +
                  "' has no collision geometry to stand on (the stage derives the sole from it)");
    }
    XmlElement site = Element("site");
    site.Set("name", side + "_sole");
    site.Set("pos", JoinNumbers(fit.pos.data(), 3));
    site.Set("quat", JoinNumbers(fit.quat, 4));
    site.Set("size", "0.01");
    site.Set("rgba", "1 1 0 0");
    site.Set("group", "4");
    FindBody(robot, foot)->children.push_back(std::move(site));
    info->stage_added.push_back(side + "_sole site");
  }
  bool merged = false;
  std::optional<XmlElement> assembly;
  for (const std::string side : {"left", "right"}) {
    if (RobotInfo::IndexOf(info->actuator_names, side + "_hanky") >= 0) continue;
    if (!assembly) {
      const std::string path = HandkerchiefAssemblyPath();
      assembly = ParseXml(ReadFileOrThrow(path), path);
    }
    AttachHandkerchief(robot, *assembly, side, &merged);
    info->stage_added.push_back(side + " handkerchief");
  }
  if (derive_stand) info->stage_added.push_back("stand posture");
}

// Reads the RobotInfo of a compiled single-robot model (sizes, names, stand posture, IMU).
RobotInfo ReadRobotInfo(const mjModel* m, const std::string& path) {
  RobotInfo info;
  info.path = path;
  auto name_of = [&](int type, int id) { return NameOf(m, type, id); };
  info.nq = m->nq;
  info.nv = m->nv;
  info.nu = m->nu;
  info.nbody = m->nbody - 1;
  info.njnt = m->njnt;
  info.ngeom = m->ngeom - m->body_geomnum[0];
  info.nsensor = m->nsensor;
  for (int b = 1; b < m->nbody; ++b) info.body_names.push_back(name_of(mjOBJ_BODY, b));
  for (int j = 0; j < m->njnt; ++j) info.joint_names.push_back(name_of(mjOBJ_JOINT, j));
  for (int g = 0; g < m->ngeom; ++g) {
    if (m->geom_bodyid[g] == 0) continue;
    info.geom_names.push_back(name_of(mjOBJ_GEOM, g));
    info.geom_contype.push_back(m->geom_contype[g]);
    info.geom_conaffinity.push_back(m->geom_conaffinity[g]);
  }
  for (int s = 0; s < m->nsite; ++s) {
    if (m->site_bodyid[s] != 0) info.site_names.push_back(name_of(mjOBJ_SITE, s));
  }
  info.nsite = static_cast<int>(info.site_names.size());
  for (int a = 0; a < m->nu; ++a) {
    info.actuator_names.push_back(name_of(mjOBJ_ACTUATOR, a));
    const int joint = m->actuator_trnid[2 * a];
    info.actuator_qpos.push_back(m->jnt_qposadr[joint]);
    info.actuator_dof.push_back(m->jnt_dofadr[joint]);
    info.ctrl_min.push_back(m->actuator_ctrlrange[2 * a]);
    info.ctrl_max.push_back(m->actuator_ctrlrange[2 * a + 1]);
  }
  for (int s = 0; s < m->nsensor; ++s) info.sensor_names.push_back(name_of(mjOBJ_SENSOR, s));
  const int key = mj_name2id(m, mjOBJ_KEY, "stand");
  const mjtNum* qpos = key >= 0 ? m->key_qpos + key * m->nq : m->qpos0;
  info.stand_qpos.assign(qpos, qpos + m->nq);
  info.mass = mj_getTotalmass(m);
  info.torso_body = std::max(0, RobotInfo::IndexOf(info.body_names, "torso_link"));
  const int left_sole = mj_name2id(m, mjOBJ_SITE, "left_sole");
  const int right_sole = mj_name2id(m, mjOBJ_SITE, "right_sole");
  if (left_sole >= 0 && right_sole >= 0) {
    const std::optional<SoleSupport> left = ReadSoleSupport(m, left_sole);
    const std::optional<SoleSupport> right = ReadSoleSupport(m, right_sole);
    info.line_soles = left && right && left->line && right->line;
    if (left) info.sole = *left;
  }
  const int imu_site = mj_name2id(m, mjOBJ_SITE, "imu");
  for (int s = 0; s < m->nsensor; ++s) {
    if (imu_site >= 0 && m->sensor_objtype[s] == mjOBJ_SITE && m->sensor_objid[s] == imu_site) {
      info.imu_sensors.push_back(s);
    }
  }
  return info;
}

// Throw mode (SceneOptions::throwing_hankies): the spinner body `pin` (the robot copy's
// "<side>_hanky") keeps only the pin: the seated mass and inertia less the flying
// handkerchief's (`flight`, the assembly's <flight> body), and its cloth is hidden (the
// flying body carries it).
void StripPin(XmlElement* pin, const XmlElement& flight) {
  XmlElement* seated = pin->Child("inertial");
  const XmlElement* flying = flight.Child("inertial");
  if (!seated || !flying) {
    throw Error("error: the handkerchief's spinner and flying body need an <inertial> each");
  }
  const double mass = std::stod(seated->Get("mass", "0")) - std::stod(flying->Get("mass", "0"));
  const std::vector<double> a = ParseNumbers(seated->Get("diaginertia", "0 0 0"));
  const std::vector<double> b = ParseNumbers(flying->Get("diaginertia", "0 0 0"));
  if (!(mass > 0) || a.size() != 3 || b.size() != 3) {
    throw Error("error: the flying handkerchief must weigh less than the seated assembly");
  }
  // A floor under the pin's inertia keeps it a physical body (a thin rod of `mass`).
  double inertia[3];
  for (int k = 0; k < 3; ++k) inertia[k] = std::max(a[k] - b[k], 1e-7);
  seated->Set("mass", Format(mass));
  seated->Set("diaginertia", JoinNumbers(inertia, 3));
  for (auto& child : pin->children) {
    if (child.tag == "geom" && child.Get("name").ends_with("_hanky_cloth")) {
      std::erase_if(child.attributes, [](const auto& kv) { return kv.first == "material"; });
      child.Set("rgba", "0 0 0 0");
    }
  }
}

// Fills info->hanky_seat: the hub sites' poses in the standing posture (see RobotInfo).
void FindHankySeats(const mjModel* m, RobotInfo* info) {
  const std::unique_ptr<mjData, void (*)(mjData*)> data(mj_makeData(m), mj_deleteData);
  mju_copy(data->qpos, info->stand_qpos.data(), m->nq);
  mj_kinematics(m, data.get());
  for (int side = 0; side < 2; ++side) {
    const int site = mj_name2id(m, mjOBJ_SITE, side == 0 ? "left_hanky_hub" : "right_hanky_hub");
    if (site < 0) continue;
    mju_copy3(info->hanky_seat[side].data(), data->site_xpos + 3 * site);
    mju_copy4(info->hanky_seat[side].data() + 3, data->xquat + 4 * m->site_bodyid[site]);
  }
}

}  // namespace

std::optional<SoleSupport> ReadSoleSupport(const mjModel* m, int site, double line_width) {
  const int body = m->site_bodyid[site];
  const mjtNum* site_pos = m->site_pos + 3 * site;
  mjtNum site_inverse[4];
  mju_negQuat(site_inverse, m->site_quat + 4 * site);
  std::vector<Vec3> points;  // in the site frame
  for (int g = m->body_geomadr[body]; g >= 0 && g < m->body_geomadr[body] + m->body_geomnum[body];
       ++g) {
    if (m->geom_contype[g] == 0 && m->geom_conaffinity[g] == 0) continue;
    const mjtNum* size = m->geom_size + 3 * g;
    std::vector<Vec3> local;
    switch (m->geom_type[g]) {
      case mjGEOM_BOX:
        for (int c = 0; c < 8; ++c) {
          local.push_back({(c & 1 ? 1 : -1) * size[0], (c & 2 ? 1 : -1) * size[1],
                           (c & 4 ? 1 : -1) * size[2]});
        }
        break;
      case mjGEOM_SPHERE:
        local.push_back({0, 0, -size[0]});
        break;
      case mjGEOM_CAPSULE:
      case mjGEOM_CYLINDER:
        local.push_back({0, 0, size[1]});
        local.push_back({0, 0, -size[1]});
        break;
      default:
        continue;
    }
    for (const Vec3& p : local) {
      mjtNum in_body[3], offset[3], in_site[3];
      mju_rotVecQuat(in_body, p.data(), m->geom_quat + 4 * g);
      for (int k = 0; k < 3; ++k) offset[k] = m->geom_pos[3 * g + k] + in_body[k] - site_pos[k];
      mju_rotVecQuat(in_site, offset, site_inverse);
      points.push_back({in_site[0], in_site[1], in_site[2]});
    }
  }
  if (points.empty()) return std::nullopt;
  double z_min = points[0][2];
  for (const Vec3& p : points) z_min = std::min(z_min, p[2]);
  constexpr double kTouching = 0.01;  // m above the lowest point that still touches the floor
  SoleSupport sole{1e9, -1e9, 1e9, -1e9, false};
  for (const Vec3& p : points) {
    if (p[2] > z_min + kTouching) continue;
    sole.x_min = std::min(sole.x_min, p[0]);
    sole.x_max = std::max(sole.x_max, p[0]);
    sole.y_min = std::min(sole.y_min, p[1]);
    sole.y_max = std::max(sole.y_max, p[1]);
  }
  // The heel half's width: a toe bar across the front does not stop the sole rolling.
  double heel_y_min = 1e9, heel_y_max = -1e9;
  for (const Vec3& p : points) {
    if (p[2] > z_min + kTouching || p[0] > 0.5 * (sole.x_min + sole.x_max)) continue;
    heel_y_min = std::min(heel_y_min, p[1]);
    heel_y_max = std::max(heel_y_max, p[1]);
  }
  sole.line = heel_y_max - heel_y_min < line_width;
  return sole;
}

std::string DefaultRobotPath() { return AssetsDir() + "/robots/h1/h1.xml"; }

std::string HandkerchiefAssemblyPath() {
  return AssetsDir() + "/robots/handkerchief.xml";
}

std::vector<Placement> GridPlacements(int robots, double spacing) {
  std::vector<Placement> out;
  if (robots <= 0) return out;
  const int columns = static_cast<int>(std::ceil(std::sqrt(static_cast<double>(robots))));
  const int rows = (robots + columns - 1) / columns;
  for (int i = 0; i < robots; ++i) {
    const int row = i / columns;  // row 0 is nearest the audience (largest x)
    const int column = i % columns;
    Placement p;
    p.x = (0.5 * (rows - 1) - row) * spacing;
    p.y = (0.5 * (columns - 1) - column) * spacing;
    out.push_back(p);
  }
  return out;
}

int RobotInfo::IndexOf(const std::vector<std::string>& names, const std::string& name) {
  const auto it = std::find(names.begin(), names.end(), name);
  return it == names.end() ? -1 : static_cast<int>(it - names.begin());
}

RobotInfo LoadRobotInfo(const std::string& path) {
  if (!std::filesystem::exists(path)) throw Error(path + ": error: robot file not found");
  // Our own reader first: it reports malformed XML with line and column, and it is the
  // reader the stage is built with, so a file it rejects could not be staged anyway.
  XmlElement root = ParseXml(ReadFileOrThrow(path), path);
  CheckRobotTree(root, path);
  char error[1024] = "";
  mjModel* m = mj_loadXML(path.c_str(), nullptr, error, sizeof(error));
  if (!m) throw Error(MujocoLoadError(path, root, error));
  auto fail = [&](const XmlElement* where, const std::string& message) {
    mj_deleteModel(m);
    throw Error(LocatedError(path, where, message));
  };
  auto label = [&](int type, int id) {
    const std::string name = NameOf(m, type, id);
    return name.empty() ? "#" + std::to_string(id) : "'" + name + "'";
  };
  const XmlElement* worldbody = root.Child("worldbody");
  // Exactly one top-level body, holding the free joint as its first joint.
  int top_level = 0;
  for (int b = 1; b < m->nbody; ++b) top_level += m->body_parentid[b] == 0;
  if (top_level != 1) {
    fail(worldbody, "the robot must have exactly one top-level body (found " +
                        std::to_string(top_level) + ")");
  }
  if (m->njnt == 0 || m->jnt_type[0] != mjJNT_FREE || m->jnt_bodyid[0] != 1) {
    fail(BodyElement(root, 1), "the robot's root body must have a free joint (a floating base)");
  }
  for (int j = 1; j < m->njnt; ++j) {
    if (m->jnt_type[j] == mjJNT_FREE) {
      fail(BodyElement(root, m->jnt_bodyid[j]), "the robot has more than one free joint");
    }
  }
  if (m->nmocap > 0) fail(nullptr, "the robot must not contain mocap bodies");
  if (m->neq > 0) fail(root.Child("equality"), "the robot must not contain equality constraints");
  if (m->nu == 0) fail(nullptr, "the robot has no actuators");
  for (int a = 0; a < m->nu; ++a) {
    const std::string problem = ActuatorProblem(m, a);
    if (!problem.empty()) {
      fail(ActuatorElement(root, a), "actuator " + label(mjOBJ_ACTUATOR, a) + " " + problem);
    }
  }
  for (int b = 1; b < m->nbody; ++b) {
    if (!(m->body_mass[b] > 0)) {
      fail(BodyElement(root, b), "body " + label(mjOBJ_BODY, b) + " has no mass");
    }
  }
  // MuJoCo only rejects moving bodies lighter than 1e-15; a joint that moves next to no
  // inertia still makes the dynamics stiff enough to blow up. Measured on the H1-class
  // robot: the lightest dof (a handkerchief spinner) has 1.05e-3 kg·m².
  {
    mjData* d = mj_makeData(m);
    mj_kinematics(m, d);
    mj_comPos(m, d);
    mj_crb(m, d);
    std::vector<mjtNum> diagonal(m->nv);
    for (int v = 0; v < m->nv; ++v) diagonal[v] = d->qM[m->dof_Madr[v]];
    mj_deleteData(d);
    for (int v = 0; v < m->nv; ++v) {
      if (!(diagonal[v] >= kMinDofInertia)) {
        const int joint = m->dof_jntid[v];
        const char* unit = m->jnt_type[joint] == mjJNT_SLIDE ? " kg" : " kg·m²";
        fail(JointElement(root, m, joint),
             "joint " + label(mjOBJ_JOINT, joint) + " moves an inertia of " +
                 Format(diagonal[v]) + unit + ", below " + Format(kMinDofInertia) + unit +
                 ": the simulation would blow up; give its bodies realistic masses and "
                 "inertias (or the joint an armature)");
      }
    }
  }
  RobotInfo info = ReadRobotInfo(m, path);
  try {
    CompleteH1(&root, m, &info);
  } catch (...) {
    mj_deleteModel(m);
    throw;
  }
  AbsoluteFolders(&root, std::filesystem::absolute(path).parent_path());
  if (info.stage_added.empty()) {
    FindHankySeats(m, &info);
    mj_deleteModel(m);
    info.staged_xml = WriteXml(root);
    return info;
  }
  // The staged robot has more joints than the file: its keyframes no longer fit (the stage
  // writes its own "stand" key from stand_qpos, carried over joint by joint).
  std::erase_if(root.children, [](const XmlElement& e) { return e.tag == "keyframe"; });
  const std::string staged_xml = WriteXml(root);
  mjModel* staged = CompileXml(staged_xml, error, sizeof(error));
  if (!staged) {
    mj_deleteModel(m);
    std::string added;
    for (const auto& a : info.stage_added) added += (added.empty() ? "" : ", ") + a;
    throw Error(path + ": error: the stage could not complete the robot (" + added +
                "): " + std::string(error).substr(0, std::string(error).find('\n')));
  }
  RobotInfo out = ReadRobotInfo(staged, path);
  out.stand_qpos.assign(staged->qpos0, staged->qpos0 + staged->nq);
  for (int j = 0; j < staged->njnt; ++j) {
    const int from = j == 0 ? 0 : mj_name2id(m, mjOBJ_JOINT, NameOf(staged, mjOBJ_JOINT, j).c_str());
    if (from < 0) continue;
    const int size = j + 1 < staged->njnt ? staged->jnt_qposadr[j + 1] - staged->jnt_qposadr[j]
                                          : staged->nq - staged->jnt_qposadr[j];
    for (int k = 0; k < size; ++k) {
      out.stand_qpos[staged->jnt_qposadr[j] + k] = info.stand_qpos[m->jnt_qposadr[from] + k];
    }
  }
  out.staged_xml = staged_xml;
  out.stage_added = info.stage_added;
  FindHankySeats(staged, &out);
  mj_deleteModel(staged);
  mj_deleteModel(m);
  return out;
}

std::string MissingH1Layout(const RobotInfo& info) {
  std::string out;
  auto group = [&](const char* kind, const char* plural, const std::vector<std::string>& names,
                   const auto& wanted) {
    std::vector<std::string> missing;
    for (const char* name : wanted) {
      if (RobotInfo::IndexOf(names, name) < 0) missing.push_back(name);
    }
    if (missing.empty()) return;
    out += std::string(out.empty() ? "" : "; ") + (missing.size() > 1 ? plural : kind) + " ";
    constexpr size_t kMaxNamed = 6;
    for (size_t k = 0; k < missing.size() && k < kMaxNamed; ++k) {
      out += (k ? ", '" : "'") + missing[k] + "'";
    }
    if (missing.size() > kMaxNamed) {
      out += " and " + std::to_string(missing.size() - kMaxNamed) + " more";
    }
  };
  group("body", "bodies", info.body_names, kH1Bodies);
  group("joint", "joints", info.joint_names, kH1Joints);
  group("motor", "motors", info.actuator_names, kH1Joints);
  return out;
}

// Collision bits of the stage's own geoms: the floor (contype 1, conaffinity 2).
constexpr unsigned kFloorCollisionBits = 1 | 2;

// Robots touch each other (a bump is physics, not only a metric), and themselves only as
// their file has it. MuJoCo lets two geoms touch when (contype1 & conaffinity2) ||
// (contype2 & conaffinity1). Robot i's collidable geoms get the code i, `bits` bits wide
// above every bit the robot file and the stage use, added to their contype, and its
// complement added to their conaffinity. Two different codes differ in some bit, which is
// set in one robot's contype and in the other's conaffinity: geoms of two robots always
// pass. A code never meets its own complement: geoms of one robot pass only as the file
// has them (the project's robots never; the stock H1 as its <exclude>s allow). Geoms that
// touch nothing (visuals, handkerchiefs) stay so; one robot gets no code. The filter costs
// nothing per step beyond the bounding-sphere tests of geoms of robots near each other:
// MuJoCo's broad phase already paired every overlapping body, each robot's own included.
struct RobotCollisionCodes {
  int shift = 0;  // lowest code bit
  int bits = 0;   // code width (robot count <= 2^bits)
};

// The bits the robot file's geoms use.
unsigned FileCollisionBits(const RobotInfo& info) {
  unsigned used = 0;
  for (size_t g = 0; g < info.geom_contype.size(); ++g) {
    used |= static_cast<unsigned>(info.geom_contype[g]) | static_cast<unsigned>(info.geom_conaffinity[g]);
  }
  return used;
}

// Codes for `robots` robots above the bits in `used`; throws when they do not fit an int.
RobotCollisionCodes CollisionCodes(const RobotInfo& info, int robots, unsigned used) {
  RobotCollisionCodes codes;
  while ((1 << codes.bits) < robots) ++codes.bits;
  while (codes.shift < 32 && (used >> codes.shift) != 0) ++codes.shift;
  if (codes.shift + codes.bits > 31) {
    throw Error(info.path + ": error: the robot's geoms use contype/conaffinity bits up to bit " +
                std::to_string(codes.shift - 1) + "; " + std::to_string(robots) +
                " robots need " + std::to_string(codes.bits) +
                " free bits above them to touch each other");
  }
  return codes;
}

// Adds robot `robot`'s code to the collidable geoms under `body` (the robot's root body,
// local geoms numbered from *geom in MuJoCo's order: bodies depth first, each body's geoms
// before its children's).
void SetCollisionCode(XmlElement* body, const RobotInfo& info, const RobotCollisionCodes& codes,
                      int robot, int* geom) {
  const unsigned mask = (1u << codes.bits) - 1;
  for (auto& child : body->children) {
    if (child.tag != "geom") continue;
    const int k = (*geom)++;
    if (k >= static_cast<int>(info.geom_contype.size())) {
      throw Error("error: internal: " + info.path + " has more geoms than its model");
    }
    const unsigned contype = static_cast<unsigned>(info.geom_contype[k]);
    const unsigned conaffinity = static_cast<unsigned>(info.geom_conaffinity[k]);
    if ((contype | conaffinity) == 0) continue;
    const unsigned code = static_cast<unsigned>(robot) & mask;
    child.Set("contype", std::to_string(contype | code << codes.shift));
    child.Set("conaffinity", std::to_string(conaffinity | (~code & mask) << codes.shift));
  }
  for (auto& child : body->children) {
    if (child.tag == "body") SetCollisionCode(&child, info, codes, robot, geom);
  }
}

std::string BuildSceneXml(const SceneOptions& options, const RobotInfo& info) {
  // The robot as staged (LoadRobotInfo checked the file and completed an H1's layout).
  const XmlElement robot = ParseXml(info.staged_xml, info.path);
  const int n = options.robots;
  const auto& placements = options.placements;

  XmlElement scene = Element("mujoco");
  scene.Set("model", "yangbot_stage");

  // Compiler settings come from the robot file (angles, limits; folders already absolute).
  XmlElement compiler = Element("compiler");
  if (const XmlElement* c = robot.Child("compiler")) compiler = *c;
  compiler.children.clear();
  scene.children.push_back(compiler);

  XmlElement option = Element("option");
  option.Set("timestep", Format(options.timestep));
  // Friction as hard as rubber soles on a stage: elliptic cones with frictional impedance
  // 100 times the normal one (MuJoCo's `impratio`; MuJoCo Menagerie's Unitree Go2 and A1
  // models use the same). With the defaults (pyramids, impratio 1) a lightly loaded foot
  // on its sole's edge crept 10-20 cm sideways while a robot settled after recovery
  // steps, well inside the friction cone (mu 1), and pushed robots fell from the splits:
  // elliptic cones with impratio 100 hold them (NOTES.md; tests/sim/runner_test.cc
  // ContactsDoNotCreepInsideTheFrictionCone).
  option.Set("cone", "elliptic");
  option.Set("impratio", "100");
  scene.children.push_back(option);

  // Constraint memory for N fallen robots (MuJoCo 2.2.2 preallocates it). Measured peak
  // with 16 robots all fallen: 621 constraint rows and 0.94 M stack doubles. The stack is
  // set explicitly: derived from njmax it made mjData ~1.7 GB for 16 robots.
  XmlElement size = Element("size");
  size.Set("njmax", std::to_string(100 * n + 500));
  size.Set("nconmax", std::to_string(20 * n + 100));
  size.Set("nstack", std::to_string(200000 * n + 1000000));
  scene.children.push_back(size);

  scene.children.push_back(ParseXml(R"(<visual>
      <global offwidth="1920" offheight="1080" azimuth="180" elevation="-20"/>
      <quality shadowsize="4096" offsamples="4"/>
      <headlight ambient="0.3 0.3 0.3" diffuse="0.4 0.4 0.4" specular="0.1 0.1 0.1"/>
      <map znear="0.01" zfar="200"/>
    </visual>)", "<stage>"));

  for (const auto& section : robot.children) {
    if (section.tag == "default") scene.children.push_back(section);
  }
  XmlElement asset = Element("asset");
  if (const XmlElement* a = robot.Child("asset")) asset = *a;
  const XmlElement stage_assets = ParseXml(R"(<asset>
      <texture name="stage_floor" type="2d" builtin="checker" rgb1="0.32 0.2 0.14"
               rgb2="0.28 0.17 0.12" width="512" height="512" mark="edge" markrgb="0.4 0.27 0.18"/>
      <material name="stage_floor" texture="stage_floor" texrepeat="16 16" reflectance="0"/>
      <material name="stage_carpet" rgba="0.62 0.05 0.06 1" specular="0.1"/>
      <material name="stage_line" rgba="0.95 0.78 0.25 1"/>
      <texture name="skybox" type="skybox" builtin="gradient" rgb1="0.12 0.1 0.14" rgb2="0 0 0"
               width="512" height="512"/>
    </asset>)", "<stage>");
  for (const auto& child : stage_assets.children) asset.children.push_back(child);
  scene.children.push_back(asset);

  // The stage: a floor, a red carpet with a gold border, lights, cameras.
  double half_x = 3, half_y = 3;
  for (const auto& p : placements) {
    half_x = std::max(half_x, std::abs(p.x) + 1.5);
    half_y = std::max(half_y, std::abs(p.y) + 1.5);
  }
  std::ostringstream world;
  world << "<worldbody>\n"
        << R"(<light name="key" pos="6 -4 9" dir="-0.5 0.35 -1" directional="true" castshadow="true" diffuse="0.7 0.7 0.65"/>)"
        << R"(<light name="fill" pos="-4 5 7" dir="0.4 -0.5 -1" directional="true" castshadow="false" diffuse="0.3 0.3 0.35"/>)"
        << R"(<geom name="floor" type="plane" size="0 0 0.05" material="stage_floor" contype="1" conaffinity="2" condim="3" friction="1 0.02 0.001"/>)"
        // Visual only, raised off the floor plane to avoid z-fighting.
        // Visual-only planes (no shadow acne), raised off the floor plane (no z-fighting).
        << "<geom name=\"carpet\" type=\"plane\" pos=\"0 0 0.001\" size=\"" << half_x << " "
        << half_y
        << R"( 0.1" material="stage_carpet" contype="0" conaffinity="0"/>)"
        << "<geom name=\"carpet_border\" type=\"plane\" pos=\"0 0 0.0005\" size=\"" << half_x + 0.08
        << " " << half_y + 0.08
        << R"( 0.1" material="stage_line" contype="0" conaffinity="0"/>)"
        << LandmarksXml(options.landmarks)
        // The audience looks at the robots' faces (they face +x) from a raised seat.
        << "<camera name=\"audience\" mode=\"fixed\" pos=\"" << Format(half_x + 5.5) << " 0 3.2\" "
        << "xyaxes=\"0 1 0 " << Format(-std::sin(std::atan2(2.8, half_x + 5.5))) << " 0 "
        << Format(std::cos(std::atan2(2.8, half_x + 5.5))) << "\" fovy=\""
        << Format(std::clamp(2 * std::atan(0.5625 * (half_y + 0.3) / 5.5) * 180 / M_PI, 30.0, 90.0))
        << "\"/>"
        << "<camera name=\"top\" mode=\"fixed\" pos=\"0 0 " << 2.6 * std::max(half_x, half_y)
        << "\" xyaxes=\"0 1 0 -1 0 0\"/>"
        << "</worldbody>";
  XmlElement worldbody = ParseXml(world.str(), "<stage>");

  const XmlElement& root_body = RootBody(robot, info.path);

  const std::vector<double> root_pos = ParseNumbers(root_body.Get("pos", "0 0 0"));
  const std::vector<double> root_quat = ParseNumbers(root_body.Get("quat", "1 0 0 0"));

  std::vector<XmlElement> sections;
  for (const char* tag : kPerRobotSections) sections.push_back(Element(tag));
  std::string key_qpos;
  // Throw mode: the assembly's <flight> section, one copy a hand after all robots.
  std::optional<XmlElement> flight;
  std::vector<XmlElement> flight_bodies;
  std::vector<XmlElement> flight_sections;
  for (const char* tag : kPerRobotSections) flight_sections.push_back(Element(tag));
  std::string flight_qpos;
  if (options.throwing_hankies) {
    const std::string path = HandkerchiefAssemblyPath();
    const XmlElement assembly = ParseXml(ReadFileOrThrow(path), path);
    if (const XmlElement* f = assembly.Child("flight")) flight = *f;
    if (!flight || !flight->Child("body")) {
      throw Error(path + ": error: no <flight> section with a <body>: handkerchiefs cannot fly");
    }
    for (const auto& seat : info.hanky_seat) {
      if (seat[3] == 0 && seat[4] == 0 && seat[5] == 0 && seat[6] == 0) {
        throw Error(info.path + ": error: no sites 'left_hanky_hub' and 'right_hanky_hub': the " +
                    "robot's handkerchiefs are not the stage's assembly and cannot be thrown");
      }
    }
  }
  // Robots touch each other; the flying handkerchiefs' geoms keep the assembly's bits.
  unsigned used_bits = kFloorCollisionBits | FileCollisionBits(info);
  std::function<void(const XmlElement&)> flight_bits = [&](const XmlElement& e) {
    if (e.tag == "geom") {
      used_bits |= static_cast<unsigned>(std::stoi(e.Get("contype", "1"))) |
                   static_cast<unsigned>(std::stoi(e.Get("conaffinity", "1")));
    }
    for (const auto& child : e.children) flight_bits(child);
  };
  if (flight) flight_bits(*flight);
  const RobotCollisionCodes codes = CollisionCodes(info, n, used_bits);
  for (int i = 0; i < n; ++i) {
    const std::string prefix = Scene::Prefix(i);
    const Placement& p = placements[i];
    const double c = std::cos(p.yaw), s = std::sin(p.yaw);
    XmlElement body = root_body;
    PrefixNames(&body, prefix);
    const double pos[3] = {p.x + c * root_pos[0] - s * root_pos[1],
                           p.y + s * root_pos[0] + c * root_pos[1], root_pos[2]};
    const double yaw_quat[4] = {std::cos(p.yaw / 2), 0, 0, std::sin(p.yaw / 2)};
    double quat[4];
    QuatMul(yaw_quat, root_quat.data(), quat);
    body.Set("pos", JoinNumbers(pos, 3));
    body.Set("quat", JoinNumbers(quat, 4));
    if (codes.bits > 0) {
      int geom = 0;
      SetCollisionCode(&body, info, codes, i, &geom);
      if (geom != info.ngeom) throw Error("error: internal: " + info.path + " has fewer geoms than its model");
    }
    for (int side = 0; flight && side < 2; ++side) {
      const std::string hand = prefix + (side == 0 ? "left_" : "right_");
      XmlElement* pin = FindBodyUnder(&body, hand + "hanky");
      if (!pin) throw Error(info.path + ": error: no body '" + hand + "hanky' to throw from");
      StripPin(pin, *flight->Child("body"));
      // The flying handkerchief, seated: the hub's standing pose moved to the placement.
      const auto& seat = info.hanky_seat[side];
      double seated[7] = {p.x + c * seat[0] - s * seat[1], p.y + s * seat[0] + c * seat[1],
                          seat[2]};
      QuatMul(yaw_quat, seat.data() + 3, seated + 3);
      for (const auto& section : flight->children) {
        XmlElement copy = section;
        PrefixNames(&copy, hand);
        if (section.tag == "body") {
          copy.Set("pos", JoinNumbers(seated, 3));
          copy.Set("quat", JoinNumbers(seated + 3, 4));
          flight_bodies.push_back(std::move(copy));
          flight_qpos += " " + JoinNumbers(seated, 7);
          // It touches the floor only (the assembly's bits); its own robot is excluded by
          // body as well, should a file's bits let it touch: seated it lies across its own
          // arm and hip, as without throws.
          std::vector<std::string> own = info.body_names;
          if (side == 1) own.push_back("left_hanky_flight");
          for (const std::string& name : own) {
            if (name.empty()) continue;
            XmlElement exclude = Element("exclude");
            exclude.Set("body1", hand + "hanky_flight");
            exclude.Set("body2", prefix + name);
            flight_sections[0].children.push_back(std::move(exclude));
          }
          continue;
        }
        for (size_t k = 0; k < std::size(kPerRobotSections); ++k) {
          if (section.tag != kPerRobotSections[k]) continue;
          for (auto& child : copy.children) flight_sections[k].children.push_back(std::move(child));
        }
      }
    }
    worldbody.children.push_back(std::move(body));
    for (size_t k = 0; k < std::size(kPerRobotSections); ++k) {
      const XmlElement* section = robot.Child(kPerRobotSections[k]);
      if (!section) continue;
      for (XmlElement child : section->children) {
        PrefixNames(&child, prefix);
        sections[k].children.push_back(std::move(child));
      }
    }
    // Standing keyframe: the robot's "stand" posture, moved to the placement.
    std::vector<double> q = info.stand_qpos;
    const double x = q[0] - root_pos[0], y = q[1] - root_pos[1];
    q[0] = pos[0] + c * x - s * y;
    q[1] = pos[1] + s * x + c * y;
    double q_root[4] = {q[3], q[4], q[5], q[6]};
    QuatMul(yaw_quat, q_root, &q[3]);
    key_qpos += (i ? " " : "") + JoinNumbers(q.data(), static_cast<int>(q.size()));
  }
  for (auto& b : flight_bodies) worldbody.children.push_back(std::move(b));
  key_qpos += flight_qpos;
  scene.children.push_back(std::move(worldbody));
  for (size_t k = 0; k < sections.size(); ++k) {
    // The flying handkerchiefs' elements come after every robot's (RobotIndex blocks).
    for (auto& child : flight_sections[k].children) sections[k].children.push_back(std::move(child));
    if (!sections[k].children.empty()) scene.children.push_back(std::move(sections[k]));
  }
  XmlElement keyframe = Element("keyframe");
  XmlElement key = Element("key");
  key.Set("name", "stand");
  key.Set("qpos", key_qpos);
  keyframe.children.push_back(std::move(key));
  scene.children.push_back(std::move(keyframe));

  return "<!-- YangBOT stage: " + std::to_string(n) + " x " +
         std::filesystem::path(info.path).filename().string() +
         ". Generated by yangbot; this is the exact model that is simulated. -->\n" +
         WriteXml(scene);
}

std::string Scene::Prefix(int i) {
  char buffer[16];
  std::snprintf(buffer, sizeof(buffer), "r%02d/", i);
  return buffer;
}

Scene::~Scene() {
  if (model_) mj_deleteModel(model_);
}

std::unique_ptr<Scene> Scene::Build(const SceneOptions& options) {
  if (options.robots < 1 || options.robots > kMaxRobots) {
    throw Error("error: robot count must be between 1 and " + std::to_string(kMaxRobots) +
                " (got " + std::to_string(options.robots) + ")");
  }
  if (!(options.timestep > 0 && options.timestep <= 0.05)) {
    throw Error("error: the physics time step must be in (0, 0.05] s");
  }
  std::unique_ptr<Scene> scene(new Scene);
  scene->options_ = options;
  if (scene->options_.robot_path.empty()) scene->options_.robot_path = DefaultRobotPath();
  if (scene->options_.placements.empty()) {
    scene->options_.placements = GridPlacements(options.robots, options.spacing);
  }
  if (static_cast<int>(scene->options_.placements.size()) != options.robots) {
    throw Error("error: " + std::to_string(scene->options_.placements.size()) +
                " placements given for " + std::to_string(options.robots) + " robots");
  }
  scene->info_ = LoadRobotInfo(scene->options_.robot_path);
  scene->xml_ = BuildSceneXml(scene->options_, scene->info_);

  char error[1024] = "";
  scene->model_ = CompileXml(scene->xml_, error, sizeof(error));
  if (!scene->model_) throw Error(std::string("error: MuJoCo could not compile the stage: ") + error);

  const mjModel* m = scene->model_;
  const RobotInfo& info = scene->info_;
  const int world_geoms = m->body_geomnum[0];
  int world_sites = 0;
  for (int s = 0; s < m->nsite; ++s) world_sites += m->site_bodyid[s] == 0;
  for (int i = 0; i < options.robots; ++i) {
    RobotIndex r;
    r.prefix = Prefix(i);
    r.body_begin = 1 + i * info.nbody;
    r.jnt_begin = i * info.njnt;
    r.qpos_begin = i * info.nq;
    r.dof_begin = i * info.nv;
    r.geom_begin = world_geoms + i * info.ngeom;
    r.site_begin = world_sites + i * info.nsite;
    r.ctrl_begin = i * info.nu;
    r.sensor_begin = i * info.nsensor;
    // Check the block layout against the names (cheap, and catches any reordering).
    auto check = [&](int type, const std::vector<std::string>& names, int begin) {
      for (size_t k = 0; k < names.size(); ++k) {
        if (names[k].empty()) continue;
        const int id = mj_name2id(m, type, (r.prefix + names[k]).c_str());
        if (id != begin + static_cast<int>(k)) {
          throw Error("error: internal: unexpected layout of '" + r.prefix + names[k] + "'");
        }
      }
    };
    check(mjOBJ_BODY, info.body_names, r.body_begin);
    check(mjOBJ_JOINT, info.joint_names, r.jnt_begin);
    check(mjOBJ_GEOM, info.geom_names, r.geom_begin);
    check(mjOBJ_SITE, info.site_names, r.site_begin);
    check(mjOBJ_ACTUATOR, info.actuator_names, r.ctrl_begin);
    check(mjOBJ_SENSOR, info.sensor_names, r.sensor_begin);
    // The robot's geoms kept the file's collision bits (the codes sit above them).
    const unsigned file_bits = FileCollisionBits(info);
    for (int k = 0; k < info.ngeom; ++k) {
      const int g = r.geom_begin + k;
      if ((static_cast<unsigned>(m->geom_contype[g]) & file_bits) != static_cast<unsigned>(info.geom_contype[k]) ||
          (static_cast<unsigned>(m->geom_conaffinity[g]) & file_bits) !=
              static_cast<unsigned>(info.geom_conaffinity[k])) {
        throw Error("error: internal: unexpected collision bits of geom " + std::to_string(k) +
                    " of robot " + r.prefix);
      }
    }
    if (m->jnt_qposadr[r.jnt_begin] != r.qpos_begin || m->jnt_dofadr[r.jnt_begin] != r.dof_begin) {
      throw Error("error: internal: unexpected joint layout for robot " + r.prefix);
    }
    scene->robots_.push_back(r);
  }
  for (int i = 0; options.throwing_hankies && i < options.robots; ++i) {
    for (int side = 0; side < 2; ++side) {
      const std::string hand = Prefix(i) + (side == 0 ? "left_" : "right_");
      auto id = [&](int type, const std::string& name) {
        const int found = mj_name2id(m, type, (hand + name).c_str());
        if (found < 0) throw Error("error: internal: no '" + hand + name + "' in the stage");
        return found;
      };
      HandkerchiefProp h;
      h.robot = i;
      h.side = side;
      h.body = id(mjOBJ_BODY, "hanky_flight");
      const int joint = m->body_jntadr[h.body];
      h.qpos_begin = m->jnt_qposadr[joint];
      h.dof_begin = m->jnt_dofadr[joint];
      h.pin_body = id(mjOBJ_BODY, "hanky");
      h.spin_joint = id(mjOBJ_JOINT, "hanky");
      h.hub_site = id(mjOBJ_SITE, "hanky_hub");
      h.flight_hub_site = id(mjOBJ_SITE, "hanky_flight_hub");
      h.pusher_site = id(mjOBJ_SITE, "hanky_pusher");
      h.latch_ctrl = {id(mjOBJ_ACTUATOR, "hanky_latch_a"),  id(mjOBJ_ACTUATOR, "hanky_latch_b"),
                      id(mjOBJ_ACTUATOR, "hanky_latch_c"),  id(mjOBJ_ACTUATOR, "hanky_damper_a"),
                      id(mjOBJ_ACTUATOR, "hanky_damper_b"), id(mjOBJ_ACTUATOR, "hanky_damper_c")};
      h.pusher_ctrl = id(mjOBJ_ACTUATOR, "hanky_pusher");
      h.winch_ctrl = id(mjOBJ_ACTUATOR, "hanky_winch");
      h.tether_tendon = id(mjOBJ_TENDON, "hanky_tether");
      h.pusher_tendon = id(mjOBJ_TENDON, "hanky_pusher");
      scene->hankies_.push_back(h);
    }
  }
  scene->stand_key_ = mj_name2id(m, mjOBJ_KEY, "stand");
  return scene;
}

}  // namespace yangbot
