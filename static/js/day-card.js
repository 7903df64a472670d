// The day's card (templates/pages/day.html, partial "card"). While the day waits on this
// phone, the phone's pain, summary and red-flag block stand in for the server's, which
// describe the older copy. Once the day has synced, the card is fetched again from the
// server, so its badge, advice and summary are the server's own.
"use strict";

(function (app) {
  function card() {
    return document.getElementById("day-card");
  }

  // A card about today may come from the cache, drawn on an earlier day: the phone's own
  // date decides which day it shows.
  function cardDay() {
    const node = card();
    if (!node) return null;
    return node.hasAttribute("data-today") ? app.localToday() : node.dataset.day;
  }

  // A card about today that the phone kept from an earlier day is that day's card: its
  // title names the day, its advice (which spoke of that day as today) goes, and it says
  // when today's advice comes. Once today waits in the outbox, the card is today's again.
  function markStale() {
    const node = card();
    if (!node || !node.hasAttribute("data-today") || !(node.dataset.day < app.localToday())) return;
    node.dataset.stale = "yes";
    for (const old of node.querySelectorAll(".advice, #day-entry")) old.remove();
    for (const link of document.querySelectorAll("[data-stale-label]")) {
      link.textContent = link.dataset.staleLabel;
    }
    showStale(node, true);
  }

  function showStale(node, stale) {
    const title = node.querySelector("#card-title");
    const note = node.querySelector(".stale-note");
    if (!title || !node.dataset.stale) return;
    if (!("todayText" in title.dataset)) title.dataset.todayText = title.textContent;
    title.textContent = stale ? node.dataset.dayTitle : title.dataset.todayText;
    if (note) note.hidden = !stale;
  }

  // Every save ends here, online or kept on this phone: the day's card comes into view and
  // takes the focus (the button pressed may be gone), and what it says is read out.
  function showSaved() {
    const node = card();
    const status = document.getElementById("save-status");
    if (!node) return;
    node.focus({ preventScroll: true });
    node.scrollIntoView({ block: "start" });
    const parts = [".saved-note", ".advice:not([hidden]) .status-line"].map((selector) =>
      (node.querySelector(selector)?.textContent || "").trim(),
    );
    if (!status) return;
    status.textContent = "";
    setTimeout(() => (status.textContent = parts.filter(Boolean).join(" ")), 100);
  }

  // A form sent back with errors: its first error comes into view, its field focused.
  function showProblem(area) {
    const problem = area.querySelector(".has-error, .form-errors, .conflict, p.error");
    if (!problem) return;
    problem.scrollIntoView({ block: "center" });
    const field = problem.querySelector("input, select, textarea") || problem.querySelector("a");
    if (field) field.focus({ preventScroll: true });
  }

  function afterSwap(event) {
    markStale();
    const config = event.detail.requestConfig;
    if (!config || config.verb !== "post") return;
    const note = card()?.querySelector(".saved-note");
    if (note && note.textContent.trim()) showSaved();
    else showProblem(event.detail.target);
  }

  function plural(n, one, many) {
    return `${n} ${n === 1 ? one : many}`;
  }

  function formatDistance(km, unit) {
    const value = unit === "mi" ? km / app.kmPerMile : km;
    return `${Number(value.toFixed(1))} ${unit || "km"}`;
  }

  // One line about a day that only this phone holds (the server has not drawn it yet).
  function describe(entry, unit) {
    const given = (value) => value !== null && value !== undefined;
    const parts = [`Pain ${given(entry.pain) ? entry.pain : "not given"}`];
    if (entry.ran) {
      let run = "ran";
      if (typeof entry.distance_km === "number")
        run += ` ${formatDistance(entry.distance_km, unit)}`;
      if (entry.duration_min) run += ` in ${entry.duration_min} min`;
      if (entry.surface) run += ` on ${entry.surface}`;
      parts.push(run);
      if (given(entry.run_pain)) parts.push(`pain ${entry.run_pain} during the run`);
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

  // The card shows what waits on this phone; in a conflict, it keeps showing the
  // server's version beside the chooser.
  function markCard(items) {
    const node = card();
    const day = cardDay();
    const note = node && node.querySelector(".saved-note");
    if (!note || !day) return;
    const item = items.find((candidate) => candidate.date === day);
    const local = item && item.state !== "conflict" ? item : null;
    const summary = node.querySelector(".summary");
    if (summary && !("serverText" in summary.dataset)) {
      summary.dataset.serverText = summary.textContent;
    }
    if (summary) {
      summary.textContent = local
        ? describe(local.payload, local.unit)
        : summary.dataset.serverText;
    }
    // The advice and badge describe the server's copy; hide the advice and show this
    // phone's pain until the entry has synced.
    const advice = node.querySelector(".advice");
    if (advice) advice.hidden = Boolean(local);
    showBadge(node, local ? local.payload.pain : null);
    showServerStatus(node, !local);
    showRedFlag(node, local ? local.payload.symptoms : []);
    showStale(node, !local);
    if (item) {
      note.classList.add("pending");
      note.textContent = app.words("card-words", item.state) || app.words("card-words", "waiting");
    } else if (note.classList.contains("pending")) {
      note.textContent = "";
      note.classList.remove("pending");
    }
  }

  // The card's colour comes from the server's status: beside this phone's pain badge it
  // could say the opposite, so it is set aside until the entry has synced.
  function showServerStatus(node, show) {
    if (!("serverStatus" in node.dataset)) {
      node.dataset.serverStatus = Array.from(node.classList)
        .filter((name) => /^(status|colour)-/.test(name))
        .join(" ");
    }
    for (const name of node.dataset.serverStatus.split(" ").filter(Boolean)) {
      node.classList.toggle(name, show);
    }
  }

  // Red flags must show with no network: clone the page's own block for the highest
  // tier among this phone's symptoms (templates/pages/_red_flags.html lists the highest
  // first; it is in the day form, and in a <template> on the home page).
  function showRedFlag(node, symptoms) {
    const shown = node.querySelector(".red-flag");
    if (shown) shown.remove();
    if (!symptoms || !symptoms.length) return;
    const spare = document.getElementById("red-flag-blocks");
    const blocks = document.querySelector(".red-flags") || (spare && spare.content);
    if (!blocks) return;
    const block = Array.from(blocks.querySelectorAll(".red-flag")).find((candidate) =>
      candidate.dataset.symptoms.split(" ").some((code) => symptoms.includes(code)),
    );
    if (block) node.querySelector(".summary").after(block.cloneNode(true));
  }

  function showBadge(node, pain) {
    let badge = node.querySelector(".pain-badge");
    if (pain === null) {
      if (badge && badge.dataset.local) badge.remove();
      else if (badge && badge.dataset.server) setBadge(badge, Number(badge.dataset.server));
      return;
    }
    if (!badge) {
      badge = document.createElement("span");
      badge.dataset.local = "yes";
      node.querySelector(".card-head").append(badge);
    } else if (!badge.dataset.server && !badge.dataset.local) {
      badge.dataset.server = badge.textContent.trim();
    }
    setBadge(badge, pain);
  }

  function setBadge(badge, pain) {
    badge.className = `pain-badge pain-${backpain.painBand(pain)}`;
    badge.textContent = String(pain);
    badge.setAttribute("aria-label", `Back pain ${pain} out of 10`);
  }

  // The server's card for a day that has just synced, from the page's own address (the
  // day page answers htmx with its partial; the home page with the whole page).
  async function reload(synced) {
    const node = card();
    if (!node || !node.dataset.url || !synced.some((done) => done.date === cardDay())) return;
    const swap = { target: node, select: "#day-card", swap: "outerHTML" };
    try {
      await htmx.ajax("GET", node.dataset.url, swap);
    } catch (error) {
      return; // Offline again: the card keeps this phone's copy until the next sync.
    }
    const note = document.querySelector("#day-card .saved-note");
    if (note && card() !== node) note.textContent = app.words("card-words", "synced");
  }

  app.cardDay = cardDay;
  app.describe = describe;
  app.showSaved = showSaved;
  markStale();
  document.addEventListener("htmx:afterSettle", afterSwap);
  document.addEventListener("backpain:outbox", (event) => markCard(event.detail.items));
  document.addEventListener("backpain:synced", (event) => reload(event.detail.synced));
})(backpain);
