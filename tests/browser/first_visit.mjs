// A first visit on a slow link: the app starts before the model has arrived.
//
// Chromium's network is throttled (CDP, 8 Mbit/s, 40 ms) so that the 19 MB model takes many
// seconds. Checked while it downloads: the app is up (first frame, state API) with no model;
// 11.1's step button and the 11.2 toy's hover answer; the model's progress is reported and
// grows; 11.4 shows "downloading the model, n %" in place of its figure. Then the throttle is
// lifted, the model loads by itself and 11.4 shows its attention. Screenshots (zh, loading) in --out.
import fs from 'node:fs';
import path from 'node:path';
import { arg, browserTest, collectErrors, hotspotCenter, makeChecker, root, uiState, waitFrames } from './lib.mjs';

const site = arg('--site');
const out = path.resolve(arg('--out', path.join(root, 'build/web/screenshots')));
fs.mkdirSync(out, { recursive: true });
const c = makeChecker();
const MBIT = 1e6 / 8;

await browserTest(site, async ({ server, browser }) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN', serviceWorkers: 'block' });
  const page = await context.newPage();
  const errors = collectErrors(page);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 40, downloadThroughput: 8 * MBIT, uploadThroughput: 8 * MBIT });

  const t0 = Date.now();
  await page.goto(`${server.url}?section=sequence`);
  await page.waitForFunction(() => window.Module && window.Module.attnlabReady === true, null, { timeout: 60000 });
  const readyMs = Date.now() - t0;
  let st = await uiState(page);
  c.check(st.model === null && st.model_arrival.pending,
          `the app is up after ${(readyMs / 1000).toFixed(1)} s at 8 Mbit/s, the model still on its way (${JSON.stringify(st.model_arrival)})`);

  // 11.1 answers: one step of the RNN belt.
  const step0 = st.panels.sequence.step;
  const p = await hotspotCenter(page, 'seq_step');
  await page.mouse.click(p.x, p.y);
  await page.waitForFunction((s) => window.attnlab.state().panels.sequence.step > s, step0, { timeout: 10000 }).catch(() => {});
  st = await uiState(page);
  c.check(st.panels.sequence.step > step0 && st.model === null, `11.1's step button works before the model has arrived (step ${st.panels.sequence.step})`);

  // The 11.2 toy answers a hover.
  await page.evaluate(() => window.Module.ccall('attnlab_set_section', 'number', ['string'], ['self-attention']));
  await waitFrames(page, 3);
  st = await uiState(page);
  const toy = st.panels.self_attention;
  const target = toy.selected === 5 ? 1 : 5;
  const q = await hotspotCenter(page, `sa-token-${target}`);
  await page.mouse.move(q.x - 3, q.y);
  await page.mouse.move(q.x, q.y);
  const hovered = await page.waitForFunction((t) => window.attnlab.state().panels.self_attention.selected === t, target, { timeout: 10000 })
    .then(() => true, () => false);
  c.check(hovered && toy.mode === 'toy' && (await uiState(page)).model === null,
          `the 11.2 toy answers a hover before the model has arrived ("${toy.tokens[target]}")`);

  // Progress: reported, growing, and shown in place of 11.4's figure.
  await page.evaluate(() => window.Module.ccall('attnlab_set_section', 'number', ['string'], ['visualize']));
  await waitFrames(page, 3);
  const a1 = (await uiState(page)).model_arrival;
  await page.waitForTimeout(1500);
  await waitFrames(page, 2);
  st = await uiState(page);
  const a2 = st.model_arrival;
  c.check(a2.pending && a2.total > 1e6 && a2.loaded > a1.loaded && a2.loaded < a2.total,
          `the model's progress grows (${(a1.loaded / 1e6).toFixed(1)} → ${(a2.loaded / 1e6).toFixed(1)} of ${(a2.total / 1e6).toFixed(1)} MB)`);
  c.check('model-arriving' in st.hotspots, '11.4 shows the download in place of its figure');
  await page.screenshot({ path: path.join(out, 'first-visit-loading-zh.png') });

  // The link recovers: the model arrives, loads by itself, and 11.4 fills in.
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  await page.waitForFunction(() => window.Module.attnlabModelSettled === true, null, { timeout: 90000 });
  await waitFrames(page, 3);
  st = await uiState(page);
  const vis = st.panels.visualize;
  c.check(st.model !== null && !st.model_arrival.pending && !('model-arriving' in st.hotspots),
          `the model loaded by itself (${st.model && st.model.name})`);
  c.check(!!vis && Array.isArray(vis.tokens) && vis.tokens.length > 0, `11.4 shows the model's attention (${vis && vis.tokens && vis.tokens.length} tokens)`);
  c.check(errors.length === 0, `no console errors (${errors.slice(0, 3).join(' | ')})`);
  await context.close();
}, c);
