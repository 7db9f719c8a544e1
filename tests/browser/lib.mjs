// Shared helpers of the browser tests: the project's own server, Debian's Chromium, the
// app's state API and its hotspots (canvas rectangles of named widgets).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};

export function makeChecker() {
  const c = { passed: 0, failed: 0 };
  c.check = (ok, what) => {
    console.log(`${ok ? '  ok  ' : '  FAIL'} ${what}`);
    if (ok) c.passed++; else c.failed++;
  };
  return c;
}

// The frame of a browser test: the project's server on `site` and Chromium around `body`,
// closed whatever happens; then the count, and exit 1 if a check failed (an exception in
// `body` still ends the test with its stack and a non-zero exit).
export async function browserTest(site, body, c = makeChecker()) {
  const server = await startServer(site);
  const browser = await launchChromium();
  try {
    await body({ c, server, browser });
  } finally {
    await browser.close();
    server.proc.kill();
  }
  console.log(`${c.passed} passed, ${c.failed} failed`);
  process.exit(c.failed ? 1 : 0);
}

// tools/serve.py on a free port; `extra`: its options (e.g. ['--isolate']).
export function startServer(site, extra = []) {
  return new Promise((resolve, reject) => {
    const proc = spawn('/usr/bin/python3', [path.join(root, 'tools/serve.py'), '--dir', site, '--port', '0', '--quiet', ...extra]);
    proc.stderr.on('data', (d) => process.stderr.write(d));
    proc.stdout.on('data', (d) => {
      const m = /http:\/\/localhost:(\d+)\//.exec(String(d));
      if (m) resolve({ proc, url: `http://localhost:${m[1]}/` });
    });
    proc.on('exit', (code) => reject(new Error(`serve.py exited with ${code}`)));
  });
}

export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist',
           '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update',
           '--disable-sync'],
  });
}

// Console errors, failed requests and HTTP errors of a page, collected for a final check.
export function collectErrors(page) {
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
  page.on('response', (r) => { if (r.status() >= 400) errors.push(`HTTP ${r.status()} for ${r.url()}`); });
  return errors;
}

export const uiState = (page) => page.evaluate(() => JSON.parse(window.Module.ccall('attnlab_ui_state_json', 'string', [], [])));

// The app is up and its startup model has loaded (or is known to be missing): the app itself
// starts before the model arrives (attnlabReady), the figures that need it fill in after.
export async function waitReady(page) {
  await page.waitForFunction(() => window.Module && window.Module.attnlabModelSettled === true, null, { timeout: 60000 });
}

// The app draws on demand (engine/app/frame_pacer.h), so a test that wants n more frames
// asks for them, as input would: every check wakes it until n frames have been drawn.
export async function waitFrames(page, n) {
  const start = (await uiState(page)).frame;
  await page.waitForFunction(([s, k]) => {
    window.Module.ccall('attnlab_wake', null, [], []);
    const st = JSON.parse(window.Module.ccall('attnlab_ui_state_json', 'string', [], []));
    return st.frame >= s + k && !st.input_pending;  // and every key typed so far has reached the app
  }, [start, n], { timeout: 20000 });
}

// The centre of a hotspot the app reports, in CSS pixels of the page.
export async function hotspotCenter(page, name) {
  const st = await uiState(page);
  const r = st.hotspots[name];
  if (!r) throw new Error(`no hotspot ${name}`);
  const { dpr, left, top } = await page.evaluate(() => {
    const c = document.getElementById('canvas');
    const rect = c.getBoundingClientRect();
    return { dpr: c.width / rect.width, left: rect.left, top: rect.top };
  });
  return { x: left + (r[0] + r[2]) / 2 / dpr, y: top + (r[1] + r[3]) / 2 / dpr };
}

// The same for the app inside `frame` (the page itself or an <iframe> of it): page CSS pixels,
// the iframe's position and border added when `iframeSelector` names it.
export async function hotspotInFrame(page, frame, name, iframeSelector) {
  const { rect, left, top, dpr } = await frame.evaluate((n) => {
    const c = document.getElementById('canvas');
    const b = c.getBoundingClientRect();
    return { rect: window.attnlab.state().hotspots[n], left: b.left, top: b.top, dpr: c.width / b.width };
  }, name);
  if (!rect) throw new Error(`no hotspot ${name}`);
  let x = left + (rect[0] + rect[2]) / 2 / dpr, y = top + (rect[1] + rect[3]) / 2 / dpr;
  if (iframeSelector) {
    const el = page.locator(iframeSelector);
    const box = await el.boundingBox();
    const [bx, by] = await el.evaluate((f) => [f.clientLeft, f.clientTop]);  // its border
    x += box.x + bx;
    y += box.y + by;
  }
  return { x, y };
}

export async function hoverHotspot(page, name) {
  const p = await hotspotCenter(page, name);
  await page.mouse.move(p.x - 3, p.y);
  await waitFrames(page, 1);
  await page.mouse.move(p.x, p.y);  // a real movement onto the widget
  await waitFrames(page, 3);
}

export async function clickHotspot(page, name) {
  const p = await hotspotCenter(page, name);
  await page.mouse.move(p.x, p.y);
  await waitFrames(page, 2);  // ImGui sees the hover before the press
  await page.mouse.down();
  await waitFrames(page, 2);
  await page.mouse.up();
  await waitFrames(page, 3);
}
