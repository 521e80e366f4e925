// side_sway: the upper body sways left and right over the hips (trunk roll).
#include <cmath>

#include "choreography/moves/builtin_moves.h"

namespace yangbot {
namespace {

enum { kAmplitude, kPeriod };

class SideSway : public Move {
 public:
  SideSway() {
    spec_.name = "side_sway";
    spec_.doc = "sway the upper body left and right";
    spec_.limbs = kWaist;
    spec_.params = {
        NumberParam("amplitude", Dimension::kAngle, 6, 0, 12, "lean to each side"),
        NumberParam("period", Dimension::kBeats, 2, 1, 16, "beats for left-and-right"),
    };
  }
  const MoveSpec& spec() const override { return spec_; }
  void Pose(const ParamValues& p, double u, double length, BodyPose* pose) const override {
    // Starts by leaning left (negative roll).
    pose->trunk_roll =
        -p.Radians(kAmplitude) * std::sin(2 * M_PI * u / p.Number(kPeriod)) * Envelope(u, length);
  }

 private:
  MoveSpec spec_;
};

}  // namespace

void RegisterSideSway(MoveRegistry* registry) { registry->Add(std::make_unique<SideSway>()); }

}  // namespace yangbot
