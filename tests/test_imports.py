"""Bringing runs in: files through /import/ and /api/imports/ onto the runner's days."""

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from pages import imports
from pages.models import Activity, Entry, ImportJob
from tests.activity_factory import (
    gz,
    make_bulk_zip,
    make_fit_ride,
    make_fit_run,
    make_fit_settings,
    make_fit_treadmill_run,
    make_fit_walk,
    make_gpx,
)
from tests.conftest import PASSWORD

MORNING = datetime(2025, 3, 1, 7, 0, tzinfo=UTC)
DAY = date(2025, 3, 1)


@pytest.fixture(autouse=True)
def import_dir(settings, tmp_path):
    settings.IMPORT_DIR = tmp_path / "imports"


def upload(client, *files, url="api_imports", **extra):
    uploads = [SimpleUploadedFile(name, data) for name, data in files]
    return client.post(reverse(url), {"file": uploads, **extra})


def test_api_import_road_run_becomes_an_unrated_run_day(signed_in, user):
    response = upload(signed_in, ("run.fit", make_fit_run()))
    assert response.status_code == 201
    assert response.json()["added"][0] | {"file": None} == {
        "date": "2025-03-01", "kind": "run", "file": None, "distance_km": 5.0, "minutes": 30,
        "to_choose": False,
    }  # fmt: skip
    entry = Entry.objects.get(user=user, date=DAY)
    assert (entry.pain, entry.ran, entry.distance_km, entry.duration_min, entry.surface) == (
        None, True, 5.0, 30, "road",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("treadmill.fit", make_fit_treadmill_run(), {"ran": True, "surface": "treadmill"}),
        ("ride.fit", make_fit_ride(), {"alternatives": [{"kind": "cycling", "minutes": 60}]}),
        ("walk.fit", make_fit_walk(), {"alternatives": [{"kind": "walking", "minutes": 40}]}),
        ("run.gpx", make_gpx(), {"ran": True}),
    ],
)  # fmt: skip
def test_api_import_each_kind_lands_on_its_day(signed_in, user, name, data, expected):
    assert upload(signed_in, (name, data)).status_code == 201
    entry = Entry.objects.get(user=user, date=DAY)
    assert entry.pain is None
    assert {field: getattr(entry, field) for field in expected} == expected


@pytest.mark.parametrize(
    ("zone", "day"), [("Asia/Tokyo", date(2025, 3, 2)), ("Europe/London", date(2025, 3, 1))]
)
def test_api_import_run_across_midnight_utc_goes_on_the_runners_local_day(
    signed_in, user, zone, day
):
    signed_in.cookies["tz"] = zone
    late = datetime(2025, 3, 1, 21, 30, tzinfo=UTC)
    assert upload(signed_in, ("late.fit", make_fit_run(start=late))).status_code == 201
    assert list(Entry.objects.filter(user=user).values_list("date", flat=True)) == [day]


def test_api_import_same_file_twice_adds_nothing_the_second_time(signed_in, user):
    upload(signed_in, ("run.fit", make_fit_run()))
    entry = Entry.objects.get(user=user)
    again = upload(signed_in, ("run.fit", make_fit_run()))
    assert again.status_code == 201
    assert again.json()["added"] == []
    assert again.json()["skipped"][0]["reason"] == "already in your diary"
    assert Entry.objects.get(user=user).version == entry.version
    assert Activity.objects.filter(user=user).count() == 1


def test_api_import_same_run_inside_a_bulk_zip_is_not_added_again(signed_in, user):
    upload(signed_in, ("run.fit", make_fit_run()))
    bulk = make_bulk_zip([("activities/1.fit.gz", gz(make_fit_run()))])
    assert upload(signed_in, ("export.zip", bulk)).json()["added"] == []
    assert Entry.objects.get(user=user).distance_km == 5.0


