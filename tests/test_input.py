"""Input that must never give a 500, bounds on every value, and short write locks
(issue 10, "Input and load")."""

import csv
import io
import json
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pages import export
from pages.entries import add_days
from pages.forms import ALTERNATIVE_FIELDS, EntryForm
from pages.models import Entry, Shoe, UserSession
from tests.conftest import entry_payload

DEEP = "[" * 100_000 + "]" * 100_000
HUGE_NUMBER = "1" + "0" * 5000


def post_raw(client, body: str, **extra):
    return client.post("/api/entries/", body, content_type="application/json", **extra)


@pytest.fixture
def csrf_client(user):
    """A client that checks CSRF as production does: CsrfViewMiddleware then reads the
    body before the view, which is how some bodies escaped as 500s."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get("/log/")
    client.token = client.cookies["csrftoken"].value
    return client


def upload(client, data) -> object:
    body = data if isinstance(data, bytes) else json.dumps(data).encode()
    return client.post("/settings/import/", {"file": SimpleUploadedFile("e.json", body)})


def export_file(*, shoes=(), entries=()) -> dict:
    return {"format": "backpain-export", "version": 1, "shoes": shoes, "entries": entries}


SHOE = {"id": 1, "name": "Trainers", "start_km": 0, "limit_km": 800, "retired": False}


# The API body


@pytest.mark.parametrize(
    "body",
    [
        DEEP,
        '{"notes": ' + DEEP + "}",
        '{"pain": ' + HUGE_NUMBER + "}",
        '{"date": "2026-01-01", "pain": 3, "shoe": ' + HUGE_NUMBER + "}",
    ],
    ids=["deep", "deep-in-a-field", "5000-digit-pain", "5000-digit-shoe"],
)
def test_api_unreadable_json_400_with_a_message(signed_in, user, body):
    response = post_raw(signed_in, body)
    assert response.status_code == 400
    assert response.json()["errors"]["__all__"]
    assert not Entry.objects.exists()


def test_api_multipart_body_415_with_a_message(csrf_client):
    # 415, not 400: the API reads only JSON, whatever the form fields say.
    response = csrf_client.post(
        "/api/entries/", {"pain": "3"}, headers={"X-CSRFToken": csrf_client.token}
    )
    assert response.status_code == 415
    assert response.json()["errors"]["__all__"]


def test_api_json_with_charset_utf8_still_accepted(signed_in, user):
    response = signed_in.post(
        "/api/entries/",
        json.dumps(entry_payload(pain=3)),
        content_type="application/json; charset=UTF-8",
    )
    assert response.status_code == 201


def test_api_note_with_lone_surrogate_400_names_notes(signed_in, user):
    response = post_raw(signed_in, json.dumps(entry_payload(notes="sore \ud800 back")))
    assert response.status_code == 400
    assert response.json()["errors"]["notes"]
    assert not Entry.objects.exists()


@pytest.mark.parametrize("distance", [0.0004, 1e-300, 300.001])
def test_api_distance_rounding_out_of_range_400_names_distance(signed_in, user, distance):
    payload = entry_payload(ran=True, distance_km=distance)
    response = post_raw(signed_in, json.dumps(payload))
    assert response.status_code == 400
    assert response.json()["errors"]["distance_km"]


def test_api_distance_just_above_zero_after_rounding_saved(signed_in, user):
    response = post_raw(signed_in, json.dumps(entry_payload(ran=True, distance_km=0.0005)))
    assert response.status_code == 201
    assert Entry.objects.get().distance_km == 0.001


@pytest.mark.parametrize("day", ["1969-12-31", "0001-01-01"])
def test_api_date_before_first_day_400_names_date(signed_in, user, day):
    response = post_raw(signed_in, json.dumps(entry_payload(date=day)))
    assert response.status_code == 400
    assert response.json()["errors"]["date"]


def test_api_first_day_accepted(signed_in, user):
    response = post_raw(signed_in, json.dumps(entry_payload(date="1970-01-01")))
    assert response.status_code == 201


def test_entry_form_one_minutes_field_per_alternative():
    declared = [name for name in EntryForm.base_fields if name.startswith("alt_")]
    assert declared == list(ALTERNATIVE_FIELDS)


def test_api_repeated_symptom_stored_once(signed_in, user):
    payload = entry_payload(symptoms=["leg_pain", "leg_pain", "fever", "leg_pain"])
    assert post_raw(signed_in, json.dumps(payload)).status_code == 201
    assert Entry.objects.get().symptoms == ["fever", "leg_pain"]


# Bodies in a charset other than UTF-8 (Django's 400 page re-read the body and escaped)


@pytest.mark.parametrize("path", ["/api/entries/", "/log/", "/accounts/login/", "/settings/"])
@pytest.mark.parametrize(
    "content_type",
    [
        "application/x-www-form-urlencoded; charset=utf-16",
        "application/json; charset=utf-16",
        "multipart/form-data; boundary=x; charset=utf-16",
        "application/x-www-form-urlencoded; charset=no-such-charset",
        "application/x-www-form-urlencoded; charset=utf8",
    ],
)
def test_post_in_another_charset_415(csrf_client, path, content_type):
    response = csrf_client.generic(
        "POST",
        path,
        "pain=3".encode("utf-16"),
        content_type=content_type,
        headers={"X-CSRFToken": csrf_client.token},
    )
    assert response.status_code == 415


def test_post_in_another_charset_signed_out_415(db):
    client = Client(enforce_csrf_checks=True)
    client.get("/accounts/login/")
    response = client.post(
        "/accounts/login/",
        b"a=b",
        content_type="application/x-www-form-urlencoded; charset=utf-16",
        headers={"X-CSRFToken": client.cookies["csrftoken"].value},
    )
    assert response.status_code == 415


# Diary URLs


@pytest.mark.parametrize("day", ["0001-01-01", "1969-12-31", "9999-12-31"])
def test_diary_day_outside_first_day_and_today_404(signed_in, day):
    assert signed_in.get(f"/diary/{day}/").status_code == 404
    assert signed_in.post(f"/diary/{day}/did-instead/", {}).status_code == 404


def test_diary_first_day_opens(signed_in):
    assert signed_in.get("/diary/1970-01-01/").status_code == 200


def test_log_form_date_before_first_day_refused(user):
    form = EntryForm({"date": "1969-12-31", "pain": "2"}, user=user)
    assert not form.is_valid()
    assert "date" in form.errors


@pytest.mark.parametrize("next_url", ["foo", "log", "javascript:alert(1)", "//evil.example/"])
def test_did_instead_garbage_next_falls_back_to_the_day(signed_in, user, make_entry, next_url):
    entry = make_entry(user, days_ago=2)
    response = signed_in.post(
        f"/diary/{entry.date}/did-instead/",
        {"activity": "yoga", "minutes": "20", "next": next_url},
    )
    assert response.status_code == 302
    assert response.url == f"/diary/{entry.date}/"


def test_did_instead_own_path_next_kept(signed_in, user, make_entry):
    entry = make_entry(user, days_ago=2)
    response = signed_in.post(
        f"/diary/{entry.date}/did-instead/", {"activity": "yoga", "minutes": "20", "next": "/"}
    )
    assert response.url == "/"


# Shoes


@pytest.mark.parametrize(
    ("unit", "field", "value"),
    [
        ("mi", "limit_km", "1.5e308"),
        ("km", "limit_km", "1e308"),
        ("mi", "start_km", "1.5e308"),
        ("km", "limit_km", "10001"),
        ("km", "start_km", "10001"),
        ("km", "limit_km", "nan"),
        ("km", "start_km", "-1"),
        ("km", "limit_km", "0"),
    ],
)
def test_settings_shoe_number_out_of_range_400_nothing_stored(signed_in, user, unit, field, value):
    user.unit = unit
    user.save()
    fields = {"new-name": "Trainers", "new-start_km": "0", "new-limit_km": "500"}
    response = signed_in.post("/settings/shoes/", fields | {f"new-{field}": value})
    assert response.status_code == 400
    assert not Shoe.objects.exists()
    assert signed_in.get("/settings/").status_code == 200


# The JSON import


BAD_IMPORTS = {
    "deep": DEEP.encode(),
    "deep-entries": (
        '{"format": "backpain-export", "entries": ' + "[" * 50_000 + "]" * 50_000 + "}"
    ).encode(),
    "5000-digit": ('{"format": "backpain-export", "shoes": [], "x": ' + HUGE_NUMBER + "}").encode(),
    "shoes-a-number": export_file(shoes=5),
    "shoes-a-string": export_file(shoes="abc"),
    "shoe-a-list": export_file(shoes=[[1, 2]]),
    "shoe-id-a-list": export_file(shoes=[SHOE | {"id": [1]}]),
    "shoe-start-nan": b'{"format": "backpain-export", "shoes": [{"id": 1, "name": "A", '
    b'"start_km": NaN, "limit_km": 800, "retired": false}], "entries": []}',
    "shoe-limit-infinite": b'{"format": "backpain-export", "shoes": [{"id": 1, "name": "A", '
    b'"start_km": 0, "limit_km": 1e400, "retired": false}], "entries": []}',
    "shoe-start-negative": export_file(shoes=[SHOE | {"start_km": -5}]),
    "shoe-limit-zero": export_file(shoes=[SHOE | {"limit_km": 0}]),
    "shoe-name-surrogate": export_file(shoes=[SHOE | {"name": "\ud800"}]),
    "entries-a-number": export_file(entries=5),
    "entries-a-dict": export_file(entries={"date": "2026-01-01"}),
    "entry-a-list": export_file(entries=[[]]),
    "entry-shoe-a-list": export_file(entries=[{"date": "2026-01-01", "pain": 2, "shoe": [1]}]),
    "entry-note-surrogate": export_file(
        entries=[{"date": "2026-01-01", "pain": 2, "notes": "\udfff"}]
    ),
    "entry-before-1970": export_file(entries=[{"date": "1969-12-31", "pain": 2}]),
    "entry-distance-rounds-to-zero": export_file(
        entries=[{"date": "2026-01-01", "pain": 2, "ran": True, "distance_km": 0.0004}]
    ),
    "same-uuid-two-days": export_file(
        entries=[
            {"date": "2026-01-01", "pain": 2, "uuid": "6a2f41a3-c54c-4c0b-9f4c-2d1fcd3e5a11"},
            {"date": "2026-01-02", "pain": 2, "uuid": "6a2f41a3-c54c-4c0b-9f4c-2d1fcd3e5a11"},
        ]
    ),
}


@pytest.mark.parametrize("content", BAD_IMPORTS.values(), ids=BAD_IMPORTS.keys())
def test_import_malformed_file_400_error_on_file_nothing_saved(signed_in, user, content):
    response = upload(signed_in, content)
    assert response.status_code == 400
    assert 'id="id_file_error"' in response.content.decode() or b"errorlist" in response.content
    assert not Entry.objects.exists() and not Shoe.objects.exists()


def test_import_file_over_size_cap_refused_with_the_limit(signed_in, user, settings):
    body = json.dumps(export_file()).encode()
    padded = body[:-1] + b', "pad": "' + b"x" * export.MAX_IMPORT_BYTES + b'"}'
    response = upload(signed_in, padded)
    assert response.status_code == 400
    assert b"5 MB" in response.content


def test_import_too_many_days_refused_with_the_limit(signed_in, user, monkeypatch):
    monkeypatch.setattr(export, "MAX_IMPORT_DAYS", 3)
    first = date(2026, 1, 1)
    entries = [{"date": str(first + timedelta(days=n)), "pain": 2} for n in range(4)]
    response = upload(signed_in, export_file(entries=entries))
    assert response.status_code == 400
    assert b"at most 3 days" in response.content
    assert not Entry.objects.exists()


def test_import_saves_in_short_transactions(transactional_db, client, user, monkeypatch):
    monkeypatch.setattr(export, "IMPORT_BATCH_DAYS", 2)
    batches = []

    def add_noting_the_transaction(*, user, days):
        batches.append((connection.in_atomic_block, len(days)))
        return add_days(user=user, days=days)

    monkeypatch.setattr(export, "add_days", add_noting_the_transaction)
    client.force_login(user)
    first = date(2026, 1, 1)
    entries = [{"date": str(first + timedelta(days=n)), "pain": 2} for n in range(5)]
    assert upload(client, export_file(shoes=[SHOE], entries=entries)).status_code == 302
    assert Entry.objects.filter(user=user).count() == 5
    # Each batch is a transaction of its own, none inside a transaction for the whole file.
    assert batches == [(False, 2), (False, 2), (False, 1)]


def test_import_same_day_twice_in_a_file_keeps_the_first(signed_in, user):
    entries = [{"date": "2026-01-01", "pain": 2}, {"date": "2026-01-01", "pain": 7}]
    assert upload(signed_in, export_file(entries=entries)).status_code == 302
    assert Entry.objects.get(user=user).pain == 2


def test_import_day_saved_meanwhile_by_another_device_kept(
    signed_in, user, make_entry, monkeypatch
):
    # On PostgreSQL another device can save a day between the batch's read and its insert.
    def insert_hits_that_day(queryset, objs, *args, **kwargs):
        raise IntegrityError("one_entry_per_user_per_day")

    make_entry(user, date=date(2026, 1, 1), pain=9)
    monkeypatch.setattr(QuerySet, "bulk_create", insert_hits_that_day)
    entries = [{"date": "2026-01-01", "pain": 2}, {"date": "2026-01-02", "pain": 3}]
    response = upload(signed_in, export_file(entries=entries))
    assert response.status_code == 302
    saved = dict(Entry.objects.filter(user=user).values_list("date", "pain"))
    assert saved == {date(2026, 1, 1): 9, date(2026, 1, 2): 3}


def test_import_twice_adds_no_shoes(signed_in, user):
    entries = [{"date": "2026-01-01", "pain": 2, "ran": True, "distance_km": 5, "shoe": 1}]
    for _ in range(2):
        assert upload(signed_in, export_file(shoes=[SHOE], entries=entries)).status_code == 302
    assert Shoe.objects.filter(user=user).count() == 1
    assert Entry.objects.get().shoe == Shoe.objects.get()


def test_import_entry_keeps_its_shoe(signed_in, user):
    entries = [{"date": "2026-01-01", "pain": 2, "ran": True, "distance_km": 5, "shoe": 1}]
    assert upload(signed_in, export_file(shoes=[SHOE], entries=entries)).status_code == 302
    assert Entry.objects.get().shoe == Shoe.objects.get(user=user, name="Trainers")


# Sessions


def session_writes(queries) -> list[str]:
    table = UserSession._meta.db_table
    return [
        q["sql"]
        for q in queries.captured_queries
        if table in q["sql"] and q["sql"].startswith(("UPDATE", "INSERT"))
    ]


def test_session_two_signed_in_gets_write_nothing(signed_in):
    signed_in.get("/log/")
    with CaptureQueriesContext(connection) as queries:
        assert signed_in.get("/log/").status_code == 200
        assert signed_in.get("/diary/").status_code == 200
    assert session_writes(queries) == []


def test_session_refreshed_once_a_day_slides_expiry(signed_in, user):
    session = UserSession.objects.get(user=user)
    session.expire_date = timezone.now() + timedelta(days=12)
    session.save()
    with CaptureQueriesContext(connection) as queries:
        signed_in.get("/log/")
    assert len(session_writes(queries)) == 1
    session.refresh_from_db()
    assert session.expire_date > timezone.now() + timedelta(days=13, hours=23)
    assert signed_in.cookies["sessionid"]["max-age"] == 14 * 24 * 3600


# CSV exports


@pytest.mark.parametrize(
    ("typed", "exported"),
    [
        ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("sore after 5-a-side", "sore after 5-a-side"),
    ],
)
def test_export_csv_formula_cells_neutralised(
    signed_in, user, make_entry, make_shoe, typed, exported
):
    make_shoe(user, name=typed)
    make_entry(user, notes=typed)
    for kind, column in (("entries.csv", "notes"), ("shoes.csv", "name")):
        body = signed_in.get(f"/settings/export/{kind}").content.decode()
        rows = list(csv.DictReader(io.StringIO(body, newline="")))
        assert rows[0][column] == exported


def test_shoe_infinite_limit_refused_by_the_database(user, make_shoe):
    shoe = make_shoe(user)
    with pytest.raises(IntegrityError), transaction.atomic():
        Shoe.objects.filter(pk=shoe.pk).update(limit_km=float("inf"))
