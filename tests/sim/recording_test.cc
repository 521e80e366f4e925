#include "sim/recording.h"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "sim/error.h"
#include "tests/sim/sim_fixtures.h"

namespace yangbot {
namespace {


TEST(RecordingTest, Sha256MatchesKnownVectors) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex(std::string(1000, 'a')),
            "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3");
}

TEST(RecordingTest, TrajectoryHasTimeThenEveryQposNameAndA20msRow) {
  SceneOptions options;
  options.robots = 2;
  auto scene = Scene::Build(options);
  auto state = StartRun(*scene, testing::Passive(), 1);
  TrajectoryRecorder recorder(*scene);
  recorder.Sample(*state->data);
  RunUntil(*scene, state.get(), 0.1, nullptr);
  for (int k = 0; k < 50; ++k) {
    Step(*scene, state.get());
    recorder.Sample(*state->data);
  }
  std::istringstream csv(recorder.csv());
  std::string header;
  std::getline(csv, header);
  EXPECT_EQ(header.substr(0, 26), "time,r00/floating_base_x,r");
  EXPECT_NE(header.find(",r01/right_hanky"), std::string::npos);
  size_t columns = 1 + std::count(header.begin(), header.end(), ',');
  EXPECT_EQ(columns, 1u + scene->model()->nq);
  std::vector<std::string> rows;
  for (std::string row; std::getline(csv, row);) rows.push_back(row);
  ASSERT_EQ(rows.size(), 7u);  // t = 0, then 0.102 and the 20 ms grid up to 0.2 s
  EXPECT_EQ(rows[0].substr(0, 7), "0.0000,");
  EXPECT_EQ(rows[1].substr(0, 7), "0.1020,");
  EXPECT_EQ(rows[2].substr(0, 7), "0.1200,");
  EXPECT_EQ(rows[6].substr(0, 7), "0.2000,");
}

TEST(RecordingTest, ReportHasTheDocumentedFields) {
  SceneOptions options;
  options.robots = 3;
  auto scene = Scene::Build(options);
  auto state = StartRun(*scene, testing::Passive(), 1);
  RunUntil(*scene, state.get(), 0.1);
  const auto report = MakeReport(*scene, *state, 0.05);
  for (const char* key : {"robots", "sim_seconds", "wall_seconds", "realtime_factor", "falls",
                          "fallen_robots", "min_separation_m", "mujoco_warnings", "per_robot",
                          "state_sha256"}) {
    EXPECT_TRUE(report.contains(key)) << key;
  }
  EXPECT_EQ(report["robots"], 3);
  EXPECT_NEAR(report["sim_seconds"].get<double>(), 0.1, 1e-9);
  EXPECT_NEAR(report["realtime_factor"].get<double>(), 2.0, 1e-6);
  EXPECT_NEAR(report["min_separation_m"].get<double>(), 1.5, 0.01);
  EXPECT_EQ(report["per_robot"].size(), 3u);
}

}  // namespace
}  // namespace yangbot

namespace yangbot {
namespace {

TEST(WriteFileAtomicTest, ReplacesContentsKeepsABackupAndUsesNormalPermissions) {
  const std::string path = ::testing::TempDir() + "/atomic.txt";
  std::remove(path.c_str());
  std::remove((path + ".bak").c_str());
  WriteFileAtomic(path, "first");
  WriteFileAtomic(path, "second", /*keep_backup=*/true);
  EXPECT_EQ(ReadFileOrThrow(path), "second");
  EXPECT_EQ(ReadFileOrThrow(path + ".bak"), "first");
  struct stat info;
  ASSERT_EQ(stat(path.c_str(), &info), 0);
  EXPECT_NE(info.st_mode & S_IRGRP, 0u) << "not 0600: a report must be readable like any file";
}

// A save killed at its worst moment (new contents written and flushed, backup kept, not yet
// renamed): the original is intact and the backup holds it too. The child process dies
// by SIGKILL from the test seam, deterministically at that point.
TEST(WriteFileAtomicTest, ASaveKilledBeforeTheRenameLeavesTheOriginalAndTheBackup) {
  const std::string path = ::testing::TempDir() + "/killed.txt";
  std::remove((path + ".bak").c_str());
  WriteFileAtomic(path, "the choreographer's work");
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    SetBeforeRenameHookForTesting([](const std::string&) { raise(SIGKILL); });
    WriteFileAtomic(path, "half a day later", /*keep_backup=*/true);
    _exit(0);  // not reached
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "the save was not interrupted";
  EXPECT_EQ(ReadFileOrThrow(path), "the choreographer's work");
  EXPECT_EQ(ReadFileOrThrow(path + ".bak"), "the choreographer's work");
  // The next save works and replaces the file; the backup is the previous version.
  WriteFileAtomic(path, "saved", /*keep_backup=*/true);
  EXPECT_EQ(ReadFileOrThrow(path), "saved");
  EXPECT_EQ(ReadFileOrThrow(path + ".bak"), "the choreographer's work");
}

// The same interruption as an error inside the process: it propagates, the original is
// intact and no temporary file is left behind.
TEST(WriteFileAtomicTest, ASaveFailingBeforeTheRenameCleansUp) {
  const std::string folder = ::testing::TempDir() + "/atomic_fail";
  std::filesystem::remove_all(folder);
  std::filesystem::create_directories(folder);
  const std::string path = folder + "/show.yangge";
  WriteFileAtomic(path, "original");
  SetBeforeRenameHookForTesting([](const std::string&) { throw Error("disk gone"); });
  EXPECT_THROW(WriteFileAtomic(path, "new", /*keep_backup=*/true), Error);
  SetBeforeRenameHookForTesting(nullptr);
  EXPECT_EQ(ReadFileOrThrow(path), "original");
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"show.yangge", "show.yangge.bak"}));
}

TEST(WriteFileAtomicTest, AFailedWriteLeavesTheOriginalIntact) {
  const std::string path = ::testing::TempDir() + "/keep.txt";
  WriteFileAtomic(path, "precious");
  EXPECT_THROW(WriteFileAtomic(::testing::TempDir() + "/no/such/folder/x.txt", "x"), Error);
  EXPECT_EQ(ReadFileOrThrow(path), "precious");
}

}  // namespace
}  // namespace yangbot
