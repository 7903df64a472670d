// Installing and updating: registers the service worker (this script tag's data-sw), offers
// a new version once it is ready, and offers the install: the Install button when Chromium
// fires beforeinstallprompt, the Share → Add to Home Screen hint in iOS Safari.
"use strict";

(function (app) {
  const swUrl = document.currentScript.dataset.sw;

  function isStandalone() {
    return window.matchMedia("(display-mode: standalone)").matches || navigator.standalone === true;
  }

  // --- the install offers ----------------------------------------------------------
  // A card in the home page's flow (#install-offer), never over it. The page carries the
  // offers' templates only for a signed-in runner who has logged a day. "Not now" holds
  // for 30 days, for both offers.

  const DISMISSED = "backpain-install-dismissed";
  const DISMISSED_FOR_MS = 30 * 24 * 60 * 60 * 1000;

  let installPrompt = null;

  function dismissedLately() {
    const at = Number(localStorage.getItem(DISMISSED));
    return Date.now() - at < DISMISSED_FOR_MS;
  }

  // The iOS hint's "Dismiss" used to hold for ever; it now counts as a dismissal today.
  if (localStorage.getItem("backpain-ios-hint")) {
    localStorage.setItem(DISMISSED, String(Date.now()));
    localStorage.removeItem("backpain-ios-hint");
  }

  function isIosSafari() {
    const ua = navigator.userAgent;
    const ios =
      /iPhone|iPad|iPod/.test(ua) || (/Macintosh/.test(ua) && navigator.maxTouchPoints > 1);
    return (
      ios && /Safari\//.test(ua) && !/CriOS|FxiOS|EdgiOS|OPiOS|GSA\/|FBAN|FBAV|Instagram/.test(ua)
    );
  }

  function offerPlace() {
    return document.getElementById("install-offer");
  }

  function withdraw(key) {
    app.notice(key, null, {}, {}, offerPlace());
  }

  function offer(key, template, actions) {
    if (!offerPlace() || isStandalone() || dismissedLately()) return;
    const dismiss = () => {
      localStorage.setItem(DISMISSED, String(Date.now()));
      withdraw(key);
    };
    app.notice(key, template, {}, { ...actions, dismiss }, offerPlace());
  }

  function install() {
    const prompt = installPrompt;
    installPrompt = null;
    withdraw("install");
    if (prompt) prompt.prompt();
  }

  function showOffers() {
    if (installPrompt) offer("install", "notice-install", { install });
    else if (isIosSafari()) offer("ios-hint", "notice-ios-hint", {});
  }

  // Held back, so the browser puts no banner of its own over the page.
  window.addEventListener("beforeinstallprompt", (event) => {
    event.preventDefault();
    installPrompt = event;
    showOffers();
  });

  window.addEventListener("appinstalled", () => {
    installPrompt = null;
    withdraw("install");
  });

  // A one-tap save draws the home page again: the offer goes back in its place.
  document.addEventListener("htmx:afterSettle", showOffers);

  // --- the service worker and its updates ------------------------------------------

  let reloadOnNewWorker = false;

  function offerUpdate(worker) {
    app.notice(
      "update",
      "notice-update",
      {},
      {
        reload: () => {
          reloadOnNewWorker = true;
          worker.postMessage({ type: "SKIP_WAITING" });
        },
      },
    );
  }

  function watchForUpdates(registration) {
    if (registration.waiting && navigator.serviceWorker.controller) {
      offerUpdate(registration.waiting);
    }
    registration.addEventListener("updatefound", () => {
      const worker = registration.installing;
      if (!worker) return;
      worker.addEventListener("statechange", () => {
        if (worker.state === "installed" && navigator.serviceWorker.controller) offerUpdate(worker);
      });
    });
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") registration.update().catch(() => {});
    });
  }

  function startServiceWorker() {
    if (!("serviceWorker" in navigator) || !swUrl) return;
    const container = navigator.serviceWorker;
    container.addEventListener("controllerchange", () => {
      if (reloadOnNewWorker) {
        reloadOnNewWorker = false;
        location.reload();
      }
    });
    // Installing fails when one precache fetch does (a dropped connection on a weak
    // signal): try again a few times rather than wait for the next visit.
    const retry = (attempt) => {
      if (attempt < 3) setTimeout(() => register(attempt + 1), 2000 * (attempt + 1));
    };
    const register = (attempt = 0) =>
      container
        .register(swUrl)
        .then((registration) => {
          watchForUpdates(registration);
          const worker = registration.installing;
          if (worker && !registration.active) {
            worker.addEventListener("statechange", () => {
              if (worker.state === "redundant") retry(attempt);
            });
          }
        })
        .catch(() => retry(attempt));
    if (document.readyState === "complete") register();
    else window.addEventListener("load", () => register(), { once: true });
    // Signed in on this visit: make sure today's form is on the phone for later.
    const user = app.user;
    if (user && !sessionStorage.getItem(`backpain-shell-${user}`)) {
      container.ready.then((registration) => {
        registration.active.postMessage({ type: "CACHE_USER_PAGES" });
        sessionStorage.setItem(`backpain-shell-${user}`, "1");
      });
    }
  }

  showOffers();
  startServiceWorker();
})(backpain);
