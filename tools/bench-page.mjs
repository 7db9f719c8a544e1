#!/usr/bin/env node
// Speed of the web page, measured in headless Chromium (Debian's) from localhost:
//
//   node tools/bench-page.mjs [--site build/web/site] [--runs 3] [--query redraw=full]
//
// first frame      navigation start → the app's first frame on screen (cold: no HTTP cache,
//                  no service worker), with the bundled model loaded
// interactive      navigation start → the first hover over a token answered by the figure
// app code size    attnlab.wasm + attnlab.js + strings.js + loader.js + index.html + style.css + sw.js,
//                  raw and gzip (the model and the font are not code)
// hover frames     while the pointer sweeps a 12-token sentence in 11.2's model mode, each frame
//                  the app draws: its own time on the page's main thread (UI + attention + GL
//                  submission), and that time plus the wait until the GPU has drawn it (a GL
//                  state query right after the frame, from the bench, not the app)
// empty frame      a WebGL2 canvas of the same size that only clears, timed to the GPU's finish
//                  the same way, in the same browser: the floor under every frame (headless
//                  Chromium rasterises with SwiftShader on the CPU, so on these machines frames
//                  are fill-rate bound, not app bound)
// GPU per frame    for the hover sweep and the empty frames, the GPU process's busy time per
//                  frame it showed (a Chromium trace): the like-for-like ratio. Headless, every
//                  frame shown is composited and read back on the CPU (~10 ms at 1280×900 here),
//                  so a frame that waits behind the one before reads far slower to the GPU's
//                  finish than one drawn on an idle GPU, as the empty frames are
// baseline page    a page that only instantiates a wasm of the app's size and clears a WebGL2
//                  canvas of the same size, loaded the same way: what any such app costs here
// slow links       Chromium's network throttled (CDP: 8 and 20 Mbit/s, 40 ms latency), cold:
//                  "usable" = the app's first frame (11.1, the 11.2 toy and the 11.3 calculators
//                  work from then on, the model still downloading); "model figures" = the model
//                  loaded, and how long after its last byte arrived; the baseline page likewise
// phases           where the first frame's time goes, from the performance marks before it (each
//                  phase from the latest earlier mark: the compile may end before the check)
// Each figure is printed with its target and the ratio figure / target (< 1 is within target).
// Timings depend on the machine; compare ratios measured in the same run.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { arg, launchChromium, root, startServer } from '../tests/browser/lib.mjs';

const site = path.resolve(arg('--site', path.join(root, 'build/web/site')));
const runs = Number(arg('--runs', '3'));
// Extra URL parameters for the app's runs, e.g. --query redraw=full (every frame drawn whole).
const query = arg('--query', '') ? `${arg('--query')}&` : '';
const SENTENCE = 'The robot delivered the mail after it was fixed by the tired engineer.';
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(s.length * p))]; };

const codeFiles = ['attnlab.wasm', 'attnlab.js', 'strings.js', 'loader.js', 'index.html', 'style.css', 'sw.js'];
let raw = 0, gz = 0;
for (const f of codeFiles) {
  const bytes = fs.readFileSync(path.join(site, f));
  raw += bytes.length;
  gz += zlib.gzipSync(bytes, { level: 9 }).length;
}

const server = await startServer(site);
const browser = await launchChromium();
const first = [], interactive = [], hover = [], hoverGpu = [], hoverUi = [], empty = [], baseline = [];
const gpuHover = [], gpuEmpty = [];  // the GPU process's time per frame shown (gpuPerFrame)

