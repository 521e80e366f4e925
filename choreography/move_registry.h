// Moves by name. The built-in library (choreography/moves/, one file per move) is
// registered by RegisterBuiltinMoves, called once from BuiltinMoves(): an explicit call
// rather than static initialisers, so the linker cannot drop a move from the static
// library.
#ifndef YANGBOT_CHOREOGRAPHY_MOVE_REGISTRY_H_
#define YANGBOT_CHOREOGRAPHY_MOVE_REGISTRY_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "choreography/move.h"

namespace yangbot {

/// Moves by name; immutable once built.
class MoveRegistry {
 public:
  /// Adds a move; throws yangbot::Error on a duplicate name, a parameter named like a
  /// cue key (move, who, at, beats, ...) or a default outside its bounds.
  void Add(std::unique_ptr<const Move> move);
  /// The move called `name`, or nullptr.
  const Move* Find(const std::string& name) const;
  /// All names, sorted.
  std::vector<std::string> Names() const;

 private:
  std::map<std::string, std::unique_ptr<const Move>> moves_;
};

/// Registers the built-in library (stand, cross_step, three_forward_one_back,
/// knee_bounce, waist_twist, side_sway, arm_swing, figure_eight, hanky_flower, flick,
/// bow, walk_to, and the handkerchief actions hanky_spin, hanky_flick and hanky_throw).
void RegisterBuiltinMoves(MoveRegistry* registry);

/// The built-in library, built on first use (thread-safe).
const MoveRegistry& BuiltinMoves();

/// Registry name of the move behind a `hanky: ACTION` cue ("spin" -> "hanky_spin").
std::string HankyMoveName(const std::string& action);
/// The `hanky:` actions: spin, flick, throw.
const std::vector<std::string>& HankyActions();

}  // namespace yangbot

#endif  // YANGBOT_CHOREOGRAPHY_MOVE_REGISTRY_H_
