"""Limits on how often an action may happen, per key and per period, kept in the database
so that every app server and worker shares them (no cache server needed).

The limits live in settings.THROTTLES as {scope: (count, seconds)}."""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from pages.models import Attempt


def client_ip(request) -> str:
    """The client's address. Behind a TLS proxy every request comes from the proxy, so the
    proxy's header is read, but only when settings.TRUSTED_PROXY_HEADER names it: the last
    address in it is the one our proxy saw (anything before it is the client's say-so)."""
    header = settings.TRUSTED_PROXY_HEADER
    if header:
        forwarded = request.META.get("HTTP_" + header.upper().replace("-", "_"), "")
        addresses = [part.strip() for part in forwarded.split(",") if part.strip()]
        if addresses:
            return addresses[-1]
    return request.META.get("REMOTE_ADDR", "")


def _hashed(scope: str, key: str) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}:{scope}:{key.lower()}".encode()).hexdigest()


def _recent(scope: str, key: str):
    count, seconds = settings.THROTTLES[scope]
    since = timezone.now() - timedelta(seconds=seconds)
    return Attempt.objects.filter(scope=scope, key=_hashed(scope, key), at__gte=since), count


def is_blocked(scope: str, key: str) -> bool:
    attempts, count = _recent(scope, key)
    return attempts.count() >= count


def record(scope: str, key: str) -> None:
    _, seconds = settings.THROTTLES[scope]
    Attempt.objects.filter(scope=scope, at__lt=timezone.now() - timedelta(seconds=seconds)).delete()
    Attempt.objects.create(scope=scope, key=_hashed(scope, key))


def allow(scope: str, key: str) -> bool:
    """Record one more attempt if the key is under its limit; False (nothing recorded) if not."""
    if is_blocked(scope, key):
        return False
    record(scope, key)
    return True


def login_email(request, credentials=None) -> str:
    """The address a login attempt names, as axes counts it: in any case, the same."""
    source = credentials if credentials is not None else request.POST
    return (source.get("username") or "").strip().lower()
