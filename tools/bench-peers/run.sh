#!/usr/bin/env bash
# Our engine next to llama.cpp on this machine, then the interop check and the table.
#
#   tools/bench-peers/run.sh           full: 5 native pairs, 3 web pairs, 3 timed runs each
#   QUICK=1 tools/bench-peers/run.sh   quick: 3 native pairs (2 runs), 2 web pairs (1 run)
#
# env: PAIRS / WEB_PAIRS   trials of each side, taken in turns (native / in Chromium)
#      RUNS / WEB_RUNS     timed runs per process or page, after one untimed warm-up
#      MODEL               the GGUF both sides run (default models/gpt2-124m-q8_0.gguf)
#      T2_TIMEOUT          seconds before a 2-thread llama.cpp trial is given up (default 180). That
#                          trial has one timed run: ggml's threads spin at every barrier, and on
#                          2 cores shared with other jobs a preempted thread stalls the other
#      WEB=0, INTEROP=0    leave out the browser trials / the interop check
#      T2=0                leave out the 2-thread trials (1 thread against 1 thread only)
#      TYPES               model types setup.sh makes (default q8_0; e.g. "q8_0 q4_0 f16")
# Results: results/DATE/{native,web,interop,load}.jsonl and table.txt (node report.mjs DIR).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"; cd "$here"
./setup.sh
if [ "${QUICK:-0}" = 1 ]; then PAIRS=${PAIRS:-3} WEB_PAIRS=${WEB_PAIRS:-2} RUNS=${RUNS:-2} WEB_RUNS=${WEB_RUNS:-1}; fi
PAIRS=${PAIRS:-5} WEB_PAIRS=${WEB_PAIRS:-3} RUNS=${RUNS:-3} WEB_RUNS=${WEB_RUNS:-$RUNS}
MODEL=${MODEL:-models/gpt2-124m-q8_0.gguf}
out="results/$(date +%Y%m%d-%H%M%S)"; mkdir -p "$out"
start=$(date +%s)
load() { printf '{"at":"%s","load":"%s","s":%d}\n' "$1" "$(cut -d' ' -f1-3 /proc/loadavg)" $(( $(date +%s) - start )) >> "$out/load.jsonl"; }

# One native trial: the driver's JSON line wrapped with its side and pair, or the error.
trial() {
  local side=$1 pair=$2; shift 2
  local line rc=0
  "$@" > "$out/stdout.txt" 2> "$out/stderr.txt" || rc=$?
  line=$(grep '^{' "$out/stdout.txt" | tail -1 || true)
  if [ $rc = 0 ] && [ -n "$line" ]; then
    printf '{"side":"%s","pair":%d,"result":%s}\n' "$side" "$pair" "$line" >> "$out/native.jsonl"
  else
    [ $rc = 124 ] && echo "timed out" >> "$out/stderr.txt"
    printf '{"side":"%s","pair":%d,"error":%s}\n' "$side" "$pair" \
      "$(node -p 'JSON.stringify(`exit ${process.argv[1]}: ` + require("fs").readFileSync(process.argv[2], "utf8").slice(-400))' $rc "$out/stderr.txt")" >> "$out/native.jsonl"
  fi
  echo "  pair $pair $side: $(tail -1 "$out/native.jsonl" | cut -c1-160)"
}

echo "== native: $PAIRS pairs, $RUNS runs each, $(basename "$MODEL")"
load "native start"
for ((p = 0; p < PAIRS; p++)); do
  order=(ours-t1 llama-t1 ours-t2 llama-t2)
  (( p % 2 )) && order=(llama-t2 ours-t2 llama-t1 ours-t1)   # who goes first alternates
  if [ "${T2:-1}" = 0 ]; then order=(ours-t1 llama-t1); (( p % 2 )) && order=(llama-t1 ours-t1); fi
  for side in "${order[@]}"; do
    t=${side#*-t}
    case $side in
      ours-*)  trial "$side" "$p" env ATTNLAB_THREADS="$t" build/ours bench "$MODEL" build/prompt.ids --runs "$RUNS" ;;
      llama-t1) trial "$side" "$p" node llama.mjs "$MODEL" build/prompt.ids --threads 1 --runs "$RUNS" ;;
      llama-t2) trial "$side" "$p" timeout "${T2_TIMEOUT:-180}" node llama.mjs "$MODEL" build/prompt.ids --threads 2 --runs 1 ;;
    esac
  done
done
load "native end"

if [ "${WEB:-1}" = 1 ]; then
  echo "== Chromium: $WEB_PAIRS pairs, $WEB_RUNS runs each"
  load "web start"
  node web.mjs "$MODEL" build/prompt.ids --pairs "$WEB_PAIRS" --runs "$WEB_RUNS" | tee "$out/web.jsonl" | cut -c1-160
  load "web end"
fi

if [ "${INTEROP:-1}" = 1 ]; then
  echo "== interop: llama.cpp loads each GGUF; next-token distributions for the same 64 ids"
  node interop.mjs build/prompt.ids "$here/../../assets/attnlab-demo-gpt2-q8_0.gguf" models/*.gguf > "$out/interop.jsonl"
fi

echo "== $(( $(date +%s) - start )) s"
rm -f "$out/stdout.txt" "$out/stderr.txt"
node report.mjs "$out" | tee "$out/table.txt"
