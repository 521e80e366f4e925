// yangbot gait [--robot FILE] [--seeds 1-10] [--rows forward,backward,...] [--json FILE] [-j N]:
// walks each travel row of issue 20's bar with the line-foot gait on one robot
// (controller-level plans, controllers/gait_trial.h), one run per row and seed, and prints
// the measured table: sustained speed or turn rate, falls, touch-down timing against the
// beat, arrival against the goal, how far the landings stray 2 steps after a change of
// command, speed one step after the stop, saturated ticks and the largest torque. The push
// rows walk the bar's push while walking (seed i: the push at 4.0 + 0.05 i s) and hold the
// robot to surviving and arriving within 15 cm. The last column says whether the row meets
// its bar. Exit 1 when a row misses its bar, 2 on bad
// input.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>
#include <tuple>

#include "controllers/gait_trial.h"
#include "sim/error.h"
#include "tools/cli/command.h"

namespace yangbot {
namespace {

constexpr double kDegree = M_PI / 180;

// What a row of the bar asks for, beyond what every row asks (no fall, every touch-down
// within 25 ms of its beat, arrival within 5 cm and 5 degrees, no saturated tick).
struct GaitBar {
  double min_speed = 0;       // m/s, sustained
  double min_yaw_rate = 0;    // rad/s, sustained
  int max_steps = 0;          // > 0: at most this many steps
  double max_settle = 0;      // > 0: m, landings 2 steps after a change stay this close to the plan
  double max_stop_speed = 0;  // > 0: m/s, one step after the last touch-down
  // A push row: recovery steps replace planned ones and may saturate a motor, so the bar is
  // surviving and arriving within max_arrival (touch-down timing and torques are shown).
  bool push = false;
  double max_arrival = 0.05;  // m, the stance centre at the end against the plan's goal
};

struct GaitRow {
  std::string name;
  std::string what;  // the plan, in words
  GaitTrial trial;
  GaitBar bar;
};

constexpr double kMaxTouchdownError = 0.025;  // s
constexpr double kMaxHeadingError = 5 * kDegree;

std::vector<GaitRow> BarRows(const std::string& robot) {
  std::vector<GaitRow> rows;
  auto add = [&](const std::string& name, const std::string& what, std::vector<GaitSegment> path,
                 GaitBar bar) -> GaitTrial& {
    GaitRow row{name, what, {}, bar};
    row.trial.robot_path = robot;
    row.trial.path = std::move(path);
    rows.push_back(row);
    return rows.back().trial;
  };
  add("forward", "4 m, 0.5 m steps, 1 a beat, 120 bpm", {{4.0, 0, 0}}, {.min_speed = 1.0});
  add("backward", "3 m back, 0.3 m steps, 1 a beat, 120 bpm", {{-3.0, 0, 0}}, {.min_speed = 0.5});
  add("sideways", "2 m left facing kept, 1 a beat, 120 bpm", {{0, 2.0, 0}}, {.min_speed = 0.35});
  GaitTrial& arc = add("turn_walking", "arc r 1 m, half a turn, 0.505 rad steps (the reach's), 1 a beat, 120 bpm",
                       {{0, 0, M_PI, 1.0}}, {.min_yaw_rate = 1.0});
  arc.gait.limits = LineFootGait::TurningWalkLimits();
  add("turn_in_place", "90 deg in place, 0.52 rad steps, feet 0.2 m apart, 1 a beat, 120 bpm", {{0, 0, M_PI / 2}},
      {.max_steps = 4});
  GaitTrial& mixed = add("mixed", "1 m fwd; 0.5 m fwd+0.5 left+0.8 rad; 0.5 m right; 0.5 m back-0.8 rad; dancing",
                         {{1.0, 0, 0}, {0.5, 0.5, 0.8}, {0, -0.5, 0}, {-0.5, 0, -0.8}}, {.max_settle = 0.05});
  mixed.dance = true;
  GaitTrial& start_stop = add("start_stop", "1 m fwd, first step on beat 2, stop, 120 bpm", {{1.0, 0, 0}},
                              {.max_stop_speed = 0.1});
  start_stop.first_touchdown_beat = 2;
  // The tempo rows' bar is the touch-down timing (within kMaxTouchdownError of the beat,
  // 90-150 bpm); the speed bar is the forward row's. Their speeds are measured and shown.
  GaitTrial& slow = add("tempo_90", "2 m fwd, 0.3 m steps, 1 a beat, 90 bpm", {{2.0, 0, 0}}, {});
  slow.bpm = 90;
  slow.gait.limits.max_forward = 0.3;
  GaitTrial& slow_side = add("tempo_90_side", "1 m left, 1 a beat, 90 bpm", {{0, 1.0, 0}}, {});
  slow_side.bpm = 90;
  slow_side.gait.limits.max_lateral = 0.2;
  GaitTrial& fast = add("tempo_150", "5 m fwd, 0.4 m steps, 1 a beat, 150 bpm", {{5.0, 0, 0}}, {});
  fast.bpm = 150;
  fast.gait.limits.max_forward = 0.4;
  // Pushes while walking: seed i pushes at 4.0 + 0.05 i s (WalkingPushTrial).
  const GaitBar push_bar{.push = true, .max_arrival = 0.15};
  for (const auto& [name, way, dx, dy] :
       {std::tuple{"push_forward", "forward", 1.0, 0.0}, {"push_backward", "backward", -1.0, 0.0},
        {"push_left", "left", 0.0, 1.0}, {"push_right", "right", 0.0, -1.0}}) {
    rows.push_back({name, std::string("3 m fwd at 0.5 m/s, 30 N·s on the torso ") + way + " at 4.0 + 0.05 seed s",
                    WalkingPushTrial(robot, dx, dy), push_bar});
  }
  return rows;
}

// "1-10", "3", "1,4,7-9" -> seeds; throws Error.
std::vector<uint64_t> ParseSeeds(const std::string& text) {
  std::vector<uint64_t> seeds;
  std::stringstream in(text);
  std::string part;
  while (std::getline(in, part, ',')) {
    unsigned long long a = 0, b = 0;
    char dash = 0, extra = 0;
    if (std::sscanf(part.c_str(), "%llu%c%llu%c", &a, &dash, &b, &extra) == 3 && dash == '-' && a <= b &&
        b - a < 10000) {
      for (unsigned long long s = a; s <= b; ++s) seeds.push_back(s);
    } else if (std::sscanf(part.c_str(), "%llu%c", &a, &extra) == 1) {
      seeds.push_back(a);
    } else {
      throw Error("error: --seeds: '" + part + "' is not a seed or a range like 1-10");
    }
  }
  if (seeds.empty()) throw Error("error: --seeds: no seeds given");
  return seeds;
}

struct RowSummary {
  int runs = 0, falls = 0, errors = 0;
  double speed = 1e9, yaw_rate = 1e9;  // least over the seeds that stayed up
  double td_rms = 0, td_worst = 0;     // s, RMS over all matched touch-downs; worst
  int missed = 0, steps = 0;
  double position_error = 0, heading_error = 0, settle = 0, stop_speed = 0, torque = 0;
  int64_t saturated = 0;
  std::vector<std::string> failures;  // why the bar is missed
};

RowSummary Summarise(const GaitRow& row, const std::vector<GaitTrialResult>& results,
                     const std::vector<std::string>& errors) {
  RowSummary s;
  double squares = 0;
  int matched = 0;
  for (const std::string& e : errors) {
    if (!e.empty()) ++s.errors;
  }
  for (size_t i = 0; i < results.size(); ++i) {
    if (!errors[i].empty()) continue;
    const GaitTrialResult& r = results[i];
    ++s.runs;
    s.steps = std::max(s.steps, r.steps);
    if (r.fallen) {
      ++s.falls;
      continue;
    }
    s.speed = std::min(s.speed, r.sustained_speed);
    s.yaw_rate = std::min(s.yaw_rate, std::abs(r.sustained_yaw_rate));
    squares += r.touchdown_rms * r.touchdown_rms * r.touchdowns;
    matched += r.touchdowns;
    s.td_worst = std::max(s.td_worst, r.worst_touchdown_error);
    s.missed += r.steps - r.touchdowns;
    s.position_error = std::max(s.position_error, r.position_error);
    s.heading_error = std::max(s.heading_error, r.heading_error);
    s.settle = std::max(s.settle, r.settle_offset);
    s.stop_speed = std::max(s.stop_speed, r.stop_speed);
    s.torque = std::max(s.torque, r.max_torque_ratio);
    s.saturated += r.saturated_ticks;
  }
  if (matched > 0) s.td_rms = std::sqrt(squares / matched);
  if (s.runs == s.falls) s.speed = s.yaw_rate = 0;
  auto fail = [&](bool bad, const std::string& why) {
    if (bad) s.failures.push_back(why);
  };
  char text[96];
  fail(s.errors > 0, std::to_string(s.errors) + " runs failed to start");
  fail(s.falls > 0, std::to_string(s.falls) + " falls");
  const bool push = row.bar.push;
  fail(!push && s.missed > 0, std::to_string(s.missed) + " touch-downs missed");
  std::snprintf(text, sizeof(text), "touch-down %.0f ms off the beat", 1000 * s.td_worst);
  fail(!push && s.td_worst > kMaxTouchdownError, text);
  std::snprintf(text, sizeof(text), "arrival %.1f cm off", 100 * s.position_error);
  fail(s.position_error > row.bar.max_arrival, text);
  std::snprintf(text, sizeof(text), "arrival %.1f deg off", s.heading_error / kDegree);
  fail(s.heading_error > kMaxHeadingError, text);
  fail(!push && s.saturated > 0, std::to_string(s.saturated) + " saturated ticks");
  std::snprintf(text, sizeof(text), "speed %.2f < %.2f m/s", s.speed, row.bar.min_speed);
  fail(s.speed < row.bar.min_speed, text);
  std::snprintf(text, sizeof(text), "turn %.2f < %.2f rad/s", s.yaw_rate, row.bar.min_yaw_rate);
  fail(s.yaw_rate < row.bar.min_yaw_rate, text);
  fail(row.bar.max_steps > 0 && s.steps > row.bar.max_steps, std::to_string(s.steps) + " steps");
  std::snprintf(text, sizeof(text), "landings %.1f cm off 2 steps after a change", 100 * s.settle);
  fail(row.bar.max_settle > 0 && s.settle > row.bar.max_settle, text);
  std::snprintf(text, sizeof(text), "%.2f m/s a step after the stop", s.stop_speed);
  fail(row.bar.max_stop_speed > 0 && s.stop_speed > row.bar.max_stop_speed, text);
  return s;
}

nlohmann::json ResultJson(uint64_t seed, const GaitTrialResult& r, const std::string& error) {
  if (!error.empty()) return {{"seed", seed}, {"error", error}};
  return {{"seed", seed},
          {"fallen", r.fallen},
          {"fall_time_s", r.fall_time},
          {"moved_m", {r.moved.x(), r.moved.y()}},
          {"yaw_rad", r.yaw},
          {"position_error_m", r.position_error},
          {"heading_error_rad", r.heading_error},
          {"steps", r.steps},
          {"touchdowns", r.touchdowns},
          {"touchdown_rms_s", r.touchdown_rms},
          {"worst_touchdown_error_s", r.worst_touchdown_error},
          {"speed_mps", r.speed},
          {"sustained_speed_mps", r.sustained_speed},
          {"sustained_yaw_rate_radps", r.sustained_yaw_rate},
          {"settle_offset_m", r.settle_offset},
          {"stop_speed_mps", r.stop_speed},
          {"saturated_ticks", r.saturated_ticks},
          {"max_torque_ratio", r.max_torque_ratio},
          {"qp_failures", r.qp_failures}};
}

struct GaitFlags {
  std::string robot;
  std::string seeds = "1-10";
  std::vector<std::string> rows;
  std::string json;
  int jobs = 2;
};

int RunGait(const GaitFlags& flags) {
  const std::string robot = flags.robot.empty() ? LineFootRobotPath() : flags.robot;
  std::vector<uint64_t> seeds;
  try {
    seeds = ParseSeeds(flags.seeds);
  } catch (const Error& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  }
  std::vector<GaitRow> rows = BarRows(robot);
  if (!flags.rows.empty()) {
    std::vector<GaitRow> chosen;
    for (const std::string& name : flags.rows) {
      auto it = std::find_if(rows.begin(), rows.end(), [&](const GaitRow& r) { return r.name == name; });
      if (it == rows.end()) {
        std::string known;
        for (const GaitRow& r : rows) known += (known.empty() ? "" : ", ") + r.name;
        std::fprintf(stderr, "error: --rows: no row '%s' (rows: %s)\n", name.c_str(), known.c_str());
        return 2;
      }
      chosen.push_back(*it);
    }
    rows = chosen;
  }
  // One job a (row, seed), taken in order by `jobs` threads.
  const size_t total = rows.size() * seeds.size();
  std::vector<GaitTrialResult> results(total);
  std::vector<std::string> errors(total);
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t job; (job = next++) < total;) {
      try {
        results[job] = RunGaitTrial(rows[job / seeds.size()].trial, seeds[job % seeds.size()]);
      } catch (const std::exception& e) {
        errors[job] = e.what();
      }
    }
  };
  std::vector<std::thread> threads;
  for (int i = 1; i < std::max(1, flags.jobs); ++i) threads.emplace_back(work);
  work();
  for (std::thread& t : threads) t.join();
  // A robot file that does not load fails every run the same way: say it once.
  if (std::all_of(errors.begin(), errors.end(), [](const std::string& e) { return !e.empty(); })) {
    std::fprintf(stderr, "%s\n", errors.front().c_str());
    return 2;
  }

