// Nothing a student types is lost in the app's own (ImGui) text fields.
//
//   1. 11.3's sentence field holding a 1500-character text: one Backspace leaves 1499
//      characters (a fixed 1024-byte buffer used to cut the session's text to 1022).
//   2. An answer box in the exercises: Chinese and an emoji typed through the page's text
//      input reach the notes whole (16-bit ImWchar turned the emoji into U+FFFD).
import { arg, browserTest, clickHotspot, collectErrors, makeChecker, uiState, waitFrames, waitReady } from './lib.mjs';

const site = arg('--site');
const c = makeChecker();
await browserTest(site, async ({ server, browser }) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, serviceWorkers: 'block' });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(`${server.url}?section=architecture&lang=en`);
  await waitReady(page);
  const long = 'word '.repeat(299) + 'last.';  // 1500 characters
  await page.evaluate((t) => window.attnlab.setText(t), long);
  await waitFrames(page, 3);
  await clickHotspot(page, 'arch_sentence');
  await page.keyboard.press('End');
  await waitFrames(page, 2);
  await page.keyboard.press('Backspace');
  await waitFrames(page, 3);
  const text = (await uiState(page)).text;
  c.check(text.length === 1499 && text === long.slice(0, -1), `one Backspace in a 1500-character sentence leaves 1499 (got ${text.length})`);

  await page.evaluate(() => window.Module.ccall('attnlab_set_section', 'number', ['string'], ['exercises']));
  await waitFrames(page, 4);
  await clickHotspot(page, 'ex1_answer');
  await page.keyboard.insertText('猫 😀 ok');
  await waitFrames(page, 4);
  const answer = (await uiState(page)).panels.exercises.fields['ex1.answer'] || '';
  c.check(answer.includes('猫 😀 ok'), `an emoji typed into an answer box stays an emoji (${JSON.stringify(answer)})`);
  c.check(errors.length === 0, `no console errors (${errors.slice(0, 3).join(' | ')})`);
  await context.close();
}, c);
