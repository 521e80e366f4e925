// The SHA-256 wrappers of sim/recording.h over OpenSSL: FIPS 180-4 vectors, streaming,
// and what the trajectory hash covers.
#include <gtest/gtest.h>

#include <string>

#include "sim/recording.h"
#include "tests/sim/sim_fixtures.h"

namespace yangbot {
namespace {

TEST(TrajectoryHashTest, StreamingSha256MatchesTheFipsVectorsInAnyPieces) {
  Sha256 empty;
  EXPECT_EQ(empty.Hex(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  const std::string two_blocks = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  Sha256 pieces;
  for (char c : two_blocks) pieces.Update(&c, 1);
  EXPECT_EQ(pieces.Hex(), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(Sha256Hex(two_blocks), pieces.Hex());
  // One million 'a' in uneven pieces.
  Sha256 million;
  const std::string chunk(999, 'a');
  for (int k = 0; k < 1001; ++k) million.Update(chunk.data(), chunk.size());
  million.Update(chunk.data(), 1);
  EXPECT_EQ(million.Hex(), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(TrajectoryHashTest, HexLeavesTheStreamOpen) {
  Sha256 digest;
  digest.Update("ab", 2);
  EXPECT_EQ(digest.Hex(), Sha256Hex("ab"));
  digest.Update("c", 1);
  EXPECT_EQ(digest.Hex(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(TrajectoryHashTest, HashesTimeQposAndQvelOfEveryStateBackToBack) {
  SceneOptions options;
  options.robots = 1;
  auto scene = Scene::Build(options);
  const mjModel* m = scene->model();
  auto state = StartRun(*scene, testing::Passive(), 1);
  TrajectoryHash hash(m);
  std::string bytes;
  auto add = [&] {
    const mjData& d = *state->data;
    hash.Add(d);
    bytes.append(reinterpret_cast<const char*>(&d.time), sizeof(d.time));
    bytes.append(reinterpret_cast<const char*>(d.qpos), sizeof(mjtNum) * m->nq);
    bytes.append(reinterpret_cast<const char*>(d.qvel), sizeof(mjtNum) * m->nv);
  };
  add();
  for (int k = 0; k < 5; ++k) {
    Step(*scene, state.get());
    add();
  }
  EXPECT_EQ(bytes.size(), 6 * sizeof(mjtNum) * (1 + m->nq + m->nv));
  EXPECT_EQ(hash.Hex(), Sha256Hex(bytes));
  // One bit of one velocity changes it.
  TrajectoryHash flipped(m);
  state->data->qvel[3] = std::nextafter(state->data->qvel[3], 1e9);
  flipped.Add(*state->data);
  EXPECT_NE(flipped.Hex(),
            Sha256Hex(bytes.substr(bytes.size() - sizeof(mjtNum) * (1 + m->nq + m->nv))));
}

}  // namespace
}  // namespace yangbot
