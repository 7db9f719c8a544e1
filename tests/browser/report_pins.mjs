// 11.4's "pin to report" (issue 16, item 3): a note typed in 11.4 and the pinned head's numbers
// are saved at once (localStorage, without opening the exercises), survive a reload, and come
// out in the downloaded report under an 11.4 heading: the selected token's row with the same
// weights the panel shows, the whole matrix, the note as a quote.
import fs from 'node:fs';
import path from 'node:path';
import { arg, browserTest, clickHotspot, collectErrors, makeChecker, uiState, waitFrames, waitReady } from './lib.mjs';

const site = arg('--site');
const out = arg('--out', '');
const c = makeChecker();
const NOTE = 'Compare "robot" and "mail" in this head.';

// Wheel the page until the hotspot is wholly on screen.
async function scrollTo(page, name) {
  const canvasH = await page.evaluate(() => document.getElementById('canvas').height);
  for (let k = 0; k < 30; k++) {
    const r = (await uiState(page)).hotspots[name];
    if (r && r[1] >= 0 && r[3] <= canvasH) return true;
    await page.mouse.move(1200, 450);
    await page.mouse.wheel(0, !r || r[3] > canvasH ? 200 : -200);
    await waitFrames(page, 2);
  }
  return false;
}

await browserTest(site, async ({ server, browser }) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN', acceptDownloads: true,
                                             serviceWorkers: 'block' });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(`${server.url}?section=visualize`);
  await waitReady(page);
  await waitFrames(page, 4);

  c.check(await scrollTo(page, 'vis_pin_note'), 'the note box of "pin to report" is reachable');
  await clickHotspot(page, 'vis_pin_note');
  await page.keyboard.type(NOTE, { delay: 5 });
  await waitFrames(page, 3);
  await page.mouse.move(1200, 450);  // off the box
  c.check(await scrollTo(page, 'vis_pin'), 'the pin button is reachable');
  const vis = (await uiState(page)).panels.visualize;
  await clickHotspot(page, 'vis_pin');
  await waitFrames(page, 4);
  const stored = await page.evaluate(() => window.localStorage.getItem('attnlab.notes') || '');
  c.check(stored.includes('11.4') && stored.includes(NOTE.replace(/"/g, '\\"')),
          'the pin and the note are in localStorage at once, without opening the exercises');

  await page.reload();
  await waitReady(page);
  await waitFrames(page, 4);
  await page.goto(`${server.url}?section=exercises`);
  await waitReady(page);
  await waitFrames(page, 4);
  await clickHotspot(page, 'ex_tab_report');
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 15000 }), clickHotspot(page, 'ex_export')]);
  const file = path.join(out || fs.mkdtempSync('/tmp/attnlab-pins-'), 'report-with-pin.md');
  await download.saveAs(file);
  const md = fs.readFileSync(file, 'utf8');
  const heading = md.indexOf('### 11.4 可视化注意力');
  c.check(heading > 0, 'the report has an 11.4 group after the reload');
  c.check(md.indexOf('#### 第 1 层 · 第 1 个头 · “it”', heading) > heading, 'the pinned figure is titled by its layer, head and token');
  c.check(md.includes(`> ${NOTE}`), 'the note is quoted under the figure');
  // The row as the panel published it: token i's weight in the pinned table, three decimals.
  const row = vis && vis.weights;
  const names = vis && vis.tokens;
  let same = Array.isArray(row) && Array.isArray(names) && row.length === names.length && row.length > 0;
  for (let j = 0; same && j < row.length; j++) same = md.includes(`| ${names[j]} | ${row[j].toFixed(3)} |`);
  c.check(same, `every weight of the "it" row is in the report (${JSON.stringify(row)})`);
  c.check(md.includes('**整个注意力矩阵（行：查询，列：键）**'), 'the whole matrix of the short sentence is there');

  // The same report as one web page, opened in the browser from the file it downloaded: the
  // pin's matrix is a coloured table and the note is text.
  const [htmlDownload] = await Promise.all([page.waitForEvent('download', { timeout: 15000 }), clickHotspot(page, 'ex_export_html')]);
  c.check(htmlDownload.suggestedFilename() === 'attnlab-report.html', `the HTML report downloads (${htmlDownload.suggestedFilename()})`);
  const htmlFile = path.join(path.dirname(file), 'report-with-pin.html');
  await htmlDownload.saveAs(htmlFile);
  const viewer = await context.newPage();
  await viewer.goto(`file://${htmlFile}`);
  const seen = await viewer.evaluate(() => ({
    title: document.title,
    h4: [...document.querySelectorAll('h4')].map((h) => h.textContent),
    quotes: [...document.querySelectorAll('blockquote')].map((q) => q.textContent),
    coloured: [...document.querySelectorAll('td.w')].map((td) => getComputedStyle(td).backgroundColor),
    scripts: document.scripts.length,
  }));
  c.check(seen.h4.some((h) => h.includes('第 1 层 · 第 1 个头 · “it”')), `the pin has its heading in the page (${seen.h4.join(' / ')})`);
  c.check(seen.quotes.includes(NOTE), 'the note is a quote, as typed');
  const n = names ? names.length : 0;
  c.check(seen.coloured.length >= n + n * n && new Set(seen.coloured).size > 2,
          `the row and the ${n}×${n} matrix are coloured cells (${seen.coloured.length}, ${new Set(seen.coloured).size} colours)`);
  c.check(seen.scripts === 0, 'the page runs no script');
  await viewer.close();
  c.check(errors.length === 0, `no console errors (${errors.slice(0, 3).join(' | ')})`);
  await context.close();
}, c);
