// The peer's side natively: llama.cpp through node-llama-cpp (its prebuilt CPU binary), driven
// like ours.cpp — the prompt ids as one batch until the first greedy token (prefill), then
// `gen` greedy one-token steps (decode); one untimed warm-up run, then `runs` timed ones.
//
//   node llama.mjs MODEL.gguf IDS_FILE [--threads 1] [--gen 128] [--runs 3]   one JSON line
//
// Two clocks per run: `js_*` is performance.now() around node-llama-cpp's async calls (N-API,
// promises and its sampler included); `prefill_ms` / `decode_ms` are llama.cpp's own counters
// (llama_perf: its batch evaluations only), the fairer number for llama.cpp itself.
import fs from 'node:fs';
import { getLlama, LlamaLogLevel } from 'node-llama-cpp';

const [modelPath, idsFile, ...rest] = process.argv.slice(2);
const flag = (name, fallback) => { const i = rest.indexOf(name); return i >= 0 ? Number(rest[i + 1]) : fallback; };
const threads = flag('--threads', 1), gen = flag('--gen', 128), runs = flag('--runs', 3);
const ids = fs.readFileSync(idsFile, 'utf8').trim().split(/\s+/).map(Number);

const perfLines = [];
const llama = await getLlama({
  gpu: false, build: 'never', progressLogs: false, maxThreads: threads, logLevel: LlamaLogLevel.info,
  logger: (level, message) => {
    if (/perf_context_print/.test(message)) perfLines.push(String(message));
    else if (level === 'error' || level === 'fatal') console.error(message);
  },
});
const t0 = performance.now();
const model = await llama.loadModel({ modelPath, gpuLayers: 0 });
const context = await model.createContext({
  contextSize: 1024, sequences: 1, threads: { ideal: threads, min: threads }, performanceTracking: true,
});
const loadMs = performance.now() - t0;
const seq = context.getSequence();

// llama_perf of the last run (its counters restart when the KV cache is cleared).
async function llamaPerf() {
  perfLines.length = 0;
  await context.printTimings();
  const find = (re) => perfLines.map((l) => l.match(re)).find(Boolean);
  const p = find(/prompt eval time =\s*([\d.]+) ms \/\s*(\d+) tokens/), e = find(/\beval time =\s*([\d.]+) ms \/\s*(\d+) runs/);
  return { prefill: p ? +p[1] : NaN, promptN: p ? +p[2] : 0, decode: e ? +e[1] : NaN, evalN: e ? +e[2] : 0 };
}

const out = { engine: 'llama.cpp', via: 'node-llama-cpp 3.21.1', threads, prompt_n: ids.length, gen_n: gen,
  load_ms: +loadMs.toFixed(1), prefill_ms: [], decode_ms: [], js_prefill_ms: [], js_decode_ms: [], first_tokens: [] };
for (let r = 0; r <= runs; r++) {
  await seq.clearHistory();
  const it = seq.evaluate(ids, { temperature: 0, yieldEogToken: true })[Symbol.asyncIterator]();
  const a = performance.now();
  let next = await it.next();                  // the prompt batch and the first greedy token
  const b = performance.now();
  for (let k = 0; k < gen; k++) {
    if (r === 0 && k < 8) out.first_tokens.push(next.value);
    next = await it.next();
  }
  const c = performance.now();
  await it.return();
  const perf = await llamaPerf();
  if (r === 0) continue;                       // the warm-up run
  if (perf.promptN !== ids.length || perf.evalN !== gen) out.warning = `llama_perf counted ${perf.promptN} prompt tokens, ${perf.evalN} evals`;
  out.prefill_ms.push(perf.prefill); out.decode_ms.push(perf.decode);
  out.js_prefill_ms.push(+(b - a).toFixed(3)); out.js_decode_ms.push(+(c - b).toFixed(3));
}
out.flash_attention = context.flashAttention ?? null;
console.log(JSON.stringify(out));
await context.dispose();
await model.dispose();
await llama.dispose();
