import io
from datetime import UTC, datetime, timedelta

import pytest

from pages import activity_files
from pages.activity_files import count_files, fit_sport, gpx_sport, read_upload
from tests.activity_factory import (
    MORNING,
    gz,
    make_bulk_zip,
    make_fit_ride,
    make_fit_run,
    make_fit_settings,
    make_fit_treadmill_run,
    make_fit_walk,
    make_gpx,
    make_tcx,
    strava_export_members,
)

MB = 1024 * 1024
LATE_EVENING = datetime(2025, 3, 1, 23, 40, tzinfo=UTC)


def read(name: str, data: bytes) -> list[activity_files.FileResult]:
    return list(read_upload(name, io.BytesIO(data)))


def read_one(name: str, data: bytes) -> activity_files.FileResult:
    (result,) = read(name, data)
    return result


def only_activity(name: str, data: bytes) -> activity_files.Activity:
    result = read_one(name, data)
    assert result.error is None, result.error
    (activity,) = result.activities
    return activity


@pytest.mark.parametrize(
    ("name", "data", "sport", "surface", "distance_km", "duration_s"),
    [
        ("road.fit", make_fit_run(), "run", "road", 5.0, 1800),
        ("treadmill.fit", make_fit_treadmill_run(distance_km=8), "run", "treadmill", 8.0, 1800),
        ("ride.fit", make_fit_ride(), "cycling", None, 20.0, 3600),
        ("walk.fit", make_fit_walk(), "walking", None, 3.0, 2400),
        ("run.gpx", make_gpx(minutes=30, distance_km=5), "run", None, 5.0, 1800),
        ("trail.gpx", make_gpx(activity_type="TrailRun"), "run", "trail", 5.0, 1800),
        ("ride.gpx", make_gpx(activity_type="cycling"), "cycling", None, 5.0, 1800),
        ("run.tcx", make_tcx(laps=3, minutes=45, distance_km=9), "run", None, 9.0, 2700),
        ("ride.tcx", make_tcx(sport="Biking"), "cycling", None, 5.0, 1800),
        ("other.tcx", make_tcx(sport="Other"), "other", None, 5.0, 1800),
    ],
)
def test_read_upload_activity_file_gives_its_summary(
    name, data, sport, surface, distance_km, duration_s
):
    activity = only_activity(name, data)

    assert (activity.sport, activity.surface) == (sport, surface)
    assert activity.distance_km == pytest.approx(distance_km, rel=0.01)
    assert activity.duration_s == pytest.approx(duration_s, abs=1)
    assert activity.start == MORNING
    assert activity.start.tzinfo is not None


def test_read_upload_treadmill_run_without_gps_or_records_reads_its_session():
    activity = only_activity("treadmill.fit", make_fit_treadmill_run(minutes=42, rpe=6))

    assert (activity.sport, activity.surface) == ("run", "treadmill")
    assert activity.duration_s == 42 * 60
    assert activity.effort == 6


def test_read_upload_fit_without_effort_has_none():
    assert only_activity("run.fit", make_fit_run()).effort is None


@pytest.mark.parametrize(
    ("summaries", "duration_s"),
    [
        ({"session": False}, 600),  # laps only
        ({"session": False, "lap": False}, 600),  # records only: first to last record
    ],
)
def test_read_upload_fit_without_session_falls_back_to_laps_then_records(summaries, duration_s):
    activity = only_activity("old-watch.fit", make_fit_run(minutes=10, distance_km=2, **summaries))

    assert activity.sport == "run"
    assert activity.start == MORNING
    assert activity.distance_km == pytest.approx(2.0, rel=0.01)
    assert activity.duration_s == duration_s


def test_read_upload_tcx_without_lap_totals_reads_trackpoints():
    tcx = make_tcx(minutes=20, distance_km=4).decode()
    for tag in ("TotalTimeSeconds", "DistanceMeters"):
        start = tcx.index(f"<{tag}>")
        tcx = tcx[:start] + tcx[tcx.index(f"</{tag}>", start) + len(tag) + 3 :]

    activity = only_activity("laps-without-totals.tcx", tcx.encode())

    assert activity.duration_s == 1200
    assert activity.distance_km == pytest.approx(4.0, rel=0.01)


