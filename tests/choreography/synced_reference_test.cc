// A robot's reference sampled at its own dance clock; re-plans delivered as messages.
#include "choreography/synced_reference.h"

#include <gtest/gtest.h>

#include <memory>

#include "choreography/supervisor.h"
#include "sim/runner.h"

namespace yangbot {
namespace {

// Reports the time it was sampled at and which reference it is (com.x).
class Probe : public ReferenceSource {
 public:
  explicit Probe(double id) : id_(id) {}
  void Sample(double t, RobotReference* out) const override {
    out->time = t;
    out->com.x() = id_;
  }
  double end_time() const override { return 100; }

 private:
  double id_;
};

std::shared_ptr<const ClockNetwork> Network(const std::vector<Fault>& faults = {}) {
  NetworkOptions options;
  options.enabled = true;
  options.latency_ms = 50;
  options.jitter_ms = 20;
  options.loss = 0.1;
  return std::make_shared<ClockNetwork>(options, 2, 4, faults, 20);
}

TEST(SyncedReferenceTest, SampledAtTheRobotsDanceClock) {
  const auto network = Network();
  const auto references = SyncReferences(network, {std::make_shared<Probe>(1), std::make_shared<Probe>(2)});
  RobotReference out;
  for (double t : {0.0, 3.3, 7.77}) {
    references[1]->Sample(t, &out);
    EXPECT_EQ(out.time, network->DanceTime(1, t));
    EXPECT_NE(out.time, t);  // its own clock, within a few ms
    EXPECT_NEAR(out.time, t, 0.005);
    EXPECT_EQ(out.com.x(), 2);
  }
  EXPECT_EQ(ConductorReference(references[0])->end_time(), 100);
  references[0]->Sample(1, &out);
  ConductorReference(references[0])->Sample(1, &out);
  EXPECT_EQ(out.time, 1);  // the conductor's reference, unwrapped
}

TEST(SyncedReferenceTest, ReplanArrivesAsAMessage) {
  // Robot 1's link is down from 5 s to 7 s: a re-plan sent at 5.5 s waits for it.
  const auto network = Network({ParseFault("net:1@5:2")});
  const auto old_plan = SyncReferences(network, {std::make_shared<Probe>(1), std::make_shared<Probe>(1)});
  const auto on_time = SpliceReference(old_plan[0], std::make_shared<Probe>(2), 5.5);
  const auto late = SpliceReference(old_plan[1], std::make_shared<Probe>(2), 5.5);
  const auto* synced = dynamic_cast<const SyncedReference*>(late.get());
  ASSERT_NE(synced, nullptr);
  EXPECT_GE(synced->delivered(), 7.0);
  const double arrives = dynamic_cast<const SyncedReference&>(*on_time).delivered();
  EXPECT_GT(arrives, 5.5);
  EXPECT_LT(arrives, 6.0);
  RobotReference out;
  late->Sample(6.5, &out);
  EXPECT_EQ(out.com.x(), 1);  // not arrived: the old plan
  late->Sample(synced->delivered() + 0.01, &out);
  EXPECT_EQ(out.com.x(), 2);
  on_time->Sample(arrives + 0.01, &out);
  EXPECT_EQ(out.com.x(), 2);
  // Without robot clocks the splice is immediate, at the splice time.
  const auto plain = SpliceReference(std::make_shared<Probe>(1), std::make_shared<Probe>(2), 5.5);
  plain->Sample(5.5, &out);
  EXPECT_EQ(out.com.x(), 2);
  EXPECT_NE(dynamic_cast<const SplicedReference*>(plain.get()), nullptr);
}

}  // namespace
}  // namespace yangbot
