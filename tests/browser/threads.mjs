// The threaded web app (issue 17): a cross-origin isolated page (tools/serve.py --isolate: COOP/COEP
// headers) loads attnlab-mt.* and runs the model on Web Workers; the same page with
// ?threads=1, and a host without those headers, load the single-thread attnlab.*. All three
// compute the same bits: the attention row of a layer-3 head, the next token's probabilities,
// and five tokens written with the seeded sampler through the KV cache.
//
//   node tests/browser/threads.mjs --site build/web/site
import path from 'node:path';
import { arg, clickHotspot, collectErrors, launchChromium, makeChecker, root, startServer, uiState, waitFrames,
         waitReady } from './lib.mjs';

const site = path.resolve(arg('--site', path.join(root, 'build/web/site')));
const c = makeChecker();
const STEPS = 5;
const QUERY = '?section=visualize&lang=en&layer=3&head=2';

// Opens the page, waits for the model, writes STEPS tokens; what the page ran and computed.
async function run(browser, url) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 2800 } });  // the sampler's Step button in view
  const errors = collectErrors(page);
  await page.goto(url);
  await waitReady(page);
  await page.waitForFunction(() => {
    window.attnlab.wake();
    const p = window.attnlab.state().panels;
    return p.visualize && p.visualize.weights.length > 0 && p.generation && p.generation.top.length > 0;
  }, null, { timeout: 60000 });
  const first = await uiState(page);
  for (let k = 0; k < STEPS; k++) {
    await clickHotspot(page, 'gen_step');
    await waitFrames(page, 2);
  }
  await page.waitForFunction((n) => {
    window.attnlab.wake();
    const g = window.attnlab.state().panels.generation;
    return g.generated >= n && !g.running;
  }, STEPS, { timeout: 60000 });
  const st = await uiState(page);
  const loaded = await page.evaluate(() => ({
    isolated: window.crossOriginIsolated === true,
    files: performance.getEntriesByType('resource').map((r) => new URL(r.name).pathname.split('/').pop())
      .filter((f) => /^attnlab(-mt)?\.(js|wasm)$/.test(f)),
  }));
  await page.close();
  return { threads: st.threads, row: first.panels.visualize.weights, top: first.panels.generation.top,
           gen: st.panels.generation, errors, ...loaded };
}

const isolatedServer = await startServer(site, ['--isolate']);
const plainServer = await startServer(site);
const browser = await launchChromium();
try {
  const threaded = await run(browser, isolatedServer.url + QUERY);
  c.check(threaded.isolated, 'tools/serve.py --isolate makes the page cross-origin isolated');
  c.check(threaded.files.includes('attnlab-mt.wasm') && !threaded.files.includes('attnlab.wasm'),
          `an isolated page loads the threaded app (${threaded.files.join(', ')})`);
  c.check(threaded.threads > 1, `and runs the model on ${threaded.threads} threads`);
  c.check(threaded.row.length > 0 && threaded.gen.generated === STEPS && threaded.gen.appended.length > 0,
          `it shows the attention row and writes ${STEPS} tokens (${JSON.stringify(threaded.gen.appended)})`);

  const asked = await run(browser, isolatedServer.url + QUERY + '&threads=1');
  c.check(asked.files.includes('attnlab.wasm') && !asked.files.includes('attnlab-mt.wasm') && asked.threads === 1,
          `?threads=1 loads the single-thread app (${asked.files.join(', ')}; ${asked.threads} thread)`);

  const plain = await run(browser, plainServer.url + QUERY);
  c.check(!plain.isolated && plain.files.includes('attnlab.wasm') && !plain.files.includes('attnlab-mt.wasm') &&
          plain.threads === 1, `a host without COOP/COEP gets the single-thread app (${plain.files.join(', ')})`);

  for (const [name, other] of [['?threads=1', asked], ['the host without isolation', plain]]) {
    c.check(other.gen.appended === threaded.gen.appended,
            `${name}: the same ${STEPS} tokens (${JSON.stringify(other.gen.appended)})`);
    const sameTop = other.top.length === threaded.top.length &&
                    other.top.every((t, i) => t.id === threaded.top[i].id && t.p === threaded.top[i].p);
    c.check(sameTop, `${name}: the same next-token probabilities, to the last digit printed ` +
                     `(${threaded.top.slice(0, 3).map((t) => `${JSON.stringify(t.text)} ${t.p}`).join(', ')})`);
    c.check(JSON.stringify(other.row) === JSON.stringify(threaded.row),
            `${name}: the same attention row of layer 3, head 2 (${threaded.row.length} weights)`);
  }
  for (const [name, r] of [['threaded', threaded], ['?threads=1', asked], ['no isolation', plain]]) {
    c.check(r.errors.length === 0, `${name}: no console errors (${r.errors.join(' | ')})`);
  }
} finally {
  await browser.close();
  isolatedServer.proc.kill();
  plainServer.proc.kill();
}
console.log(`threads: ${c.passed} passed, ${c.failed} failed`);
process.exit(c.failed ? 1 : 0);
