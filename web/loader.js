// Attention Lab — web loader.
//
// 1. checks that the browser has what the app needs (WebAssembly with SIMD, WebGL2);
// 2. downloads the app's files with one progress bar (wasm, UI font; the model later);
// 3. hands them to the Emscripten module (attnlab.js) and starts it;
// 4. shows a clear bilingual message instead of a blank page when anything fails.
//
// URL parameters (all optional, all validated by the app, never executed or put into HTML):
//   ?lang=zh|en  ?theme=light|dark  ?section=sequence|self-attention|architecture|visualize|exercises
(function () {
  'use strict';

  const FILES = [
    { url: 'attnlab.wasm', what: 'WebAssembly' },
    { url: 'assets/fonts/ui-font.otf', what: 'font', fsPath: '/assets/fonts/ui-font.otf' },
  ];

  const $ = (id) => document.getElementById(id);

  // textContent only: messages may contain a file name, never markup.
  function showError(zh, en) {
    $('loader').hidden = true;
    $('error-zh').textContent = zh;
    $('error-en').textContent = en;
    $('error').hidden = false;
    document.title = '无法启动 · Cannot start — Attention Lab';
  }

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

  // Fetches every file, reporting the bytes received so far against the sum of their sizes.
  async function fetchAll(files) {
    const responses = await Promise.all(files.map(async (f) => {
      let res;
      try {
        res = await fetch(f.url);
      } catch (e) {
        throw new Error(`${f.url}: ${e.message}`);
      }
      if (!res.ok) throw new Error(`${f.url}: HTTP ${res.status}`);
      return res;
    }));
    const sizes = responses.map((r) => Number(r.headers.get('Content-Length')) || 0);
    const total = sizes.every((s) => s > 0) ? sizes.reduce((a, b) => a + b, 0) : 0;
    const received = files.map(() => 0);
    const update = () => setProgress(received.reduce((a, b) => a + b, 0), total);
    return Promise.all(responses.map(async (res, i) => {
      const chunks = [];
      const reader = res.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        received[i] += value.length;
        update();
      }
      const bytes = new Uint8Array(received[i]);
      let at = 0;
      for (const c of chunks) { bytes.set(c, at); at += c.length; }
      return bytes;
    }));
  }

  function appArguments() {
    const params = new URLSearchParams(location.search);
    const dark = window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches;
    const args = ['--lang', params.get('lang') || navigator.language || 'zh-CN',
                  '--theme', params.get('theme') || (dark ? 'dark' : 'light')];
    if (params.get('section')) args.push('--section', params.get('section'));
    return args.map((a) => String(a).slice(0, 64));  // plain strings the C++ side parses
  }

  function start(bytes) {
    const canvas = $('canvas');
    canvas.addEventListener('webglcontextlost', (e) => {
      e.preventDefault();
      showError('图形上下文丢失（WebGL context lost）。请刷新页面。', 'The graphics context was lost. Please reload the page.');
    });
    window.Module = {
      canvas,
      arguments: appArguments(),
      wasmBinary: bytes[0],
      preRun: [() => {
        const FS = window.Module.FS;
        FILES.forEach((f, i) => {
          if (!f.fsPath) return;
          let dir = '';
          for (const part of f.fsPath.split('/').slice(1, -1)) {
            dir += '/' + part;
            try { FS.mkdir(dir); } catch (e) { /* exists */ }
          }
          FS.writeFile(f.fsPath, bytes[i]);
        });
      }],
      print: (text) => console.log(text),
      printErr: (text) => console.error(text),
      onAbort: (what) => showError(`程序意外停止：${what}`, `The app stopped unexpectedly: ${what}`),
      // Called by the app after its first frame is on screen.
      onFirstFrame: () => {
        $('loader').hidden = true;
        canvas.focus();
        window.Module.attnlabReady = true;
        window.dispatchEvent(new Event('attnlab-ready'));
      },
    };
    const script = document.createElement('script');
    script.src = 'attnlab.js';
    script.onerror = () => showError('无法加载 attnlab.js。', 'Could not load attnlab.js.');
    document.body.appendChild(script);
  }

  async function main() {
    const problem = browserProblem();
    if (problem) return showError(problem[0], problem[1]);
    setProgress(0, 0);
    let bytes;
    try {
      bytes = await fetchAll(FILES);
    } catch (e) {
      return showError(`文件加载失败：${e.message}。请检查网络后刷新页面。`,
                       `A file failed to load: ${e.message}. Check the connection and reload the page.`);
    }
    start(bytes);
  }

  main();
})();
