"""Reading activity files from a watch or phone: FIT, GPX, TCX, gzipped, or a bulk export ZIP.

Pure: bytes in, plain data out, no Django. Every file gives one FileResult; a bad file gives
a FileResult with a sentence naming it, never an exception, so the other files of an upload
still come through.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import shutil
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import BinaryIO

import defusedxml.ElementTree as safe_etree
import fitdecode
import gpxpy
import gpxpy.gpx
from defusedxml import DefusedXmlException

MB = 1024 * 1024
# One activity file, compressed or decompressed: a 10-hour FIT file at one record a second
# is about 3 MB, a GPX of the same about 8 MB.
MAX_FILE_BYTES = 20 * MB
# All the activity files of one ZIP, decompressed (a ZIP bomb stops here).
MAX_ZIP_TOTAL_BYTES = 200 * MB
# Entries in one ZIP's directory, read before the directory itself is (a decade of daily
# runs with their photos fits well under it).
MAX_ZIP_MEMBERS = 20_000
# A stream that cannot seek is copied to a temporary file first, up to this size.
MAX_UPLOAD_BYTES = MAX_ZIP_TOTAL_BYTES

ACTIVITY_SUFFIXES = (".fit", ".gpx", ".tcx")
ZIP_SEPARATOR = " › "
_CHUNK = 64 * 1024
_SNIFF = 512


@dataclass(frozen=True)
class Activity:
    sport: str  # "run", or an ALTERNATIVES code from pages/vocab.py
    start: datetime  # timezone-aware, UTC
    distance_km: float | None
    duration_s: int | None  # moving time when the file has it, else timer or elapsed time
    surface: str | None  # a vocab SURFACES code, or None when the file does not say
    effort: int | None  # perceived effort 1-10 when the file has it
    key: str  # the same activity from any container (or format) gives the same key


@dataclass(frozen=True)
class FileResult:
    name: str  # the uploaded name, or "export.zip › activities/123.fit.gz"
    digest: str  # sha256 hex of the (decompressed) file bytes
    activities: tuple[Activity, ...]
    error: str | None  # None, or a sentence naming the file


class Unreadable(Exception):
    """A file that cannot be read; its message completes "<name> ..."."""


DAMAGED = "looks damaged or cut short, so nothing was read from it."
NOT_ACTIVITY = "is not a FIT, GPX or TCX activity file."
TOO_BIG = f"is larger than {MAX_FILE_BYTES // MB} MB, the most one activity file can be."


def read_upload(name: str, stream: BinaryIO, *, skip: int = 0) -> Iterator[FileResult]:
    """One result per activity file in the upload (one for a plain file; one per member for a
    ZIP; a .gz is its inner file). Yields lazily: a ZIP's members are read one at a time.
    `skip` passes over the first results without reading them (an import read in steps)."""
    try:
        stream = _seekable(stream)
        head = _peek(stream)
    except Unreadable as problem:
        if not skip:
            yield _failed(name, str(problem))
        return
    if _is_zip(head):
        yield from _read_zip(name, stream, skip=skip)
        return
    if skip:
        return
    try:
        data = _unpacked(_read_limited(stream, MAX_FILE_BYTES))
    except Unreadable as problem:
        yield _failed(name, str(problem))
        return
    yield _read_file(name, data)


def count_files(name: str, stream: BinaryIO) -> int:
    """How many results read_upload will give (before any ZIP limit stops it), reading only
    a ZIP's directory. Leaves the stream at its start."""
    try:
        stream = _seekable(stream)
        if not _is_zip(_peek(stream)):
            return 1
        with _open_zip(stream) as archive:
            return max(1, sum(1 for info in archive.infolist() if _wanted(info)))
    except (Unreadable, zipfile.BadZipFile, OSError, EOFError, ValueError):
        return 1
    finally:
        stream.seek(0)


def _read_file(name: str, data: bytes) -> FileResult:
    digest = hashlib.sha256(data).hexdigest()
    try:
        activities = _parse(data)
    except Unreadable as problem:
        return _failed(name, str(problem), digest)
    except Exception:  # a parser's surprise is a damaged file, never a 500
        return _failed(name, DAMAGED, digest)
    return FileResult(name=name, digest=digest, activities=activities, error=None)


def activity_key(sport: str, start: datetime) -> str:
    identity = f"{sport}|{start.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}"
    return hashlib.sha256(identity.encode()).hexdigest()


