"""Reading a bulk export of 1,000 activities with pages.activity_files.read_upload.

Builds a Strava-like export ZIP in a temporary file (mostly FIT at one record a second for
30-90 minutes, some GPX and TCX, every member gzipped), then reads it in a fresh process
and prints the time, the peak memory (tracemalloc peak and ru_maxrss) and the ms per file
for each format; last, what plain fitdecode (every record decoded, CRC checked) costs.

    .venv/bin/python bench/import_files.py                   # 1,000 activities
    .venv/bin/python bench/import_files.py --keep /tmp/export.zip   # build once, reuse
"""

import argparse
import io
import os
import random
import resource
import struct
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import fitdecode  # noqa: E402
from fit_tool.profile.profile_type import Sport, SubSport  # noqa: E402

from pages.activity_files import read_upload  # noqa: E402
from tests.activity_factory import (  # noqa: E402
    START_LAT,
    START_LON,
    gz,
    make_bulk_zip,
    make_fit,
    make_gpx,
    make_tcx,
)

FIRST_DAY = datetime(2020, 1, 1, 6, 30, tzinfo=UTC)
FIT_EPOCH = datetime(1989, 12, 31, tzinfo=UTC)
SEMICIRCLES_PER_DEGREE = 2**31 / 180

# record (global 20) on local type 15: timestamp, lat, long, distance, speed, altitude,
# heart_rate, cadence; field number, size, base type.
RECORD_FIELDS = (
    (253, 4, 0x86),
    (0, 4, 0x85),
    (1, 4, 0x85),
    (5, 4, 0x86),
    (6, 2, 0x84),
    (2, 2, 0x84),
    (3, 1, 0x02),
    (4, 1, 0x02),
)
RECORD_DEFINITION = bytes([0x4F, 0, 0]) + struct.pack("<HB", 20, len(RECORD_FIELDS))
RECORD_DEFINITION += b"".join(bytes(field) for field in RECORD_FIELDS)
RECORD = struct.Struct("<BIiiIHHBB")
CRC_TABLE = [0] * 256
for _byte in range(256):
    _crc = _byte
    for _ in range(8):
        _crc = (_crc >> 1) ^ 0xA001 if _crc & 1 else _crc >> 1
    CRC_TABLE[_byte] = _crc


def fit_crc(data: bytes) -> int:
    crc = 0
    for byte in data:
        crc = (crc >> 8) ^ CRC_TABLE[(crc ^ byte) & 0xFF]
    return crc


def fit_with_records(start: datetime, minutes: int, distance_km: float, sport, sub_sport):
    """fit-tool writes the summary (file_id, events, lap, session, activity); its records take
    0.7 ms each, so the records are packed here with struct (the same fields a watch writes)
    and the header and CRCs put right."""
    summary = make_fit(
        sport=sport,
        sub_sport=sub_sport,
        start=start,
        minutes=minutes,
        distance_km=distance_km,
        records=False,
    )
    header_size = summary[0]
    body = bytearray(summary[header_size:-2])
    body += RECORD_DEFINITION
    speed = distance_km * 1000 / (minutes * 60)
    base = int((start - FIT_EPOCH).total_seconds())
    lat = round(START_LAT * SEMICIRCLES_PER_DEGREE)
    lon = round(START_LON * SEMICIRCLES_PER_DEGREE)
    for second in range(minutes * 60 + 1):
        body += RECORD.pack(
            0x0F,
            base + second,
            lat + round(speed * second / 111_320 * SEMICIRCLES_PER_DEGREE),
            lon,
            round(speed * second * 100),
            round(speed * 1000),
            (20 + 500) * 5,
            140 + second % 20,
            85,
        )
    header = bytearray(summary[:header_size])
    header[4:8] = struct.pack("<I", len(body))
    if header_size == 14:
        header[12:14] = struct.pack("<H", fit_crc(bytes(header[:12])))
    whole = bytes(header) + bytes(body)
    return whole + struct.pack("<H", fit_crc(whole))


