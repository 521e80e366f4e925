#include "choreography/move_registry.h"

#include "choreography/moves/builtin_moves.h"
#include "choreography/show_parser.h"
#include "sim/error.h"

namespace yangbot {

void MoveRegistry::Add(std::unique_ptr<const Move> move) {
  const MoveSpec& spec = move->spec();
  if (moves_.count(spec.name) > 0) throw Error("move registry: duplicate move '" + spec.name + "'");
  for (const ParamSpec& p : spec.params) {
    for (const std::string& key : ReservedCueKeys()) {
      if (p.name == key) {
        throw Error("move registry: move '" + spec.name +
                    "' has a parameter named like the cue "
                    "key '" +
                    key + "'");
      }
    }
    if (p.choices.empty() && (p.default_value < p.min || p.default_value > p.max)) {
      throw Error("move registry: default of '" + spec.name + "." + p.name + "' is out of bounds");
    }
  }
  moves_.emplace(spec.name, std::move(move));
}

const Move* MoveRegistry::Find(const std::string& name) const {
  const auto it = moves_.find(name);
  return it != moves_.end() ? it->second.get() : nullptr;
}

std::vector<std::string> MoveRegistry::Names() const {
  std::vector<std::string> names;
  for (const auto& [name, move] : moves_) names.push_back(name);
  return names;
}

void RegisterBuiltinMoves(MoveRegistry* registry) {
  RegisterStand(registry);
  RegisterCrossStep(registry);
  RegisterThreeForwardOneBack(registry);
  RegisterKneeBounce(registry);
  RegisterWaistTwist(registry);
  RegisterSideSway(registry);
  RegisterArmSwing(registry);
  RegisterFigureEight(registry);
  RegisterHankyFlower(registry);
  RegisterFlick(registry);
  RegisterBow(registry);
  RegisterWalkTo(registry);
  RegisterHankySpin(registry);
  RegisterHankyFlick(registry);
  RegisterHankyThrow(registry);
}

const MoveRegistry& BuiltinMoves() {
  static const MoveRegistry registry = [] {
    MoveRegistry r;
    RegisterBuiltinMoves(&r);
    return r;
  }();
  return registry;
}

std::string HankyMoveName(const std::string& action) { return "hanky_" + action; }

const std::vector<std::string>& HankyActions() {
  static const std::vector<std::string> actions = {"spin", "flick", "throw"};
  return actions;
}

}  // namespace yangbot
