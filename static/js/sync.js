// Sending what waits on this phone, and saying where it stands. Replays the outbox when
// the signal returns, the page is shown again, or the user asks; shows the waiting count,
// the chooser for a day changed elsewhere, and the errors of a day the server refused.
// Also the phone's side of logging out. Tells the other scripts through two events:
// "backpain:outbox" (what waits now) and "backpain:synced" (what the server took).
"use strict";

(function (app, outbox) {
  const RETRY_EVERY_MS = 30000;
  const user = app.user;

  // Saved online through the form: until that day's waiting copy is gone, it must not be
  // put back into the fresh form.
  const savedOnline = new Set();

  function tell(name, detail) {
    document.dispatchEvent(new CustomEvent(`backpain:${name}`, { detail }));
  }

  async function mine() {
    if (!user) return [];
    return (await outbox.all()).filter((item) => item.user === user && !savedOnline.has(item.date));
  }

  async function refresh() {
    let items;
    try {
      items = await mine();
    } catch (error) {
      return [];
    }
    showOutbox(items);
    tell("outbox", { items });
    return items;
  }

  // --- the notices -----------------------------------------------------------------

  function longDate(iso) {
    if (iso === app.localToday()) return app.words("outbox-words", "today");
    return new Date(`${iso}T12:00:00`).toLocaleDateString("en-GB", {
      weekday: "long",
      day: "numeric",
      month: "long",
    });
  }

  function showOutbox(items) {
    const waiting = items.filter((item) => item.state === "waiting" || item.state === "signin");
    const count = waiting.length;
    app.notice(
      "waiting",
      count ? "notice-waiting" : null,
      {
        text: { count },
        when: {
          one: count === 1,
          many: count !== 1,
          signin: waiting.some((item) => item.state === "signin"),
        },
      },
      { sync: () => sync() },
    );
    const shown = new Set();
    for (const item of items) {
      const key = `item-${item.uuid}`;
      if (item.state === "conflict") conflictNotice(key, item);
      else if (item.state === "invalid") invalidNotice(key, item);
      else continue;
      shown.add(key);
    }
    app.dropNotices("item-", shown);
  }

  function conflictNotice(key, item) {
    const text = {
      day: longDate(item.date),
      mine: app.describe(item.payload, item.unit),
      theirs: app.describe(item.server || {}, item.unit),
    };
    const actions = { mine: () => keepMine(item), saved: () => keepSaved(item) };
    app.notice(key, "notice-conflict", { text }, actions);
  }

  function invalidNotice(key, item) {
    const template = document.getElementById("notice-invalid");
    const labels = template ? JSON.parse(template.dataset.labels || "{}") : {};
    const errors = Object.entries(item.errors || {}).flatMap(([field, messages]) =>
      messages.map((message) => (labels[field] ? `${labels[field]}: ${message}` : message)),
    );
    app.notice(
      key,
      "notice-invalid",
      {
        text: { day: longDate(item.date) },
        href: { fix: app.dayUrl(item.date) },
        each: { errors },
      },
      { discard: () => discard(item) },
    );
  }

  async function keepMine(item) {
    await outbox.update(item.uuid, (current) =>
      Object.assign(current, {
        state: "waiting",
        base_version: current.server ? current.server.version : current.base_version,
        server: null,
      }),
    );
    await sync();
  }

  async function keepSaved(item) {
    await outbox.remove(item.uuid);
    await refresh();
    const form = document.querySelector("form.entry-form");
    if (form && app.cardDay() === item.date) location.reload();
  }

  async function discard(item) {
    await outbox.remove(item.uuid);
    await refresh();
  }

  // --- replaying -------------------------------------------------------------------

  let syncing = null;
  let syncAgain = null;

  // One replay at a time. A request made during one gets a fresh run after it, because
  // the running one may have read the outbox before the newest entry was added.
  function sync() {
    if (!user) return Promise.resolve();
    if (!syncing) {
      syncing = outbox
        .setSession({ user, csrf: app.csrfToken() })
        .then(() => outbox.replay(app.apiUrl))
        .then((report) => report.synced.length && tell("synced", { synced: report.synced }))
        .catch(() => {})
        .then(refresh)
        .finally(() => {
          syncing = null;
        });
      return syncing;
    }
    if (!syncAgain) {
      syncAgain = syncing.then(() => {
        syncAgain = null;
        return sync();
      });
    }
    return syncAgain;
  }

  function requestBackgroundSync(tag = "outbox") {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.ready
      .then((registration) => registration.sync && registration.sync.register(tag))
      .catch(() => {});
  }

  // A day was just kept on this phone.
  function queued() {
    requestBackgroundSync();
    return refresh();
  }

  // The day was saved online: what waited for it is superseded.
  async function forgetDay(day) {
    savedOnline.add(day);
    try {
      for (const item of await outbox.all()) {
        if (item.user === user && item.date === day) await outbox.remove(item.uuid);
      }
    } finally {
      savedOnline.delete(day);
    }
    refresh();
  }

  // --- logging out -----------------------------------------------------------------

  async function logOut(form) {
    await Promise.race([sync(), new Promise((resolve) => setTimeout(resolve, 4000))]);
    const left = (await outbox.all().catch(() => [])).length;
    const when = { one: left === 1, many: left !== 1 };
    const question = app.words("outbox-words", "logout", { text: { count: left }, when });
    if (left && !window.confirm(question)) return;
    await outbox.clear().catch(() => {});
    await outbox.queueLogout(form.action, app.csrfToken()).catch(() => {});
    await outbox.forgetPages();
    if (navigator.serviceWorker && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage({ type: "LOGGED_OUT" });
    }
    localStorage.removeItem("backpain-user");
    form.dataset.cleared = "1";
    form.submit();
  }

  // A logout queued with no signal: send it now if the server answers, else say plainly
  // where things stand. A page that was still signed in is fetched again, signed out.
  async function finishLogout() {
    // Without IndexedDB no logout could have been queued.
    const result = await outbox.finishLogout().catch(() => "none");
    if (result === "sent" && user) location.reload();
    if (result === "waiting") requestBackgroundSync("logout");
    app.notice("logout", result === "waiting" ? "notice-logout" : null);
  }

  // Another account signed in on this phone: the last one's pages must not linger.
  function forgetOtherUser() {
    const last = localStorage.getItem("backpain-user");
    if (user && last && last !== user) outbox.forgetPages();
    if (user) localStorage.setItem("backpain-user", user);
  }

  document.addEventListener("submit", (event) => {
    const form = event.target;
    const action = new URL(form.action, location.href).pathname;
    if (action !== app.logoutUrl || form.dataset.cleared) return;
    event.preventDefault();
    logOut(form);
  });

  // --- start -----------------------------------------------------------------------

  app.queued = queued;
  app.forgetDay = forgetDay;
  forgetOtherUser();
  finishLogout();
  window.addEventListener("online", finishLogout);
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.addEventListener("message", (event) => {
      if (!event.data || event.data.type !== "OUTBOX_CHANGED") return;
      if (event.data.synced && event.data.synced.length) tell("synced", event.data);
      refresh();
    });
  }
  if (user) {
    document.addEventListener("htmx:afterSettle", refresh);
    refresh().then(sync);
    window.addEventListener("online", sync);
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") sync();
    });
    setInterval(() => {
      if (document.visibilityState !== "visible" || !navigator.onLine) return;
      mine().then((items) => {
        if (items.some((item) => item.state === "waiting")) sync();
      });
    }, RETRY_EVERY_MS);
  }
})(backpain, backpainOutbox);