def test_api_import_bulk_zip_adds_each_activity_and_skips_the_rest(signed_in, user):
    bulk = make_bulk_zip(
        [
            ("activities/1.fit.gz", gz(make_fit_run())),
            ("activities/2.fit", make_fit_ride(start=MORNING + timedelta(days=1))),
            ("activities/3.fit", b"garbage that is no FIT file"),
            ("media/photo.jpg", b"\xff\xd8 not an activity"),
        ]
    )
    body = upload(signed_in, ("export.zip", bulk)).json()
    assert [(item["date"], item["kind"]) for item in body["added"]] == [
        ("2025-03-01", "run"), ("2025-03-02", "cycling"),
    ]  # fmt: skip
    assert len(body["skipped"]) == 1
    assert "export.zip › activities/3.fit" in body["skipped"][0]["reason"]
    assert Entry.objects.filter(user=user).count() == 2


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("broken.fit", make_fit_run()[:40]),
        ("settings.fit", make_fit_settings()),
        ("notes.txt", b"just some words"),
        ("photo.jpg", b"\xff\xd8\xff\xe0 a photo"),
        ("untimed.gpx", make_gpx(times=False)),
        (
            "bomb.gpx",
            b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 '
            b'"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><gpx>&lol2;</gpx>',
        ),
    ],
)
def test_api_import_bad_file_answers_400_naming_it_and_saves_nothing(signed_in, user, name, data):
    response = upload(signed_in, (name, data))
    assert response.status_code == 400
    (message,) = response.json()["errors"]["file"]
    assert name in message
    assert not Entry.objects.filter(user=user).exists()
    assert not Activity.objects.exists()


def test_api_import_file_over_the_limit_answers_400(signed_in, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1000
    response = upload(signed_in, ("big.fit", make_fit_run()))
    assert response.status_code == 400
    assert "big.fit is larger than" in response.json()["errors"]["file"][0]


def test_api_import_without_a_file_answers_400(signed_in):
    response = signed_in.post(reverse("api_imports"), {})
    assert response.status_code == 400
    assert response.json()["errors"]["file"] == ["Choose at least one file."]


def test_api_import_signed_out_answers_401(client):
    assert upload(client, ("run.fit", make_fit_run())).status_code == 401


def test_import_never_overwrites_a_typed_run_and_waits_for_a_choice(signed_in, user, make_entry):
    typed = make_entry(user, date=DAY, pain=3, ran=True, distance_km=8, duration_min=50)
    item = upload(signed_in, ("run.fit", make_fit_run())).json()["added"][0]
    assert item["to_choose"] is True
    typed.refresh_from_db()
    assert (typed.pain, typed.distance_km, typed.version) == (3, 8, 1)
    page = signed_in.get(reverse("diary_day", args=[DAY]))
    assert "Your watch recorded a run this day" in page.content.decode()


@pytest.mark.parametrize(
    ("choice", "km", "minutes", "runs"),
    [("file", 5.0, 30, None), ("both", 13.0, 80, 2), ("mine", 8.0, 50, None)],
)
def test_choose_run_applies_the_runners_choice(
    signed_in, user, make_entry, choice, km, minutes, runs
):
    make_entry(user, date=DAY, pain=3, ran=True, distance_km=8, duration_min=50)
    upload(signed_in, ("run.fit", make_fit_run()))
    run = Activity.objects.get(user=user)
    response = signed_in.post(reverse("choose_run", args=[DAY, run.pk]), {"choice": choice})
    assert response.status_code == 302
    entry = Entry.objects.get(user=user, date=DAY)
    assert (entry.pain, entry.distance_km, entry.duration_min) == (3, km, minutes)
    listed = signed_in.get(reverse("api_entries")).json()["entries"][0]
    assert len(listed.get("runs", [])) == (runs or 0)
    page = signed_in.get(reverse("diary_day", args=[DAY])).content.decode()
    assert "Your watch recorded a run this day" not in page


def test_choose_run_of_another_user_answers_404(signed_in, user, other_user, make_entry, client):
    make_entry(other_user, date=DAY, pain=3, ran=True, distance_km=8)
    client.force_login(other_user)
    upload(client, ("run.fit", make_fit_run()))
    run = Activity.objects.get(user=other_user)
    signed_in.force_login(user)
    response = signed_in.post(reverse("choose_run", args=[DAY, run.pk]), {"choice": "file"})
    assert response.status_code == 404
    assert Activity.objects.get(pk=run.pk).status == "to_choose"


def test_second_imported_run_adds_up_and_the_api_lists_both(signed_in, user):
    upload(signed_in, ("am.fit", make_fit_run()))
    upload(signed_in, ("pm.fit", make_fit_run(start=MORNING + timedelta(hours=9), distance_km=3)))
    entry = Entry.objects.get(user=user)
    assert (entry.distance_km, entry.duration_min) == (8.0, 60)
    listed = signed_in.get(reverse("api_entries")).json()["entries"][0]
    assert listed["pain"] is None
    assert [run["distance_km"] for run in listed["runs"]] == [5.0, 3.0]


def test_import_keeps_typed_minutes_of_the_same_activity(signed_in, user, make_entry):
    make_entry(user, date=DAY, pain=2, alternatives=[{"kind": "cycling", "minutes": 30}])
    body = upload(signed_in, ("ride.fit", make_fit_ride())).json()
    assert body["skipped"][0]["reason"] == "you logged cycling that day already"
    assert Entry.objects.get(user=user).alternatives == [{"kind": "cycling", "minutes": 30}]


def test_import_puts_runs_on_the_default_pair_when_asked(signed_in, user, make_shoe):
    shoe = make_shoe(user)
    user.default_shoe = shoe
    user.save()
    upload(signed_in, ("run.fit", make_fit_run()), url="import_runs", on_default_shoe="on")
    assert Entry.objects.get(user=user).shoe == shoe
    shoe.refresh_from_db()
    assert shoe.logged_km == 5.0
    upload(
        signed_in, ("r2.fit", make_fit_run(start=MORNING + timedelta(days=1))), url="import_runs"
    )
    assert Entry.objects.get(user=user, date=DAY + timedelta(days=1)).shoe is None


def test_unrated_day_counts_for_distance_never_for_pain(signed_in, user, make_entry):
    today = date.today()
    for back in range(1, 6):
        make_entry(user, days_ago=back, pain=2)
    start = datetime.combine(today, datetime.min.time(), UTC) + timedelta(hours=10)
    upload(signed_in, ("run.fit", make_fit_run(start=start)))
    home = signed_in.get(reverse("home")).content.decode()
    assert "How was your back today?" in home
    assert "has no pain score yet" in home
    trends = signed_in.get(reverse("trends") + "?weeks=4").context["trend"]
    assert trends.logged_days == 5
    assert trends.total_km == 5.0


def test_rating_an_imported_day_keeps_its_run(signed_in, user):
    upload(signed_in, ("run.fit", make_fit_run()))
    entry = Entry.objects.get(user=user)
    page = signed_in.get(reverse("diary_day", args=[DAY]))
    form = page.context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None} | {"pain": 4}
    data["base_version"] = entry.version
    response = signed_in.post(reverse("diary_day", args=[DAY]), data)
    assert response.status_code in (200, 302)
    entry.refresh_from_db()
    assert (entry.pain, entry.ran, entry.distance_km) == (4, True, 5.0)


