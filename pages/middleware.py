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
