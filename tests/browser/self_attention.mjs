// 11.2 in the browser: the chapter's hover exercise, through the real page and the state API.
//
//   node tests/browser/self_attention.mjs --site build/web/site --out build/web/screenshots
//
// Toy mode: hovering "sat" puts its two largest weights on "cat" and "mat". Model mode (the
// bundled GPT-2): the sentence typed into the field reaches the model; hovering "it" gives
// weights on allowed positions that sum to 1 (±1e-5) and 0 on future positions; the step
// buttons walk the formula; no console errors. Screenshots are saved.
import fs from 'node:fs';
import path from 'node:path';
import { arg, clickHotspot, collectErrors, hoverHotspot, launchChromium, makeChecker, root, startServer,
         uiState, waitFrames, waitReady } from './lib.mjs';

const site = path.resolve(arg('--site', path.join(root, 'build/web/site')));
const out = path.resolve(arg('--out', path.join(root, 'build/web/screenshots')));
fs.mkdirSync(out, { recursive: true });
const c = makeChecker();
const SENTENCE = 'The robot delivered the mail after it was fixed.';

const server = await startServer(site);
const browser = await launchChromium();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(server.url + '?section=self-attention');
  await waitReady(page);
  await waitFrames(page, 3);
  let st = await uiState(page);
  c.check(st.section === 'self-attention', 'the page opens on 11.2 from ?section=');
  c.check(st.model !== null, `a model is loaded by default (${st.model && st.model.name})`);

  // Toy mode: hover "sat".
  let sa = st.panels.self_attention;
  c.check(sa && sa.mode === 'toy', 'toy mode first');
  const sat = sa.tokens.indexOf('sat');
  await hoverHotspot(page, `sa-token-${sat}`);
  sa = (await uiState(page)).panels.self_attention;
  c.check(sa.selected === sat, `hovering "sat" selects it (selected ${sa.selected})`);
  const order = sa.weights.map((w, j) => j).sort((a, b) => sa.weights[b] - sa.weights[a]);
  const top2 = new Set([sa.tokens[order[0]], sa.tokens[order[1]]]);
  c.check(top2.has('cat') && top2.has('mat'), `"sat" attends most to cat and mat (${sa.weights.map((w) => w.toFixed(2)).join(' ')})`);
  await page.screenshot({ path: path.join(out, 'self-attention-toy-zh.png') });

  // Model mode: switch with the real radio button, type the sentence into the field.
  await clickHotspot(page, 'sa_mode_model');
  await clickHotspot(page, 'sa_sentence');
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.type(SENTENCE, { delay: 5 });
  await waitFrames(page, 4);
  st = await uiState(page);
  c.check(st.text === SENTENCE, `the typed sentence reaches the model (${JSON.stringify(st.text)})`);
  sa = st.panels.self_attention;
  c.check(sa.mode === 'model' && sa.causal === true, 'model mode with the causal mask');
  const it = sa.tokens.indexOf('it');
  c.check(it > 0, `"it" is a token (${sa.tokens.join('|')})`);
  await page.mouse.move(5, 890);  // leave the field, then hover "it"
  await waitFrames(page, 2);
  await hoverHotspot(page, `sa-token-${it}`);
  sa = (await uiState(page)).panels.self_attention;
  c.check(sa.selected === it, `hovering "it" selects it (selected ${sa.selected})`);
  const allowed = sa.weights.slice(0, it + 1).reduce((a, b) => a + b, 0);
  c.check(Math.abs(allowed - 1) <= 1e-5, `weights on allowed positions sum to 1 (${allowed.toFixed(7)})`);
  c.check(sa.weights.slice(it + 1).every((w) => w === 0), `future positions get 0 (${sa.weights.slice(it + 1).join(',')})`);
  await page.screenshot({ path: path.join(out, 'self-attention-model-zh.png') });

  // Step by step: the "Step" button walks the formula.
  const before = sa.stage;
  await clickHotspot(page, 'sa_step');
  await clickHotspot(page, 'sa_step');
  sa = (await uiState(page)).panels.self_attention;
  c.check(sa.stage === (before + 2) % 7, `two clicks on Step advance two stages (${before} → ${sa.stage})`);

  // The language switch keeps the sentence and the selection.
  await clickHotspot(page, 'lang_toggle');
  st = await uiState(page);
  c.check(st.lang === 'en' && st.text === SENTENCE && st.panels.self_attention.selected === it,
          'switching to English keeps the sentence and the selected token');
  await page.screenshot({ path: path.join(out, 'self-attention-model-en.png') });
  // At 1280 × 800 the stage sits below the fold: "Step" brings it into view, buttons included.
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.mouse.move(900, 400);
  for (let k = 0; k < 8; k++) { await page.mouse.wheel(0, -400); await waitFrames(page, 1); }
  await waitFrames(page, 3);
  const canvasH = await page.evaluate(() => document.getElementById('canvas').height);
  const visible = (r) => r && r[1] >= 0 && r[3] <= canvasH;
  for (let k = 0; k < 20; k++) {  // scroll down as a student would, until the Step button shows
    st = await uiState(page);
    if (visible(st.hotspots.sa_step)) break;
    await page.mouse.wheel(0, 60);
    await waitFrames(page, 2);
  }
  c.check(visible(st.hotspots.sa_step) && !visible(st.hotspots.sa_stage_end),
          `before: the Step button is on screen, the stage's end is not (${st.hotspots.sa_stage_end}, canvas ${canvasH})`);
  const scrollBefore = st.page_scroll;
  await clickHotspot(page, 'sa_step');
  await waitFrames(page, 3);
  st = await uiState(page);
  c.check(st.page_scroll > scrollBefore && visible(st.hotspots.sa_stage_end) && visible(st.hotspots.sa_step),
          `after Step the new stage and the buttons are on screen (scroll ${scrollBefore} → ${st.page_scroll})`);
  await page.screenshot({ path: path.join(out, 'self-attention-step-1280x800-zh.png') });

  c.check(errors.length === 0, `no console errors (${errors.join(' | ')})`);
} finally {
  await browser.close();
  server.proc.kill();
}
console.log(`self_attention: ${c.passed} passed, ${c.failed} failed`);
process.exit(c.failed ? 1 : 0);
