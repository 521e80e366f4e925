#include "choreography/music.h"

#include <aubio/aubio.h>
#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <numbers>

#include "choreography/units.h"
#include "sim/error.h"

namespace yangbot {
namespace {

constexpr double kTwoPi = 2 * std::numbers::pi;

// ---- Instruments: each adds one stroke at sample `start` with loudness `gain` ----

// Deterministic white noise in [-1, 1] (xorshift32), so a seed always gives the same track.
class Noise {
 public:
  explicit Noise(uint32_t seed) : state_(seed != 0 ? seed : 0x9e3779b9u) {}
  float Next() {
    state_ ^= state_ << 13;
    state_ ^= state_ >> 17;
    state_ ^= state_ << 5;
    return static_cast<float>(state_) / 2147483648.0f - 1.0f;
  }

 private:
  uint32_t state_;
};

// Adds f(t) for t in [0, length) seconds after sample `start`.
template <typename F>
void AddStroke(std::vector<float>* out, int rate, size_t start, double length, F f) {
  const size_t n = static_cast<size_t>(length * rate);
  for (size_t i = 0; i < n && start + i < out->size(); ++i) {
    (*out)[start + i] += static_cast<float>(f(static_cast<double>(i) / rate));
  }
}

// Bass drum (大鼓): a skin whose pitch falls from ~130 Hz to 55 Hz, and the stick's click.
void Drum(std::vector<float>* out, int rate, size_t start, double gain, Noise* noise) {
  double phase = 0;
  AddStroke(out, rate, start, 0.4, [&](double t) {
    const double f = 55 + 75 * std::exp(-t / 0.03);
    phase += kTwoPi * f / rate;
    return gain *
           (std::exp(-t / 0.12) * std::sin(phase) + 0.4 * std::exp(-t / 0.004) * noise->Next());
  });
}

// Gong (锣): inharmonic partials that ring for seconds, pitch sinking a little as they fade.
void Gong(std::vector<float>* out, int rate, size_t start, double gain, Noise* noise) {
  static constexpr double kRatio[] = {1.0, 1.48, 2.06, 2.63, 3.37};
  static constexpr double kAmp[] = {1.0, 0.6, 0.45, 0.3, 0.2};
  double phase[5] = {0, 0, 0, 0, 0};
  AddStroke(out, rate, start, 2.0, [&](double t) {
    const double glide = 1 - 0.04 * (1 - std::exp(-t / 0.4));
    double s = 0;
    for (int k = 0; k < 5; ++k) {
      const double f = 196 * kRatio[k] * glide;
      if (f >= rate / 2.0) continue;
      phase[k] += kTwoPi * f / rate;
      s += kAmp[k] * std::exp(-t / (0.9 / (1 + 0.4 * k))) * std::sin(phase[k]);
    }
    return gain * (0.5 * s + 0.5 * std::exp(-t / 0.008) * noise->Next());
  });
}

// Cymbals (镲): bright noise (first difference of white noise) with a few metallic partials.
void Cymbal(std::vector<float>* out, int rate, size_t start, double gain, Noise* noise) {
  static constexpr double kPartial[] = {3150, 4230, 5370};
  float previous = 0;
  AddStroke(out, rate, start, 0.6, [&](double t) {
    const float white = noise->Next();
    double s = 0.6 * (white - previous);
    previous = white;
    for (double f : kPartial) {
      if (f < rate / 2.0) s += 0.1 * std::sin(kTwoPi * f * t);
    }
    return gain * std::exp(-t / 0.15) * s;
  });
}

// ---- libsndfile in memory: the file is built in a string, then written atomically ----

struct MemoryFile {
  std::string bytes;
  sf_count_t position = 0;
};

sf_count_t MemoryLength(void* user) { return static_cast<MemoryFile*>(user)->bytes.size(); }

sf_count_t MemorySeek(sf_count_t offset, int whence, void* user) {
  auto* file = static_cast<MemoryFile*>(user);
  const sf_count_t base = whence == SEEK_SET   ? 0
                          : whence == SEEK_CUR ? file->position
                                               : static_cast<sf_count_t>(file->bytes.size());
  file->position = std::max<sf_count_t>(0, base + offset);
  return file->position;
}

sf_count_t MemoryRead(void* ptr, sf_count_t count, void* user) {
  auto* file = static_cast<MemoryFile*>(user);
  const sf_count_t size = static_cast<sf_count_t>(file->bytes.size());
  const sf_count_t n = std::max<sf_count_t>(0, std::min(count, size - file->position));
  std::memcpy(ptr, file->bytes.data() + file->position, n);
  file->position += n;
  return n;
}

sf_count_t MemoryWrite(const void* ptr, sf_count_t count, void* user) {
  auto* file = static_cast<MemoryFile*>(user);
  if (file->position + count > static_cast<sf_count_t>(file->bytes.size())) {
    file->bytes.resize(file->position + count);
  }
  std::memcpy(file->bytes.data() + file->position, ptr, count);
  file->position += count;
  return count;
}

sf_count_t MemoryTell(void* user) { return static_cast<MemoryFile*>(user)->position; }

// ---- Beat grid fitting ----

// Least-squares line t = a + b k through (k, t) pairs.
struct Line {
  double a = 0, b = 0;
};
std::optional<Line> FitLine(const std::vector<std::pair<double, double>>& points) {
  const double n = static_cast<double>(points.size());
  if (points.size() < 2) return std::nullopt;
  double sk = 0, st = 0;
  for (const auto& [k, t] : points) sk += k, st += t;
  const double mk = sk / n, mt = st / n;
  double skk = 0, skt = 0;
  for (const auto& [k, t] : points) skk += (k - mk) * (k - mk), skt += (k - mk) * (t - mt);
  if (skk <= 0) return std::nullopt;
  const double b = skt / skk;
  return Line{mt - b * mk, b};
}

// Tempi the detector reports (and the generator makes): the usual range of dance music,
// where "twice as fast" and "half as fast" cannot both be inside.
constexpr double kMinBpm = 50, kMaxBpm = 220;
constexpr double kMinPeriod = 60.0 / 400, kMaxPeriod = 60.0 / 25;

// A beat grid t = phase + k * period and the onsets (k, t) that lie on it.
struct BeatGrid {
  double phase = 0;
  double period = 0;
  std::vector<std::pair<double, double>> points;
};

// Fits a beat grid to the onsets near it (within an eighth of a beat, which leaves out
// half-beat strokes), starting from a guess and an anchor time: first the onsets within
// 8 beats of the anchor, then twice as far each pass, so an error in the guessed period
// never puts a far onset on the wrong beat. Onset times are quantised to the hop, but
// they are many: the fit is much finer than one hop.
std::optional<BeatGrid> FitBeatGrid(const std::vector<double>& onsets, double period,
                                    double anchor) {
  BeatGrid grid{anchor, period, {}};
  for (double reach = 8;; reach *= 2) {
    grid.points.clear();
    for (double t : onsets) {
      const double k = std::round((t - grid.phase) / grid.period);
      if (std::abs(k) <= reach && std::abs(t - (grid.phase + k * grid.period)) < grid.period / 8) {
        grid.points.emplace_back(k, t);
      }
    }
    const std::optional<Line> line = FitLine(grid.points);
    if (!line || !(line->b > kMinPeriod && line->b < kMaxPeriod)) return std::nullopt;
    grid.phase = line->a;
    grid.period = line->b;
    if (reach * grid.period > (onsets.back() - onsets.front()) * 2 + 1) break;
  }
  return grid;
}

}  // namespace

void CheckPercussionOptions(const PercussionOptions& o) {
  auto check = [](bool ok, const char* what) {
    if (!ok) throw Error(std::string("music: ") + what);
  };
  check(o.bpm >= kMinBpm && o.bpm <= kMaxBpm, "--bpm must be between 50 and 220");
  check(o.offset >= 0 && o.offset <= 60, "--offset must be between 0 and 60 s");
  check(o.seconds >= 1 && o.seconds <= 600, "--seconds must be between 1 and 600");
  check(o.offset < o.seconds, "--offset must be before the end of the track");
  check(o.beats_per_bar >= 2 && o.beats_per_bar <= 8, "--beats-per-bar must be between 2 and 8");
  check(o.sample_rate >= 8000 && o.sample_rate <= 96000,
        "--rate must be between 8000 and 96000 Hz");
}

std::vector<float> SynthesizePercussion(const PercussionOptions& o) {
  CheckPercussionOptions(o);
  const int rate = o.sample_rate;
  std::vector<float> out(static_cast<size_t>(o.seconds * rate), 0.0f);
  Noise noise(o.seed);
  const double period = 60.0 / o.bpm;
  auto sample = [&](double t) { return static_cast<size_t>(std::lround(t * rate)); };
  // Each beat's time is computed from its index (no accumulated rounding).
  for (int k = 0; o.offset + k * period < o.seconds; ++k) {
    const double t = o.offset + k * period;
    const int beat_in_bar = k % o.beats_per_bar;
    if (beat_in_bar == 0) {
      Drum(&out, rate, sample(t), 1.0, &noise);
      Gong(&out, rate, sample(t), 0.7, &noise);
    } else {
      Drum(&out, rate, sample(t), 0.75, &noise);
      Cymbal(&out, rate, sample(t), 0.8, &noise);
    }
    if (beat_in_bar == o.beats_per_bar - 1) Drum(&out, rate, sample(t + period / 2), 0.4, &noise);
  }
  // Normalise to a fixed peak, and fade out the last 50 ms so the track ends cleanly.
  float peak = 0;
  for (float s : out) peak = std::max(peak, std::abs(s));
  const float scale = peak > 0 ? 0.9f / peak : 1.0f;
  const size_t fade = std::min(out.size(), static_cast<size_t>(0.05 * rate));
  for (size_t i = 0; i < out.size(); ++i) {
    out[i] *= scale;
    const size_t left = out.size() - i;
    if (left < fade) out[i] *= static_cast<float>(left) / static_cast<float>(fade);
  }
  return out;
}

void WritePercussion(const std::string& path, const PercussionOptions& options, double quality) {
  const std::string extension = std::filesystem::path(path).extension().string();
  int format = 0;
  if (extension == ".wav") {
    format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
  } else if (extension == ".flac") {
    format = SF_FORMAT_FLAC | SF_FORMAT_PCM_16;
  } else if (extension == ".ogg") {
    format = SF_FORMAT_OGG | SF_FORMAT_VORBIS;
  } else if (extension == ".opus") {
    format = SF_FORMAT_OGG | SF_FORMAT_OPUS;
  } else {
    throw Error(path + ": unknown audio format '" + extension +
                "' (use .wav, .flac, .ogg or .opus)");
  }
  if (!(quality >= 0 && quality <= 1)) throw Error("music: --quality must be between 0 and 1");
  const std::vector<float> samples = SynthesizePercussion(options);
  // Encoded into memory, then written atomically: a failed run never leaves half a file.
  MemoryFile file;
  SF_VIRTUAL_IO io{MemoryLength, MemorySeek, MemoryRead, MemoryWrite, MemoryTell};
  SF_INFO info{};
  info.samplerate = options.sample_rate;
  info.channels = 1;
  info.format = format;
  SNDFILE* sf = sf_open_virtual(&io, SFM_WRITE, &info, &file);
  if (sf == nullptr) throw Error(path + ": cannot encode: " + sf_strerror(nullptr));
  if ((format & SF_FORMAT_SUBMASK) == SF_FORMAT_VORBIS) {
    sf_command(sf, SFC_SET_VBR_ENCODING_QUALITY, &quality, sizeof(quality));
  } else if ((format & SF_FORMAT_SUBMASK) == SF_FORMAT_OPUS) {
    double level = 1 - quality;  // libsndfile: 0 = best, 1 = smallest
    sf_command(sf, SFC_SET_COMPRESSION_LEVEL, &level, sizeof(level));
  }
  // In blocks: libvorbis crashes on one write of minutes of audio (it allocates the
  // analysis buffer for the whole write at once).
  constexpr size_t kBlock = 4096;
  size_t written = 0;
  while (written < samples.size()) {
    const sf_count_t n = static_cast<sf_count_t>(std::min(kBlock, samples.size() - written));
    if (sf_writef_float(sf, samples.data() + written, n) != n) break;
    written += static_cast<size_t>(n);
  }
  const int closed = sf_close(sf);
  if (written != samples.size() || closed != 0) {
    throw Error(path + ": cannot encode audio");
  }
  WriteFileAtomic(path, file.bytes);
}

std::optional<DecodedAudio> DecodeAudio(const std::string& path, std::string* error) {
  auto fail = [&](const std::string& why) -> std::optional<DecodedAudio> {
    if (error != nullptr) *error = why;
    return std::nullopt;
  };
  SF_INFO info{};
  SNDFILE* sf = sf_open(path.c_str(), SFM_READ, &info);
  if (sf == nullptr) return fail(std::string("cannot decode audio: ") + sf_strerror(nullptr));
  std::unique_ptr<SNDFILE, int (*)(SNDFILE*)> closer(sf, sf_close);
  // Ten minutes of audio at most: a show is shorter, and this bounds memory.
  if (info.channels < 1 || info.channels > 16 || info.samplerate < 4000 ||
      info.samplerate > 192000 || info.frames > static_cast<sf_count_t>(info.samplerate) * 600) {
    return fail("unsupported audio (channels, sample rate or more than 10 minutes)");
  }
  std::vector<float> interleaved(static_cast<size_t>(info.frames) * info.channels);
  const sf_count_t frames = sf_readf_float(sf, interleaved.data(), info.frames);
  DecodedAudio audio;
  audio.sample_rate = info.samplerate;
  audio.samples.resize(static_cast<size_t>(std::max<sf_count_t>(frames, 0)));
  for (size_t i = 0; i < audio.samples.size(); ++i) {
    float sum = 0;
    for (int c = 0; c < info.channels; ++c) sum += interleaved[i * info.channels + c];
    audio.samples[i] = sum / static_cast<float>(info.channels);
  }
  return audio;
}

std::optional<double> WavDuration(const std::string& path) {
  SF_INFO info{};
  SNDFILE* sf = sf_open(path.c_str(), SFM_READ, &info);
  if (sf == nullptr) return std::nullopt;
  sf_close(sf);
  const int type = info.format & SF_FORMAT_TYPEMASK;
  if ((type != SF_FORMAT_WAV && type != SF_FORMAT_WAVEX) || info.samplerate <= 0) {
    return std::nullopt;
  }
  return static_cast<double>(info.frames) / info.samplerate;
}

std::optional<DetectedBeat> DetectBeats(const std::string& path, std::string* error) {
  const std::optional<DecodedAudio> audio = DecodeAudio(path, error);
  if (!audio) return std::nullopt;
  return DetectBeats(audio->samples, audio->sample_rate, error);
}

std::optional<DetectedBeat> DetectBeats(const std::vector<float>& samples, int sample_rate,
                                        std::string* error) {
  auto fail = [&](const std::string& why) -> std::optional<DetectedBeat> {
    if (error != nullptr) *error = why;
    return std::nullopt;
  };
  if (sample_rate < 4000) return fail("sample rate below 4000 Hz");
  // Hop ~11.6 ms at 22.05 kHz and 44.1 kHz alike.
  const uint_t hop = sample_rate > 32000 ? 512 : 256;
  const uint_t window = 4 * hop;
  const double duration = static_cast<double>(samples.size()) / sample_rate;
  if (samples.size() < 8 * window) return fail("too short to find a beat");

  std::unique_ptr<aubio_tempo_t, void (*)(aubio_tempo_t*)> tempo(
      new_aubio_tempo("default", window, hop, sample_rate), del_aubio_tempo);
  std::unique_ptr<aubio_onset_t, void (*)(aubio_onset_t*)> onset(
      new_aubio_onset("default", window, hop, sample_rate), del_aubio_onset);
  std::unique_ptr<fvec_t, void (*)(fvec_t*)> in(new_fvec(hop), del_fvec);
  std::unique_ptr<fvec_t, void (*)(fvec_t*)> tempo_out(new_fvec(2), del_fvec);
  std::unique_ptr<fvec_t, void (*)(fvec_t*)> onset_out(new_fvec(1), del_fvec);
  if (!tempo || !onset || !in || !tempo_out || !onset_out) return fail("aubio could not start");

  std::vector<double> beats, onsets;
  for (size_t start = 0; start < samples.size(); start += hop) {
    for (uint_t i = 0; i < hop; ++i) {
      in->data[i] = start + i < samples.size() ? samples[start + i] : 0.0f;
    }
    aubio_tempo_do(tempo.get(), in.get(), tempo_out.get());
    if (tempo_out->data[0] != 0) beats.push_back(aubio_tempo_get_last_s(tempo.get()));
    aubio_onset_do(onset.get(), in.get(), onset_out.get());
    if (onset_out->data[0] != 0) onsets.push_back(aubio_onset_get_last_s(onset.get()));
  }
  if (beats.size() < 4 || onsets.size() < 4) return fail("no steady beat found");

  // The tracker's period: the median interval between its beats.
  std::vector<double> intervals;
  for (size_t i = 1; i < beats.size(); ++i) intervals.push_back(beats[i] - beats[i - 1]);
  std::nth_element(intervals.begin(), intervals.begin() + intervals.size() / 2, intervals.end());
  const double tracked_period = intervals[intervals.size() / 2];
  if (!(tracked_period > kMinPeriod && tracked_period < kMaxPeriod)) {
    return fail("no steady beat found");
  }
  std::optional<BeatGrid> grid = FitBeatGrid(onsets, tracked_period, beats[beats.size() / 2]);
  // The tracker may lock on twice or half the beat. The beat is the level at which nearly
  // every grid point has an onset: strokes halfway between most beats mean the grid is
  // too coarse; every other grid point empty means it is too fine.
  for (int pass = 0; grid && pass < 2; ++pass) {
    int halfway = 0;
    for (double t : onsets) {
      const double x = (t - grid->phase) / grid->period;
      if (std::abs(x - std::floor(x) - 0.5) < 0.125) ++halfway;
    }
    int parity[2] = {0, 0};
    const double first_k = grid->points.front().first;
    for (const auto& [k, t] : grid->points) ++parity[static_cast<int64_t>(k - first_k) & 1];
    const double on_grid = static_cast<double>(grid->points.size());
    if (halfway >= 0.6 * on_grid && 60.0 / (grid->period / 2) <= kMaxBpm * 1.05) {
      grid = FitBeatGrid(onsets, grid->period / 2, grid->phase);
    } else if (std::min(parity[0], parity[1]) < 0.4 * std::max(parity[0], parity[1]) &&
               60.0 / (grid->period * 2) >= kMinBpm / 1.05) {
      const double strong =
          grid->phase + (first_k + (parity[0] >= parity[1] ? 0 : 1)) * grid->period;
      grid = FitBeatGrid(onsets, grid->period * 2, strong);
    } else {
      break;
    }
  }
  if (!grid || grid->points.size() < 4) return fail("no steady beat found");
  const double phase = grid->phase, period = grid->period;
  const auto& on_grid = grid->points;
  DetectedBeat result;
  result.bpm = 60.0 / period;
  result.first_beat = phase + on_grid.front().first * period;
  result.beats = static_cast<int>(on_grid.size());
  result.duration = duration;
  return result;
}

std::string BeatHeaderLines(const DetectedBeat& beat) {
  double bpm = std::round(beat.bpm * 100) / 100;
  if (std::abs(beat.bpm - std::round(beat.bpm)) < 0.05) bpm = std::round(beat.bpm);
  const double offset = std::max(0.0, std::round(beat.first_beat * 1000) / 1000);
  return "tempo: " + FormatNumber(bpm) + "\noffset: " + FormatNumber(offset) + "\n";
}

double OffsetToMusicBeat(const DetectedBeat& beat, double offset) {
  const double period = 60.0 / beat.bpm;
  const double k = std::round((offset - beat.first_beat) / period);
  return std::abs(offset - (beat.first_beat + k * period));
}

void CheckShowMusic(const Show& show, const std::string& base_dir, Diagnostics* diagnostics) {
  if (show.music.empty()) return;
  std::filesystem::path path(show.music);
  if (path.is_relative() && !base_dir.empty()) path = std::filesystem::path(base_dir) / path;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return;  // the schedule warns "not found"
  std::string error;
  const std::optional<DecodedAudio> audio = DecodeAudio(path.string(), &error);
  if (!audio) {
    diagnostics->Error(show.src.At("music"), "music " + show.music + ": " + error);
    return;
  }

  // Sections that end after the music. The same message as the schedule's WAV check, which
  // is skipped when already there.
  const BeatClock clock = show.clock();
  const int bpb = show.beats_per_bar_or_default();
  if (clock.bpm > 0 && bpb > 0) {
    for (const Section& section : show.timeline) {
      if (!section.beats || section.at.bar < 1) continue;
      const Beats start =
          Beats(static_cast<int64_t>(section.at.bar - 1) * bpb) + (section.at.beat - Beats(1));
      const double end = clock.Time(start + *section.beats);
      if (!(end > audio->duration() + 1e-6)) continue;
      char text[200];
      std::snprintf(text, sizeof(text),
                    "section '%s' ends at %.2f s, after the end of the music (%.2f s)",
                    section.name.c_str(), end, audio->duration());
      const SourcePos at = section.src.At("at");
      const auto& items = diagnostics->items();
      const bool reported = std::any_of(items.begin(), items.end(), [&](const Diagnostic& d) {
        return d.pos.line == at.line && d.pos.column == at.column && d.message == text;
      });
      if (!reported) diagnostics->Error(at, text);
    }
  }

  // Tempo and offset against the music's beat grid.
  const std::optional<DetectedBeat> beat = DetectBeats(audio->samples, audio->sample_rate, &error);
  if (!beat) {
    diagnostics->Warning(show.src.At("music"),
                         "music " + show.music + ": " + error + "; tempo and offset not checked");
    return;
  }
  char text[240];
  if (std::abs(beat->bpm - clock.bpm) > kMusicTempoTolerance) {
    std::snprintf(text, sizeof(text),
                  "tempo %s bpm differs from the music's %.2f bpm (%s); `yangbot beats` "
                  "prints the header lines",
                  FormatNumber(clock.bpm).c_str(), beat->bpm, show.music.c_str());
    diagnostics->Warning(show.src.At("tempo"), text);
  }
  const double off = OffsetToMusicBeat(*beat, clock.offset);
  if (off > kMusicOffsetTolerance) {
    std::snprintf(text, sizeof(text),
                  "offset %s s is %.0f ms from the music's nearest beat (first beat at %.3f s, "
                  "one every %.3f s)",
                  FormatNumber(clock.offset).c_str(), off * 1000, beat->first_beat,
                  60.0 / beat->bpm);
    diagnostics->Warning(show.src.At("offset"), text);
  }
}

}  // namespace yangbot
