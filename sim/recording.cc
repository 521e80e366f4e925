#include "sim/recording.h"

#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>

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
  return report;
}

// FIPS 180-4 SHA-256, small and self-contained (no crypto library in the stack).
std::string Sha256Hex(const std::string& bytes) {
  static constexpr std::array<uint32_t, 64> k = {
      0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
      0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
      0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
      0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
      0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
      0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
      0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
      0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
      0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
      0xc67178f2};
  uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  std::string message = bytes;
  const uint64_t bit_length = static_cast<uint64_t>(bytes.size()) * 8;
  message += static_cast<char>(0x80);
  while (message.size() % 64 != 56) message += '\0';
  for (int i = 7; i >= 0; --i) message += static_cast<char>((bit_length >> (8 * i)) & 0xff);
  auto rotr = [](uint32_t x, int n) { return (x >> n) | (x << (32 - n)); };
  for (size_t chunk = 0; chunk < message.size(); chunk += 64) {
    uint32_t w[64];
    for (int i = 0; i < 16; ++i) {
      w[i] = 0;
      for (int b = 0; b < 4; ++b) {
        w[i] = (w[i] << 8) | static_cast<uint8_t>(message[chunk + 4 * i + b]);
      }
    }
    for (int i = 16; i < 64; ++i) {
      const uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
      const uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (int i = 0; i < 64; ++i) {
      const uint32_t t1 = hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) +
                          k[i] + w[i];
      const uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
      hh = g;
      g = f;
      f = e;
      e = d + t1;
      d = c;
      c = b;
      b = a;
      a = t1 + t2;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
  }
  char out[65];
  for (int i = 0; i < 8; ++i) std::snprintf(out + 8 * i, 9, "%08x", h[i]);
  return std::string(out, 64);
}

std::string StateHash(const mjModel* m, const mjData& d) {
  std::string bytes(reinterpret_cast<const char*>(d.qpos), sizeof(mjtNum) * m->nq);
  bytes.append(reinterpret_cast<const char*>(d.qvel), sizeof(mjtNum) * m->nv);
  return Sha256Hex(bytes);
}

}  // namespace yangbot
