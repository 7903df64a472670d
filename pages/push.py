"""Web Push: which endpoints may be stored, the devices' subscriptions, and sending the
reminders that pages/reminders.py finds due. `manage.py send_reminders` runs send_due().

The server posts only to the browsers' own push services (and to hosts the operator
names in PUSH_EXTRA_HOSTS), never follows a redirect, and never logs an endpoint: it is a
capability to reach that device."""

import json
import logging
import zoneinfo
from collections import Counter
from datetime import datetime, timedelta
from typing import Literal
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.db.models import Exists, F, OuterRef
from django.urls import reverse
from pywebpush import WebPushException, webpush

from pages import reminders
from pages.models import Entry, PushSubscription

logger = logging.getLogger(__name__)

# Chrome, Edge on Android, Samsung Internet and Opera use Google's; Firefox Mozilla's;
# Safari (macOS, and iOS 16.4+ once on the home screen) Apple's; Edge on Windows WNS.
KNOWN_PUSH_HOSTS = frozenset({"fcm.googleapis.com"})
KNOWN_PUSH_DOMAINS = (".push.services.mozilla.com", ".push.apple.com", ".notify.windows.com")
# A runner's browsers: a phone, a tablet, a laptop or two. Past this, the oldest goes.
MAX_DEVICES = 10
# A reminder that reaches a phone hours later would ask about the wrong moment.
REMINDER_TTL_SECONDS = 2 * 60 * 60
SEND_TIMEOUT_SECONDS = 10
REMINDER_TAG = "backpain-reminder"

Outcome = Literal["sent", "gone", "failed"]


def endpoint_problem(url: str) -> str | None:
    """Why this endpoint may not be stored or posted to, or None when it may."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return "This is not a URL."
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or not host:
        return "The endpoint must be an https:// URL."
    if parts.username is not None or parts.password is not None:
        return "The endpoint must not carry a user name or password."
    if host in settings.PUSH_EXTRA_HOSTS:
        return None
    known = host in KNOWN_PUSH_HOSTS or host.endswith(KNOWN_PUSH_DOMAINS)
    if not known or port not in (None, 443):
        return "This is not a push service we send to."
    return None


def missing_settings() -> list[str]:
    """The VAPID settings this server still needs before it can send reminders."""
    names = {
        "DJANGO_VAPID_PUBLIC_KEY": settings.VAPID_PUBLIC_KEY,
        "DJANGO_VAPID_PRIVATE_KEY": settings.VAPID_PRIVATE_KEY,
        "DJANGO_VAPID_SUBJECT": settings.VAPID_SUBJECT,
    }
    return [name for name, value in names.items() if not value]


def is_set_up() -> bool:
    return not missing_settings()


def subscribe(*, user, cleaned: dict) -> PushSubscription:
    """Store this browser's subscription for `user`, or update its time, zone and keys. The
    endpoint is the browser's own secret: whoever presents it is signed in on that browser
    now, so a browser that changed hands changes owner."""
    subscription, _ = PushSubscription.objects.update_or_create(
        endpoint=cleaned["endpoint"],
        defaults={name: cleaned[name] for name in ("p256dh", "auth", "remind_at", "time_zone")}
        | {"user": user},
    )
    oldest = PushSubscription.objects.filter(user=user).order_by("-created")[MAX_DEVICES:]
    PushSubscription.objects.filter(pk__in=list(oldest.values_list("pk", flat=True))).delete()
    return subscription


def message(words: reminders.Words, *, tag: str = REMINDER_TAG) -> dict:
    """The JSON the service worker turns into a notification (templates/sw.js)."""
    return {"title": words.title, "body": words.body, "url": reverse("log"), "tag": tag}


def send_due(*, now: datetime) -> Counter:
    """Send every reminder due at `now` (aware), each at most once a day however many runs
    overlap. Returns how many were sent, gone (deleted) or failed (tried next run)."""
    outcomes = Counter()
    with no_redirects_session() as session:
        for subscription, kind, today in _due(now):
            claimed = (
                PushSubscription.objects.filter(pk=subscription.pk)
                .exclude(last_sent_on=today)
                .update(last_sent_on=today)
            )
            if not claimed:  # another run has it
                continue
            outcome = send(subscription, message(reminders.REMINDER_WORDS[kind]), session=session)
            if outcome == "failed":  # give the day back, so the next run tries again
                PushSubscription.objects.filter(pk=subscription.pk, last_sent_on=today).update(
                    last_sent_on=subscription.last_sent_on
                )
            outcomes[outcome] += 1
    return outcomes


def _due(now: datetime):
    """(subscription, reminder, local today) for each device with a reminder due, zone by
    zone. The query only narrows; reminders.due decides."""
    for zone_name in PushSubscription.objects.values_list("time_zone", flat=True).distinct():
        try:
            local = now.astimezone(zoneinfo.ZoneInfo(zone_name)).replace(tzinfo=None)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            logger.warning("Skipping reminders in unknown time zone %r", zone_name)
            continue
        today = local.date()
        logged = Entry.objects.filter(user=OuterRef("user"), date=today, pain__isnull=False)
        ran = Entry.objects.filter(user=OuterRef("user"), date=today - timedelta(days=1), ran=True)
        rows = (
            PushSubscription.objects.filter(time_zone=zone_name, remind_at__lte=local.time())
            .exclude(last_sent_on=today)
            .annotate(
                paused_until=F("user__reminders_paused_until"),
                today_logged=Exists(logged),
                ran_yesterday=Exists(ran),
            )
        )
        for row in rows:
            device = reminders.Device(row.remind_at, row.last_sent_on, row.paused_until)
            facts = {"today_logged": row.today_logged, "ran_yesterday": row.ran_yesterday}
            if kind := reminders.due(now=local, device=device, **facts):
                yield row, kind, today


class NoRedirects(requests.Session):
    """A push service answers a POST itself; a redirect could point anywhere."""

    def request(self, *args, **kwargs):
        kwargs["allow_redirects"] = False
        return super().request(*args, **kwargs)


def no_redirects_session() -> requests.Session:
    return NoRedirects()


def send(subscription: PushSubscription, payload: dict, *, session: requests.Session) -> Outcome:
    """Post one encrypted message. A subscription the push service no longer knows (404,
    410) is deleted; any other failure is logged and left for the next try."""
    where = f"subscription {subscription.pk} on {urlsplit(subscription.endpoint).hostname}"
    if problem := endpoint_problem(subscription.endpoint):
        logger.warning("Not sending to %s: %s", where, problem)
        return "failed"
    info = {"endpoint": subscription.endpoint, "keys": _keys(subscription)}
    try:
        webpush(
            info,
            data=json.dumps(payload),
            vapid_private_key=settings.VAPID_PRIVATE_KEY,
            vapid_claims={"sub": settings.VAPID_SUBJECT},  # a fresh dict: webpush adds aud
            ttl=REMINDER_TTL_SECONDS,
            timeout=SEND_TIMEOUT_SECONDS,
            headers={"Urgency": "normal", "Topic": "reminder"},
            requests_session=session,
        )
    except WebPushException as error:
        if error.status_code in (404, 410):
            PushSubscription.objects.filter(pk=subscription.pk).delete()
            return "gone"
        logger.warning("Push to %s failed with status %s", where, error.status_code)
        return "failed"
    except requests.RequestException as error:
        logger.warning("Push to %s failed: %s", where, type(error).__name__)
        return "failed"
    return "sent"


def _keys(subscription: PushSubscription) -> dict:
    return {"p256dh": subscription.p256dh, "auth": subscription.auth}
