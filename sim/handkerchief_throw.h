// Thrown handkerchiefs (the stage's throw mode, SceneOptions::throwing_hankies): the hand-end
// mechanism's firmware and the air it flies through.
//
// Each hand's handkerchief is a free body latched to its spinning pin by three zero-length
// springs (assets/robots/handkerchief.xml has the mechanism and its motor figures). A throw:
//  - release: the latch opens and the ejector pushes the hub along the pin until it leaves
//    at the planned speed (or the 5 cm stroke ends);
//  - flight: a free body, spinning by its own inertia, under gravity and air drag
//    (HankyDrag); the winch keeps the tether on the planned flight (it can only pull);
//  - catch: the latch closes once the hub is within its reach (kHankyCaptureDistance of
//    the pin's hub, tilted less than kHankyCaptureTilt) and pulls it onto the pin softly
//    (its springs opened by the hub's share of the reach, so the pull grows as the hub
//    comes in and does not jerk the arm); after the catch beat the winch reels a late or
//    missed handkerchief in;
//  - between throws (before the first release, and from the end of a catch window to the
//    next release): the latch holds a hub within kHankyCaptureDistance whatever its tilt
//    (a neighbour's handkerchief brushing it tilts it past kHankyCaptureTilt, and an open
//    latch would drop it onto its tether), and the winch reels in one that is further.
// The firmware is stateless: each step derives the phase from the time and the measured
// geometry, so a cloned run (snapshots) needs nothing but the throws list.
#ifndef YANGBOT_SIM_HANDKERCHIEF_THROW_H_
#define YANGBOT_SIM_HANDKERCHIEF_THROW_H_

#include <mujoco/mujoco.h>

#include <vector>

#include "sim/scene.h"

namespace yangbot {

/// Air drag of a flying handkerchief, F = -kHankyDrag |v| v (N·s²/m²): ½ ρ Cd·A with air
/// density 1.2 kg/m³ and Cd·A = 0.01 m², an effective area for a spinning cloth that cones
/// and flutters (about 6 % of its 0.16 m² broadside, whose full drag would stop a 30 g
/// handkerchief within 10 cm). Applied at its centre of mass; robots feel no air.
inline constexpr double kHankyDrag = 0.006;
/// Mass of the flying handkerchief (kg): the assembly's <flight> body (a test checks).
inline constexpr double kHankyMass = 0.030;
/// The latch closes on a hub within this distance (m) of the pin's hub: its reach, a catch
/// funnel that forgives the hand's drift while the handkerchief flies (5-8 cm in 0.8 s
/// for a standing robot). Its springs pull with at most 60 N each (forcerange), more than
/// they do within its reach: a saturated spring no longer damps, and a caught hub orbited.
inline constexpr double kHankyCaptureDistance = 0.08;
/// ... and this tilt (rad) between the handkerchief's and the pin's axes.
inline constexpr double kHankyCaptureTilt = 0.45;
/// Seated: the hub within this distance (m) of the pin's hub ...
inline constexpr double kHankySeatedDistance = 0.01;
/// ... and tilted less than this (rad).
inline constexpr double kHankySeatedTilt = 0.1;
/// Fastest launch along the pin the ejector gives within its stroke (m/s).
inline constexpr double kHankyMaxLaunchSpeed = 5.0;
/// Longest tether (m): the tendon's length limit in the assembly.
inline constexpr double kHankyTetherLength = 1.5;

/// Longest the winch pulls on a falling handkerchief in a plan (N): half its 2 N motor,
/// the rest left to the firmware's tracking.
inline constexpr double kHankyMaxTension = 1.0;
/// A throw is caught when its handkerchief is seated again at most this long (s) after
/// its catch beat; later (or never) it is missed.
inline constexpr double kHankyCatchWindow = 0.5;

/// One planned throw of one hand.
struct HankyThrow {
  int robot = 0;          ///< robot index
  int side = 0;           ///< 0 left, 1 right
  double release = 0;     ///< s, the ejector starts
  double catch_time = 0;  ///< s, the hub is back on the pin
  double apex = 0;        ///< m above the pin's hub; 0: the highest flight of its length
};

/// A vertical flight with drag that comes back to the pin `duration` s after release.
struct HankyFlight {
  double speed = 0;      ///< m/s, launch speed along the pin
  double apex = 0;       ///< m, highest point above the pin's hub
  double apex_time = 0;  ///< s after release
  double tension = 0;    ///< N, the winch's pull on the way down
};

/// Plans the flight of a throw lasting `duration` s. `apex` 0: the winch pulls with a
/// light kHankyDescentTension on the way down and the launch speed is found by bisection;
/// else the launch reaches `apex` (m) and the tension is found that brings it back on time
/// (negative when it would fall back too late even unpulled). Speed and tension may exceed
/// what the motors give (kHankyMaxLaunchSpeed, kHankyMaxTension): callers validate.
HankyFlight PlanHankyFlight(double duration, double apex = 0);

/// Tether tension on the way down in a flight planned without an apex (N): the taut
/// tether brings the hub to the pin's hub along its line, whatever the robot's sway did to
/// the pin while it flew (a slack one lets it fall past the pin by the sway).
inline constexpr double kHankyDescentTension = 0.15;

/// Height (m) above the pin's hub `tau` s after a vertical launch at `speed` m/s pulled
/// down by `tension` N once falling, and its rate (m/s) in `rate` when not null: gravity
/// and kHankyDrag, integrated at 2 ms.
double HankyFlightHeight(double speed, double tau, double* rate = nullptr,
                         double tension = kHankyDescentTension);

/// Where a handkerchief is relative to its pin.
struct HankyState {
  double distance = 0;  ///< m, its hub from the pin's hub
  double tilt = 0;      ///< rad, between its axis and the pin's
  double height = 0;    ///< m, its hub above the pin's hub (world z)
  double spin_rate = 0; ///< rad/s, its angular velocity about its own axis
  bool in_reach = false;  ///< within the latch's reach (capture distance and tilt)
  bool seated = false;    ///< on the pin (seated distance and tilt)
};

/// Measures handkerchief `h` (positions and velocities of `d` must be current).
HankyState MeasureHanky(const mjModel* m, const mjData* d, const HandkerchiefProp& h);

/// Adds every flying handkerchief's air drag to d->xfrc_applied.
void ApplyHankyDrag(const Scene& scene, mjData* d);

/// Writes the latch, ejector and winch controls of every handkerchief for the time d->time
/// (`throws` in any order; a hand without a throw stays latched, or is reeled in and
/// latched again when knocked off its pin).
void ControlHankies(const Scene& scene, const std::vector<HankyThrow>& throws, mjData* d);

}  // namespace yangbot

#endif  // YANGBOT_SIM_HANDKERCHIEF_THROW_H_
