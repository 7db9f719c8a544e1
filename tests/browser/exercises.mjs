// 练习与作业 in the browser: a note typed into an answer box through the real page survives a
// reload (localStorage) and a language switch, and goes into the downloaded report.
//
//   node tests/browser/exercises.mjs --site build/web/site --out build/web/screenshots
//
// Typed with the keyboard after a real click on the box's hotspot: two lines, quotes; Chinese
// as an input method commits it (no key events: the page's text-input helper passes it on). The
// page is reloaded once after the autosave (the note is in localStorage) and once right after
// typing more (the page saves as it goes away). "Export report" starts a download of a
// Markdown file holding the note. No console errors.
import fs from 'node:fs';
import path from 'node:path';
import { arg, clickHotspot, collectErrors, launchChromium, makeChecker, root, startServer, uiState, waitFrames,
         waitReady } from './lib.mjs';

const site = path.resolve(arg('--site', path.join(root, 'build/web/site')));
const out = path.resolve(arg('--out', path.join(root, 'build/web/screenshots')));
fs.mkdirSync(out, { recursive: true });
const c = makeChecker();
const LINE1 = 'Each head looks at a "different" relation:';
const LINE2 = 'head 3 follows the previous word.';
const MORE = ' Saved on the way out.';
const CHINESE = ' 多头注意力：每个头看不同的关系。';  // no key types these: they come as an input method's text
const ZH = '（多头分工）';
const NOTE = `${LINE1}\n${LINE2}${ZH}`;

const answer = (st) => st.panels.exercises && st.panels.exercises.fields['ex1.answer'];
const stored = (page) => page.evaluate(() => window.localStorage.getItem('attnlab.notes') || '');

async function open(page, url) {
  await page.goto(url);
  await waitReady(page);
  await waitFrames(page, 4);
  return uiState(page);
}