def _failed(name: str, sentence: str, digest: str = "") -> FileResult:
    return FileResult(name=name, digest=digest, activities=(), error=f"{name} {sentence}")


# Containers ------------------------------------------------------------------------------


def _seekable(stream: BinaryIO) -> BinaryIO:
    if stream.seekable():
        stream.seek(0)
        return stream
    copy = tempfile.SpooledTemporaryFile(max_size=MAX_FILE_BYTES)  # noqa: SIM115 (returned)
    shutil.copyfileobj(_LimitedReader(stream, MAX_UPLOAD_BYTES), copy)
    copy.seek(0)
    return copy  # type: ignore[return-value]


class _LimitedReader(io.RawIOBase):
    def __init__(self, stream: BinaryIO, limit: int) -> None:
        self.stream, self.left = stream, limit

    def read(self, size: int = -1) -> bytes:
        chunk = self.stream.read(_CHUNK if size < 0 else size)
        self.left -= len(chunk)
        if self.left < 0:
            raise Unreadable(f"is larger than {MAX_UPLOAD_BYTES // MB} MB.")
        return chunk


def _peek(stream: BinaryIO) -> bytes:
    head = stream.read(_SNIFF)
    stream.seek(0)
    return head


def _is_zip(head: bytes) -> bool:
    return head[:4] in (b"PK\x03\x04", b"PK\x05\x06")


def _read_limited(stream: BinaryIO, limit: int) -> bytes:
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise Unreadable(TOO_BIG)
    return data


def _unpacked(data: bytes) -> bytes:
    """A gzipped file's inner bytes (a .gz is its inner file); other bytes as they are."""
    if data[:2] != b"\x1f\x8b":
        return data
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as inner:
            return _read_limited(inner, MAX_FILE_BYTES)  # type: ignore[arg-type]
    except (OSError, EOFError, zlib.error) as problem:
        raise Unreadable(DAMAGED) from problem


def _wanted(info: zipfile.ZipInfo) -> bool:
    """Activity files by name (the content then decides the format), and nested ZIPs so that
    the runner hears they were not opened; a bulk export's photos and CSVs are passed over."""
    if info.is_dir():
        return False
    lower = info.filename.lower().removesuffix(".gz")
    return lower.endswith(ACTIVITY_SUFFIXES) or lower.endswith(".zip")


def _read_zip(name: str, stream: BinaryIO, *, skip: int = 0) -> Iterator[FileResult]:
    try:
        archive = _open_zip(stream)
    except Unreadable as problem:
        if not skip:
            yield _failed(name, str(problem))
        return
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        if not skip:
            yield _failed(name, "is a damaged ZIP file, so nothing was read from it.")
        return
    total_bytes = 0
    with archive:
        wanted = [info for info in archive.infolist() if _wanted(info)]
        if not wanted and not skip:
            yield _failed(name, "has no FIT, GPX or TCX files in it.")
        for index, info in enumerate(wanted):
            if index < skip:  # read in an earlier step; its size still counts to the total
                total_bytes += info.file_size
                continue
            if total_bytes > MAX_ZIP_TOTAL_BYTES:
                yield _failed(name, _zip_total_sentence())
                return
            member_name = f"{name}{ZIP_SEPARATOR}{info.filename}"
            try:
                data = _unpacked(_read_member(archive, info))
            except Unreadable as problem:
                # A bomb costs what it made us unpack, so a ZIP of bombs stops at the total.
                total_bytes += MAX_FILE_BYTES if str(problem) == TOO_BIG else info.compress_size
                yield _failed(member_name, str(problem))
                continue
            total_bytes += len(data)
            yield _read_file(member_name, data)


def _zip_total_sentence() -> str:
    return (
        f"holds more than {MAX_ZIP_TOTAL_BYTES // MB} MB of activity files once unpacked; "
        "the files after that point were not read."
    )


def _open_zip(stream: BinaryIO) -> zipfile.ZipFile:
    entries = _zip_entry_count(stream)
    if entries > MAX_ZIP_MEMBERS:
        raise Unreadable(
            f"holds {entries:,} files, more than the {MAX_ZIP_MEMBERS:,} one upload can; "
            "split it into smaller ZIPs."
        )
    return zipfile.ZipFile(stream)


