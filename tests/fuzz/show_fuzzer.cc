// libFuzzer target: a choreography file through everything `yangbot validate` does
// (parse, check, schedule), then, when it has no errors, the compiler and a few samples of
// each robot's reference. Any crash, sanitizer report or hang is a bug: bad input must
// end as diagnostics (or, from the compiler, a yangbot::Error), never as anything else.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "choreography/choreography.h"
#include "choreography/show_parser.h"
#include "sim/error.h"

namespace {

// Keep each execution short (libFuzzer needs thousands a second): planning formation
// changes grows quickly with the troupe (yangge16.yaml takes ~4 s to validate), and
// compiling is linear in the show's length and robots. A larger troupe is only parsed; a
// long show is checked but not compiled. What they exercise beyond that, a small troupe
// and a short show exercise too.
constexpr int kMaxCheckedRobots = 6;
constexpr double kMaxCompiledSeconds = 60;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  {
    yangbot::Diagnostics diagnostics;
    const yangbot::Show show = yangbot::ParseShow(text, &diagnostics);
    (void)diagnostics.Format("fuzz.yaml");
    if (show.troupe.robots.value_or(1) > kMaxCheckedRobots) return 0;
  }
  // A folder that does not exist: music files named by the input are reported missing
  // instead of being read from wherever the fuzzer runs.
  const yangbot::LoadedShow loaded = yangbot::CheckShowText(text, "/nonexistent-yangbot-fuzz");
  (void)loaded.diagnostics.Format("fuzz.yaml");
  if (!loaded.ok()) return 0;
  const yangbot::Schedule& schedule = loaded.schedule;
  if (schedule.robots.empty()) return 0;
  const double end = schedule.end_time();
  if (!(end >= 0 && end <= kMaxCompiledSeconds)) return 0;
  try {
    const yangbot::CompiledShow show = yangbot::CompileSchedule(schedule);
    yangbot::RobotReference reference;
    for (const auto& source : show.references) {
      for (double t : {0.0, 0.5 * show.end_time, show.end_time, show.end_time + 1.0}) {
        source->Sample(t, &reference);
      }
    }
  } catch (const yangbot::Error&) {
    // Documented: a walking pattern may reject a plan the scheduler let through.
  }
  return 0;
}
