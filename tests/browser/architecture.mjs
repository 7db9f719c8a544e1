// 11.3 in the browser: its five tabs through the real page, one interaction in each, with the
// bundled demo model the page loads by default.
//
//   node tests/browser/architecture.mjs --site build/web/site --out build/web/screenshots
//
// Each tab is opened with a click on its tab, then:
//   heads      a click on another head's thumbnail enlarges that head
//   pe         a click on the sinusoidal code selects a cell whose value is
//              sin(pos / 10000^(2i/d)) (even dim) or cos(...) (odd dim), and its dimension joins
//              the curves
//   residual   dragging the layer slider to its end picks the last layer; LayerNorm's input
//              there has ‖x‖ = √(C·(std² + mean²)) = the highway's norm at that layer
//   diagram    a click on the decoder's feed-forward box selects it; its parameters are
//              2·C·F + F + C per layer (F = 4C in GPT-2) × L, and the components add up to the
//              model's parameter count
//   architect  a click on the Q8_0 radio button of the KV-cache calculator: MHA / GQA / MQA bytes
//              = 2 · L · kv_heads · head_dim · T · 34/32, the shape taken from the loaded model
// The first three in Chinese, the last two in English (a click on the language switch), a
// screenshot of each; no console errors over the whole run.
import fs from 'node:fs';
import path from 'node:path';
import { arg, clickHotspot, collectErrors, launchChromium, makeChecker, root, startServer, uiState, waitFrames,
         waitReady } from './lib.mjs';

const site = path.resolve(arg('--site', path.join(root, 'build/web/site')));
const out = path.resolve(arg('--out', path.join(root, 'build/web/screenshots')));
fs.mkdirSync(out, { recursive: true });
const c = makeChecker();
const VIEWPORT = { width: 1280, height: 1000 };
const close = (a, b, rel, abs = 0) => Math.abs(a - b) <= abs + rel * Math.abs(b);

// Every widget this test uses lies on screen at 1280 × 1000 CSS pixels, so nothing needs a
// scroll (the mouse wheel of the web build scrolls the wrong way in Emscripten 3.1.6's GLFW).
async function onScreen(page, name) {
  const r = (await uiState(page)).hotspots[name];
  const dpr = await page.evaluate(() => {
    const cv = document.getElementById('canvas');
    return cv.width / cv.getBoundingClientRect().width;
  });
  const ok = !!r && r[1] / dpr >= 0 && r[3] / dpr <= VIEWPORT.height && r[0] / dpr >= 0 && r[2] / dpr <= VIEWPORT.width;
  c.check(ok, `${name} is on screen (${r ? r.map(Math.round).join(',') : 'missing'})`);
  if (!ok) throw new Error(`${name} is not on screen`);
}

// A click on the tab's own hotspot; the tab then reports itself open.
async function openTab(page, tab) {
  await clickHotspot(page, `arch_tab_${tab}`);
  await waitFrames(page, 3);
  const st = await uiState(page);
  c.check(st.panels.architecture_tab === tab, `a click on its tab opens "${tab}" (${st.panels.architecture_tab})`);
  return st;
}

// The slider's frame is the left part of its hotspot (the label follows it): press inside
// the frame near its left end and drag past its right end, which ImGui clamps to the maximum.
async function dragSliderToEnd(page, name) {
  const st = await uiState(page);
  const r = st.hotspots[name];
  const dpr = await page.evaluate(() => {
    const cv = document.getElementById('canvas');
    return cv.width / cv.getBoundingClientRect().width;
  });
  const y = (r[1] + r[3]) / 2 / dpr, x0 = r[0] / dpr + 4, x1 = r[2] / dpr + 40;
  await page.mouse.move(x0, y);
  await waitFrames(page, 2);
  await page.mouse.down();
  await waitFrames(page, 2);
  for (let k = 1; k <= 5; ++k) {
    await page.mouse.move(x0 + (x1 - x0) * k / 5, y);
    await waitFrames(page, 1);
  }
  await page.mouse.up();
  await waitFrames(page, 3);
}

