#include "choreography/music.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "choreography/choreography.h"
#include "sim/error.h"

namespace yangbot {
namespace {

namespace fs = std::filesystem;

// A fresh folder for one test's files.
fs::path TempDir(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("yangbot_music_test_" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

struct TempoCase {
  double bpm;
  double offset;
};

// The detector recovers the tempo (±1 bpm) and first beat (±20 ms) the generator used, at
// slow, middle and fast tempi and offsets that are not whole multiples of anything.
TEST(MusicTest, DetectsTheTempoAndFirstBeatTheGeneratorUsed) {
  for (const TempoCase c : {TempoCase{90, 0.5}, TempoCase{120, 2.0}, TempoCase{138, 1.234},
                            TempoCase{72, 0.9}, TempoCase{176, 0.05}}) {
    PercussionOptions options;
    options.bpm = c.bpm;
    options.offset = c.offset;
    options.seconds = 40;
    std::string error;
    const std::optional<DetectedBeat> beat =
        DetectBeats(SynthesizePercussion(options), options.sample_rate, &error);
    ASSERT_TRUE(beat.has_value()) << c.bpm << " bpm: " << error;
    EXPECT_NEAR(beat->bpm, c.bpm, 1.0) << c.bpm << " bpm";
    EXPECT_NEAR(beat->first_beat, c.offset, 0.020) << c.bpm << " bpm";
    EXPECT_NEAR(beat->duration, 40.0, 1e-9);
    EXPECT_GT(beat->beats, 0.8 * (40 - c.offset) * c.bpm / 60) << c.bpm << " bpm";
  }
}

// Through each file format the generator writes and the decoder reads back.
TEST(MusicTest, RoundTripsThroughEveryFormat) {
  const fs::path dir = TempDir("formats");
  PercussionOptions options;
  options.bpm = 104;
  options.offset = 0.75;
  options.seconds = 20;
  for (const char* name : {"t.wav", "t.flac", "t.ogg"}) {
    const std::string path = (dir / name).string();
    WritePercussion(path, options);
    std::string error;
    const std::optional<DecodedAudio> audio = DecodeAudio(path, &error);
    ASSERT_TRUE(audio.has_value()) << name << ": " << error;
    EXPECT_EQ(audio->sample_rate, 22050) << name;
    EXPECT_NEAR(audio->duration(), 20.0, 0.01) << name;
    const std::optional<DetectedBeat> beat = DetectBeats(path, &error);
    ASSERT_TRUE(beat.has_value()) << name << ": " << error;
    EXPECT_NEAR(beat->bpm, 104, 1.0) << name;
    EXPECT_NEAR(beat->first_beat, 0.75, 0.020) << name;
  }
  // Opus only runs at 8, 12, 16, 24 or 48 kHz.
  options.sample_rate = 24000;
  const std::string opus = (dir / "t.opus").string();
  WritePercussion(opus, options, 0.02);
  const std::optional<DetectedBeat> beat = DetectBeats(opus);
  ASSERT_TRUE(beat.has_value());
  EXPECT_NEAR(beat->bpm, 104, 1.0);
  EXPECT_NEAR(beat->first_beat, 0.75, 0.020);
  EXPECT_THROW(WritePercussion((dir / "t.mp4").string(), options), Error);
  EXPECT_FALSE(fs::exists(dir / "t.mp4"));
}

// Background noise and strokes off the beat (a crowd, a stray clap) do not move the grid.
TEST(MusicTest, DetectsTheBeatThroughNoiseAndIrregularStrokes) {
  PercussionOptions options;
  options.bpm = 126;
  options.offset = 1.1;
  options.seconds = 40;
  std::vector<float> samples = SynthesizePercussion(options);
  std::mt19937 random(7);
  std::normal_distribution<float> hiss(0.0f, 0.03f);
  for (float& s : samples) s += hiss(random);
  // About one clap every 1.5 s at random times: a short burst of loud noise.
  std::uniform_real_distribution<double> when(0.0, options.seconds - 0.1);
  std::uniform_real_distribution<float> white(-1.0f, 1.0f);
  int claps = 0;
  for (; claps < 26; ++claps) {
    const size_t start = static_cast<size_t>(when(random) * options.sample_rate);
    for (size_t i = 0; i < 400 && start + i < samples.size(); ++i) {
      samples[start + i] += 0.6f * std::exp(-static_cast<float>(i) / 80.0f) * white(random);
    }
  }
  std::string error;
  const std::optional<DetectedBeat> beat = DetectBeats(samples, options.sample_rate, &error);
  ASSERT_TRUE(beat.has_value()) << error;
  EXPECT_NEAR(beat->bpm, 126, 1.0);
  EXPECT_NEAR(beat->first_beat, 1.1, 0.020);
}

TEST(MusicTest, SilenceAndTooShortAudioHaveNoBeat) {
  std::string error;
  EXPECT_FALSE(DetectBeats(std::vector<float>(22050 * 10, 0.0f), 22050, &error).has_value());
  EXPECT_EQ(error, "no steady beat found");
  EXPECT_FALSE(DetectBeats(std::vector<float>(2000, 0.5f), 22050, &error).has_value());
  EXPECT_EQ(error, "too short to find a beat");
  EXPECT_FALSE(DetectBeats(std::vector<float>(22050, 0.0f), 1000, &error).has_value());
  EXPECT_EQ(error, "sample rate below 4000 Hz");
}

TEST(MusicTest, FilesThatAreNotAudioGiveAnError) {
  const fs::path dir = TempDir("not_audio");
  std::ofstream(dir / "notes.wav") << "tempo: 120\n";
  std::ofstream(dir / "empty.flac");
  // A WAV header promising data that is not there.
  PercussionOptions options;
  options.seconds = 2;
  WritePercussion((dir / "whole.wav").string(), options);
  std::ifstream whole(dir / "whole.wav", std::ios::binary);
  std::string head(60, '\0');
  whole.read(head.data(), 60);
  std::ofstream(dir / "truncated.wav", std::ios::binary) << head;
  for (const char* name : {"missing.wav", "notes.wav", "empty.flac", "truncated.wav", "."}) {
    std::string error;
    EXPECT_FALSE(DetectBeats((dir / name).string(), &error).has_value()) << name;
    EXPECT_FALSE(error.empty()) << name;
  }
  std::string error;
  EXPECT_FALSE(DecodeAudio((dir / "notes.wav").string(), &error).has_value());
  EXPECT_EQ(error.rfind("cannot decode audio: ", 0), 0u) << error;
}

TEST(MusicTest, GeneratorIsDeterministicAndChecksItsOptions) {
  PercussionOptions options;
  options.seconds = 3;
  EXPECT_EQ(SynthesizePercussion(options), SynthesizePercussion(options));
  const std::vector<float> samples = SynthesizePercussion(options);
  EXPECT_EQ(samples.size(), 3u * 22050);
  float peak = 0;
  for (float s : samples) peak = std::max(peak, std::abs(s));
  EXPECT_NEAR(peak, 0.9f, 1e-4);
  options.seed = 2;
  EXPECT_NE(SynthesizePercussion(options), samples);

  auto message = [](PercussionOptions o) -> std::string {
    try {
      CheckPercussionOptions(o);
    } catch (const Error& e) {
      return e.what();
    }
    return "";
  };
  EXPECT_EQ(message({.bpm = 40}), "music: --bpm must be between 50 and 220");
  EXPECT_EQ(message({.offset = -1}), "music: --offset must be between 0 and 60 s");
  EXPECT_EQ(message({.offset = 20, .seconds = 10}),
            "music: --offset must be before the end of the track");
  EXPECT_EQ(message({.beats_per_bar = 9}), "music: --beats-per-bar must be between 2 and 8");
  EXPECT_EQ(message({.sample_rate = 100}), "music: --rate must be between 8000 and 96000 Hz");
  EXPECT_EQ(message({}), "");
}

TEST(MusicTest, HeaderLinesRoundTheTempoAndOffset) {
  EXPECT_EQ(BeatHeaderLines({.bpm = 120.004, .first_beat = 2.0049}), "tempo: 120\noffset: 2.005\n");
  EXPECT_EQ(BeatHeaderLines({.bpm = 119.913, .first_beat = 0.5}), "tempo: 119.91\noffset: 0.5\n");
  EXPECT_EQ(BeatHeaderLines({.bpm = 90, .first_beat = -0.001}), "tempo: 90\noffset: 0\n");
}

TEST(MusicTest, OffsetToMusicBeatMeasuresToTheNearestBeatOfTheGrid) {
  const DetectedBeat beat{.bpm = 120, .first_beat = 2.0};
  EXPECT_NEAR(OffsetToMusicBeat(beat, 2.0), 0.0, 1e-12);
  EXPECT_NEAR(OffsetToMusicBeat(beat, 6.0), 0.0, 1e-12);  // starting on a later beat is fine
  EXPECT_NEAR(OffsetToMusicBeat(beat, 0.5), 0.0, 1e-12);  // or before the music's first
  EXPECT_NEAR(OffsetToMusicBeat(beat, 2.04), 0.04, 1e-12);
  EXPECT_NEAR(OffsetToMusicBeat(beat, 2.2), 0.2, 1e-12);
  EXPECT_NEAR(OffsetToMusicBeat(beat, 2.3), 0.2, 1e-12);  // nearer the next beat
}

// ---- CheckShowMusic: a show's header against its music file ----

class ShowMusicTest : public ::testing::Test {
 protected:
  // Writes music at `bpm` with its first beat at `offset` s, `seconds` long, into a fresh
  // folder, and returns the problems validate reports for `show_text` in that folder.
  std::string Check(const std::string& show_text, const std::string& music_name, double bpm,
                    double offset, double seconds) {
    dir_ = TempDir(::testing::UnitTest::GetInstance()->current_test_info()->name());
    if (!music_name.empty()) {
      PercussionOptions options;
      options.bpm = bpm;
      options.offset = offset;
      options.seconds = seconds;
      fs::create_directories((dir_ / music_name).parent_path());
      WritePercussion((dir_ / music_name).string(), options);
    }
    LoadedShow loaded = CheckShowText(show_text, dir_.string());
    CheckShowMusic(loaded.show, dir_.string(), &loaded.diagnostics);
    diagnostics_ = loaded.diagnostics;
    return loaded.diagnostics.Format("show.yaml");
  }

  // A 2-robot show of `bars` 4-beat bars, with the given header lines.
  static std::string Show(const std::string& header, int bars = 2) {
    std::string text = header +
                       "troupe: {robots: 2}\n"
                       "formations:\n"
                       "  line: {shape: line, spacing: 1.2}\n"
                       "timeline:\n";
    for (int b = 1; b <= bars; ++b) {
      text += "  - section: s" + std::to_string(b) + "\n    at: " + std::to_string(b) +
              ":1\n    beats: 4\n    cues:\n      - move: waist_twist\n";
    }
    return text;
  }

  fs::path dir_;
  Diagnostics diagnostics_;
};

TEST_F(ShowMusicTest, MatchingMusicIsQuiet) {
  EXPECT_EQ(Check(Show("tempo: 120\noffset: 2\nmusic: music/m.flac\n"), "music/m.flac", 120, 2, 12),
            "");
  // Within the tolerances: 0.8 bpm and 25 ms off.
  EXPECT_EQ(Check(Show("tempo: 120.8\noffset: 2.025\nmusic: m.wav\n"), "m.wav", 120, 2, 12), "");
  // Bar 1 may fall on any beat of the music, not only its first.
  EXPECT_EQ(Check(Show("tempo: 120\noffset: 3.5\nmusic: m.wav\n"), "m.wav", 120, 2, 12), "");
}

TEST_F(ShowMusicTest, WarnsAtTheTempoLineWhenTheTempoDisagrees) {
  const std::string out =
      Check(Show("title: t\ntempo: 126\noffset: 2\nmusic: m.ogg\n"), "m.ogg", 120, 2, 12);
  EXPECT_EQ(out.rfind("show.yaml:2:8: warning: tempo 126 bpm differs from the music's 1", 0), 0u)
      << out;
  EXPECT_NE(out.find("(m.ogg)"), std::string::npos) << out;
  EXPECT_EQ(diagnostics_.warning_count(), 1) << out;
  EXPECT_FALSE(diagnostics_.has_errors());
}

TEST_F(ShowMusicTest, WarnsAtTheOffsetLineWhenBarOneIsOffTheMusicsBeat) {
  const std::string out =
      Check(Show("tempo: 120\noffset: 2.1  # late\nmusic: m.wav\n"), "m.wav", 120, 2, 12);
  EXPECT_EQ(out.rfind("show.yaml:2:9: warning: offset 2.1 s is ", 0), 0u) << out;
  EXPECT_NE(out.find("ms from the music's nearest beat (first beat at 2.0"), std::string::npos)
      << out;
  EXPECT_EQ(diagnostics_.warning_count(), 1) << out;
}

TEST_F(ShowMusicTest, UnreadableMusicIsAnErrorAtTheMusicLine) {
  dir_ = TempDir("unreadable");
  std::ofstream(dir_ / "m.flac") << "not audio at all";
  LoadedShow loaded = CheckShowText(Show("tempo: 120\nmusic: m.flac\n"), dir_.string());
  CheckShowMusic(loaded.show, dir_.string(), &loaded.diagnostics);
  const std::string out = loaded.diagnostics.Format("show.yaml");
  EXPECT_EQ(out.rfind("show.yaml:2:8: error: music m.flac: cannot decode audio: ", 0), 0u) << out;
  EXPECT_TRUE(loaded.diagnostics.has_errors());
}

TEST_F(ShowMusicTest, MusicWithoutABeatIsAWarningAtTheMusicLine) {
  dir_ = TempDir("silent");
  PercussionOptions options;
  // One second: two strokes are not a steady beat.
  options.seconds = 1;
  options.offset = 0.5;
  WritePercussion((dir_ / "m.wav").string(), options);
  LoadedShow loaded = CheckShowText(Show("tempo: 120\nmusic: m.wav\n", 0), dir_.string());
  CheckShowMusic(loaded.show, dir_.string(), &loaded.diagnostics);
  const std::string out = loaded.diagnostics.Format("show.yaml");
  EXPECT_NE(out.find("show.yaml:2:8: warning: music m.wav: "), std::string::npos) << out;
  EXPECT_NE(out.find("; tempo and offset not checked"), std::string::npos) << out;
}

// Sections that end after the music: an error at the section's `at`, for FLAC too (the
// schedule's own check reads only WAV headers), and reported once for WAV.
TEST_F(ShowMusicTest, SectionsPastTheEndOfTheMusicAreErrors) {
  // 120 bpm from 2 s: bar 3 ends at 2 + 12 * 0.5 = 8 s; the music lasts 7 s.
  const std::string show = Show("tempo: 120\noffset: 2\nmusic: m.flac\n", 3);
  std::string out = Check(show, "m.flac", 120, 2, 7);
  EXPECT_EQ(out,
            "show.yaml:19:9: error: section 's3' ends at 8.00 s, after the end of the music "
            "(7.00 s)\n");
  EXPECT_EQ(diagnostics_.error_count(), 1);
  const std::string wav_show = Show("tempo: 120\noffset: 2\nmusic: m.wav\n", 3);
  out = Check(wav_show, "m.wav", 120, 2, 7);
  EXPECT_EQ(out,
            "show.yaml:19:9: error: section 's3' ends at 8.00 s, after the end of the music "
            "(7.00 s)\n");
  EXPECT_EQ(diagnostics_.error_count(), 1);
}

TEST_F(ShowMusicTest, MissingMusicIsLeftToTheSchedulesWarning) {
  const std::string out = Check(Show("tempo: 120\nmusic: gone.wav\n"), "", 0, 0, 0);
  EXPECT_EQ(out.rfind("show.yaml:2:8: warning: music file not found: gone.wav", 0), 0u) << out;
  EXPECT_EQ(diagnostics_.warning_count(), 1) << out;
}

}  // namespace
}  // namespace yangbot
