// The built-in demonstration loop of `yangbot run --demo-moves`: every yangge primitive
// the whole-body controller offers, danced in unison by a troupe on a grid so that the
// robots keep their spacing — waist twist with arm swings and handkerchief spins, arm
// figure-eights, three-forward-one-back, a walk out and back (formation changes), the
// cross step and a knee bounce, repeated until the time asked for.
//
// It is generated as show text (the same format as assets/choreographies/), so it is
// checked, compiled and measured exactly like a file the user wrote.
#ifndef YANGBOT_CHOREOGRAPHY_DEMO_MOVES_H_
#define YANGBOT_CHOREOGRAPHY_DEMO_MOVES_H_

#include <string>

namespace yangbot {

/// Show text of the demonstration loop for `robots` robots (1..32) lasting at least
/// `seconds` (whole sections at 120 bpm after a 2 s settle; at least one loop of every
/// primitive when seconds is short). Throws yangbot::Error for a robot count
/// outside 1..32 or a non-positive length.
std::string DemoMovesShow(int robots, double seconds);

}  // namespace yangbot

#endif  // YANGBOT_CHOREOGRAPHY_DEMO_MOVES_H_
