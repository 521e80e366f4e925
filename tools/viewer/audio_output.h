// The viewer's music through SDL2 audio: a thin backend that feeds an AudioClock
// (tools/viewer/audio_clock.h) to the default output device from SDL's audio thread.
// Without a sound card (a server, a container, SDL_AUDIODRIVER naming no usable driver)
// it stays closed and silent without a message: music is a nicety, never a reason to fail.
//
//   ShowMusic music;
//   music.Load(document->show(), document->base_dir());  // at load and after each reload
//   music.Follow(status.time, status.speed, status.playing && !status.seeking);  // each frame
#ifndef YANGBOT_TOOLS_VIEWER_AUDIO_OUTPUT_H_
#define YANGBOT_TOOLS_VIEWER_AUDIO_OUTPUT_H_

#include <cstdint>
#include <memory>
#include <string>

#include "choreography/show.h"
#include "tools/viewer/audio_clock.h"

namespace yangbot {

/// Plays an AudioClock on the default audio device (see file comment).
class AudioOutput {
 public:
  /// Opens the default device for `clock`'s music (mono, its sample rate; SDL converts);
  /// when there is none the output stays closed and Follow only moves the clock.
  explicit AudioOutput(AudioClock clock);
  /// Closes the device.
  ~AudioOutput();
  AudioOutput(const AudioOutput&) = delete;
  AudioOutput& operator=(const AudioOutput&) = delete;

  /// Decodes a music file (choreography/music.h DecodeAudio) and opens the device for it;
  /// nullptr when the file cannot be decoded (`error` says why).
  static std::unique_ptr<AudioOutput> ForMusic(const std::string& path, std::string* error);

  /// The simulation now (AudioClock::Follow), from the UI thread once a frame.
  void Follow(double sim_time, double speed, bool playing);
  /// Whether a device is open (false: silent).
  bool open() const { return device_ != 0; }
  /// Music time (s) of the next sample for the device.
  double position() const;
  /// Whether the music is playing (AudioClock::audible).
  bool audible() const;

 private:
  // SDL's callback on the audio thread: fills `len` bytes of float samples.
  static void Fill(void* user, uint8_t* stream, int len);

  AudioClock clock_;
  uint32_t device_ = 0;  // SDL_AudioDeviceID; 0 = none
  bool sdl_started_ = false;
};

/// A show's music in the viewer, kept across reloads of the show.
class ShowMusic {
 public:
  /// Plays `show`'s `music:` file (relative to `base_dir`, the show file's folder); decodes
  /// it again only when the path changed. No music when the show has none or the file
  /// cannot be decoded (`yangbot validate` reports that; the viewer stays quiet).
  void Load(const Show& show, const std::string& base_dir);
  /// AudioOutput::Follow, when there is music.
  void Follow(double sim_time, double speed, bool playing);
  /// The music file playing; "" when none.
  const std::string& path() const { return path_; }
  /// The output, nullptr when there is no music.
  const AudioOutput* output() const { return output_.get(); }

 private:
  std::string path_;
  std::unique_ptr<AudioOutput> output_;
};

}  // namespace yangbot

#endif  // YANGBOT_TOOLS_VIEWER_AUDIO_OUTPUT_H_
