// yangbot run [FILE]: the headless run CI calls. With a choreography FILE the troupe
// dances the compiled show (whole-body controller tracking each robot's reference);
// without one the robots stand on a grid, twist and spin their handkerchiefs. A show is
// supervised (choreography/supervisor.h): robots that fall or drop out are planned around
// from the next formation change on (--no-reflow: not).
//
// Outputs: a progress line on a terminal, a one-line summary, the JSON report
// (--report: the runner's report, events included, plus trajectory_sha256, the show
// metrics of choreography/show_metrics.h and the threshold verdicts), the trajectory CSV,
// pictures (--video, --snapshots), and the exit status:
//   0  the run finished and no --fail-on threshold failed
//   1  bad input (options, show file with errors, files that cannot be written)
//   2  the run finished but a --fail-on threshold failed
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "choreography/choreography.h"
#include "choreography/demo_moves.h"
#include "choreography/music.h"
#include "choreography/hanky_throw_cue.h"
#include "choreography/phase_spread.h"
#include "choreography/show_metrics.h"
#include "choreography/supervisor.h"
#include "choreography/synced_reference.h"
#include "choreography/thresholds.h"
#include "controllers/posture_controller.h"
#include "controllers/whole_body_controller.h"
#include "sim/error.h"
#include "sim/recording.h"
#include "sim/runner.h"
#include "tools/cli/clock_report.h"
#include "tools/cli/command.h"
#include "tools/cli/localisation_report.h"
#include "tools/cli/show_setup.h"

#if YANGBOT_HAVE_VIEWER
#include "tools/render/stage_recorder.h"
#include "tools/viewer/show_framing.h"
#include "tools/viewer/window_recording.h"
#endif