@pytest.mark.parametrize(
    "data",
    [
        make_fit_run(start=LATE_EVENING, minutes=45),
        make_gpx(start=LATE_EVENING, minutes=45),
        make_tcx(start=LATE_EVENING, minutes=45),
    ],
    ids=["fit", "gpx", "tcx"],
)
def test_read_upload_run_across_midnight_utc_starts_at_its_utc_moment(data):
    activity = only_activity("late.run", data)

    assert activity.start == LATE_EVENING
    assert activity.start.utcoffset() == timedelta(0)


def test_read_upload_same_run_in_fit_gz_and_zip_gives_same_key_and_digest():
    fit = make_fit_run()
    alone = read_one("run.fit", fit)
    gzipped = read_one("run.fit.gz", gz(fit))
    in_zip = read_one("export.zip", make_bulk_zip([("activities/1.fit.gz", gz(fit))]))

    assert {alone.digest, gzipped.digest, in_zip.digest} == {alone.digest}
    assert alone.activities == gzipped.activities == in_zip.activities
    assert in_zip.name == "export.zip › activities/1.fit.gz"


def test_read_upload_same_run_as_fit_and_gpx_gives_same_key():
    fit_key = only_activity("run.fit", make_fit_run()).key
    assert only_activity("run.gpx", make_gpx()).key == fit_key
    assert only_activity("run.fit", make_fit_run(start=MORNING + timedelta(seconds=1))).key != (
        fit_key
    )


def test_read_upload_strava_export_reads_activity_members_and_passes_over_the_rest():
    results = read("export_123.zip", make_bulk_zip(strava_export_members()))

    assert [result.name.rpartition(" › ")[2] for result in results] == [
        "activities/101.fit.gz",
        "activities/102.gpx.gz",
        "activities/103.tcx.gz",
        "activities/104.fit",
    ]
    assert all(result.error is None for result in results)
    assert [result.activities[0].sport for result in results] == [
        "run",
        "cycling",
        "other",
        "run",
    ]


def test_count_files_counts_a_zips_activity_members_from_its_directory():
    assert count_files("export.zip", io.BytesIO(make_bulk_zip(strava_export_members()))) == 4
    assert count_files("run.fit", io.BytesIO(make_fit_run())) == 1


def test_read_upload_stream_that_cannot_seek_is_read():
    class OneWay(io.RawIOBase):
        def __init__(self, data: bytes) -> None:
            self.inner = io.BytesIO(data)

        def readable(self) -> bool:
            return True

        def readinto(self, buffer) -> int:
            chunk = self.inner.read(len(buffer))
            buffer[: len(chunk)] = chunk
            return len(chunk)

    results = list(read_upload("export.zip", OneWay(make_bulk_zip(strava_export_members()))))

    assert len(results) == 4


@pytest.mark.parametrize(
    ("sport", "sub_sport", "expected"),
    [
        ("running", "street", ("run", "road")),
        ("running", "road", ("run", "road")),
        ("running", "trail", ("run", "trail")),
        ("running", "track", ("run", "track")),
        ("running", "treadmill", ("run", "treadmill")),
        ("running", "indoor_running", ("run", "treadmill")),
        ("running", "generic", ("run", None)),
        ("cycling", "indoor_cycling", ("cycling", None)),
        ("swimming", "lap_swimming", ("swimming", None)),
        ("walking", "generic", ("walking", None)),
        ("hiking", "generic", ("walking", None)),
        ("fitness_equipment", "elliptical", ("elliptical", None)),
        ("training", "yoga", ("yoga", None)),
        ("training", "strength_training", ("other", None)),
        ("generic", "generic", ("other", None)),
        (None, None, ("run", None)),
        (254, 77, ("other", None)),  # numbers fitdecode's profile does not name
    ],
)
def test_fit_sport_maps_sport_and_sub_sport(sport, sub_sport, expected):
    assert fit_sport(sport, sub_sport) == expected


