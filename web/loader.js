// Attention Lab — web loader.
//
// 1. checks that the browser has what the app needs (WebAssembly with SIMD, WebGL2);
// 2. downloads the app's code and UI font with one progress bar, and the model beside them;
// 3. starts the app (attnlab.js) as soon as code and font are there: 11.1, the 11.2 toy and
//    the 11.3 calculators work at once, and the figures that need the model show its download
//    ("loading, n %") until it arrives and is loaded;
// 4. shows a clear bilingual message instead of a blank page when anything fails;
// 5. lets a person load another GPT-2 GGUF: "Load model…" in the app (a file picker), drag
//    and drop onto the page, or ?model=URL.
//
// URL parameters (all optional, all validated, never executed or put into HTML):
//   ?lang=zh|en  ?theme=light|dark  ?section=sequence|self-attention|architecture|visualize|training-lab|exercises
//   ?model=URL   a GPT-2 GGUF to use instead of the bundled demo model: http(s) or a relative URL.
//                Kept in Cache Storage ('attnlab-models'), so the next visit works offline.
//   ?textsize=1.3 (the A− / A+ setting)   ?heatmap=cpu (dense heatmaps as rectangles, no shaders)
//   Training lab: ?task=induction|order|two-lookups &play=1 &compare=1 &seed=N &steps=N &pe=learned|sin|none
//   Embedding one figure in a textbook page (an <iframe>):
//   ?embed=1 &panel=<section id> &sentence=TEXT (≤ 500 characters, longer is cut and said) &layer=N &head=N
//
// Embed API (the page around the <iframe>), with window.postMessage:
//   to the figure:   {type: 'attnlab:set', sentence?: string, panel?: section id}
//   from the figure: {type: 'attnlab:ready', panel, sentence, lang}, {type: 'attnlab:hover', token, index}
//                    (the selected token of the figure changed)
//   Only with the page around the figure: ?host=ORIGIN[,ORIGIN] names it, else the browser does.
// Offline: sw.js (a service worker) keeps the app, the font and the model after one visit.
//
// For tests and the embed API: window.attnlab = { state(), loadModelBytes(name, bytes), setText(t),
// pickModel(), wake() }. Module.attnlabReady: the app's first frame is on screen;
// Module.attnlabModelSettled: the startup model has loaded (or is known to be missing).
(function () {
  'use strict';

  const WASM = { url: 'attnlab.wasm' };
  const FONT = { url: 'assets/fonts/ui-font.otf', fsPath: '/assets/fonts/ui-font.otf' };
  // The bundled demo model; the app looks for it here in the in-memory file system. Optional:
  // without it the app starts and its model dialog explains.
  const DEMO_MODEL = { url: 'assets/attnlab-demo-gpt2-q8_0.gguf', fsPath: '/assets/attnlab-demo-gpt2-q8_0.gguf' };
  const MODEL_DIR = '/models';
  // The memory budget for the model and its traces (engine/session/memory_budget.h): ?memory=MiB,
  // else kWebMemoryBudget's 900 MiB; at most 1800, since the page's wasm heap stops at 2 GB. A
  // model file larger than the budget is not downloaded at all.
  const MEMORY_BUDGET_MIB = (() => {
    const v = new URLSearchParams(location.search).get('memory');
    return v !== null && /^\d{2,7}$/.test(v) && Number(v) >= 64 ? Math.min(Number(v), 1800) : 900;
  })();
  const MEMORY_BUDGET = MEMORY_BUDGET_MIB * 1048576;
  const mib = (bytes) => `${(bytes / 1048576).toFixed(1)} MiB`;
  const MODEL_CACHE = 'attnlab-models';

  const $ = (id) => document.getElementById(id);

  // textContent only: messages may contain a file name, never markup.
  function showError(zh, en) {
    $('loader').hidden = true;
    $('error-zh').textContent = zh;
    $('error-en').textContent = en;
    $('error').hidden = false;
    document.title = '无法启动 · Cannot start — Attention Lab';
  }

  // ---- notices: short, non-blocking, bilingual -----------------------------------------
  let noticeTimer = 0;
  // kind: 'info' | 'ok' | 'error'; ms: how long it stays once the app is on screen (0: until closed).
  function showNotice(zh, en, kind, ms) {
    const box = $('notice');
    $('notice-zh').textContent = zh;
    $('notice-en').textContent = en;
    box.dataset.kind = kind || 'info';
    box.hidden = false;
    clearTimeout(noticeTimer);
    noticeTimer = 0;
    if (!ms) return;
    const arm = () => { noticeTimer = setTimeout(() => { box.hidden = true; }, ms); };
    if (window.Module && window.Module.attnlabReady) arm();
    else window.addEventListener('attnlab-ready', arm, { once: true });  // read it with the app in view
  }
  $('notice-close').addEventListener('click', () => {
    clearTimeout(noticeTimer);
    $('notice').hidden = true;
    const canvas = $('canvas');
    if (canvas) canvas.focus();
  });

  function setProgress(loaded, total) {
    const pct = total > 0 ? Math.min(100, (100 * loaded) / total) : 0;
    $('bar-fill').style.width = pct.toFixed(1) + '%';
    const mb = (n) => (n / 1048576).toFixed(1);
    $('loader-text').textContent = total > 0
      ? `正在加载 / Loading… ${mb(loaded)} / ${mb(total)} MB`
      : `正在加载 / Loading… ${mb(loaded)} MB`;
  }

  // A 31-byte module using a SIMD instruction (i8x16.popcnt): only SIMD-capable engines accept it.
  const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0,
                                     10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]);

  function browserProblem() {
    if (typeof WebAssembly !== 'object' || typeof WebAssembly.instantiate !== 'function') {
      return ['你的浏览器不支持 WebAssembly。请使用最新版的 Chrome、Edge、Firefox 或 Safari。',
              'Your browser does not support WebAssembly. Please use a current Chrome, Edge, Firefox or Safari.'];
    }
    if (!WebAssembly.validate(SIMD_PROBE)) {
      return ['你的浏览器不支持 WebAssembly SIMD。请更新浏览器。',
              'Your browser does not support WebAssembly SIMD. Please update your browser.'];
    }
    const probe = document.createElement('canvas');  // not the app's canvas: its context stays fresh
    if (!probe.getContext('webgl2')) {
      return ['你的浏览器或显卡不支持 WebGL2（可能已被禁用）。请开启硬件加速或换用其他浏览器。',
              'Your browser or graphics driver does not support WebGL2 (it may be disabled). ' +
              'Turn on hardware acceleration or try another browser.'];
    }
    return null;
  }

  // ---- downloads: one progress bar over every file ---------------------------------------
  // Each download counts its bytes; the bar's total is the sum of the sizes the server
  // announced (unknown while any size is unknown). A failed optional download drops out.
  const downloads = [];
  function updateAllProgress() {
    const live = downloads.filter((d) => !d.dropped);
    const loaded = live.reduce((a, d) => a + d.loaded, 0);
    const total = live.length && live.every((d) => d.size > 0) ? live.reduce((a, d) => a + d.size, 0) : 0;
    setProgress(loaded, total);
  }

  // The bytes at `url`, with progress; throws Error('url: reason') when it cannot be had.
  // With `onProgress`, the download reports to it instead of the loading screen's bar.
  // maxBytes: a response announcing more (Content-Length), or delivering more, is dropped at
  // once with e.tooBig = its size, before it fills the memory.
  async function fetchBytes(url, onProgress, maxBytes) {
    const d = { loaded: 0, size: 0, dropped: false };
    const tooBig = (size) => Object.assign(new Error(`${url}: ${size} bytes, over ${maxBytes}`), { tooBig: size, reason: 'too big' });
    const updateProgress = onProgress ? () => onProgress(d.loaded, d.size) : updateAllProgress;
    if (!onProgress) downloads.push(d);
    try {
      let res;
      try {
        res = await fetch(url);
      } catch (e) {
        throw Object.assign(new Error(`${url}: ${e.message}`), { reason: e.message });
      }
      if (!res.ok) throw Object.assign(new Error(`${url}: HTTP ${res.status}`), { reason: `HTTP ${res.status}` });
      // A compressed response announces its compressed length, while the reader counts the
      // bytes after decompression: its size is then unknown (the bar shows megabytes).
      d.size = res.headers.get('Content-Encoding') ? 0 : Number(res.headers.get('Content-Length')) || 0;
      if (maxBytes && d.size > maxBytes) {
        try { res.body && res.body.cancel(); } catch (e) { /* nothing to stop */ }
        throw tooBig(d.size);
      }
      updateProgress();
      const chunks = [];
      if (res.body && res.body.getReader) {
        const reader = res.body.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          chunks.push(value);
          d.loaded += value.length;
          if (maxBytes && d.loaded > maxBytes) {  // no (or a wrong) Content-Length
            reader.cancel().catch(() => {});
            throw tooBig(d.loaded);
          }
          updateProgress();
        }
      } else {
        const all = new Uint8Array(await res.arrayBuffer());
        chunks.push(all);
        d.loaded = all.length;
      }
      const bytes = new Uint8Array(d.loaded);
      let at = 0;
      for (const c of chunks) { bytes.set(c, at); at += c.length; }
      d.size = d.size || bytes.length;
      updateProgress();
      return bytes;
    } catch (e) {
      d.dropped = true;
      updateProgress();
      throw e;
    }
  }

  // ---- models ---------------------------------------------------------------------------
  // A file name that is safe as one path component of the in-memory file system.
  function safeModelName(raw) {
    let base = String(raw || '').split(/[\\/]/).pop().replace(/\.gguf$/i, '');
    base = base.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._-]+/, '').slice(0, 48);
    return (base || 'model') + '.gguf';
  }

  // ?model=URL, checked: only http(s) or a relative URL, never javascript:, data:, blob:, file:…
  // Returns null (no parameter), { invalid: text } or { url, name, fsPath }.
  function requestedModel() {
    const raw = new URLSearchParams(location.search).get('model');
    if (raw === null || raw.trim() === '') return null;
    const shown = raw.length > 80 ? raw.slice(0, 77) + '…' : raw;
    if (raw.length > 2048) return { invalid: shown };
    const scheme = /^\s*([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(raw);
    if (scheme && !/^https?$/i.test(scheme[1])) return { invalid: shown };
    let u;
    try {
      u = new URL(raw, location.href);
    } catch (e) {
      return { invalid: shown };
    }
    if ((u.protocol !== 'http:' && u.protocol !== 'https:') || u.username || u.password) return { invalid: shown };
    let last = u.pathname.split('/').pop();
    try { last = decodeURIComponent(last); } catch (e) { /* keep it encoded */ }
    const name = safeModelName(last);
    return { url: u.href, shown, name, fsPath: `${MODEL_DIR}/${name}` };
  }

  async function openModelCache() {
    try {
      return 'caches' in window ? await caches.open(MODEL_CACHE) : null;  // secure contexts only
    } catch (e) {
      return null;
    }
  }

  // The model at `url`: from the network (and then saved in Cache Storage), or, when the network
  // fails, the copy saved on an earlier visit. Returns { bytes, fromCache }.
  async function fetchModelCached(url, onProgress) {
    const cache = await openModelCache();
    try {
      const bytes = await fetchBytes(url, onProgress, MEMORY_BUDGET);
      if (cache) {
        try {
          await cache.put(url, new Response(bytes, { headers: { 'Content-Type': 'application/octet-stream' } }));
        } catch (e) {
          console.warn(`[attnlab] could not keep ${url} for offline use: ${e.message}`);
        }
      }
      return { bytes, fromCache: false };
    } catch (networkError) {
      if (networkError.tooBig) throw networkError;  // the network was fine; the file is too big
      const hit = cache ? await cache.match(url).catch(() => null) : null;
      if (!hit) throw networkError;
      const bytes = new Uint8Array(await hit.arrayBuffer());
      onProgress(bytes.length, bytes.length);
      return { bytes, fromCache: true };
    }
  }

  // Decides which model the app gets: ?model=URL, else the bundled demo model, else none.
  // Returns { bytes, fsPath } or null; never throws (the app runs without a model).
  async function startupModel(onProgress) {
    const req = requestedModel();
    if (req && req.invalid) {
      showNotice(`已忽略 ?model=${req.invalid}：只接受 http(s) 或相对链接。改用内置的演示模型。`,
                 `Ignored ?model=${req.invalid}: only http(s) or relative links are accepted. Using the bundled demo model.`,
                 'error', 20000);
    } else if (req) {
      try {
        const got = await fetchModelCached(req.url, onProgress);
        if (got.fromCache) {
          showNotice(`无法联网，使用之前保存的模型副本：${req.name}`,
                     `Offline: using the saved copy of ${req.name}`, 'info', 8000);
        }
        return { bytes: got.bytes, fsPath: req.fsPath };
      } catch (e) {
        const why = e.reason || e.message;
        if (e.tooBig) {
          showNotice(`没有下载模型 ${req.shown}：它有 ${mib(e.tooBig)}，超过了 ${mib(MEMORY_BUDGET)} 的内存预算（网址参数 ?memory=MiB 可以调整）。改用内置的演示模型。`,
                     `Did not download the model ${req.shown}: it is ${mib(e.tooBig)}, more than the memory budget of ${mib(MEMORY_BUDGET)} (the ?memory=MiB parameter sets it). Using the bundled demo model instead.`,
                     'error', 20000);
        } else {
          showNotice(`无法下载模型 ${req.shown}（${why}）。改用内置的演示模型。`,
                     `Could not download the model ${req.shown} (${why}). Using the bundled demo model instead.`,
                     'error', 20000);
        }
      }
    }
    try {
      return { bytes: await fetchBytes(DEMO_MODEL.url, onProgress), fsPath: DEMO_MODEL.fsPath };
    } catch (e) {
      const why = e.reason || e.message;
      console.warn(`[attnlab] no bundled model (${e.message}); running without one`);
      showNotice(`无法下载演示模型（${why}）。不需要模型的部分照常可用；请检查网络后刷新页面。`,
                 `The demo model could not be downloaded (${why}). The parts that need no model work; check the connection and reload.`,
                 'error', 20000);
      return null;
    }
  }

  // The startup model, once both it and the app are there: into the in-memory file system,
  // loaded by the app (which keeps its own copy), deleted again. A broken file is said, and
  // the app goes on without a model.
  function installStartupModel(model) {
    const M = window.Module;
    if (!model) {
      M.ccall('attnlab_model_arrival', null, ['number', 'number', 'number'], [0, 0, 0]);
      M.attnlabModelSettled = true;
      return;
    }
    let result;
    try {
      mkdirs(M.FS, model.fsPath);
      M.FS.writeFile(model.fsPath, model.bytes, { canOwn: true });
      result = JSON.parse(M.ccall('attnlab_load_model', 'string', ['string', 'string'], [model.fsPath, '']));
    } catch (e) {
      result = { ok: false, error: String((e && e.message) || e) };
    } finally {
      try { M.FS.unlink(model.fsPath); } catch (e) { /* not written */ }
      model.bytes = null;
    }
    if (!result.ok) {
      M.ccall('attnlab_model_arrival', null, ['number', 'number', 'number'], [0, 0, 0]);
      const error = clip(String(result.error || 'unknown error').replace(/\.$/, ''), 300);
      showNotice(`无法加载模型：${error}。仍未加载任何模型。`, `Could not load the model: ${error}. No model is loaded yet.`,
                 'error', 20000);
    }
    performance.mark('attnlab-model-ready');  // tools/bench-page.mjs reads it
    M.attnlabModelSettled = true;  // loaded, or known to be missing: the tests wait for it
    window.dispatchEvent(new Event('attnlab-model'));
  }

  function mkdirs(FS, filePath) {
    let dir = '';
    for (const part of filePath.split('/').slice(1, -1)) {
      dir += '/' + part;
      try { FS.mkdir(dir); } catch (e) { /* exists */ }
    }
  }

  const appReady = () => !!(window.Module && window.Module.attnlabReady);
  // A sentence from a URL or a host page, at most `n` characters — whole characters (code
  // points), so that an emoji is never cut in half into something else — and whether it was cut.
  const MAX_SENTENCE = 500;
  function limitSentence(text) {
    const chars = Array.from(String(text));
    return { text: chars.slice(0, MAX_SENTENCE).join(''), cut: chars.length > MAX_SENTENCE };
  }
  function sayCut() {
    showNotice(`句子太长，只使用前 ${MAX_SENTENCE} 个字符。`, `The sentence is long: only its first ${MAX_SENTENCE} characters are used.`, 'info', 10000);
  }
  const clip = (s, n) => (String(s).length > n ? String(s).slice(0, n - 1) + '…' : String(s));
  const nextPaint = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));

  // Writes the bytes into the in-memory file system, has the app load them, deletes the file
  // (the app keeps its own copy) and tells the person what happened. Returns the app's answer:
  // { ok: true, name } or { ok: false, error }.
  function loadModelBytes(name, data) {
    const fileName = clip(String(name || 'model.gguf'), 200);
    let result;
    if (!appReady()) {
      result = { ok: false, error: 'the app has not started yet' };
    } else {
      const M = window.Module;
      const path = `${MODEL_DIR}/${safeModelName(fileName)}`;
      const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
      try {
        mkdirs(M.FS, path);
        M.FS.writeFile(path, bytes, { canOwn: true });  // deleted again below; no extra copy
        result = JSON.parse(M.ccall('attnlab_load_model', 'string', ['string', 'string'], [path, fileName]));
      } catch (e) {
        result = { ok: false, error: String((e && e.message) || e) };
      } finally {
        try { M.FS.unlink(path); } catch (e) { /* not written */ }
      }
    }
    if (result.ok) {
      showNotice(`已加载模型：${result.name}（${fileName}）`, `Model loaded: ${result.name} (${fileName})`, 'ok', 6000);
    } else {
      let hasModel = false;
      try { hasModel = !!window.attnlab.state().model; } catch (e) { /* not started */ }
      let error = String(result.error || 'unknown error');
      if (error.startsWith(`${fileName}: `)) error = error.slice(fileName.length + 2);  // named once is enough
      error = clip(error.replace(/\.$/, ''), 300);
      showNotice(`无法加载 ${fileName}：${error}。${hasModel ? '之前的模型保持不变。' : '仍未加载任何模型。'}`,
                 `Could not load ${fileName}: ${error}. ${hasModel ? 'The previous model stays.' : 'No model is loaded yet.'}`,
                 'error', 15000);
    }
    return result;
  }

  // A File from the picker or a drop.
  async function loadModelFile(file) {
    if (!/\.gguf$/i.test(file.name)) {
      showNotice(`${clip(file.name, 80)} 不是 .gguf 文件。请选择 GPT-2 的 GGUF 模型文件。`,
                 `${clip(file.name, 80)} is not a .gguf file. Please choose a GPT-2 GGUF model file.`, 'error', 10000);
      return { ok: false, error: 'not a .gguf file' };
    }
    if (!appReady()) {
      showNotice('应用还在加载，请稍后再试。', 'The app is still loading; please try again in a moment.', 'error', 8000);
      return { ok: false, error: 'the app has not started yet' };
    }
    if (file.size > MEMORY_BUDGET) {  // reading it would fill the page's memory: refuse first
      showNotice(`没有加载 ${clip(file.name, 80)}：它有 ${mib(file.size)}，超过了 ${mib(MEMORY_BUDGET)} 的内存预算（网址参数 ?memory=MiB 可以调整）。之前的模型保持不变。`,
                 `Did not load ${clip(file.name, 80)}: it is ${mib(file.size)}, more than the memory budget of ${mib(MEMORY_BUDGET)} (the ?memory=MiB parameter sets it). The previous model stays.`,
                 'error', 15000);
      return { ok: false, error: 'over the memory budget' };
    }
    showNotice(`正在加载 ${clip(file.name, 80)}…`, `Loading ${clip(file.name, 80)}…`, 'info', 0);
    let bytes;
    try {
      bytes = new Uint8Array(await file.arrayBuffer());
    } catch (e) {
      showNotice(`无法读取 ${clip(file.name, 80)}：${e.message}`, `Could not read ${clip(file.name, 80)}: ${e.message}`, 'error', 10000);
      return { ok: false, error: String(e.message) };
    }
    await nextPaint();  // the "loading" notice shows before a large model blocks the page
    return loadModelBytes(file.name, bytes);
  }

  // "Load model…" in the app calls Module.attnlabPickModel(): one hidden file input, made once.
  let picker = null;
  function pickModel() {
    if (!picker) {
      picker = document.createElement('input');
      picker.type = 'file';
      picker.accept = '.gguf';
      picker.id = 'model-file';
      picker.hidden = true;
      picker.addEventListener('change', () => {
        const file = picker.files && picker.files[0];
        picker.value = '';  // choosing the same file again fires 'change' again
        if (file) loadModelFile(file);
      });
      document.body.appendChild(picker);
    }
    picker.click();
  }

  // Drag and drop a .gguf anywhere on the page; the drop zone lights up while a file is over it.
  function setupDrop() {
    const zone = $('dropzone');
    let depth = 0;
    const hasFiles = (e) => !!(e.dataTransfer && Array.from(e.dataTransfer.types || []).includes('Files'));
    window.addEventListener('dragenter', (e) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth++;
      zone.hidden = false;
    });
    window.addEventListener('dragover', (e) => {
      if (!hasFiles(e)) return;
      e.preventDefault();  // allows the drop (and keeps the browser from opening the file)
      e.dataTransfer.dropEffect = 'copy';
      zone.hidden = false;
    });
    window.addEventListener('dragleave', (e) => {
      if (!hasFiles(e)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) zone.hidden = true;
    });
    window.addEventListener('drop', (e) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth = 0;
      zone.hidden = true;
      const file = e.dataTransfer.files && e.dataTransfer.files[0];
      if (file) loadModelFile(file);
    });
  }

  // ---- the app --------------------------------------------------------------------------
  function appArguments(extra) {
    const params = new URLSearchParams(location.search);
    const dark = window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches;
    const args = ['--lang', params.get('lang') || navigator.language || 'zh-CN',
                  '--theme', params.get('theme') || (dark ? 'dark' : 'light')];
    const panel = params.get('panel') || params.get('section');
    if (panel) args.push('--section', panel);
    if (params.get('embed') === '1') args.push('--embed');
    const textSize = params.get('textsize');  // the A− / A+ setting, e.g. ?textsize=1.3
    if (textSize !== null && /^\d(\.\d{1,2})?$/.test(textSize)) args.push('--text-size', textSize);
    if (params.get('heatmap') === 'cpu') args.push('--option', 'heatmap.gpu=0');  // shaders off (comparisons)
    args.push('--memory-budget', String(MEMORY_BUDGET_MIB));
    // The training lab's start-up choices (?task=order&play=1&compare=1&seed=3&steps=600).
    const labKeys = { task: /^(induction|order|two-lookups)$/, play: /^[01]$/, compare: /^[01]$/,
                      seed: /^\d{1,6}$/, steps: /^\d{1,5}$/, pe: /^(learned|sin|none)$/ };
    for (const [key, pattern] of Object.entries(labKeys)) {
      const v = params.get(key);
      if (v !== null && pattern.test(v)) args.push('--option', `lab.${key}=${v}`);
    }
    for (const key of ['layer', 'head']) {
      const v = params.get(key);
      if (v !== null && /^\d{1,3}$/.test(v)) args.push(`--${key}`, v);
    }
    // plain strings the C++ side parses; `extra` is built here (a sanitised model path)
    const out = args.map((a) => String(a).slice(0, 64)).concat(extra);
    // The sentence is drawn by the app as text, never put into HTML; only its length is limited.
    const sentence = params.get('sentence');
    if (sentence !== null && sentence.trim() !== '') {
      const s = limitSentence(sentence);
      if (s.cut) sayCut();
      out.push('--text', s.text);
    }
    return out;
  }

  function start(wasm, font, modelArriving) {  // modelArriving: a model download follows
    performance.mark('attnlab-code');
    const compiled = WebAssembly.compile(wasm).then((m) => { performance.mark('attnlab-compiled'); return m; });
    compiled.catch(() => {});  // reported when the app asks for it (instantiateWasm)
    const canvas = $('canvas');
    setupTouch(canvas);
    shieldTextFieldKeys();
    canvas.addEventListener('webglcontextlost', (e) => {
      e.preventDefault();
      showError('图形上下文丢失（WebGL context lost）。请刷新页面。', 'The graphics context was lost. Please reload the page.');
    });
    const files = [{ fsPath: FONT.fsPath, bytes: font }];
    window.Module = {
      canvas,
      arguments: appArguments(modelArriving ? ['--model-arriving'] : []),
      // Compiled while attnlab.js is still on its way, instantiated when it asks.
      instantiateWasm: (imports, done) => {
        compiled.then((module) => WebAssembly.instantiate(module, imports).then((instance) => done(instance, module)))
          .catch((e) => showError(`程序无法启动：${e.message}`, `The app cannot start: ${e.message}`));
        return {};
      },
      preRun: [() => {
        performance.mark('attnlab-main');
        const FS = window.Module.FS;
        for (const f of files) {
          mkdirs(FS, f.fsPath);
          FS.writeFile(f.fsPath, f.bytes, { canOwn: true });  // no second copy of a large model
        }
        mkdirs(FS, `${MODEL_DIR}/x`);
      }],
      print: (text) => console.log(text),
      printErr: (text) => console.error(text),
      onAbort: (what) => showError(`程序意外停止：${what}`, `The app stopped unexpectedly: ${what}`),
      // Called by the app after its first frame is on screen.
      onFirstFrame: () => {
        performance.mark('attnlab-first-frame');  // tools/bench-page.mjs reads it
        $('loader').hidden = true;
        canvas.focus();
        files.length = 0;
        window.Module.attnlabReady = true;
        window.dispatchEvent(new Event('attnlab-ready'));
        const reportHover = startEmbedApi();
        const placeOverlay = setupOverlay();
        // After every frame the app draws (and only then: it draws on demand), the HTML
        // field and the screen-reader mirror follow the figure, and the host page hears of
        // a newly selected token.
        window.Module.attnlabAfterFrame = () => {
          const st = window.attnlab.state();
          if (!st) return;
          placeOverlay(st);
          reportHover(st);
        };
        saveNotesOnLeave();
        setupTextInput();
        wakeOnPageChanges(canvas);
      },
      attnlabPickModel: pickModel,
    };
    const script = document.createElement('script');
    script.src = 'attnlab.js';
    script.onerror = () => showError('无法加载 attnlab.js。', 'Could not load attnlab.js.');
    document.body.appendChild(script);
  }

  // ---- embed API (postMessage) -----------------------------------------------------------
  // An embedded figure talks only to the page around it: its messages go to that page's origin
  // (never '*'), carry what a host needs (panel, sentence, token; never notes or names), and
  // attnlab:set is obeyed only from that page. The origin is ?host= when the page gives one (a
  // comma-separated allow-list, e.g. ?host=https://textbook.example.edu), else the browser's
  // word for the parent (location.ancestorOrigins, then document.referrer); when neither says,
  // the figure stays silent.
  const SECTIONS = ['sequence', 'self-attention', 'architecture', 'visualize', 'training-lab', 'exercises'];
  const originOf = (url) => { try { const u = new URL(url); return /^https?:$/.test(u.protocol) ? u.origin : null; } catch (e) { return null; } };
  function hostOrigins() {
    if (window.parent === window) return [];
    const listed = new URLSearchParams(location.search).get('host');
    if (listed) return listed.split(',').map((h) => originOf(h.trim())).filter(Boolean).slice(0, 8);
    const told = (location.ancestorOrigins && location.ancestorOrigins.length && location.ancestorOrigins[0]) || document.referrer;
    const origin = told ? originOf(told) : null;
    return origin ? [origin] : [];
  }
  const HOSTS = hostOrigins();
  function toHost(message) {
    for (const origin of HOSTS) window.parent.postMessage(message, origin);  // delivered only if it matches
  }

  function startEmbedApi() {
    window.addEventListener('message', (e) => {
      const d = e.data;
      if (!d || typeof d !== 'object' || d.type !== 'attnlab:set') return;
      if (e.source !== window.parent || !HOSTS.includes(e.origin)) return;  // only the page around us
      if (typeof d.sentence === 'string') {
        const s = limitSentence(d.sentence);
        if (s.cut) sayCut();
        window.attnlab.setText(s.text);
      }
      if (typeof d.panel === 'string' && SECTIONS.includes(d.panel)) {
        window.Module.ccall('attnlab_set_section', 'number', ['string'], [d.panel]);
      }
    });
    const st = window.attnlab.state();
    toHost({ type: 'attnlab:ready', panel: st.section, sentence: st.text, lang: st.lang });
    // The selected token of the figure, reported when it changes (hover, tap, keys): called
    // after each frame the app draws.
    let last = null;
    return (st) => {
      // The figure on screen: a panel's state stays published after the student leaves it.
      const panel = st.panels && (st.section === 'visualize' ? st.panels.visualize
        : st.section === 'self-attention' ? st.panels.self_attention : null);
      if (!panel || typeof panel.selected !== 'number') return;
      const key = `${st.section}:${panel.selected}:${(panel.tokens || []).length}`;
      if (key === last) return;
      last = key;
      toHost({ type: 'attnlab:hover', index: panel.selected, token: (panel.tokens || [])[panel.selected] || '' });
    };
  }

  // ---- draw on demand --------------------------------------------------------------------
  // The app draws only when something can change (engine/app/frame_pacer.h). Input reaches it
  // through GLFW and wakes it there; what GLFW does not see is passed on from here: the canvas
  // resized or the device pixel ratio changed (browser zoom, another screen), and whether the
  // figure can be seen at all — a background tab, or an embed scrolled out of view, draws nothing.
  function wakeOnPageChanges(canvas) {
    const M = window.Module;
    const wake = () => M.ccall('attnlab_wake', null, [], []);
    window.addEventListener('resize', wake);
    new ResizeObserver(wake).observe(canvas);
    const watchRatio = () => {
      matchMedia(`(resolution: ${window.devicePixelRatio}dppx)`).addEventListener('change', () => { wake(); watchRatio(); }, { once: true });
    };
    watchRatio();
    let inView = true;
    const show = () => M.ccall('attnlab_set_visible', null, ['number'], [inView && document.visibilityState === 'visible' ? 1 : 0]);
    document.addEventListener('visibilitychange', show);
    new IntersectionObserver((entries) => {
      inView = entries[entries.length - 1].isIntersecting;
      show();
    }).observe(canvas);
  }

  // ---- notes ----------------------------------------------------------------------------
  // The exercises save their notes in localStorage a moment after typing stops; a page that is
  // closed, reloaded or sent to the background saves at once.
  function saveNotesOnLeave() {
    const flush = () => { try { window.Module.ccall('attnlab_flush_notes', null, [], []); } catch (e) { /* stopped */ } };
    window.addEventListener('pagehide', flush);
    document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'hidden') flush(); });
  }

  // ---- text input beyond the keyboard ----------------------------------------------------
  // Emscripten's GLFW turns key presses into characters, so an input method's composed text
  // (pinyin → 汉字) and a phone's on-screen keyboard never reached the app. While a text field
  // of the app is active (the app calls Module.attnlabTextInput), a transparent <textarea> at
  // its caret holds the focus: the input method opens there and what it commits goes to the
  // app. Key presses still reach the app as before; text they already typed is not sent twice.
  function setupTextInput() {
    const canvas = $('canvas');
    const ta = document.createElement('textarea');
    ta.id = 'text-input';
    ta.setAttribute('aria-hidden', 'true');
    ta.setAttribute('autocomplete', 'off');
    ta.setAttribute('autocapitalize', 'off');
    ta.spellcheck = false;
    document.body.appendChild(ta);
    let keyTyped = false;  // the last input came with a key press (GLFW has already typed it)
    window.addEventListener('keypress', () => { keyTyped = true; }, true);
    const send = (text) => {
      if (text) window.Module.ccall('attnlab_input_text', null, ['string'], [String(text)]);
    };
    ta.addEventListener('compositionend', (e) => { send(e.data); ta.value = ''; });
    ta.addEventListener('input', (e) => {
      if (e.isComposing) return;  // the input method is still choosing
      if (e.inputType === 'insertText' && !keyTyped) send(e.data);
      keyTyped = false;
      ta.value = '';
    });
    window.Module.attnlabTextInput = (on, x, y) => {
      if (on) {
        const r = canvas.getBoundingClientRect();
        const dpr = canvas.width / r.width || 1;
        ta.style.left = `${Math.round(r.left + x / dpr)}px`;
        ta.style.top = `${Math.round(r.top + y / dpr)}px`;
        if (document.activeElement !== ta) ta.focus({ preventScroll: true });
      } else if (document.activeElement === ta) {
        ta.value = '';
        canvas.focus({ preventScroll: true });
      }
    };
  }

  // ---- touch ------------------------------------------------------------------------------
  // Emscripten's GLFW turns a touch into a button press but never moves the cursor to the
  // finger. Touches on the canvas go to the app instead (attnlab_touch), which reads them as a
  // phone does: a tap clicks, a drag up or down scrolls the panel under the finger (and a
  // flick coasts), a drag sideways or a press held still works a slider. One finger: the first.
  function setupTouch(canvas) {
    let finger = null;  // the identifier of the touch being followed
    const send = (phase, t, time) => {
      if (!appReady()) return;
      const r = canvas.getBoundingClientRect();
      const sx = r.width > 0 ? canvas.width / r.width : 1, sy = r.height > 0 ? canvas.height / r.height : 1;
      window.Module.ccall('attnlab_touch', null, ['number', 'number', 'number', 'number'],
        [phase, (t.clientX - r.left) * sx, (t.clientY - r.top) * sy, time / 1000]);
    };
    const handle = (e) => {
      if (e.target !== canvas) return;
      e.preventDefault();            // no emulated mouse events, no page scroll or double tap zoom
      e.stopImmediatePropagation();  // Emscripten's own touch handlers do not see it
      for (const t of e.changedTouches) {
        if (e.type === 'touchstart') {
          if (finger !== null) continue;  // a second finger
          finger = t.identifier;
          send(0, t, e.timeStamp);
        } else if (t.identifier === finger) {
          if (e.type === 'touchmove') { send(1, t, e.timeStamp); continue; }
          send(e.type === 'touchend' ? 2 : 3, t, e.timeStamp);
          finger = null;
        }
      }
    };
    for (const type of ['touchstart', 'touchmove', 'touchend', 'touchcancel']) {
      window.addEventListener(type, handle, { capture: true, passive: false });
    }
  }

  // ---- text field and screen-reader mirror ------------------------------------------------
  // After each frame: the HTML field sits exactly over the figure's sentence field (its hotspot),
  // and the ARIA mirror lists the sentence and the selected token's attention row.
  // Keys typed into the HTML field are the field's: the app (Emscripten's GLFW listens on
  // window and cancels Backspace and Tab) must not see them. Must run before attnlab.js does.
  function shieldTextFieldKeys() {
    const input = $('text-overlay');
    for (const type of ['keydown', 'keypress', 'keyup']) {
      window.addEventListener(type, (e) => {
        if (e.target !== input) return;
        e.stopImmediatePropagation();
        if (e.type === 'keydown' && (e.key === 'Enter' || e.key === 'Escape')) input.blur();
      }, true);
    }
  }

  function setupOverlay() {
    const input = $('text-overlay');
    let composing = false;
    const push = () => window.attnlab.setText(input.value);
    input.addEventListener('compositionstart', () => { composing = true; });
    input.addEventListener('compositionend', () => { composing = false; push(); });
    input.addEventListener('input', () => { if (!composing) push(); });
    let lastMirror = '';
    const place = (st) => {
      const panel = st.section === 'visualize' ? st.panels.visualize : st.panels.self_attention;
      const rect = st.section === 'visualize' ? st.hotspots.vis_sentence
        : (st.section === 'self-attention' && panel && panel.mode === 'model' ? st.hotspots.sa_sentence : null);
      const canvas = $('canvas');
      const box = canvas.getBoundingClientRect();
      const dpr = canvas.width / Math.max(1, box.width);
      const visible = !!rect && rect[3] > 0 && rect[1] / dpr < box.height && rect[3] / dpr > 0;
      if (visible) {
        input.style.left = `${box.left + rect[0] / dpr}px`;
        input.style.top = `${box.top + rect[1] / dpr}px`;
        input.style.width = `${(rect[2] - rect[0]) / dpr}px`;
        input.style.height = `${(rect[3] - rect[1]) / dpr}px`;
        if (document.activeElement !== input && input.value !== st.text) input.value = st.text;
      }
      if (input.hidden === visible) input.hidden = !visible;
      mirror(st, panel);
    };
    const mirror = (st, panel) => {
      const tokens = (panel && panel.tokens) || [];
      const row = (panel && panel.weights) || [];
      const sel = panel && typeof panel.selected === 'number' ? panel.selected : -1;
      const key = JSON.stringify([st.lang, st.section, st.text, tokens, row, sel]);
      if (key === lastMirror) return;
      lastMirror = key;
      const zh = st.lang.startsWith('zh');
      const nav = st.nav[['sequence', 'self-attention', 'architecture', 'visualize', 'training-lab', 'exercises'].indexOf(st.section)] || st.section;
      $('a11y-summary').textContent = zh ? `${nav}。句子：${st.text}` : `${nav}. Sentence: ${st.text}`;
      $('a11y-caption').textContent = sel >= 0 && tokens[sel] !== undefined
        ? (zh ? `“${tokens[sel]}”对每个词元的注意力权重` : `Attention weights of "${tokens[sel]}" over every token`) : '';
      const body = $('a11y-rows');
      body.replaceChildren(...tokens.map((t, j) => {
        const tr = document.createElement('tr');
        const th = document.createElement('th');
        th.scope = 'row';
        th.textContent = t;
        const td = document.createElement('td');
        td.textContent = row[j] === undefined ? '' : Number(row[j]).toFixed(3);
        tr.append(th, td);
        return tr;
      }));
    };
    return place;
  }

  // ---- offline ---------------------------------------------------------------------------
  function registerServiceWorker() {
    if (!('serviceWorker' in navigator) || !window.isSecureContext) return;
    navigator.serviceWorker.register('sw.js').catch((e) => console.warn('service worker:', e.message));
  }

  // For the tests and the embed API (the textbook page around an <iframe>).
  window.attnlab = {
    state: () => (appReady() ? JSON.parse(window.Module.ccall('attnlab_ui_state_json', 'string', [], [])) : null),
    loadModelBytes: (name, bytes) => loadModelBytes(name, bytes),
    setText: (text) => { if (appReady()) window.Module.ccall('attnlab_set_text', null, ['string'], [String(text)]); },
    pickModel: () => pickModel(),
    wake: () => { if (appReady()) window.Module.ccall('attnlab_wake', null, [], []); },  // draw a few frames
  };

  async function main() {
    registerServiceWorker();
    setupDrop();
    setProgress(0, 0);
    // The downloads start first: the browser check below creates a WebGL2 context, which can
    // take half a second, and the network can use that time.
    const code = Promise.all([fetchBytes(WASM.url), fetchBytes(FONT.url)]);
    code.catch(() => {});  // reported below, unless the browser check fails first
    const problem = browserProblem();
    if (problem) return showError(problem[0], problem[1]);
    performance.mark('attnlab-checked');  // the phases before the first frame: tools/bench-page.mjs
    let wasm, font;
    try {
      [wasm, font] = await code;
    } catch (e) {
      return showError(`文件加载失败：${e.message}。请检查网络后刷新页面。`,
                       `A file failed to load: ${e.message}. Check the connection and reload the page.`);
    }
    // The app starts now, without the model: 11.1, the 11.2 toy and the 11.3 calculators work
    // at once, and the figures that need the model show its download until it is loaded. The
    // model is fetched after the code, not beside it: on a slow link the app is usable sooner
    // and the model arrives no later (the same bytes through the same link).
    const appStarted = new Promise((resolve) => window.addEventListener('attnlab-ready', resolve, { once: true }));
    start(wasm, font, true);
    let lastReport = 0;
    const reportModel = (loaded, total) => {
      const now = performance.now();
      if (!appReady() || (now - lastReport < 100 && loaded < total)) return;  // ≤ 10 redraws a second
      lastReport = now;
      window.Module.ccall('attnlab_model_arrival', null, ['number', 'number', 'number'], [1, loaded, total]);
    };
    const got = await startupModel(reportModel);  // never rejects
    await appStarted;
    installStartupModel(got);
  }

  main();
})();
