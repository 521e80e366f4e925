// yangbot beats MUSIC: finds the tempo and the first beat of an audio file (aubio, decoded
// with libsndfile) and prints the header lines a show using it needs:
//   tempo: 120
//   offset: 0.5
// Exit 1 when the file cannot be decoded or has no steady beat.
#include <cstdio>
#include <memory>

#include "choreography/music.h"
#include "tools/cli/command.h"

namespace yangbot {

Command AddBeatsCommand(CLI::App* app) {
  struct Flags {
    std::string file;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* command = app->add_subcommand(
      "beats", "detect the tempo and first beat of a music file; print the show header lines");
  command->add_option("file", flags->file, "audio file (WAV, FLAC, OGG, ...)")->required();
  return {command, [flags] {
            std::string error;
            const std::optional<DetectedBeat> beat = DetectBeats(flags->file, &error);
            if (!beat) {
              std::fprintf(stderr, "%s: error: %s\n", flags->file.c_str(), error.c_str());
              return 1;
            }
            std::printf("# %s: %.3f bpm, first beat at %.3f s, %d beats on the grid, %.1f s\n",
                        flags->file.c_str(), beat->bpm, beat->first_beat, beat->beats,
                        beat->duration);
            std::fputs(BeatHeaderLines(*beat).c_str(), stdout);
            return 0;
          }};
}

}  // namespace yangbot
