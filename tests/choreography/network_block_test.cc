// The show file's `network:` block: parsed, checked as --network is, and written back.
#include <gtest/gtest.h>

#include <string>

#include "choreography/show_parser.h"
#include "choreography/show_writer.h"

namespace yangbot {
namespace {

constexpr const char* kHeader = R"(title: Net
tempo: 120
)";

TEST(NetworkBlockTest, ParsedInFileOrderAndWrittenBack) {
  const std::string text = std::string(kHeader) +
                           "network:\n"
                           "  latency_ms: 20  # a stage's Wi-Fi\n"
                           "  jitter_ms: 10\n"
                           "  loss: 0.05\n";
  Diagnostics diagnostics;
  const Show show = ParseShow(text, &diagnostics);
  ASSERT_TRUE(show.network.has_value());
  ASSERT_EQ(show.network->settings.size(), 3u);
  EXPECT_EQ(show.network->settings[0].first, "latency_ms");
  EXPECT_EQ(show.network->settings[2].second, "0.05");
  const std::string written = WriteShow(show);
  EXPECT_NE(written.find("network:\n  latency_ms: 20  # a stage's Wi-Fi\n  jitter_ms: 10\n"),
            std::string::npos)
      << written;
  Diagnostics again;
  EXPECT_EQ(WriteShow(ParseShow(written, &again)), written);
}

TEST(NetworkBlockTest, EmptyBlockRoundTrips) {
  Diagnostics diagnostics;
  const Show show = ParseShow(std::string(kHeader) + "network: {}\n", &diagnostics);
  ASSERT_TRUE(show.network.has_value());
  EXPECT_TRUE(show.network->settings.empty());
  EXPECT_NE(WriteShow(show).find("network: {}\n"), std::string::npos);
}

TEST(NetworkBlockTest, BadSettingsAreErrorsAtTheirPlace) {
  Diagnostics diagnostics;
  ParseShow(std::string(kHeader) + "network:\n  latency: 20\n  loss: 3\n", &diagnostics);
  const std::string report = diagnostics.Format("show.yaml");
  EXPECT_NE(report.find("show.yaml:4:3: error: network: unknown network option 'latency'"),
            std::string::npos)
      << report;
  EXPECT_NE(report.find("show.yaml:5:9: error: network: loss must be in [0, 0.95]"),
            std::string::npos)
      << report;
  Diagnostics list;
  ParseShow(std::string(kHeader) + "network: [1, 2]\n", &list);
  EXPECT_TRUE(list.has_errors());
}

}  // namespace
}  // namespace yangbot
