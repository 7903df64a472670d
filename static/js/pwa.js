// Installing, updating and offline saving. The page loads this file as a script, and the
// service worker imports it (importScripts) for the outbox, so both replay entries the
// same way.
"use strict";

// The outbox: entries saved on this phone while the server could not be reached, kept in
// IndexedDB until the JSON API accepts them. Nothing leaves it without a 2xx or a choice
// the user made.
var backpainOutbox = (function () {
  const DB_NAME = "backpain";
  const STORE = "outbox";
  const META = "meta";
  const API_URL = "/api/entries/";
  const RETRY_STATES = ["waiting", "signin"];

  let opening = null;

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

  async function transact(storeName, mode, work) {
    const database = await db();
    return new Promise((resolve, reject) => {
      const transaction = database.transaction(storeName, mode);
      const request = work(transaction.objectStore(storeName));
      transaction.oncomplete = () => resolve(request ? request.result : undefined);
      transaction.onerror = () => reject(transaction.error);
      transaction.onabort = () => reject(transaction.error);
    });
  }

  const all = () => transact(STORE, "readonly", (store) => store.getAll());
  const get = (uuid) => transact(STORE, "readonly", (store) => store.get(uuid));
  const remove = (uuid) => transact(STORE, "readwrite", (store) => store.delete(uuid));
  const session = () => transact(META, "readonly", (store) => store.get("session"));
  const setSession = (value) => transact(META, "readwrite", (store) => store.put(value, "session"));

  async function clear() {
    await transact(STORE, "readwrite", (store) => store.clear());
    await transact(META, "readwrite", (store) => store.clear());
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
      transaction.oncomplete = () => resolve();
      transaction.onerror = () => reject(transaction.error);
      transaction.onabort = () => reject(transaction.error);
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

  async function send(item, csrf) {
    const body = Object.assign({}, item.payload, { base_version: item.base_version });
    const response = await fetch(API_URL, {
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

  async function replay() {
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
          result = await send(item, who.csrf);
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
          report.synced.push({
            uuid: item.uuid,
            date: item.date,
            unit: item.unit,
            entry: data.entry || null,
          });
        } else if (status === 409) {
          await update(
            item.uuid,
            sameRev(item, (current) =>
              Object.assign(current, { state: "conflict", server: data.entry }),
            ),
          );
        } else if (status === 400) {
          await update(
            item.uuid,
            sameRev(item, (current) =>
              Object.assign(current, { state: "invalid", errors: data.errors || {} }),
            ),
          );
        } else if (status === 401 || status === 403) {
          await update(
            item.uuid,
            sameRev(item, (current) => Object.assign(current, { state: "signin" })),
          );
          break;
        } else {
          report.offline = true;
          break;
        }
      }
    });
    return report;
  }

  return {
    PAGES_CACHE: "backpain-pages",
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
  };
})();

