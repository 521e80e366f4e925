// side_sway: the upper body sways left and right: both arms swing out to one side and
// then the other (shoulder roll), the waist turning a little with them.
//
// Not a trunk roll: H1-class legs have no ankle roll, so with both soles flat the pelvis
// cannot roll or move sideways without the feet rolling onto their edges or sliding
// (NOTES.md, "TRAP: H1 legs have no ankle roll"). A commanded pelvis roll of 2-6 deg at
// 1 Hz makes a standing robot slide its feet inward, sink 15 cm and fall (NOTES.md); the
// arms carry the sway instead.
#include <cmath>

#include "choreography/moves/builtin_moves.h"

namespace yangbot {
namespace {

enum { kAmplitude, kPeriod };

class SideSway : public Move {
 public:
  SideSway() {
    spec_.name = "side_sway";
    spec_.doc = "sway the arms and upper body left and right";
    spec_.limbs = kWaist | kArms;
    spec_.params = {
        NumberParam("amplitude", Dimension::kAngle, 6, 0, 12,
                    "sway to each side (the arms swing twice as far, the waist half)"),
        NumberParam("period", Dimension::kBeats, 2, 1, 16, "beats for left-and-right"),
    };
  }
  const MoveSpec& spec() const override { return spec_; }
  void Pose(const ParamValues& p, double u, double length, BodyPose* pose) const override {
    // Starts by swaying left: the left arm out, the right arm in towards the body.
    const double e = Envelope(u, length);
    const double sway = p.Radians(kAmplitude) * std::sin(2 * M_PI * u / p.Number(kPeriod)) * e;
    const double out = 0.15 * e;  // rad, shoulder roll that keeps the hands off the hips
    const double pitch = -0.2 * e, elbow = 0.4 * e;  // forearms a little forward
    SetArms({pitch, out + 2 * sway, 0, elbow}, {true, false}, pose);
    SetArms({pitch, out - 2 * sway, 0, elbow}, {false, true}, pose);
    pose->torso_yaw = 0.5 * sway;  // positive yaw turns the chest to the left
  }

 private:
  MoveSpec spec_;
};

}  // namespace

void RegisterSideSway(MoveRegistry* registry) { registry->Add(std::make_unique<SideSway>()); }

}  // namespace yangbot
