#include "sim/scene.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <sstream>

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

// Resolves a compiler folder attribute relative to the robot file's folder.
void ResolveFolder(XmlElement* compiler, const char* attribute,
                   const std::filesystem::path& base) {
  const std::string* value = compiler->Find(attribute);
  if (!value) return;
  std::filesystem::path p(*value);
  if (p.is_relative()) compiler->Set(attribute, (base / p).lexically_normal().string() + "/");
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

}  // namespace

std::string DefaultRobotPath() { return std::string(YANGBOT_ASSETS_DIR) + "/robots/h1/h1.xml"; }

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
  const XmlElement root = ParseXml(ReadFileOrThrow(path), path);
  char error[1024] = "";
  mjModel* m = mj_loadXML(path.c_str(), nullptr, error, sizeof(error));
  if (!m) throw Error(MujocoLoadError(path, root, error));
  RobotInfo info;
  info.path = path;
  auto fail = [&](const XmlElement* where, const std::string& message) {
    mj_deleteModel(m);
    throw Error(LocatedError(path, where, message));
  };
  auto name_of = [&](int type, int id) {
    const char* n = mj_id2name(m, type, id);
    return std::string(n ? n : "");
  };
  auto label = [&](int type, int id) {
    const std::string name = name_of(type, id);
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
    if (m->geom_bodyid[g] != 0) info.geom_names.push_back(name_of(mjOBJ_GEOM, g));
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
  const int imu_site = mj_name2id(m, mjOBJ_SITE, "imu");
  for (int s = 0; s < m->nsensor; ++s) {
    if (imu_site >= 0 && m->sensor_objtype[s] == mjOBJ_SITE && m->sensor_objid[s] == imu_site) {
      info.imu_sensors.push_back(s);
    }
  }
  mj_deleteModel(m);
  return info;
}

std::string BuildSceneXml(const SceneOptions& options, const RobotInfo& info) {
  const std::string text = ReadFileOrThrow(info.path);
  const XmlElement robot = ParseXml(text, info.path);
  if (robot.tag != "mujoco") throw Error(info.path + ": error: the root element must be <mujoco>");
  for (const auto& section : robot.children) {
    if (section.tag == "include") {
      throw Error(FormatFileError(info.path, section.line, section.column,
                                  "<include> is not supported in robot files"));
    }
  }
  const int n = options.robots;
  const auto& placements = options.placements;
  const std::filesystem::path base = std::filesystem::absolute(info.path).parent_path();

  XmlElement scene = Element("mujoco");
  scene.Set("model", "yangbot_stage");

  // Compiler settings come from the robot file (angles, limits), with folders made absolute.
  XmlElement compiler = Element("compiler");
  if (const XmlElement* c = robot.Child("compiler")) compiler = *c;
  compiler.children.clear();
  ResolveFolder(&compiler, "meshdir", base);
  ResolveFolder(&compiler, "texturedir", base);
  ResolveFolder(&compiler, "assetdir", base);
  compiler.Remove("assetdir");
  if (!compiler.Find("meshdir")) compiler.Set("meshdir", base.string() + "/");
  if (!compiler.Find("texturedir")) compiler.Set("texturedir", base.string() + "/");
  scene.children.push_back(compiler);

  XmlElement option = Element("option");
  option.Set("timestep", Format(options.timestep));
  // Friction as hard as rubber soles on a stage: elliptic cones with frictional impedance
  // 100 times the normal one (MuJoCo's `impratio`; MuJoCo Menagerie's Unitree Go2 and A1
  // models use the same). With the defaults (pyramids, impratio 1) a lightly loaded foot
  // on its sole's edge crept 10-20 cm sideways while a robot settled after recovery
  // steps, well inside the friction cone (mu 1), and pushed robots fell from the splits:
  // mid-show pushes of 30 N·s danced through 21 of 32 times, now 32 of 32 (NOTES.md,
  // session 10; tests/sim/runner_test.cc ContactsDoNotCreepInsideTheFrictionCone).
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

  const XmlElement* robot_world = robot.Child("worldbody");
  if (!robot_world) throw Error(info.path + ": error: the robot file has no <worldbody>");
  std::vector<const XmlElement*> root_bodies;
  for (const auto& child : robot_world->children) {
    if (child.tag == "body") root_bodies.push_back(&child);
  }
  if (root_bodies.size() != 1) {
    throw Error(info.path + ": error: the robot must have exactly one top-level body");
  }
  std::vector<double> root_pos = ParseNumbers(root_bodies[0]->Get("pos", "0 0 0"));
  std::vector<double> root_quat = ParseNumbers(root_bodies[0]->Get("quat", "1 0 0 0"));
  if (root_pos.size() != 3 || root_quat.size() != 4 || root_bodies[0]->Find("euler") ||
      root_bodies[0]->Find("axisangle") || root_bodies[0]->Find("xyaxes") ||
      root_bodies[0]->Find("zaxis")) {
    throw Error(FormatFileError(info.path, root_bodies[0]->line, root_bodies[0]->column,
                                "the root body must be placed with pos and (optionally) quat"));
  }

  std::vector<XmlElement> sections;
  for (const char* tag : kPerRobotSections) sections.push_back(Element(tag));
  std::string key_qpos;
  for (int i = 0; i < n; ++i) {
    const std::string prefix = Scene::Prefix(i);
    const Placement& p = placements[i];
    const double c = std::cos(p.yaw), s = std::sin(p.yaw);
    XmlElement body = *root_bodies[0];
    PrefixNames(&body, prefix);
    const double pos[3] = {p.x + c * root_pos[0] - s * root_pos[1],
                           p.y + s * root_pos[0] + c * root_pos[1], root_pos[2]};
    const double yaw_quat[4] = {std::cos(p.yaw / 2), 0, 0, std::sin(p.yaw / 2)};
    double quat[4];
    QuatMul(yaw_quat, root_quat.data(), quat);
    body.Set("pos", JoinNumbers(pos, 3));
    body.Set("quat", JoinNumbers(quat, 4));
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
  scene.children.push_back(std::move(worldbody));
  for (auto& section : sections) {
    if (!section.children.empty()) scene.children.push_back(std::move(section));
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

  // Compile from memory through a virtual file system.
  auto vfs = std::make_unique<mjVFS>();
  mj_defaultVFS(vfs.get());
  const char* kFile = "yangbot_scene.xml";
  if (mj_makeEmptyFileVFS(vfs.get(), kFile, static_cast<int>(scene->xml_.size())) != 0) {
    throw Error("error: cannot allocate the scene in MuJoCo's virtual file system");
  }
  const int file = mj_findFileVFS(vfs.get(), kFile);
  std::memcpy(vfs->filedata[file], scene->xml_.data(), scene->xml_.size());
  char error[1024] = "";
  scene->model_ = mj_loadXML(kFile, vfs.get(), error, sizeof(error));
  mj_deleteVFS(vfs.get());
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
    if (m->jnt_qposadr[r.jnt_begin] != r.qpos_begin || m->jnt_dofadr[r.jnt_begin] != r.dof_begin) {
      throw Error("error: internal: unexpected joint layout for robot " + r.prefix);
    }
    scene->robots_.push_back(r);
  }
  scene->stand_key_ = mj_name2id(m, mjOBJ_KEY, "stand");
  return scene;
}

}  // namespace yangbot