@pytest.mark.parametrize(
    ("type_text", "expected"),
    [
        ("running", ("run", None)),
        ("Run", ("run", None)),
        ("9", ("run", None)),
        ("TrailRun", ("run", "trail")),
        ("trail_running", ("run", "trail")),
        ("treadmill_running", ("run", "treadmill")),
        ("VirtualRun", ("run", "treadmill")),
        ("street_running", ("run", "road")),
        ("Ride", ("cycling", None)),
        ("1", ("cycling", None)),
        ("Walk", ("walking", None)),
        ("Hike", ("walking", None)),
        ("Swim", ("swimming", None)),
        ("Yoga", ("yoga", None)),
        ("Elliptical", ("elliptical", None)),
        ("Kayaking", ("other", None)),
        (None, ("run", None)),
        ("  ", ("run", None)),
    ],
)
def test_gpx_sport_maps_type_words(type_text, expected):
    assert gpx_sport(type_text) == expected


# Bad input ------------------------------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<gpx version="1.1"><trk><name>&lol3;</name></trk></gpx>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE t [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<TrainingCenterDatabase><Activities><Activity Sport="Running"><Id>&secret;</Id>
</Activity></Activities></TrainingCenterDatabase>"""
FIT = make_fit_run()


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("run.fit", FIT[:14] + b"garbage" * 100, "damaged"),
        ("run.fit", FIT[: len(FIT) // 2], "damaged"),
        ("run.fit", FIT[:-40], "damaged"),
        ("run.fit", FIT[:10], "not a FIT, GPX or TCX"),
        ("settings.fit", make_fit_settings(), "watch settings file"),
        ("IMG.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(100), "not a FIT, GPX or TCX"),
        ("notes.txt", b"ran 5k, back ok", "not a FIT, GPX or TCX"),
        ("page.html", b"<html><body>hi</body></html>", "not a FIT, GPX or TCX"),
        ("empty.gpx", b"", "not a FIT, GPX or TCX"),
        ("broken.gpx", make_gpx()[:300], "damaged"),
        ("no-times.gpx", make_gpx(times=False), "has no times"),
        ("bomb.gpx", BILLION_LAUGHS, "DTD or entities"),
        ("xxe.tcx", EXTERNAL_ENTITY, "DTD or entities"),
        ("run.fit.gz", gz(FIT)[:-30], "damaged"),
        ("run.fit.gz", b"\x1f\x8b" + bytes(40), "damaged"),
        ("twice.fit.gz", gz(gz(FIT)), "gzipped twice"),
        ("export.zip", b"PK\x03\x04" + bytes(200), "damaged ZIP"),
        ("photos.zip", make_bulk_zip([("media/1.jpg", b"\xff\xd8")]), "no FIT, GPX or TCX files"),
        ("export.zip", make_bulk_zip(strava_export_members())[:3000], "damaged ZIP"),
        ("huge.gpx", b"<gpx>" + b" " * (20 * MB), "larger than 20 MB"),
        ("bomb.fit.gz", gz(bytes(21 * MB)), "larger than 20 MB"),
    ],
)
def test_read_upload_bad_file_gives_one_error_naming_it(name, data, words):
    result = read_one(name, data)

    assert result.activities == ()
    assert result.error.startswith(name)
    assert words in result.error


@pytest.mark.parametrize(
    ("name", "data"),
    [("IMG.jpg", FIT), ("run.fit.gz", FIT), ("activity", make_gpx()), ("run.fit", make_tcx())],
)
def test_read_upload_format_comes_from_content_not_name(name, data):
    assert only_activity(name, data).sport == "run"


def test_read_upload_bad_members_do_not_stop_the_others():
    members = [
        ("activities/1.fit.gz", gz(make_fit_run())),
        ("activities/2.fit", FIT[:500]),
        ("activities/3.gpx.gz", gz(BILLION_LAUGHS)),
        ("activities/4.fit.gz", gz(bytes(21 * MB))),  # a 20 KB member that unpacks to 21 MB
        ("activities/nested.zip", make_bulk_zip([("a.fit", FIT)])),
        ("activities/5.tcx", make_tcx()),
    ]

    results = read("export.zip", make_bulk_zip(members))

    assert [bool(result.activities) for result in results] == [
        True,
        False,
        False,
        False,
        False,
        True,
    ]
    assert "ZIP inside the ZIP" in results[4].error
    for (name, _data), result in zip(members[1:5], results[1:5], strict=True):
        assert result.error.startswith(f"export.zip › {name} ")


def test_read_upload_zip_past_its_total_size_stops_with_one_error(monkeypatch):
    days = [MORNING + timedelta(days=n) for n in range(6)]
    runs = [(f"activities/{day:%Y%m%d}.fit", make_fit_treadmill_run(start=day)) for day in days]
    monkeypatch.setattr(activity_files, "MAX_ZIP_TOTAL_BYTES", 2 * len(runs[0][1]) + 1)

    results = read("export.zip", make_bulk_zip(runs))

    assert 1 < len(results) < 6
    assert all(result.error is None for result in results[:-1])
    assert results[-1].error.startswith("export.zip holds more than")


def test_read_upload_zip_with_too_many_entries_is_refused_before_reading(monkeypatch):
    monkeypatch.setattr(activity_files, "MAX_ZIP_MEMBERS", 3)
    members = [(f"activities/{n}.fit", FIT) for n in range(4)]

    (result,) = read("export.zip", make_bulk_zip(members))

    assert result.error == (
        "export.zip holds 4 files, more than the 3 one upload can; split it into smaller ZIPs."
    )


def test_read_upload_password_protected_member_is_named():
    data = bytearray(make_bulk_zip([("activities/1.fit", FIT)]))
    for signature, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.index(signature)
        data[at + flag_at] |= 0x1

    (result,) = read("export.zip", bytes(data))

    assert result.error == "export.zip › activities/1.fit is protected by a password."


@pytest.mark.parametrize(
    "data",
    [FIT, make_gpx(), make_tcx(), gz(FIT), make_bulk_zip(list(strava_export_members())[:3])],
    ids=["fit", "gpx", "tcx", "gz", "zip"],
)
def test_read_upload_any_cut_never_raises(data):
    for cut in range(1, len(data), max(1, len(data) // 97)):
        for result in read("cut", data[:cut]):
            assert result.error or result.activities


def test_read_upload_zip_of_bombs_stops_at_the_total(monkeypatch):
    monkeypatch.setattr(activity_files, "MAX_FILE_BYTES", 50_000)
    monkeypatch.setattr(activity_files, "MAX_ZIP_TOTAL_BYTES", 120_000)
    bombs = [(f"activities/{n}.fit.gz", gz(bytes(60_000))) for n in range(10)]

    results = read("bombs.zip", make_bulk_zip(bombs))

    assert len(results) == 4
    assert all("larger than" in result.error for result in results[:3])
    assert results[-1].error.startswith("bombs.zip holds more than")


def test_read_upload_skip_passes_over_results_read_in_an_earlier_step():
    from tests.activity_factory import make_bulk_zip

    members = [(f"a/{n}.fit", make_fit_run(start=MORNING + timedelta(days=n))) for n in range(3)]
    archive = make_bulk_zip(members)
    whole = [r.activities[0].key for r in read_upload("x.zip", io.BytesIO(archive))]
    rest = [r.activities[0].key for r in read_upload("x.zip", io.BytesIO(archive), skip=2)]
    assert rest == whole[2:]
    assert list(read_upload("run.fit", io.BytesIO(make_fit_run()), skip=1)) == []
