// The fixed landmarks of a stage: walls, pillars and set pieces that the robots' lidars
// see (sim/lidar.h) and their localisers match scans against (controllers/localisation.h).
// They are static geoms of the stage's world body with the floor's collision classes, so a
// robot that reaches one collides with it honestly; shows place them outside the dance
// area (choreography checks the clearance).
//
// The map a robot matches against is the landmarks' footprint at the lidar's height:
// segments (the faces of walls and boxes) and circles (pillars), in stage coordinates.
#ifndef YANGBOT_SIM_LANDMARKS_H_
#define YANGBOT_SIM_LANDMARKS_H_

#include <string>
#include <vector>

namespace yangbot {

/// One fixed landmark. Walls and boxes are upright boxes, pillars upright cylinders.
struct Landmark {
  enum class Kind { kWall, kPillar, kBox };
  Kind kind = Kind::kPillar;
  std::string name;  ///< geom name on the stage ("stage/NAME"); unique
  double x = 0;      ///< m, centre of the footprint
  double y = 0;      ///< m
  double yaw = 0;    ///< rad, direction of the length (walls, boxes)
  double length = 1;    ///< m, along yaw (walls, boxes)
  double width = 0.2;   ///< m, across (wall thickness, box depth)
  double radius = 0.25; ///< m (pillars)
  double height = 3;    ///< m, from the floor up
};

/// "wall", "pillar" or "box".
const char* LandmarkKindName(Landmark::Kind kind);

/// m, the clearance between the dance area and the landmarks (DefaultLandmarks keeps it;
/// show files are checked against it).
inline constexpr double kLandmarkClearance = 1.0;

/// The stage's default landmarks around a dance area (m, the extremes of every place a
/// robot stands): a back wall, two side walls with wings open downstage, two pillars
/// downstage and an upstage set piece on the dancers' right (the layout is not symmetric,
/// so no scan matches a mirrored pose), each at least kLandmarkClearance + 1.5 m outside
/// the area; at least 4 m from the centre on every side.
std::vector<Landmark> DefaultLandmarks(double x_min, double x_max, double y_min, double y_max);

/// m, distance from the point (x, y) to the landmark's footprint (0 inside it).
double LandmarkDistance(const Landmark& landmark, double x, double y);

/// The landmarks as MJCF <geom> elements of the world body (floor collision classes,
/// group 0, a stage material).
std::string LandmarksXml(const std::vector<Landmark>& landmarks);

/// A face of the map: a segment in the floor plane.
struct MapSegment {
  double ax = 0, ay = 0, bx = 0, by = 0;  ///< m, end points
};

/// A pillar of the map: a circle in the floor plane.
struct MapCircle {
  double x = 0, y = 0, r = 0;  ///< m
};

/// What a planar lidar at some height can see of the stage: the footprints of the
/// landmarks at least that tall.
struct StageMap {
  std::vector<MapSegment> segments;
  std::vector<MapCircle> circles;

  /// The closest map point to (x, y): writes it and the map's outward unit normal there;
  /// returns the distance (m), infinity for an empty map.
  double Closest(double x, double y, double* cx, double* cy, double* nx, double* ny) const;
};

/// The map of `landmarks` that reach above `height` (m).
StageMap MakeStageMap(const std::vector<Landmark>& landmarks, double height);

}  // namespace yangbot

#endif  // YANGBOT_SIM_LANDMARKS_H_
