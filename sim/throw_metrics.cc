#include "sim/throw_metrics.h"

#include <cmath>

namespace yangbot {
namespace {

// s after release before a seated handkerchief counts as caught: the ejector's launch
// (it starts seated).
constexpr double kLaunchTime = 0.1;

// JSON of a tally value: null when negative (nothing to measure).
nlohmann::json OrNull(double value) {
  return value < 0 ? nlohmann::json(nullptr) : nlohmann::json(value);
}

}  // namespace

double HankyThrowTally::TimingRms() const {
  return catches > 0 ? std::sqrt(timing_sum_squares / catches) : -1;
}

void UpdateHankyThrowLog(const Scene& scene, const std::vector<HankyThrow>& throws,
                         const mjData& d, HankyThrowLog* log) {
  if (throws.empty()) return;
  log->seated.resize(throws.size(), -1);
  for (size_t k = 0; k < throws.size(); ++k) {
    const HankyThrow& t = throws[k];
    if (log->seated[k] >= 0 || d.time < t.release + kLaunchTime ||
        d.time > t.catch_time + kHankyCatchWindow) {
      continue;
    }
    for (const HandkerchiefProp& h : scene.hankies()) {
      if (h.robot != t.robot || h.side != t.side) continue;
      if (MeasureHanky(scene.model(), &d, h).seated) log->seated[k] = d.time;
    }
  }
}

std::vector<HankyThrowTally> TallyHankyThrows(int robots, const std::vector<HankyThrow>& throws,
                                              const HankyThrowLog& log, double now) {
  std::vector<HankyThrowTally> tally(robots + 1);
  for (size_t k = 0; k < throws.size(); ++k) {
    const HankyThrow& t = throws[k];
    if (t.release > now || t.robot < 0 || t.robot >= robots) continue;
    const double seated = k < log.seated.size() ? log.seated[k] : -1;
    for (HankyThrowTally* s : {&tally[t.robot], &tally[robots]}) {
      ++s->throws;
      if (seated < 0) continue;
      const double ms = 1000 * (seated - t.catch_time);
      ++s->catches;
      s->timing_sum_squares += ms * ms;
    }
  }
  return tally;
}

void AddHankyThrowReport(int robots, const std::vector<HankyThrow>& throws,
                         const HankyThrowLog& log, double now, nlohmann::json* report) {
  const std::vector<HankyThrowTally> tally = TallyHankyThrows(robots, throws, log, now);
  auto write = [&](const HankyThrowTally& t, nlohmann::json* out) {
    (*out)["throws"] = throws.empty() ? nlohmann::json(nullptr) : nlohmann::json(t.throws);
    (*out)["catches"] = throws.empty() ? nlohmann::json(nullptr) : nlohmann::json(t.catches);
    (*out)["catch_rate"] = OrNull(t.CatchRate());
    (*out)["catch_timing_ms_rms"] = OrNull(t.TimingRms());
  };
  write(tally[robots], report);
  if (!report->contains("per_robot")) return;
  nlohmann::json& per_robot = (*report)["per_robot"];
  for (int i = 0; i < robots && i < static_cast<int>(per_robot.size()); ++i) {
    write(tally[i], &per_robot[i]);
  }
}

}  // namespace yangbot
