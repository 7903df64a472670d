import zoneinfo
from datetime import timedelta

from django.conf import settings
from django.http import HttpResponse
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


PRIVATE_PREFIXES = (
    "/log/", "/diary/", "/trends/", "/report/", "/share/", "/api/", "/settings/", "/accounts/",
)  # fmt: skip


class NoStoreForPrivatePagesMiddleware:
    """Health data must not linger in shared or browser HTTP caches. (The service worker
    keeps its own copy of today's pages for offline use. A page rendered for nobody says
    so in a header, and the worker then drops that copy: the session it belonged to is
    gone, and the next person holding the phone must not read it.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        private = request.path.startswith(PRIVATE_PREFIXES) or (
            request.path == "/" and request.user.is_authenticated
        )
        if private:
            response["Cache-Control"] = "no-store"
        is_page = response.get("Content-Type", "").startswith("text/html")
        if is_page and not request.user.is_authenticated:
            response["Backpain-Session"] = "none"
        return response


class ResourceIsolationMiddleware:
    """Other sites may not embed our responses (CORP), and the browser features the app
    does not use stay off (settings.PERMISSIONS_POLICY_OFF). First in the list, so static
    files get the headers too."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.permissions_policy = ", ".join(
            f"{feature}=()" for feature in settings.PERMISSIONS_POLICY_OFF
        )

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        return response


BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class Utf8BodiesOnlyMiddleware:
    """Refuse a body declared in another charset than UTF-8 (415) before anything reads it.
    Django answers a form posted in UTF-16 with a 400 whose error view reads the body
    again, and that second failure escaped Django as a bare 500 from gunicorn. Like
    Django's own check, only the name "utf-8" counts: "utf8" is refused too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        charset = request.content_params.get("charset")
        if request.method in BODY_METHODS and charset and charset.lower() != "utf-8":
            return HttpResponse(
                "Send the request body as UTF-8.", status=415, content_type="text/plain"
            )
        return self.get_response(request)


SESSION_REFRESH_EVERY = timedelta(days=1)


class RefreshSessionDailyMiddleware:
    """Keep a phone signed in for SESSION_COOKIE_AGE after its last visit with one session
    write a day, rather than one per page view: every write takes SQLite's write lock."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = request.session
        # Set by pages.sessions.SessionStore when the session was read from the database.
        expires = getattr(session, "stored_expiry", None)
        if expires and not session.is_empty():
            refreshed = expires - timedelta(seconds=session.get_expiry_age())
            if timezone.now() - refreshed >= SESSION_REFRESH_EVERY:
                session.modified = True
        return response
