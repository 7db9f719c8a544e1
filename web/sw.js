// Attention Lab — service worker: after one visit the page works with no network.
//
// App code (index.html, strings.js, loader.js, attnlab.js/.wasm, the threaded attnlab-mt.*,
// style.css): network first, so a new build is picked up at once when online; the cached copy
// when offline.
// Assets (the UI font, the bundled model): cache first — they are large and change rarely;
// a new copy is fetched in the background and used next time.
// Models loaded with ?model=URL live in their own cache ('attnlab-models', see loader.js).
// Updates: the build writes its content hash into APP_CACHE (tools/stamp-sw.cmake), so a new
// deploy is a new service worker; it fetches every file past the HTTP cache, caches them under
// the new name, and deletes the old cache when it takes over.
'use strict';

const APP_CACHE = 'attnlab-app-dev';  // 'attnlab-app-<hash of this build>' in site/sw.js
const CORE = ['./', 'index.html', 'strings.js', 'loader.js', 'style.css', 'favicon.svg', 'attnlab.js',
              'attnlab.wasm', 'assets/fonts/ui-font.ttf'];
// The threaded app (attnlab-mt.*) is built by default but optional, like the demo model.
const OPTIONAL = ['assets/attnlab-demo-gpt2-q8_0.gguf', 'examples/textbook.html', 'attnlab-mt.js', 'attnlab-mt.wasm',
                  'attnlab-mt.worker.js'];

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(APP_CACHE);
    const fresh = (url) => new Request(url, { cache: 'reload' });  // this build's bytes, not the HTTP cache's
    await cache.addAll(CORE.map(fresh));
    await Promise.all(OPTIONAL.map((url) => cache.add(fresh(url)).catch(() => undefined)));  // may be absent
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

// A worker that a new deploy has replaced may still be finishing a fetch: it must not bring
// its deleted cache back (caches.open would create it again), so it checks first.
async function ourCache() {
  return (await caches.has(APP_CACHE)) ? caches.open(APP_CACHE) : null;
}

async function keep(request, response) {
  const cache = response.ok ? await ourCache() : null;
  if (cache) await cache.put(request, response);
}

async function cached(request) {
  const cache = await ourCache();
  return cache ? cache.match(request, { ignoreSearch: true }) : undefined;
}

async function networkFirst(request) {
  try {
    const response = await fetch(request, { cache: 'no-cache' });  // revalidated: a new deploy wins at once
    keep(request, response.clone()).catch(() => undefined);
    return response;
  } catch (e) {
    const hit = await cached(request);
    if (hit) return hit;
    throw e;
  }
}

async function cacheFirst(request, event) {
  const hit = await cached(request);
  const refresh = fetch(request).then((response) => {
    keep(request, response.clone()).catch(() => undefined);
    return response;
  });
  if (hit) {
    event.waitUntil(refresh.catch(() => undefined));
    return hit;
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
