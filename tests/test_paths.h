// Paths the tests read from or run, fixed at configure time in tests/test_paths.cc only
// (every other test object then compiles the same in any checkout).
#ifndef YANGBOT_TESTS_TEST_PATHS_H_
#define YANGBOT_TESTS_TEST_PATHS_H_

#include <string>

namespace yangbot {

/// Absolute path of tests/testdata (no trailing slash); each test folder's own data sit
/// beside it, in tests/<folder>/testdata.
std::string TestDataDir();

/// Absolute path of the built `yangbot` binary, for end-to-end tests.
std::string YangbotBinary();

}  // namespace yangbot

#endif  // YANGBOT_TESTS_TEST_PATHS_H_
