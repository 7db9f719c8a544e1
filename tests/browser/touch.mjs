// Phones: a swipe scrolls the section and selects nothing, a flick coasts on, a tap selects the
// token under the finger (issue 16). Real touch events through Chromium's DevTools protocol, on a 390 × 844
// touch screen, 11.2 in Chinese. A swipe starts on a token on purpose: before, every touch was
// a mouse press at the finger, so the swipe re-selected tokens and the page did not move.
import { arg, browserTest, collectErrors, hotspotCenter, makeChecker, uiState, waitFrames, waitReady } from './lib.mjs';

const site = arg('--site');
const out = arg('--out', '');
const c = makeChecker();

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// One finger from `from` to `to` in `steps` moves `ms` apart, then lifted `hold` ms after the
// last move. The events carry those times (the gesture reads speed from event timestamps), so
// a loaded machine that delivers them late still sees the swipe the test meant. Each event is
// sent `ms` after the one before, without waiting for the page to have handled it: a busy page
// answers each in 150–300 ms, and two such waits between the touch and its first moves looked
// like a finger held still (a press, not a swipe), which no real finger's events would.
async function swipe(page, cdp, from, to, { steps = 12, ms = 16, hold = 0 } = {}) {
  const t0 = await page.evaluate(() => performance.timeOrigin + performance.now());
  const at = (k) => [{ x: from.x + (to.x - from.x) * k / steps, y: from.y + (to.y - from.y) * k / steps, id: 1 }];
  const sent = [];
  const send = (type, touchPoints, ms_after) =>
    sent.push(cdp.send('Input.dispatchTouchEvent', { type, touchPoints, timestamp: (t0 + ms_after) / 1000 }));
  send('touchStart', at(0), 0);
  for (let k = 1; k <= steps; k++) {
    await sleep(ms);
    send('touchMove', at(k), k * ms);
  }
  send('touchEnd', [], steps * ms + hold);
  await Promise.all(sent);
}

async function tap(cdp, p) {
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: p.x, y: p.y, id: 2 }] });
  await sleep(40);
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
}

// Frames until the scroll position stops changing (a flick coasts for a moment).
async function settledScroll(page) {
  let last = NaN;
  for (let i = 0; i < 40; i++) {
    await waitFrames(page, 3);
    const s = (await uiState(page)).page_scroll;
    if (s === last) return s;
    last = s;
  }
  return last;
}

await browserTest(site, async ({ server, browser }) => {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, hasTouch: true, isMobile: true, serviceWorkers: 'block' });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(`${server.url}?section=self-attention&lang=zh`);
  await waitReady(page);
  await waitFrames(page, 3);
  const cdp = await context.newCDPSession(page);
  const selected = async () => (await uiState(page)).panels.self_attention.selected;

  // 11.2 is short (its page scrolls a few hundred pixels): slow swipes held still before lifting, so nothing coasts
  const before = await selected();
  const start = await hotspotCenter(page, 'sa-token-4');
  await swipe(page, cdp, start, { x: start.x, y: start.y - 60 }, { ms: 40, hold: 200 });
  const up = await settledScroll(page);
  c.check(Math.abs(up - 120) <= 12, `a slow swipe up by 60 CSS px scrolls 11.2 by 120 device px (${up})`);
  c.check(await selected() === before, `the swipe that started on "the" selected nothing (selected ${await selected()}, was ${before})`);
  if (out) await page.screenshot({ path: `${out}/touch-scrolled-zh.png` });
  await swipe(page, cdp, { x: 200, y: 300 }, { x: 200, y: 330 }, { steps: 10, ms: 40, hold: 200 });
  const back = await settledScroll(page);
  c.check(Math.abs(back - (up - 60)) <= 10, `a slow swipe down by 30 CSS px scrolls back by 60 (${up} → ${back})`);
  await swipe(page, cdp, { x: 200, y: 200 }, { x: 200, y: 800 });
  const top = await settledScroll(page);
  c.check(top === 0, `a swipe down to the top stops at the top (${top} px)`);

  const target = await hotspotCenter(page, 'sa-token-5');
  await tap(cdp, target);
  await waitFrames(page, 4);
  c.check(await selected() === 5, `a tap on "mat" selects it (selected ${await selected()})`);
  c.check((await uiState(page)).page_scroll === 0, 'a tap does not scroll');
  if (out) await page.screenshot({ path: `${out}/touch-tapped-zh.png` });

  // 11.3 is long (and its tabs many): a flick of 150 CSS px (300 device px) coasts on well past where the finger left
  await page.goto(`${server.url}?section=architecture&lang=zh`);
  await waitReady(page);
  await waitFrames(page, 3);
  const cdp2 = await context.newCDPSession(page);
  // 11.3's five tabs do not fit one phone line: they wrap, every label whole, and a tap opens one
  const st = await uiState(page);
  const tabs = ['heads', 'pe', 'residual', 'diagram', 'architect'].map((t) => st.hotspots[`arch_tab_${t}`]);
  const canvasW = await page.evaluate(() => document.getElementById('canvas').width);
  c.check(tabs.every((r) => r && r[2] <= canvasW), `every 11.3 tab lies inside the screen (${JSON.stringify(tabs)})`);
  c.check(new Set(tabs.map((r) => r && r[1])).size >= 2, 'the tabs wrap onto a second line instead of being cut short');
  await tap(cdp2, await hotspotCenter(page, 'arch_tab_diagram'));
  await waitFrames(page, 4);
  c.check((await uiState(page)).panels.architecture_tab === 'diagram', `a tap on 架构图 opens it (${(await uiState(page)).panels.architecture_tab})`);
  if (out) await page.screenshot({ path: `${out}/touch-tabs-zh.png` });
  await page.goto(`${server.url}?section=architecture&lang=en`);
  await waitReady(page);
  await waitFrames(page, 3);
  const cdp3 = await context.newCDPSession(page);
  await swipe(page, cdp3, { x: 200, y: 600 }, { x: 200, y: 450 }, { steps: 8 });
  const flicked = await settledScroll(page);
  c.check(flicked > 450, `a flick scrolls 11.3 on after the finger lifts (${flicked} px for the finger's 300)`);
  if (out) await page.screenshot({ path: `${out}/touch-flick-en.png` });

  c.check(errors.length === 0, `no console errors (${errors.slice(0, 3).join(' | ')})`);
  await context.close();
}, c);
