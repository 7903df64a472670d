// Tell the server the phone's time zone, so "today" is the runner's today. A page about
// today that was drawn before the server knew the zone (a first visit, or after travel)
// is drawn again, once, with it.
(function () {
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (zone && document.cookie.indexOf("tz=" + zone) === -1) {
    document.cookie = "tz=" + zone + ";path=/;max-age=31536000;samesite=lax";
    if (document.cookie.indexOf("tz=" + zone) !== -1 && document.querySelector("[data-log-today]")) {
      location.reload();
    }
  }
})();
