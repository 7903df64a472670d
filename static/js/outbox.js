// The outbox: days saved on this phone while the server could not be reached, kept in
// IndexedDB until the JSON API accepts them. Nothing leaves it without a 2xx or a choice
// the user made. The page loads this file, and the service worker imports it
// (importScripts), so both replay entries the same way.
"use strict";

var backpainOutbox = (function () {
  const DB_NAME = "backpain";
  const STORE = "outbox";
  const META = "meta";
  const RETRY_STATES = ["waiting", "signin"];
  const PAGES_CACHE = "backpain-pages";

  let opening = null;

  // The signed-in pages kept for offline use (Cache Storage exists in secure contexts only).
  function forgetPages() {
    return self.caches ? caches.delete(PAGES_CACHE).catch(() => {}) : Promise.resolve();
  }

  function db() {
    if (!opening) {
      opening = new Promise((resolve, reject) => {
        const request = indexedDB.open(DB_NAME, 1);
        request.onupgradeneeded = () => {
          request.result.createObjectStore(STORE, { keyPath: "uuid" });
          request.result.createObjectStore(META);
        };
        request.onsuccess = () => {
          const database = request.result;
          database.onversionchange = () => {
            database.close();
            opening = null;
          };
          resolve(database);
        };
        request.onerror = () => {
          opening = null;
          reject(request.error);
        };
      });
    }
    return opening;
  }

  function done(transaction, resolve, reject) {
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error);
  }

  async function transact(storeName, mode, work) {
    const database = await db();
    return new Promise((resolve, reject) => {
      const transaction = database.transaction(storeName, mode);
      const request = work(transaction.objectStore(storeName));
      done(transaction, () => resolve(request ? request.result : undefined), reject);
    });
  }

  const all = () => transact(STORE, "readonly", (store) => store.getAll());
  const get = (uuid) => transact(STORE, "readonly", (store) => store.get(uuid));
  const remove = (uuid) => transact(STORE, "readwrite", (store) => store.delete(uuid));
  const session = () => transact(META, "readonly", (store) => store.get("session"));
  const setSession = (value) => transact(META, "readwrite", (store) => store.put(value, "session"));

  // Both stores in one transaction: a logout never leaves half an outbox behind.
  async function clear() {
    const database = await db();
    return new Promise((resolve, reject) => {
      const transaction = database.transaction([STORE, META], "readwrite");
      transaction.objectStore(STORE).clear();
      transaction.objectStore(META).clear();
      done(transaction, resolve, reject);
    });
  }

  // Read-modify-write in one transaction. `change` returns the new item, null to delete
  // it, or undefined to leave it alone.
  async function update(uuid, change) {
    const database = await db();
    return new Promise((resolve, reject) => {
      const transaction = database.transaction(STORE, "readwrite");
      const store = transaction.objectStore(STORE);
      const request = store.get(uuid);
      request.onsuccess = () => {
        if (!request.result) return;
        const next = change(request.result);
        if (next === null) store.delete(uuid);
        else if (next) store.put(next);
      };
      done(transaction, resolve, reject);
    });
  }

  function newId() {
    if (self.crypto && crypto.randomUUID) return crypto.randomUUID();
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    const parts = [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20)];
    return [...parts, hex.slice(20)].join("-");
  }

  // Saving the same day again replaces the waiting copy: same uuid, newest fields.
  function queue(item) {
    const stored = Object.assign({}, item, {
      state: "waiting",
      rev: newId(),
      queuedAt: new Date().toISOString(),
    });
    return transact(STORE, "readwrite", (store) => store.put(stored)).then(() => stored);
  }

  // The page and the worker may both replay; the lock makes them take turns, so a write
  // is never sent twice at once.
  function withLock(work) {
    if (self.navigator && navigator.locks) {
      return navigator.locks.request("backpain-outbox", work);
    }
    return work();
  }

  async function send(apiUrl, item, csrf) {
    const body = Object.assign({}, item.payload, { base_version: item.base_version });
    const response = await fetch(apiUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-CSRFToken": csrf || "",
      },
      body: JSON.stringify(body),
    });
    let data = {};
    try {
      data = await response.json();
    } catch (error) {
      // A proxy's error page, or the CSRF failure page: the status says enough.
    }
    return { status: response.status, data };
  }

  function sameRev(item, change) {
    return (current) => (current.rev === item.rev ? change(current) : undefined);
  }

  // A 409 keeps the server's copy for the chooser; a 400 keeps the errors to show.
  function markProblem(item, status, data) {
    const problem =
      status === 409
        ? { state: "conflict", server: data.entry }
        : { state: "invalid", errors: data.errors || {} };
    return update(
      item.uuid,
      sameRev(item, (current) => Object.assign(current, problem)),
    );
  }

  // The session is gone: its pages leave the phone, its entries wait for a login.
  async function waitForLogin(item) {
    await forgetPages();
    await update(
      item.uuid,
      sameRev(item, (current) => Object.assign(current, { state: "signin" })),
    );
  }

  // Sends this user's waiting entries to `apiUrl`, oldest first. Reports what synced, and
  // whether the server could not be reached.
  async function replay(apiUrl) {
    const report = { synced: [], offline: false };
    await withLock(async () => {
      const who = await session();
      if (!who || !who.user) return;
      const items = (await all()).filter(
        (item) => item.user === who.user && RETRY_STATES.includes(item.state),
      );
      for (const queued of items) {
        const item = await get(queued.uuid);
        if (!item || !RETRY_STATES.includes(item.state)) continue;
        let result;
        try {
          result = await send(apiUrl, item, who.csrf);
        } catch (error) {
          report.offline = true;
          break;
        }
        const { status, data } = result;
        if (status >= 200 && status < 300) {
          // Saved again on the phone while this was in flight: keep the newer copy, now
          // based on the version the server just made.
          await update(item.uuid, (current) =>
            current.rev === item.rev
              ? null
              : Object.assign(current, { base_version: data.entry ? data.entry.version : null }),
          );
          report.synced.push({ uuid: item.uuid, date: item.date, entry: data.entry || null });
        } else if (status === 409 || status === 400) {
          await markProblem(item, status, data);
        } else if (status === 401) {
          await waitForLogin(item);
          break;
        } else if (status === 403) {
          // A CSRF token older than the browser's cookie (the session's is stored when a
          // page syncs): the entry stays waiting, and the next page's sync sends the
          // cookie's own token.
          report.offline = true;
          break;
        } else {
          report.offline = true;
          break;
        }
      }
    });
    return report;
  }

  // A Log out pressed with no signal is kept here (not in the outbox, which logging out
  // empties) and sent before anything else once the server answers.
  const pendingLogout = () => transact(META, "readonly", (store) => store.get("logout"));
  const queueLogout = (url, csrf) =>
    transact(META, "readwrite", (store) => store.put({ url, csrf }, "logout"));
  const forgetLogout = () => transact(META, "readwrite", (store) => store.delete("logout"));

  // "none" when no logout waits, "sent" once the server has it, "waiting" while it cannot
  // be reached. A refusal (say, a CSRF token from before a later login) is dropped: sending
  // it again would not help, and it must never end a newer session.
  async function finishLogout() {
    const pending = await pendingLogout();
    if (!pending) return "none";
    let response;
    try {
      response = await fetch(pending.url, {
        method: "POST",
        credentials: "same-origin",
        redirect: "manual",
        headers: { "X-CSRFToken": pending.csrf },
      });
    } catch (error) {
      return "waiting";
    }
    if (response.status >= 500) return "waiting";
    await forgetLogout();
    return "sent";
  }

  return {
    PAGES_CACHE,
    forgetPages,
    all,
    get,
    remove,
    clear,
    update,
    queue,
    replay,
    session,
    setSession,
    newId,
    queueLogout,
    forgetLogout,
    finishLogout,
  };
})();
