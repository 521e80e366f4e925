// Test helper shared by the end-to-end CLI tests: runs the built yangbot binary.
#ifndef YANGBOT_TESTS_TOOLS_RUN_YANGBOT_H_
#define YANGBOT_TESTS_TOOLS_RUN_YANGBOT_H_

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

#include "tests/test_paths.h"

namespace yangbot::testing {

/// Exit status and combined stdout + stderr of one yangbot run.
struct CommandResult {
  int status = -1;     ///< exit code; -1 if the process did not exit normally
  std::string output;  ///< stdout and stderr
};

/// Runs `yangbot ARGS` (the binary under test) and captures its output.
inline CommandResult RunYangbot(const std::string& args) {
  CommandResult result;
  const std::string command = YangbotBinary() + " " + args + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return result;
  std::array<char, 4096> buffer;
  while (fgets(buffer.data(), buffer.size(), pipe)) result.output += buffer.data();
  const int status = pclose(pipe);
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

/// Standard output of a shell command (binary-safe: raw pictures from ffmpeg).
inline std::string CaptureOutput(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return out;
  std::array<char, 4096> buffer;
  size_t n;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) out.append(buffer.data(), n);
  pclose(pipe);
  return out;
}

}  // namespace yangbot::testing

#endif  // YANGBOT_TESTS_TOOLS_RUN_YANGBOT_H_
