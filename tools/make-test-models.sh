#!/usr/bin/env bash
# Makes the models the golden tests run on (nothing is downloaded):
#   the tiny random GPT-2 from its seed (tools/make-tiny-gpt2.py: HF folder + a GGUF written
#   by its independent Python writer), checked against the sha256 in tests/golden/model.txt,
#   then converted by our own converter to f32, q8_0 and q4_0.
#
#   tools/make-test-models.sh OUT_DIR CLI...     (CLI: build/native/attnlab-cli, or node … attnlab-cli.js)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out=${1:?usage: make-test-models.sh OUT_DIR CLI...}
shift
want=$(awk '$1 == "sha256" && $3 == "model.safetensors" {print $2}' "$root/tests/golden/model.txt")
if [ ! -f "$out/model.safetensors" ] || [ "$(sha256sum "$out/model.safetensors" | cut -d' ' -f1)" != "$want" ]; then
  /usr/bin/python3 "$root/tools/make-tiny-gpt2.py" --seed 1234 --out "$out" --formats hf,gguf-f32
fi
got=$(sha256sum "$out/model.safetensors" | cut -d' ' -f1)
if [ "$got" != "$want" ]; then
  echo "make-test-models: the tiny model drifted (sha256 $got, tests/golden/model.txt says $want)" >&2
  exit 1
fi
for type in f32 q8_0 q4_0; do
  "$@" convert "$out" "$out/ours-$type.gguf" --type "$type" 2>/dev/null
done
ls -la "$out"
