// The memory budget in the page (issue 15): a GPT-2-small-shaped model on a 1024-token text
// traces with the wasm heap under 1 GB; what cannot fit is refused before it is downloaded or
// read, or traced shorter, always with a message and the page alive. (It ended in `Aborted()`.)
//
//   node tests/browser/memory.mjs --site build/web/site --small build/web/gpt2-small-random/gpt2-small-q8_0.gguf
//
// --small: tools/make-gpt2-small-model.sh. The page is served from a temporary folder: links to
// every file of --site plus test-models/ (that model and a sparse 3 GB "huge.gguf").
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { arg, browserTest, collectErrors, makeChecker, uiState, waitFrames, waitReady } from './lib.mjs';

const site = path.resolve(arg('--site'));
const small = path.resolve(arg('--small'));
const GIB = 1024 ** 3;
const MIB = 1024 ** 2;

const served = fs.mkdtempSync(path.join(os.tmpdir(), 'attnlab-memory-test-'));
for (const entry of fs.readdirSync(site)) fs.symlinkSync(path.join(site, entry), path.join(served, entry));
fs.mkdirSync(path.join(served, 'test-models'));
fs.symlinkSync(small, path.join(served, 'test-models', 'gpt2-small.gguf'));
const huge = path.join(served, 'test-models', 'huge.gguf');
fs.closeSync(fs.openSync(huge, 'w'));
fs.truncateSync(huge, 3 * GIB);  // sparse: announces 3 GB, takes no disk

const notice = (page) => page.evaluate(() => {
  const n = document.getElementById('notice');
  return { shown: !n.hidden, text: n.textContent.replace(/\s+/g, ' ') };
});
const heapBytes = (page) => page.evaluate(() => window.Module.HEAPU8.buffer.byteLength);
const cats = ' cat'.repeat(1024);  // 1024 tokens

