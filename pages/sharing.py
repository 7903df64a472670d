"""Share a report with a physiotherapist: every write and lookup of a share link.

A link's token is 32 random bytes (256 bits) from `secrets`, shown to the runner once;
the database keeps only its SHA-256, so a copy of the database opens nothing. A link is
valid until it expires or is revoked; after that, and for any other token, the page is a
404 like any unknown address."""

import hashlib
import secrets
from datetime import date, timedelta

from django.db.models import F
from django.utils import timezone

from pages.models import ShareLink, mark_changed

VALID_DAYS = (7, 30, 90)
TOKEN_BYTES = 32


def _hashed(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create(*, user, days: int, first: date, last: date, notes: list[str]) -> tuple[ShareLink, str]:
    """A new link and its token (the only time the token exists outside the URL)."""
    if days not in VALID_DAYS:
        raise ValueError(f"a link lasts {VALID_DAYS} days, not {days}")
    token = secrets.token_urlsafe(TOKEN_BYTES)
    link = ShareLink.objects.create(
        user=user,
        token_hash=_hashed(token),
        first=first,
        last=last,
        notes=sorted(notes),
        expires=timezone.now() + timedelta(days=days),
    )
    mark_changed(user.pk)  # the report page lists the runner's links
    return link, token


def active(user):
    return ShareLink.objects.filter(user=user, revoked=None, expires__gt=timezone.now())


def revoke(*, user, link_id: int) -> bool:
    revoked = bool(active(user).filter(pk=link_id).update(revoked=timezone.now()))
    if revoked:
        mark_changed(user.pk)
    return revoked


def open_link(token: str) -> ShareLink | None:
    """The link for this token if it is still valid, counting the opening."""
    if len(token) > 100:
        return None
    link = (
        ShareLink.objects.select_related("user")
        .filter(token_hash=_hashed(token), revoked=None, expires__gt=timezone.now())
        .first()
    )
    if link is not None:
        ShareLink.objects.filter(pk=link.pk).update(opens=F("opens") + 1)
        mark_changed(link.user_id)  # the runner's report page shows the count
    return link
