#include "tests/test_paths.h"

namespace yangbot {

std::string TestDataDir() { return YANGBOT_TESTDATA_DIR; }

std::string YangbotBinary() { return YANGBOT_BINARY; }

}  // namespace yangbot
