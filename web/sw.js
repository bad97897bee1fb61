// The service worker of Describe & Generate: keeps one complete build of the app shell so the app
// opens without a network.
//
// - The shell is the exact list of files scripts/build stamped below, each with the SHA-256 of its
//   bytes. Installing fetches every one of them, bypassing the HTTP cache, and refuses the lot if
//   any answer differs from its hash: a deploy landing halfway through the download must not leave
//   an old .wasm next to a new worker.js. The browser tries again on the next visit.
// - One cache per build, named after the build's version. Pages are answered from the cache of the
//   build that controls them, never from a mix of caches.
// - A new build waits until every tab of the old one is closed, or until the person accepts the
//   update (pwa.js posts 'skip-waiting' and then reloads the page), so a running page never
//   switches builds under its feet. Activation deletes the caches of older builds.
// - Only same-origin GETs of shell files are answered. Inference requests (other origins, POSTs,
//   anything carrying an Authorization header) are never intercepted, so the token and the photos
//   never reach a cache.

// Replaced by scripts/build (scripts/stamp-service-worker.mjs). An unbuilt copy has no files and
// refuses to install: web/ alone is not a working app.
const BUILD = { version: 'unbuilt', files: {} };

const SCOPE = self.registration.scope;
// The scope is part of the name, so two copies of the app on one origin (say /app/ and /beta/)
// never delete each other's caches.
const CACHE_PREFIX = `describe-generate:${SCOPE}:`;
const CACHE_NAME = CACHE_PREFIX + BUILD.version;

self.addEventListener('install', (event) => {
  event.waitUntil(precacheShell());
});

self.addEventListener('activate', (event) => {
  event.waitUntil(deleteOtherBuilds());
});

self.addEventListener('message', (event) => {
  if (event.data?.type === 'skip-waiting') self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET' || request.headers.has('authorization')) return;
  const file = shellFileFor(new URL(request.url));
  if (file) event.respondWith(answerFromShell(file, request));
});

async function precacheShell() {
  const names = Object.keys(BUILD.files);
  if (names.length === 0) throw new Error('sw.js was not stamped by scripts/build; nothing to cache');
  // Fetch and check everything before writing anything: a failed install leaves no half cache.
  const entries = await Promise.all(names.map(async (name) => {
    const url = new URL(name, SCOPE).href;
    const response = await fetch(url, { cache: 'reload' });
    if (!response.ok) throw new Error(`${name}: HTTP ${response.status}`);
    const bytes = await response.clone().arrayBuffer();
    if ((await sha256Hex(bytes)) !== BUILD.files[name]) {
      throw new Error(`${name} is not the file of build ${BUILD.version} (a newer deploy is arriving)`);
    }
    return [url, response];
  }));
  await caches.delete(CACHE_NAME); // the leftovers of an earlier, interrupted install
  const cache = await caches.open(CACHE_NAME);
  await Promise.all(entries.map(([url, response]) => cache.put(url, response)));
}

async function deleteOtherBuilds() {
  const names = await caches.keys();
  await Promise.all(names
    .filter((name) => name.startsWith(CACHE_PREFIX) && name !== CACHE_NAME)
    .map((name) => caches.delete(name)));
}

/** The shell file a URL names (the scope itself means index.html), or null. */
function shellFileFor(url) {
  const scope = new URL(SCOPE);
  if (url.origin !== scope.origin || !url.pathname.startsWith(scope.pathname)) return null;
  let name;
  try {
    name = decodeURIComponent(url.pathname.slice(scope.pathname.length)) || 'index.html';
  } catch {
    return null;
  }
  return Object.hasOwn(BUILD.files, name) ? name : null;
}

async function answerFromShell(file, request) {
  const cache = await caches.open(CACHE_NAME);
  // The query string is ignored: ?retryDelayScale=… and the like still open the cached page.
  const cached = await cache.match(new URL(file, SCOPE).href);
  // Only a cache the browser evicted can miss; the network is then the best there is.
  return cached ?? fetch(request);
}

async function sha256Hex(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
