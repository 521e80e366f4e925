// Music for shows: a yangge percussion generator (drum, gong and cymbal, the 锣鼓 that
// drives a yangge) and a beat detector (aubio) that finds the tempo and first beat of an
// audio file, so a show's `tempo:` and `offset:` can be checked against its music.
//
//   WritePercussion("yangge120.wav", {.bpm = 120, .offset = 0.5});
//   std::optional<DetectedBeat> beat = DetectBeats("yangge120.wav");
//   // beat->bpm ~ 120, beat->first_beat ~ 0.5 s
//   CheckShowMusic(show, "assets/choreographies", &diagnostics);  // validate's music checks
#ifndef YANGBOT_CHOREOGRAPHY_MUSIC_H_
#define YANGBOT_CHOREOGRAPHY_MUSIC_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "choreography/diagnostics.h"
#include "choreography/show.h"

namespace yangbot {

// ---- Generator ----

/// What the percussion generator plays.
struct PercussionOptions {
  double bpm = 120;         ///< beats per minute, 50 to 220
  double offset = 0.5;      ///< s, time of the first beat (bar 1, beat 1), 0 to 60
  double seconds = 30;      ///< length of the track, s, 1 to 600
  int beats_per_bar = 4;    ///< the gong marks beat 1 of each bar, 2 to 8
  int sample_rate = 22050;  ///< Hz, 8000 to 96000
  uint32_t seed = 1;        ///< noise of the cymbal and drum heads (same seed, same samples)
};

/// Throws Error naming the first option out of range.
void CheckPercussionOptions(const PercussionOptions& options);

/// The track as mono samples in [-1, 1] (size seconds * sample_rate): a bass drum on every
/// beat, a gong on beat 1 of each bar, the cymbal on the other beats, and a soft drum
/// stroke on the half beat before each bar ("咚咚锵" — the pickup into the gong).
/// Throws Error when an option is out of range.
std::vector<float> SynthesizePercussion(const PercussionOptions& options);

/// Writes the track as a mono audio file (libsndfile), atomically; the format follows the
/// extension: .wav (16-bit PCM), .flac (16-bit), .ogg (Vorbis at `quality`, 0 smallest to
/// 1 best). Throws Error on another extension or when encoding fails.
void WritePercussion(const std::string& path, const PercussionOptions& options,
                     double quality = 0.4);

// ---- Decoding ----

/// Mono samples of an audio file.
struct DecodedAudio {
  std::vector<float> samples;  ///< mono, channels mixed down, in [-1, 1]
  int sample_rate = 0;         ///< Hz
  /// Length, s.
  double duration() const {
    return sample_rate > 0 ? static_cast<double>(samples.size()) / sample_rate : 0.0;
  }
};

/// Decodes an audio file with libsndfile (WAV, FLAC, OGG, ...; at most 10 minutes).
/// Returns nullopt when it cannot; `error` (if set) then says why.
std::optional<DecodedAudio> DecodeAudio(const std::string& path, std::string* error = nullptr);

/// Duration (s) of a RIFF/WAVE file from its header (libsndfile, nothing decoded), or
/// nullopt when it is not a WAV file libsndfile can open.
std::optional<double> WavDuration(const std::string& path);

// ---- Beat detection ----

/// Tempo and first beat of a piece of music.
struct DetectedBeat {
  double bpm = 0;         ///< beats per minute
  double first_beat = 0;  ///< s from the start of the file to the first beat
  int beats = 0;          ///< onsets found on the beat grid (a measure of confidence)
  double duration = 0;    ///< s, length of the file
};

/// Decodes an audio file (DecodeAudio) and
/// finds its tempo (aubio's beat tracker, refined by a least-squares fit of the beat grid
/// to the onsets) and its first beat (the first onset on that grid). Returns nullopt
/// when the file cannot be decoded or has no steady beat; `error` (if set) then says why.
std::optional<DetectedBeat> DetectBeats(const std::string& path, std::string* error = nullptr);

/// The same on samples already decoded (mono, `sample_rate` Hz).
std::optional<DetectedBeat> DetectBeats(const std::vector<float>& samples, int sample_rate,
                                        std::string* error = nullptr);

/// Header lines for a show using this music: "tempo: 120\noffset: 0.5\n" (tempo rounded to
/// 0.01 bpm, a whole number when within 0.05 of one; offset to the millisecond).
std::string BeatHeaderLines(const DetectedBeat& beat);

/// How far a show's bar 1 beat 1 (at `offset` s) is from the music's beat grid: 0 when it
/// falls on a beat of the music, else the distance in s to the nearest one (a show may
/// start on any beat of the music, not only its first).
double OffsetToMusicBeat(const DetectedBeat& beat, double offset);

// ---- Checking a show against its music ----

/// Largest tempo difference (bpm) between a show and its music that is not reported.
inline constexpr double kMusicTempoTolerance = 1.0;
/// Largest distance (s) from the show's offset to the music's beat grid not reported.
inline constexpr double kMusicOffsetTolerance = 0.030;

/// Checks a show against its `music:` file (relative to `base_dir`, the show file's
/// folder): an error at the music line when the file exists but cannot be decoded; a
/// warning at the tempo line when the music's tempo differs by more than
/// kMusicTempoTolerance; a warning at the offset line when bar 1 beat 1 is more than
/// kMusicOffsetTolerance from a beat of the music; an error at a section's `at` when it
/// ends after the music (the schedule reports that itself for WAV files: not repeated).
/// Does nothing without music or when the file is missing (the schedule warns then).
/// Decodes the whole file and runs the beat detector: about a second for 4 minutes.
void CheckShowMusic(const Show& show, const std::string& base_dir, Diagnostics* diagnostics);

}  // namespace yangbot

#endif  // YANGBOT_CHOREOGRAPHY_MUSIC_H_
