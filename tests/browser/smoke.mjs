// Browser smoke test: the web build in Debian's real Chromium (headless, WebGL2 through
// SwiftShader), driven by playwright-core, served by the project's own tools/serve.py.
//
//   node tests/browser/smoke.mjs --site build/web/site --out build/web/screenshots
//
// Checks: .wasm served as application/wasm; page loads and draws a first frame (canvas not
// blank); Chinese by default for a zh browser; clicking the language button switches the
// visible text to English; keyboard navigation; the canvas follows the window size and the device pixel ratio;
// no console errors; clear messages instead of a blank page when a file fails to load or
// WebGL2 is missing. Screenshots are saved in --out.
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { PNG } from 'pngjs';
import { arg, clickHotspot, makeChecker, root, startServer, uiState, waitFrames, waitReady } from './lib.mjs';

const site = path.resolve(arg('--site', path.join(root, 'build/web/site')));
const out = path.resolve(arg('--out', path.join(root, 'build/web/screenshots')));
fs.mkdirSync(out, { recursive: true });

const checker = makeChecker();
const { check } = checker;

// ---- helpers ---------------------------------------------------------------------------

function pngStats(buffer) {
  const png = PNG.sync.read(buffer);
  const colors = new Set();
  let sum = 0;
  let sumSq = 0;
  const n = png.width * png.height;
  for (let i = 0; i < png.data.length; i += 4) {
    const [r, g, b] = [png.data[i], png.data[i + 1], png.data[i + 2]];
    if (colors.size < 100000) colors.add((r << 16) | (g << 8) | b);
    const l = 0.299 * r + 0.587 * g + 0.114 * b;
    sum += l;
    sumSq += l * l;
  }
  const mean = sum / n;
  return { png, colors: colors.size, mean, stddev: Math.sqrt(Math.max(0, sumSq / n - mean * mean)) };
}

function pixelsDiffering(a, b, box) {
  let count = 0;
  for (let y = box.y0; y < box.y1; y++) {
    for (let x = box.x0; x < box.x1; x++) {
      const i = (y * a.width + x) * 4;
      const d = Math.abs(a.data[i] - b.data[i]) + Math.abs(a.data[i + 1] - b.data[i + 1]) + Math.abs(a.data[i + 2] - b.data[i + 2]);
      if (d > 60) count++;
    }
  }
  return count;
}

// A checkout without the bundled demo model (it is optional) gets a 404 for it: expected.
const noDemoModel = !fs.existsSync(path.join(site, 'assets', 'attnlab-demo-gpt2-q8_0.gguf'));
const expectedError = (e) => noDemoModel && /attnlab-demo-gpt2-q8_0\.gguf|status of 404/.test(e);




// Clicks the centre of a hotspot the app reports (canvas pixels -> CSS pixels).

// ---- the test --------------------------------------------------------------------------
const server = await startServer(site);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist',
         '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update',
         '--disable-sync'],
});

