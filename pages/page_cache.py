"""Pages rendered once and served again until what they show changes.

Two caches, both per process (the "pages" cache alias, local memory), so nothing here
needs a shared cache server and a restart or deploy starts empty:

- Public pages (the guide, the intro) are the same for every visitor without a cookie.
  PublicPageMiddleware, first in the chain, keeps the finished response (headers and
  gzipped body included) and answers the next such visitor before any other middleware
  runs. Views opt in with @public_page.
- A signed-in runner's pages depend on their diary, their settings and the day.
  @per_diary keeps a rendered page under a key made of the user, User.data_stamp (bumped
  by every write: see pages.models), the path, the local date and time zone, and the
  browser's CSRF secret (the page's forms carry a token made from it). A write changes
  the stamp, so the next view renders afresh; old copies are never read again and age
  out of the cache.
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.cache import caches
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone

PUBLIC_SECONDS = 60 * 60
DIARY_SECONDS = 60 * 60


def _cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def public_page(view):
    """Mark a view whose cookie-less GET answer is the same for everyone."""
    view.public_page = True
    return view


class PublicPageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = self._key(request)
        if key is None:
            return self.get_response(request)
        stored = _cache().get(key)
        if stored is not None:
            return _response(stored)
        response = self.get_response(request)
        view = getattr(request.resolver_match, "func", None)
        if getattr(view, "public_page", False) and _storable(response):
            _cache().set(key, _stored(response), PUBLIC_SECONDS)
        return response

    @staticmethod
    def _key(request):
        if not settings.PAGE_CACHE or request.method != "GET" or request.META.get("QUERY_STRING"):
            return None
        if request.META.get("HTTP_COOKIE"):
            return None
        return public_key(request.path, gzip="gzip" in request.META.get("HTTP_ACCEPT_ENCODING", ""))


def public_key(path: str, *, gzip: bool) -> str:
    """Hashed, so an address of any length makes a key any cache accepts."""
    return f"public:{gzip:d}:{hashlib.sha256(path.encode()).hexdigest()}"


def per_diary(view):
    """Serve a signed-in GET page from the cache while the runner's data and day are
    unchanged. Pages with a message to show are always rendered."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        key = _diary_key(request)
        if key is None:
            return view(request, *args, **kwargs)
        stored = _cache().get(key)
        if stored is not None:
            page, uses_token = stored
            if uses_token:
                get_token(request)  # renews the CSRF cookie, as rendering the form would
            return _response(page)
        secret = request.META.get("CSRF_COOKIE")
        response = view(request, *args, **kwargs)
        # A page that made a new CSRF secret carries a token for a cookie the browser does
        # not hold yet: it is not kept.
        if _storable(response) and request.META.get("CSRF_COOKIE") == secret:
            uses_token = bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))
            _cache().set(key, (_stored(response), uses_token), DIARY_SECONDS)
        return response

    return wrapped


def _diary_key(request):
    user = request.user
    secret = request.META.get("CSRF_COOKIE") or ""
    if not settings.PAGE_CACHE or request.method != "GET":
        return None
    if not user.is_authenticated or len(messages.get_messages(request)):
        return None
    parts = [
        str(user.pk),
        str(user.data_stamp),
        timezone.localdate().isoformat(),
        timezone.get_current_timezone_name(),
        request.get_full_path(),
        request.headers.get("HX-Request", ""),
        hashlib.sha256(secret.encode()).hexdigest()[:16],
    ]
    return "diary:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _storable(response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "no-cache" not in response.get("Cache-Control", "")
    )


def _stored(response) -> tuple[bytes, dict]:
    return response.content, dict(response.headers)


def _response(stored) -> HttpResponse:
    content, headers = stored
    return HttpResponse(content, headers=headers)
