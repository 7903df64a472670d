// The import page: files shared from another app, which the service worker kept for us
// (sw.js receiveShare), go into the file input and are sent at once, as the runner.
"use strict";

(async () => {
  const shared = new URLSearchParams(location.search).has("shared");
  const form = document.querySelector(".import-form");
  if (!shared || !form || !("caches" in window)) return;
  const cache = await caches.open("shared-files");
  const transfer = new DataTransfer();
  for (const request of await cache.keys()) {
    const response = await cache.match(request);
    const name = decodeURIComponent(response.headers.get("X-Name") || "shared file");
    transfer.items.add(new File([await response.blob()], name));
    await cache.delete(request);
  }
  if (!transfer.files.length) return;
  form.querySelector('input[type="file"]').files = transfer.files;
  const note = form.querySelector(".shared-note");
  note.textContent = `Importing ${[...transfer.files].map((file) => file.name).join(", ")}…`;
  note.hidden = false;
  history.replaceState(null, "", location.pathname);
  form.requestSubmit();
})();