try {
  // 1. MIME type of the wasm (the server's job).
  const res = await fetch(server.url + 'attnlab.wasm');
  check(res.headers.get('content-type') === 'application/wasm', `attnlab.wasm served as application/wasm (got ${res.headers.get('content-type')})`);

  // 2. A Chinese browser: loads, first frame, Chinese UI.
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN', deviceScaleFactor: 1 });
  const page = await context.newPage();
  const consoleErrors = [];
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  page.on('requestfailed', (r) => consoleErrors.push(`request failed: ${r.url()}`));
  page.on('response', (r) => { if (r.status() >= 400) consoleErrors.push(`HTTP ${r.status()} for ${r.url()}`); });
  const t0 = Date.now();
  await page.goto(server.url);
  await waitReady(page);
  check(true, `first frame after ${Date.now() - t0} ms`);
  await waitFrames(page, 3);
  check(await page.locator('#loader').isHidden(), 'loader hidden after the first frame');
  check(await page.locator('#error').isHidden(), 'no error message');
  const bar = await page.evaluate(() => [document.getElementById('bar-fill').style.width, document.getElementById('loader-text').textContent]);
  check(bar[0] === '100%' && /MB/.test(bar[1]), `progress bar counted every byte before start (${bar.join(', ')})`);

  // The page's own copy of the GL state that ImGui saves and restores every frame
  // (web/loader.js, shadowGlState): set odd values, let the app draw, and the GPU must hold
  // them again afterwards, as the copy says. A wrong copy would make ImGui restore wrong ones.
  const glState = await page.evaluate(async () => {
    const gl = document.getElementById('canvas').getContext('webgl2');
    const real = (p) => WebGL2RenderingContext.prototype.getParameter.call(gl, p);
    const names = ['SCISSOR_BOX', 'BLEND_SRC_RGB', 'BLEND_DST_RGB', 'BLEND_SRC_ALPHA', 'BLEND_DST_ALPHA',
                   'BLEND_EQUATION_RGB', 'BLEND_EQUATION_ALPHA'];
    gl.scissor(1, 2, 3, 4);
    gl.blendFuncSeparate(gl.SRC_ALPHA, gl.ONE_MINUS_SRC_ALPHA, gl.ONE, gl.ZERO);
    gl.blendEquationSeparate(gl.FUNC_ADD, gl.MAX);
    const want = ['1,2,3,4', gl.SRC_ALPHA, gl.ONE_MINUS_SRC_ALPHA, gl.ONE, gl.ZERO, gl.FUNC_ADD, gl.MAX].map(String);
    const frame0 = window.attnlab.state().frame;
    window.attnlab.wake();
    await new Promise((done) => {
      const tick = () => (window.attnlab.state().frame > frame0 + 1 ? done() : requestAnimationFrame(tick));
      requestAnimationFrame(tick);
    });
    const rows = names.map((n, i) => [n, String(gl.getParameter(gl[n])), String(real(gl[n])), want[i]]);
    gl.scissor(0, 0, gl.drawingBufferWidth, gl.drawingBufferHeight);  // WebGL's defaults again
    gl.blendFunc(gl.ONE, gl.ZERO);
    gl.blendEquation(gl.FUNC_ADD);
    return rows;
  });
  const glWrong = glState.filter(([, kept, real, want]) => kept !== real || real !== want);
  check(glWrong.length === 0, `GL scissor and blend state survive the app's frames, and the page's copy matches the GPU (${glWrong.map((w) => w.join(' ')).join('; ') || 'all 7'})`);

  let st = await uiState(page);
  check(st.lang === 'zh-CN', `zh-CN browser gets the Chinese UI (lang=${st.lang})`);
  check(st.nav[0].includes('序列的挑战') && st.nav[1].includes('自注意力'), `Chinese navigation: ${st.nav.join(' | ')}`);
  check(await page.evaluate(() => document.documentElement.lang) === 'zh-CN', '<html lang> is zh-CN');
  const shotZh = await page.screenshot({ path: path.join(out, 'web-zh.png') });
  const zh = pngStats(shotZh);
  check(zh.colors > 50 && zh.stddev > 5, `canvas is drawn, not blank (${zh.colors} colours, stddev ${zh.stddev.toFixed(1)})`);

  // 3. The language switch, clicked like a person would.
  await clickHotspot(page, 'lang_toggle');
  st = await uiState(page);
  check(st.lang === 'en', `clicking the language button switches to English (lang=${st.lang})`);
  check(st.nav[0].includes('Challenge of Sequences'), `English navigation: ${st.nav.join(' | ')}`);
  check(await page.evaluate(() => document.documentElement.lang) === 'en', '<html lang> follows to en');
  await page.mouse.move(5, 795);  // move away so no tooltip covers the comparison
  await waitFrames(page, 3);
  const en = pngStats(await page.screenshot({ path: path.join(out, 'web-en.png') }));
  const navDiff = pixelsDiffering(zh.png, en.png, { x0: 0, y0: 60, x1: 400, y1: 320 });
  check(navDiff > 1500, `the visible navigation text changed (${navDiff} pixels differ)`);

  // The text-size buttons: A+ makes text and controls larger, A− goes back.
  const navHeight = (s) => s.hotspots['nav-sequence'][3] - s.hotspots['nav-sequence'][1];
  const before = navHeight(st);
  await clickHotspot(page, 'text_larger');
  await waitFrames(page, 3);
  st = await uiState(page);
  check(st.text_size === 1.15 && navHeight(st) > before * 1.08,
        `A+ enlarges the UI (text_size ${st.text_size}, navigation entry ${before} → ${navHeight(st)} px)`);
  await clickHotspot(page, 'text_smaller');
  await waitFrames(page, 3);
  st = await uiState(page);
  check(st.text_size === 1 && Math.abs(navHeight(st) - before) < 1, `A− brings it back (text_size ${st.text_size})`);

  // 4. Section navigation by click.
  await clickHotspot(page, 'nav-architecture');
  st = await uiState(page);
  check(st.section === 'architecture', `clicking 11.3 opens it (section=${st.section})`);

  // 5. Keyboard navigation: arrows move the focus through the chapter list, Space opens.
  const tap = async (key) => {  // a quick tap: the app's input queue gives the release a frame of its own
    await page.keyboard.press(key);
    await waitFrames(page, 2);
  };
  // On a loaded machine a frame can outlast ImGui's key-repeat delay and one press moves two
  // items; so step towards the target from wherever the focus is, up or down.
  const navOrder = ['nav-sequence', 'nav-self-attention', 'nav-architecture', 'nav-visualize', 'nav-training-lab', 'nav-exercises'];
  const seen = [];
  for (let i = 0; i < 10 && (await uiState(page)).focused !== 'nav-self-attention'; i++) {
    const at = navOrder.indexOf((await uiState(page)).focused);  // -1: in the top bar, above the list
    await tap(at >= 0 && at > 1 ? 'ArrowUp' : 'ArrowDown');
    seen.push((await uiState(page)).focused);
  }
  check((await uiState(page)).focused === 'nav-self-attention', `arrow keys move the focus to 11.2 (focus went: ${seen.join(' → ')})`);
  await tap('Space');
  st = await uiState(page);
  check(st.section === 'self-attention', `Space opens the focused section (section=${st.section})`);

  // 6. The canvas follows the window.
  await page.setViewportSize({ width: 900, height: 640 });
  await waitFrames(page, 4);
  const size = await page.evaluate(() => { const c = document.getElementById('canvas'); return [c.width, c.height]; });
  check(size[0] === 900 && size[1] === 640, `canvas follows a window resize to 900x640 (got ${size})`);
  const small = pngStats(await page.screenshot({ path: path.join(out, 'web-en-900x640.png') }));
  check(small.colors > 50, 'resized page is drawn');

  const unexpected = consoleErrors.filter((e) => !expectedError(e));
  check(unexpected.length === 0, `no console errors${unexpected.length ? ': ' + unexpected.join(' / ') : ''}`);
  await context.close();

  // 7. High-DPI and an English browser with the dark theme from the URL.
  const hi = await browser.newContext({ viewport: { width: 800, height: 600 }, locale: 'en-US', deviceScaleFactor: 2 });
  const hiPage = await hi.newPage();
  const hiErrors = [];
  hiPage.on('console', (m) => { if (m.type() === 'error') hiErrors.push(m.text()); });
  await hiPage.goto(server.url + '?theme=dark&section=self-attention');
  await waitReady(hiPage);
  await waitFrames(hiPage, 3);
  st = await uiState(hiPage);
  const hiSize = await hiPage.evaluate(() => { const c = document.getElementById('canvas'); return [c.width, c.height]; });
  check(hiSize[0] === 1600 && hiSize[1] === 1200, `device pixel ratio 2: canvas has 1600x1200 pixels (got ${hiSize})`);
  check(st.lang === 'en' && st.theme === 'dark' && st.section === 'self-attention',
        `en-US browser, ?theme=dark&section=self-attention (got ${st.lang}, ${st.theme}, ${st.section})`);
  const btn = st.hotspots.lang_toggle;
  check(btn && btn[3] - btn[1] > 40, `UI scaled for high DPI (language button ${btn ? (btn[3] - btn[1]).toFixed(0) : '?'} px tall)`);
  const dark = pngStats(await hiPage.screenshot({ path: path.join(out, 'web-en-dark-dpr2.png') }));
  check(dark.mean < 90, `dark theme is dark (mean luminance ${dark.mean.toFixed(0)})`);
  const hiUnexpected = hiErrors.filter((e) => !expectedError(e));
  check(hiUnexpected.length === 0, `no console errors at DPR 2${hiUnexpected.length ? ': ' + hiUnexpected.join(' / ') : ''}`);
  await hi.close();

  // 8. A bad URL parameter is ignored, not fatal.
  const odd = await browser.newContext({ viewport: { width: 800, height: 600 }, locale: 'zh-CN' });
  const oddPage = await odd.newPage();
  await oddPage.goto(server.url + '?lang=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&section=nope&theme=%22');
  await waitReady(oddPage);
  st = await uiState(oddPage);
  check(st.section === 'sequence' && st.theme === 'light', 'unknown section/theme parameters fall back to defaults');
  check(await oddPage.locator('img').count() === 0, 'nothing from the URL becomes HTML');
  await odd.close();

  // 9. A file that fails to load: a clear message, not a blank page.
  const broken = await browser.newContext({ viewport: { width: 800, height: 600 } });
  const brokenPage = await broken.newPage();
  await brokenPage.route('**/attnlab.wasm', (route) => route.fulfill({ status: 404, body: 'not found' }));
  await brokenPage.goto(server.url);
  await brokenPage.locator('#error').waitFor({ state: 'visible', timeout: 20000 });
  const brokenText = await brokenPage.locator('#error').innerText();
  check(brokenText.includes('attnlab.wasm') && brokenText.includes('文件加载失败') && brokenText.includes('failed to load'),
        `missing wasm -> bilingual message naming the file: "${brokenText.replace(/\s+/g, ' ').slice(0, 90)}…"`);
  await brokenPage.screenshot({ path: path.join(out, 'web-error-missing-file.png') });
  await broken.close();

  // 9b. A host that serves the wasm without the application/wasm type: compileStreaming
  // refuses it, the loader fetches it again and compiles the bytes.
  const plain = await browser.newContext({ viewport: { width: 800, height: 600 } });
  const plainPage = await plain.newPage();
  await plainPage.route('**/attnlab.wasm', async (route) => {
    const r = await route.fetch();
    route.fulfill({ status: 200, contentType: 'application/octet-stream', body: await r.body() });
  });
  await plainPage.goto(server.url + '?section=sequence');
  await waitReady(plainPage);
  check(await plainPage.locator('#error').isHidden(), 'wasm served as application/octet-stream: the app still starts');
  await plain.close();

  // 9c. A broken wasm (not WebAssembly at all): the message names the file.
  const garbled = await browser.newContext({ viewport: { width: 800, height: 600 } });
  const garbledPage = await garbled.newPage();
  await garbledPage.route('**/attnlab.wasm', (route) => route.fulfill({ status: 200, contentType: 'application/wasm', body: 'not WebAssembly' }));
  await garbledPage.goto(server.url);
  await garbledPage.locator('#error').waitFor({ state: 'visible', timeout: 20000 });
  const garbledText = await garbledPage.locator('#error').innerText();
  check(garbledText.includes('attnlab.wasm') && garbledText.includes('failed to load'),
        `a wasm that is not WebAssembly -> a message naming the file: "${garbledText.replace(/\s+/g, ' ').slice(0, 90)}…"`);
  await garbled.close();

  // 10. No WebGL2: a clear message.
  const noGl = await browser.newContext({ viewport: { width: 800, height: 600 } });
  await noGl.addInitScript(() => {
    const original = HTMLCanvasElement.prototype.getContext;
    HTMLCanvasElement.prototype.getContext = function (type, ...rest) {
      return type === 'webgl2' ? null : original.call(this, type, ...rest);
    };
  });
  const noGlPage = await noGl.newPage();
  await noGlPage.goto(server.url);
  await noGlPage.locator('#error').waitFor({ state: 'visible', timeout: 20000 });
  const noGlText = await noGlPage.locator('#error').innerText();
  check(noGlText.includes('WebGL2'), 'no WebGL2 -> a message that says so');
  await noGl.close();
} catch (e) {
  check(false, `unexpected: ${e.stack || e}`);
} finally {
  await browser.close();
  server.proc.kill();
}

console.log(`browser smoke: ${checker.passed} passed, ${checker.failed} failed`);
process.exit(checker.failed ? 1 : 0);
