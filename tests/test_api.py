import json
import uuid

import pytest

from pages.models import Entry
from tests.conftest import entry_payload


def post(client, payload):
    return client.post("/api/entries/", json.dumps(payload), content_type="application/json")


def test_api_new_day_created_201(signed_in, user):
    response = post(signed_in, entry_payload(pain=4))
    assert response.status_code == 201
    assert response.json()["entry"]["version"] == 1
    assert Entry.objects.get(user=user).pain == 4


@pytest.mark.parametrize(
    ("change", "result", "version", "pain"),
    [
        pytest.param({}, "unchanged", 1, 4, id="exact replay changes nothing"),
        pytest.param({"pain": 6, "base_version": 1}, "updated", 2, 6, id="update on current"),
    ],
)
def test_api_second_write_of_a_day_200(signed_in, user, change, result, version, pain):
    payload = entry_payload(pain=4)
    post(signed_in, payload)
    response = post(signed_in, payload | change)
    assert response.status_code == 200
    assert response.json()["result"] == result
    assert response.json()["entry"]["version"] == version
    entry = Entry.objects.get(user=user)
    assert (entry.version, entry.pain) == (version, pain)


def test_api_replayed_update_after_it_landed_200(signed_in, user):
    payload = entry_payload(pain=4)
    post(signed_in, payload)
    update = payload | {"pain": 6, "base_version": 1}
    post(signed_in, update)
    response = post(signed_in, update)
    assert response.status_code == 200
    assert Entry.objects.get(user=user).version == 2


def test_api_stale_base_version_409_with_server_copy(signed_in, user):
    payload = entry_payload(pain=4)
    post(signed_in, payload)
    post(signed_in, payload | {"pain": 6, "base_version": 1})
    response = post(signed_in, payload | {"pain": 2, "base_version": 1})
    assert response.status_code == 409
    assert response.json()["entry"]["pain"] == 6
    assert response.json()["entry"]["version"] == 2
    assert Entry.objects.get(user=user).pain == 6


def test_api_second_device_creates_same_day_409(signed_in, user):
    post(signed_in, entry_payload(pain=4))
    response = post(signed_in, entry_payload(pain=5, uuid=str(uuid.uuid4())))
    assert response.status_code == 409
    assert response.json()["entry"]["pain"] == 4
    assert Entry.objects.filter(user=user).count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"pain": 11}, "pain"),
        ({"pain": None}, "pain"),
        ({"date": "2999-01-01"}, "date"),
        ({"ran": True, "distance_km": 301}, "distance_km"),
        ({"ran": True, "duration_min": 0}, "duration_min"),
        ({"ran": True, "surface": "ice"}, "surface"),
        ({"symptoms": ["unknown_code"]}, "symptoms"),
        ({"symptoms": "fever"}, "symptoms"),
        ({"alternatives": [{"kind": "skiing", "minutes": 20}]}, "alternatives"),
        ({"alternatives": [{"kind": "yoga", "minutes": 0}]}, "alternatives"),
        ({"alternatives": "yoga"}, "alternatives"),
        ({"notes": "x" * 2001}, "notes"),
        ({"uuid": "nope"}, "uuid"),
    ],
)
def test_api_invalid_field_400_with_errors_and_nothing_saved(signed_in, user, change, field):
    response = post(signed_in, entry_payload(**change))
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Entry.objects.filter(user=user).exists()


@pytest.mark.parametrize("body", ["not json", "[1, 2]", "\xff"])
def test_api_malformed_body_400(signed_in, body):
    response = signed_in.post("/api/entries/", body, content_type="application/json")
    assert response.status_code == 400
    assert "errors" in response.json()


def test_api_signed_out_refused(client, db):
    assert client.get("/api/entries/").status_code == 401
    assert post(client, entry_payload()).status_code in (401, 403)


def test_api_post_requires_csrf_token(client, user):
    client.handler.enforce_csrf_checks = True
    client.force_login(user)
    assert post(client, entry_payload()).status_code == 403


def test_api_since_lists_only_own_entries_from_that_date(signed_in, user, other_user, make_entry):
    make_entry(user, days_ago=10, pain=1)
    make_entry(user, days_ago=2, pain=5)
    make_entry(other_user, days_ago=1, pain=9)
    since = Entry.objects.get(user=user, pain=5).date.isoformat()
    response = signed_in.get(f"/api/entries/?since={since}")
    entries = response.json()["entries"]
    assert [entry["pain"] for entry in entries] == [5]
    assert entries[0]["version"] == 1


def test_api_since_bad_date_400(signed_in):
    assert signed_in.get("/api/entries/?since=yesterday").status_code == 400


def test_api_same_uuid_as_other_users_entry_does_not_touch_it(signed_in, other_user, make_entry):
    theirs = make_entry(other_user, pain=9)
    response = post(signed_in, entry_payload(uuid=str(theirs.uuid), pain=1, base_version=1))
    assert response.status_code == 201
    theirs.refresh_from_db()
    assert theirs.pain == 9


def test_api_other_users_shoe_is_a_field_error(signed_in, other_user, make_shoe):
    shoe = make_shoe(other_user)
    response = post(signed_in, entry_payload(ran=True, distance_km=5, shoe=shoe.pk))
    assert response.status_code == 400
    assert "shoe" in response.json()["errors"]


def test_api_full_entry_round_trips(signed_in, user, make_shoe):
    shoe = make_shoe(user)
    payload = entry_payload(
        pain=5,
        ran=True,
        distance_km=8.5,
        duration_min=50,
        surface="trail",
        shoe=shoe.pk,
        run_pain=3,
        warmup=True,
        cooldown=True,
        symptoms=["leg_pain"],
        alternatives=[{"kind": "yoga", "minutes": 20}],
        notes="Hilly.",
    )
    post(signed_in, payload)
    entry = signed_in.get("/api/entries/").json()["entries"][0]
    for key in (
        "pain",
        "distance_km",
        "duration_min",
        "surface",
        "shoe",
        "run_pain",
        "warmup",
        "cooldown",
        "symptoms",
        "alternatives",
        "notes",
        "uuid",
    ):
        assert entry[key] == payload[key], key


def test_api_uuid_reused_for_another_day_400(signed_in, user):
    payload = entry_payload(pain=4)
    post(signed_in, payload)
    response = post(signed_in, payload | {"date": "2026-01-01"})
    assert response.status_code == 400
    assert "uuid" in response.json()["errors"]
