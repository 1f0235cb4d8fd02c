// Lvzhi's service worker (lvzhi/core/pwa.py). Signed-in pages are never
// cached: navigations go to the network and fall back to the offline page.
const CONFIG = {{ config|safe }};
const CACHE = "lvzhi-shell-" + CONFIG.version;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll([CONFIG.offline, ...CONFIG.shell])),
  );
  self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys().then((keys) =>
      Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))),
    ),
  );
  self.clients.claim();
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") {
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(() => caches.match(CONFIG.offline)));
    return;
  }
  const url = new URL(request.url);
  if (url.origin === self.location.origin && CONFIG.shell.includes(url.pathname)) {
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
  }
});
