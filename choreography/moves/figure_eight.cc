// figure_eight: the hands draw a figure-eight in front of the body, arms raised a
// little forward: the shoulder yaw carries the forearm left-right, the elbow up-down
// at twice the rate. Both hands move as mirror images.
#include <cmath>

#include "choreography/moves/builtin_moves.h"

namespace yangbot {
namespace {

enum { kSize, kPeriod, kHand };

class FigureEight : public Move {
 public:
  FigureEight() {
    spec_.name = "figure_eight";
    spec_.doc = "draw figure-eights in front with the hands";
    spec_.limbs = kArms;
    spec_.params = {
        NumberParam("size", Dimension::kAngle, 25, 5, 40, "half-width of the eight"),
        NumberParam("period", Dimension::kBeats, 2, 1, 8, "beats for one eight"),
        WordParam("hand", {"both", "left", "right"}, "which hand draws"),
    };
  }
  const MoveSpec& spec() const override { return spec_; }
  void Pose(const ParamValues& p, double u, double length, BodyPose* pose) const override {
    const double e = Envelope(u, length);
    const double size = p.Radians(kSize);
    const double w = 2 * M_PI * u / p.Number(kPeriod);
    const double pitch = -0.5 * e;                                   // arm raised forward
    const double yaw = (0.2 + size * std::sin(w)) * e;               // left-right
    const double elbow = (-0.2 - 0.5 * size * std::sin(2 * w)) * e;  // up-down
    pose->arm_q.fill(0);
    SetArms({pitch, 0.1 * e, yaw, elbow}, SidesOf(p.Word(kHand)), pose);
  }

 private:
  MoveSpec spec_;
};

}  // namespace

void RegisterFigureEight(MoveRegistry* registry) { registry->Add(std::make_unique<FigureEight>()); }

}  // namespace yangbot