// The GPU process's busy time per frame it presented while `act` ran, from a Chromium trace:
// its main thread's tasks (WebGL commands, SwiftShader rasterising, compositing the page and,
// headless, reading each frame back) over its SwapBuffers. The state-query timing above says
// when one frame was done; this says what every frame cost, whatever the pacing (a backlog of
// frames shows in the first, not in the second).
async function gpuPerFrame(page, act) {
  await browser.startTracing(page, { categories: ['toplevel', 'gpu', 'viz'] });
  await act();
  const trace = JSON.parse((await browser.stopTracing()).toString());
  const events = trace.traceEvents || trace;
  const gpuMain = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args.name === 'CrGpuMain')
    .map((e) => `${e.pid}:${e.tid}`));
  let busy = 0, swaps = 0;
  for (const e of events) {
    if (e.ph !== 'X' || !gpuMain.has(`${e.pid}:${e.tid}`)) continue;
    if (e.name === 'ThreadControllerImpl::RunTask') busy += e.dur / 1000;
    if (e.name === 'SkiaOutputSurfaceImplOnGpu::SwapBuffers') swaps++;
  }
  return swaps ? busy / swaps : NaN;
}
// Where the first frame's time goes: the page's and the app's performance marks, in order
// (web/loader.js, engine/app/gui_main.cpp StartupMark); each phase ends at its mark.
const PHASES = [
  ['attnlab-checked', 'page and scripts loaded, browser checked (its first WebGL2 context)'],
  ['attnlab-compiled', 'wasm compiled as it downloads (beside the check: 0 when it ends first)'],
  ['attnlab-code', 'font downloaded too'],
  ['attnlab-cpp-main', 'runtime started, main() entered'],
  ['attnlab-window', 'GLFW window and WebGL context'],
  ['attnlab-imgui', 'ImGui, its GL backend and the heatmap shader set up'],
  ['attnlab-fonts', 'font atlas built (CJK glyphs, two sizes)'],
  ['attnlab-gl-ready', 'shaders compiled, font atlas uploaded'],
  ['attnlab-loop', 'main loop started (the first animation frame)'],
  ['attnlab-ui', 'the first UI built'],
  ['attnlab-first-frame', 'drawn and shown'],
];
const phases = [];  // per run: each mark's time
const slow = { 8: { usable: [], model: [], after: [], base: [] }, 20: { usable: [], model: [], after: [], base: [] } };

// The baseline page, served at a made-up address next to the app (so it fetches the same
// attnlab.wasm from the same server): fetch, compile and instantiate (stub imports), clear.
const BASELINE_HTML = `<!doctype html><body style="margin:0"><canvas id="c" style="width:100vw;height:100vh;display:block"></canvas>
<script>(async () => {
  const bytes = await (await fetch('attnlab.wasm')).arrayBuffer();
  const m = await WebAssembly.compile(bytes);
  const imports = {};
  for (const i of WebAssembly.Module.imports(m)) {
    imports[i.module] = imports[i.module] || {};
    imports[i.module][i.name] = i.kind === 'function' ? () => 0 : i.kind === 'memory' ? new WebAssembly.Memory({ initial: 256 })
      : i.kind === 'table' ? new WebAssembly.Table({ initial: 8192, element: 'anyfunc' }) : new WebAssembly.Global({ value: 'i32', mutable: true }, 0);
  }
  try { await WebAssembly.instantiate(m, imports); } catch (e) { /* a stub that does not link still compiled */ }
  const c = document.getElementById('c');
  c.width = Math.round(innerWidth * devicePixelRatio); c.height = Math.round(innerHeight * devicePixelRatio);
  const gl = c.getContext('webgl2', { antialias: false, depth: false, stencil: false, alpha: false });
  gl.clearColor(0.97, 0.97, 0.96, 1); gl.clear(gl.COLOR_BUFFER_BIT);
  requestAnimationFrame(() => performance.mark('baseline-first-frame'));
})();</script>`;

async function openPage(mbit, url) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, serviceWorkers: 'block' });
  const page = await context.newPage();
  await page.route('**/__baseline.html', (r) => r.fulfill({ contentType: 'text/html', body: BASELINE_HTML }));
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  if (mbit) {
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 40, downloadThroughput: mbit * 1e6 / 8, uploadThroughput: mbit * 1e6 / 8 });
  }
  await page.goto(url);
  return { context, page };
}
const mark = (page, name) => page.waitForFunction((n) => performance.getEntriesByName(n).length > 0, name, { timeout: 180000 })
  .then(() => page.evaluate((n) => performance.getEntriesByName(n)[0].startTime, name));
