// A new deploy replaces what the service worker cached, and the page still works offline.
//
// The site is copied to a temporary folder and served from there. First visit: the service
// worker caches the app under a name carrying the build's hash (tools/stamp-sw.cmake). Then a
// "new deploy" is written into the folder (loader.js changed, sw.js restamped, as the build
// does): the next online visit runs the new loader at once, the new worker caches it under the
// new name and the old cache is deleted; offline after that, the page starts from the new cache.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { arg, launchChromium, makeChecker, startServer, waitReady } from './lib.mjs';

const site = arg('--site');
const c = makeChecker();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attnlab-deploy-'));
fs.cpSync(site, dir, { recursive: true });
const swPath = path.join(dir, 'sw.js');
const oldName = /const APP_CACHE = '([^']+)'/.exec(fs.readFileSync(swPath, 'utf8'))[1];
const appCaches = (page) => page.evaluate(async () => (await caches.keys()).filter((k) => k.startsWith('attnlab-app-')));
// Polls until the app's caches are exactly `names` (waitForFunction would not await a promise).
async function cachesBecome(page, names, ms) {
  for (const end = Date.now() + ms; Date.now() < end; await page.waitForTimeout(250)) {
    if ((await appCaches(page)).join() === names.join()) return true;
  }
  return false;
}

const server = await startServer(dir);
const browser = await launchChromium();
try {
  c.check(/^attnlab-app-[0-9a-f]{12}$/.test(oldName), `the built sw.js names its cache after the build (${oldName})`);
  const context = await browser.newContext({ viewport: { width: 1000, height: 700 } });
  const page = await context.newPage();
  await page.goto(`${server.url}?section=sequence`);
  await waitReady(page);
  await page.evaluate(async () => { await navigator.serviceWorker.ready; });
  c.check(await cachesBecome(page, [oldName], 60000), `first visit: the app is cached as ${oldName}`);

  // A new deploy: a changed loader, and sw.js stamped anew (what tools/stamp-sw.cmake writes).
  const newName = 'attnlab-app-0123456789ab';
  fs.appendFileSync(path.join(dir, 'loader.js'), '\nwindow.attnlabDeploy = 2;\n');
  fs.writeFileSync(swPath, fs.readFileSync(swPath, 'utf8').replace(oldName, newName));
  await page.reload();
  await waitReady(page);
  c.check(await page.evaluate(() => window.attnlabDeploy === 2), 'the next online visit runs the new deploy at once');
  const replaced = await cachesBecome(page, [newName], 60000);
  await page.waitForTimeout(2000);  // and stays gone: the old worker's last fetches do not bring it back
  const after = await appCaches(page);
  c.check(replaced && after.join() === newName, `the new worker caches it as ${newName} and the old cache is gone (${after.join(', ')})`);

  // Offline: the page starts from the new cache.
  await context.setOffline(true);
  await page.reload();
  await waitReady(page);
  c.check(await page.evaluate(() => window.attnlabDeploy === 2 && window.attnlab.state().model !== null),
          'offline, the page starts from the new cache, with the model');
  await context.close();
} finally {
  await browser.close();
  server.proc.kill();
  fs.rmSync(dir, { recursive: true, force: true });
}
console.log(`${c.passed} passed, ${c.failed} failed`);
process.exit(c.failed ? 1 : 0);
