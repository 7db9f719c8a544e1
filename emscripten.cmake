# Toolchain file for the web build: Emscripten from Debian's `emscripten` package.
#   cmake -S . -B build/web -G Ninja -DCMAKE_TOOLCHAIN_FILE=emscripten.cmake
# It wraps Emscripten's own toolchain file and adds what this machine needs.
set(ATTNLAB_EMSCRIPTEN_ROOT "/usr/share/emscripten" CACHE PATH "Emscripten installation")
include("${ATTNLAB_EMSCRIPTEN_ROOT}/cmake/Modules/Platform/Emscripten.cmake")

# em++ runs JS tools with node; when the machine's node is not Debian's it cannot find
# Debian's `acorn` module unless NODE_PATH points at it (TOOLCHAIN.md, gotcha 1).
set(ENV{NODE_PATH} "/usr/share/nodejs")
set(CMAKE_CXX_COMPILER_LAUNCHER "${CMAKE_COMMAND};-E;env;NODE_PATH=/usr/share/nodejs")
set(CMAKE_CXX_LINKER_LAUNCHER   "${CMAKE_COMMAND};-E;env;NODE_PATH=/usr/share/nodejs")

# Tests built to wasm run under node; Node 20's fetch() breaks 3.1.6's loader (gotcha 2).
find_program(ATTNLAB_NODE node REQUIRED)
set(CMAKE_CROSSCOMPILING_EMULATOR "${ATTNLAB_NODE};--no-experimental-fetch")

# Only the tests are built with -fexceptions (doctest needs them, TOOLCHAIN.md gotcha 7):
# the engine reports errors as values, and 3.1.6's JS-based exceptions would slow hot calls.
