#include "sim/recording.h"

#include <openssl/evp.h>

#include <cmath>
#include <cstdint>
#include <cstdio>

#include "sim/error.h"

namespace yangbot {

std::vector<std::string> QposNames(const mjModel* m) {
  std::vector<std::string> names;
  for (int j = 0; j < m->njnt; ++j) {
    const char* raw = mj_id2name(m, mjOBJ_JOINT, j);
    const std::string name = raw ? raw : "joint" + std::to_string(j);
    switch (m->jnt_type[j]) {
      case mjJNT_FREE:
        for (const char* s : {"_x", "_y", "_z"}) names.push_back(name + s);
        [[fallthrough]];
      case mjJNT_BALL:
        for (const char* s : {"_qw", "_qx", "_qy", "_qz"}) names.push_back(name + s);
        break;
      default:
        names.push_back(name);
    }
  }
  return names;
}

TrajectoryRecorder::TrajectoryRecorder(const Scene& scene, double period)
    : nq_(scene.model()->nq), period_(period) {
  csv_ = "time";
  for (const auto& name : QposNames(scene.model())) csv_ += "," + name;
  csv_ += "\n";
}

void TrajectoryRecorder::Sample(const mjData& d) {
  if (next_time_ >= 0 && d.time < next_time_ - 1e-9) return;
  // Next row on the period grid (rows fall on multiples of the period after a gap).
  next_time_ = (std::floor(d.time / period_ + 1e-6) + 1) * period_;
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.4f", d.time);
  csv_ += buffer;
  for (int i = 0; i < nq_; ++i) {
    std::snprintf(buffer, sizeof(buffer), ",%.6g", d.qpos[i]);
    csv_ += buffer;
  }
  csv_ += "\n";
}

nlohmann::json MakeReport(const Scene& scene, const RunState& state, double wall_seconds) {
  const Metrics& metrics = state.metrics;
  const double sim_seconds = state.data->time;
  nlohmann::json report;
  report["robots"] = scene.robot_count();
  report["sim_seconds"] = sim_seconds;
  report["wall_seconds"] = wall_seconds;
  report["realtime_factor"] = wall_seconds > 0 ? sim_seconds / wall_seconds : 0.0;
  report["timestep"] = scene.model()->opt.timestep;
  report["seed"] = state.seed;
  report["falls"] = metrics.falls();
  nlohmann::json fallen = nlohmann::json::array();
  int64_t saturated = 0;
  nlohmann::json per_robot = nlohmann::json::array();
  nlohmann::json failed = nlohmann::json::array();
  nlohmann::json events = nlohmann::json::array();
  for (const RunEvent& e : metrics.events) {
    events.push_back({{"time", e.time}, {"robot", e.robot}, {"kind", e.kind}, {"message", e.message}});
  }
  for (int i = 0; i < scene.robot_count(); ++i) {
    const RobotMetrics& r = metrics.robots[i];
    const bool robot_failed = i < static_cast<int>(state.health.size()) && state.health[i].failed;
    if (robot_failed) failed.push_back(i);
    const nlohmann::json failure =
        robot_failed ? nlohmann::json(state.health[i].failure) : nlohmann::json(nullptr);
    if (r.fallen) fallen.push_back(i);
    saturated += r.saturated_ticks;
    per_robot.push_back({{"robot", i},
                         {"fallen", r.fallen},
                         {"fall_time", r.fall_time},
                         {"min_pelvis_height_m", r.min_pelvis_height},
                         {"max_tilt_deg", r.max_tilt * 180.0 / M_PI},
                         {"saturated_ticks", r.saturated_ticks},
                         {"max_torque_ratio", r.max_torque_ratio},
                         {"powered", static_cast<bool>(state.powered[i])},
                         {"failed", robot_failed},
                         {"failure", failure}});
  }
  report["fallen_robots"] = fallen;
  report["min_separation_m"] =
      std::isfinite(metrics.min_separation) ? nlohmann::json(metrics.min_separation) : nullptr;
  report["mujoco_warnings"] = metrics.mujoco_warnings;
  report["saturated_ticks"] = saturated;
  report["steps"] = state.steps;
  report["state_sha256"] = StateHash(scene.model(), *state.data);
  report["per_robot"] = per_robot;
  report["failed_robots"] = failed;
  report["events"] = events;
  nlohmann::json contacts = nlohmann::json::array();
  for (const RobotContact& c : metrics.robot_contacts) {
    contacts.push_back({{"robots", {c.robot_a, c.robot_b}},
                        {"start_time", c.start_time},
                        {"end_time", c.end_time},
                        {"peak_force_n", c.peak_force},
                        {"impulse_ns", c.impulse}});
  }
  report["robot_contacts"] = contacts;
  report["robot_collisions"] = metrics.robot_contacts.size();
  AddHankyThrowReport(scene.robot_count(), state.throws, state.throw_log, sim_seconds, &report);
  return report;
}

struct Sha256::Context {
  EVP_MD_CTX* evp = nullptr;
};

namespace {

// 64 lowercase hex digits of the digest in `evp` (which it finalises).
std::string FinalHex(EVP_MD_CTX* evp) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_DigestFinal_ex(evp, digest, &size) != 1) throw Error("error: OpenSSL SHA-256 failed");
  static const char kDigits[] = "0123456789abcdef";
  std::string hex(2 * size, '0');
  for (unsigned int i = 0; i < size; ++i) {
    hex[2 * i] = kDigits[digest[i] >> 4];
    hex[2 * i + 1] = kDigits[digest[i] & 15];
  }
  return hex;
}

}  // namespace

Sha256::Sha256() : context_(new Context) {
  context_->evp = EVP_MD_CTX_new();
  if (!context_->evp || EVP_DigestInit_ex(context_->evp, EVP_sha256(), nullptr) != 1) {
    EVP_MD_CTX_free(context_->evp);
    delete context_;
    throw Error("error: OpenSSL has no SHA-256");
  }
}

Sha256::~Sha256() {
  EVP_MD_CTX_free(context_->evp);
  delete context_;
}

void Sha256::Update(const void* bytes, size_t size) {
  if (EVP_DigestUpdate(context_->evp, bytes, size) != 1) {
    throw Error("error: OpenSSL SHA-256 failed");
  }
}

std::string Sha256::Hex() const {
  // Finalises a copy, so the stream can go on.
  EVP_MD_CTX* copy = EVP_MD_CTX_new();
  if (!copy || EVP_MD_CTX_copy_ex(copy, context_->evp) != 1) {
    EVP_MD_CTX_free(copy);
    throw Error("error: OpenSSL SHA-256 failed");
  }
  std::string hex;
  try {
    hex = FinalHex(copy);
  } catch (...) {
    EVP_MD_CTX_free(copy);
    throw;
  }
  EVP_MD_CTX_free(copy);
  return hex;
}

std::string Sha256Hex(const std::string& bytes) {
  Sha256 digest;
  digest.Update(bytes.data(), bytes.size());
  return digest.Hex();
}

void TrajectoryHash::Add(const mjData& d) {
  digest_.Update(&d.time, sizeof(d.time));
  digest_.Update(d.qpos, sizeof(mjtNum) * nq_);
  digest_.Update(d.qvel, sizeof(mjtNum) * nv_);
}

std::string StateHash(const mjModel* m, const mjData& d) {
  std::string bytes(reinterpret_cast<const char*>(d.qpos), sizeof(mjtNum) * m->nq);
  bytes.append(reinterpret_cast<const char*>(d.qvel), sizeof(mjtNum) * m->nv);
  return Sha256Hex(bytes);
}

}  // namespace yangbot
