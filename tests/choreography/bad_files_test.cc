// The bad-file table: every tests/choreography/testdata/bad/NAME.yaml is checked and
// must give exactly the lines in NAME.expected ("NAME.yaml:LINE:COL: error: message").
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "choreography/choreography.h"
#include "tests/test_paths.h"

namespace yangbot {
namespace {

namespace fs = std::filesystem;

// TestDataDir() is tests/testdata; this folder's data sits beside it (not __FILE__,
// which ccache may make relative).
const fs::path kBadDir =
    fs::path(TestDataDir()).parent_path() / "choreography" / "testdata" / "bad";

std::string ReadText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::vector<fs::path> BadFiles() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(kBadDir)) {
    if (entry.path().extension() == ".yaml") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(BadFilesTest, EachGivesItsExpectedLines) {
  const std::vector<fs::path> files = BadFiles();
  EXPECT_GE(files.size(), 30u);
  for (const fs::path& path : files) {
    SCOPED_TRACE(path.filename().string());
    fs::path expected_path = path;
    expected_path.replace_extension(".expected");
    ASSERT_TRUE(fs::exists(expected_path)) << "missing " << expected_path;
    const std::string expected = ReadText(expected_path);
    ASSERT_FALSE(expected.empty());
    const LoadedShow loaded = CheckShowFile(path.string());
    EXPECT_EQ(loaded.diagnostics.Format(path.filename().string()), expected);
    // A file is bad: an error, or at least a warning.
    EXPECT_GT(loaded.diagnostics.items().size(), 0u);
    EXPECT_EQ(loaded.ok(), expected.find(": error: ") == std::string::npos);
  }
}

}  // namespace
}  // namespace yangbot
