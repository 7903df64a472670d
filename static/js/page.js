// What the page's scripts share: who is signed in, the addresses and the miles-to-km
// factor the server gave (this script tag's data- attributes), the phone's own date, and
// the notices above the page.
// A notice is a copy of a server-rendered <template> (templates/_notices.html, or the page
// that needs it). In the copy, [data-slot] elements take text, [data-href] links take an
// address, [data-if] parts stay only when their condition holds, [data-each] repeats once
// per item, and [data-action] buttons get a handler.
"use strict";

var backpain = (function () {
  const config = document.currentScript.dataset;
  const area = document.getElementById("app-notices");

  function pad(n) {
    return String(n).padStart(2, "0");
  }

  function localToday() {
    const now = new Date();
    return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  }

  function dayUrl(iso) {
    return iso === localToday() ? config.todayUrl : config.dayUrl.replace("{date}", iso);
  }

  function csrfToken() {
    const match = document.cookie.match(/(?:^|;\s*)(?:__Host-)?csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function fill(node, { text = {}, href = {}, when = {}, each = {} }) {
    for (const part of node.querySelectorAll("[data-if]")) {
      if (!when[part.dataset.if]) part.remove();
    }
    for (const model of node.querySelectorAll("[data-each]")) {
      for (const value of each[model.dataset.each] || []) {
        const copy = model.cloneNode(false);
        copy.removeAttribute("data-each");
        copy.textContent = value;
        model.before(copy);
      }
      model.remove();
    }
    for (const slot of node.querySelectorAll("[data-slot]")) {
      if (slot.dataset.slot in text) slot.textContent = text[slot.dataset.slot];
    }
    for (const link of node.querySelectorAll("[data-href]")) {
      if (link.dataset.href in href) link.href = href[link.dataset.href];
    }
    return node;
  }

  // A filled copy of the first element in <template id="...">, or null if the page has none.
  function fromTemplate(id, parts = {}) {
    const template = document.getElementById(id);
    const model = template && template.content.firstElementChild;
    return model ? fill(model.cloneNode(true), parts) : null;
  }

  // The words the page keeps in <template id="..."> as [data-text] elements, by name.
  function words(id, name, parts = {}) {
    const template = document.getElementById(id);
    const model = template && template.content.querySelector(`[data-text="${name}"]`);
    return model ? fill(model.cloneNode(true), parts).textContent : "";
  }

  // A notice shown once per entry must not repeat the ids its labels point to.
  function uniqueIds(node, suffix) {
    for (const labelled of [node, ...node.querySelectorAll("[aria-labelledby]")]) {
      const id = labelled.getAttribute("aria-labelledby");
      const label = id && node.querySelector(`[id="${id}"]`);
      if (!label) continue;
      label.id = `${id}-${suffix}`;
      labelled.setAttribute("aria-labelledby", label.id);
    }
  }

  // Shows notice `key` as a copy of template `id`, in place of the one shown before. With
  // no id (or a page without that template) the notice goes away. It goes in the area
  // above the page, or in the element `into` (a place in the page's own flow).
  function notice(key, id, parts = {}, actions = {}, into = area) {
    if (!into) return null;
    const node = id ? fromTemplate(id, parts) : null;
    const old = into.querySelector(`[data-notice="${key}"]`);
    if (node) {
      node.dataset.notice = key;
      uniqueIds(node, key);
      for (const button of node.querySelectorAll("[data-action]")) {
        const action = actions[button.dataset.action];
        if (action) button.addEventListener("click", action);
      }
    }
    if (old && node) old.replaceWith(node);
    else if (old) old.remove();
    else if (node) into.append(node);
    return node;
  }

  // Removes the notices whose key starts with `prefix`, except those in `keep`.
  function dropNotices(prefix, keep) {
    for (const node of area ? area.querySelectorAll(`[data-notice^="${prefix}"]`) : []) {
      if (!keep.has(node.dataset.notice)) node.remove();
    }
  }

  // The pain-monitoring zones, from pages/vocab.py: "low" up to the first bound, "mid" up
  // to the second, "high" above.
  const [safeMax, acceptableMax] = (config.painBands || "3 5").split(" ").map(Number);

  function painBand(pain) {
    return pain <= safeMax ? "low" : pain <= acceptableMax ? "mid" : "high";
  }

  // An entry's content fields and how each is read from the form, from
  // pages/forms.py (field_kinds): [["pain", "number"], ["ran", "bool"], ...].
  const entryFields = (config.entryFields || "")
    .split(" ")
    .filter(Boolean)
    .map((pair) => pair.split(":"));

  return {
    user: config.user || "",
    painBand,
    entryFields,
    kmPerMile: Number(config.kmPerMile),
    apiUrl: config.apiUrl,
    logoutUrl: config.logoutUrl,
    localToday,
    dayUrl,
    csrfToken,
    fromTemplate,
    words,
    notice,
    dropNotices,
  };
})();