def _zip_entry_count(stream: BinaryIO) -> int:
    """The entry count from the end-of-directory record, read before zipfile builds a list
    of every entry (a directory of millions of entries is a bomb of its own)."""
    size = stream.seek(0, io.SEEK_END)
    tail_start = max(0, size - (22 + 65_535))
    stream.seek(tail_start)
    tail = stream.read()
    stream.seek(0)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) < at + 22:
        return 0  # zipfile will call it damaged
    entries = struct.unpack("<H", tail[at + 10 : at + 12])[0]
    locator = at - 20
    if entries == 0xFFFF and locator >= 0 and tail[locator : locator + 4] == b"PK\x06\x07":
        zip64_end = struct.unpack("<Q", tail[locator + 8 : locator + 16])[0]
        stream.seek(zip64_end + 32)
        entries = struct.unpack("<Q", stream.read(8).ljust(8, b"\0"))[0]
        stream.seek(0)
    return entries


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    if info.filename.lower().endswith(".zip"):
        raise Unreadable("is a ZIP inside the ZIP; unpack it and upload it on its own.")
    if info.flag_bits & 0x1:
        raise Unreadable("is protected by a password.")
    if info.compress_size > MAX_FILE_BYTES or info.file_size > MAX_FILE_BYTES:
        raise Unreadable(TOO_BIG)
    try:
        with archive.open(info) as member:
            # The header's sizes are a claim; the limit holds while reading whatever comes.
            data = _read_limited(member, MAX_FILE_BYTES)  # type: ignore[arg-type]
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error, NotImplementedError) as problem:
        raise Unreadable(DAMAGED) from problem
    if _is_zip(data[:4]):
        raise Unreadable("is a ZIP inside the ZIP; unpack it and upload it on its own.")
    return data


# Formats ---------------------------------------------------------------------------------


def _parse(data: bytes) -> tuple[Activity, ...]:
    if len(data) >= 12 and data[8:12] == b".FIT":
        return _parse_fit(data)
    if data[:2] == b"\x1f\x8b":
        raise Unreadable("is gzipped twice; unpack it once and upload it again.")
    root = _xml_root(data)
    if root == "gpx":
        return _parse_gpx(data)
    if root == "TrainingCenterDatabase":
        return _parse_tcx(data)
    raise Unreadable(NOT_ACTIVITY)


def _xml_root(data: bytes) -> str | None:
    """The root element's local name, or None for anything that is not XML. DTDs are refused
    here, before gpxpy's own parser sees the bytes: no DTD, no entity, no entity bomb."""
    if data.lstrip(b"\xef\xbb\xbf\xff\xfe \t\r\n\0")[:1] != b"<":
        return None
    try:
        for _event, element in safe_etree.iterparse(
            io.BytesIO(data), events=("start",), forbid_dtd=True
        ):
            return element.tag.rpartition("}")[2]
    except DefusedXmlException as problem:
        raise Unreadable(
            "uses XML features that activity files never need (a DTD or entities), "
            "so it was not read."
        ) from problem
    except safe_etree.ParseError as problem:
        raise Unreadable(DAMAGED) from problem
    return None


# FIT: https://developer.garmin.com/fit/file-types/activity/ ------------------------------

FIT_RUN_SURFACES = {
    "treadmill": "treadmill",
    "indoor_running": "treadmill",
    "virtual_activity": "treadmill",
    "trail": "trail",
    "track": "track",
    "street": "road",
    "road": "road",
}
FIT_SPORTS = {
    "running": "run",
    "cycling": "cycling",
    "e_biking": "cycling",
    "swimming": "swimming",
    "walking": "walking",
    "hiking": "walking",
    "yoga": "yoga",
}
FIT_SUB_SPORTS = {"elliptical": "elliptical", "yoga": "yoga", "indoor_walking": "walking"}
FIT_NON_ACTIVITY_WORDS = {
    "settings": "settings",
    "device": "device",
    "sport": "sport settings",
    "workout": "planned workout",
    "course": "course",
    "schedules": "schedule",
    "weight": "weight",
    "totals": "totals",
    "goals": "goals",
    "blood_pressure": "blood pressure",
    "monitoring_a": "daily monitoring",
    "monitoring_b": "daily monitoring",
    "monitoring_daily": "daily monitoring",
    "activity_summary": "activity summary",
    "segment": "segment",
    "segment_list": "segment",
}
# Session field 193, "workout_rpe": Borg CR10 effort times ten (FIT SDK 21.x profile), which
# fitdecode's profile does not name yet.
FIT_SESSION_RPE_FIELD = 193


