// Embedding, offline use and phones (issue: embed in the textbook), in Debian's Chromium.
//
//   node tests/browser/embed.mjs --site build/web/site --out build/web/screenshots
//
// - examples/textbook.html loads both embedded figures (embed mode: no navigation);
// - postMessage from the textbook page sets the figure's sentence; the figure reports the
//   selected token back ("attnlab:hover");
// - a malicious ?sentence=<img … onerror=…> is shown as plain text and runs nothing; a
//   sentence past 500 characters is cut at a whole character and a notice says so;
// - after one visit the service worker serves the page with the network off;
// - on a 360×740 touch screen, tapping a token selects it;
// - Chinese typed with an input method (composition events) into the HTML field over the
//   canvas reaches the engine, and the screen-reader mirror lists the tokens and weights.
import fs from 'node:fs';
import path from 'node:path';
import { arg, collectErrors, hotspotInFrame, launchChromium, makeChecker, root, startServer } from './lib.mjs';

const site = path.resolve(arg('--site', path.join(root, 'build/web/site')));
const out = path.resolve(arg('--out', path.join(root, 'build/web/screenshots')));
fs.mkdirSync(out, { recursive: true });
const c = makeChecker();

const frameState = (frame) => frame.evaluate(() => (window.attnlab ? window.attnlab.state() : null));
const frameReady = (frame) => frame.waitForFunction(() => window.Module && window.Module.attnlabModelSettled === true, null, { timeout: 90000 });
async function frameFrames(frame, n) {  // the app draws on demand: each check wakes it (lib.mjs waitFrames)
  const start = (await frameState(frame)).frame;
  await frame.waitForFunction(([s, k]) => { window.attnlab.wake(); return window.attnlab.state().frame >= s + k; },
                              [start, n], { timeout: 20000 });
}

