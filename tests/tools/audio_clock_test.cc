#include "tools/viewer/audio_clock.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <thread>
#include <vector>

#ifdef YANGBOT_HAVE_VIEWER
#include <filesystem>

#include "choreography/music.h"
#include "tools/viewer/audio_output.h"
#endif

namespace yangbot {
namespace {

constexpr int kRate = 1000;  // Hz: sample k is at k ms

// Ten seconds of "music" whose sample k is k + 1 (never 0, so silence is visible).
AudioClock TenSeconds(double max_drift = AudioClock::kMaxDrift) {
  std::vector<float> samples(10 * kRate);
  for (size_t k = 0; k < samples.size(); ++k) samples[k] = static_cast<float>(k + 1);
  return AudioClock(std::move(samples), kRate, max_drift);
}

// The next `n` samples.
std::vector<float> Take(AudioClock* clock, size_t n) {
  std::vector<float> out(n, -1.0f);
  clock->Render(out.data(), n);
  return out;
}

// Music time (s) of a rendered sample; -1 for silence.
double TimeOf(float sample) { return sample == 0 ? -1 : (static_cast<double>(sample) - 1) / kRate; }

TEST(AudioClockTest, PlaysInStepWithTheSimulation) {
  AudioClock clock = TenSeconds();
  EXPECT_EQ(clock.duration(), 10.0);
  clock.Follow(1.5, 1.0, true);
  EXPECT_TRUE(clock.audible());
  std::vector<float> out = Take(&clock, 100);
  for (int i = 0; i < 100; ++i) ASSERT_DOUBLE_EQ(TimeOf(out[i]), 1.5 + i * 0.001);
  // The simulation moved on as far as the audio did: the music goes on where it was.
  clock.Follow(1.6, 1.0, true);
  out = Take(&clock, 50);
  EXPECT_DOUBLE_EQ(TimeOf(out[0]), 1.6);
  EXPECT_EQ(clock.resyncs(), 1);  // only when it became audible
}

TEST(AudioClockTest, PausedIsSilentAndHoldsItsPlace) {
  AudioClock clock = TenSeconds();
  clock.Follow(2.0, 1.0, true);
  Take(&clock, 200);
  clock.Follow(2.2, 1.0, false);
  EXPECT_FALSE(clock.audible());
  for (float s : Take(&clock, 500)) ASSERT_EQ(s, 0.0f);
  EXPECT_DOUBLE_EQ(clock.position(), 2.2);
  clock.Follow(2.2, 1.0, true);  // resumes where the simulation is
  EXPECT_DOUBLE_EQ(TimeOf(Take(&clock, 1)[0]), 2.2);
}

TEST(AudioClockTest, FollowsASeekAtOnce) {
  AudioClock clock = TenSeconds();
  clock.Follow(0.0, 1.0, true);
  Take(&clock, 300);
  clock.Follow(0.3, 1.0, true);
  EXPECT_EQ(clock.resyncs(), 1);
  clock.Follow(7.25, 1.0, true);  // seek forward
  EXPECT_EQ(clock.resyncs(), 2);
  EXPECT_DOUBLE_EQ(TimeOf(Take(&clock, 1)[0]), 7.25);
  clock.Follow(0.0, 1.0, true);  // restart
  EXPECT_DOUBLE_EQ(TimeOf(Take(&clock, 1)[0]), 0.0);
}

TEST(AudioClockTest, IsMutedAwayFromOneTimesSpeed) {
  AudioClock clock = TenSeconds();
  for (double speed : {0.5, 2.0, 0.1, 1e300}) {
    clock.Follow(3.0, speed, true);
    EXPECT_FALSE(clock.audible()) << speed;
    for (float s : Take(&clock, 100)) ASSERT_EQ(s, 0.0f) << speed;
  }
  clock.Follow(4.0, 1.0, true);  // back at 1x: in step with the simulation again
  EXPECT_TRUE(clock.audible());
  EXPECT_DOUBLE_EQ(TimeOf(Take(&clock, 1)[0]), 4.0);
}

// Frames and audio buffers tick at different moments: drift under 40 ms is left alone
// (moving the music would click); drift over it that lasts three frames is caught up.
TEST(AudioClockTest, ResyncsOnlyOnALastingDriftOverTheLimit) {
  AudioClock clock = TenSeconds();
  clock.Follow(1.0, 1.0, true);
  Take(&clock, 100);               // music at 1.100
  clock.Follow(1.065, 1.0, true);  // 35 ms ahead: fine
  clock.Follow(1.135, 1.0, true);  // 35 ms behind: fine
  EXPECT_EQ(clock.resyncs(), 1);
  EXPECT_DOUBLE_EQ(clock.position(), 1.1);
  // The simulation runs slower than real time: 50 ms behind the music, three frames long.
  clock.Follow(1.05, 1.0, true);
  clock.Follow(1.05, 1.0, true);
  EXPECT_EQ(clock.resyncs(), 1);
  clock.Follow(1.05, 1.0, true);
  EXPECT_EQ(clock.resyncs(), 2);
  EXPECT_DOUBLE_EQ(clock.position(), 1.05);
  // One late frame alone is not a drift.
  clock.Follow(1.0, 1.0, true);
  clock.Follow(1.05, 1.0, true);
  clock.Follow(1.0, 1.0, true);
  clock.Follow(1.05, 1.0, true);
  EXPECT_EQ(clock.resyncs(), 2);
}

TEST(AudioClockTest, KeepsAheadByTheDeviceLead) {
  AudioClock clock = TenSeconds();
  clock.set_lead(0.025);
  clock.Follow(1.0, 1.0, true);
  EXPECT_DOUBLE_EQ(TimeOf(Take(&clock, 1)[0]), 1.025);
  clock.Follow(1.001, 1.0, true);  // exactly where it should be
  EXPECT_EQ(clock.resyncs(), 1);
}

TEST(AudioClockTest, IsSilentOutsideTheMusic) {
  AudioClock clock = TenSeconds();
  clock.Follow(9.99, 1.0, true);
  const std::vector<float> out = Take(&clock, 20);
  EXPECT_DOUBLE_EQ(TimeOf(out[9]), 9.999);
  for (int i = 10; i < 20; ++i) EXPECT_EQ(out[i], 0.0f);
  clock.set_lead(-0.5);  // before the music starts
  clock.Follow(0.1, 1.0, true);
  EXPECT_EQ(Take(&clock, 1)[0], 0.0f);
  AudioClock empty({}, kRate);
  empty.Follow(0, 1, true);
  EXPECT_EQ(Take(&empty, 3), std::vector<float>(3, 0.0f));
}

#ifdef YANGBOT_HAVE_VIEWER
// SDL's dummy driver is a device that plays nothing: the callback pulls samples in real
// time, and the clock moves on.
TEST(AudioOutputTest, PlaysOnTheDummyDriver) {
  setenv("SDL_AUDIODRIVER", "dummy", 1);
  AudioOutput output(TenSeconds());
  ASSERT_TRUE(output.open());
  output.Follow(2.0, 1.0, true);
  EXPECT_TRUE(output.audible());
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (output.position() < 2.1 && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_GE(output.position(), 2.1);
  output.Follow(5.0, 1.0, false);
  EXPECT_FALSE(output.audible());
}

// No usable audio driver: the output stays closed, and following the simulation is fine.
TEST(AudioOutputTest, NoDeviceIsSilentWithoutComplaint) {
  setenv("SDL_AUDIODRIVER", "no_such_driver", 1);
  AudioOutput output(TenSeconds());
  EXPECT_FALSE(output.open());
  output.Follow(1.0, 1.0, true);
  EXPECT_TRUE(output.audible());
  EXPECT_DOUBLE_EQ(output.position(), 1.0);
  unsetenv("SDL_AUDIODRIVER");
}

TEST(AudioOutputTest, ForMusicDecodesTheFile) {
  setenv("SDL_AUDIODRIVER", "no_such_driver", 1);
  std::string error;
  EXPECT_EQ(AudioOutput::ForMusic("/no/such/music.flac", &error), nullptr);
  EXPECT_NE(error.find("cannot decode audio"), std::string::npos) << error;
  unsetenv("SDL_AUDIODRIVER");
}

// The viewer keeps a show's music across reloads and decodes it again only when the
// `music:` path changes.
TEST(ViewerShowMusicTest, LoadsTheShowsMusicOnceAndFollowsPathChanges) {
  setenv("SDL_AUDIODRIVER", "dummy", 1);
  const std::filesystem::path dir = std::filesystem::path(::testing::TempDir()) / "show_music_test";
  std::filesystem::create_directories(dir / "music");
  PercussionOptions options;
  options.seconds = 2;
  WritePercussion((dir / "music/a.wav").string(), options);
  WritePercussion((dir / "music/b.wav").string(), options);
  Show show;
  ShowMusic music;
  music.Load(show, dir.string());
  EXPECT_EQ(music.output(), nullptr);
  music.Follow(1.0, 1.0, true);  // no music: nothing to do

  show.music = "music/a.wav";
  music.Load(show, dir.string());
  ASSERT_NE(music.output(), nullptr);
  EXPECT_EQ(music.path(), (dir / "music/a.wav").string());
  const AudioOutput* first = music.output();
  music.Follow(0.5, 1.0, true);
  EXPECT_TRUE(first->audible());
  music.Load(show, dir.string());  // a reload with the same music keeps it playing
  EXPECT_EQ(music.output(), first);
  EXPECT_TRUE(music.output()->audible());

  show.music = "music/b.wav";
  music.Load(show, dir.string());
  ASSERT_NE(music.output(), nullptr);
  EXPECT_EQ(music.path(), (dir / "music/b.wav").string());

  show.music = "music/none.wav";  // unreadable: quiet, no music
  music.Load(show, dir.string());
  EXPECT_EQ(music.output(), nullptr);
  EXPECT_EQ(music.path(), "");
  unsetenv("SDL_AUDIODRIVER");
}
#endif

}  // namespace
}  // namespace yangbot
