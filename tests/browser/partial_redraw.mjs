// Redraw only what changed (engine/app/frame_damage.h): the page's canvas keeps its drawing
// buffer and a frame draws again only the tiles it changed. The picture must be the one a
// whole redraw gives, pixel for pixel.
//
//   The same session twice, in two fresh pages: as shipped (partial redraw) and with
//   ?redraw=full (every frame drawn whole). Hovers over 11.2's words, a nav item and a button,
//   a wheel scroll down and back, the theme switched and back, the language switched, 11.3's
//   positional-encoding heatmaps (shader textures) hovered and clicked. After
//   each step, once the app has stopped drawing, the canvas's pixels (WebGL readPixels) must
//   be identical in both pages. The shipped page must have drawn a hover frame over less than
//   a third of the window (the feature is on), the ?redraw=full page every frame whole.
//   (Found this way while it was written: nothing; a mutation that leaves the vertex colour
//   out of the hash makes the hover and theme steps fail.)
import fs from 'node:fs';
import path from 'node:path';
import { arg, browserTest, clickHotspot, collectErrors, hotspotCenter, makeChecker, waitFrames, waitReady } from './lib.mjs';

const site = arg('--site');
const out = arg('--out');
const c = makeChecker();
const SENTENCE = 'The robot delivered the mail after it was fixed by the tired engineer.';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Waits until the app has drawn nothing for 600 ms (the pacer sleeps once a frame repeats).
async function settled(page) {
  let last = -1;
  for (let i = 0; i < 100; i++) {
    const f = await page.evaluate(() => window.attnlab.state().frame);
    if (f === last) return;
    last = f;
    await sleep(600);
  }
  throw new Error('the app kept drawing');
}

// The canvas's pixels, read from its drawing buffer between frames.
const pixels = (page) => page.evaluate(() => {
  const gl = document.getElementById('canvas').getContext('webgl2');
  const w = gl.drawingBufferWidth, h = gl.drawingBufferHeight;
  const buf = new Uint8Array(w * h * 4);
  gl.readPixels(0, 0, w, h, gl.RGBA, gl.UNSIGNED_BYTE, buf);
  let s = '';
  for (let i = 0; i < buf.length; i += 0x8000) s += String.fromCharCode.apply(null, buf.subarray(i, i + 0x8000));
  return { w, h, data: btoa(s) };
});

// Every step of the session, then the picture after it; and each frame's redrawn pixels.
async function session(browser, server, query) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, serviceWorkers: 'block' });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(`${server.url}?${query}section=self-attention&lang=en&layer=2&head=2&sentence=${encodeURIComponent(SENTENCE)}`);
  await waitReady(page);
  await page.evaluate(() => {
    window.__redrawn = [];
    let last = -1;
    const tick = () => {
      const s = window.attnlab.state();
      if (s.frame !== last) { last = s.frame; window.__redrawn.push(s.redrawn_px); }
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  const pictures = [];
  const step = async (name, act) => {
    await act();
    await settled(page);
    pictures.push({ name, ...(await pixels(page)) });
  };
  const hover = async (spot) => { const p = await hotspotCenter(page, spot); await page.mouse.move(p.x - 2, p.y); await page.mouse.move(p.x, p.y, { steps: 2 }); };
  const click = (spot) => clickHotspot(page, spot);  // hover, press, release: a frame each
  await step('loaded', async () => {});
  for (const i of [1, 6, 3]) await step(`hover word ${i}`, () => hover(`sa-token-${i}`));
  await step('hover a nav item', () => hover('nav-architecture'));
  await step('hover a word again', () => hover('sa-token-9'));
  await step('wheel down', async () => { await page.mouse.wheel(0, 240); });
  await step('wheel back up', async () => { await page.mouse.wheel(0, -240); });
  await step('hover after scrolling', () => hover('sa-token-4'));
  await step('dark theme', () => click('theme_toggle'));
  await step('light theme again', () => click('theme_toggle'));
  await step('中文', () => click('lang_toggle'));
  await step('hover in Chinese', () => hover('sa-token-2'));
  // 11.3's positional-encoding tab: heatmaps drawn as textures by the heatmap shader (a render
  // state set by a draw callback); the pointer over the grid, then a click on a cell.
  await step('11.3', () => click('nav-architecture'));
  await step('the PE tab', () => click('arch_tab_pe'));
  const textures = (await page.evaluate(() => window.attnlab.state().heatmaps)).images;
  const inGrid = async (fx, fy) => {
    const r = (await page.evaluate(() => window.attnlab.state().hotspots)).arch_pe_heatmap;
    const dpr = await page.evaluate(() => { const cv = document.getElementById('canvas'); return cv.width / cv.getBoundingClientRect().width; });
    return { x: (r[0] + fx * (r[2] - r[0])) / dpr, y: (r[1] + fy * (r[3] - r[1])) / dpr };
  };
  await step('over the PE grid', async () => { const p = await inGrid(0.3, 0.3); await page.mouse.move(p.x, p.y, { steps: 2 }); });
  await step('across the PE grid', async () => { const p = await inGrid(0.4, 0.5); await page.mouse.move(p.x, p.y, { steps: 3 }); });
  await step('a click on a PE cell', async () => { await page.mouse.down(); await waitFrames(page, 2); await page.mouse.up(); });
  const redrawn = await page.evaluate(() => window.__redrawn);
  const size = await page.evaluate(() => { const cv = document.getElementById('canvas'); return cv.width * cv.height; });
  if (out) await page.screenshot({ path: path.join(out, `partial-redraw-${query ? 'full' : 'partial'}.png`) });
  await context.close();
  return { pictures, redrawn, size, errors, textures };
}

await browserTest(site, async ({ server, browser }) => {
  if (out) fs.mkdirSync(out, { recursive: true });
  const partial = await session(browser, server, '');
  const full = await session(browser, server, 'redraw=full&');
  c.check(partial.pictures.length === full.pictures.length, `both sessions took ${full.pictures.length} pictures`);
  for (let i = 0; i < Math.min(partial.pictures.length, full.pictures.length); i++) {
    const a = partial.pictures[i], b = full.pictures[i];
    let differ = 0;
    if (a.data !== b.data) {
      const x = Buffer.from(a.data, 'base64'), y = Buffer.from(b.data, 'base64');
      for (let k = 0; k < Math.min(x.length, y.length); k += 4) if (x.readUInt32LE(k) !== y.readUInt32LE(k)) differ++;
    }
    c.check(a.w === b.w && a.h === b.h && a.data === b.data,
            `${a.name}: the partly redrawn canvas equals the whole redraw (${a.w}x${a.h}; ${differ} pixels differ)`);
  }
  const drawn = partial.redrawn.filter((px) => px > 0);  // 0: the frame changed nothing and drew nothing
  const smallest = Math.min(...drawn);
  c.check(drawn.length > 0 && smallest < partial.size / 3,
          `the shipped page redrew a frame in part: the smallest ${smallest} of ${partial.size} pixels ` +
          `(${partial.redrawn.length} frames, ${partial.redrawn.length - drawn.length} of them drew nothing)`);
  c.check(full.redrawn.length > 0 && full.redrawn.every((px) => px === full.size),
          `?redraw=full drew each of its ${full.redrawn.length} frames whole`);
  c.check(partial.textures > 0 && full.textures > 0,
          `11.3's PE tab drew heatmaps as shader textures (${partial.textures} and ${full.textures} of them)`);
  c.check(partial.errors.length === 0 && full.errors.length === 0,
          `no console errors (${[...partial.errors, ...full.errors].slice(0, 3).join(' | ')})`);
}, c);
