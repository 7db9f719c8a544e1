// Each chapter section opens at its top, and where the student left it after that.
//
// 11.3 is scrolled down with the mouse wheel; 11.1 chosen in the navigation must open at its
// top (it used to open at 11.3's scroll position with its title out of sight); back in 11.3,
// the page is where it was left.
import { arg, browserTest, clickHotspot, collectErrors, makeChecker, uiState, waitFrames, waitReady } from './lib.mjs';

const site = arg('--site');
const c = makeChecker();
await browserTest(site, async ({ server, browser }) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, serviceWorkers: 'block' });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(`${server.url}?section=architecture&lang=en`);
  await waitReady(page);
  await waitFrames(page, 3);
  await page.mouse.move(900, 500);
  for (let i = 0; i < 6; i++) {
    await page.mouse.wheel(0, 300);
    await waitFrames(page, 2);
  }
  const scrolled = (await uiState(page)).page_scroll;
  c.check(scrolled > 100, `11.3 scrolls down with the wheel (${scrolled} px)`);
  await clickHotspot(page, 'nav-sequence');
  let st = await uiState(page);
  c.check(st.section === 'sequence' && st.page_scroll === 0, `11.1 opens at its top (section ${st.section}, scroll ${st.page_scroll})`);
  await clickHotspot(page, 'nav-architecture');
  st = await uiState(page);
  c.check(st.section === 'architecture' && Math.abs(st.page_scroll - scrolled) <= 2,
          `back in 11.3, the page is where it was left (${st.page_scroll} px)`);
  c.check(errors.length === 0, `no console errors (${errors.slice(0, 3).join(' | ')})`);
  await context.close();
}, c);
