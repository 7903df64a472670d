import csv
import io
import json

from django.core.files.uploadedfile import SimpleUploadedFile

from pages.models import Entry, Shoe, User, UserSession
from tests.conftest import PASSWORD


def fill_diary(user, make_entry, make_shoe):
    shoe = make_shoe(user, start_km=50, limit_km=700)
    make_shoe(user, name="Old pair", retired=True)
    make_entry(
        user, days_ago=1, pain=5, ran=True, distance_km=8.2, duration_min=47, surface="trail",
        shoe=shoe, run_pain=4, warmup=True, cooldown=True, symptoms=["leg_pain"],
        alternatives=[{"kind": "yoga", "minutes": 20}], notes="Windy, with a comma",
    )  # fmt: skip
    make_entry(user, days_ago=0, pain=2)


def test_export_json_has_every_entry_and_shoe_field(signed_in, user, make_entry, make_shoe):
    fill_diary(user, make_entry, make_shoe)
    data = json.loads(signed_in.get("/settings/export/json").content)
    assert len(data["entries"]) == 2 and len(data["shoes"]) == 2
    entry = data["entries"][0]
    expected = {
        "uuid", "date", "version", "pain", "ran", "distance_km", "duration_min", "surface",
        "shoe", "run_pain", "warmup", "cooldown", "symptoms", "alternatives", "notes",
    }  # fmt: skip
    assert expected <= entry.keys()
    assert set(data["shoes"][0]) == {"id", "name", "start_km", "limit_km", "retired"}


def test_export_excludes_other_users(signed_in, user, other_user, make_entry, make_shoe):
    make_entry(other_user, notes="not yours")
    make_shoe(other_user, name="Their shoes")
    for kind in ("json", "entries.csv", "shoes.csv"):
        body = signed_in.get(f"/settings/export/{kind}").content
        assert b"not yours" not in body and b"Their shoes" not in body


def test_export_json_round_trips_into_a_new_account(client, user, make_user, make_entry, make_shoe):
    fill_diary(user, make_entry, make_shoe)
    client.force_login(user)
    exported = client.get("/settings/export/json").content
    newcomer = make_user("newcomer@example.com")
    client.force_login(newcomer)
    response = client.post(
        "/settings/import/", {"file": SimpleUploadedFile("export.json", exported)}
    )
    assert response.status_code == 302
    again = json.loads(client.get("/settings/export/json").content)
    original = json.loads(exported)
    strip = ("shoe", "version", "updated")
    assert [{k: v for k, v in e.items() if k not in strip} for e in again["entries"]] == [
        {k: v for k, v in e.items() if k not in strip} for e in original["entries"]
    ]
    assert [s["name"] for s in again["shoes"]] == [s["name"] for s in original["shoes"]]
    imported = Entry.objects.get(user=newcomer, pain=5)
    assert imported.shoe.name == "Daily trainers"
    assert imported.shoe.user == newcomer
    assert imported.shoe.logged_km == 8.2  # days added in bulk count for their pair


def test_import_twice_adds_nothing_new(signed_in, user, make_entry, make_shoe):
    fill_diary(user, make_entry, make_shoe)
    exported = signed_in.get("/settings/export/json").content
    signed_in.post("/settings/import/", {"file": SimpleUploadedFile("e.json", exported)})
    assert Entry.objects.filter(user=user).count() == 2


def test_import_invalid_entry_rolls_back_everything(signed_in, user):
    data = {
        "format": "backpain-export",
        "shoes": [{"id": 1, "name": "A", "start_km": 0, "limit_km": 800, "retired": False}],
        "entries": [{"date": "2026-01-01", "pain": 3}, {"date": "2026-01-02", "pain": 42}],
    }
    response = signed_in.post(
        "/settings/import/", {"file": SimpleUploadedFile("e.json", json.dumps(data).encode())}
    )
    assert response.status_code == 400
    assert b"2026-01-02" in response.content
    assert not Entry.objects.exists() and not Shoe.objects.exists()


def test_import_not_an_export_error_next_to_field(signed_in):
    response = signed_in.post("/settings/import/", {"file": SimpleUploadedFile("x.json", b"[]")})
    assert response.status_code == 400
    assert b"not a backpain export" in response.content


def test_export_csv_readable_by_spreadsheet(signed_in, user, make_entry, make_shoe):
    fill_diary(user, make_entry, make_shoe)
    rows = list(
        csv.DictReader(io.StringIO(signed_in.get("/settings/export/entries.csv").content.decode()))
    )
    assert len(rows) == 2
    assert rows[0]["notes"] == "Windy, with a comma"
    assert rows[0]["yoga_min"] == "20"
    assert rows[0]["shoe"] == "Daily trainers"
    shoes = list(
        csv.DictReader(io.StringIO(signed_in.get("/settings/export/shoes.csv").content.decode()))
    )
    assert {row["name"] for row in shoes} == {"Daily trainers", "Old pair"}


def test_delete_account_wrong_password_keeps_everything(signed_in, user, make_entry):
    make_entry(user)
    response = signed_in.post("/settings/delete/", {"password": "not it at all"})
    assert response.status_code == 400
    assert b"That password is not right." in response.content
    assert User.objects.filter(pk=user.pk).exists()


def test_delete_account_removes_every_row_and_session(client, user, make_entry, make_shoe):
    from django.test import Client

    fill_diary(user, make_entry, make_shoe)
    other_device = Client()
    other_device.force_login(user)
    client.force_login(user)
    client.post("/accounts/login/", {"username": user.email, "password": "wrong-pass-1"})
    assert UserSession.objects.filter(user=user).count() == 2
    response = client.post("/settings/delete/", {"password": PASSWORD})
    assert response.status_code == 200
    assert "storage" in response.headers["Clear-Site-Data"]
    assert not User.objects.filter(pk=user.pk).exists()
    assert not Entry.objects.exists() and not Shoe.objects.exists()
    assert not UserSession.objects.filter(user_id=user.pk).exists()
    assert other_device.get("/log/").status_code == 302
    from axes.models import AccessAttempt

    assert not AccessAttempt.objects.filter(username=user.email).exists()


def test_export_unknown_kind_404(signed_in):
    assert signed_in.get("/settings/export/passwords.csv").status_code == 404
