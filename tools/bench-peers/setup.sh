#!/usr/bin/env bash
# Everything run.sh needs, each step skipped when its output is already there and up to date:
#   1. the npm packages of this folder (package-lock.json): node-llama-cpp 3.21.1 with its
#      linux-x64 CPU binary, and wllama. --omit=optional leaves out node-llama-cpp's CUDA and
#      Vulkan builds (hundreds of MB, no use here).
#   2. build/ours (native) and build/ours-web.js (wasm): ours.cpp linked with the project's engine
#      library, compiled with the project's own Release flags.
#   3. the models: a random GPT-2-124M-shaped model (seed 124, as tools/make-gpt2-small-model.sh
#      makes it) as models/gpt2-124m-TYPE.gguf for each TYPE in $TYPES (default q8_0). The
#      project's Q8_0 copy in build/native is linked when present; other types need the Hugging
#      Face folder (tools/make-tiny-gpt2.py, 500 MB, a minute or two) and `attnlab-cli convert`.
#   4. build/prompt.ids: the first 64 GPT-2 ids of prompt.txt (the project's tokenizer).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"; cd "$here"
root="$(cd ../.. && pwd)"
lib="$root/build/native/libattnlab_engine.a" weblib="$root/build/web/libattnlab_engine.a" cli="$root/build/native/attnlab-cli"
for f in "$lib" "$weblib" "$cli" "$root/node_modules/playwright-core"; do
  [ -e "$f" ] || { echo "setup: $f is missing (tools/build.sh native and web, tools/install-npm.sh)" >&2; exit 1; }
done
mkdir -p build models results

[ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --omit=optional --no-audit --no-fund

flags=(-O3 -DNDEBUG -std=c++20 -I"$root/engine" -isystem /usr/include/eigen3)
if [ ! build/ours -nt ours.cpp ] || [ ! build/ours -nt "$lib" ]; then
  g++ "${flags[@]}" ours.cpp "$lib" -o build/ours
fi
if [ ! build/ours-web.js -nt ours.cpp ] || [ ! build/ours-web.js -nt "$weblib" ]; then
  # Debian's em++ needs Debian's acorn. The page calls main() itself, once per trial.
  NODE_PATH=/usr/share/nodejs em++ "${flags[@]}" -msimd128 ours.cpp "$weblib" -o build/ours-web.js \
    -sENVIRONMENT=web -sMODULARIZE=1 -sEXPORT_NAME=OursWeb -sINVOKE_RUN=0 -sFORCE_FILESYSTEM=1 \
    -sALLOW_MEMORY_GROWTH=1 -sMAXIMUM_MEMORY=4GB "-sEXPORTED_RUNTIME_METHODS=['callMain','FS']"
fi
# The threaded build (the project's -pthread engine, ATTNLAB_WEB_THREADS): as many threads as the
# page has cores, up to 4, on Web Workers (the pool of 3 is the project's ATTNLAB_WEB_WORKERS,
# which the library was compiled with); web.mjs runs it beside the single-thread one.
weblib_mt="$root/build/web/libattnlab_engine_mt.a"
if [ -e "$weblib_mt" ] && { [ ! build/ours-web-mt.js -nt ours.cpp ] || [ ! build/ours-web-mt.js -nt "$weblib_mt" ]; }; then
  NODE_PATH=/usr/share/nodejs em++ "${flags[@]}" -msimd128 -pthread ours.cpp "$weblib_mt" -o build/ours-web-mt.js \
    -sENVIRONMENT=web,worker -sMODULARIZE=1 -sEXPORT_NAME=OursWebMt -sINVOKE_RUN=0 -sFORCE_FILESYSTEM=1 \
    -sPTHREAD_POOL_SIZE=3 -sALLOW_MEMORY_GROWTH=1 -sMAXIMUM_MEMORY=4GB "-sEXPORTED_RUNTIME_METHODS=['callMain','FS']"
fi

project_q8="$root/build/native/gpt2-small-random/gpt2-small-q8_0.gguf"
for t in ${TYPES:-q8_0}; do
  out="models/gpt2-124m-$t.gguf"
  [ -s "$out" ] && continue
  if [ "$t" = q8_0 ] && [ -s "$project_q8" ]; then ln -sf "$project_q8" "$out"; continue; fi
  [ -s models/hf/model.safetensors ] ||
    /usr/bin/python3 "$root/tools/make-tiny-gpt2.py" --preset gpt2-124m --formats hf --seed 124 --out models/hf
  "$cli" convert models/hf "$out.part" --type "$t" > build/convert.log 2>&1 || { cat build/convert.log >&2; exit 1; }
  mv "$out.part" "$out"
done

if [ ! -s build/prompt.ids ]; then
  "$cli" tokenize models/gpt2-124m-q8_0.gguf --file prompt.txt --ids | tr -s ' \n' '\n' | grep . | head -64 | tr '\n' ' ' > build/prompt.ids
  [ "$(wc -w < build/prompt.ids)" = 64 ] || { echo "setup: prompt.txt gives fewer than 64 ids" >&2; rm build/prompt.ids; exit 1; }
fi
echo "setup: ready (models: $(cd models && ls *.gguf | tr '\n' ' '))"
