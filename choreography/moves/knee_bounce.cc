// knee_bounce: the north-east yangge bounce, bending both knees into the beat and
// straightening between beats, feet in place (a CoM height offset).
#include <cmath>

#include "choreography/moves/builtin_moves.h"

namespace yangbot {
namespace {

enum { kDepth };

class KneeBounce : public Move {
 public:
  KneeBounce() {
    spec_.name = "knee_bounce";
    spec_.doc = "bend the knees into every beat, feet in place";
    spec_.limbs = kLegs;
    spec_.params = {NumberParam("depth", Dimension::kLength, 0.03, 0.0, 0.06,
                                "how far the hips dip on the beat")};
  }
  const MoveSpec& spec() const override { return spec_; }
  void Pose(const ParamValues& p, double u, double length, BodyPose* pose) const override {
    pose->com_height_offset =
        -p.Number(kDepth) * 0.5 * (1 + std::cos(2 * M_PI * u)) * Envelope(u, length);
  }

 private:
  MoveSpec spec_;
};

}  // namespace

void RegisterKneeBounce(MoveRegistry* registry) { registry->Add(std::make_unique<KneeBounce>()); }

}  // namespace yangbot
