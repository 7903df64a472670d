{% load static %}
// backpain's service worker. A Django template, so every static file is named by its
// hashed URL: a changed file changes these bytes, and the browser installs a new worker.
"use strict";

// Bump VERSION to re-cache everything. `content_version`, when the view passes it, changes
// whenever a precached page's template does.
const VERSION = "1{% if content_version %}-{{ content_version }}{% endif %}";
const STATIC_PREFIX = "{% get_static_prefix %}";
const API_PREFIX = "{% url 'api_entries' %}";
const OFFLINE_URL = "{% url 'offline' %}";
const NETWORK_TIMEOUT_MS = 3000;

// Public pages, fetched without cookies so no one's data or name ends up in them.
const PUBLIC_PAGES = [
  OFFLINE_URL,
  "{% url 'guide_index' %}",
{% for page in guide_pages %}  "{% url 'guide_page' page.slug %}",
{% endfor %}];

const STATIC_FILES = [
  "{% static 'css/app.css' %}",
  "{% static 'css/pwa.css' %}",
  "{% static 'js/app.js' %}",
  "{% static 'js/pwa.js' %}",
  "{% static 'django_htmx/htmx-2.min.js' %}",
  "{% static 'django_htmx/django-htmx.js' %}",
  "{% static 'icons/icon.svg' %}",
  "{% static 'icons/icon-192.png' %}",
];

// The signed-in shell: fetched with the session cookie, kept in the pages cache that is
// emptied at logout. Skipped quietly when nobody is signed in.
const USER_PAGES = ["{% url 'home' %}", "{% url 'log' %}"];
const NO_CACHE_PREFIXES = ["/accounts/", "/admin/"];

importScripts("{% static 'js/pwa.js' %}");
const outbox = self.backpainOutbox;

// The precache name changes with VERSION and with any hashed file name in the lists.
const PRECACHE = `backpain-precache-v${VERSION}-${hash(PUBLIC_PAGES.concat(STATIC_FILES).join())}`;
const PAGES = outbox.PAGES_CACHE;

function hash(text) {
  let h = 5381;
  for (let i = 0; i < text.length; i++) h = (h * 33) ^ text.charCodeAt(i);
  return (h >>> 0).toString(36);
}

function isHashed(url) {
  return /\.[0-9a-f]{12}\.[a-z0-9]+$/.test(url.pathname);
}

async function precache() {
  const cache = await caches.open(PRECACHE);
  // Hashed files the page has just loaded come from the HTTP cache: they never change.
  const fresh = (url) => (isHashed(new URL(url, self.location)) ? "default" : "reload");
  await cache.addAll(STATIC_FILES.map((url) => new Request(url, { cache: fresh(url) })));
  await Promise.all(
    PUBLIC_PAGES.map(async (url) => {
      const response = await fetch(url, { credentials: "omit", cache: "reload" });
      if (!response.ok || response.redirected) throw new Error(`Could not precache ${url}`);
      await cache.put(url, response);
    }),
  );
}

// One at a time: these are signed-in requests, and each one touches the session.
async function cacheUserPages() {
  const cache = await caches.open(PAGES);
  for (const url of USER_PAGES) {
    try {
      const response = await fetch(url, { credentials: "same-origin", cache: "reload" });
      if (response.ok && !response.redirected) await cache.put(url, response);
    } catch (error) {
      // Offline or signed out: the next visit caches the page instead.
    }
  }
}

self.addEventListener("install", (event) => {
  event.waitUntil(precache().then(cacheUserPages));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(
        names
          .filter((name) => name.startsWith("backpain-") && name !== PRECACHE && name !== PAGES)
          .map((name) => caches.delete(name)),
      );
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("message", (event) => {
  const type = event.data && event.data.type;
  if (type === "SKIP_WAITING") self.skipWaiting();
  if (type === "CACHE_USER_PAGES") event.waitUntil(cacheUserPages());
  if (type === "LOGGED_OUT") event.waitUntil(caches.delete(PAGES));
});

self.addEventListener("sync", (event) => {
  if (event.tag !== "outbox") return;
  event.waitUntil(
    outbox.replay().then(async (report) => {
      await tellPages(report);
      // A rejected promise asks the browser to try again later.
      if (report.offline) throw new Error("Still offline");
    }),
  );
});

async function tellPages(report) {
  const pages = await self.clients.matchAll({ type: "window" });
  for (const page of pages) page.postMessage({ type: "OUTBOX_CHANGED", synced: report.synced });
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith(API_PREFIX)) return;
  if (request.mode === "navigate") {
    if (request.method === "GET") event.respondWith(pageResponse(event, url));
    else if (!isPrivate(url)) event.respondWith(fetch(request).catch(offlinePage));
    return;
  }
  if (request.method === "GET" && url.pathname.startsWith(STATIC_PREFIX)) {
    event.respondWith(staticResponse(event, url));
  }
});

function isPrivate(url) {
  return NO_CACHE_PREFIXES.some((prefix) => url.pathname.startsWith(prefix));
}

// Pages: network first, but give up waiting after a few seconds if a copy is cached.
async function pageResponse(event, url) {
  const request = event.request;
  const network = fetch(request);
  event.waitUntil(
    network
      .then(async (response) => {
        if (response.status === 200 && response.type === "basic" && !isPrivate(url)) {
          const cache = await caches.open(PAGES);
          await cache.put(request, response.clone());
        }
      })
      .catch(() => {}),
  );
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(resolve, NETWORK_TIMEOUT_MS, null);
  });
  try {
    const response = await Promise.race([network, timeout]);
    if (response) return response.clone();
  } catch (error) {
    // No network: fall through to the cached copy.
  } finally {
    clearTimeout(timer);
  }
  const cached = await cachedPage(request);
  if (cached) return cached;
  try {
    return (await network).clone();
  } catch (error) {
    return offlinePage();
  }
}

async function cachedPage(request) {
  const options = { ignoreVary: true };
  const pages = await caches.open(PAGES);
  const precache = await caches.open(PRECACHE);
  return (await pages.match(request, options)) || (await precache.match(request, options));
}

async function offlinePage() {
  const cache = await caches.open(PRECACHE);
  return (await cache.match(OFFLINE_URL)) || Response.error();
}

// Hashed static files never change, so the cached copy wins. Unhashed ones (local
// development) go to the network first, so edits show up.
async function staticResponse(event, url) {
  const request = event.request;
  const cached = await caches.match(request, { ignoreVary: true, ignoreSearch: true });
  if (cached && isHashed(url)) return cached;
  try {
    const response = await fetch(request);
    if (response.ok && response.type === "basic") {
      const cache = await caches.open(PRECACHE);
      event.waitUntil(cache.put(request, response.clone()));
    }
    return response;
  } catch (error) {
    return cached || Response.error();
  }
}
