#include "tools/viewer/audio_clock.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace yangbot {

AudioClock::AudioClock(std::vector<float> samples, int sample_rate, double max_drift)
    : samples_(std::move(samples)), sample_rate_(std::max(sample_rate, 1)), max_drift_(max_drift) {}

void AudioClock::Resync(double t) {
  position_ = std::llround((t + lead_) * sample_rate_);
  drifting_ = 0;
  ++resyncs_;
}

void AudioClock::Follow(double sim_time, double speed, bool playing) {
  // Only 1x is audible: the music cannot follow another speed without changing pitch.
  const bool audible = playing && std::isfinite(sim_time) && std::abs(speed - 1.0) < 1e-6;
  if (!audible) {
    audible_ = false;
    drifting_ = 0;
    return;
  }
  if (!audible_) {
    audible_ = true;
    Resync(sim_time);
    return;
  }
  // How far the music is from where it should be. Frames and audio buffers tick at
  // different moments, so a few tens of ms either way is normal and left alone (moving the
  // music clicks); a jump is a seek; a steady drift (the simulation slower than real time)
  // is caught up after a few frames.
  const double drift = std::abs(position() - (sim_time + lead_));
  if (drift > kJump) {
    Resync(sim_time);
  } else if (drift > max_drift_) {
    if (++drifting_ >= kDriftFollows) Resync(sim_time);
  } else {
    drifting_ = 0;
  }
}

void AudioClock::Render(float* out, size_t count) {
  if (!audible_) {
    std::fill(out, out + count, 0.0f);
    return;
  }
  const int64_t size = static_cast<int64_t>(samples_.size());
  for (size_t i = 0; i < count; ++i) {
    const int64_t k = position_ + static_cast<int64_t>(i);
    out[i] = k >= 0 && k < size ? samples_[static_cast<size_t>(k)] : 0.0f;
  }
  position_ += static_cast<int64_t>(count);
}

}  // namespace yangbot
