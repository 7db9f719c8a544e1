#!/usr/bin/env bash
# The whole test suite, from a fresh Debian 12 / Ubuntu machine:
#   installs what is missing (apt-get, npm ci), builds native and web, then runs
#   build/native: unit tests, CLI, UI-font coverage, desktop app under Xvfb (screenshots)
#   build/web:    the same unit tests as wasm under node, browser smoke test in Chromium
# Screenshots: build/native/screenshots/, build/web/screenshots/.
# The last line is "tests: N passed, M failed" (counted over both ctest runs).
set -uo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
tools/install-deps.sh || exit 1
tools/install-npm.sh || exit 1
tools/build.sh all || { echo "tests: 0 passed, 1 failed (build failed)"; exit 1; }

passed=0; failed=0
for dir in build/native build/web; do
  echo "== ctest in $dir"
  log=$(mktemp)
  ctest --test-dir "$dir" --output-on-failure 2>&1 | tee "$log"
  total=$(grep -Eo 'tests failed out of [0-9]+' "$log" | grep -Eo '[0-9]+$' || echo 0)
  bad=$(grep -Eo '[0-9]+ tests failed out of' "$log" | grep -Eo '^[0-9]+' || echo 0)
  if [ "${total:-0}" -eq 0 ]; then bad=1; total=1; echo "no tests ran in $dir"; fi
  passed=$((passed + total - bad)); failed=$((failed + bad))
  rm -f "$log"
done
echo "test suite took $(( $(date +%s) - start )) s"
echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
