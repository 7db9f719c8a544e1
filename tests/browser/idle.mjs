// Draw on demand in Chromium: a figure that is only being read draws (almost) nothing.
//
//   1. The app page: after load and 1 s of settling, 5 s without input draw at most a handful
//      of frames (the state API's frame counter); one pointer move onto a word is answered.
//   2. web/examples/textbook.html with two embedded figures: the same for each of them, and a
//      figure scrolled out of view draws nothing, even when the page sets its sentence; scrolled
//      back, it draws again.
//   3. After each frame the page reads a narrow state only when the app's change counter moved:
//      frames drawn for nothing (a wake) leave the counter alone, a hover on a word moves it.
import { arg, browserTest, collectErrors, hotspotCenter, hotspotInFrame, makeChecker, waitFrames } from './lib.mjs';

const site = arg('--site');
const c = makeChecker();
const HANDFUL = 3;

const ready = (frame) => frame.waitForFunction(() => window.Module && window.Module.attnlabModelSettled === true, null, { timeout: 90000 });
const frameCount = (frame) => frame.evaluate(() => window.attnlab.state().frame);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Idle for 5 s after 1 s of settling, then one pointer move onto the last word of 11.2.
async function idleThenHover(page, frame, what, iframeSelector) {
  await sleep(1000);
  const f0 = await frameCount(frame);
  await sleep(5000);
  const idle = (await frameCount(frame)) - f0;
  c.check(idle <= HANDFUL, `${what}: 5 s without input draw ${idle} frames (at most ${HANDFUL})`);
  const sa = (await frame.evaluate(() => window.attnlab.state())).panels.self_attention;
  const target = sa.tokens.length - 1 === sa.selected ? sa.tokens.length - 2 : sa.tokens.length - 1;
  const p = await hotspotInFrame(page, frame, `sa-token-${target}`, iframeSelector);
  await page.mouse.move(p.x, p.y);
  const answered = await frame.waitForFunction((t) => window.attnlab.state().panels.self_attention.selected === t,
                                               target, { timeout: 5000 }).then(() => true, () => false);
  c.check(answered, `${what}: the first pointer move onto "${sa.tokens[target]}" selects it`);
}

await browserTest(site, async ({ server, browser }) => {
  {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, serviceWorkers: 'block' });
    const page = await context.newPage();
    const errors = collectErrors(page);
    await page.goto(`${server.url}?section=self-attention&lang=en`);
    await ready(page.mainFrame());
    await idleThenHover(page, page.mainFrame(), 'the app page (11.2)');
    const version = () => page.evaluate(() => window.Module.ccall('attnlab_page_state_version', 'number', [], []));
    const v0 = await version();
    await waitFrames(page, 3);
    c.check((await version()) === v0, `frames that change nothing leave the page state's change counter at ${v0}`);
    const p = await hotspotCenter(page, 'sa-token-1');
    await page.mouse.move(p.x, p.y);
    const moved = await page.waitForFunction((v) => window.Module.ccall('attnlab_page_state_version', 'number', [], []) > v,
                                             v0, { timeout: 5000 }).then(() => true, () => false);
    c.check(moved, 'a hover on another word moves it (the page re-reads the selected token)');
    c.check(errors.length === 0, `no console errors (${errors.slice(0, 3).join(' | ')})`);
    await context.close();
  }
  {
    const context = await browser.newContext({ viewport: { width: 1100, height: 1500 }, locale: 'zh-CN', serviceWorkers: 'block' });
    const page = await context.newPage();
    const errors = collectErrors(page);
    await page.goto(server.url + 'examples/textbook.html');
    await page.waitForFunction(() => document.querySelectorAll('iframe').length === 2);
    await page.waitForTimeout(300);
    const f1 = page.frame({ url: /panel=self-attention/ }), f2 = page.frame({ url: /panel=sequence/ });
    await Promise.all([ready(f1), ready(f2)]);
    await sleep(1000);
    const g0 = await frameCount(f2);
    await idleThenHover(page, f1, 'textbook, embedded 11.2', '#fig-self-attention');
    const g1 = await frameCount(f2);
    c.check(g1 - g0 <= HANDFUL, `textbook, embedded 11.1: ${g1 - g0} frames over the same 6 s (at most ${HANDFUL})`);

    // Out of view: a shorter window and the page scrolled to its end hide the first figure.
    await page.setViewportSize({ width: 1100, height: 500 });
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await sleep(800);
    const hidden0 = await frameCount(f1);
    await f1.evaluate(() => window.attnlab.setText('The robot delivered the mail after it was fixed.'));
    await sleep(1500);
    const hiddenFrames = (await frameCount(f1)) - hidden0;
    c.check(hiddenFrames <= 1, `a figure scrolled out of view draws nothing when its sentence changes (${hiddenFrames} frames)`);
    await page.locator('#fig-self-attention').scrollIntoViewIfNeeded();
    const shown = await f1.waitForFunction((n) => window.attnlab.state().frame > n, hidden0 + hiddenFrames,
                                           { timeout: 5000 }).then(() => true, () => false);
    c.check(shown, 'scrolled back into view, it draws again');
    c.check(errors.length === 0, `no console errors (${errors.slice(0, 3).join(' | ')})`);
    await context.close();
  }
}, c);
