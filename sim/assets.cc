#include "sim/assets.h"

namespace yangbot {

std::string AssetsDir() { return YANGBOT_ASSETS_DIR; }

}  // namespace yangbot
