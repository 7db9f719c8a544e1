// The table of a run: node report.mjs results/DATE
//
// Speeds are tokens per second: prefill = 64 prompt tokens / the time to the first greedy
// token, decode = 128 one-token steps / their time. Each trial (a process or a page) counts the
// median of its timed runs. Trials are taken in pairs, and the ratio is ours / peer within
// each pair (> 1: ours is faster); the row's figure is the median ratio over the pairs, set
// against the issue's target. Other jobs share the machine: trust the ratios, not the speeds.
import fs from 'node:fs';
import path from 'node:path';

const dir = process.argv[2];
const read = (name) => {
  const file = path.join(dir, name);
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l)) : [];
};
const median = (xs) => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b), m = s.length >> 1;
  return s.length ? (s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2) : NaN;
};
const fmt = (x, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');

// Web rows carry their result inline, native rows under `result`.
const native = read('native.jsonl').map((r) => ({ ...r, ...r.result }));
const web = read('web.jsonl');
const trials = [...native, ...web];
const speed = (r, key, n) => (r && !r.error && r[key]?.length ? (r[n] * 1000) / median(r[key]) : NaN);

const table = [['tokens/s: median of the trials', 'ours tok/s', 'peer tok/s', 'ours/peer per pair', 'median', 'target', '']];
function row(label, rows, ours, peer, what, { peerKey = `${what}_ms`, target } = {}) {
  const n = what === 'prefill' ? 'prompt_n' : 'gen_n';
  const pairs = [...new Set(rows.map((r) => r.pair))].sort((a, b) => a - b);
  const find = (side, p) => rows.find((r) => r.side === side && r.pair === p);
  const a = pairs.map((p) => speed(find(ours, p), `${what}_ms`, n));
  const b = pairs.map((p) => speed(find(peer, p), peerKey, n));
  const ratios = a.map((x, i) => x / b[i]);
  const m = median(ratios);
  const verdict = !target || !Number.isFinite(m) ? '' : m >= target ? 'meets' : 'BELOW';
  table.push([label, fmt(median(a), 0), fmt(median(b), 0), ratios.map((x) => fmt(x)).join(' '), fmt(m), target ? `>= ${target.toFixed(1)}` : '', verdict]);
}

if (native.length) {
  table.push([`NATIVE, ${native.find((r) => r.weights)?.weights ?? ''} GPT-2-124M shape`]);
  row('prefill 64: ours 1 thr / llama.cpp 1 thr', native, 'ours-t1', 'llama-t1', 'prefill', { target: 1.0 });
  row('decode 128: ours 1 thr / llama.cpp 1 thr', native, 'ours-t1', 'llama-t1', 'decode', { target: 1.0 });
  row('prefill 64: ours 2 thr / ours 1 thr', native, 'ours-t2', 'ours-t1', 'prefill', { target: 1.3 });
  row('decode 128: ours 2 thr / ours 1 thr', native, 'ours-t2', 'ours-t1', 'decode');
  row('prefill 64: ours 2 thr / llama.cpp 2 thr', native, 'ours-t2', 'llama-t2', 'prefill', { target: 1.0 });
  row('decode 128: ours 2 thr / llama.cpp 2 thr', native, 'ours-t2', 'llama-t2', 'decode', { target: 1.0 });
  table.push(['  the same 1-thread rows with llama.cpp timed in JS (node-llama-cpp\'s overhead included):']);
  row('  prefill 64, 1 thr', native, 'ours-t1', 'llama-t1', 'prefill', { peerKey: 'js_prefill_ms' });
  row('  decode 128, 1 thr', native, 'ours-t1', 'llama-t1', 'decode', { peerKey: 'js_decode_ms' });
}
if (web.length) {
  table.push([`WEB, headless Chromium ${web.find((r) => r.browser)?.browser ?? ''}, 1 thread each`]);
  row('prefill 64: ours wasm / wllama 3.13', web, 'ours', 'wllama', 'prefill', { target: 2.5 });
  row('decode 128: ours wasm / wllama 3.13', web, 'ours', 'wllama', 'decode', { target: 2.5 });
  if (web.some((r) => r.side === 'ours-mt')) {
    row('prefill 64: ours wasm threads / 1 thread', web, 'ours-mt', 'ours', 'prefill');
    row('decode 128: ours wasm threads / 1 thread', web, 'ours-mt', 'ours', 'decode');
  }
}
const width = table[0].map((_, i) => Math.max(...table.filter((r) => r.length > 1).map((r) => String(r[i]).length)));
table.splice(1, 0, width.map((w) => '-'.repeat(w)));
for (const r of table) console.log(r.length === 1 ? r[0] : r.map((c, i) => String(c).padEnd(width[i])).join(' | ').trimEnd());

const interop = read('interop.jsonl');
if (interop.length) {
  console.log('\nINTEROP: llama.cpp (node-llama-cpp 3.21.1) loads each file; the next token after 16, 24, … 64 of the same ids (target: no warning, same top-5, KL <= 0.001; the median over the positions)');
  for (const r of interop) {
    const verdict = r.loaded && !r.warnings.length && r.same_top5 && r.kl <= 0.001 ? 'meets' : 'BELOW';
    console.log(`  ${r.model.padEnd(30)} ${r.loaded ? 'loaded' : `NOT LOADED (${r.error})`}; ` +
                `${r.warnings.length ? `${r.warnings.length} warning line(s), first: ${r.warnings[0]}` : 'no warning'}; ` +
                (r.loaded ? `top-5 ${r.same_top5 ? 'same' : `differs at ${(r.positions?.length ?? 1) - (r.same_top5_at ?? 0)} position(s) (after all: llama ${r.llama_top5} / ours ${r.ours_top5})`}; ` +
                            `KL ${r.kl}${r.kl_at ? ` (median; by position ${r.kl_at.join(' ')})` : ''}; max |d log p| ${r.max_abs_dlogp}; ` : '') + verdict);
  }
}
console.log('\nload average (1, 5, 15 min):');
for (const l of read('load.jsonl')) console.log(`  ${l.at.padEnd(13)} ${l.load}${l.s === undefined ? "" : `   (${l.s} s into the run)`}`);
const failed = trials.filter((r) => r.error);
if (failed.length) console.log('\nfailed trials:\n' + failed.map((r) => `  pair ${r.pair} ${r.side}: ${String(r.error).trim().split('\n').pop().slice(0, 200)}`).join('\n'));
