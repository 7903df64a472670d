// Loaded only under DEBUG (base.html), beside django-htmx's debug handler, which writes a
// 400 answer over the whole document and so strips the page of its styles. The refusals
// htmx-config swaps into their form (a form's errors, a conflict) stop here, before that
// handler sees them; a crash still reaches it and shows Django's debug page.
"use strict";

window.addEventListener(
  "htmx:beforeOnLoad",
  (event) => {
    const status = event.detail.xhr.status;
    const rule = htmx.config.responseHandling.find((each) =>
      new RegExp(each.code).test(String(status)),
    );
    if (status >= 400 && rule && rule.swap && !rule.error) event.stopPropagation();
  },
  true,
);
