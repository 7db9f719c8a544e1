// 训练实验室 / Training lab in the browser: ?section=training-lab opens it, a click on
// "开始训练" starts training, the step counter advances while frames keep coming and the page
// still answers input (a language switch mid-training), "暂停" stops it; the order task's
// comparison trains four variants with a verdict each; exercise 1's button opens the lab on the
// two-lookups task; a 390×844 phone screen keeps the controls on the canvas.
//
//   node tests/browser/training_lab.mjs --site build/web/site --out build/web/screenshots
import fs from 'node:fs';
import path from 'node:path';
import { arg, clickHotspot, collectErrors, launchChromium, makeChecker, root, startServer, uiState, waitFrames,
         waitReady } from './lib.mjs';

const site = path.resolve(arg('--site', path.join(root, 'build/web/site')));
const out = path.resolve(arg('--out', path.join(root, 'build/web/screenshots')));
fs.mkdirSync(out, { recursive: true });
const c = makeChecker();
const lab = (st) => (st.panels && st.panels.training_lab) || { runs: [{}] };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function open(page, url) {
  await page.goto(url);
  await waitReady(page);
  await waitFrames(page, 4);
  return uiState(page);
}

const server = await startServer(site);
const browser = await launchChromium();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  const page = await context.newPage();
  const errors = collectErrors(page);

  // 1. Open the lab, press play.
  let st = await open(page, server.url + '?section=training-lab&task=induction');
  c.check(st.section === 'training-lab' && lab(st).task === 'induction', `?section=training-lab&task=induction opens the lab (${st.section}, ${lab(st).task})`);
  c.check(lab(st).playing === false && lab(st).step === 0, 'it waits for play at step 0');
  await clickHotspot(page, 'lab_play');
  st = await uiState(page);
  c.check(lab(st).playing === true, 'a click on the play button starts training');

  // 2. Steps advance while frames keep coming; measure both over two seconds.
  const a = await uiState(page);
  await sleep(2000);
  const b = await uiState(page);
  const seconds = 2.0;
  const fps = (b.frame - a.frame) / seconds, sps = (lab(b).step - lab(a).step) / seconds;
  console.log(`  (training: ${fps.toFixed(1)} frames/s, ${sps.toFixed(1)} steps/s, ${lab(b).frame_train_ms.toFixed(1)} ms of the last frame training)`);
  c.check(lab(b).step > lab(a).step, `the step counter advances (${lab(a).step} → ${lab(b).step})`);
  c.check(fps >= 5, `frames keep coming while training (${fps.toFixed(1)} frames/s)`);
  await page.screenshot({ path: path.join(out, 'training-lab-zh.png') });

  // 3. The page answers input mid-training: the language switches within a few frames.
  await clickHotspot(page, 'lang_toggle');
  st = await uiState(page);
  c.check(st.lang === 'en' && lab(st).playing === true, `the language switches while training goes on (${st.lang})`);
  await waitFrames(page, 10);
  await page.screenshot({ path: path.join(out, 'training-lab-en.png') });

  // 4. Pause stops it.
  await clickHotspot(page, 'lab_play');
  const paused = lab(await uiState(page)).step;
  await waitFrames(page, 10);
  st = await uiState(page);
  c.check(lab(st).playing === false && lab(st).step === paused, `pause stops training (step ${paused} → ${lab(st).step})`);
  const losses = lab(st).runs[0].history.loss;
  c.check(losses.length >= 2 && losses[losses.length - 1] < losses[0], `the loss has dropped (${losses[0]} → ${losses[losses.length - 1]})`);

  // 5. The order task's comparison: four variants, each with a verdict.
  st = await open(page, server.url + '?section=training-lab&task=order&compare=1&play=1&steps=60&lang=en');
  c.check(lab(st).compare === true && lab(st).runs.length === 4, `?compare=1 on the order task trains four variants (${lab(st).runs.length})`);
  c.check(st.hotspots.lab_accuracy_chart_compare !== undefined, 'the overlaid accuracy chart is drawn');
  await page.waitForFunction(() => {
    const s = JSON.parse(window.Module.ccall('attnlab_ui_state_json', 'string', [], []));
    return s.panels.training_lab && s.panels.training_lab.playing === false;
  }, null, { timeout: 120000 });
  st = await uiState(page);
  const runs = lab(st).runs;
  c.check(runs.every((r) => r.step === 60 && r.eval_accuracy !== null), `every variant trained 60 steps and was evaluated (${runs.map((r) => r.step)})`);
  c.check(runs.every((r) => r.verdict.includes(`${Math.round(100 * r.eval_accuracy)}%`)),
          `each verdict states its measured accuracy (${runs.map((r) => r.verdict).join(' | ')})`);
  await page.screenshot({ path: path.join(out, 'training-lab-compare-en.png') });

  // 6. Exercise 1's button opens the lab on the two-lookups task.
  st = await open(page, server.url + '?section=exercises&lang=zh');
  await clickHotspot(page, 'ex_tab_heads');
  await clickHotspot(page, 'ex_lab_heads');
  st = await uiState(page);
  c.check(st.section === 'training-lab' && lab(st).task === 'two-lookups', `exercise 1 links to the lab on two lookups (${st.section}, ${lab(st).task})`);

  // 7. A phone: the controls stay on the canvas, the head maps are drawn.
  await page.setViewportSize({ width: 390, height: 844 });
  st = await open(page, server.url + '?section=training-lab&task=order&play=1&steps=100&lang=zh');
  await waitFrames(page, 10);
  st = await uiState(page);
  const width = await page.evaluate(() => document.getElementById('canvas').width);
  const inside = ['lab_play', 'lab_reset', 'lab_task', 'lab_lr', 'lab_speed'].every((k) => st.hotspots[k] && st.hotspots[k][2] <= width + 1);
  c.check(inside, `on a 390-px phone the controls stay inside the canvas (${width} px)`);
  c.check(lab(st).step > 0, `training runs on the phone (step ${lab(st).step})`);
  await page.screenshot({ path: path.join(out, 'training-lab-phone.png') });
  c.check(errors.length === 0, `no console errors (${errors.join(' | ')})`);
} finally {
  await browser.close();
  server.proc.kill();
}
console.log(`training_lab: ${c.passed} passed, ${c.failed} failed`);
process.exit(c.failed ? 1 : 0);
