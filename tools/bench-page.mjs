#!/usr/bin/env node
// Speed of the web page, measured in headless Chromium (Debian's) from localhost:
//
//   node tools/bench-page.mjs [--site build/web/site] [--runs 3]
//
// first frame      navigation start → the app's first frame on screen (cold: no HTTP cache,
//                  no service worker), with the bundled model loaded
// interactive      navigation start → the first hover over a token answered by the figure
// app code size    attnlab.wasm + attnlab.js + loader.js + index.html + style.css + sw.js,
//                  raw and gzip (the model and the font are not code)
// hover frames     the app's own CPU time per frame (UI + attention + GL submission) while the
//                  pointer sweeps a 12-token sentence in 11.2's model mode: median and p95
// empty frame      a WebGL2 canvas of the same size that only clears, in the same browser: the
//                  floor under every frame (headless Chromium rasterises with SwiftShader on the
//                  CPU, so on these machines frames are fill-rate bound, not app bound)
// Each figure is printed with its target and the ratio figure / target (< 1 is within target).
// Timings depend on the machine; compare ratios measured in the same run.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { arg, launchChromium, root, startServer } from '../tests/browser/lib.mjs';

const site = path.resolve(arg('--site', path.join(root, 'build/web/site')));
const runs = Number(arg('--runs', '3'));
const SENTENCE = 'The robot delivered the mail after it was fixed by the tired engineer.';
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(s.length * p))]; };

const codeFiles = ['attnlab.wasm', 'attnlab.js', 'loader.js', 'index.html', 'style.css', 'sw.js'];
let raw = 0, gz = 0;
for (const f of codeFiles) {
  const bytes = fs.readFileSync(path.join(site, f));
  raw += bytes.length;
  gz += zlib.gzipSync(bytes, { level: 9 }).length;
}

const server = await startServer(site);
const browser = await launchChromium();
const first = [], interactive = [], hover = [], hoverUi = [], empty = [];
let tokens = 0;
try {
  for (let r = 0; r < runs; r++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, serviceWorkers: 'block' });
    const page = await context.newPage();
    const url = `${server.url}?section=self-attention&layer=1&head=0&sentence=${encodeURIComponent(SENTENCE)}`;
    await page.goto(url);
    await page.waitForFunction(() => window.Module && window.Module.attnlabReady === true, null, { timeout: 120000 });
    first.push(await page.evaluate(() => performance.getEntriesByName('attnlab-first-frame')[0].startTime));
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
    await page.evaluate(() => {
      window.__frames = [];
      let last = -1;
      const tick = () => {
        const s = window.attnlab.state();
        if (s.frame !== last) { last = s.frame; window.__frames.push([s.frame_ms, s.ui_ms]); }
        if (window.__frames.length < 400) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    for (let sweep = 0; sweep < 3; sweep++) {
      for (let i = 0; i < tokens; i++) {
        const p = center(i);
        await page.mouse.move(p.x, p.y, { steps: 3 });
      }
    }
    for (const [f, u] of (await page.evaluate(() => window.__frames)).slice(2)) { hover.push(f); hoverUi.push(u); }
    await context.close();
  }
  // The browser's own floor: a WebGL2 canvas of the same size that only clears, timed the way
  // the app's frame ends (a state query waits for the GPU, here SwiftShader, to finish).
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.setContent('<body style="margin:0"><canvas id="c" width="1280" height="900"></canvas></body>');
  empty.push(...await page.evaluate(() => new Promise((done) => {
    const gl = document.getElementById('c').getContext('webgl2', { antialias: false, depth: false, stencil: false, alpha: false });
    const times = [];
    const frame = () => {
      const t0 = performance.now();
      gl.clearColor(Math.random(), 0.5, 0.5, 1);
      gl.clear(gl.COLOR_BUFFER_BIT);
      gl.getParameter(gl.SCISSOR_BOX);
      times.push(performance.now() - t0);
      if (times.length < 200) requestAnimationFrame(frame); else done(times.slice(10));
    };
    requestAnimationFrame(frame);
  })));
  await context.close();
} finally {
  await browser.close();
  server.proc.kill();
}

const rows = [
  ['first frame (ms, median of runs)', median(first), 1000],
  ['interactive (ms, median of runs)', median(interactive), 2000],
  ['app code, raw (MB)', raw / 1e6, 2],
  ['app code, gzip (MB)', gz / 1e6, 2],
  [`hover frame, median (ms; ${tokens} tokens, ${hover.length} frames)`, median(hover), 16],
  ['hover frame, p95 (ms)', pct(hover, 0.95), 16],
  ['  of which building the UI, median (ms)', median(hoverUi), 16],
  ['an empty WebGL2 frame in this browser, median (ms)', median(empty), 16],
];
console.log(`page bench: ${runs} cold runs, ${site}`);
console.log('figure'.padEnd(58) + 'value'.padStart(10) + 'target'.padStart(10) + 'ratio'.padStart(8));
for (const [name, v, t] of rows) console.log(name.padEnd(58) + v.toFixed(2).padStart(10) + String(t).padStart(10) + (v / t).toFixed(2).padStart(8));
console.log(`hover frame / empty frame: ${(median(hover) / median(empty)).toFixed(2)} (what the figure costs above the browser's floor)`);
console.log(`first frame runs: ${first.map((x) => x.toFixed(0)).join(', ')} ms; interactive runs: ${interactive.map((x) => x.toFixed(0)).join(', ')} ms`);
