// Settings → Reminders on this device: turning Web Push on (the browser asks for
// permission only after "Turn on" is tapped), the reminder time, a test notification, and
// turning it off. The server's list of this runner's devices is in #reminder-devices;
// the words are in <template id="reminder-words">.
"use strict";

(function (app) {
  const card = document.getElementById("reminder-device");
  if (!card) return;
  const devices = JSON.parse(document.getElementById("reminder-devices").textContent);
  const timeInput = document.getElementById("remind-at");
  const message = card.querySelector(".reminder-message");
  let subscription = null;

  function say(name) {
    message.textContent = name ? app.words("reminder-words", name) : "";
  }

  function show(state) {
    for (const part of card.querySelectorAll("[data-state]")) {
      part.hidden = part.dataset.state !== state;
    }
  }

  // remindAt is "HH:MM" while reminders are on for this device, null while off.
  function showOn(remindAt) {
    for (const part of card.querySelectorAll("[data-when]")) {
      part.hidden = part.dataset.when !== (remindAt ? "on" : "off");
    }
    if (remindAt) {
      card.querySelector('[data-slot="time"]').textContent = shownTime(remindAt);
      timeInput.value = remindAt;
    }
  }

  // "20:00" as this phone shows times ("8:00 PM" on a phone set to 12-hour time).
  function shownTime(remindAt) {
    const [hours, minutes] = remindAt.split(":").map(Number);
    const at = new Date(2000, 0, 1, hours, minutes);
    return at.toLocaleTimeString([], { timeStyle: "short" });
  }

  function isIos() {
    const ua = navigator.userAgent;
    return /iPhone|iPad|iPod/.test(ua) || (/Macintosh/.test(ua) && navigator.maxTouchPoints > 1);
  }

  function isStandalone() {
    return window.matchMedia("(display-mode: standalone)").matches || navigator.standalone === true;
  }

  function keyBytes(base64url) {
    const text = atob(base64url.replace(/-/g, "+").replace(/_/g, "/"));
    return Uint8Array.from(text, (char) => char.charCodeAt(0));
  }

  function sameKey(buffer, bytes) {
    const held = new Uint8Array(buffer || []);
    return held.length === bytes.length && held.every((byte, i) => byte === bytes[i]);
  }

  function post(url, method, body) {
    return fetch(url, {
      method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": app.csrfToken() },
      body: JSON.stringify(body),
    });
  }

  async function store() {
    const json = subscription.toJSON();
    const response = await post(card.dataset.subscriptionsUrl, "POST", {
      endpoint: json.endpoint,
      keys: json.keys,
      remind_at: timeInput.value,
      time_zone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    });
    if (!response.ok) throw new Error(`The server answered ${response.status}`);
    return (await response.json()).remind_at;
  }

  // This browser's subscription under the server's current key (a new one if the key changed).
  async function subscribe() {
    const registration = await navigator.serviceWorker.ready;
    const key = keyBytes(card.dataset.key);
    const held = await registration.pushManager.getSubscription();
    if (held && sameKey(held.options.applicationServerKey, key)) return held;
    if (held) await held.unsubscribe();
    return registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
  }

  async function turnOn() {
    if (!timeInput.reportValidity()) return;
    say("asking");
    const permission = await Notification.requestPermission();
    if (permission !== "granted") {
      if (permission === "denied") show("blocked");
      say("denied");
      return;
    }
    subscription = await subscribe();
    showOn(await store());
    say("on");
  }

  async function saveTime() {
    if (!timeInput.reportValidity()) return;
    showOn(await store());
    say("saved");
  }

  async function test() {
    const response = await post(card.dataset.testUrl, "POST", { endpoint: subscription.endpoint });
    say(response.ok ? "sent" : response.status === 429 ? "busy" : "failed");
  }

  async function turnOff() {
    const response = await post(card.dataset.subscriptionsUrl, "DELETE", {
      endpoint: subscription.endpoint,
    });
    if (!response.ok && response.status !== 404) throw new Error(`${response.status}`);
    await subscription.unsubscribe();
    subscription = null;
    showOn(null);
    say("off");
  }

  // One action at a time; a failure says so and leaves things as they were.
  const actions = { "turn-on": turnOn, "save-time": saveTime, test, "turn-off": turnOff };
  for (const button of card.querySelectorAll("[data-action]")) {
    button.addEventListener("click", async () => {
      const buttons = card.querySelectorAll("button");
      for (const each of buttons) each.disabled = true;
      say(null);
      try {
        await actions[button.dataset.action]();
      } catch (error) {
        say("failed");
      } finally {
        for (const each of buttons) each.disabled = false;
      }
    });
  }

  async function start() {
    // iOS (16.4+) delivers Web Push only to the app opened from the home screen.
    if (isIos() && !isStandalone()) return show("install");
    const supported = "serviceWorker" in navigator && "PushManager" in window;
    if (!supported || !("Notification" in window)) return show("unsupported");
    if (Notification.permission === "denied") return show("blocked");
    show("ready");
    const registration = await navigator.serviceWorker.ready;
    subscription = await registration.pushManager.getSubscription();
    const stored = subscription && devices.find((device) => device.endpoint === subscription.endpoint);
    const granted = Notification.permission === "granted";
    showOn(stored && granted ? stored.remind_at : null);
  }

  start();
})(backpain);
