// Browser test of the models on the web page: the bundled demo model at start, "Load model…"
// through the real file input, drag and drop, a broken file, and ?model=URL with its
// Cache Storage copy for offline visits. Debian's Chromium driven by playwright-core, served
// by tools/serve.py.
//
//   node tests/browser/model.mjs --site build/web/site --models build/web/tiny-gpt2 --out build/web/screenshots
//
// --models holds ours-q8_0.gguf, ours-q4_0.gguf and ours-f32.gguf (tools/make-test-models.sh).
// The page is served from a temporary folder: links to every file of --site plus test-models/
// (copies of those GGUFs and a broken one), so --site itself stays as the build made it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { PNG } from 'pngjs';
import { arg, clickHotspot, makeChecker, root, startServer, uiState as state, waitFrames, waitReady } from './lib.mjs';

const site = path.resolve(arg('--site', path.join(root, 'build/web/site')));
const out = path.resolve(arg('--out', path.join(root, 'build/web/screenshots')));
const models = path.resolve(arg('--models', path.join(root, 'build/web/tiny-gpt2')));
fs.mkdirSync(out, { recursive: true });

const checker = makeChecker();
const { check } = checker;
const note = (what) => console.log(`  note ${what}`);

// ---- the files ----------------------------------------------------------------------------
const DEMO = 'attnlab-demo-gpt2-q8_0.gguf';
const demoPath = path.join(site, 'assets', DEMO);
const hasDemo = fs.existsSync(demoPath);
for (const f of ['ours-q4_0.gguf', 'ours-f32.gguf']) {
  if (!fs.existsSync(path.join(models, f))) {
    console.error(`model.mjs: no ${f} in ${models} (tools/make-test-models.sh makes it)`);
    process.exit(1);
  }
}

// GGUF's general.name, read here independently of the app (GGUF v2/v3 metadata).
function ggufName(file) {
  const b = fs.readFileSync(file);
  if (b.toString('latin1', 0, 4) !== 'GGUF') return null;
  let at = 8;
  const u32 = () => { const v = b.readUInt32LE(at); at += 4; return v; };
  const u64 = () => { const v = Number(b.readBigUInt64LE(at)); at += 8; return v; };
  const str = () => { const n = u64(); const s = b.toString('utf8', at, at + n); at += n; return s; };
  const size = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };
  const skip = (type) => {
    if (type === 8) { str(); return; }
    if (type === 9) { const t = u32(); const n = u64(); for (let i = 0; i < n; i++) skip(t); return; }
    at += size[type];
  };
  u64();  // tensors
  const kvs = u64();
  for (let i = 0; i < kvs; i++) {
    const key = str();
    const type = u32();
    if (key === 'general.name' && type === 8) return str();
    skip(type);
  }
  return null;
}

const served = fs.mkdtempSync(path.join(os.tmpdir(), 'attnlab-model-test-'));
for (const entry of fs.readdirSync(site)) fs.symlinkSync(path.join(site, entry), path.join(served, entry));
const testModels = path.join(served, 'test-models');
fs.mkdirSync(testModels);
fs.copyFileSync(path.join(models, 'ours-q4_0.gguf'), path.join(testModels, 'second.gguf'));
fs.copyFileSync(path.join(models, 'ours-f32.gguf'), path.join(testModels, 'third.gguf'));
const brokenBytes = fs.readFileSync(path.join(models, 'ours-q4_0.gguf')).subarray(0, 1000);
const secondBytes = fs.statSync(path.join(models, 'ours-q4_0.gguf')).size;

// ---- helpers ------------------------------------------------------------------------------

function pngColors(buffer) {
  const png = PNG.sync.read(buffer);
  const colors = new Set();
  for (let i = 0; i < png.data.length && colors.size < 100000; i += 4) {
    colors.add((png.data[i] << 16) | (png.data[i + 1] << 8) | png.data[i + 2]);
  }
  return colors.size;
}





async function waitHotspot(page, name) {
  await page.waitForFunction((n) => !!window.attnlab.state().hotspots[n], name, { timeout: 10000 });
}

const notice = (page) => page.evaluate(() => {
  const n = document.getElementById('notice');
  return { shown: !n.hidden, kind: n.dataset.kind || '', text: n.innerText };
});

// Without the bundled model (it is optional) the page's request for it gets a 404: expected.
const expectedError = (text) => !hasDemo && /status of 404/.test(text);
function watchErrors(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error' && !expectedError(m.text())) errors.push(m.text()); });
  page.on('dialog', (d) => { errors.push(`dialog: ${d.message()}`); d.dismiss(); });
  return errors;
}
const launchArgs = ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist',
                    '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update',
                    '--disable-sync'];