def test_import_page_reads_a_long_upload_in_steps(signed_in, user, monkeypatch):
    monkeypatch.setattr(imports, "STEP_SECONDS", 0)
    bulk = make_bulk_zip(
        [(f"activities/{n}.fit", make_fit_run(start=MORNING + timedelta(days=n))) for n in range(3)]
    )
    response = upload(signed_in, ("export.zip", bulk), url="import_runs")
    assert response.status_code == 302
    job = ImportJob.objects.get(user=user)
    assert (job.done, job.total, job.finished) == (1, 3, None)
    page = signed_in.get(reverse("import_runs")).content.decode()
    assert "Reading: 1 of 3 files." in page
    partial = signed_in.post(reverse("import_continue"), headers={"HX-Request": "true"})
    assert "Reading: 2 of 3 files." in partial.content.decode()
    assert "<html" not in partial.content.decode()
    signed_in.post(reverse("import_continue"))
    job.refresh_from_db()
    assert job.finished is not None and len(job.added) == 3
    assert Entry.objects.filter(user=user).count() == 3
    page = signed_in.get(reverse("import_runs")).content.decode()
    assert "3 added." in page
    assert reverse("diary_day", args=[DAY]) in page


def test_import_step_leaves_a_job_another_request_is_reading(signed_in, user):
    job = imports.start(
        user=user, upload=SimpleUploadedFile("run.fit", make_fit_run()), time_zone="UTC"
    )
    ImportJob.objects.filter(pk=job.pk).update(busy_until=datetime(2999, 1, 1, tzinfo=UTC))
    assert imports.step(job).done == 0
    assert not Entry.objects.exists()


def test_import_page_shows_the_form_with_no_accept_filter(signed_in):
    page = signed_in.get(reverse("import_runs")).content.decode()
    assert 'type="file" name="file"' in page
    assert "accept=" not in page


