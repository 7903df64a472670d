// Tell the server the phone's time zone, so "today" is the runner's today.
(function () {
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (zone && document.cookie.indexOf("tz=" + zone) === -1) {
    document.cookie = "tz=" + zone + ";path=/;max-age=31536000;samesite=lax";
  }
})();
