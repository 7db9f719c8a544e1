#!/usr/bin/env bash
# Installs the npm packages the tests use, exactly as package-lock.json pins them
# (playwright-core drives Debian's Chromium; pngjs reads screenshots). No browser download.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ]; then
  echo "[npm] node_modules up to date"
  exit 0
fi
echo "[npm] npm ci"
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
