// The web side: our engine's wasm build (build/ours-web.js, the project's build/web library
// linked with ours.cpp) and wllama (llama.cpp's wasm build) in one headless Chromium, taken in
// turns — ours, wllama, wllama, ours, … — so that load from other jobs falls on both.
//
//   node web.mjs MODEL.gguf IDS_FILE [--pairs 2] [--runs 1] [--gen 128]   JSON lines on stdout
//
// Both run one thread on the page's side: ours is its single-thread build, wllama gets
// n_threads 1 (checked). When setup.sh has built it, our threaded build (build/ours-web-mt.js,
// every core of the page up to 4) runs in the same turns, against our single-thread one.
// Each page gets one untimed warm-up run and `runs` timed ones. Pages
// are served by a small server here with the cross-origin isolation headers wllama's wasm
// asks for; both sides get the same headers.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';   // the project's own (its node_modules, one level up)
import { getLlama, LlamaLogLevel, readGgufFileInfo } from 'node-llama-cpp';

const here = path.dirname(fileURLToPath(import.meta.url));
const [modelPath, idsFile, ...rest] = process.argv.slice(2);
const flag = (name, fallback) => { const i = rest.indexOf(name); return i >= 0 ? Number(rest[i + 1]) : fallback; };
const pairs = flag('--pairs', 2), runs = flag('--runs', 1), gen = flag('--gen', 128);
const ids = fs.readFileSync(idsFile, 'utf8').trim().split(/\s+/).map(Number);

// wllama returns the generated text as JSON, which throws on invalid UTF-8 — and a random model
// soon emits a lone byte of a multi-byte character. Those byte-fragment tokens are banned
// (logit_bias); the work per token is the same.
function byteFragmentTokens(tokens) {
  const byteOf = new Map();   // GPT-2's byte-level alphabet: printable bytes as themselves, the rest from U+0100
  for (let b = 0, extra = 0; b < 256; b++) {
    const printable = (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
    byteOf.set(String.fromCodePoint(printable ? b : 256 + extra++), b);
  }
  const strict = new TextDecoder('utf-8', { fatal: true });
  const banned = [];
  tokens.forEach((t, id) => {
    try { strict.decode(Uint8Array.from([...t], (c) => byteOf.get(c) ?? 0)); } catch { banned.push(id); }
  });
  return banned;
}
const vocab = (await readGgufFileInfo(modelPath, { readTensorInfo: false })).metadata.tokenizer.ggml.tokens;
const banned = byteFragmentTokens(vocab);

// wllama takes the prompt as text only: the text of our ids, which llama.cpp's own tokenizer
// must turn back into exactly those ids (checked here; wllama's prompt_n is checked per run).
const llama = await getLlama({ gpu: false, build: 'never', progressLogs: false, logLevel: LlamaLogLevel.error });
const tokenizer = await llama.loadModel({ modelPath, vocabOnly: true });
const text = tokenizer.detokenize(ids);
const back = Array.from(tokenizer.tokenize(text));
if (back.join(' ') !== ids.join(' ')) throw new Error(`llama.cpp tokenizes the prompt's text to ${back.length} other ids`);
await llama.dispose();

const types = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html' };
const server = http.createServer((req, res) => {
  const url = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  const file = url === '/model.gguf' ? path.resolve(modelPath) : path.join(here, path.normalize(url));
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
  if (url === '/') return res.end('<!doctype html><title>bench-peers</title>');
  if ((!file.startsWith(here) && url !== '/model.gguf') || !fs.existsSync(file)) { res.statusCode = 404; return res.end(); }
  res.setHeader('Content-Type', types[path.extname(file)] ?? 'application/octet-stream');
  fs.createReadStream(file).pipe(res);
}).listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
const base = `http://127.0.0.1:${server.address().port}/`;

// In the page: our engine, as ours.cpp's `bench` mode on MEMFS files.
async function oursInPage({ ids, runs, gen, factory }) {
  const bytes = new Uint8Array(await (await fetch('/model.gguf')).arrayBuffer());
  const lines = [];
  const M = await window[factory]({ print: (s) => lines.push(s), printErr: (s) => lines.push(s) });
  M.FS.writeFile('/model.gguf', bytes);
  M.FS.writeFile('/prompt.ids', ids.join(' '));
  M.callMain(['bench', '/model.gguf', '/prompt.ids', '--runs', String(runs), '--gen', String(gen)]);
  const json = lines.find((l) => l.startsWith('{'));
  if (!json) throw new Error(lines.join('\n'));
  return JSON.parse(json);
}

// In the page: wllama, the same prompt as a raw completion (greedy, EOS ignored, no prompt cache),
// timed by llama.cpp's own counters (prompt_ms: the batch to the first token; predicted_ms).
async function wllamaInPage({ ids, text, runs, gen, banned }) {
  const { Wllama } = await import('/node_modules/@wllama/wllama/esm/index.js');
  const quiet = () => {};
  const wllama = new Wllama({ default: '/node_modules/@wllama/wllama/esm/wasm/wllama.wasm' },
                            { logger: { debug: quiet, log: quiet, warn: quiet, error: console.error } });
  await wllama.loadModel([await (await fetch('/model.gguf')).blob()], { n_threads: 1, n_gpu_layers: 0, n_ctx: 1024, n_batch: 512 });
  if (wllama.isMultithread() && wllama.getNumThreads() !== 1) throw new Error(`wllama runs ${wllama.getNumThreads()} threads`);
  const out = { engine: 'wllama', threads: wllama.getNumThreads(), prompt_n: ids.length, gen_n: gen, prefill_ms: [], decode_ms: [] };
  for (let r = 0; r <= runs; r++) {
    // max_tokens gen + 1: the first token comes out of the prompt pass, then `gen` steps
    const res = await wllama.createCompletion({ prompt: text, max_tokens: gen + 1, temperature: 0, ignore_eos: true,
                                                cache_prompt: false, stream: false, logit_bias: banned.map((id) => [id, false]) });
    const t = res.timings;
    if (t.prompt_n !== ids.length || t.predicted_n !== gen + 1) throw new Error(`wllama ran ${t.prompt_n} prompt tokens, ${t.predicted_n} predicted`);
    if (r > 0) { out.prefill_ms.push(t.prompt_ms); out.decode_ms.push(t.predicted_ms); }
  }
  await wllama.exit();
  return out;
}

const threaded = fs.existsSync(path.join(here, 'build/ours-web-mt.js')) ? ['ours-mt'] : [];
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true,
                                        args: ['--no-sandbox', '--no-first-run', '--disable-background-networking'] });
async function run(side, pair) {
  const context = await browser.newContext();   // a fresh page and heap for every trial
  const page = await context.newPage();
  try {
    await page.goto(base);
    const ours = { ours: ['/build/ours-web.js', 'OursWeb'], 'ours-mt': ['/build/ours-web-mt.js', 'OursWebMt'] }[side];
    if (ours) await page.addScriptTag({ url: ours[0] });
    const result = await page.evaluate(ours ? oursInPage : wllamaInPage, { ids, text, runs, gen, banned, factory: ours && ours[1] });
    return { side, pair, ...result, browser: browser.version() };
  } catch (e) {
    return { side, pair, error: String(e?.message ?? e).slice(0, 500) };
  } finally {
    await context.close();
  }
}
try {
  for (let p = 0; p < pairs; p++)
    for (const side of p % 2 ? ['wllama', 'ours', ...threaded] : [...threaded, 'ours', 'wllama']) console.log(JSON.stringify(await run(side, p)));
} finally {
  await browser.close();
  server.close();
}