let tokens = 0;
try {
  for (let r = 0; r < runs; r++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, serviceWorkers: 'block' });
    const page = await context.newPage();
    const url = `${server.url}?${query}section=self-attention&layer=1&head=0&sentence=${encodeURIComponent(SENTENCE)}`;
    await page.goto(url);
    await page.waitForFunction(() => window.Module && window.Module.attnlabModelSettled === true, null, { timeout: 120000 });
    first.push(await page.evaluate(() => performance.getEntriesByName('attnlab-first-frame')[0].startTime));
    phases.push(await page.evaluate((names) => names.map((n) => performance.getEntriesByName(n)[0]?.startTime ?? NaN), PHASES.map(([n]) => n)));
    // Interactive: hover the last token; done when the figure has selected it.
    const st = await page.evaluate(() => window.attnlab.state());
    const sa = st.panels.self_attention;
    tokens = sa.tokens.length;
    const box = await page.evaluate(() => { const c = document.getElementById('canvas'); const b = c.getBoundingClientRect(); return { dpr: c.width / b.width, left: b.left, top: b.top }; });
    const center = (i) => { const h = st.hotspots[`sa-token-${i}`]; return { x: box.left + (h[0] + h[2]) / 2 / box.dpr, y: box.top + (h[1] + h[3]) / 2 / box.dpr }; };
    const target = tokens - 2;
    await page.mouse.move(center(target).x - 3, center(target).y);
    await page.mouse.move(center(target).x, center(target).y);
    await page.waitForFunction((t) => window.attnlab.state().panels.self_attention.selected === t, target, { timeout: 20000 });
    interactive.push(await page.evaluate(() => performance.now()));
    // Hover sweep: the app's frame time for every frame while the pointer crosses the tokens.
    // This callback runs after the app's own in the same animation frame; a state query the
    // browser must ask the GPU process (the scissor box, through WebGL's own getParameter, not
    // the page's copy: web/loader.js) returns once the GPU has drawn everything before it.
    await page.evaluate(() => {
      window.__frames = [];
      let last = -1;
      const gl = document.getElementById('canvas').getContext('webgl2');
      const tick = () => {
        const s = window.attnlab.state();
        if (s.frame !== last) {
          last = s.frame;
          const t0 = performance.now();
          WebGL2RenderingContext.prototype.getParameter.call(gl, gl.SCISSOR_BOX);
          window.__frames.push([s.frame_ms, s.ui_ms, s.frame_ms + performance.now() - t0]);
        }
        if (window.__frames.length < 400) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    const sweep = async () => {
      for (let i = 0; i < tokens; i++) {
        const p = center(i);
        await page.mouse.move(p.x, p.y, { steps: 3 });
      }
    };
    for (let n = 0; n < 3; n++) await sweep();
    // Then the GPU process's cost per frame, traced over two more sweeps (tracing slows the
    // browser, so the timings above are taken without it).
    gpuHover.push(await gpuPerFrame(page, async () => { await sweep(); await sweep(); }));
    for (const [f, u, g] of (await page.evaluate(() => window.__frames)).slice(2)) { hover.push(f); hoverUi.push(u); hoverGpu.push(g); }
    await context.close();
  }
  // The baseline page and the slow links, interleaved with each other run by run.
  for (let r = 0; r < runs; r++) {
    let { context, page } = await openPage(0, `${server.url}__baseline.html`);
    baseline.push(await mark(page, 'baseline-first-frame'));
    await context.close();
    for (const mbit of [8, 20]) {
      ({ context, page } = await openPage(mbit, `${server.url}?section=sequence`));
      slow[mbit].usable.push(await mark(page, 'attnlab-first-frame'));
      const modelReady = await mark(page, 'attnlab-model-ready');
      const arrived = await page.evaluate(() => performance.getEntriesByType('resource').find((e) => e.name.endsWith('.gguf')).responseEnd);
      slow[mbit].model.push(modelReady);
      slow[mbit].after.push(modelReady - arrived);
      await context.close();
      ({ context, page } = await openPage(mbit, `${server.url}__baseline.html`));
      slow[mbit].base.push(await mark(page, 'baseline-first-frame'));
      await context.close();
    }
  }
  // The browser's own floor: a WebGL2 canvas of the same size that only clears, timed the way
  // the app's frame ends (a state query waits for the GPU, here SwiftShader, to finish).
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.setContent('<body style="margin:0"><canvas id="c" width="1280" height="900"></canvas></body>');
  const emptyFrames = (count) => page.evaluate((n) => new Promise((done) => {
    const gl = document.getElementById('c').getContext('webgl2', { antialias: false, depth: false, stencil: false, alpha: false });
    const times = [];
    const frame = () => {
      const t0 = performance.now();
      gl.clearColor(Math.random(), 0.5, 0.5, 1);
      gl.clear(gl.COLOR_BUFFER_BIT);
      gl.getParameter(gl.SCISSOR_BOX);
      times.push(performance.now() - t0);
      if (times.length < n) requestAnimationFrame(frame); else done(times.slice(10));
    };
    requestAnimationFrame(frame);
  }), count);
  empty.push(...await emptyFrames(200));
  gpuEmpty.push(await gpuPerFrame(page, () => emptyFrames(100)));
  await context.close();
} finally {
  await browser.close();
  server.proc.kill();
}

const rows = [
  ['first frame (ms, median of runs)', median(first), 1000],
  ['  the baseline page\'s first frame (ms)', median(baseline), 1000],
  ['  app ÷ baseline page', median(first) / median(baseline), 1.5],
  ...[8, 20].flatMap((mbit) => [
    [`${mbit} Mbit/s, 40 ms: usable (first frame, ms)`, median(slow[mbit].usable), mbit === 8 ? 4000 : 4000],
    [`  the baseline page's first frame (ms)`, median(slow[mbit].base), 4000],
    [`  model figures ready (ms)`, median(slow[mbit].model), 30000],
    [`  of which after the model's last byte (ms)`, median(slow[mbit].after), 1000],
  ]),
  ['interactive (ms, median of runs)', median(interactive), 2000],
  ['app code, raw (MB)', raw / 1e6, 2],
  ['app code, gzip (MB)', gz / 1e6, 2],
  [`hover frame to the GPU's finish, median (ms; ${tokens} tokens, ${hover.length} frames)`, median(hoverGpu), 16],
  ["hover frame to the GPU's finish, p95 (ms)", pct(hoverGpu, 0.95), 16],
  ['  of which on the main thread, median (ms)', median(hover), 16],
  ['  on the main thread, p95 (ms)', pct(hover, 0.95), 16],
  ['  of which building the UI, median (ms)', median(hoverUi), 16],
  ['an empty WebGL2 frame in this browser, median (ms)', median(empty), 16],
  ['GPU process per frame shown, hover sweep (ms, median of runs)', median(gpuHover), 16],
  ['GPU process per frame shown, empty frames (ms)', median(gpuEmpty), 16],
];
console.log(`page bench: ${runs} cold runs, ${site}`);
console.log('figure'.padEnd(58) + 'value'.padStart(10) + 'target'.padStart(10) + 'ratio'.padStart(8));
for (const [name, v, t] of rows) console.log(name.padEnd(58) + v.toFixed(2).padStart(10) + String(t).padStart(10) + (v / t).toFixed(2).padStart(8));
console.log(`hover frame / empty frame, GPU process per frame shown: ${(median(gpuHover) / median(gpuEmpty)).toFixed(2)} ` +
            `(what a hover frame costs above the browser's floor; target 2)`);
console.log(`hover frame / empty frame, to the GPU's finish: ${(median(hoverGpu) / median(empty)).toFixed(2)} ` +
            '(the app waits behind earlier frames, the empty page at 60 Hz does not)');
console.log(`first frame runs: ${first.map((x) => x.toFixed(0)).join(', ')} ms; interactive runs: ${interactive.map((x) => x.toFixed(0)).join(', ')} ms`);
console.log('where the first frame\'s time goes (median of runs, ms):');
PHASES.forEach(([name, what], i) => {
  const d = median(phases.map((p) => Math.max(0, p[i] - Math.max(0, ...p.slice(0, i)))));  // from the latest mark before
  console.log(`  ${name.replace('attnlab-', '').padEnd(12)} ${d.toFixed(0).padStart(6)}  ${what}`);
});