if (typeof document !== "undefined") {
  (function (outbox) {
    const script = document.currentScript;
    const user = script.dataset.user || "";
    const swUrl = script.dataset.sw;
    const notices = document.getElementById("app-notices");
    const KM_PER_MILE = 1.609344;
    const SAVE_TIMEOUT_MS = 15000;
    const RETRY_EVERY_MS = 30000;
    const ALTERNATIVES = ["swimming", "cycling", "yoga", "walking", "elliptical", "other"];
    const FIELD_NAMES = {
      date: "Date",
      pain: "Back pain",
      distance_km: "Distance",
      duration_min: "Time",
      surface: "Surface",
      shoe: "Shoe",
      run_pain: "Pain during the run",
      symptoms: "Symptoms",
      alternatives: "Instead of running",
      notes: "Notes",
    };

    // --- small helpers -------------------------------------------------------------

    function el(tag, attrs, ...children) {
      const node = document.createElement(tag);
      for (const [name, value] of Object.entries(attrs || {})) {
        if (name === "onclick") node.addEventListener("click", value);
        else node.setAttribute(name, value);
      }
      for (const child of children) {
        if (child !== null && child !== undefined) node.append(child);
      }
      return node;
    }

    function button(text, onclick, className) {
      return el("button", { type: "button", class: className || "button", onclick }, text);
    }

    function pad(n) {
      return String(n).padStart(2, "0");
    }

    function localToday() {
      const now = new Date();
      return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
    }

    function longDate(iso) {
      if (iso === localToday()) return "today";
      return new Date(`${iso}T12:00:00`).toLocaleDateString("en-GB", {
        weekday: "long",
        day: "numeric",
        month: "long",
      });
    }

    function dayUrl(iso) {
      return iso === localToday() ? "/log/" : `/diary/${iso}/`;
    }

    function plural(n, one, many) {
      return `${n} ${n === 1 ? one : many}`;
    }

    function isStandalone() {
      return (
        window.matchMedia("(display-mode: standalone)").matches || navigator.standalone === true
      );
    }

    function csrfToken() {
      const match = document.cookie.match(/(?:^|;\s*)(?:__Host-)?csrftoken=([^;]+)/);
      if (match) return decodeURIComponent(match[1]);
      const input = document.querySelector("input[name=csrfmiddlewaretoken]");
      return input ? input.value : "";
    }

    function setNotice(key, node) {
      if (!notices) return;
      const old = notices.querySelector(`[data-notice="${key}"]`);
      if (node) node.dataset.notice = key;
      if (old && node) old.replaceWith(node);
      else if (old) old.remove();
      else if (node) notices.append(node);
    }

    // --- the entry form ------------------------------------------------------------

    function entryForm() {
      return document.querySelector("form.entry-form");
    }

    // Today's form may come from the cache, rendered on an earlier day: the phone's own
    // date decides which day it logs.
    function formDay(form) {
      return form.hasAttribute("data-log-today") ? localToday() : form.dataset.date;
    }

    function cardDay() {
      const form = entryForm();
      if (form) return formDay(form);
      return location.pathname === "/" ? localToday() : null;
    }

    function ensureUuid(form) {
      const input = form.elements.namedItem("uuid");
      if (input && !input.value) input.value = outbox.newId();
    }

    function number(value) {
      const text = (value || "").toString().trim();
      if (text === "") return null;
      const parsed = Number(text);
      return Number.isFinite(parsed) ? parsed : text;
    }

    function payloadFrom(form, day) {
      const data = new FormData(form);
      let distance = number(data.get("distance_km"));
      if (typeof distance === "number" && form.dataset.unit === "mi") {
        distance = Math.round(distance * KM_PER_MILE * 1000) / 1000;
      }
      return {
        uuid: data.get("uuid"),
        date: day,
        pain: number(data.get("pain")),
        ran: data.has("ran"),
        distance_km: distance,
        duration_min: number(data.get("duration_min")),
        surface: data.get("surface") || "",
        shoe: number(data.get("shoe")),
        run_pain: number(data.get("run_pain")),
        warmup: data.has("warmup"),
        cooldown: data.has("cooldown"),
        symptoms: data.getAll("symptoms"),
        alternatives: ALTERNATIVES.map((kind) => ({
          kind,
          minutes: number(data.get(`alt_${kind}`)),
        })).filter((item) => item.minutes !== null),
        notes: data.get("notes") || "",
      };
    }

    function formFields(form) {
      return Array.from(new FormData(form)).filter(
        ([name, value]) => name !== "csrfmiddlewaretoken" && typeof value === "string",
      );
    }

    function fillForm(form, fields) {
      const values = new Map();
      for (const [name, value] of fields) {
        values.set(name, (values.get(name) || []).concat(value));
      }
      for (const element of form.elements) {
        const name = element.name;
        if (!name || name === "csrfmiddlewaretoken" || element.type === "submit") continue;
        const given = values.get(name) || [];
        if (element.type === "checkbox" || element.type === "radio") {
          element.checked = given.includes(element.value);
        } else {
          element.value = given[0] || "";
        }
      }
      for (const details of form.querySelectorAll("details")) {
        const filled = Array.from(details.querySelectorAll("input")).some((input) =>
          input.type === "checkbox" ? input.checked : input.value,
        );
        if (filled) details.open = true;
      }
    }

    function formatDistance(km, unit) {
      const value = unit === "mi" ? km / KM_PER_MILE : km;
      return `${Number(value.toFixed(1))} ${unit || "km"}`;
    }

    function describe(entry, unit) {
      const parts = [
        `Pain ${entry.pain === null || entry.pain === undefined ? "not given" : entry.pain}`,
      ];
      if (entry.ran) {
        let run = "ran";
        if (typeof entry.distance_km === "number")
          run += ` ${formatDistance(entry.distance_km, unit)}`;
        if (entry.duration_min) run += ` in ${entry.duration_min} min`;
        if (entry.surface) run += ` on ${entry.surface}`;
        parts.push(run);
        if (entry.run_pain !== null && entry.run_pain !== undefined) {
          parts.push(`pain ${entry.run_pain} during the run`);
        }
      } else {
        parts.push("no run");
      }
      for (const item of entry.alternatives || []) parts.push(`${item.kind} ${item.minutes} min`);
      if (entry.symptoms && entry.symptoms.length) {
        parts.push(plural(entry.symptoms.length, "symptom", "symptoms"));
      }
      if (entry.notes) {
        const note = entry.notes.length > 60 ? `${entry.notes.slice(0, 57)}…` : entry.notes;
        parts.push(`note: “${note}”`);
      }
      return `${parts.join(", ")}.`;
    }

    function showPainMissing(form) {
      const fieldset = form.querySelector("fieldset.pain-scale");
      if (!fieldset || fieldset.querySelector(".error")) return;
      fieldset.classList.add("has-error");
      fieldset.setAttribute("aria-describedby", "pain-error");
      fieldset.append(el("p", { class: "error", id: "pain-error" }, "Pick a number from 0 to 10."));
      fieldset.scrollIntoView({ block: "center" });
    }

    async function saveOnPhone(form) {
      if (!user) return;
      const fields = formFields(form);
      if (!fields.some(([name]) => name === "pain")) {
        showPainMissing(form);
        return;
      }
      ensureUuid(form);
      const day = formDay(form);
      const baseVersion = number(form.elements.namedItem("base_version").value);
      try {
        await outbox.queue({
          uuid: form.elements.namedItem("uuid").value,
          user,
          date: day,
          unit: form.dataset.unit || "km",
          base_version: typeof baseVersion === "number" ? baseVersion : null,
          payload: payloadFrom(form, day),
          fields: formFields(form),
        });
      } catch (error) {
        setNotice(
          "save-failed",
          el(
            "div",
            { class: "notice problem", role: "alert" },
            el(
              "p",
              {},
              "No signal, and this phone would not keep the entry either. Try Save again in a moment.",
            ),
          ),
        );
        return;
      }
      setNotice("save-failed", null);
      const painError = form.querySelector("#pain-error");
      if (painError) painError.remove();
      if (navigator.storage && navigator.storage.persist)
        navigator.storage.persist().catch(() => {});
      requestBackgroundSync();
      await refresh();
      const card = document.getElementById("day-card");
      if (card) card.scrollIntoView({ block: "start" });
    }

    function onSaveFailed(event) {
      const form = event.detail && event.detail.elt;
      if (!(form instanceof HTMLFormElement) || !form.matches("form.entry-form")) return;
      if (event.type === "htmx:responseError") {
        const status = event.detail.xhr ? event.detail.xhr.status : 0;
        if (![0, 502, 503, 504].includes(status)) return;
      }
      saveOnPhone(form);
    }

    function onConfigRequest(event) {
      const form = event.detail.elt;
      if (!(form instanceof HTMLFormElement) || !form.matches("form.entry-form")) return;
      ensureUuid(form);
      // A retried request must be recognisable as the same write.
      event.detail.parameters.uuid = form.elements.namedItem("uuid").value;
      if (!event.detail.timeout) event.detail.timeout = SAVE_TIMEOUT_MS;
    }

    // Saved online through the form: that supersedes what was waiting for this day.
    // Until the waiting copy is gone, it must not be put back into the fresh form.
    const savedOnline = new Set();

    async function onAfterRequest(event) {
      const form = event.detail.elt;
      if (!(form instanceof HTMLFormElement) || !form.matches("form.entry-form")) return;
      const status = event.detail.xhr ? event.detail.xhr.status : 0;
      if (status < 200 || status >= 300 || !user) return;
      const day = formDay(form);
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

    function resetStaleToday(form) {
      if (!form.hasAttribute("data-log-today") || !(form.dataset.date < localToday())) return;
      fillForm(form, []);
      form.elements.namedItem("uuid").value = outbox.newId();
      const card = document.getElementById("day-card");
      if (!card) return;
      card.className = "card day-card";
      for (const stale of card.querySelectorAll(".pain-badge, .advice")) stale.remove();
      const summary = card.querySelector(".summary");
      if (summary) summary.textContent = "Not logged yet.";
    }

    function setUpForms() {
      const form = entryForm();
      if (!form) return;
      ensureUuid(form);
      resetStaleToday(form);
    }

    // --- showing what is waiting ---------------------------------------------------

    const CARD_NOTES = {
      waiting: "Saved on this phone, will sync. The advice updates once it has synced.",
      signin: "Saved on this phone. It will sync once you log in again.",
      conflict:
        "Saved on this phone, but it differs from the version saved online. Choose one above.",
      invalid: "Saved on this phone, but it needs a fix before it can sync.",
    };

    // The card shows what waits on this phone; in a conflict, it keeps showing the
    // server's version beside the chooser.
    function markCard(items) {
      const card = document.getElementById("day-card");
      const day = cardDay();
      const note = card && card.querySelector(".saved-note");
      if (!note || !day) return;
      const item = items.find((candidate) => candidate.date === day);
      const summary = card.querySelector(".summary");
      if (summary && !("serverText" in summary.dataset)) {
        summary.dataset.serverText = summary.textContent;
      }
      if (summary) {
        summary.textContent =
          item && item.state !== "conflict"
            ? describe(item.payload, item.unit)
            : summary.dataset.serverText;
      }
      const local = item && item.state !== "conflict";
      // The advice and badge on a cached card describe the server's copy; hide the advice
      // and show this phone's pain until the entry has synced.
      const advice = card.querySelector(".advice");
      if (advice) advice.hidden = Boolean(local);
      showBadge(card, local ? item.payload.pain : null);
      showServerStatus(card, !local);
      showRedFlag(card, local ? item.payload.symptoms : []);
      if (item) {
        note.classList.add("pending");
        note.textContent = CARD_NOTES[item.state] || CARD_NOTES.waiting;
      } else if (note.classList.contains("pending")) {
        note.textContent = "";
        note.classList.remove("pending");
      }
    }

    // The card's colour comes from the server's status: beside this phone's pain badge it
    // could say the opposite, so it is set aside until the entry has synced.
    function showServerStatus(card, show) {
      if (!("serverStatus" in card.dataset)) {
        card.dataset.serverStatus = Array.from(card.classList)
          .filter((name) => /^(status|colour)-/.test(name))
          .join(" ");
      }
      for (const name of card.dataset.serverStatus.split(" ").filter(Boolean)) {
        card.classList.toggle(name, show);
      }
    }

    // Red flags must show with no network: clone the page's own block for the highest
    // tier among this phone's symptoms (templates/pages/_red_flags.html lists the highest
    // first; it is in the day form, and in a <template> on the home page).
    function showRedFlag(card, symptoms) {
      const shown = card.querySelector(".red-flag");
      if (shown) shown.remove();
      if (!symptoms || !symptoms.length) return;
      const spare = document.getElementById("red-flag-blocks");
      const blocks = document.querySelector(".red-flags") || (spare && spare.content);
      if (!blocks) return;
      const block = Array.from(blocks.querySelectorAll(".red-flag")).find((candidate) =>
        candidate.dataset.symptoms.split(" ").some((code) => symptoms.includes(code)),
      );
      if (block) card.querySelector(".summary").after(block.cloneNode(true));
    }

    function showBadge(card, pain) {
      let badge = card.querySelector(".pain-badge");
      if (pain === null) {
        if (badge && badge.dataset.local) badge.remove();
        else if (badge && badge.dataset.server) setBadge(badge, Number(badge.dataset.server));
        return;
      }
      if (!badge) {
        badge = document.createElement("span");
        badge.dataset.local = "yes";
        card.querySelector(".card-head").append(badge);
      } else if (!badge.dataset.server && !badge.dataset.local) {
        badge.dataset.server = badge.textContent.trim();
      }
      setBadge(badge, pain);
    }

    function setBadge(badge, pain) {
      const level = pain <= 3 ? "low" : pain <= 5 ? "mid" : "high";
      badge.className = `pain-badge pain-${level}`;
      badge.textContent = String(pain);
      badge.setAttribute("aria-label", `Back pain ${pain} out of 10`);
    }

    function prefill(items) {
      const form = entryForm();
      if (!form) return;
      const day = formDay(form);
      const item = items.find(
        (candidate) => candidate.date === day && candidate.state !== "conflict",
      );
      if (!item || form.dataset.prefilled === item.rev) return;
      fillForm(form, item.fields);
      form.elements.namedItem("base_version").value = item.base_version ?? "";
      form.dataset.prefilled = item.rev;
    }

    function waitingNotice(items) {
      const waiting = items.filter((item) => item.state === "waiting" || item.state === "signin");
      if (!waiting.length) return null;
      const needsSignIn = waiting.some((item) => item.state === "signin");
      return el(
        "div",
        { class: "notice outbox-count", role: "status" },
        el(
          "p",
          {},
          `${plural(waiting.length, "entry", "entries")} saved on this phone ${waiting.length === 1 ? "is" : "are"} waiting to sync.`,
        ),
        needsSignIn
          ? el(
              "p",
              {},
              "The server asked you to sign in again. ",
              el("a", { href: "/accounts/login/" }, "Log in"),
              " and they will sync.",
            )
          : null,
        el(
          "div",
          { class: "notice-actions" },
          button("Sync now", () => sync()),
        ),
      );
    }

    function conflictNotice(item) {
      const id = `conflict-${item.uuid}`;
      const server = item.server || {};
      return el(
        "section",
        { class: "notice warning conflict-choice", role: "group", "aria-labelledby": id },
        el("p", { class: "notice-title", id }, `Two versions of ${longDate(item.date)}`),
        el(
          "p",
          {},
          "This day was changed on another device before this phone could sync. Which one should stay?",
        ),
        el(
          "div",
          { class: "versions" },
          el(
            "div",
            { class: "version mine" },
            el("p", { class: "version-title" }, "On this phone"),
            el("p", {}, describe(item.payload, item.unit)),
          ),
          el(
            "div",
            { class: "version theirs" },
            el("p", { class: "version-title" }, "Saved online"),
            el("p", {}, describe(server, item.unit)),
          ),
        ),
        el(
          "div",
          { class: "notice-actions" },
          button("Keep mine", () => keepMine(item), "button primary"),
          button("Keep the saved one", () => keepSaved(item)),
        ),
      );
    }

    function invalidNotice(item) {
      const id = `invalid-${item.uuid}`;
      const list = el("ul", { class: "notice-errors" });
      for (const [field, messages] of Object.entries(item.errors || {})) {
        const label = FIELD_NAMES[field];
        for (const message of messages) {
          list.append(el("li", {}, label ? `${label}: ${message}` : message));
        }
      }
      return el(
        "section",
        { class: "notice problem", role: "group", "aria-labelledby": id },
        el(
          "p",
          { class: "notice-title", id },
          `Your entry for ${longDate(item.date)} could not be saved`,
        ),
        list,
        el(
          "div",
          { class: "notice-actions" },
          el("a", { class: "button primary", href: dayUrl(item.date) }, "Fix it"),
          button("Discard it", () => discard(item)),
        ),
      );
    }

    async function renderOutbox(items) {
      setNotice("outbox-count", waitingNotice(items));
      const wanted = new Set();
      for (const item of items) {
        const key = `item-${item.uuid}`;
        if (item.state === "conflict") setNotice(key, conflictNotice(item));
        else if (item.state === "invalid") setNotice(key, invalidNotice(item));
        else continue;
        wanted.add(key);
      }
      for (const node of notices ? notices.querySelectorAll('[data-notice^="item-"]') : []) {
        if (!wanted.has(node.dataset.notice)) node.remove();
      }
    }

    async function mine() {
      if (!user) return [];
      return (await outbox.all()).filter(
        (item) => item.user === user && !savedOnline.has(item.date),
      );
    }

    async function refresh() {
      let items;
      try {
        items = await mine();
      } catch (error) {
        return [];
      }
      renderOutbox(items);
      prefill(items);
      markCard(items);
      return items;
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
      const form = entryForm();
      if (form && formDay(form) === item.date) location.reload();
    }

    async function discard(item) {
      await outbox.remove(item.uuid);
      await refresh();
    }

    // --- replaying -----------------------------------------------------------------

    let syncing = null;
    let syncAgain = null;

    // One replay at a time. A request made during one gets a fresh run after it, because
    // the running one may have read the outbox before the newest entry was added.
    function sync() {
      if (!user) return Promise.resolve();
      if (!syncing) {
        syncing = outbox
          .setSession({ user, csrf: csrfToken() })
          .then(() => outbox.replay())
          .then((report) => afterSync(report.synced))
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

    function afterSync(synced) {
      const day = cardDay();
      for (const done of synced || []) {
        if (done.date !== day || !done.entry) continue;
        const form = entryForm();
        if (form) {
          form.elements.namedItem("uuid").value = done.entry.uuid;
          form.elements.namedItem("base_version").value = done.entry.version;
        }
        const note = document.querySelector("#day-card .saved-note");
        if (note) {
          note.classList.remove("pending");
          note.textContent = "Synced.";
        }
        const summary = document.querySelector("#day-card .summary");
        if (summary) {
          summary.dataset.serverText = describe(done.entry, done.unit);
          summary.textContent = summary.dataset.serverText;
        }
      }
    }

    function requestBackgroundSync() {
      if (!("serviceWorker" in navigator)) return;
      navigator.serviceWorker.ready
        .then((registration) => registration.sync && registration.sync.register("outbox"))
        .catch(() => {});
    }

    // --- logging out ---------------------------------------------------------------

    async function logOut(form) {
      await Promise.race([sync(), new Promise((resolve) => setTimeout(resolve, 4000))]);
      const left = await outbox.all().catch(() => []);
      if (left.length) {
        const one = left.length === 1;
        const question =
          `${plural(left.length, "entry", "entries")} on this phone ${one ? "has" : "have"} ` +
          `not synced yet. Logging out deletes ${one ? "it" : "them"} from this phone. ` +
          "Log out anyway?";
        if (!window.confirm(question)) return;
      }
      await outbox.clear().catch(() => {});
      await caches.delete(outbox.PAGES_CACHE).catch(() => {});
      if (navigator.serviceWorker && navigator.serviceWorker.controller) {
        navigator.serviceWorker.controller.postMessage({ type: "LOGGED_OUT" });
      }
      localStorage.removeItem("backpain-user");
      form.dataset.cleared = "1";
      form.submit();
    }

    document.addEventListener("submit", (event) => {
      const form = event.target;
      if (!form.matches('form[action$="/accounts/logout/"]') || form.dataset.cleared) return;
      event.preventDefault();
      logOut(form);
    });

    // --- installing and updating ---------------------------------------------------

    let installPrompt = null;

    // Offered on the home page only, so it never pushes a form down.
    window.addEventListener("beforeinstallprompt", (event) => {
      event.preventDefault();
      if (isStandalone() || location.pathname !== "/") return;
      if (sessionStorage.getItem("backpain-install") === "dismissed") return;
      installPrompt = event;
      setNotice(
        "install",
        el(
          "div",
          { class: "notice install toast" },
          el(
            "p",
            {},
            "Keep backpain on your home screen: it opens straight to today, even with no signal.",
          ),
          el(
            "div",
            { class: "notice-actions" },
            button(
              "Install app",
              () => {
                const prompt = installPrompt;
                installPrompt = null;
                setNotice("install", null);
                if (prompt) prompt.prompt();
              },
              "button primary",
            ),
            button("Not now", () => {
              sessionStorage.setItem("backpain-install", "dismissed");
              setNotice("install", null);
            }),
          ),
        ),
      );
    });

    window.addEventListener("appinstalled", () => {
      installPrompt = null;
      setNotice("install", null);
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
      if (!isIosSafari() || isStandalone() || location.pathname !== "/") return;
      if (localStorage.getItem("backpain-ios-hint") === "dismissed") return;
      setNotice(
        "ios-hint",
        el(
          "div",
          { class: "notice install toast ios-hint" },
          el(
            "p",
            {},
            "Install backpain: tap ",
            el("strong", {}, "Share"),
            " in Safari’s toolbar, then ",
            el("strong", {}, "Add to Home Screen"),
            ".",
          ),
          el(
            "div",
            { class: "notice-actions" },
            button("Dismiss", () => {
              localStorage.setItem("backpain-ios-hint", "dismissed");
              setNotice("ios-hint", null);
            }),
          ),
        ),
      );
    }

    let reloadOnNewWorker = false;

    function offerUpdate(worker) {
      setNotice(
        "update",
        el(
          "div",
          { class: "notice update", role: "status" },
          el("p", {}, "A new version of backpain is ready."),
          el(
            "div",
            { class: "notice-actions" },
            button(
              "New version — reload",
              () => {
                reloadOnNewWorker = true;
                worker.postMessage({ type: "SKIP_WAITING" });
              },
              "button primary",
            ),
          ),
        ),
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
          if (worker.state === "installed" && navigator.serviceWorker.controller)
            offerUpdate(worker);
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
      container.addEventListener("message", (event) => {
        if (event.data && event.data.type === "OUTBOX_CHANGED") {
          afterSync(event.data.synced);
          refresh();
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
      if (user && !sessionStorage.getItem(`backpain-shell-${user}`)) {
        container.ready.then((registration) => {
          registration.active.postMessage({ type: "CACHE_USER_PAGES" });
          sessionStorage.setItem(`backpain-shell-${user}`, "1");
        });
      }
    }

    // Another account signed in on this phone: the last one's pages must not linger.
    function forgetOtherUser() {
      const last = localStorage.getItem("backpain-user");
      if (user && last && last !== user && "caches" in window) {
        caches.delete(outbox.PAGES_CACHE).catch(() => {});
      }
      if (user) localStorage.setItem("backpain-user", user);
    }

    // --- start ---------------------------------------------------------------------

    document.addEventListener("htmx:configRequest", onConfigRequest);
    for (const name of ["htmx:sendError", "htmx:timeout", "htmx:responseError"]) {
      document.addEventListener(name, onSaveFailed);
    }
    document.addEventListener("htmx:afterRequest", onAfterRequest);
    document.addEventListener("htmx:afterSettle", () => {
      setUpForms();
      refresh();
    });

    forgetOtherUser();
    setUpForms();
    offerIosHint();
    startServiceWorker();
    if (user) {
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
  })(backpainOutbox);
}