const server = await startServer(site);
const browser = await launchChromium();
const t0 = Date.now();
try {
  const context = await browser.newContext({ viewport: VIEWPORT, locale: 'zh-CN' });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(server.url + '?section=architecture');
  await waitReady(page);
  await waitFrames(page, 4);
  let st = await uiState(page);
  c.check(st.section === 'architecture' && st.lang === 'zh-CN', 'the page opens on 11.3 in Chinese from ?section=');
  const model = st.model;
  c.check(model !== null && model.is_demo === true, `the bundled demo model is loaded (${model && model.name})`);
  if (!model) throw new Error('no model');
  const L = model.n_layer, H = model.n_head, C = model.n_embd, T = model.n_ctx;
  console.log(`  model: ${L} layers, ${H} heads, width ${C}, context ${T}, ${model.parameters} parameters`);
  c.check(st.tokens.length > 1, `the default sentence has ${st.tokens.length} tokens`);

  // --- heads: click another head's thumbnail -------------------------------------------------
  st = await openTab(page, 'heads');
  let h = st.panels.arch_heads;
  c.check(h && h.n_layer === L && h.n_head === H, `arch_heads: ${h && h.n_layer} × ${h && h.n_head} heads = the model's`);
  const layer = h.layer, before = h.open;
  const head = (before[1] + 3) % H;  // not the one enlarged now
  c.check(Array.from({ length: H }, (_, k) => `arch_heads_thumb_${layer}_${k}` in st.hotspots).every(Boolean),
          `a thumbnail for each of the ${H} heads of layer ${layer}`);
  await onScreen(page, `arch_heads_thumb_${layer}_${head}`);
  await clickHotspot(page, `arch_heads_thumb_${layer}_${head}`);
  h = (await uiState(page)).panels.arch_heads;
  c.check(h.open && h.open[0] === layer && h.open[1] === head,
          `a click on L${layer} H${head}'s thumbnail enlarges it (open ${JSON.stringify(before)} → ${JSON.stringify(h.open)})`);
  await page.screenshot({ path: path.join(out, 'architecture-heads-zh.png') });

  // --- positional encoding: click a cell of the sinusoidal code --------------------------------
  st = await openTab(page, 'pe');
  let p = st.panels.arch_pe;
  c.check(p && p.selected === null, 'no cell is selected before the click');
  // WebGL2: the tab's four dense heatmaps are textures coloured by shaders/heatmap.frag.
  c.check(st.heatmaps.error === '' && st.heatmaps.images >= 4 && st.heatmaps.rectangles === 0,
          `the heatmaps are drawn by the WebGL shader (${JSON.stringify(st.heatmaps)})`);
  await onScreen(page, 'arch_pe_heatmap');
  {
    const r = (await uiState(page)).hotspots.arch_pe_heatmap;
    const dpr = await page.evaluate(() => document.getElementById('canvas').width / document.getElementById('canvas').getBoundingClientRect().width);
    // Inside the grid: left of the colour bar, between the axis names.
    await page.mouse.move((r[0] + 0.45 * (r[2] - r[0])) / dpr, (r[1] + 0.4 * (r[3] - r[1])) / dpr);
    await waitFrames(page, 2);
    await page.mouse.down();
    await waitFrames(page, 2);
    await page.mouse.up();
    await waitFrames(page, 3);
  }
  p = (await uiState(page)).panels.arch_pe;
  const sel = p.selected;
  c.check(sel !== null && sel.pos >= 0 && sel.pos < p.length && sel.dim >= 0 && sel.dim < p.d_model,
          `a click on the code selects a cell (${JSON.stringify(sel)} of ${p.length} × ${p.d_model})`);
  if (sel) {
    const i2 = sel.dim - (sel.dim % 2);
    const angle = sel.pos / Math.pow(10000, i2 / p.d_model);
    const want = sel.dim % 2 ? Math.cos(angle) : Math.sin(angle);
    c.check(Math.abs(sel.value - want) < 1e-6,
            `PE(${sel.pos}, ${sel.dim}) = ${sel.dim % 2 ? 'cos' : 'sin'}(${sel.pos} / 10000^(${i2}/${p.d_model})) = ${want.toFixed(7)} (${sel.value})`);
    c.check(p.dims[3] === sel.dim, `the clicked dimension joins the curves (dims ${p.dims.join(',')})`);
  }
  await page.screenshot({ path: path.join(out, 'architecture-pe-zh.png') });

  // --- residual: drag the layer slider to the last layer ---------------------------------------
  st = await openTab(page, 'residual');
  let res = st.panels.arch_residual;
  c.check(res && res.n_layer === L && res.norms.length === L + 1, `arch_residual: ${L + 1} norms for ${L} layers`);
  const lnBefore = res.ln_before;
  c.check(res.layer === 0, `layer 0 before the drag (${res.layer})`);
  await onScreen(page, 'arch_res_layer');
  await dragSliderToEnd(page, 'arch_res_layer');
  res = (await uiState(page)).panels.arch_residual;
  c.check(res.layer === L - 1, `dragging the layer slider to its end picks the last layer, L${L - 1} (${res.layer})`);
  c.check(res.ln_before.std !== lnBefore.std, `LayerNorm's input changes with the layer (std ${lnBefore.std} → ${res.ln_before.std})`);
  {
    const m = res.ln_before, norm = Math.sqrt(C * (m.std * m.std + m.mean * m.mean));
    c.check(close(norm, res.norms[res.layer], 1e-3),
            `‖x‖ into L${res.layer} = √(${C}·(std² + mean²)) = ${norm.toFixed(4)} = the highway's ${res.norms[res.layer]}`);
  }
  await page.screenshot({ path: path.join(out, 'architecture-residual-zh.png') });

  // --- English from here: the language switch keeps the tab -------------------------------------
  await clickHotspot(page, 'lang_toggle');
  st = await uiState(page);
  c.check(st.lang === 'en' && st.panels.architecture_tab === 'residual', `the language switch gives English and keeps the tab (${st.lang})`);

  // --- diagram: click the decoder's feed-forward box --------------------------------------------
  st = await openTab(page, 'diagram');
  let d = st.panels.arch_diagram;
  c.check(d && d.component !== 'feed_forward', `another component is selected first (${d && d.component})`);
  const ffn = Object.keys(st.hotspots).filter((k) => /^diag_(orig|gpt2)_feed_forward_\d+$/.test(k));
  c.check(ffn.length > 0, `the diagram has feed-forward boxes (${ffn.join(', ')})`);
  const box = ffn[ffn.length - 1];
  await onScreen(page, box);
  await clickHotspot(page, box);
  d = (await uiState(page)).panels.arch_diagram;
  const F = 4 * C;
  c.check(d.component === 'feed_forward', `a click on ${box} selects the feed-forward network (${d.component})`);
  c.check(d.per_layer === 2 * C * F + F + C && d.parameters === L * d.per_layer,
          `FFN: ${d.per_layer} per layer = 2·${C}·${F} + ${F} + ${C}, × ${L} layers = ${d.parameters}`);
  const parts = Object.values(d.components).reduce((a, b) => a + b, 0);
  c.check(parts === model.parameters, `the components add up to the model's ${model.parameters} parameters (${parts})`);
  await page.screenshot({ path: path.join(out, 'architecture-diagram-en.png') });

  // --- architect's view: the KV cache in Q8_0 ---------------------------------------------------
  st = await openTab(page, 'architect');
  let a = st.panels.architect;
  c.check(a && a.view === 'kv' && a.kv.bytes_per_value === 4, `the KV-cache calculator starts in f32 (${a && a.kv.bytes_per_value} bytes)`);
  await onScreen(page, 'kv_q8');
  await clickHotspot(page, 'kv_q8');
  a = (await uiState(page)).panels.architect;
  const kv = a.kv, hd = C / H;
  c.check(kv.bytes_per_value === 34 / 32, `a click on Q8_0 gives 34/32 bytes per value (${kv.bytes_per_value})`);
  c.check(kv.layers === L && kv.heads === H && kv.head_dim === hd && kv.seq === T,
          `the calculator holds the model's shape: ${kv.layers} layers, ${kv.heads} heads × ${kv.head_dim}, ${kv.seq} tokens`);
  for (const [name, kvHeads] of [['mha', H], ['gqa', kv.groups], ['mqa', 1]]) {
    const want = 2 * L * kvHeads * hd * T * 34 / 32;
    c.check(Math.abs(kv[name] - want) <= 1e-9 * want,
            `${name.toUpperCase()}: ${kv[name]} bytes = 2·${L}·${kvHeads}·${hd}·${T}·34/32 = ${want}`);
  }
  c.check(kv.mqa < kv.gqa && kv.gqa < kv.mha, 'MQA < GQA < MHA');
  await page.screenshot({ path: path.join(out, 'architecture-architect-en.png') });

  c.check(errors.length === 0, `no console errors (${errors.join(' | ')})`);
} finally {
  await browser.close();
  server.proc.kill();
}
console.log(`architecture: ${c.passed} passed, ${c.failed} failed (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
process.exit(c.failed ? 1 : 0);
