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
const SHARE_URL = "{% url 'import_share' %}";
const IMPORT_URL = "{% url 'import_runs' %}";
const SHARED_FILES = "shared-files"; // import.js reads it too
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
  "{% static 'js/outbox.js' %}",
  "{% static 'js/page.js' %}",
  "{% static 'js/sync.js' %}",
  "{% static 'js/install.js' %}",
  "{% static 'django_htmx/htmx-2.min.js' %}",
  "{% static 'django_htmx/django-htmx.js' %}",
  "{% static 'js/htmx-debug.js' %}",
  "{% static 'icons/icon.svg' %}",
  "{% static 'icons/icon-192.png' %}",
];

// The only signed-in pages kept on the phone: today's form (it carries the red-flag
// blocks) and the home page the installed app opens on (its card shows what waits in the
// outbox). Settings, other days, exports and account pages are never kept. The pages
// cache is emptied at logout and whenever the server says the session is gone.
const USER_PAGES = ["{% url 'home' %}", "{% url 'log' %}"];
// Kept once the runner has opened them (each period its own copy), never fetched ahead.
const VISITED_PAGES = ["{% url 'trends' %}"];
// The files only those pages load are kept with them, not fetched on a first visit.
const USER_FILES = [
  "{% static 'js/day-card.js' %}",
  "{% static 'js/offline-form.js' %}",
  "{% static 'js/import.js' %}",
  "{% static 'css/trends.css' %}",
];
const NO_CACHE_PREFIXES = ["/accounts/", "/admin/"];
const LOGOUT_URL = "{% url 'logout' %}";

// The outbox is the one script the worker shares with the page: both replay the same way.
importScripts("{% static 'js/outbox.js' %}");
const outbox = self.backpainOutbox;

// The precache name changes with VERSION and with any hashed file name in the lists.
const PRECACHED = [...PUBLIC_PAGES, ...STATIC_FILES, ...USER_FILES];
const PRECACHE = `backpain-precache-v${VERSION}-${hash(PRECACHED.join())}`;
const PAGES = outbox.PAGES_CACHE;

function hash(text) {
  let h = 5381;
  for (let i = 0; i < text.length; i++) h = (h * 33) ^ text.charCodeAt(i);
  return (h >>> 0).toString(36);
}

function isHashed(url) {
  return /\.[0-9a-f]{12}\.[a-z0-9]+$/.test(url.pathname);
}

// Hashed files the page has just loaded come from the HTTP cache: they never change.
function cacheFiles(cache, urls) {
  const fresh = (url) => (isHashed(new URL(url, self.location)) ? "default" : "reload");
  return cache.addAll(urls.map((url) => new Request(url, { cache: fresh(url) })));
}

async function precache() {
  const cache = await caches.open(PRECACHE);
  await cacheFiles(cache, STATIC_FILES);
  await Promise.all(
    PUBLIC_PAGES.map(async (url) => {
      const response = await fetch(url, { credentials: "omit", cache: "reload" });
      if (!response.ok || response.redirected) throw new Error(`Could not precache ${url}`);
      await cache.put(url, response);
    }),
  );
}

// One at a time: these are signed-in requests, and each one touches the session. Their
// scripts are kept first: a kept page is of no use offline without them.
async function cacheUserPages() {
  if ((await outbox.finishLogout()) === "waiting") return;
  const fetched = [];
  for (const url of USER_PAGES) {
    let response;
    try {
      response = await fetch(url, { credentials: "same-origin", cache: "reload" });
    } catch (error) {
      return; // Offline: the next visit caches the pages instead.
    }
    if (response.redirected || signedOut(response)) return forgetUserPages();
    if (response.ok) fetched.push([url, response]);
  }
  await cacheFiles(await caches.open(PRECACHE), USER_FILES).catch(() => {});
  const pages = await caches.open(PAGES);
  for (const [url, response] of fetched) await pages.put(url, response);
}

function isUserPage(url) {
  return (url.search === "" && USER_PAGES.includes(url.pathname)) || isVisitedPage(url);
}

function isVisitedPage(url) {
  return VISITED_PAGES.includes(url.pathname);
}

// The server marks every page it renders for nobody (the login page a lapsed session is
// sent to, the signed-out home page); a kept page that now redirects has lost its session.
function signedOut(response) {
  return response.headers.get("Backpain-Session") === "none";
}

function sessionGone(url, response) {
  return signedOut(response) || (response.type === "opaqueredirect" && isUserPage(url));
}

function forgetUserPages() {
  return caches.delete(PAGES);
}

// Keep today's pages as they were just fetched; drop them when the session is gone. When
// a slow answer says so after the kept copy was shown, show the server's answer instead.
async function keepOrForget(event, url, response, loggingOut, shownFromCache) {
  if (sessionGone(url, response)) {
    await forgetUserPages();
    const shownKept = shownFromCache() && isUserPage(url);
    const client = shownKept && (await self.clients.get(event.resultingClientId));
    if (client) await client.navigate(url.href);
  } else if (isUserPage(url) && response.status === 200 && response.type === "basic") {
    if ((await loggingOut) === "waiting") return;
    await (await caches.open(PAGES)).put(url.pathname + url.search, response.clone());
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
      await pruneUserPages();
      await self.clients.claim();
    })(),
  );
});

