// Which samples of the show's music to play, following the simulation clock: the viewer's
// music without SDL or GL, so its decisions are tested alone (tools/viewer/audio_output.h
// feeds them to the sound card).
//
// Music time is sim time: a show's `offset` counts from the start of both (FORMAT.md).
// The UI thread tells the clock where the simulation is once a frame (Follow); the audio
// thread asks for samples (Render), which play on from where the last ones ended. The
// music is audible only while the simulation plays at 1x: paused, seeking or at another
// speed it is silent (pitch-shifted drums help nobody), and it comes back in step.
// Small drift between the two clocks (frames and audio buffers tick at different times)
// is left alone; a jump (a seek, a restart) or a drift over max_drift that lasts a few
// frames moves the music to the sim time.
//
//   AudioClock clock(std::move(audio.samples), audio.sample_rate);
//   clock.Follow(status.time, status.speed, status.playing);  // UI thread, each frame
//   clock.Render(buffer, n);                                  // audio thread, under a lock
#ifndef YANGBOT_TOOLS_VIEWER_AUDIO_CLOCK_H_
#define YANGBOT_TOOLS_VIEWER_AUDIO_CLOCK_H_

#include <cstddef>
#include <cstdint>
#include <vector>

namespace yangbot {

/// Plays music in step with the simulation clock (see file comment). Not thread-safe:
/// the caller serialises Follow and Render (AudioOutput uses SDL's device lock).
class AudioClock {
 public:
  /// Largest drift (s) between music and sim time left alone by default.
  static constexpr double kMaxDrift = 0.040;
  /// A difference (s) this large is a seek or restart: followed at once.
  static constexpr double kJump = 0.25;
  /// Follows in a row that must see a drift over max_drift before the music moves.
  static constexpr int kDriftFollows = 3;

  /// The music: mono `samples` at `sample_rate` Hz (> 0); `max_drift` in s.
  AudioClock(std::vector<float> samples, int sample_rate, double max_drift = kMaxDrift);

  /// The simulation now: sim time (s), speed (times real time) and whether it is playing
  /// (false while paused or seeking). Call once a frame.
  void Follow(double sim_time, double speed, bool playing);
  /// Writes the next `count` output samples into `out` (size count): the music from where
  /// the last call ended while audible, silence otherwise (and before 0 and after the end).
  void Render(float* out, size_t count);

  /// Seconds the output plays behind Render (the device's buffer): the music is kept this
  /// far ahead of sim time. 0 by default.
  void set_lead(double seconds) { lead_ = seconds; }
  /// Whether Render is playing the music (playing at 1x).
  bool audible() const { return audible_; }
  /// Music time (s) of the next sample Render writes.
  double position() const { return static_cast<double>(position_) / sample_rate_; }
  /// Times the music was moved to the sim time (becoming audible, a jump or a lasting drift).
  int resyncs() const { return resyncs_; }
  /// Hz.
  int sample_rate() const { return sample_rate_; }
  /// Length of the music (s).
  double duration() const { return static_cast<double>(samples_.size()) / sample_rate_; }

 private:
  // Moves the music to sim time `t` (plus the lead).
  void Resync(double t);

  std::vector<float> samples_;
  int sample_rate_;
  double max_drift_;
  double lead_ = 0;
  int64_t position_ = 0;  // next sample to render; may be negative or past the end
  bool audible_ = false;
  int drifting_ = 0;  // Follows in a row with a drift over max_drift_
  int resyncs_ = 0;
};

}  // namespace yangbot

#endif  // YANGBOT_TOOLS_VIEWER_AUDIO_CLOCK_H_
