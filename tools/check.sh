#!/usr/bin/env bash
# The contributor's quick loop: the native build and the tests that need no browser, no window
# and no PyTorch, in parallel. The whole suite (web build, Chromium, Xvfb, references) is
# tools/test.sh, which CI runs.
#
#   tools/check.sh            build/native, then unit tests, golden cases, CLI checks
#
# Uses ccache when it is installed (the first build takes a few minutes, later ones seconds).
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
if command -v ccache >/dev/null; then
  export CCACHE_BASEDIR="$PWD" ATTNLAB_CMAKE_ARGS="${ATTNLAB_CMAKE_ARGS:-} -DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache"
fi
tools/build.sh native
# make_test_models (the tiny GPT-2 the golden cases read) runs first as the fixture it is; the
# golden cases compare with PyTorch's numbers stored in tests/golden/ (PyTorch is not run).
ctest --test-dir build/native -j "$(nproc)" --output-on-failure \
      -R '^(make_test_models|unit_tests|gpt2_matches_pytorch_reference|cli_.*|train_toy_heads_form|bench_train_quick|native_without_avx2)$'
echo "check: $(( $(date +%s) - start )) s"
