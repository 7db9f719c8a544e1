// An embedded figure talks only to its host page.
//
// A page on another origin (a second server on another port) frames the exercises
// figure after the student has written notes and a name there. Checked: the host hears
// attnlab:ready with the panel and sentence only — none of the notes or the name; a sibling
// frame's attnlab:set is ignored while the host's own is obeyed; with &host= naming another
// origin, the figure neither posts to this page nor obeys it. The 11.4 figure reports its
// selected token (attnlab:hover) like the 11.2 one.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { arg, launchChromium, makeChecker, startServer, waitReady } from './lib.mjs';

const site = arg('--site');
const c = makeChecker();
const SECRET = 'Mein geheimer Aufsatz 9417';
const NAME = 'Lin Xiaoyu 3318';

const server = await startServer(site);
const app = server.url;                                        // http://localhost:PORT/
const hostDir = fs.mkdtempSync(path.join(os.tmpdir(), 'attnlab-host-'));
fs.writeFileSync(path.join(hostDir, 'index.html'), '');        // serve.py wants one
const hostServer = await startServer(hostDir);                 // another origin: another port
const browser = await launchChromium();

// The host page (on `other`): one figure, one sibling frame that tries to steer it, and a log.
const hostPage = (figureUrl) => `<!doctype html><body>
<iframe id="fig" src="${figureUrl}" width="900" height="600"></iframe>
<iframe id="sib" srcdoc="<script>window.go = () => parent.frames[0].postMessage({ type: 'attnlab:set', sentence: 'SIBLING' }, '*');</script>"></iframe>
<script>
  window.got = [];
  addEventListener('message', (e) => { if (e.source === document.getElementById('fig').contentWindow) window.got.push(e.data); });
</script></body>`;

try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, serviceWorkers: 'block' });
  // 1. The student's notes and name, written in the app on its own origin.
  const own = await context.newPage();
  await own.goto(`${app}?section=exercises&lang=en`);
  await waitReady(own);
  await own.evaluate(([secret, name]) => {  // the notes file's own format (session/report.cpp)
    localStorage.setItem('attnlab.notes', JSON.stringify({ version: 1, fields: { 'ex1.answer': secret, 'report.name': name },
                                                          guesses: [], figures: [] }));
  }, [SECRET, NAME]);
  await own.reload();
  await waitReady(own);
  const shown = await own.evaluate(() => JSON.stringify(window.attnlab.state()));
  c.check(shown.includes('Mein geheimer'), 'the exercises figure has the student\'s notes (they are in its state)');
  await own.close();

  for (const [what, query, expectTalk] of [['no &host=', '', true], ['&host= naming another origin', '&host=https://textbook.example.edu', false]]) {
    const page = await context.newPage();
    const figureUrl = `${app}?embed=1&panel=exercises&lang=en&sentence=The%20cat%20sat${query}`;
    fs.writeFileSync(path.join(hostDir, 'host.html'), hostPage(figureUrl));
    await page.goto(`${hostServer.url}host.html`);
    const fig = await (await page.waitForSelector('#fig')).contentFrame();
    await waitReady(fig);
    await page.waitForTimeout(500);
    const got = await page.evaluate(() => window.got);
    const text = JSON.stringify(got);
    if (expectTalk) {
      const ready = got.find((m) => m.type === 'attnlab:ready');
      c.check(!!ready && ready.panel === 'exercises' && ready.sentence === 'The cat sat',
              `${what}: the host hears attnlab:ready with panel and sentence (${text.slice(0, 120)})`);
      c.check(!!ready && Object.keys(ready).every((k) => ['type', 'panel', 'sentence', 'lang'].includes(k)), `${what}: and nothing else (${ready && Object.keys(ready)})`);
    } else {
      c.check(got.length === 0, `${what}: the page around the figure hears nothing (${text.slice(0, 120)})`);
    }
    c.check(!text.includes(SECRET) && !text.includes(NAME), `${what}: no note and no name leave the figure`);

    // A sibling frame tries to steer the figure; then the host itself.
    await (await (await page.$('#sib')).contentFrame()).evaluate(() => window.go());
    await page.waitForTimeout(500);
    c.check((await fig.evaluate(() => window.attnlab.state().text)) === 'The cat sat', `${what}: a sibling frame's attnlab:set is ignored`);
    await page.evaluate((origin) => document.getElementById('fig').contentWindow.postMessage({ type: 'attnlab:set', sentence: 'FROM HOST' }, origin), app.slice(0, -1));
    await page.waitForTimeout(500);
    const text2 = await fig.evaluate(() => window.attnlab.state().text);
    c.check(expectTalk ? text2 === 'FROM HOST' : text2 === 'The cat sat',
            `${what}: the host's attnlab:set is ${expectTalk ? 'obeyed' : 'ignored (not the named host)'} (${text2})`);
    await page.close();
  }

  // The 11.4 figure reports its selected token to the host too (its panel publishes
  // "selected"; the state of a panel the student left no longer speaks for the figure).
  {
    const page = await context.newPage();
    fs.writeFileSync(path.join(hostDir, 'host.html'),
                     hostPage(`${app}?embed=1&panel=visualize&lang=en&sentence=The%20robot%20delivered%20the%20mail%20after%20it%20was%20fixed.`));
    await page.goto(`${hostServer.url}host.html`);
    const fig = await (await page.waitForSelector('#fig')).contentFrame();
    await waitReady(fig);
    await page.waitForFunction(() => window.got.some((m) => m.type === 'attnlab:hover'), null, { timeout: 15000 }).catch(() => {});
    const hover = (await page.evaluate(() => window.got)).find((m) => m.type === 'attnlab:hover');
    const vis = await fig.evaluate(() => window.attnlab.state().panels.visualize);
    c.check(!!hover && !!vis && hover.index === vis.selected && hover.token === vis.tokens[vis.selected],
            `the 11.4 figure tells the host its selected token (${JSON.stringify(hover)})`);
    await page.close();
  }
  await context.close();
} finally {
  await browser.close();
  server.proc.kill();
  hostServer.proc.kill();
  fs.rmSync(hostDir, { recursive: true, force: true });
}
console.log(`${c.passed} passed, ${c.failed} failed`);
process.exit(c.failed ? 1 : 0);
