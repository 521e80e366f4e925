// The cameras that frame a show (tools/render/show_camera.h, tools/viewer/show_framing.h):
// the audience shot holds every robot of the default show, covers a good part of the
// picture's width and eases without jumps. GL-free.
#if YANGBOT_HAVE_VIEWER

#include "tools/render/show_camera.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "choreography/choreography.h"
#include "sim/assets.h"
#include "tools/viewer/show_framing.h"

namespace yangbot {
namespace {

double Distance(const double a[3], const double b[3]) {
  return std::sqrt((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) +
                   (a[2] - b[2]) * (a[2] - b[2]));
}

TEST(ShowCameraTest, TheAudienceShotHoldsTheWholeTroupeOfTheDefaultShowAndNeverJumps) {
  const LoadedShow loaded =
      CheckShowFile(AssetsDir() + "/choreographies/yangge16.yaml");
  ASSERT_TRUE(loaded.ok());
  const CompiledShow compiled = CompileSchedule(loaded.schedule);
  const double fovy = 45, aspect = 16.0 / 9, fps = 30;
  const TroupeTrack track = PlannedTrack(compiled);
  const ShowCamera camera(track, compiled.end_time, fovy);
  std::vector<double> xy;
  double last_eye[3] = {0, 0, 0}, last_lookat[3] = {0, 0, 0};
  double largest_step = 0, least_cover = 2, least_cover_time = 0;
  int outside = 0;
  for (int k = 0; k / fps <= compiled.end_time; ++k) {
    const double t = k / fps;
    const CameraShot shot = camera.Audience(t, aspect);
    double eye[3];
    shot.Eye(eye);
    if (k > 0) {
      largest_step = std::max({largest_step, Distance(eye, last_eye),
                               Distance(shot.lookat, last_lookat)});
    }
    std::copy(eye, eye + 3, last_eye);
    std::copy(shot.lookat, shot.lookat + 3, last_lookat);
    if (k % 10 != 0) continue;
    // Every robot from its feet to above its head, both sides of it, in the picture.
    track(t, &xy);
    double left = 1, right = -1;
    for (size_t i = 0; i + 1 < xy.size(); i += 2) {
      for (double side : {-0.3, 0.3}) {
        for (double z : {0.0, 1.0, 1.8}) {
          const double point[3] = {xy[i], xy[i + 1] + side, z};
          double x = 0, y = 0;
          ASSERT_TRUE(ProjectInShot(shot, fovy, aspect, point, &x, &y));
          if (!InShot(shot, fovy, aspect, point)) ++outside;
          left = std::min(left, x);
          right = std::max(right, x);
        }
      }
    }
    if (0.5 * (right - left) < least_cover) {
      least_cover = 0.5 * (right - left);
      least_cover_time = t;
    }
  }
  EXPECT_EQ(outside, 0) << "robot points outside the audience picture";
  // The troupe spans at least 35 % of the picture's width at every moment (least as the V
  // sets off on its 2.2 m run at the audience: the footprint looks ahead to where it stops).
  EXPECT_GE(least_cover, 0.35) << "at " << least_cover_time << " s";
  // Eased: the eye and the aim move at most 5 cm a frame (1.5 m/s at 30 fps).
  EXPECT_LT(largest_step, 0.05);
  // The stage floor holds every formation.
  EXPECT_LT(camera.Stage().x_min, -2.6);
  EXPECT_GT(camera.Stage().y_max, 1.95);
}

TEST(ShowCameraTest, TheFootprintLooksAheadToWhereTheRobotsWillBe) {
  // One robot walking from x = 0 to x = 4 m between t = 10 and 14 s.
  const TroupeTrack track = [](double t, std::vector<double>* xy) {
    *xy = {std::clamp(t - 10, 0.0, 4.0), 0.0};
  };
  ShowCameraOptions options;
  options.smoothing = 0;
  const ShowCamera camera(track, 20, 45, options);
  // Three seconds ahead of the walk the footprint already reaches its end...
  EXPECT_NEAR(camera.Footprint(11).x_max, 4 + options.margin, 1e-9);
  // ... and before the look-ahead reaches the walk it does not.
  EXPECT_NEAR(camera.Footprint(5).x_max, options.margin, 1e-9);
  // The overhead shot looks straight down on the footprint's centre.
  const CameraShot top = camera.Overhead(12, 16.0 / 9);
  EXPECT_DOUBLE_EQ(top.elevation, -90);
  const FloorBox box = camera.Footprint(12);
  EXPECT_NEAR(top.lookat[0], 0.5 * (box.x_min + box.x_max), 1e-9);
}

TEST(ShowCameraTest, SectionMomentsAreLabelledWithNameAndTime) {
  const LoadedShow loaded =
      CheckShowFile(AssetsDir() + "/choreographies/minimal.yaml");
  ASSERT_TRUE(loaded.ok());
  const std::vector<SheetMoment> moments =
      SectionMoments(loaded.show, loaded.schedule.clock, 0.5);
  ASSERT_EQ(moments.size(), 3u);
  // Offset 1 s, 120 bpm, 4-beat sections: the middles are at 2, 4 and 6 s.
  EXPECT_DOUBLE_EQ(moments[1].time, 4.0);
  EXPECT_EQ(moments[1].label, "2. spin  0:04");
}

}  // namespace
}  // namespace yangbot

#endif  // YANGBOT_HAVE_VIEWER
