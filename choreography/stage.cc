#include "choreography/stage.h"

#include <algorithm>
#include <cstdio>
#include <limits>

namespace yangbot {

std::shared_ptr<LocalisationSetup> ShowLidarSetup(const Show& show, uint64_t seed) {
  if (!show.localisation || show.localisation->mode != "lidar") return nullptr;
  auto setup = std::make_shared<LocalisationSetup>();
  setup->seed = seed;
  for (const auto& [key, value] : show.localisation->settings) {
    SetLocalisationOption(&setup->options, key, value);  // checked by the parser
  }
  return setup;
}

std::vector<Landmark> ShowLandmarks(const Show& show, const ResolvedShow& resolved,
                                    const std::vector<Placement>& extra) {
  if (show.stage) {
    std::vector<Landmark> out;
    for (const ShowLandmark& l : show.stage->landmarks) out.push_back(l.landmark);
    return out;
  }
  double x_min = 0, x_max = 0, y_min = 0, y_max = 0;
  auto grow = [&](const Placement& p) {
    x_min = std::min(x_min, p.x);
    x_max = std::max(x_max, p.x);
    y_min = std::min(y_min, p.y);
    y_max = std::max(y_max, p.y);
  };
  for (const auto& [name, formation] : resolved.formations) {
    for (const Placement& p : formation.slots) grow(p);
  }
  for (const Placement& p : extra) grow(p);
  return DefaultLandmarks(x_min, x_max, y_min, y_max);
}

void CheckLandmarkClearance(const Show& show, const ResolvedShow& resolved,
                            Diagnostics* diagnostics) {
  if (!show.stage) return;
  for (const ShowLandmark& l : show.stage->landmarks) {
    double nearest = std::numeric_limits<double>::infinity();
    std::string where;
    for (const auto& [name, formation] : resolved.formations) {
      const std::vector<Placement>& slots = formation.slots;
      for (size_t i = 0; i < slots.size(); ++i) {
        const double d = LandmarkDistance(l.landmark, slots[i].x, slots[i].y);
        if (d < nearest) {
          nearest = d;
          where = "slot " + std::to_string(i + 1) + " of formation '" + name + "'";
        }
      }
    }
    if (nearest < kLandmarkClearance) {
      char text[96];
      std::snprintf(text, sizeof(text), " is %.2f m from ", nearest);
      diagnostics->Error(l.src.pos, std::string(LandmarkKindName(l.landmark.kind)) + " '" +
                                        l.landmark.name + "'" + text + where +
                                        ": robots would touch it; keep landmarks 1 m from where "
                                        "robots stand");
    }
  }
}

}  // namespace yangbot
