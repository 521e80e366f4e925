// yangbot music -o FILE: writes a yangge percussion track (drum, gong, cymbals) at a
// given tempo, first-beat offset and length, to rehearse a show to when no recording is
// at hand (choreography/music.h). WAV, FLAC or OGG Vorbis by the file's extension;
// written atomically.
#include <cstdio>
#include <memory>

#include "choreography/music.h"
#include "tools/cli/command.h"

namespace yangbot {

Command AddMusicCommand(CLI::App* app) {
  struct Flags {
    PercussionOptions options;
    std::string out;
    double quality = 0.4;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* command =
      app->add_subcommand("music", "write a yangge percussion track (WAV, FLAC or OGG)");
  command->add_option("--bpm", flags->options.bpm, "tempo, beats per minute (50 to 220)")
      ->capture_default_str();
  command->add_option("--offset", flags->options.offset, "s, time of the first beat")
      ->capture_default_str();
  command->add_option("--seconds", flags->options.seconds, "length of the track, s (1 to 600)")
      ->capture_default_str();
  command
      ->add_option("--beats-per-bar", flags->options.beats_per_bar,
                   "the gong marks beat 1 of each bar (2 to 8)")
      ->capture_default_str();
  command->add_option("--rate", flags->options.sample_rate, "sample rate, Hz")
      ->capture_default_str();
  command->add_option("--seed", flags->options.seed, "noise seed (same seed, same file)")
      ->capture_default_str();
  command->add_option("--quality", flags->quality, "OGG Vorbis quality, 0 (smallest) to 1")
      ->capture_default_str();
  command->add_option("-o,--out", flags->out, "file to write: .wav, .flac or .ogg")->required();
  return {command, [flags] {
            WritePercussion(flags->out, flags->options, flags->quality);
            std::printf("%s: %g s at %g bpm, first beat at %g s\n", flags->out.c_str(),
                        flags->options.seconds, flags->options.bpm, flags->options.offset);
            return 0;
          }};
}

}  // namespace yangbot