const c = makeChecker();
await browserTest(served, async ({ server, browser }) => {
  const open = async (query) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, serviceWorkers: 'block' });
    const page = await context.newPage();
    const errors = collectErrors(page);
    const received = {};  // test model -> bytes of finished downloads (a cancelled one never finishes)
    page.on('requestfinished', async (r) => {
      const name = r.url().split('/').pop();
      if (!r.url().includes('/test-models/')) return;
      const sizes = await r.sizes().catch(() => ({ responseBodySize: 0 }));
      received[name] = (received[name] || 0) + sizes.responseBodySize;
    });
    await page.goto(`${server.url}?${query}`);
    await waitReady(page);
    return { context, page, errors, received };
  };

  // 1. A 3 GB ?model=: refused from its Content-Length; the bundled model instead.
  {
    const { context, page, errors, received } = await open('model=test-models/huge.gguf&lang=en');
    const n = await notice(page);
    c.check(n.shown && n.text.includes('memory budget') && n.text.includes('内存预算') && n.text.includes('3072.0 MiB'),
            `a 3 GB ?model= is not downloaded, and the notice says why: "${n.text.slice(0, 150)}"`);
    const st = await uiState(page);
    c.check(st.model && st.model.name.startsWith('attnlab-demo'), `the bundled model is used instead (${st.model && st.model.name})`);
    c.check(!(received['huge.gguf'] > 0), `none of its bytes were kept (${received['huge.gguf'] || 0})`);
    await waitFrames(page, 2);
    c.check(errors.every((e) => !/Aborted|out of memory/i.test(e)), `no abort (${errors.slice(0, 2).join(' | ')})`);
    await context.close();
  }

  // 2. GPT-2 small on 1024 tokens: traced whole, the heap under 1 GB.
  {
    const { context, page, errors } = await open('model=test-models/gpt2-small.gguf&lang=en&section=visualize');
    let st = await uiState(page);
    c.check(st.model && st.model.n_layer === 12 && st.memory.budget === 900 * MIB,
            `GPT-2 small is loaded under the default 900 MiB budget (${st.model && st.model.name}, ${st.memory.budget})`);
    const before = await heapBytes(page);
    const started = Date.now();
    // A pass this long would block the page for many seconds (one thread): the tokens come at
    // once and the pass runs in pieces, a few each frame, while the page keeps drawing.
    const announced = await page.evaluate((t) => { window.attnlab.setText(t); return window.attnlab.state(); }, cats);
    c.check(announced.tokens.length === 1024 && announced.memory.waiting === true,
            `the 1024 tokens are there at once, and the pass is under way (waiting: ${announced.memory.waiting})`);
    await waitFrames(page, 4);
    const during = await uiState(page);
    c.check(during.memory.waiting === true && during.memory.pass_done > 0 && during.memory.pass_done < 1024,
            `the page draws frames during the pass, which counts its tokens (${during.memory.pass_done} of 1024 after ${during.frame - announced.frame} frames)`);
    await page.waitForFunction(() => { const s = window.attnlab.state(); return s.tokens.length === 1024 && !s.memory.waiting; },
                               null, { timeout: 240000, polling: 500 });
    const seconds = (Date.now() - started) / 1000;
    await waitFrames(page, 3);  // and it still draws
    st = await uiState(page);
    const heap = await heapBytes(page);
    console.log(`  note heap ${(before / MIB).toFixed(0)} MiB -> ${(heap / MIB).toFixed(0)} MiB, trace ${seconds.toFixed(1)} s`);
    c.check(st.memory.kept === 1024 && !st.memory.by_memory && st.text_error === '',
            `all 1024 tokens are traced, nothing cut (${st.memory.kept}, "${st.text_error}")`);
    c.check(st.memory.detail === 'no_qkv' && st.memory.planned <= st.memory.budget,
            `the trace keeps attention and the residual stream (${st.memory.detail}, ${(st.memory.planned / MIB).toFixed(0)} MiB planned)`);
    c.check(heap <= 1e9, `the wasm heap stays at most 1 GB (${(heap / 1e6).toFixed(0)} MB)`);
    c.check(errors.length === 0, `no console errors (${errors.slice(0, 3).join(' | ')})`);
    await context.close();
  }

  // 3. ?memory=100: the same model (134 MB) is not downloaded; the notice is in both languages.
  {
    const { context, page, received } = await open('model=test-models/gpt2-small.gguf&memory=100&lang=zh');
    const n = await notice(page);
    c.check(n.shown && n.text.includes('100.0 MiB 的内存预算') && n.text.includes('memory budget of 100.0 MiB'),
            `?memory=100 refuses the 134 MB model before downloading it: "${n.text.slice(0, 120)}"`);
    const st = await uiState(page);
    c.check(st.memory.budget === 100 * MIB && st.model.name.startsWith('attnlab-demo'),
            `the app runs with the 100 MiB budget and the bundled model (${st.memory.budget}, ${st.model.name})`);
    c.check(!(received['gpt2-small.gguf'] > 0), `its download was stopped at the headers (${received['gpt2-small.gguf'] || 0} bytes)`);
    await context.close();
  }

  // 4. ?memory=200: the model fits, 1024 tokens do not: cut to what fits, said in the figure.
  {
    const { context, page, errors } = await open('model=test-models/gpt2-small.gguf&memory=200&lang=zh&section=visualize');
    await page.evaluate((t) => window.attnlab.setText(t), cats);
    await page.waitForFunction(() => { const s = window.attnlab.state(); return s.memory.by_memory === true && s.tokens.length > 0 && !s.memory.waiting; },
                               null, { timeout: 240000, polling: 500 });
    await waitFrames(page, 3);
    const st = await uiState(page);
    c.check(st.memory.kept < 1024 && st.tokens.length === st.memory.kept && st.memory.typed === 1024,
            `a 1024-token text under 200 MiB is traced as far as it fits (${st.memory.kept} tokens)`);
    c.check(st.memory.planned <= 200 * MIB, `the plan fits the budget (${(st.memory.planned / MIB).toFixed(0)} MiB)`);
    c.check('text-cut-note' in st.hotspots, 'the figure says so where the student looks');
    c.check(st.text === cats, 'the typed text itself is kept whole');
    c.check(errors.length === 0, `no console errors (${errors.slice(0, 3).join(' | ')})`);
    await context.close();
  }
}, c);
