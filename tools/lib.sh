# Shared by tools/demo and tools/test: install what is missing, configure, build.
# Sourced, not run. Uses Debian 12 packages only; nothing is downloaded at build time.

YANGBOT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
YANGBOT_PACKAGES=(
  cmake ninja-build g++ pkg-config
  libmujoco-dev libqhull-dev libeigen3-dev libyaml-cpp-dev nlohmann-json3-dev libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev libxml2-utils
  libglfw3-dev libimgui-dev libgl-dev
  libaubio-dev libsndfile1-dev libsdl2-dev libssl-dev
  ffmpeg xvfb xauth clang-14 libclang-rt-14-dev
)

yangbot_install_deps() {
  local missing=()
  for p in "${YANGBOT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local cmd="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
      cmd="sudo sh -c '$cmd'"
    else
      echo "yangbot: missing Debian packages: ${missing[*]}" >&2
      echo "Install them as root, then run this again:" >&2
      echo "  sudo sh -c 'apt-get update && apt-get install -y --no-install-recommends ${missing[*]}'" >&2
      exit 1
    fi
  fi
  echo "==> installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive sh -c "$cmd" >/tmp/yangbot-apt.log 2>&1 || {
    tail -20 /tmp/yangbot-apt.log >&2
    echo "yangbot: package installation failed (log: /tmp/yangbot-apt.log)" >&2
    exit 1
  }
}

# The configuration of build/ (tools/test, tools/demo): optimised, with line tables only
# (-g1): backtraces and sanitizer reports keep their file:line, and a fresh build (CI's
# every run) compiles about a quarter faster than with full -g.
YANGBOT_BUILD_ARGS=(-DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -g1 -DNDEBUG")

# yangbot_build BUILD_DIR [cmake args...]: configure once, then build incrementally.
yangbot_build() {
  local dir="$1"
  shift
  if [ ! -f "$dir/build.ninja" ]; then
    cmake -S "$YANGBOT_ROOT" -B "$dir" -G Ninja "$@" >/dev/null
  fi
  cmake --build "$dir" -- -j"${YANGBOT_JOBS:-$(nproc)}"
}

# yangbot_build_fuzz BUILD_DIR: the libFuzzer targets (tests/fuzz) with clang-14; the
# libraries they need are built there too, instrumented. The viewer is left out. -O1 with
# line tables (libFuzzer's advice) compiles about twice as fast as -O2 -g; asserts stay on.
yangbot_build_fuzz() {
  local dir="$1"
  if [ ! -f "$dir/build.ninja" ]; then
    cmake -S "$YANGBOT_ROOT" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" \
      -DCMAKE_CXX_COMPILER=clang++-14 -DYANGBOT_FUZZ=ON -DYANGBOT_VIEWER=OFF >/dev/null
  fi
  if [ -n "${YANGBOT_FUZZ_SECONDS:-}" ]; then
    cmake -DYANGBOT_FUZZ_SECONDS="$YANGBOT_FUZZ_SECONDS" "$dir" >/dev/null
  fi
  cmake --build "$dir" --target show_fuzzer cli_fuzzer -- -j"${YANGBOT_JOBS:-$(nproc)}"
}
