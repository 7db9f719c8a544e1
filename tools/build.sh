#!/usr/bin/env bash
# Builds Attention Lab. Dependencies must be installed (tools/install-deps.sh).
#
#   tools/build.sh            native (desktop app, CLI, tests) and web
#   tools/build.sh native     build/native: attnlab (desktop), attnlab-cli, attnlab_tests
#   tools/build.sh web        build/web/site: index.html, attnlab.js/.wasm, assets/
#
# Both builds share the Dear ImGui sources cached in build/_deps.
# Extra CMake arguments: ATTNLAB_CMAKE_ARGS="-DATTNLAB_IMGUI_DIR=/path/to/imgui" tools/build.sh
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-all}
deps="$PWD/build/_deps"
jobs=$(nproc)
export NODE_PATH=/usr/share/nodejs   # em++ needs Debian's acorn (TOOLCHAIN.md, gotcha 1)

build_native() {
  cmake -S . -B build/native -G Ninja -DATTNLAB_DEPS_DIR="$deps" ${ATTNLAB_CMAKE_ARGS:-} >/dev/null
  cmake --build build/native -j "$jobs"
}
build_web() {
  cmake -S . -B build/web -G Ninja -DCMAKE_TOOLCHAIN_FILE="$PWD/emscripten.cmake" \
        -DATTNLAB_DEPS_DIR="$deps" ${ATTNLAB_CMAKE_ARGS:-} >/dev/null
  cmake --build build/web -j "$jobs"
}

case "$what" in
  native) build_native ;;
  web) build_web ;;
  all) build_native; build_web ;;
  *) echo "usage: tools/build.sh [native|web|all]" >&2; exit 2 ;;
esac
