#include "choreography/synced_reference.h"

#include <algorithm>
#include <utility>

#include "choreography/supervisor.h"
#include "controllers/localisation.h"

namespace yangbot {

SyncedReference::SyncedReference(std::shared_ptr<const ClockNetwork> network, int robot,
                                 std::shared_ptr<const ReferenceSource> reference)
    : network_(std::move(network)), robot_(robot) {
  versions_.push_back({0.0, std::move(reference)});
}

void SyncedReference::Sample(double t, RobotReference* out) const {
  ReferenceCursor cold;
  SampleFrom(t, &cold, out);
}

void SyncedReference::SampleFrom(double t, ReferenceCursor* cursor, RobotReference* out) const {
  auto version = versions_.rbegin();
  while (version + 1 != versions_.rend() && t < version->delivered) ++version;
  version->reference->SampleFrom(network_->DanceTime(robot_, t), cursor, out);
}

std::shared_ptr<const SyncedReference> SyncedReference::Updated(
    std::shared_ptr<const ReferenceSource> next, double sent) const {
  auto copy = std::make_shared<SyncedReference>(*this);
  // Messages are danced in the order they were sent.
  const double delivered = std::max(network_->Delivery(robot_, sent), versions_.back().delivered);
  copy->versions_.push_back({delivered, std::move(next)});
  return copy;
}

std::vector<std::shared_ptr<const ReferenceSource>> SyncReferences(
    std::shared_ptr<const ClockNetwork> network,
    std::vector<std::shared_ptr<const ReferenceSource>> references) {
  for (size_t i = 0; i < references.size(); ++i) {
    references[i] =
        std::make_shared<SyncedReference>(network, static_cast<int>(i), std::move(references[i]));
  }
  return references;
}

std::shared_ptr<const ReferenceSource> ConductorReference(
    const std::shared_ptr<const ReferenceSource>& reference) {
  const std::shared_ptr<const ReferenceSource> stage = StageReference(reference);
  const auto* synced = dynamic_cast<const SyncedReference*>(stage.get());
  return synced ? synced->conductor_reference() : stage;
}

std::vector<std::shared_ptr<const ReferenceSource>> ConductorReferences(
    const std::vector<std::shared_ptr<const ReferenceSource>>& references) {
  std::vector<std::shared_ptr<const ReferenceSource>> out;
  out.reserve(references.size());
  for (const auto& reference : references) out.push_back(ConductorReference(reference));
  return out;
}

std::shared_ptr<const ReferenceSource> SpliceReference(
    const std::shared_ptr<const ReferenceSource>& current,
    std::shared_ptr<const ReferenceSource> next, double splice_time) {
  // A robot localising itself follows the splice with its estimate as it did the plan.
  if (const auto* localised = dynamic_cast<const LocalisedReference*>(current.get())) {
    return std::make_shared<LocalisedReference>(
        SpliceReference(localised->inner(), std::move(next), splice_time));
  }
  const auto* synced = dynamic_cast<const SyncedReference*>(current.get());
  if (synced == nullptr) {
    return std::make_shared<SplicedReference>(current, std::move(next), splice_time);
  }
  return synced->Updated(std::make_shared<SplicedReference>(synced->conductor_reference(),
                                                            std::move(next), splice_time),
                         splice_time);
}

}  // namespace yangbot