const server = await startServer(site);
const browser = await launchChromium();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN', acceptDownloads: true });
  const page = await context.newPage();
  const errors = collectErrors(page);
  let st = await open(page, server.url + '?section=exercises');
  c.check(st.section === 'exercises' && st.lang === 'zh-CN', 'the page opens on 练习与作业 in Chinese');
  const ex = st.panels.exercises;
  c.check(ex && ex.storage.browser === true, 'the notes are kept in this browser');
  c.check(ex && !ex.fields['ex1.answer'], 'a fresh browser has no answer yet');

  // Type two lines into exercise 1's answer box.
  await clickHotspot(page, 'ex1_answer');
  await page.keyboard.type(LINE1, { delay: 5 });
  await page.keyboard.press('Enter', { delay: 30 });
  await page.keyboard.type(LINE2, { delay: 5 });
  await waitFrames(page, 4);
  st = await uiState(page);
  c.check(answer(st) === `${LINE1}\n${LINE2}`, `the typed note is the answer (${JSON.stringify(answer(st))})`);
  c.check(await page.evaluate(() => document.activeElement && document.activeElement.id === 'text-input'),
          'while the box is active the text-input helper of the page has the focus');
  await page.keyboard.insertText(CHINESE);  // what an input method commits (no key events)
  await waitFrames(page, 4);
  c.check(answer(await uiState(page)) === `${LINE1}\n${LINE2}${CHINESE}`,
          `text from an input method reaches the box once (${JSON.stringify(answer(await uiState(page)))})`);
  for (let i = 0; i < [...CHINESE].length; ++i) {  // ImGui 1.86 polls keys once a frame: one press per frame
    await page.keyboard.press('Backspace', { delay: 30 });
    await waitFrames(page, 1);
  }
  await waitFrames(page, 3);
  c.check(answer(await uiState(page)) === `${LINE1}\n${LINE2}`, 'and Backspace takes it away again, character by character');
  await page.keyboard.insertText(ZH);
  await waitFrames(page, 3);
  await page.waitForFunction((t) => (window.localStorage.getItem('attnlab.notes') || '').includes(t), ZH, { timeout: 10000 })
    .catch(() => {});
  const saved = await stored(page);
  c.check(saved.includes(ZH) && JSON.parse(saved).fields['ex1.answer'] === NOTE,
          'it is saved to localStorage a moment after typing stops');
  await page.screenshot({ path: path.join(out, 'exercises-typed-zh.png') });

  // Reload: the note is back in the box.
  st = await open(page, server.url + '?section=exercises');
  c.check(answer(st) === NOTE, `after a reload the note is still there (${JSON.stringify(answer(st))})`);
  await page.screenshot({ path: path.join(out, 'exercises-reloaded-zh.png') });

  // Type more and reload at once: the page saves as it goes away.
  await clickHotspot(page, 'ex1_answer');
  await page.keyboard.press('Control+End', { delay: 30 });
  await page.keyboard.type(MORE, { delay: 5 });
  await waitFrames(page, 3);
  c.check(answer(await uiState(page)) === `${NOTE}${MORE}`, 'more text is typed at the end');
  st = await open(page, server.url + '?section=exercises');
  c.check(answer(st) === `${NOTE}${MORE}`, `a reload right after typing loses nothing (${JSON.stringify(answer(st))})`);

  // The language switch keeps it.
  await clickHotspot(page, 'lang_toggle');
  st = await uiState(page);
  c.check(st.lang === 'en' && answer(st) === `${NOTE}${MORE}`, 'switching to English keeps the note');
  await page.screenshot({ path: path.join(out, 'exercises-en.png') });

  // The report: a download holding the note.
  await clickHotspot(page, 'ex_tab_report');
  st = await uiState(page);
  c.check(st.panels.exercises.tab === 'report', 'the report tab opens with a click');
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 10000 }), clickHotspot(page, 'ex_export')]);
  const file = path.join(out, 'exercises-report.md');
  await download.saveAs(file);
  const md = fs.readFileSync(file, 'utf8');
  c.check(download.suggestedFilename() === 'attnlab-report.md', `the download is attnlab-report.md (${download.suggestedFilename()})`);
  c.check(md.includes(`> ${LINE1}\n> ${LINE2}${ZH}${MORE}`), 'the downloaded report quotes the note');
  c.check(md.startsWith('# Attention Lab'), 'the report is in the language on screen');
  await page.screenshot({ path: path.join(out, 'exercises-report-en.png') });
  c.check(errors.length === 0, `no console errors (${errors.join(' | ')})`);

  // Notes that cannot be read, twice: both versions are kept (the newest as .bak, the one
  // before as .bak.1), the warning stands where the student types (exercise 1), and the
  // backup downloads from there.
  const ctx2 = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en', acceptDownloads: true });
  const p2 = await ctx2.newPage();
  await p2.goto(server.url + '?section=exercises&lang=en');
  await waitReady(p2);
  for (const bad of ['{"fields": half a file', '{"fields": another broken one']) {
    await p2.evaluate((t) => window.localStorage.setItem('attnlab.notes', t), bad);
    st = await open(p2, server.url + '?section=exercises&lang=en');
  }
  const kept = await p2.evaluate(() => [window.localStorage.getItem('attnlab.notes.bak'), window.localStorage.getItem('attnlab.notes.bak.1')]);
  c.check(kept[0] === '{"fields": another broken one' && kept[1] === '{"fields": half a file',
          `two corruptions keep two backups, newest first (${JSON.stringify(kept)})`);
  c.check(st.panels.exercises.tab !== 'report' && st.panels.exercises.storage.broken && 'ex_notes_broken' in st.hotspots,
          `the warning shows on the exercise tab (${st.panels.exercises.tab})`);
  const [backup] = await Promise.all([p2.waitForEvent('download', { timeout: 10000 }), clickHotspot(p2, 'ex_backup')]);
  const backupFile = path.join(out, 'notes-backup.json');
  await backup.saveAs(backupFile);
  c.check(backup.suggestedFilename() === 'attnlab-notes-backup.json' && fs.readFileSync(backupFile, 'utf8') === kept[0],
          `"Download the backup" gives the newest unreadable notes (${backup.suggestedFilename()})`);
  await p2.screenshot({ path: path.join(out, 'exercises-broken-notes-en.png') });
  await ctx2.close();
} finally {
  await browser.close();
  server.proc.kill();
}
console.log(`exercises: ${c.passed} passed, ${c.failed} failed`);
process.exit(c.failed ? 1 : 0);