def fit_sport(sport: object, sub_sport: object) -> tuple[str, str | None]:
    """FIT sport and sub_sport names (fitdecode gives ints for ones its profile lacks) as our
    sport and surface codes. A file that names no sport reads as a run, as a typeless GPX does."""
    if sport is None or sport == "running":
        return "run", FIT_RUN_SURFACES.get(str(sub_sport))
    if sub_sport in FIT_SUB_SPORTS and sport in ("fitness_equipment", "training", "walking"):
        return FIT_SUB_SPORTS[str(sub_sport)], None
    return FIT_SPORTS.get(str(sport), "other"), None


def _parse_fit(data: bytes) -> tuple[Activity, ...]:
    file_type, sessions, laps, records, sport_message = _fit_messages(data)
    if file_type not in (None, "activity"):
        word = FIT_NON_ACTIVITY_WORDS.get(str(file_type), str(file_type))
        raise Unreadable(f"has no activity in it: it is a watch {word} file.")
    if sessions:
        return tuple(_fit_session(session) for session in sessions)
    if laps or records:
        return (_fit_from_laps_and_records(laps, records, sport_message),)
    raise Unreadable("has no activity in it.")


# Messages written many times a second that a summary never needs: record, hrv and the raw
# sensor streams. fitdecode decodes every field of every message (about 3 ms a minute of
# running at one record a second), so fit_summary_only drops them before it reads.
FIT_BULK_MESSAGES = frozenset({20, 78, 164, 165, 208})
FIT_RECORD_MESSAGE = 20


def fit_summary_only(data: bytes) -> bytes:
    """The FIT file with its bulk messages left out, except the first and last record (the
    start and the end when a file has no session or laps). Walks the message structure with
    the definitions' sizes, so a cut-short or broken file is still found out; the CRC is not
    checked (a flipped byte in a record no longer matters, and checking it costs as much as
    decoding)."""
    out = bytearray()
    at = 0
    while at < len(data):
        header_size = data[at]
        if header_size not in (12, 14) or data[at + 8 : at + 12] != b".FIT":
            if out:
                break  # padding after a complete file
            raise Unreadable(DAMAGED)
        data_size = struct.unpack_from("<I", data, at + 4)[0]
        end = at + header_size + data_size
        if end + 2 > len(data):
            raise Unreadable(DAMAGED)
        body = _fit_without_bulk(data, at + header_size, end)
        header = bytearray(data[at : at + header_size])
        header[4:8] = struct.pack("<I", len(body))
        if header_size == 14:
            header[12:14] = b"\0\0"  # a zero header CRC means "not computed"
        out += header + body + b"\0\0"
        at = end + 2
    return bytes(out)


def _fit_without_bulk(data: bytes, at: int, end: int) -> bytes:
    definitions: dict[int, tuple[int, int]] = {}  # local type -> (global number, size)
    spans: list[tuple[int, int] | None] = []
    first_record = last_record = None
    try:
        while at < end:
            header = data[at]
            if header & 0x80:  # compressed timestamp header: a data message
                number, size = definitions[(header >> 5) & 0x3]
                message_end = at + 1 + size
            elif header & 0x40:  # definition message
                big_endian = data[at + 2] == 1
                number = struct.unpack_from(">H" if big_endian else "<H", data, at + 3)[0]
                fields = data[at + 5]
                message_end = at + 6 + 3 * fields
                size = sum(data[at + 7 + 3 * i] for i in range(fields))
                if header & 0x20:  # developer fields follow
                    developer_fields = data[message_end]
                    size += sum(data[message_end + 2 + 3 * i] for i in range(developer_fields))
                    message_end += 1 + 3 * developer_fields
                definitions[header & 0x0F] = (number, size)
                number = -1  # definitions are always kept
            else:
                number, size = definitions[header & 0x0F]
                message_end = at + 1 + size
            if message_end > end:
                raise Unreadable(DAMAGED)
            if number not in FIT_BULK_MESSAGES:
                spans.append((at, message_end))
            elif number == FIT_RECORD_MESSAGE:
                if first_record is None:
                    first_record = len(spans)
                else:
                    if last_record is not None:
                        spans[last_record] = None
                    last_record = len(spans)
                spans.append((at, message_end))
            at = message_end
    except (KeyError, IndexError) as problem:
        raise Unreadable(DAMAGED) from problem
    return b"".join(data[span[0] : span[1]] for span in spans if span)


