// Attention Lab — service worker: after one visit the page works with no network.
//
// App code (index.html, loader.js, attnlab.js/.wasm, style.css): network first, so a new
// build is picked up at once when online; the cached copy when offline.
// Assets (the UI font, the bundled model): cache first — they are large and change rarely;
// a new copy is fetched in the background and used next time.
// Models loaded with ?model=URL live in their own cache ('attnlab-models', see loader.js).
'use strict';

const APP_CACHE = 'attnlab-app-v1';
const CORE = ['./', 'index.html', 'loader.js', 'style.css', 'favicon.svg', 'attnlab.js', 'attnlab.wasm',
              'assets/fonts/ui-font.otf'];
const OPTIONAL = ['assets/attnlab-demo-gpt2-q8_0.gguf', 'examples/textbook.html'];

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(APP_CACHE);
    await cache.addAll(CORE);
    await Promise.all(OPTIONAL.map((url) => cache.add(url).catch(() => undefined)));  // may be absent
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key.startsWith('attnlab-app-') && key !== APP_CACHE) await caches.delete(key);
    }
    await self.clients.claim();
  })());
});

async function networkFirst(request) {
  const cache = await caches.open(APP_CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) cache.put(request, response.clone());
    return response;
  } catch (e) {
    const cached = await cache.match(request, { ignoreSearch: true });
    if (cached) return cached;
    throw e;
  }
}

async function cacheFirst(request, event) {
  const cache = await caches.open(APP_CACHE);
  const cached = await cache.match(request, { ignoreSearch: true });
  const refresh = fetch(request).then((response) => {
    if (response.ok) cache.put(request, response.clone());
    return response;
  });
  if (cached) {
    event.waitUntil(refresh.catch(() => undefined));
    return cached;
  }
  return refresh;
}

// Only the app's own files: anything else (a ?model= file, say) goes to the network as if
// there were no service worker, and loader.js keeps models in their own cache.
function isAppFile(url) {
  if (url.origin !== self.location.origin) return false;
  const scope = new URL(self.registration.scope).pathname;
  if (!url.pathname.startsWith(scope)) return false;
  const rel = url.pathname.slice(scope.length);
  return rel === '' || CORE.includes(rel) || OPTIONAL.includes(rel) || rel.startsWith('examples/');
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || !isAppFile(url)) return;
  const scope = new URL(self.registration.scope).pathname;
  const isAsset = url.pathname.startsWith(scope + 'assets/');
  event.respondWith(isAsset ? cacheFirst(request, event) : networkFirst(request));
});