def members(count: int, seed: int = 14):
    """A runner's years of activities, one a day: 80% FIT, 12% GPX, 8% TCX; mostly runs,
    some rides and walks; 30-90 minutes; gzipped as in Strava's export."""
    rng = random.Random(seed)
    for n in range(count):
        start = FIRST_DAY + timedelta(days=n, minutes=rng.randrange(0, 600))
        minutes = rng.randrange(30, 91)
        kind = rng.choices(["fit", "gpx", "tcx"], weights=[80, 12, 8])[0]
        sport = rng.choices(["run", "ride", "walk"], weights=[80, 12, 8])[0]
        distance_km = {"run": 10.5, "ride": 25.0, "walk": 5.0}[sport] * minutes / 60
        if kind == "fit":
            fit_sport = {"run": Sport.RUNNING, "ride": Sport.CYCLING, "walk": Sport.WALKING}
            data = fit_with_records(start, minutes, distance_km, fit_sport[sport], SubSport.GENERIC)
        elif kind == "gpx":
            gpx_type = {"run": "running", "ride": "cycling", "walk": "walking"}[sport]
            data = make_gpx(
                start=start,
                minutes=minutes,
                distance_km=distance_km,
                activity_type=gpx_type,
                every_s=1,
            )
        else:
            tcx_sport = {"run": "Running", "ride": "Biking", "walk": "Other"}[sport]
            data = make_tcx(
                start=start, minutes=minutes, distance_km=distance_km, sport=tcx_sport, every_s=1
            )
        yield f"activities/{1000 + n}.{kind}.gz", gz(data)


def build(path: Path, count: int) -> None:
    began = time.perf_counter()
    with path.open("wb") as target:
        make_bulk_zip(members(count), target)
    print(
        f"built {count:,} activities in {time.perf_counter() - began:.0f} s: "
        f"{path.stat().st_size / 1e6:.1f} MB"
    )


def read_all(path: Path, trace: bool) -> None:
    """Run in a fresh process, so ru_maxrss is the reading's own peak."""
    per_format = defaultdict(list)
    errors = activities = 0
    if trace:
        tracemalloc.start()
    began = time.perf_counter()
    last = began
    with path.open("rb") as stream:
        for result in read_upload(path.name, stream):
            now = time.perf_counter()
            per_format[result.name.rsplit(".", 2)[-2]].append(now - last)
            last = now
            errors += result.error is not None
            activities += len(result.activities)
    elapsed = time.perf_counter() - began
    peak = tracemalloc.get_traced_memory()[1] if trace else 0
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"read_upload ({'tracemalloc on' if trace else 'tracemalloc off'}):")
    print(f"  {activities:,} activities, {errors} errors in {elapsed:.1f} s")
    if trace:
        print(f"  tracemalloc peak {peak / 1e6:.1f} MB")
    print(f"  ru_maxrss {rss_kb / 1024:.0f} MB (the whole process, Python and libraries included)")
    for kind, times in sorted(per_format.items()):
        mean_ms = 1000 * sum(times) / len(times)
        print(f"  {kind}: {len(times)} files, {mean_ms:.1f} ms a file")


def plain_fitdecode(path: Path, sample: int = 20) -> None:
    """What reading every record with fitdecode's defaults would cost, for comparison."""
    import zipfile

    from pages.activity_files import _read_file, _unpacked

    with zipfile.ZipFile(path) as archive:
        fits = [
            _unpacked(archive.read(info))
            for info in archive.infolist()
            if info.filename.endswith(".fit.gz")
        ][:sample]
    began = time.perf_counter()
    for data in fits:
        for _frame in fitdecode.FitReader(io.BytesIO(data), check_crc=fitdecode.CrcCheck.RAISE):
            pass
    full_ms = 1000 * (time.perf_counter() - began) / len(fits)
    began = time.perf_counter()
    for data in fits:
        _read_file("x.fit", data)
    ours_ms = 1000 * (time.perf_counter() - began) / len(fits)
    mean_kb = sum(map(len, fits)) / len(fits) / 1024
    print(f"FIT, {len(fits)} files of {mean_kb:.0f} KB on average:")
    print(f"  fitdecode, every record, CRC checked: {full_ms:.0f} ms a file")
    print(f"  read_upload's summary-only reading:   {ours_ms:.1f} ms a file")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--keep", type=Path, help="build here once, and reuse it after")
    parser.add_argument("--read", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.read:
        read_all(args.read, args.trace)
        return
    with tempfile.TemporaryDirectory() as folder:
        path = args.keep or Path(folder) / "export_14.zip"
        if not path.exists():
            build(path, args.count)
        for trace in (False, True):
            command = [sys.executable, __file__, "--read", str(path)]
            subprocess.run(command + (["--trace"] if trace else []), check=True)
        plain_fitdecode(path)


if __name__ == "__main__":
    os.nice(5)
    main()
