"""Pages kept once rendered (pages/page_cache.py): public pages for cookie-less visitors,
and each runner's pages until their data or their day changes."""

import re
from datetime import timedelta

import pytest
from django.contrib.messages import constants, get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.base import SessionBase
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pages import page_cache
from pages.models import Entry, User, mark_changed

from .conftest import PASSWORD, entry_payload

GUIDE = "/guide/why-running-hurts/"


def public_key(path, gzip=False):
    return page_cache.public_key(path, gzip=gzip)


# Public pages ------------------------------------------------------------------------


def test_public_page_kept_whole_with_its_headers(client, db):
    first = client.get(GUIDE)
    content, headers = caches["pages"].get(public_key(GUIDE))
    assert content == first.content
    for name in ("Content-Security-Policy", "Permissions-Policy", "X-Content-Type-Options"):
        assert headers[name] == first.headers[name]
    again = client.get(GUIDE)
    assert again.content == first.content
    assert again.headers["Backpain-Session"] == "none"


def test_next_cookieless_visitor_is_answered_from_the_copy(client, db):
    client.get(GUIDE)
    caches["pages"].set(public_key(GUIDE), (b"kept copy", {"Content-Type": "text/html"}))
    assert Client().get(GUIDE).content == b"kept copy"


def test_gzip_and_plain_visitors_have_separate_copies(db):
    plain = Client().get(GUIDE)
    zipped = Client(headers={"Accept-Encoding": "gzip"}).get(GUIDE)
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in plain.headers
    assert caches["pages"].get(public_key(GUIDE, gzip=True)) is not None


@pytest.mark.parametrize(("path", "cookie"), [(GUIDE, "tz=Europe/Paris"), (GUIDE + "?utm=x", "")])
def test_requests_with_a_cookie_or_a_query_bypass_it(db, path, cookie):
    caches["pages"].set(public_key(GUIDE), (b"kept copy", {}))
    client = Client()
    if cookie:
        client.cookies.load(cookie)
    assert client.get(path).content != b"kept copy"


@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/signup/", "/guide/no-such-page/"])
def test_pages_not_marked_public_or_not_found_are_never_kept(db, path):
    Client().get(path)
    assert caches["pages"].get(public_key(path)) is None


def test_signed_in_reader_gets_their_own_guide_page(client, user):
    Client().get(GUIDE)
    client.force_login(user)
    html = client.get(GUIDE).content.decode()
    assert f'data-user="{user.pk}"' in html and 'href="/settings/"' in html


# A runner's pages ---------------------------------------------------------------------