def _fit_messages(data: bytes):
    file_type = None
    sessions: list[dict] = []
    laps: list[dict] = []
    records: list[tuple[datetime, float | None]] = []
    sport_message: dict = {}
    reader = fitdecode.FitReader(
        io.BytesIO(fit_summary_only(data)),
        check_crc=fitdecode.CrcCheck.DISABLED,
        error_handling=fitdecode.ErrorHandling.RAISE,
    )
    try:
        for frame in reader:
            if frame.frame_type != fitdecode.FIT_FRAME_DATA:
                continue
            if frame.name == "record":
                records.append(_fit_record(frame))
            elif frame.name == "session":
                sessions.append(_fit_fields(frame))
            elif frame.name == "lap":
                laps.append(_fit_fields(frame))
            elif frame.name == "sport":
                sport_message = _fit_fields(frame)
            elif frame.name == "file_id" and file_type is None:
                file_type = _fit_value(frame, "type")
    except fitdecode.FitError as problem:
        raise Unreadable(DAMAGED) from problem
    return file_type, sessions, laps, records, sport_message


def _fit_value(frame, name):
    return frame.get_value(name, fallback=None)


def _fit_fields(frame) -> dict:
    fields = {field.name: field.value for field in frame.fields if field.value is not None}
    rpe = frame.get_value(FIT_SESSION_RPE_FIELD, fallback=None)
    if rpe is not None:
        fields["workout_rpe"] = rpe
    return fields


def _fit_record(frame) -> tuple[datetime, float | None]:
    return _fit_value(frame, "timestamp"), _fit_value(frame, "distance")


def _fit_session(session: dict) -> Activity:
    sport, surface = fit_sport(session.get("sport"), session.get("sub_sport"))
    start = session.get("start_time") or session.get("timestamp")
    if not isinstance(start, datetime):
        raise Unreadable("has no start time, so its day can't be known.")
    return _activity(
        sport=sport,
        start=start,
        distance_m=session.get("total_distance"),
        duration_s=_first(session, "total_moving_time", "total_timer_time", "total_elapsed_time"),
        surface=surface,
        effort=_effort_from_rpe(session.get("workout_rpe")),
    )


def _fit_from_laps_and_records(laps, records, sport_message) -> Activity:
    sport, surface = fit_sport(
        sport_message.get("sport") or (laps[0].get("sport") if laps else None),
        sport_message.get("sub_sport") or (laps[0].get("sub_sport") if laps else None),
    )
    times = [time for time, _distance in records if isinstance(time, datetime)]
    if laps:
        start = laps[0].get("start_time") or (times[0] if times else None)
        distance = _sum_known(lap.get("total_distance") for lap in laps)
        duration = _sum_known(
            _first(lap, "total_moving_time", "total_timer_time", "total_elapsed_time")
            for lap in laps
        )
    else:
        start = times[0] if times else None
        distances = [distance for _time, distance in records if distance is not None]
        distance = distances[-1] if distances else None
        duration = (times[-1] - times[0]).total_seconds() if times else None
    if not isinstance(start, datetime):
        raise Unreadable("has no start time, so its day can't be known.")
    return _activity(sport, start, distance, duration, surface, None)


def _first(fields: dict, *names: str):
    return next((fields[name] for name in names if fields.get(name) is not None), None)


def _sum_known(values) -> float | None:
    known = [value for value in values if value is not None]
    return sum(known) if known else None


def _effort_from_rpe(rpe: object) -> int | None:
    if not isinstance(rpe, int | float):
        return None
    effort = round(rpe / 10)
    return effort if 1 <= effort <= 10 else None


def _activity(sport, start, distance_m, duration_s, surface, effort) -> Activity:
    if start.tzinfo is None:
        start = start.replace(tzinfo=UTC)
    start = start.astimezone(UTC).replace(microsecond=0)
    return Activity(
        sport=sport,
        start=start,
        distance_km=round(distance_m / 1000, 3) if distance_m else None,
        duration_s=round(duration_s) if duration_s else None,
        surface=surface,
        effort=effort,
        key=activity_key(sport, start),
    )


# GPX -------------------------------------------------------------------------------------

