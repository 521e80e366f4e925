// Shared gtest main: fails any test on a MuJoCo warning or error, as MuJoCo's
// own test fixture does.
#include <gtest/gtest.h>
#include <mujoco/mujoco.h>

#include <cstdio>
#include <cstdlib>

namespace {
void FailOnMujocoError(const char* msg) {
  std::fprintf(stderr, "MuJoCo error: %s\n", msg);
  std::abort();
}
void FailOnMujocoWarning(const char* msg) { ADD_FAILURE() << "MuJoCo warning: " << msg; }
}  // namespace

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  mju_user_error = FailOnMujocoError;
  mju_user_warning = FailOnMujocoWarning;
  return RUN_ALL_TESTS();
}
