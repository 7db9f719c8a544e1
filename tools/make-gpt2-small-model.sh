#!/usr/bin/env bash
# A random GPT-2 with GPT-2 small's shape (124 M parameters, context 1024) as Q8_0, for the
# memory tests (tests/desktop/memory_budget.py, tests/browser/memory.mjs): made from a seed,
# nothing downloaded. The 500 MB safetensors in between is deleted; the GGUF (134 MB) stays
# and is reused.
#
#   tools/make-gpt2-small-model.sh OUT_DIR CLI...   (CLI: build/native/attnlab-cli, or node … attnlab-cli.js)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out=${1:?usage: make-gpt2-small-model.sh OUT_DIR CLI...}
shift
if [ -s "$out/gpt2-small-q8_0.gguf" ]; then exit 0; fi
/usr/bin/python3 "$root/tools/make-tiny-gpt2.py" --preset gpt2-124m --formats hf --seed 124 --out "$out"
"$@" convert "$out" "$out/gpt2-small-q8_0.gguf.part" --type q8_0 >/dev/null
mv "$out/gpt2-small-q8_0.gguf.part" "$out/gpt2-small-q8_0.gguf"
rm -f "$out/model.safetensors"
ls -la "$out"
