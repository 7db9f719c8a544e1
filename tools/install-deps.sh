#!/usr/bin/env bash
# Installs everything Attention Lab needs to build and test, from Debian's archive only
# (npm packages are installed separately from package-lock.json by tools/install-npm.sh).
# Safe to run again: apt-get skips what is already there.
#
#   tools/install-deps.sh          # build + test dependencies
set -euo pipefail

PKGS=(
  cmake ninja-build g++ pkg-config       # native build
  emscripten                             # web build (em++, emcmake; pulls clang/lld/binaryen)
  libeigen3-dev                          # linear algebra (header only)
  libglfw3-dev libgl-dev                 # desktop window + OpenGL
  libxi-dev                              # XInput 2.2: touch screens on the Linux desktop
  doctest-dev                            # unit tests
  fonts-noto-cjk                         # CJK UI font (subset for the web build)
  python3 python3-fonttools python3-pil  # pyftsubset (web font subset), PIL (screenshot checks)
  python3-numpy                          # tools/make-tiny-gpt2.py: the test model, regenerated from its seed
  libstb-dev                             # stb_image_write: PNG screenshots and exports
  clang libclang-rt-14-dev               # libFuzzer + ASan/UBSan for tools/fuzz.sh
  chromium                               # headless browser for the browser tests
  xvfb xauth libgl1-mesa-dri             # a real X display for the desktop smoke test
  nodejs npm                             # node runs the wasm tests and Playwright
  dpkg-dev xz-utils                      # apt-get source / unpacking Dear ImGui sources
  qemu-user                              # runs the CLI on an emulated CPU without AVX (a test)
)

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# The machine may already have a newer Node.js than Debian's; keep it if so.
if command -v node >/dev/null && command -v npm >/dev/null; then
  missing=("${missing[@]/nodejs}"); missing=("${missing[@]/npm}")
fi
read -r -a missing <<< "${missing[*]}"

if [ ${#missing[@]} -gt 0 ]; then
  echo "[deps] installing: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "[deps] all Debian packages present"
fi

# Emscripten builds its libc/libc++ into /usr/share/emscripten/cache on first use:
# it needs write access there (TOOLCHAIN.md, gotcha 4).
if [ ! -w /usr/share/emscripten/cache ] 2>/dev/null; then
  $SUDO mkdir -p /usr/share/emscripten/cache && $SUDO chmod a+rwX /usr/share/emscripten/cache || true
fi
