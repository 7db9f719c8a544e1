#!/usr/bin/env node
// What a page costs while it is only being read: no input for 10 s after it has loaded.
//
//   node tools/bench-idle.mjs [--site build/web/site] [--seconds 10]
//
// For each page: the frames the app drew in that time (the state API's frame counter, summed
// over every figure on the page) and the CPU time Chromium used (all of its processes, read
// from /proc), beside about:blank measured the same way in the same browser. A page that draws
// on demand should cost about what about:blank costs.
import fs from 'node:fs';
import path from 'node:path';
import { arg, launchChromium, root, startServer } from '../tests/browser/lib.mjs';

const site = path.resolve(arg('--site', path.join(root, 'build/web/site')));
const seconds = Number(arg('--seconds', '10'));
const TICK = 100;  // clock ticks per second (USER_HZ) on Linux

// CPU seconds (user + system) of every process below this one except the web server.
function chromiumCpuSeconds() {
  const procs = new Map();
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const name = stat.slice(stat.indexOf('(') + 1, close);
      const f = stat.slice(close + 2).split(' ');  // f[0] = state, f[1] = ppid, f[11..12] = utime, stime
      procs.set(Number(pid), { name, ppid: Number(f[1]), cpu: (Number(f[11]) + Number(f[12])) / TICK });
    } catch { /* gone */ }
  }
  const below = (pid) => { for (let p = procs.get(pid); p; p = procs.get(p.ppid)) if (p.ppid === process.pid) return true; return false; };
  let sum = 0;
  for (const [pid, p] of procs) if (pid !== process.pid && below(pid) && !p.name.startsWith('python')) sum += p.cpu;
  return sum;
}

// Frames drawn so far by every app on the page (the page itself or its <iframe>s).
async function framesDrawn(page) {
  let sum = 0;
  for (const f of page.frames()) {
    sum += await f.evaluate(() => (window.attnlab && window.attnlab.state() ? window.attnlab.state().frame : 0)).catch(() => 0);
  }
  return sum;
}

async function appsReady(page, count) {
  const deadline = Date.now() + 120000;
  for (;;) {
    let ready = 0;
    for (const f of page.frames()) ready += await f.evaluate(() => !!(window.Module && window.Module.attnlabModelSettled)).catch(() => false) ? 1 : 0;
    if (ready >= count) return;
    if (Date.now() > deadline) throw new Error(`only ${ready} of ${count} apps started`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const server = await startServer(site);
const browser = await launchChromium();
const pages = [
  ['about:blank (the floor)', 'about:blank', 0],
  ['?panel=architecture', `${server.url}?panel=architecture`, 1],
  ['?embed=1&panel=self-attention', `${server.url}?embed=1&panel=self-attention`, 1],
  ['examples/textbook.html (two embeds)', `${server.url}examples/textbook.html`, 2],
];
const rows = [];
try {
  for (const [name, url, apps] of pages) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, serviceWorkers: 'block' });
    const page = await context.newPage();
    await page.goto(url);
    if (apps) await appsReady(page, apps);
    await page.waitForTimeout(1000);  // settle: fonts, the first layout, a hover left by loading
    const f0 = await framesDrawn(page), c0 = chromiumCpuSeconds();
    await page.waitForTimeout(seconds * 1000);
    const f1 = await framesDrawn(page), c1 = chromiumCpuSeconds();
    rows.push([name, f1 - f0, c1 - c0]);
    await context.close();
  }
} finally {
  await browser.close();
  server.proc.kill();
}
console.log(`idle bench: ${seconds} s without input after load + 1 s, ${site}`);
console.log('page'.padEnd(40) + 'frames'.padStart(8) + 'CPU s'.padStart(8) + '  CPU ÷ about:blank');
for (const [name, frames, cpu] of rows) {
  console.log(name.padEnd(40) + String(frames).padStart(8) + cpu.toFixed(2).padStart(8) + (cpu / Math.max(0.01, rows[0][2])).toFixed(1).padStart(10));
}
