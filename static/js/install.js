// Installing and updating: registers the service worker (this script tag's data-sw), offers
// a new version once it is ready, and offers the install on the home page: the Install
// button when Chromium fires beforeinstallprompt, the Share → Add to Home Screen hint in
// iOS Safari. The offers exist only where the page carries their templates.
"use strict";

(function (app) {
  const swUrl = document.currentScript.dataset.sw;

  function isStandalone() {
    return window.matchMedia("(display-mode: standalone)").matches || navigator.standalone === true;
  }

  // --- the install offers ----------------------------------------------------------

  let installPrompt = null;

  window.addEventListener("beforeinstallprompt", (event) => {
    event.preventDefault();
    if (isStandalone() || sessionStorage.getItem("backpain-install") === "dismissed") return;
    installPrompt = event;
    app.notice(
      "install",
      "notice-install",
      {},
      {
        install: () => {
          const prompt = installPrompt;
          installPrompt = null;
          app.notice("install", null);
          if (prompt) prompt.prompt();
        },
        dismiss: () => {
          sessionStorage.setItem("backpain-install", "dismissed");
          app.notice("install", null);
        },
      },
    );
  });

  window.addEventListener("appinstalled", () => {
    installPrompt = null;
    app.notice("install", null);
  });

  function isIosSafari() {
    const ua = navigator.userAgent;
    const ios =
      /iPhone|iPad|iPod/.test(ua) || (/Macintosh/.test(ua) && navigator.maxTouchPoints > 1);
    return (
      ios && /Safari\//.test(ua) && !/CriOS|FxiOS|EdgiOS|OPiOS|GSA\/|FBAN|FBAV|Instagram/.test(ua)
    );
  }

  function offerIosHint() {
    if (!isIosSafari() || isStandalone()) return;
    if (localStorage.getItem("backpain-ios-hint") === "dismissed") return;
    app.notice(
      "ios-hint",
      "notice-ios-hint",
      {},
      {
        dismiss: () => {
          localStorage.setItem("backpain-ios-hint", "dismissed");
          app.notice("ios-hint", null);
        },
      },
    );
  }

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

  offerIosHint();
  startServiceWorker();
})(backpain);