// ---- the test -----------------------------------------------------------------------------
const server = await startServer(served);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args: launchArgs });

try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN', deviceScaleFactor: 1 });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(server.url);
  await waitReady(page);
  await waitFrames(page, 3);

  // (a) The bundled demo model is loaded at start.
  let st = await state(page);
  const initial = st.model;
  if (hasDemo) {
    const name = ggufName(demoPath);
    check(!!st.model, `bundled model loaded at start (${st.model ? `${st.model.name}, ${st.model.weight_type}` : 'none'})`);
    check(st.model && st.model.name === name, `its name is the file's general.name "${name}" (got "${st.model && st.model.name}")`);
    check(st.model && st.model.file_bytes === fs.statSync(demoPath).size, `its size is the file's, ${fs.statSync(demoPath).size} bytes`);
    check(st.tokens.length > 0, `the default sentence is tokenized (${st.tokens.length} tokens)`);
  } else {
    note(`no ${DEMO} in ${site}/assets: the page must start without a model`);
    check(st.model === null && st.model_error === '', `no bundled model: the app starts with none, and no error (${st.model_error})`);
  }
  const progress = await page.evaluate(() => document.getElementById('bar-fill').style.width);
  check(progress === '100%', `the progress bar counted the model too (${progress})`);
  check(await page.evaluate(() => !!window.Module.FS && (() => {
    try { window.Module.FS.stat('/assets/attnlab-demo-gpt2-q8_0.gguf'); return false; } catch (e) { return true; }
  })()), 'the model file left the in-memory file system after start (the app holds its own copy)');
  await clickHotspot(page, 'model_button');
  await waitHotspot(page, 'model_load');
  await page.mouse.move(5, 795);
  await waitFrames(page, 3);
  await page.screenshot({ path: path.join(out, 'web-model-bundled.png') });

  // (b) "Load model…": a real click on the app's button opens the page's file chooser.
  let chooser = null;
  const chooserPromise = page.waitForEvent('filechooser', { timeout: 8000 }).catch(() => null);
  await clickHotspot(page, 'model_load');
  chooser = await chooserPromise;
  check(!!chooser, 'clicking "Load model…" in the app opens the browser\'s file chooser');
  check(await page.locator('#model-file').count() === 1, 'one hidden <input type=file accept=.gguf> (made once)');
  check(await page.locator('#model-file').getAttribute('accept') === '.gguf', 'the chooser offers .gguf files');
  if (chooser) await chooser.setFiles(path.join(testModels, 'second.gguf'));
  else await page.setInputFiles('#model-file', path.join(testModels, 'second.gguf'));
  await page.waitForFunction(() => { const m = window.attnlab.state().model; return m && m.weight_type === 'q4_0'; }, null, { timeout: 30000 })
    .catch(() => {});
  st = await state(page);
  check(st.model && st.model.weight_type === 'q4_0' && st.model.file_bytes === secondBytes,
        `the chosen second.gguf is the model now (${st.model ? `${st.model.name}, ${st.model.weight_type}, ${st.model.file_bytes} bytes` : 'none'})`);
  check(st.model && st.model.source === 'second.gguf', `its source is the file's name (${st.model && st.model.source})`);
  check(st.tokens.length > 0 && st.model_error === '', `tokens present (${st.tokens.length}), no load error`);
  let n = await notice(page);
  check(n.shown && n.kind === 'ok' && n.text.includes('已加载模型') && n.text.includes('Model loaded'),
        `a bilingual "loaded" notice: "${n.text.replace(/\s+/g, ' ')}"`);
  check(await page.evaluate(() => window.Module.FS.readdir('/models').filter((f) => f !== '.' && f !== '..').length) === 0,
        'the chosen file was removed from the in-memory file system');
  await waitFrames(page, 3);
  await page.screenshot({ path: path.join(out, 'web-model-picked.png') });
  await clickHotspot(page, 'model_close');

  // (b2) Drag and drop: the drop zone lights up, the dropped file becomes the model.
  const dropped = await page.evaluateHandle(async () => {
    const bytes = await (await fetch('test-models/third.gguf')).arrayBuffer();
    const dt = new DataTransfer();
    dt.items.add(new File([bytes], 'third.gguf', { type: 'application/octet-stream' }));
    return dt;
  });
  await page.dispatchEvent('#canvas', 'dragenter', { dataTransfer: dropped });
  await page.dispatchEvent('#canvas', 'dragover', { dataTransfer: dropped });
  check(await page.locator('#dropzone').isVisible(), 'dragging a file over the page shows the drop zone');
  await page.screenshot({ path: path.join(out, 'web-model-dropzone.png') });
  await page.dispatchEvent('#canvas', 'drop', { dataTransfer: dropped });
  check(await page.locator('#dropzone').isHidden(), 'the drop zone goes away on drop');
  await page.waitForFunction(() => { const m = window.attnlab.state().model; return m && m.weight_type === 'f32'; }, null, { timeout: 30000 })
    .catch(() => {});
  st = await state(page);
  check(st.model && st.model.weight_type === 'f32' && st.model.source === 'third.gguf',
        `the dropped third.gguf is the model now (${st.model ? `${st.model.weight_type}, ${st.model.source}` : 'none'})`);
  const beforeBroken = st.model;

  // (c) A broken file: the model stays, the error is said, the page keeps drawing.
  await page.evaluate(() => window.attnlab.pickModel());
  await page.setInputFiles('#model-file', { name: 'broken.gguf', mimeType: 'application/octet-stream', buffer: brokenBytes });
  await page.waitForFunction(() => window.attnlab.state().model_error !== '', null, { timeout: 20000 }).catch(() => {});
  st = await state(page);
  check(JSON.stringify(st.model) === JSON.stringify(beforeBroken), 'a truncated GGUF (1000 bytes) leaves the model as it was');
  check(st.model_error.length > 0, `model_error says why: "${st.model_error}"`);
  n = await notice(page);
  check(n.shown && n.kind === 'error' && n.text.includes('之前的模型保持不变') && n.text.includes('previous model stays'),
        `a bilingual error notice: "${n.text.replace(/\s+/g, ' ').slice(0, 160)}"`);
  const frame0 = st.frame;
  await waitFrames(page, 5);
  check((await state(page)).frame >= frame0 + 5, 'the page still draws frames after the failed load');
  await page.setInputFiles('#model-file', { name: 'notes.gguf', mimeType: 'text/plain', buffer: Buffer.from('not a model, just text\n'.repeat(40)) });
  await page.waitForFunction(() => /notes\.gguf/.test(window.attnlab.state().model_error), null, { timeout: 20000 }).catch(() => {});
  st = await state(page);
  check(JSON.stringify(st.model) === JSON.stringify(beforeBroken) && /notes\.gguf/.test(st.model_error),
        `a text file renamed .gguf is refused too: "${st.model_error}"`);
  await clickHotspot(page, 'model_button');
  await waitHotspot(page, 'model_load');
  await page.mouse.move(5, 795);
  await waitFrames(page, 3);
  const shotBroken = await page.screenshot({ path: path.join(out, 'web-model-broken.png') });
  check(pngColors(shotBroken) > 50, 'the page with the error is drawn');
  const api = await page.evaluate(() => {
    window.attnlab.setText('The cat sat on the mat');
    const r = window.attnlab.loadModelBytes('api.gguf', new Uint8Array([1, 2, 3]));
    return r;
  });
  check(api.ok === false && typeof api.error === 'string', `attnlab.loadModelBytes reports a bad model: ${JSON.stringify(api)}`);
  await waitFrames(page, 2);
  check((await state(page)).text === 'The cat sat on the mat', 'attnlab.setText sets the sentence');
  check(errors.length === 0, `no page errors${errors.length ? ': ' + errors.join(' / ') : ''}`);
  await context.close();

  // (d) ?model=URL loads that model and keeps a copy in Cache Storage.
  const modelUrl = 'test-models/second.gguf';
  const ctx = await browser.newContext({ viewport: { width: 1000, height: 700 }, locale: 'en-US' });
  const p2 = await ctx.newPage();
  const errors2 = watchErrors(p2);
  const requested = [];
  p2.on('request', (r) => requested.push(new URL(r.url()).pathname));
  await p2.goto(`${server.url}?model=${encodeURIComponent(modelUrl)}`);
  await waitReady(p2);
  st = await state(p2);
  check(st.model && st.model.weight_type === 'q4_0' && st.model.file_bytes === secondBytes,
        `?model=${modelUrl} loads it (${st.model ? `${st.model.weight_type}, ${st.model.file_bytes} bytes` : 'none'})`);
  check(st.model && st.model.source === '/models/second.gguf', `passed to the app as --model ${st.model && st.model.source}`);
  check(!requested.some((r) => r.endsWith(DEMO)), 'the bundled model is not downloaded when ?model= works');
  const cached = await p2.evaluate(async () => (await (await caches.open('attnlab-models')).keys()).map((r) => r.url));
  check(cached.includes(`${server.url}${modelUrl}`), `Cache Storage 'attnlab-models' holds it (${cached.join(', ')})`);
  await waitFrames(p2, 3);
  await p2.screenshot({ path: path.join(out, 'web-model-url.png') });

  // Offline: the service worker serves the page's own files, the model comes from Cache Storage.
  await p2.waitForFunction(async () => !!(await navigator.serviceWorker.ready).active, null, { timeout: 30000 });
  await ctx.setOffline(true);
  let offlinePage = false;
  try {
    await p2.reload({ timeout: 30000 });
    await waitReady(p2);
    offlinePage = true;
  } catch (e) {
    note(`offline reload failed: ${String(e.message).split('\n')[0]}`);
  }
  check(offlinePage, 'offline reload: the service worker serves the page');
  if (offlinePage) {
    st = await state(p2);
    check(st.model && st.model.weight_type === 'q4_0', 'offline reload: the model comes from Cache Storage');
  }
  await ctx.setOffline(false);
  // The network fails for the model only: the page uses the copy saved on the first visit.
  await p2.route(`**/${modelUrl}`, (route) => route.abort('internetdisconnected'));
  await p2.goto(`${server.url}?model=${encodeURIComponent(modelUrl)}`);
  await waitReady(p2);
  st = await state(p2);
  check(st.model && st.model.weight_type === 'q4_0' && st.model.file_bytes === secondBytes,
        `network down for the model: loaded from Cache Storage (${st.model ? st.model.weight_type : 'none'})`);
  n = await notice(p2);
  check(n.shown && /Offline/.test(n.text) && /离线|无法联网/.test(n.text), `notice says the saved copy is used: "${n.text.replace(/\s+/g, ' ')}"`);
  await p2.unroute(`**/${modelUrl}`);
  await waitFrames(p2, 3);
  await p2.screenshot({ path: path.join(out, 'web-model-url-offline.png') });
  const unexpected2 = errors2.filter((e) => !/ERR_INTERNET_DISCONNECTED|internetdisconnected|Failed to load resource/.test(e));
  check(unexpected2.length === 0, `no page errors with ?model=${unexpected2.length ? ': ' + unexpected2.join(' / ') : ''}`);
  await ctx.close();

  // (d2) ?model= that cannot be fetched: a clear notice, the bundled model instead.
  const ctx3 = await browser.newContext({ viewport: { width: 1000, height: 700 }, locale: 'zh-CN' });
  const p3 = await ctx3.newPage();
  await p3.goto(`${server.url}?model=test-models/missing.gguf`);
  await waitReady(p3);
  st = await state(p3);
  n = await notice(p3);
  check(n.shown && n.kind === 'error' && n.text.includes('无法下载模型') && n.text.includes('Could not download the model') &&
        n.text.includes('missing.gguf') && n.text.includes('404'), `missing ?model -> bilingual notice: "${n.text.replace(/\s+/g, ' ').slice(0, 200)}"`);
  check(hasDemo ? st.model && st.model.name === initial.name && st.model.weight_type === initial.weight_type : st.model === null,
        `…and the bundled model instead (${st.model ? st.model.weight_type : 'none'})`);
  check(await p3.locator('#loader').isHidden() && await p3.locator('#error').isHidden(), 'the page is not blocked');
  await waitFrames(p3, 3);
  await p3.screenshot({ path: path.join(out, 'web-model-url-missing.png') });
  await ctx3.close();

  // (d3) A ?model= that is not http(s): refused without fetching or running anything.
  const ctx4 = await browser.newContext({ viewport: { width: 800, height: 600 }, locale: 'en-US' });
  const p4 = await ctx4.newPage();
  const errors4 = watchErrors(p4);
  const requested4 = [];
  p4.on('request', (r) => requested4.push(r.url()));
  await p4.goto(`${server.url}?model=${encodeURIComponent('javascript:alert(1)//x.gguf')}`);
  await waitReady(p4);
  n = await notice(p4);
  check(n.shown && n.kind === 'error' && /only http\(s\)/.test(n.text), `?model=javascript:… is refused: "${n.text.replace(/\s+/g, ' ').slice(0, 120)}"`);
  check(!requested4.some((u) => !u.startsWith(`${server.url}?`) && /alert|javascript/i.test(u)), 'nothing was requested or run for it');
  await p4.goto(`${server.url}?model=${encodeURIComponent('data:application/octet-stream;base64,R0dVRg==')}`);
  await waitReady(p4);
  n = await notice(p4);
  check(n.shown && n.kind === 'error', 'a data: URL is refused as well');
  check(errors4.length === 0, `no dialogs or page errors${errors4.length ? ': ' + errors4.join(' / ') : ''}`);
  await ctx4.close();
} catch (e) {
  check(false, `unexpected: ${e.stack || e}`);
} finally {
  await browser.close();
  server.proc.kill();
  fs.rmSync(served, { recursive: true, force: true });
}

console.log(`browser model: ${checker.passed} passed, ${checker.failed} failed`);
process.exit(checker.failed ? 1 : 0);