  std::printf("gait table: %s, seeds %s, %zu runs\n", robot.c_str(), flags.seeds.c_str(), total);
  std::printf("%-14s %-7s %-13s %-15s %-7s %-14s %-8s %-8s %-6s %-7s %s\n", "row", "falls", "speed",
              "touch-down ms", "missed", "arrival", "settle", "stop", "sat", "torque", "bar");
  std::printf("%-14s %-7s %-13s %-15s %-7s %-14s %-8s %-8s %-6s %-7s %s\n", "", "", "(sustained)",
              "RMS / worst", "", "cm / deg", "cm", "m/s", "ticks", "% max", "");
  nlohmann::json out = {{"robot", robot}, {"seeds", seeds}, {"rows", nlohmann::json::array()}};
  bool all_pass = true;
  for (size_t i = 0; i < rows.size(); ++i) {
    const GaitRow& row = rows[i];
    const std::vector<GaitTrialResult> row_results(results.begin() + i * seeds.size(),
                                                   results.begin() + (i + 1) * seeds.size());
    const std::vector<std::string> row_errors(errors.begin() + i * seeds.size(),
                                              errors.begin() + (i + 1) * seeds.size());
    const RowSummary s = Summarise(row, row_results, row_errors);
    char speed[32];
    if (row.bar.min_yaw_rate > 0 || row.name == "turn_in_place") {
      std::snprintf(speed, sizeof(speed), "%.2f rad/s", s.yaw_rate);
    } else {
      std::snprintf(speed, sizeof(speed), "%.2f m/s", s.speed);
    }
    char falls[16], timing[32], arrival[32], settle[16], stop[16], torque[16];
    std::snprintf(falls, sizeof(falls), "%d/%d", s.falls, s.runs);
    std::snprintf(timing, sizeof(timing), "%.1f / %.0f", 1000 * s.td_rms, 1000 * s.td_worst);
    std::snprintf(arrival, sizeof(arrival), "%.1f / %.1f", 100 * s.position_error, s.heading_error / kDegree);
    std::snprintf(settle, sizeof(settle), "%.1f", 100 * s.settle);
    std::snprintf(stop, sizeof(stop), "%.2f", s.stop_speed);
    std::snprintf(torque, sizeof(torque), "%.0f", 100 * s.torque);
    std::string verdict = s.failures.empty() ? "ok" : "MISSED:";
    for (const std::string& f : s.failures) verdict += " " + f + ";";
    all_pass &= s.failures.empty();
    std::printf("%-14s %-7s %-13s %-15s %-7d %-14s %-8s %-8s %-6lld %-7s %s\n", row.name.c_str(), falls, speed,
                timing, s.missed, arrival, settle, stop, static_cast<long long>(s.saturated), torque,
                verdict.c_str());
    nlohmann::json runs = nlohmann::json::array();
    for (size_t k = 0; k < seeds.size(); ++k) runs.push_back(ResultJson(seeds[k], row_results[k], row_errors[k]));
    out["rows"].push_back({{"row", row.name},
                           {"plan", row.what},
                           {"bpm", row.trial.bpm},
                           {"steps_per_beat", row.trial.steps_per_beat},
                           {"falls", s.falls},
                           {"sustained_speed_mps", s.speed},
                           {"sustained_yaw_rate_radps", s.yaw_rate},
                           {"touchdown_rms_s", s.td_rms},
                           {"worst_touchdown_error_s", s.td_worst},
                           {"missed", s.missed},
                           {"position_error_m", s.position_error},
                           {"heading_error_rad", s.heading_error},
                           {"settle_offset_m", s.settle},
                           {"stop_speed_mps", s.stop_speed},
                           {"saturated_ticks", s.saturated},
                           {"max_torque_ratio", s.torque},
                           {"meets_bar", s.failures.empty()},
                           {"misses", s.failures},
                           {"runs", runs}});
  }
  std::printf("plans: ");
  for (const GaitRow& row : rows) std::printf("%s%s: %s", &row == &rows.front() ? "" : "; ", row.name.c_str(), row.what.c_str());
  std::printf("\n");
  if (!flags.json.empty()) {
    std::ofstream file(flags.json);
    file << out.dump(2) << "\n";
    if (!file) {
      std::fprintf(stderr, "%s: error: cannot write\n", flags.json.c_str());
      return 2;
    }
  }
  return all_pass ? 0 : 1;
}

}  // namespace

Command AddGaitCommand(CLI::App* app) {
  auto flags = std::make_shared<GaitFlags>();
  CLI::App* command = app->add_subcommand(
      "gait", "walk each travel row of the gait's bar on one robot over seeds; print the measured table");
  command->add_option("--robot", flags->robot, "robot MJCF (default: the project's robot with line feet)");
  command->add_option("--seeds", flags->seeds, "start seeds, e.g. 1-10 or 1,3,5 (default 1-10)");
  command->add_option("--rows", flags->rows,
                      "rows to walk (default all): forward, backward, sideways, turn_walking, turn_in_place, "
                      "mixed, start_stop, tempo_90, tempo_90_side, tempo_150, push_forward, push_backward, push_left, "
                      "push_right")
      ->delimiter(',');
  command->add_option("--json", flags->json, "also write every run's measures to this JSON file");
  command->add_option("-j,--jobs", flags->jobs, "runs at once (threads)")->check(CLI::Range(1, 64));
  return {command, [flags] { return RunGait(*flags); }};
}

}  // namespace yangbot
