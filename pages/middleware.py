import zoneinfo

from django.utils import timezone


class UserTimezoneMiddleware:
    """Use the phone's own time zone (a `tz` cookie set by app.js), so "today" and
    "not in the future" mean the runner's day, not the server's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            timezone.activate(zoneinfo.ZoneInfo(request.COOKIES.get("tz", "")))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            timezone.deactivate()
        return self.get_response(request)


PRIVATE_PREFIXES = ("/log/", "/diary/", "/api/", "/settings/", "/accounts/")


class NoStoreForPrivatePagesMiddleware:
    """Health data must not linger in shared or browser HTTP caches. (The service worker
    keeps its own copy of the log page for offline use, and clears it at logout.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        private = request.path.startswith(PRIVATE_PREFIXES) or (
            request.path == "/" and request.user.is_authenticated
        )
        if private:
            response["Cache-Control"] = "no-store"
        return response
