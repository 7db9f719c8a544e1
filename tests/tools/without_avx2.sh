#!/usr/bin/env bash
# The native programs run on an x86-64 CPU without AVX (issue 17: built with -mavx2 for the whole
# program, they died with SIGILL there). The AVX2 and AVX-512 kernels are compiled on their own
# and chosen by CPUID at start (engine/kernels/kernels.cpp); this checks both halves of that promise:
#   1. no AVX instruction anywhere in attnlab or attnlab-cli outside attn::kernels::avx2 / avx512;
#   2. under qemu-user emulating a CPU without AVX (Nehalem) the CLI picks the plain kernels and
#      computes the same attention as natively; emulating one with AVX2 (Haswell) it picks AVX2.
#
#   tests/tools/without_avx2.sh BUILD_DIR MODEL.gguf
set -euo pipefail
BIN=$1
MODEL=$2
fail() { echo "FAIL: $*" >&2; exit 1; }

for exe in "$BIN/attnlab-cli" "$BIN/attnlab"; do
  [ -x "$exe" ] || continue
  # VEX-encoded instructions (every AVX / AVX2 / FMA / F16C instruction starts with "v"), per function
  outside=$(objdump -d --no-show-raw-insn -C "$exe" | awk '
    /^[0-9a-f]+ <.*>:$/ { fn = $0; next }
    $2 ~ /^v[a-z0-9]+$/ && $2 !~ /^ver[rw]$/ { n[fn]++ }
    END { for (f in n) if (f !~ /attn::kernels::avx(2|512)::/) print n[f], f }')
  inside=$(objdump -d --no-show-raw-insn -C "$exe" | grep -c "vfmadd" || true)
  [ -z "$outside" ] || fail "$(basename "$exe") has AVX instructions outside the AVX2 kernels:
$outside"
  [ "$inside" -gt 0 ] || fail "$(basename "$exe") has no AVX2 kernels at all"
  echo "ok: $(basename "$exe"): AVX only in attn::kernels::avx2 / avx512 ($inside FMA instructions there)"
done

args=(attention "$MODEL" --text "The robot delivered the mail after it was fixed." --layer 1)
native=$("$BIN/attnlab-cli" "${args[@]}")
old=$(qemu-x86_64 -cpu Nehalem "$BIN/attnlab-cli" info "$MODEL") || fail "attnlab-cli info died on a CPU without AVX"
grep -q "^kernels *scalar, [0-9]* threads\?$" <<< "$old" || fail "without AVX the CLI should say 'kernels scalar':
$old"
emulated=$(qemu-x86_64 -cpu Nehalem "$BIN/attnlab-cli" "${args[@]}") || fail "attnlab-cli attention died on a CPU without AVX"
python3 - "$native" "$emulated" <<'PY' || fail "the plain kernels' attention differs from the native run"
import json, sys
a, b = (json.loads(s)["attention"] for s in sys.argv[1:3])
worst = max(abs(x - y) for ha, hb in zip(a, b) for ra, rb in zip(ha["weights"], hb["weights"]) for x, y in zip(ra, rb))
assert len(a) == len(b) > 0 and worst < 1e-4, worst
print("ok: on a CPU without AVX (qemu Nehalem): kernels scalar, %d heads' attention within %.1e of native" % (len(a), worst))
PY
new=$(qemu-x86_64 -cpu Haswell "$BIN/attnlab-cli" info "$MODEL" 2>/dev/null) || fail "attnlab-cli info died on an AVX2 CPU"
grep -q "^kernels *avx2, [0-9]* threads\?$" <<< "$new" || fail "with AVX2 the CLI should say 'kernels avx2':
$new"
echo "ok: on an AVX2 CPU (qemu Haswell): kernels avx2"
