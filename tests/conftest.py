import uuid
from datetime import timedelta

import pytest
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
