import base64
import io
import os
import uuid
from dataclasses import dataclass
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.management import call_command
from django.utils import timezone

from pages.models import Entry, Shoe, User

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def empty_cache():
    """Pages are cached per process; each test starts without another's pages."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@pytest.fixture(autouse=True)
def mail_inline(settings):
    settings.MAIL_IN_BACKGROUND = False


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def make_user(db):
    def make(email="runner@example.com", **extra):
        return User.objects.create_user(email=email, password=PASSWORD, **extra)

    return make


@pytest.fixture
def user(make_user):
    return make_user()


@pytest.fixture
def other_user(make_user):
    return make_user("other@example.com")


@pytest.fixture
def make_entry(db):
    def make(user, days_ago=0, **fields):
        fields.setdefault("pain", 2)
        day = fields.pop("date", timezone.localdate() - timedelta(days=days_ago))
        return Entry.objects.create(user=user, date=day, **fields)

    return make


@pytest.fixture
def make_shoe(db):
    def make(user, name="Daily trainers", **fields):
        return Shoe.objects.create(user=user, name=name, **fields)

    return make


@pytest.fixture
def signed_in(client, user):
    client.force_login(user)
    return client


def entry_payload(**fields) -> dict:
    payload = {
        "uuid": str(uuid.uuid4()),
        "date": timezone.localdate().isoformat(),
        "pain": 3,
        "ran": False,
        "symptoms": [],
        "alternatives": [],
        "notes": "",
        "base_version": None,
    }
    payload.update(fields)
    return payload


def base64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@dataclass
class BrowserKeys:
    """What a browser holds for one push subscription: the private key and auth secret
    that decrypt its messages, and the public halves it sends the server."""

    private_key: ec.EllipticCurvePrivateKey
    auth_secret: bytes

    @property
    def p256dh(self) -> str:
        public = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return base64url(public)

    @property
    def auth(self) -> str:
        return base64url(self.auth_secret)


@pytest.fixture
def make_browser_keys():
    return lambda: BrowserKeys(ec.generate_private_key(ec.SECP256R1()), os.urandom(16))


@pytest.fixture
def vapid(settings):
    """VAPID keys made for the test by `manage.py make_vapid_keys`, read from its lines."""
    out = io.StringIO()
    call_command("make_vapid_keys", stdout=out)
    lines = dict(line.split("=", 1) for line in out.getvalue().splitlines())
    settings.VAPID_PUBLIC_KEY = lines["DJANGO_VAPID_PUBLIC_KEY"]
    settings.VAPID_PRIVATE_KEY = lines["DJANGO_VAPID_PRIVATE_KEY"]
    settings.VAPID_SUBJECT = "mailto:ops@example.org"
    return lines