namespace yangbot {
namespace {

struct RunFlags {
  StageFlags stage;
  std::string file;  // choreography; "" = stand, sway and spin
  double seconds = 10;
  uint64_t seed = 1;
  int threads = 1;  // controller threads (0: all cores)
  std::string report;
  std::string trajectory;
  std::vector<std::string> faults;
  std::string network;  // --network: robots' clocks and links ("" = perfect)
  std::string localisation;  // --localisation: "", perfect, lidar[:KEY=VALUE,...]
  std::vector<std::string> fail_on;
  bool quiet = false;
  bool demo_moves = false;  // the built-in loop of every primitive (choreography/demo_moves.h)
  bool no_reflow = false;   // shows: no supervisor re-planning around lost robots
  std::string controller = "wbc";
  double sway = 0.2;        // rad
  double hanky_rate = 3.0;  // rev/s
  std::string video;
  double fps = 30;
  std::string snapshots;
  double every = 10;  // s
  int width = 1280;
  int height = 720;
  std::string camera = "audience";
  int follow = 0;
  std::string contact_sheet;
  // Which options were given (some mean nothing with a show file).
  bool seconds_given = false, stage_given = false, stand_given = false;
  bool pictures_given = false;
};

ControllerFactory MakeStandFactory(const RunFlags& flags,
                                   std::shared_ptr<const LocalisationSetup> localisation) {
  if (flags.controller == "posture") {
    PostureControllerOptions options;
    options.sway_amplitude = flags.sway;
    options.hanky_rate = flags.hanky_rate;
    return MakePostureControllerFactory(options);
  }
  WholeBodyOptions options;
  options.stand_sway_amplitude = flags.sway;
  options.stand_hanky_rate = flags.hanky_rate;
  options.localisation = std::move(localisation);
  return MakeWholeBodyControllerFactory(options);
}

// Names a --fail-on threshold may use: the numbers (or nulls: not measured in this run)
// at the top level of a report, plus the show metrics.
std::vector<std::string> MetricNames(const nlohmann::json& report) {
  std::vector<std::string> names;
  for (const auto& [key, value] : report.items()) {
    if (value.is_number() || value.is_null()) names.push_back(key);
  }
  for (const std::string& name : ShowMetricNames()) {
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  }
  return names;
}

std::string Clock(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "--:--";
  const long s = std::lround(seconds);
  char text[32];
  std::snprintf(text, sizeof(text), "%ld:%02ld", s / 60, s % 60);
  return text;
}

int Run(const RunFlags& flags) {
  std::unique_ptr<ShowRun> show;
  SceneOptions scene_options = ToSceneOptions(flags.stage);
  double seconds = flags.seconds;
  if (!flags.file.empty()) {
    if (flags.stage_given) {
      throw Error("error: --robots and --spacing come from the show file; drop them");
    }
    if (flags.stand_given) {
      throw Error("error: --controller, --sway and --hanky-rate apply only without a show file");
    }
    if (flags.demo_moves) throw Error("error: --demo-moves is a show of its own: drop FILE");
    show = LoadShow(flags.file, flags.stage.robot_path);
    scene_options.robots = static_cast<int>(show->compiled.placements.size());
    scene_options.placements = show->compiled.placements;
    if (flags.stage.robot_path.empty()) {
      scene_options.robot_path = ShowModelPath(show->loaded.show, flags.file);
    }
    if (!flags.seconds_given) seconds = show->compiled.end_time;
  } else if (flags.demo_moves) {
    if (flags.stand_given) {
      throw Error("error: --controller, --sway and --hanky-rate apply only without --demo-moves");
    }
    // Every primitive, in unison, on the --robots grid, for --seconds (whole sections).
    show = CompileLoaded(CheckShowText(DemoMovesShow(scene_options.robots, seconds), ".",
                                       flags.stage.robot_path),
                         "<demo-moves>");
    scene_options.placements = show->compiled.placements;
  }
  std::vector<Fault> faults;
  for (const auto& text : flags.faults) faults.push_back(ParseFault(text));
  // hanky: throw cues fly on a throw-mode stage (choreography/hanky_throw_cue.h).
  const std::vector<HankyThrow> throws =
      show ? ScheduledHankyThrows(show->loaded.schedule) : std::vector<HankyThrow>{};
  scene_options.throwing_hankies = !throws.empty();
  // Lidar localisation (controllers/localisation.h) on a stage with landmarks.
  const std::shared_ptr<LocalisationSetup> localisation =
      MakeRunLocalisation(flags.localisation, show ? &show->loaded.show : nullptr, flags.seed);
  if (scene_options.placements.empty()) {
    scene_options.placements = GridPlacements(scene_options.robots, scene_options.spacing);
  }
  scene_options.landmarks = RunLandmarks(show ? &show->loaded : nullptr, scene_options.placements,
                                         localisation != nullptr);
  if (localisation) localisation->landmarks = scene_options.landmarks;
  auto scene = Scene::Build(scene_options);

  // Robots on their own clocks, synced over simulated links (sim/clock_sync.h).
  const std::shared_ptr<const ClockNetwork> network =
      MakeRunNetwork(flags.network,
                     show ? ShowNetworkOptions(show->loaded.show) : NetworkOptions{}, faults,
                     scene->robot_count(), flags.seed,
                     std::max(seconds, show ? show->compiled.end_time : 0.0));
  if (network && !show) throw Error("error: --network and net/clock faults need a show");
  ControllerFactory factory;
  if (show) {
    WholeBodyOptions options;
    options.localisation = localisation;
    std::vector<std::shared_ptr<const ReferenceSource>> references =
        network ? SyncReferences(network, show->compiled.references) : show->compiled.references;
    if (localisation) references = LocaliseReferences(std::move(references));
    factory = MakeWholeBodyControllerFactory(options, std::move(references));
  } else {
    if (localisation && flags.controller != "wbc") {
      throw Error("error: --localisation lidar needs the wbc controller");
    }
    factory = MakeStandFactory(flags, localisation);
  }
  auto state = StartRun(*scene, factory, flags.seed, faults);
  state->throws = throws;
  SetThreads(state.get(), flags.threads);
  StepProfile profile;  // physics time, the lidar's yardstick
  if (localisation) state->profile = &profile;
  // Shows are supervised: lost robots are planned around (choreography/supervisor.h).
  if (show && !flags.no_reflow) {
    SuperviseShow(show->loaded.resolved, show->loaded.schedule, state.get());
  }
  const ShowSupervisor* supervisor = SupervisorOf(*state);
  int reflows = 0;  // the supervisor's re-plans the show metrics follow

  // Thresholds are checked against the names a report of this run has, before it runs.
  std::vector<Threshold> thresholds;
  {
    nlohmann::json empty = MakeReport(*scene, *state, 0);
    AddClockReport(nullptr, 0, 0, 1, &empty);
    LocalisationError(0).AddReport(*state, 0, &empty);
    empty["hanky_phase_spread_deg_rms"] = nullptr;
    empty["hanky_flight_phase_spread_deg_rms"] = nullptr;
    const std::vector<std::string> names = MetricNames(empty);
    for (const std::string& text : flags.fail_on) {
      std::string error;
      const auto threshold = ParseThreshold(text, names, &error);
      if (!threshold) throw Error("error: bad --fail-on '" + text + "': " + error);
      thresholds.push_back(*threshold);
    }
    // The show file's own `thresholds:` count as --fail-on too; their names are checked
    // here, against what this run reports.
    if (show) {
      for (const ShowThreshold& t : show->loaded.show.thresholds) {
        if (std::find(names.begin(), names.end(), t.threshold.metric) == names.end()) {
          throw Error(flags.file + ":" + std::to_string(t.src.pos.line) + ":" +
                      std::to_string(t.src.pos.column) + ": error: unknown metric '" +
                      t.threshold.metric + "' in thresholds");
        }
        thresholds.push_back(t.threshold);
      }
    }
  }

#if YANGBOT_HAVE_VIEWER
  // Open the GL context (and ffmpeg) before simulating, so a missing display fails at once.
  std::unique_ptr<StageRecorder> pictures;
  if (!flags.video.empty() || !flags.snapshots.empty() || !flags.contact_sheet.empty()) {
    if (!flags.contact_sheet.empty() && !show) {
      throw Error("error: --contact-sheet needs a show file (one picture a section)");
    }
    StageRecordingOptions film;
    film.video = flags.video;
    film.fps = flags.fps;
    film.snapshot_dir = flags.snapshots;
    film.snapshot_every = flags.every;
    film.width = flags.width;
    film.height = flags.height;
    film.camera = ParseCameraPreset(flags.camera);
    film.follow = flags.follow;
    film.contact_sheet = flags.contact_sheet;
    // The show's music as the video's sound track; cameras that frame its formations.
    if (show) {
      film.sound = ShowSoundTrack(show->loaded.show,
                                  std::filesystem::path(flags.file).parent_path().string(), 0);
      film.show_camera = FrameShow(show->compiled, scene->model()->vis.global.fovy);
      film.moments = SectionMoments(show->loaded.show, show->compiled.clock);
    }
    pictures = StageRecorder::Create(*scene, film);
  }
#else
  if (flags.pictures_given) {
    throw Error("error: --video and --snapshots need a build with -DYANGBOT_VIEWER=ON");
  }
#endif

  std::unique_ptr<ShowMetrics> show_metrics;
  if (show) {
    show_metrics = std::make_unique<ShowMetrics>(*scene, show->loaded.schedule, show->compiled);
  }
  std::unique_ptr<HankyPhaseSpread> phase_spread;
  if (show) phase_spread = std::make_unique<HankyPhaseSpread>(*scene, show->compiled.references);
  std::vector<bool> active(scene->robot_count(), true);
  LocalisationError localisation_error(scene->robot_count());
  TrajectoryHash hash(scene->model());
  TrajectoryRecorder recorder(*scene);
  const bool record = !flags.trajectory.empty();
  // Measures the current state: once at the start, then after every step.
  auto observe = [&] {
    hash.Add(*state->data);
    if (record) recorder.Sample(*state->data);
    for (int i = 0; i < scene->robot_count(); ++i) {
      active[i] = state->powered[i] && !state->metrics.robots[i].fallen;
    }
    if (localisation) localisation_error.Update(*scene, *state, active);
    if (show_metrics) {
      show_metrics->Update(*state->data, active);
      phase_spread->Update(*state->data, active);
    }
#if YANGBOT_HAVE_VIEWER
    if (pictures) pictures->Capture(state->data);
#endif
  };

  const bool tty = isatty(STDERR_FILENO) && !flags.quiet;
  const auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  const double dt = scene->model()->opt.timestep;
  double next_progress = 0.25;  // s of wall time
  observe();
  while (state->data->time < seconds - 0.5 * dt) {
    Step(*scene, state.get());  // the supervisor looks at its end
    if (supervisor && supervisor->reflows() != reflows) {
      reflows = supervisor->reflows();
      // Scored against the plan danced: the re-plan from now on.
      if (show_metrics) {
        show_metrics->FollowSchedule(supervisor->schedule(), state->data->time,
                                     ConductorReferences(FollowedReferences(*state)));
        phase_spread->set_references(ConductorReferences(FollowedReferences(*state)));
      }
    }
    observe();
    if (tty && (state->steps & 63) == 0 && elapsed() >= next_progress) {
      next_progress = elapsed() + 0.25;
      const double rtf = state->data->time / elapsed();
      std::fprintf(stderr, "\r  t %6.1f / %.1f s   %5.2fx real time   ETA %s   falls %d ",
                   state->data->time, seconds, rtf,
                   Clock((seconds - state->data->time) / std::max(rtf, 1e-9)).c_str(),
                   state->metrics.falls());
    }
  }
  if (tty) std::fprintf(stderr, "\r%79s\r", "");
  const double wall = elapsed();
#if YANGBOT_HAVE_VIEWER
  if (pictures) pictures->Finish();
#endif

  nlohmann::json report = MakeReport(*scene, *state, wall);
  AddClockReport(network.get(), state->data->time, dt,
                 show ? show->compiled.clock.SecondsPerBeat() : 0.5, &report);
  localisation_error.AddReport(*state, profile.physics_ns * 1e-9, &report);
  report["hanky_phase_spread_deg_rms"] = nullptr;
  if (phase_spread && phase_spread->Rms()) report["hanky_phase_spread_deg_rms"] = *phase_spread->Rms();
  report["hanky_flight_phase_spread_deg_rms"] = nullptr;
  if (phase_spread && phase_spread->FlightRms()) {
    report["hanky_flight_phase_spread_deg_rms"] = *phase_spread->FlightRms();
  }
  for (int i = 0; i < static_cast<int>(report["per_robot"].size()); ++i) {
    const auto rms = phase_spread ? phase_spread->FlightRms(i) : std::nullopt;
    report["per_robot"][i]["hanky_flight_phase_spread_deg_rms"] =
        rms ? nlohmann::json(*rms) : nlohmann::json(nullptr);
  }
  report["trajectory_sha256"] = hash.Hex();
  report["show_file"] = show ? nlohmann::json(flags.file) : nlohmann::json(nullptr);
  std::optional<ShowMetricsResult> show_result;
  if (show_metrics) show_result = show_metrics->Result(state->data->time);
  {
    // The show metrics, null when there is no show; per-robot entries merge into the
    // runner's per_robot objects.
    const nlohmann::json metrics = ShowMetricsJson(show_result.value_or(ShowMetricsResult{}));
    for (const auto& [key, value] : metrics.items()) {
      if (key == "per_robot") continue;
      report[key] = show_result ? value : nlohmann::json(nullptr);
    }
    if (show_result && report.contains("per_robot")) {
      for (size_t i = 0; i < report["per_robot"].size() && i < metrics["per_robot"].size(); ++i) {
        report["per_robot"][i].update(metrics["per_robot"][i]);
      }
    }
  }

  // Thresholds.
  std::vector<std::string> failures;
  nlohmann::json verdicts = nlohmann::json::array();
  for (const Threshold& t : thresholds) {
    const nlohmann::json& value = report[t.metric];
    nlohmann::json verdict = {{"threshold", t.ToString()}, {"metric", t.metric}};
    if (!value.is_number()) {
      verdict["value"] = nullptr;
      verdict["verdict"] = "skipped";
      std::printf("threshold %s skipped: %s not measured in this run\n", t.ToString().c_str(),
                  t.metric.c_str());
    } else {
      const double x = value.get<double>();
      verdict["value"] = x;
      const bool failed = t.FailsFor(x);
      verdict["verdict"] = failed ? "failed" : "passed";
      if (failed) {
        char text[200];
        std::snprintf(text, sizeof(text), "%s (%s = %g)", t.ToString().c_str(), t.metric.c_str(),
                      x);
        failures.push_back(text);
      }
    }
    verdicts.push_back(verdict);
  }
  report["thresholds"] = verdicts;
  if (!flags.report.empty()) WriteFileAtomic(flags.report, report.dump(2) + "\n");
  if (record) WriteFileAtomic(flags.trajectory, recorder.csv());

  const double min_sep = state->metrics.min_separation;
  std::string extra;
  if (show_result) {
    char text[200];
    auto add = [&](const char* format, const std::optional<double>& value) {
      if (!value) return;
      std::snprintf(text, sizeof(text), format, *value);
      extra += text;
    };
    add(", formation %.3f m", show_result->formation_error_m_rms);
    add(", sync %.2f deg", show_result->sync_error_deg_rms);
    add(", spin phase %.1f deg", show_result->spin_phase_error_deg_rms);
    add(", beat timing %.0f ms", show_result->beat_timing_error_ms_rms);
    if (!extra.empty()) extra += " (RMS)";
  }
  if (report["localisation_error_m_rms"].is_number()) {
    char text[160];
    std::snprintf(text, sizeof(text), ", localisation %.3f m RMS (max %.3f m), lidar %.1f %% of physics",
                  report["localisation_error_m_rms"].get<double>(),
                  report["localisation_error_m_max"].get<double>(),
                  report["lidar_cpu_share"].is_number() ? 100 * report["lidar_cpu_share"].get<double>() : 0.0);
    extra += text;
  }
  std::printf(
      "%d robots, %.1f s simulated in %.1f s (%.2fx real time): %d falls, "
      "min separation %.2f m, %d MuJoCo warnings%s\n",
      scene->robot_count(), state->data->time, wall, state->data->time / wall,
      state->metrics.falls(), std::isfinite(min_sep) ? min_sep : 0.0,
      state->metrics.mujoco_warnings, extra.c_str());
  // What happened, one line (the report has them all, with messages).
  if (!state->metrics.events.empty()) {
    constexpr size_t kShown = 8;
    std::string line = std::to_string(state->metrics.events.size()) + " events:";
    for (size_t i = 0; i < state->metrics.events.size() && i < kShown; ++i) {
      const RunEvent& e = state->metrics.events[i];
      char text[96];
      // Robots by their stage names (r00, r01, ...), as --fault numbers them.
      char robot[16] = "";
      if (e.robot >= 0) std::snprintf(robot, sizeof(robot), " r%02d", e.robot);
      std::snprintf(text, sizeof(text), "%s %s%s at %.2f s", i ? "," : "", e.kind.c_str(), robot,
                    e.time);
      line += text;
    }
    if (state->metrics.events.size() > kShown) line += ", ... (see --report)";
    std::printf("%s\n", line.c_str());
  }
#if YANGBOT_HAVE_VIEWER
  if (pictures) {
    if (!flags.video.empty()) {
      std::printf("wrote %s: %d frames at %g fps\n", flags.video.c_str(), pictures->frames(),
                  flags.fps);
    }
    if (!flags.snapshots.empty()) {
      std::printf("wrote %d snapshots to %s\n", pictures->snapshots(), flags.snapshots.c_str());
    }
    if (!flags.contact_sheet.empty()) {
      std::printf("wrote %s: %d pictures, one a section\n", flags.contact_sheet.c_str(),
                  pictures->sheet_pictures());
    }
  }
#endif
  for (const std::string& failure : failures) std::printf("FAILED --fail-on %s\n", failure.c_str());
  return failures.empty() ? 0 : 2;
}

}  // namespace

Command AddRunCommand(CLI::App* app) {
  auto flags = std::make_shared<RunFlags>();
  CLI::App* command = app->add_subcommand(
      "run",
      "run a show (or, without FILE, the robots standing on a grid) headless and report.\n"
      "Exit status: 0 ok, 1 bad input, 2 a --fail-on threshold failed.");
  command->add_option("file", flags->file,
                      "choreography YAML file; the robot count, placements and (by default) the "
                      "length come from it");
  AddStageFlags(command, &flags->stage);
  CLI::Option* seconds =
      command
          ->add_option("--seconds,-s", flags->seconds,
                       "simulated seconds (default: the show's length, or 10 without FILE)")
          ->check(CLI::Range(0.0, 36000.0));
  command->add_option("--seed", flags->seed, "seed of the initial-posture noise");
  AddThreadsFlag(command, &flags->threads);
  command->add_option("--report", flags->report,
                      "write the JSON report here (metrics, per_robot, events, thresholds, "
                      "trajectory_sha256)");
  command->add_option("--trajectory", flags->trajectory,
                      "write the trajectory CSV here (time and every qpos, every 20 ms)");
  command
      ->add_option("--fault", flags->faults,
                   "inject a fault: dropout:ROBOT@TIME, push:ROBOT@TIME:FX,FY,FZ:DURATION, "
                   "imu:ROBOT@TIME:DURATION, motor:ROBOT@TIME:JOINT:FRACTION, "
                   "net:ROBOT@TIME:DURATION (link outage) or clock:ROBOT@TIME:PPM (repeatable)")
      ->allow_extra_args(false);  // one value per flag: a FILE after it stays the FILE
  command->add_option("--network", flags->network,
                      "with a show: robots on their own clocks, synced over links to a conductor: "
                      "'perfect' (default) or KEY=VALUE,... e.g. "
                      "'latency_ms=50,jitter_ms=20,loss=0.1' (keys: latency_ms, jitter_ms, loss, "
                      "burst_every_s, burst_ms, drift_ppm, offset_ms, sync_hz, window_s, keep, "
                      "slew, correct_s, warmup_s; see choreography/FORMAT.md)");
  command->add_option("--localisation", flags->localisation,
                      "how robots know where they stand: perfect (default, or the show's "
                      "`localisation:`) or lidar: a head lidar matched to the stage's landmarks, "
                      "fused with leg odometry; lidar:KEY=VALUE,... sets rays, rate_hz, "
                      "max_range_m, noise_m, dropout, gyro_bias_rad_s, odometry_scale, "
                      "match_gate_m, point_sigma_m (see choreography/FORMAT.md)");
  command
      ->add_option("--fail-on", flags->fail_on,
                   "exit 2 when METRIC OP NUMBER holds, e.g. 'falls>0', "
                   "'min_separation_m<0.6', 'sync_error_deg_rms>2' (repeatable; OP: < <= > "
                   ">= ==; METRIC: a number in the report)")
      ->allow_extra_args(false);
  command->add_flag("--quiet,-q", flags->quiet, "no progress line");
  command->add_flag("--no-reflow", flags->no_reflow,
                    "with a show: do not re-plan the formation changes around robots that fall "
                    "or drop out (they are obstacles the others may walk into)");
  command->add_flag("--demo-moves", flags->demo_moves,
                    "without FILE: dance the built-in loop of every primitive (waist twist, arm "
                    "swings, figure-eights, handkerchiefs, three-forward-one-back, a walk out "
                    "and back, the cross step) in unison on the --robots grid");
  CLI::Option* controller =
      command
          ->add_option("--controller", flags->controller,
                       "without FILE: wbc (whole-body QP controller) or posture (joint PD + "
                       "balance)")
          ->check(CLI::IsMember({"wbc", "posture"}));
  CLI::Option* sway =
      command->add_option("--sway", flags->sway, "without FILE: waist twist amplitude, rad")
          ->check(CLI::Range(0.0, 0.8));
  CLI::Option* hanky =
      command
          ->add_option("--hanky-rate", flags->hanky_rate, "without FILE: handkerchief spin, rev/s")
          ->check(CLI::Range(-10.0, 10.0));
  CLI::Option* video = command->add_option(
      "--video", flags->video, "film the run from the audience camera into this MP4 (ffmpeg)");
  command->add_option("--fps", flags->fps, "video frames per simulated second")
      ->check(CLI::Range(1.0, 240.0));
  CLI::Option* snapshots = command->add_option(
      "--snapshots", flags->snapshots,
      "write PNG pictures from the audience camera into this folder (tSSSSS.ss.png)");
  command->add_option("--every", flags->every, "seconds of sim time between snapshots")
      ->check(CLI::Range(0.001, 36000.0));
  command->add_option("--width", flags->width, "picture width in pixels")
      ->check(CLI::Range(16, 8192));
  command->add_option("--height", flags->height, "picture height in pixels")
      ->check(CLI::Range(16, 8192));
  command
      ->add_option("--camera", flags->camera,
                   "pictures from: audience (framing the troupe), top or follow")
      ->check(CLI::IsMember({"audience", "top", "follow"}));
  command->add_option("--follow", flags->follow, "robot the follow camera tracks (0-based)");
  CLI::Option* sheet = command->add_option(
      "--contact-sheet", flags->contact_sheet,
      "with a show: write a PNG grid of one picture a section, labelled with its name and time");
  return {command, [flags, command, seconds, controller, sway, hanky, video, snapshots, sheet] {
            flags->seconds_given = seconds->count() > 0;
            flags->stage_given = command->count("--robots") > 0 || command->count("--spacing") > 0;
            flags->stand_given = controller->count() + sway->count() + hanky->count() > 0;
            flags->pictures_given = video->count() + snapshots->count() + sheet->count() > 0;
            return Run(*flags);
          }};
}

}  // namespace yangbot