def test_import_page_with_a_bad_file_says_so_next_to_the_field(signed_in, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 10
    response = upload(signed_in, ("run.fit", make_fit_run()), url="import_runs")
    assert response.status_code == 400
    assert "run.fit is larger than" in response.content.decode()


def test_share_target_in_the_manifest_posts_files_to_the_import(client):
    manifest = client.get("/manifest.webmanifest").json()
    target = manifest["share_target"]
    assert target["action"] == reverse("import_share")
    assert (target["method"], target["enctype"]) == ("POST", "multipart/form-data")
    assert target["params"]["files"][0]["name"] == "file"


def test_share_target_reached_without_the_service_worker_sends_to_the_import_page(user):
    signed_in = Client(enforce_csrf_checks=True)  # the share sheet sends no CSRF token
    signed_in.force_login(user)
    response = upload(signed_in, ("run.fit", make_fit_run()), url="import_share")
    assert response.status_code == 302
    assert response.url == reverse("import_runs")
    assert not Entry.objects.exists()


def test_json_export_round_trip_keeps_an_unrated_day_unrated(signed_in, user, other_user):
    upload(signed_in, ("run.fit", make_fit_run()))
    exported = signed_in.get(reverse("export", args=["json"]))
    signed_in.force_login(other_user)
    file = SimpleUploadedFile("backpain.json", exported.content)
    signed_in.post(reverse("import"), {"file": file})
    copied = Entry.objects.get(user=other_user)
    assert (copied.pain, copied.ran, copied.distance_km) == (None, True, 5.0)


def test_import_whose_upload_was_lost_finishes_saying_so(signed_in, user):
    job = imports.start(
        user=user, upload=SimpleUploadedFile("run.fit", make_fit_run()), time_zone="UTC"
    )
    Path(job.path).unlink()
    job = imports.step(job)
    assert job.finished is not None
    assert "run.fit was lost before all of it was read" in job.skipped[0]["reason"]


def test_delete_account_removes_an_unread_upload_and_the_imported_days(signed_in, user):
    job = imports.start(
        user=user, upload=SimpleUploadedFile("run.fit", make_fit_run()), time_zone="UTC"
    )
    earlier = make_fit_run(start=MORNING - timedelta(days=1))
    imports.run_all(user=user, upload=SimpleUploadedFile("b.fit", earlier), time_zone="UTC")
    response = signed_in.post(reverse("delete_account"), {"password": PASSWORD})
    assert response.status_code == 200
    assert not Path(job.path).exists()
    assert not Activity.objects.exists() and not ImportJob.objects.exists()
    assert not Entry.objects.exists()


def test_import_left_unread_for_a_week_is_dropped_with_its_file(signed_in, user):
    job = imports.start(
        user=user, upload=SimpleUploadedFile("run.fit", make_fit_run()), time_zone="UTC"
    )
    ImportJob.objects.filter(pk=job.pk).update(created=datetime(2020, 1, 1, tzinfo=UTC))
    imports.start(user=user, upload=SimpleUploadedFile("b.fit", b"x"), time_zone="UTC")
    job.refresh_from_db()
    assert job.finished is not None and not Path(job.path).exists()
    assert "was lost before all of it was read" in job.skipped[0]["reason"]


def test_day_card_shows_the_effort_the_watch_file_gave(signed_in, user):
    upload(signed_in, ("run.fit", make_fit_run(rpe=7)))
    page = signed_in.get(reverse("diary_day", args=[DAY])).content.decode()
    assert "effort 7 out of 10 (from your watch)" in page


def test_rating_an_imported_day_that_changed_meanwhile_shows_both_without_none(signed_in, user):
    """A phone rated the day while a second file's run was added: the server's copy has no
    pain yet, and the conflict says so in words."""
    upload(signed_in, ("am.fit", make_fit_run()))
    entry = Entry.objects.get(user=user)
    upload(signed_in, ("pm.fit", make_fit_run(start=MORNING + timedelta(hours=9))))
    data = {"pain": "4", "uuid": str(entry.uuid), "base_version": str(entry.version)}
    response = signed_in.post(reverse("diary_day", args=[DAY]), data)
    assert response.status_code == 409
    page = response.content.decode()
    assert "says no pain yet, ran 10" in page and "None" not in page
    assert Entry.objects.get(user=user).pain is None


def test_api_import_longer_than_its_time_answers_with_what_is_left(signed_in, user, monkeypatch):
    monkeypatch.setattr(imports, "API_SECONDS", 0)
    bulk = make_bulk_zip(
        [(f"activities/{n}.fit", make_fit_run(start=MORNING + timedelta(days=n))) for n in range(3)]
    )
    body = upload(signed_in, ("export.zip", bulk)).json()
    assert len(body["added"]) == 1
    assert body["unfinished"] == [{"file": "export.zip", "read": 1, "of": 3}]
    signed_in.post(reverse("import_continue"))
    signed_in.post(reverse("import_continue"))
    assert Entry.objects.filter(user=user).count() == 3