# <type> words as Strava, Garmin Connect and phone apps write them, lower-cased with spaces,
# dashes and underscores removed. Strava's older exports write numbers.
GPX_TYPES = {
    "run": ("run", None),
    "running": ("run", None),
    "9": ("run", None),
    "trailrun": ("run", "trail"),
    "trailrunning": ("run", "trail"),
    "treadmillrunning": ("run", "treadmill"),
    "treadmill": ("run", "treadmill"),
    "indoorrunning": ("run", "treadmill"),
    "virtualrun": ("run", "treadmill"),
    "trackrunning": ("run", "track"),
    "streetrunning": ("run", "road"),
    "roadrunning": ("run", "road"),
    "ride": ("cycling", None),
    "cycling": ("cycling", None),
    "biking": ("cycling", None),
    "1": ("cycling", None),
    "virtualride": ("cycling", None),
    "ebikeride": ("cycling", None),
    "mountainbikeride": ("cycling", None),
    "gravelride": ("cycling", None),
    "walk": ("walking", None),
    "walking": ("walking", None),
    "10": ("walking", None),
    "hike": ("walking", None),
    "hiking": ("walking", None),
    "swim": ("swimming", None),
    "swimming": ("swimming", None),
    "yoga": ("yoga", None),
    "elliptical": ("elliptical", None),
}


def gpx_sport(type_text: str | None) -> tuple[str, str | None]:
    """A GPX <type> as our sport and surface. No type at all reads as a run: Strava and Garmin
    always write one, so a typeless file comes from a simple tracking app, and this is a
    running diary; the result page shows it, and the runner can remove it."""
    if not type_text or not type_text.strip():
        return "run", None
    word = "".join(ch for ch in type_text.lower() if ch.isalnum())
    if word in GPX_TYPES:
        return GPX_TYPES[word]
    if "run" in word:
        surface = next(
            (s for s in ("trail", "treadmill", "track") if s in word),
            "road" if "road" in word or "street" in word else None,
        )
        return "run", surface
    return "other", None


def _parse_gpx(data: bytes) -> tuple[Activity, ...]:
    gpx = gpxpy.parse(data.decode("utf-8-sig"))
    bounds = gpx.get_time_bounds()
    if bounds.start_time is None:
        raise Unreadable("has no times in it, so its day can't be known.")
    type_text = next((track.type for track in gpx.tracks if track.type), None)
    sport, surface = gpx_sport(type_text)
    moving = gpx.get_moving_data()
    duration = moving.moving_time if moving and moving.moving_time else None
    if not duration and bounds.end_time:
        duration = (bounds.end_time - bounds.start_time).total_seconds()
    return (_activity(sport, bounds.start_time, gpx.length_2d(), duration, surface, None),)


# TCX: https://www8.garmin.com/xmlschemas/TrainingCenterDatabasev2.xsd -------------------

TCX_SPORTS = {"running": "run", "biking": "cycling"}


def _parse_tcx(data: bytes) -> tuple[Activity, ...]:
    root = safe_etree.fromstring(data, forbid_dtd=True)
    activities = root.findall("{*}Activities/{*}Activity")
    if not activities:
        raise Unreadable("has no activity in it.")
    return tuple(_tcx_activity(element) for element in activities)


def _tcx_activity(element) -> Activity:
    sport = TCX_SPORTS.get(element.get("Sport", "").lower(), "other")
    laps = element.findall("{*}Lap")
    start = _tcx_time(element.findtext("{*}Id")) or (
        _tcx_time(laps[0].get("StartTime")) if laps else None
    )
    distance = _sum_known(_tcx_number(lap.findtext("{*}DistanceMeters")) for lap in laps)
    duration = _sum_known(_tcx_number(lap.findtext("{*}TotalTimeSeconds")) for lap in laps)
    if start is None or distance is None or duration is None:
        times, last_distance = _tcx_trackpoints(element)
        start = start or (times[0] if times else None)
        distance = distance if distance is not None else last_distance
        if duration is None and len(times) > 1:
            duration = (times[-1] - times[0]).total_seconds()
    if start is None:
        raise Unreadable("has no times in it, so its day can't be known.")
    return _activity(sport, start, distance, duration, None, None)


def _tcx_trackpoints(element) -> tuple[list[datetime], float | None]:
    times, last_distance = [], None
    for point in element.iterfind(".//{*}Trackpoint"):
        time = _tcx_time(point.findtext("{*}Time"))
        if time:
            times.append(time)
        last_distance = _tcx_number(point.findtext("{*}DistanceMeters")) or last_distance
    return times, last_distance


def _tcx_time(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _tcx_number(text: str | None) -> float | None:
    try:
        return float(text) if text else None
    except ValueError:
        return None


__all__ = [
    "Activity",
    "FileResult",
    "MAX_FILE_BYTES",
    "MAX_ZIP_MEMBERS",
    "MAX_ZIP_TOTAL_BYTES",
    "count_files",
    "read_upload",
]
