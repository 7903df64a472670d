"""Activity files the tests and benches make themselves: FIT (fit-tool), GPX (gpxpy), TCX
(text), gzipped members and bulk export ZIPs shaped like Strava's."""

from __future__ import annotations

import functools
import gzip
import io
import math
import zipfile
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import BinaryIO

import gpxpy.gpx
from fit_tool.fit_file_builder import FitFileBuilder
from fit_tool.profile.messages.activity_message import ActivityMessage
from fit_tool.profile.messages.device_settings_message import DeviceSettingsMessage
from fit_tool.profile.messages.event_message import EventMessage
from fit_tool.profile.messages.file_id_message import FileIdMessage
from fit_tool.profile.messages.lap_message import LapMessage
from fit_tool.profile.messages.record_message import RecordMessage
from fit_tool.profile.messages.session_message import SessionMessage
from fit_tool.profile.profile_type import (
    Event,
    EventType,
    FileType,
    Manufacturer,
    Sport,
    SubSport,
)

MORNING = datetime(2025, 3, 1, 7, 0, tzinfo=UTC)
# Near Bristol: where the made-up tracks start, heading north.
START_LAT, START_LON = 51.4545, -2.5879
METRES_PER_DEGREE_LAT = 111_320


def _ms(moment: datetime) -> int:
    return round(moment.timestamp() * 1000)


def _file_id(builder: FitFileBuilder, file_type: FileType, created: datetime) -> None:
    message = FileIdMessage()
    message.type = file_type
    message.manufacturer = Manufacturer.GARMIN.value
    message.product = 0
    message.time_created = _ms(created)
    message.serial_number = 0x12345678
    builder.add(message)


def _timer_event(moment: datetime, event_type: EventType) -> EventMessage:
    message = EventMessage()
    message.event = Event.TIMER
    message.event_type = event_type
    message.timestamp = _ms(moment)
    return message


def make_fit(
    *,
    sport: Sport = Sport.RUNNING,
    sub_sport: SubSport = SubSport.STREET,
    start: datetime = MORNING,
    minutes: float = 30,
    distance_km: float = 5.0,
    rpe: int | None = None,
    session: bool = True,
    lap: bool = True,
    records: bool = True,
    gps: bool = True,
    record_every_s: int = 1,
) -> bytes:
    """An activity FIT file as a watch writes it: file_id, timer events, records (one every
    `record_every_s`), a lap, a session and the activity message. `rpe` is the perceived effort
    1-10, written as the session's workout_rpe (ten times it)."""
    builder = FitFileBuilder(auto_define=True, min_string_size=50)
    _file_id(builder, FileType.ACTIVITY, start)
    end = start + timedelta(minutes=minutes)
    builder.add(_timer_event(start, EventType.START))
    if records:
        builder.add_all(_records(start, minutes, distance_km, gps, record_every_s))
    builder.add(_timer_event(end, EventType.STOP_ALL))
    summaries = ([LapMessage()] if lap else []) + ([SessionMessage()] if session else [])
    for summary in summaries:
        summary.timestamp = _ms(end)
        summary.start_time = _ms(start)
        summary.total_elapsed_time = minutes * 60
        summary.total_timer_time = minutes * 60
        summary.total_distance = distance_km * 1000
        summary.sport = sport
        summary.sub_sport = sub_sport
    if session and rpe is not None:
        summaries[-1].workout_rpe = rpe * 10
    builder.add_all(summaries)
    if session:
        activity = ActivityMessage()
        activity.timestamp = _ms(end)
        activity.num_sessions = 1
        activity.total_timer_time = minutes * 60
        builder.add(activity)
    return builder.build().to_bytes()


def _records(start, minutes, distance_km, gps, every_s) -> list[RecordMessage]:
    seconds = round(minutes * 60)
    speed = distance_km * 1000 / seconds if seconds else 0.0
    records = []
    for second in range(0, seconds + 1, every_s):
        record = RecordMessage()
        record.timestamp = _ms(start + timedelta(seconds=second))
        record.distance = speed * second
        record.speed = speed
        record.heart_rate = 140 + round(10 * math.sin(second / 60))
        record.cadence = 85
        if gps:
            record.position_lat = START_LAT + speed * second / METRES_PER_DEGREE_LAT
            record.position_long = START_LON
            record.altitude = 20.0
        records.append(record)
    return records


RUN = {"sport": Sport.RUNNING, "sub_sport": SubSport.STREET}
# As indoor watches write it: no GPS, no records, only a session.
TREADMILL_RUN = {
    "sport": Sport.RUNNING,
    "sub_sport": SubSport.TREADMILL,
    "records": False,
    "lap": False,
    "gps": False,
}
RIDE = {"sport": Sport.CYCLING, "sub_sport": SubSport.ROAD, "minutes": 60, "distance_km": 20.0}
WALK = {"sport": Sport.WALKING, "sub_sport": SubSport.GENERIC, "minutes": 40, "distance_km": 3.0}


def make_fit_run(**overrides) -> bytes:
    """A road run with GPS: 5 km in 30 minutes at 07:00 UTC on 1 March 2025 unless told."""
    return make_fit(**{**RUN, **overrides})


