// Where the built-in assets (robots, stage, choreographies, music) live.
#ifndef YANGBOT_SIM_ASSETS_H_
#define YANGBOT_SIM_ASSETS_H_

#include <string>

namespace yangbot {

/// Absolute path of the source tree's assets/ folder (no trailing slash), so the binaries
/// run from any folder. Fixed at configure time in this one translation unit only: every
/// other object compiles the same in any checkout (a compiler cache shares them).
std::string AssetsDir();

}  // namespace yangbot

#endif  // YANGBOT_SIM_ASSETS_H_
