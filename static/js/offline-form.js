// Saving a day on this phone when the server cannot be reached: the entry form, and the
// one-tap buttons ("Same as yesterday", "I did this instead"), whose result the server
// renders into the page as form data. A kept day goes into the outbox as the form's own
// fields (to fill the form again) and as the JSON the API takes.
"use strict";

(function (app, outbox) {
  const SAVE_TIMEOUT_MS = 15000;
  // Answers after which a save is kept on this phone and sent again through the API: no
  // connection or a gateway error, and 403, a form token for a CSRF cookie the browser no
  // longer holds (the API sends the cookie's own token).
  const OFFLINE_STATUSES = [0, 403, 502, 503, 504];

  function entryForm() {
    return document.querySelector("form.entry-form");
  }

  function isEntryForm(element) {
    return element instanceof HTMLFormElement && element.matches("form.entry-form");
  }

  // The forms htmx sends: the entry form, and "I did this instead" on the card.
  function isSaveForm(element) {
    return (
      element instanceof HTMLFormElement && element.matches("form.entry-form, form.did-instead")
    );
  }

  function saveOnPhoneInstead(form) {
    return isEntryForm(form) ? saveOnPhone(form) : keepOneTap(form);
  }

  // Today's form may come from the cache, rendered on an earlier day: the phone's own
  // date decides which day it logs.
  function formDay(form) {
    return form.hasAttribute("data-log-today") ? app.localToday() : form.dataset.date;
  }

  function ensureUuid(form) {
    const input = form.elements.namedItem("uuid");
    if (input && !input.value) input.value = outbox.newId();
    return input ? input.value : outbox.newId();
  }

  function number(value) {
    const text = (value || "").toString().trim();
    if (text === "") return null;
    const parsed = Number(text);
    return Number.isFinite(parsed) ? parsed : text;
  }

  // The form's fields as [name, value] pairs, as the browser would post them.
  function formFields(form) {
    return Array.from(new FormData(form)).filter(
      ([name, value]) => name !== "csrfmiddlewaretoken" && typeof value === "string",
    );
  }

  // The same pairs from form data the server rendered as JSON (EntryForm.initial_from).
  function fieldsFrom(data) {
    const fields = [];
    for (const [name, value] of Object.entries(data)) {
      for (const one of [].concat(value)) {
        if (one === null || one === false || one === "") continue;
        fields.push([name, one === true ? "on" : String(one)]);
      }
    }
    return fields;
  }

  // The API's JSON for a day, field by field as the server's form declares them
  // (app.entryFields); a distance typed in miles is sent in km, as the API expects.
  function payloadFrom(fields, day, unit) {
    const all = (name) => fields.filter(([key]) => key === name).map(([, value]) => value);
    const one = (name) => all(name)[0];
    const read = {
      bool: (name) => all(name).length > 0,
      list: all,
      number: (name) => number(one(name)),
      text: (name) => one(name) || "",
    };
    const payload = { uuid: one("uuid"), date: day };
    for (const [name, kind] of app.entryFields) payload[name] = read[kind](name);
    if (typeof payload.distance_km === "number" && unit === "mi") {
      payload.distance_km = Math.round(payload.distance_km * app.kmPerMile * 1000) / 1000;
    }
    payload.alternatives = fields
      .filter(([name, value]) => name.startsWith("alt_") && number(value) !== null)
      .map(([name, value]) => ({ kind: name.slice(4), minutes: number(value) }));
    return payload;
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

  function showPainMissing(form) {
    const fieldset = form.querySelector("fieldset.pain-scale");
    const message = app.fromTemplate("pain-missing");
    if (!fieldset || !message || fieldset.querySelector(".error")) return;
    fieldset.classList.add("has-error");
    fieldset.setAttribute("aria-describedby", message.id);
    fieldset.append(message);
    fieldset.scrollIntoView({ block: "center" });
  }

  // Puts a day in the outbox; saving the same day again replaces the waiting copy.
  async function keep(fields, day, unit) {
    const baseVersion = number(fields.find(([name]) => name === "base_version")?.[1]);
    try {
      await outbox.queue({
        uuid: fields.find(([name]) => name === "uuid")[1],
        user: app.user,
        date: day,
        unit,
        base_version: typeof baseVersion === "number" ? baseVersion : null,
        payload: payloadFrom(fields, day, unit),
        fields,
      });
    } catch (error) {
      app.notice("not-kept", "notice-not-kept");
      return;
    }
    app.notice("not-kept", null);
    const painError = document.getElementById("pain-error");
    if (painError) painError.remove();
    if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(() => {});
    await app.queued();
    app.showSaved();
  }

  function saveOnPhone(form) {
    if (!app.user) return;
    const fields = formFields(form);
    if (!fields.some(([name]) => name === "pain")) return showPainMissing(form);
    ensureUuid(form);
    return keep(formFields(form), formDay(form), form.dataset.unit || "km");
  }

  // --- the one-tap buttons ---------------------------------------------------------

  function pageData(id) {
    const script = document.getElementById(id);
    return script ? JSON.parse(script.textContent) : null;
  }

  // The id a copy of yesterday is saved under: today's form's, where the page has one
  // (on the log page), so the form and the copy are one write; else the copy's own.
  function copyId(form) {
    const entry = entryForm();
    if (entry) return ensureUuid(entry);
    if (!form.dataset.uuid) form.dataset.uuid = outbox.newId();
    return form.dataset.uuid;
  }

  // "Same as yesterday" (with its run, for "ran the same"), as today on this phone.
  function copiedFields(form, submitter) {
    const copies = pageData("same-as-yesterday");
    if (!copies) return null;
    const copy = copies[submitter && submitter.name === "ran_same" ? "ran_same" : "copy"];
    return { day: app.localToday(), fields: [["uuid", copyId(form)], ...fieldsFrom(copy)] };
  }

  // "I did this instead": the card's day with this activity's minutes set (a second tap
  // changes nothing), on top of any copy of that day already waiting on this phone.
  async function fieldsWithMinutes(form) {
    const saved = pageData("day-entry");
    if (!saved) return null;
    const waiting = (await outbox.all()).find(
      (item) => item.user === app.user && item.date === saved.date && item.state !== "conflict",
    );
    const fields = waiting ? waiting.fields : fieldsFrom(saved);
    const name = `alt_${form.elements.namedItem("activity").value}`;
    const input = form.elements.namedItem("minutes");
    if (!(Number(input.value) >= 1)) return null;
    const minutes = Math.min(Number(input.value), Number(input.max));
    const others = fields.filter(([key]) => key !== name);
    return { day: saved.date, fields: [...others, [name, String(minutes)]] };
  }

  async function keepOneTap(form, submitter) {
    const kept = form.matches(".copy-yesterday")
      ? copiedFields(form, submitter)
      : await fieldsWithMinutes(form);
    const unit = document.getElementById("day-card")?.dataset.unit || "km";
    if (kept) await keep(kept.fields, kept.day, unit);
  }

  function signedOut(response) {
    return response.headers.get("Backpain-Session") === "none";
  }

  // "Same as yesterday", posted as the plain form would be, and the server's answer (the
  // page it redirects to) replaces the page's main part. No answer, or the login page, keeps the day on
  // this phone instead. Any other refusal is posted again without this script, to show
  // the server's own page.
  async function postOneTap(form, submitter) {
    const body = new FormData(form, submitter);
    if (form.matches(".copy-yesterday")) body.set("uuid", copyId(form));
    let response;
    try {
      const signal = AbortSignal.timeout(SAVE_TIMEOUT_MS);
      response = await fetch(form.action, { method: "POST", body, signal });
    } catch (error) {
      return keepOneTap(form, submitter);
    }
    if (signedOut(response)) outbox.forgetPages();
    if (OFFLINE_STATUSES.includes(response.status) || signedOut(response)) {
      return keepOneTap(form, submitter);
    }
    const page = response.ok ? await response.text() : "";
    if (page.includes('id="main"')) {
      htmx.swap("#main", page, { swapStyle: "outerHTML" }, { select: "#main" });
      app.showSaved();
    } else {
      form.dataset.plain = "1";
      form.requestSubmit(submitter);
    }
  }

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!form.matches("form.copy-yesterday") || form.dataset.plain) return;
    if (!app.user || !self.htmx) return;
    event.preventDefault();
    if (form.dataset.sending) return; // a second tap must not save the day twice
    form.dataset.sending = "1";
    postOneTap(form, event.submitter).finally(() => delete form.dataset.sending);
  });

  // --- the forms sent by htmx ------------------------------------------------------

  function onSaveFailed(event) {
    const form = event.detail && event.detail.elt;
    if (!isSaveForm(form)) return;
    if (event.type === "htmx:responseError") {
      const status = event.detail.xhr ? event.detail.xhr.status : 0;
      if (!OFFLINE_STATUSES.includes(status)) return;
    }
    saveOnPhoneInstead(form);
  }

  function onConfigRequest(event) {
    const form = event.detail.elt;
    if (!isSaveForm(form)) return;
    // A retried request must be recognisable as the same write.
    if (isEntryForm(form)) event.detail.parameters.uuid = ensureUuid(form);
    if (!event.detail.timeout) event.detail.timeout = SAVE_TIMEOUT_MS;
  }

  function signedOutAnswer(xhr) {
    return Boolean(xhr) && xhr.getResponseHeader("Backpain-Session") === "none";
  }

  // Saved online through the form: that supersedes what was waiting for this day.
  function onAfterRequest(event) {
    const form = event.detail.elt;
    if (!isEntryForm(form) || !app.user) return;
    const status = event.detail.xhr ? event.detail.xhr.status : 0;
    if (status < 200 || status >= 300 || signedOutAnswer(event.detail.xhr)) return;
    app.forgetDay(formDay(form));
  }

  // A save after the session lapsed ends on the login page: keep the entry on this phone
  // (it syncs after the next login) rather than show that page in the card, and drop the
  // lapsed session's pages.
  function onSignedOutAnswer(event) {
    if (!signedOutAnswer(event.detail.xhr)) return;
    outbox.forgetPages();
    const form = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (!isSaveForm(form)) return;
    event.detail.shouldSwap = false;
    saveOnPhoneInstead(form);
  }

  // A form for today drawn on an earlier day starts empty, as a new day; yesterday's
  // "same as yesterday" copy no longer applies.
  function setUpForms() {
    const copy = document.querySelector("form.copy-yesterday");
    if (copy && copy.dataset.date !== app.localToday()) copy.remove();
    const form = entryForm();
    if (!form) return;
    ensureUuid(form);
    if (!form.hasAttribute("data-log-today") || !(form.dataset.date < app.localToday())) return;
    fillForm(form, []);
    form.elements.namedItem("uuid").value = outbox.newId();
    form.dataset.date = app.localToday();
  }

  // Today kept on this phone: copying yesterday no longer applies (a second copy would be
  // a second write of the same day).
  function dropCopy(items) {
    const copy = document.querySelector("form.copy-yesterday");
    if (copy && items.some((item) => item.date === app.localToday())) copy.remove();
  }

  // A day waiting on this phone is put back into its form.
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

  // The server took this phone's copy of the form's day: edits now build on its version.
  function afterSync(synced) {
    const form = entryForm();
    const done = form && synced.find((item) => item.date === formDay(form) && item.entry);
    if (!done) return;
    form.elements.namedItem("uuid").value = done.entry.uuid;
    form.elements.namedItem("base_version").value = done.entry.version;
  }

  document.addEventListener("htmx:configRequest", onConfigRequest);
  for (const name of ["htmx:sendError", "htmx:timeout", "htmx:responseError"]) {
    document.addEventListener(name, onSaveFailed);
  }
  document.addEventListener("htmx:beforeSwap", onSignedOutAnswer);
  document.addEventListener("htmx:afterRequest", onAfterRequest);
  document.addEventListener("htmx:afterSettle", setUpForms);
  document.addEventListener("backpain:outbox", (event) => {
    prefill(event.detail.items);
    dropCopy(event.detail.items);
  });
  document.addEventListener("backpain:synced", (event) => afterSync(event.detail.synced));
  setUpForms();
})(backpain, backpainOutbox);