def make_fit_treadmill_run(**overrides) -> bytes:
    """A treadmill run with no GPS and only a session: 5 km in 30 minutes unless told."""
    return make_fit(**{**TREADMILL_RUN, **overrides})


def make_fit_ride(**overrides) -> bytes:
    """A road ride: 20 km in an hour unless told."""
    return make_fit(**{**RIDE, **overrides})


def make_fit_walk(**overrides) -> bytes:
    """A walk: 3 km in 40 minutes unless told."""
    return make_fit(**{**WALK, **overrides})


def make_fit_settings() -> bytes:
    """A watch settings file: a valid FIT file with no activity in it."""
    builder = FitFileBuilder(auto_define=True, min_string_size=50)
    _file_id(builder, FileType.SETTINGS, MORNING)
    settings = DeviceSettingsMessage()
    settings.utc_offset = 0
    builder.add(settings)
    return builder.build().to_bytes()


def make_gpx(
    *,
    start: datetime = MORNING,
    minutes: float = 30,
    distance_km: float = 5.0,
    activity_type: str | None = "running",
    times: bool = True,
    every_s: int = 5,
) -> bytes:
    """A GPX track as Strava exports it (`<type>running</type>`), one point every `every_s`,
    heading north at an even pace; `times=False` leaves every point without a time."""
    gpx = gpxpy.gpx.GPX()
    track = gpxpy.gpx.GPXTrack(name="Morning Run")
    track.type = activity_type
    segment = gpxpy.gpx.GPXTrackSegment()
    seconds = round(minutes * 60)
    metres_per_second = distance_km * 1000 / seconds
    for second in range(0, seconds + 1, every_s):
        segment.points.append(
            gpxpy.gpx.GPXTrackPoint(
                latitude=START_LAT + metres_per_second * second / METRES_PER_DEGREE_LAT,
                longitude=START_LON,
                elevation=20.0,
                time=start + timedelta(seconds=second) if times else None,
            )
        )
    track.segments.append(segment)
    gpx.tracks.append(track)
    return gpx.to_xml().encode()


def make_tcx(
    *,
    start: datetime = MORNING,
    minutes: float = 30,
    distance_km: float = 5.0,
    sport: str = "Running",
    laps: int = 1,
    trackpoints: bool = True,
    every_s: int = 5,
) -> bytes:
    """A TCX file as Garmin Connect writes it: the activity split into `laps` equal laps with
    their totals, each with trackpoints (time and distance, no position, as a treadmill)."""
    lap_seconds = minutes * 60 / laps
    lap_metres = distance_km * 1000 / laps
    lap_texts = []
    for index in range(laps):
        lap_start = start + timedelta(seconds=lap_seconds * index)
        points = ""
        if trackpoints:
            points = "".join(
                f"<Trackpoint><Time>{_iso(lap_start + timedelta(seconds=second))}</Time>"
                f"<DistanceMeters>{lap_metres * index + lap_metres * second / lap_seconds:.1f}"
                "</DistanceMeters></Trackpoint>"
                for second in range(0, round(lap_seconds) + 1, every_s)
            )
        lap_texts.append(
            f'<Lap StartTime="{_iso(lap_start)}"><TotalTimeSeconds>{lap_seconds:.1f}'
            f"</TotalTimeSeconds><DistanceMeters>{lap_metres:.1f}</DistanceMeters>"
            f"<Intensity>Active</Intensity><TriggerMethod>Manual</TriggerMethod>"
            f"<Track>{points}</Track></Lap>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">'
        f'<Activities><Activity Sport="{sport}"><Id>{_iso(start)}</Id>{"".join(lap_texts)}'
        "</Activity></Activities></TrainingCenterDatabase>\n"
    ).encode()


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def gz(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


def make_bulk_zip(
    members: Iterable[tuple[str, bytes]], target: str | Path | BinaryIO | None = None
) -> bytes | None:
    """A ZIP of (name, bytes) members, written one at a time (members may be a generator).
    Into `target` when given (returns None), else returned as bytes. Strava's export names
    them activities/NNN.fit.gz: gzip the bytes with gz() for that."""
    buffer = io.BytesIO() if target is None else target
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            # Strava stores its .gz members without compressing them again.
            method = zipfile.ZIP_STORED if name.endswith(".gz") else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=method)
    return buffer.getvalue() if target is None else None


@functools.cache
def strava_export_members(start: datetime = MORNING) -> tuple[tuple[str, bytes], ...]:
    """A small Strava-like export: a FIT run, a GPX ride, a TCX "Other" (all gzipped), a plain
    FIT treadmill run, and the CSV and photo that an export also holds."""
    return (
        ("activities/101.fit.gz", gz(make_fit_run(start=start))),
        (
            "activities/102.gpx.gz",
            gz(make_gpx(start=start + timedelta(days=1), activity_type="cycling")),
        ),
        ("activities/103.tcx.gz", gz(make_tcx(start=start + timedelta(days=2), sport="Other"))),
        ("activities/104.fit", make_fit_treadmill_run(start=start + timedelta(days=3))),
        ("activities.csv", b"Activity ID,Activity Date\n101,1 Mar 2025\n"),
        ("media/photo.jpg", b"\xff\xd8\xff\xe0 not really a photo"),
    )
