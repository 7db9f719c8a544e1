#!/usr/bin/env bash
# From a fresh Debian 12 / Ubuntu machine: installs what is missing, builds the web app and
# the desktop app, and serves the web app on http://localhost:8080.
#   desktop app afterwards:  build/native/attnlab        (--help for its options)
#   another port:            PORT=9000 tools/start.sh
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-deps.sh
tools/build.sh all
echo
echo "Desktop app: build/native/attnlab   (command line: build/native/attnlab-cli help)"
exec /usr/bin/python3 tools/serve.py --port "${PORT:-8080}"