const server = await startServer(site);
const browser = await launchChromium();
try {
  // 1. The textbook page with two figures.
  {
    const context = await browser.newContext({ viewport: { width: 1100, height: 1400 }, locale: 'zh-CN' });
    const page = await context.newPage();
    const errors = collectErrors(page);
    await page.goto(server.url + 'examples/textbook.html');
    await page.locator('#fig-sequence').scrollIntoViewIfNeeded();
    const sa = page.frameLocator('#fig-self-attention');
    const frames = () => page.frames().filter((f) => f !== page.mainFrame());
    await page.waitForFunction(() => document.querySelectorAll('iframe').length === 2);
    await page.waitForTimeout(500);
    const [f1, f2] = [page.frame({ url: /panel=self-attention/ }), page.frame({ url: /panel=sequence/ })];
    c.check(!!f1 && !!f2, `both figures are frames of the page (${frames().length})`);
    await Promise.all([frameReady(f1), frameReady(f2)]);
    const s1 = await frameState(f1), s2 = await frameState(f2);
    c.check(s1.embed && s1.section === 'self-attention' && s2.embed && s2.section === 'sequence',
            `each iframe shows its one figure in embed mode (${s1.section}, ${s2.section})`);
    c.check(s1.text === 'The cat sat on the mat', `the sentence parameter reached the figure (${JSON.stringify(s1.text)})`);
    c.check(!('nav-sequence' in s1.hotspots), 'no chapter navigation inside an embedded figure');

    // 2. postMessage: the page's button sends a sentence to the figure.
    await page.locator('#send').click();
    await f1.waitForFunction(() => window.attnlab.state().text.startsWith('The robot'), null, { timeout: 10000 });
    c.check((await frameState(f1)).text === 'The robot delivered the mail after it was fixed.', 'postMessage set the sentence');
    await frameFrames(f1, 3);
    const toy = (await frameState(f1)).panels.self_attention;
    c.check(toy.mode === 'toy' && toy.tokens.join(' ') === 'The robot delivered the mail after it was fixed.',
            `the toy figure itself shows the sent sentence (${toy.mode}: ${toy.tokens.join('|')})`);
    // The figure reports the selected token to the page.
    await frameFrames(f1, 3);
    const st = await frameState(f1);
    const it = st.panels.self_attention.tokens.indexOf('mat') >= 0 ? st.panels.self_attention.tokens.indexOf('mat') : 1;
    const p = await hotspotInFrame(page, f1, `sa-token-${it}`, '#fig-self-attention');
    await page.mouse.move(p.x - 4, p.y);
    await page.mouse.move(p.x, p.y);
    await page.waitForFunction(() => /hover: /.test(document.getElementById('events').textContent), null, { timeout: 10000 });
    const events = await page.locator('#events').textContent();
    c.check(/hover: \S+ \(#\d+\)/.test(events), `the figure reports hovered tokens to the page (${events})`);
    await page.screenshot({ path: path.join(out, 'embed-textbook.png'), fullPage: true });

    // The app's "Embed this figure" dialog writes a snippet whose address opens the same figure.
    const app = await context.newPage();
    await app.goto(server.url + '?section=visualize&lang=en&layer=2&head=3');
    await frameReady(app.mainFrame());
    const btn = await hotspotInFrame(app, app.mainFrame(), 'embed_button', null);
    await app.mouse.move(btn.x, btn.y);
    await frameFrames(app.mainFrame(), 2);
    await app.mouse.down();
    await frameFrames(app.mainFrame(), 2);
    await app.mouse.up();
    await app.waitForFunction(() => !!window.attnlab.state().panels.embed_snippet, null, { timeout: 10000 });
    const snippet = (await frameState(app.mainFrame())).panels.embed_snippet;
    const src = /src="([^"]+)"/.exec(snippet)[1].replace(/&amp;/g, '&');
    c.check(src.startsWith(server.url.replace('localhost', 'localhost')) && /embed=1&panel=visualize&lang=en&sentence=The%20robot/.test(src),
            `the embed dialog writes the iframe snippet (${src.slice(0, 90)}…)`);
    c.check(/&layer=2&head=3$/.test(src), `the snippet keeps the figure's layer and head (…${src.slice(-20)})`);
    await app.screenshot({ path: path.join(out, 'embed-dialog.png') });
    await app.goto(src);
    await frameReady(app.mainFrame());
    const embedded = await frameState(app.mainFrame());
    await frameFrames(app.mainFrame(), 3);
    const vis = (await frameState(app.mainFrame())).panels.visualize;
    c.check(embedded.embed && embedded.section === 'visualize' && embedded.lang === 'en' && embedded.text.startsWith('The robot') &&
            vis.layer === 2 && vis.head === 3, `the snippet's address opens that figure in embed mode, at layer ${vis.layer} head ${vis.head}`);
    c.check(errors.length === 0, `textbook page: no console errors (${errors.join(' | ')})`);
    await context.close();
  }

  // 3. A malicious sentence parameter is text, never HTML or script.
  {
    const context = await browser.newContext({ viewport: { width: 900, height: 700 } });
    const page = await context.newPage();
    const requests = [];
    page.on('request', (r) => requests.push(r.url()));
    let dialog = false;
    page.on('dialog', async (d) => { dialog = true; await d.dismiss(); });
    const evil = '<img src=x onerror="window.__pwned=1;alert(1)">';
    await page.goto(server.url + '?embed=1&panel=self-attention&sentence=' + encodeURIComponent(evil));
    await frameReady(page.mainFrame());
    await frameFrames(page.mainFrame(), 3);
    const st = await frameState(page.mainFrame());
    c.check(st.text === evil, `the sentence is kept as plain text (${JSON.stringify(st.text)})`);
    const pwned = await page.evaluate(() => window.__pwned === 1 || document.querySelectorAll('img').length > 0);
    c.check(!pwned && !dialog, 'nothing from the parameter ran or became an element');
    c.check(!requests.some((u) => /\/x($|\?)/.test(u)), 'no request for the injected image');
    await page.screenshot({ path: path.join(out, 'embed-malicious-sentence.png') });
    // A sentence past 500 characters is cut at a whole character (the emoji stays one) and said.
    const long = 'a'.repeat(499) + '😀' + 'b'.repeat(20);
    await page.goto(server.url + '?embed=1&panel=self-attention&sentence=' + encodeURIComponent(long));
    await frameReady(page.mainFrame());
    const cut = (await frameState(page.mainFrame())).text;
    c.check(cut === 'a'.repeat(499) + '😀', `a 520-character sentence keeps its first 500 characters, emoji whole (${cut.length} UTF-16 units, ends ${JSON.stringify(cut.slice(-3))})`);
    const notice = await page.evaluate(() => !document.getElementById('notice').hidden && document.getElementById('notice-en').textContent);
    c.check(!!notice && notice.includes('500'), `and a notice says it was cut (${notice})`);
    await context.close();
  }

  // 4. Offline after one visit (service worker).
  {
    const context = await browser.newContext({ viewport: { width: 1000, height: 700 }, serviceWorkers: 'allow' });
    const page = await context.newPage();
    await page.goto(server.url + '?section=self-attention');
    await frameReady(page.mainFrame());
    await page.waitForFunction(async () => {
      const reg = await navigator.serviceWorker.ready;
      if (!reg.active) return false;
      const cache = await caches.open('attnlab-app-v1');
      return !!(await cache.match('attnlab.wasm')) && !!(await cache.match('assets/fonts/ui-font.ttf'));
    }, null, { timeout: 60000 });
    c.check(true, 'the service worker cached the app on the first visit');
    await context.setOffline(true);
    await page.reload();
    await frameReady(page.mainFrame());
    const st = await frameState(page.mainFrame());
    c.check(st && st.section === 'self-attention', 'offline: the page reloads and draws');
    c.check(st && st.model !== null, `offline: the bundled model is there too (${st && st.model && st.model.name})`);
    await page.screenshot({ path: path.join(out, 'offline-reload.png') });
    await context.close();
  }

  // 5. A phone: 360×740, touch. Tapping a token selects it.
  {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true,
                                               hasTouch: true, locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(server.url + '?section=self-attention');
    await frameReady(page.mainFrame());
    await frameFrames(page.mainFrame(), 3);
    let sa = (await frameState(page.mainFrame())).panels.self_attention;
    const target = sa.tokens.indexOf('cat');
    const p = await hotspotInFrame(page, page.mainFrame(), `sa-token-${target}`, null);
    c.check(p.x > 0 && p.x < 360, `the token strip fits the phone's width (cat at x=${p.x.toFixed(0)})`);
    await page.touchscreen.tap(p.x, p.y);
    await frameFrames(page.mainFrame(), 4);
    sa = (await frameState(page.mainFrame())).panels.self_attention;
    c.check(sa.selected === target, `tapping "cat" selects it (selected ${sa.selected})`);
    await page.screenshot({ path: path.join(out, 'phone-360-tap.png') });
    await context.close();
  }

  // 6. An input method: composition events in the HTML text field, and the ARIA mirror.
  {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, locale: 'zh-CN' });
    const page = await context.newPage();
    const errors = collectErrors(page);
    await page.goto(server.url + '?section=visualize');
    await frameReady(page.mainFrame());
    await page.waitForSelector('#text-overlay:not([hidden])', { timeout: 10000 });
    c.check(true, 'the HTML text field lies over the figure\'s sentence field');
    await page.click('#text-overlay');
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
    const cdp = await context.newCDPSession(page);
    await cdp.send('Input.imeSetComposition', { text: 'mao', selectionStart: 3, selectionEnd: 3 });
    await frameFrames(page.mainFrame(), 3);
    const during = (await frameState(page.mainFrame())).text;
    c.check(during === '', `nothing reaches the engine while composing (${JSON.stringify(during)})`);
    await cdp.send('Input.insertText', { text: '猫坐在垫子上' });  // the IME commits
    await page.waitForFunction(() => window.attnlab.state().text === '猫坐在垫子上', null, { timeout: 10000 });
    c.check(true, 'the committed Chinese sentence reaches the engine');
    await frameFrames(page.mainFrame(), 4);
    const st = await frameState(page.mainFrame());
    const rows = await page.$$eval('#a11y-rows tr', (trs) => trs.map((tr) => [tr.cells[0].textContent, tr.cells[1].textContent]));
    const tokens = st.panels.visualize.tokens;
    c.check(rows.length === tokens.length && rows.length > 6, `the ARIA table lists every token (${rows.length} rows, ${tokens.length} tokens)`);
    c.check(rows.every((r, j) => r[0] === tokens[j]), 'ARIA row headers are the tokens as drawn');
    const sum = rows.reduce((a, r) => a + Number(r[1]), 0);
    c.check(Math.abs(sum - 1) < 0.02, `ARIA weights are the selected row (sum ${sum.toFixed(3)})`);
    c.check(/猫坐在垫子上/.test(await page.locator('#a11y-summary').textContent()), 'the mirror says the sentence');
    await page.screenshot({ path: path.join(out, 'ime-chinese-sentence.png') });
    c.check(errors.length === 0, `IME page: no console errors (${errors.join(' | ')})`);
    await context.close();
  }
} finally {
  await browser.close();
  server.proc.kill();
}
console.log(`embed: ${c.passed} passed, ${c.failed} failed`);
process.exit(c.failed ? 1 : 0);
