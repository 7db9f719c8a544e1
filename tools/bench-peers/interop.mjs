// Interop: does llama.cpp (node-llama-cpp 3.21.1, CPU) load our GGUF files without a warning,
// and does it compute the same next-token distribution as our engine for the same ids?
//
//   node interop.mjs IDS_FILE MODEL.gguf...      one JSON line per model, then a summary line
//
// Ours: `build/ours logits` (raw float32 logits → log-softmax). llama.cpp: the probabilities
// node-llama-cpp returns with a greedy sampler, the softmax of its logits over the whole
// vocabulary. KL(llama ‖ ours) = Σ p_llama · (log p_llama − log p_ours).
//
// At 7 positions (after 16, 24, … 64 of the ids), not one: at Q8_0 each engine rounds the
// activations its own way, and on a trained model one position's KL swings by 10× from position
// to position (2e-4 … 3e-3 on the demo model, each engine in turn the closer one to the
// unrounded result). The verdict reads the median; the table prints the largest as well.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { getLlama, LlamaLogLevel } from 'node-llama-cpp';

const here = path.dirname(fileURLToPath(import.meta.url));
const [idsFile, ...models] = process.argv.slice(2);
const ids = fs.readFileSync(idsFile, 'utf8').trim().split(/\s+/).map(Number);

let log = [];   // everything llama.cpp says at level warn and above, for the current model
const llama = await getLlama({ gpu: false, build: 'never', progressLogs: false, logLevel: LlamaLogLevel.warn,
                               logger: (level, message) => log.push(`[${level}] ${String(message).trim()}`) });

const POSITIONS = [16, 24, 32, 40, 48, 56, 64].filter((n) => n <= ids.length);  // prefix lengths
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

function oursLogProbs(modelPath, n) {
  const file = path.join(os.tmpdir(), `bench-peers-${process.pid}.f32`);
  const prefix = path.join(os.tmpdir(), `bench-peers-${process.pid}.ids`);
  fs.writeFileSync(prefix, ids.slice(0, n).join(' '));
  execFileSync(path.join(here, 'build/ours'), ['logits', modelPath, prefix, file], { env: { ...process.env, ATTNLAB_THREADS: '1' } });
  fs.rmSync(prefix);
  const z = new Float32Array(fs.readFileSync(file).buffer.slice(0));
  fs.rmSync(file);
  const max = z.reduce((a, b) => Math.max(a, b), -Infinity);
  const lse = max + Math.log(z.reduce((s, v) => s + Math.exp(v - max), 0));
  return Array.from(z, (v) => v - lse);
}

const rows = [];
for (const modelPath of models) {
  log = [];
  const row = { model: path.basename(modelPath) };
  try {
    const model = await llama.loadModel({ modelPath, gpuLayers: 0 });
    row.loaded = true;
    // The model's own context length (a larger one adds a warning of our making); KV=F32 in the
    // environment sets llama.cpp's KV cache type (default F16), to see what its rounding costs.
    const kv = process.env.KV ? { experimentalKvCacheKeyType: process.env.KV, experimentalKvCacheValueType: process.env.KV } : {};
    const context = await model.createContext({ contextSize: Math.min(1024, model.trainContextSize), sequences: 1, threads: 1, ...kv });
    const next = { generateNext: { probabilities: true, token: true, options: { temperature: 0 } } };
    const items = ids.map((t, i) => (POSITIONS.includes(i + 1) ? [t, next] : t));
    const evaluated = await context.getSequence().controlledEvaluate(items);
    const at = [];
    for (const n of POSITIONS) {
      const probs = evaluated[n - 1].next.probabilities;
      const ours = oursLogProbs(modelPath, n);
      let kl = 0, maxDlogp = 0;
      for (const [id, p] of probs) {
        if (p <= 0) continue;
        kl += p * (Math.log(p) - ours[id]);
        maxDlogp = Math.max(maxDlogp, Math.abs(Math.log(p) - ours[id]));
      }
      const llamaTop = [...probs.keys()].slice(0, 5);   // node-llama-cpp sorts high → low
      const oursTop = ours.map((lp, id) => [lp, id]).sort((a, b) => b[0] - a[0]).slice(0, 5).map(([, id]) => id);
      const pTop = { llama: llamaTop.map((id) => +probs.get(id).toPrecision(3)), ours: oursTop.map((id) => +Math.exp(ours[id]).toPrecision(3)) };
      at.push({ n, tokens_compared: probs.size, llamaTop, oursTop, pTop, same: llamaTop.every((id, i) => id === oursTop[i]),
                p_top1: { llama: +probs.get(llamaTop[0]).toPrecision(4), ours: +Math.exp(ours[oursTop[0]]).toPrecision(4) },
                kl, maxDlogp });
    }
    const last = at[at.length - 1];
    Object.assign(row, {
      positions: POSITIONS, tokens_compared: last.tokens_compared,
      llama_top5: last.llamaTop, ours_top5: last.oursTop,           // after all the ids
      same_top5: at.every((a) => a.same), same_top5_at: at.filter((a) => a.same).length,
      top5_differ: at.filter((a) => !a.same).map((a) => ({ n: a.n, llama: a.llamaTop, ours: a.oursTop, p: a.pTop })),
      p_top1: last.p_top1,
      kl: +median(at.map((a) => a.kl)).toPrecision(3), kl_max: +Math.max(...at.map((a) => a.kl)).toPrecision(3),
      kl_at: at.map((a) => +a.kl.toPrecision(2)), max_abs_dlogp: +Math.max(...at.map((a) => a.maxDlogp)).toPrecision(3),
    });
    await context.dispose();
    await model.dispose();
  } catch (e) {
    row.loaded = false;
    row.error = String(e?.message ?? e);
  }
  // Keep every line that says something: not the empty ones, nor the "****" frame of a banner.
  row.warnings = log.filter((l) => !/^\[\w+\] (\w+:)?\s*\**$/.test(l));
  rows.push(row);
  console.log(JSON.stringify(row));
}
for (const r of rows) {
  const verdict = r.loaded ? `top-5 ${r.same_top5 ? 'same' : 'DIFFER'} at ${r.same_top5_at} of ${r.positions.length} positions, KL median ${r.kl} (${r.kl <= 0.001 ? 'ok' : 'over 0.001'}), largest ${r.kl_max}` : `NOT LOADED: ${r.error}`;
  console.error(`interop ${r.model}: ${r.warnings.length ? `${r.warnings.length} warning line(s): ${r.warnings[0]}` : 'no warning'}; ${verdict}`);
}