// Older workers kept every page opened (settings, other days): drop all but today's.
async function pruneUserPages() {
  const cache = await caches.open(PAGES);
  for (const request of await cache.keys()) {
    if (!isUserPage(new URL(request.url))) await cache.delete(request);
  }
}

self.addEventListener("message", (event) => {
  const type = event.data && event.data.type;
  if (type === "SKIP_WAITING") self.skipWaiting();
  if (type === "CACHE_USER_PAGES") event.waitUntil(cacheUserPages());
  if (type === "LOGGED_OUT") event.waitUntil(forgetUserPages());
});

self.addEventListener("sync", (event) => {
  if (event.tag === "logout") {
    event.waitUntil(
      outbox.finishLogout().then((result) => {
        if (result === "waiting") throw new Error("Still offline");
      }),
    );
  }
  if (event.tag !== "outbox") return;
  event.waitUntil(
    outbox.replay(API_PREFIX).then(async (report) => {
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
  if (request.method === "POST" && url.pathname === SHARE_URL) {
    event.respondWith(receiveShare(request));
    return;
  }
  if (request.mode === "navigate") {
    if (request.method === "GET") event.respondWith(pageResponse(event, url));
    else if (url.pathname === LOGOUT_URL) event.respondWith(logOutResponse(request));
    else if (!isPrivate(url)) event.respondWith(fetch(request).catch(offlinePage));
    return;
  }
  if (request.method === "GET" && url.pathname.startsWith(STATIC_PREFIX)) {
    event.respondWith(staticResponse(event, url));
  }
});

// The share sheet posts watch files here (the manifest's share_target) with no CSRF
// token. They wait in a cache for the import page, which sends them as the runner.
async function receiveShare(request) {
  const form = await request.formData();
  const cache = await caches.open(SHARED_FILES);
  const files = form.getAll("file").filter((file) => file instanceof File);
  await Promise.all(
    files.map((file, n) =>
      cache.put(`${IMPORT_URL}shared/${n}`, new Response(file, { headers: { "X-Name": encodeURIComponent(file.name) } })),
    ),
  );
  return Response.redirect(`${IMPORT_URL}?shared=${files.length}`, 303);
}

function isPrivate(url) {
  return NO_CACHE_PREFIXES.some((prefix) => url.pathname.startsWith(prefix));
}

// Log out pressed with no signal: sync.js has cleared the phone and queued the logout,
// which is sent before the next page is fetched. The offline page says so.
async function logOutResponse(request) {
  try {
    const response = await fetch(request);
    await outbox.forgetLogout().catch(() => {});
    return response;
  } catch (error) {
    return Response.redirect(OFFLINE_URL, 303);
  }
}

// Pages: network first, but give up waiting after a few seconds if a copy is cached. A
// logout queued offline reaches the server before the page is asked for.
async function pageResponse(event, url) {
  const request = event.request;
  const loggingOut = outbox.finishLogout().catch(() => "none");
  const network = loggingOut.then(() => fetch(request));
  let shownFromCache = false;
  event.waitUntil(
    network
      .then((response) => keepOrForget(event, url, response, loggingOut, () => shownFromCache))
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
  const cached = await cachedPage(request, url);
  if (cached) {
    shownFromCache = true;
    return cached;
  }
  try {
    return (await network).clone();
  } catch (error) {
    return offlinePage();
  }
}

async function cachedPage(request, url) {
  const options = { ignoreVary: true };
  if (isUserPage(url)) {
    const kept = await caches.match(url.pathname + url.search, { ...options, cacheName: PAGES });
    if (kept) return kept;
  }
  return caches.match(request, { ...options, cacheName: PRECACHE });
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

// --- reminders (Web Push: pages/push.py sends {title, body, url, tag}) ---------------

const TODAY_URL = "{% url 'log' %}";
const ICON_URL = "{% static 'icons/icon-192.png' %}";

self.addEventListener("push", (event) => {
  let message = {};
  try {
    message = event.data ? event.data.json() : {};
  } catch (error) {
    // Not JSON: the generic reminder below.
  }
  const title = message.title || "How is your back today?";
  event.waitUntil(
    self.registration.showNotification(title, {
      body: message.body || "",
      tag: message.tag || "backpain-reminder",
      icon: ICON_URL,
      badge: ICON_URL,
      data: { url: message.url || TODAY_URL },
    }),
  );
});

// A tap focuses a window of the app and opens the page there, or opens a new window.
self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const data = event.notification.data || {};
  const url = new URL(data.url || TODAY_URL, self.location.origin);
  const href = url.origin === self.location.origin ? url.href : new URL(TODAY_URL, self.location).href;
  event.waitUntil(openPage(href));
});

async function openPage(href) {
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  for (const client of windows) {
    if (new URL(client.url).origin !== self.location.origin) continue;
    const focused = await client.focus().catch(() => client);
    const navigated = await focused.navigate(href).catch(() => null);
    if (navigated) return navigated;
  }
  return self.clients.openWindow(href);
}
