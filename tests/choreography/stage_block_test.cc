// The show file's `stage:` block (landmarks) and `localisation:` key: parsed, checked,
// written back, and kept clear of the dance area.
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <string>

#include "choreography/choreography.h"
#include "choreography/show_parser.h"
#include "choreography/show_writer.h"
#include "choreography/stage.h"
#include "choreography/synced_reference.h"
#include "controllers/localisation.h"

namespace yangbot {
namespace {

constexpr const char* kHeader = R"(title: Stage
tempo: 120
)";

constexpr const char* kTroupe = R"(troupe:
  robots: 2
  start: pair
formations:
  pair:
    slots:
      - [0, 0.6]
      - [0, -0.6]
timeline: []
)";

TEST(StageBlockTest, LandmarksParsedAndWrittenBack) {
  const std::string text = std::string(kHeader) +
                           "localisation: lidar\n"
                           "stage:\n"
                           "  landmarks:\n"
                           "    - {wall: back, from: [-6, -4], to: [-6, 4], height: 3}\n"
                           "    - {pillar: p1, at: [5, 4], radius: 0.3}  # red\n"
                           "    - {box: gate, at: [-5, -3], size: [1.2, 0.6], facing: 30}\n" +
                           kTroupe;
  Diagnostics diagnostics;
  const Show show = ParseShow(text, &diagnostics);
  ASSERT_FALSE(diagnostics.has_errors()) << diagnostics.Format("show.yaml");
  ASSERT_TRUE(show.localisation.has_value());
  EXPECT_EQ(show.localisation->mode, "lidar");
  ASSERT_TRUE(show.stage.has_value());
  ASSERT_EQ(show.stage->landmarks.size(), 3u);
  const Landmark& wall = show.stage->landmarks[0].landmark;
  EXPECT_EQ(wall.kind, Landmark::Kind::kWall);
  EXPECT_NEAR(wall.x, -6, 1e-12);
  EXPECT_NEAR(wall.length, 8, 1e-12);
  EXPECT_NEAR(wall.yaw, M_PI / 2, 1e-12);
  EXPECT_NEAR(show.stage->landmarks[1].landmark.radius, 0.3, 1e-12);
  EXPECT_NEAR(show.stage->landmarks[2].landmark.yaw, M_PI / 6, 1e-12);
  EXPECT_NEAR(show.stage->landmarks[2].landmark.height, 2.2, 1e-12);  // a box's default
  const std::string written = WriteShow(show);
  EXPECT_NE(written.find("localisation: lidar\nstage:\n  landmarks:\n"
                         "    - {wall: back, from: [-6, -4], to: [-6, 4], height: 3}\n"
                         "    - {pillar: p1, at: [5, 4], radius: 0.3}  # red\n"),
            std::string::npos)
      << written;
  Diagnostics again;
  EXPECT_EQ(WriteShow(ParseShow(written, &again)), written);
  EXPECT_FALSE(again.has_errors());
}

TEST(StageBlockTest, LocalisationSettingsRoundTrip) {
  Diagnostics diagnostics;
  const Show show = ParseShow(
      std::string(kHeader) + "localisation:\n  mode: lidar\n  rays: 120\n" + kTroupe, &diagnostics);
  ASSERT_FALSE(diagnostics.has_errors()) << diagnostics.Format("show.yaml");
  ASSERT_EQ(show.localisation->settings.size(), 1u);
  EXPECT_NE(WriteShow(show).find("localisation:\n  mode: lidar\n  rays: 120\n"), std::string::npos);
}

TEST(StageBlockTest, BadLandmarksAreErrorsAtTheirPlace) {
  Diagnostics diagnostics;
  ParseShow(std::string(kHeader) +
                "localisation: gps\n"
                "stage:\n"
                "  landmarks:\n"
                "    - {wall: a, from: [0, 0]}\n"
                "    - {pillar: b, at: [1, 2], radius: -1}\n"
                "    - {pillar: c, box: d, at: [1, 2]}\n"
                "    - {pillar: e, at: [1, 2], colour: red}\n"
                "    - {pillar: e, at: [1, 2, 3]}\n" +
                kTroupe,
            &diagnostics);
  const std::string report = diagnostics.Format("show.yaml");
  for (const char* expected :
       {"show.yaml:3:15: error: localisation must be lidar or perfect, found 'gps'",
        "show.yaml:6:7: error: the wall landmark 'a' needs 'to'",
        "show.yaml:7:39: error: 'radius' -1 m is out of range",
        "show.yaml:8:7: error: a landmark needs exactly one of",
        "show.yaml:9:31: error: unknown key 'colour' in a pillar landmark",
        "show.yaml:10:23: error: 'at' must be [x, y] (m)"}) {
    EXPECT_NE(report.find(expected), std::string::npos) << expected << "\n" << report;
  }
}

TEST(StageBlockTest, LandmarksInTheDanceAreaAreErrors) {
  const LoadedShow loaded = CheckShowText(std::string(kHeader) +
                                              "stage:\n"
                                              "  landmarks:\n"
                                              "    - {pillar: near, at: [0.5, 0.9]}\n"
                                              "    - {pillar: far, at: [4, 0]}\n" +
                                              kTroupe,
                                          ".");
  const std::string report = loaded.diagnostics.Format("show.yaml");
  EXPECT_NE(report.find("show.yaml:5:7: error: pillar 'near' is 0.33 m from slot 1 of formation "
                        "'pair': robots would touch it"),
            std::string::npos)
      << report;
  EXPECT_EQ(report.find("'far'"), std::string::npos) << report;
}

TEST(StageBlockTest, WithoutABlockTheDefaultSetSurroundsTheFormations) {
  const LoadedShow loaded = CheckShowText(std::string(kHeader) + kTroupe, ".");
  ASSERT_TRUE(loaded.ok()) << loaded.diagnostics.Format("show.yaml");
  const auto landmarks = ShowLandmarks(loaded.show, loaded.resolved);
  ASSERT_FALSE(landmarks.empty());
  for (const Landmark& l : landmarks) {
    EXPECT_GE(LandmarkDistance(l, 0, 0.6), kLandmarkClearance) << l.name;
  }
}

TEST(StageBlockTest, ASpliceKeepsTheRobotsOwnFrameOutermost) {
  class Still : public ReferenceSource {
   public:
    explicit Still(double x) : x_(x) {}
    void Sample(double, RobotReference* out) const override { out->com.x() = x_; }
    double end_time() const override { return 10; }

   private:
    double x_;
  };
  const std::shared_ptr<const ReferenceSource> localised =
      std::make_shared<LocalisedReference>(std::make_shared<Still>(1));
  const auto spliced = SpliceReference(localised, std::make_shared<Still>(2), 5);
  ASSERT_NE(dynamic_cast<const LocalisedReference*>(spliced.get()), nullptr);
  RobotReference r;
  {
    const StageFrameScope scope({0.5, 0, 0});
    spliced->Sample(6, &r);
  }
  EXPECT_NEAR(r.com.x(), 2.5, 1e-12);
  ConductorReference(spliced)->Sample(6, &r);
  EXPECT_NEAR(r.com.x(), 2, 1e-12);
}

}  // namespace
}  // namespace yangbot
