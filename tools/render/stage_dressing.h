// What the pictures show beyond the physics model's own geoms, drawn into the abstract
// scene (mjvScene) after mjv_updateScene: handkerchiefs as squares of silk whose shape
// follows the spin rate, robots in the H1's dark-with-light-panels look with a coloured
// band on the left side, the stage floor sized to the show and a curtained backdrop.
// Nothing here touches the model or the physics: it edits and appends mjvGeoms only.
// GL-free (the geometry is testable without a display).
#ifndef YANGBOT_TOOLS_RENDER_STAGE_DRESSING_H_
#define YANGBOT_TOOLS_RENDER_STAGE_DRESSING_H_

#include <mujoco/mujoco.h>

#include <optional>
#include <vector>

#include "sim/scene.h"
#include "tools/render/show_camera.h"

namespace yangbot {

/// One flat tile of a handkerchief's silk, in the cloth's own frame (origin at the cloth's
/// centre, z along the spin axis).
struct SilkTile {
  double pos[3] = {0, 0, 0};  ///< m, tile centre
  double mat[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1};  ///< rotation, row-major (columns: tile axes)
  double size[3] = {0, 0, 0};  ///< m, half-sizes (the third is the silk's half-thickness)
};

/// The silk of a square handkerchief of half-size `half` (m), as `tiles` x `tiles` tiles,
/// spinning at `spin_rate` (rad/s about its z axis) with `down` the direction of gravity
/// in its frame (unit vector). At rest the silk droops towards `down` from its centre; the
/// faster it spins the flatter it spreads, its corners trailing behind the spin. `phase`
/// (rad, e.g. the spin angle) moves a small flutter along the edges.
std::vector<SilkTile> SilkShape(double half, int tiles, double spin_rate, const double down[3],
                                double phase);

/// Draws the show's dressing into abstract scenes of one model.
class StageDressing {
 public:
  /// Finds the robots' geoms by their names in the robot file (what is not found is drawn
  /// as the model has it). `stage`, when given, is the floor the show uses (m): the carpet
  /// is sized to it and the backdrop stands behind it.
  StageDressing(const Scene& scene, std::optional<FloorBox> stage = std::nullopt);

  /// Edits and extends `view` (filled by mjv_updateScene from `d`) in place. Geoms beyond
  /// the scene's capacity are left out.
  void Apply(const mjData& d, mjvScene* view) const;

  /// Tiles a side of each handkerchief's silk.
  static constexpr int kSilkTiles = 6;

 private:
  struct Hanky {
    int geom = -1;    // the cloth geom
    int dof = -1;     // its spin joint's dof (a handkerchief seated on its spinner)
    int body = -1;    // its free body (a handkerchief that can be thrown), else -1
    double half = 0;  // m, half-size of the square
  };
  // A picture element attached to a geom of the model: its frame, offset by `pos` and
  // rotated by `mat`, of `type` and `size`, coloured `rgba`.
  struct Trim {
    int geom = -1;
    int type = mjGEOM_BOX;
    double pos[3] = {0, 0, 0};
    double mat[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1};
    double size[3] = {0, 0, 0};
    float rgba[4] = {1, 1, 1, 1};
    float specular = 0.5f, shininess = 0.5f;
  };
  std::vector<Hanky> hankies_;
  std::vector<Trim> trims_;
  std::vector<float> geom_rgba_;  // 4 per model geom: the colour to draw it (alpha 0: hidden)
  std::vector<bool> recolour_;    // per model geom: replace its colour
  int carpet_ = -1, border_ = -1;
  std::optional<FloorBox> stage_;
};

}  // namespace yangbot

#endif  // YANGBOT_TOOLS_RENDER_STAGE_DRESSING_H_
