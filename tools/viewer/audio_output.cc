#include "tools/viewer/audio_output.h"

#include <SDL.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <utility>

#include "choreography/music.h"

namespace yangbot {
namespace {

// Sends stderr to /dev/null while it lives: ALSA's library prints its configuration
// errors there when a machine has no sound card ("Unknown PCM default"), and the viewer
// must run silent without complaint there.
class QuietStderr {
 public:
  QuietStderr() {
    std::fflush(stderr);
    saved_ = ::dup(2);
    const int null = ::open("/dev/null", O_WRONLY);
    if (saved_ >= 0 && null >= 0) ::dup2(null, 2);
    if (null >= 0) ::close(null);
  }
  ~QuietStderr() {
    std::fflush(stderr);
    if (saved_ >= 0) {
      ::dup2(saved_, 2);
      ::close(saved_);
    }
  }
  QuietStderr(const QuietStderr&) = delete;
  QuietStderr& operator=(const QuietStderr&) = delete;

 private:
  int saved_ = -1;
};

}  // namespace

AudioOutput::AudioOutput(AudioClock clock) : clock_(std::move(clock)) {
  // SDL would otherwise install its own SIGINT/SIGTERM handlers over the viewer's.
  SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
  QuietStderr quiet;
  if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) return;  // no driver: silent
  sdl_started_ = true;
  SDL_AudioSpec want{};
  want.freq = clock_.sample_rate();
  want.format = AUDIO_F32SYS;
  want.channels = 1;
  want.samples = 512;  // ~23 ms at 22.05 kHz: small enough to stay within the drift allowed
  want.callback = [](void* user, Uint8* stream, int len) { Fill(user, stream, len); };
  want.userdata = this;
  SDL_AudioSpec have{};
  // No allowed changes: SDL converts rate, format and channels to what the device takes.
  device_ = SDL_OpenAudioDevice(nullptr, 0, &want, &have, 0);
  if (device_ == 0) return;  // no device: silent
  // The device plays about one buffer behind what the callback writes.
  clock_.set_lead(static_cast<double>(have.samples) / have.freq);
  SDL_PauseAudioDevice(device_, 0);
}

AudioOutput::~AudioOutput() {
  if (device_ != 0) SDL_CloseAudioDevice(device_);
  if (sdl_started_) SDL_QuitSubSystem(SDL_INIT_AUDIO);
}

std::unique_ptr<AudioOutput> AudioOutput::ForMusic(const std::string& path, std::string* error) {
  std::optional<DecodedAudio> audio = DecodeAudio(path, error);
  if (!audio) return nullptr;
  return std::make_unique<AudioOutput>(AudioClock(std::move(audio->samples), audio->sample_rate));
}

void AudioOutput::Fill(void* user, uint8_t* stream, int len) {
  auto* self = static_cast<AudioOutput*>(user);
  self->clock_.Render(reinterpret_cast<float*>(stream), static_cast<size_t>(len) / sizeof(float));
}

void AudioOutput::Follow(double sim_time, double speed, bool playing) {
  if (device_ != 0) SDL_LockAudioDevice(device_);
  clock_.Follow(sim_time, speed, playing);
  if (device_ != 0) SDL_UnlockAudioDevice(device_);
}

double AudioOutput::position() const {
  if (device_ != 0) SDL_LockAudioDevice(device_);
  const double position = clock_.position();
  if (device_ != 0) SDL_UnlockAudioDevice(device_);
  return position;
}

bool AudioOutput::audible() const {
  if (device_ != 0) SDL_LockAudioDevice(device_);
  const bool audible = clock_.audible();
  if (device_ != 0) SDL_UnlockAudioDevice(device_);
  return audible;
}

void ShowMusic::Load(const Show& show, const std::string& base_dir) {
  std::string path;
  if (!show.music.empty()) path = (std::filesystem::path(base_dir) / show.music).string();
  if (path == path_) return;
  path_ = path;
  output_.reset();  // the old device closes before the new one opens
  std::string error;
  if (!path.empty()) output_ = AudioOutput::ForMusic(path, &error);
  if (!output_) path_.clear();
}

void ShowMusic::Follow(double sim_time, double speed, bool playing) {
  if (output_) output_->Follow(sim_time, speed, playing);
}

}  // namespace yangbot