def queries_for(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("path", ["/", "/log/", "/diary/"])
def test_unchanged_page_costs_only_the_session_and_user(signed_in, user, make_entry, path):
    make_entry(user, days_ago=1, pain=4)
    signed_in.get(path)  # the first form page also gives the browser its CSRF cookie
    mark_changed(user.pk)
    rendered = queries_for(signed_in, path)
    assert queries_for(signed_in, path) == 2 < rendered


def test_a_page_keeps_its_status_line_and_type(signed_in):
    signed_in.get("/log/")
    again = signed_in.get("/log/")
    assert again.status_code == 200
    assert again.headers["Content-Type"] == "text/html; charset=utf-8"
    assert again.headers["Cache-Control"] == "no-store"


def pain_shown_today(client) -> str:
    html = client.get("/").content.decode()
    return re.search(r'aria-label="pain (\d+)"', html) and html


WRITES = {
    "log form": lambda c, u: c.post("/log/", {"pain": "7", "ran": "no"}),
    "sync API": lambda c, u: c.post(
        "/api/entries/", entry_payload(pain=7), content_type="application/json"
    ),
    "model save": lambda c, u: Entry.objects.create(user=u, date=timezone.localdate(), pain=7),
    "import": lambda c, u: c.post("/settings/import/", {"file": _export_of_today()}),
}


def _export_of_today():
    donor = User.objects.create_user(email="donor@example.com", password=PASSWORD)
    Entry.objects.create(user=donor, date=timezone.localdate(), pain=7)
    client = Client()
    client.force_login(donor)
    return SimpleUploadedFile("export.json", client.get("/settings/export/json").content)


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_a_write_shows_on_the_next_view(signed_in, user, write):
    before = signed_in.get("/").content.decode()
    assert "Log today" in before
    response = write(signed_in, user)
    assert getattr(response, "status_code", 200) < 400
    after = signed_in.get("/").content.decode()
    assert "Edit today" in after


def test_a_new_unit_shows_on_the_next_view(signed_in, user, make_entry):
    make_entry(user, days_ago=1, ran=True, distance_km=10.0)
    assert "10 km" in signed_in.get("/").content.decode()
    signed_in.post("/settings/", {"unit": "mi"})
    assert "6.21 mi" in signed_in.get("/").content.decode()


def test_a_new_shoe_shows_in_the_log_form(signed_in, user):
    assert "Trail pair" not in signed_in.get("/log/").content.decode()
    shoe = {"new-name": "Trail pair", "new-start_km": "0", "new-limit_km": "700"}
    assert signed_in.post("/settings/shoes/", shoe).status_code == 302
    assert "Trail pair" in signed_in.get("/log/").content.decode()


def test_another_runner_never_gets_my_page(client, user, other_user, make_entry):
    make_entry(user, days_ago=1, pain=9)
    client.force_login(user)
    mine = client.get("/").content.decode()
    client.force_login(other_user)
    theirs = client.get("/").content.decode()
    assert 'aria-label="pain 9"' in mine
    assert 'aria-label="pain 9"' not in theirs


def test_a_new_day_renders_a_new_page(signed_in, monkeypatch):
    today = timezone.localdate()
    assert today.strftime("%a %-d %b") not in signed_in.get("/").content.decode()
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: today + timedelta(days=1))
    assert today.strftime("%a %-d %b") in signed_in.get("/").content.decode()


def test_each_browser_gets_a_form_token_for_its_own_cookie(user):
    phone, laptop = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    for browser in (phone, laptop):
        browser.force_login(user)
        browser.get("/log/")  # sets this browser's CSRF cookie
        browser.get("/log/")  # kept for this browser's cookie
    for browser in (phone, laptop):
        html = browser.get("/log/").content.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        saved = browser.post("/log/", {"pain": "3", "ran": "no", "csrfmiddlewaretoken": token})
        assert saved.status_code == 302


def test_a_page_with_a_message_to_show_is_always_rendered(user):
    request = RequestFactory().get("/")
    request.user, request.session = user, SessionBase()
    request.META["CSRF_COOKIE"] = "x" * 32
    request._messages = FallbackStorage(request)
    assert page_cache._diary_key(request) is not None
    request._messages.add(constants.SUCCESS, "Imported 3 days.")
    assert len(get_messages(request)) == 1
    assert page_cache._diary_key(request) is None


def test_page_cache_can_be_turned_off(signed_in, settings):
    settings.PAGE_CACHE = False
    signed_in.get("/")
    assert queries_for(signed_in, "/") > 2


# The stamp ---------------------------------------------------------------------------


def test_stamp_only_grows_even_when_an_old_copy_of_the_user_is_saved(user):
    stale = User.objects.get(pk=user.pk)
    mark_changed(user.pk)
    stale.first_name = "Sam"
    stale.save()
    user.refresh_from_db()
    assert user.first_name == "Sam"
    assert user.data_stamp == 2  # the change, then the save (which may change the unit)


def test_saving_the_unit_bumps_the_stamp_and_last_login_does_not(user):
    user.last_login = timezone.now()
    user.save(update_fields=["last_login"])
    user.refresh_from_db()
    assert user.data_stamp == 0
    user.unit = "mi"
    user.save(update_fields=["unit"])
    user.refresh_from_db()
    assert user.data_stamp == 1
