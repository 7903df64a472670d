"""Bringing runs in from watch files (PRODUCT.md, "Bringing runs in").

An upload waits in IMPORT_DIR as an ImportJob and is read a few files at a time: each
request reads for at most STEP_SECONDS, so a bulk export of a thousand activities never
holds a request past its timeout, and the import page shows how far it has got. Reading a
file is pages/activity_files.py; every write to a day is pages/entries.py."""

import uuid
from datetime import timedelta
from pathlib import Path
from time import monotonic
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from pages import activity_files, entries
from pages.diary import starting_shoe_id
from pages.models import ImportJob

STEP_SECONDS = 2.0  # one request's share of a long upload on the import page
API_SECONDS = 40.0  # the API's whole request, well inside gunicorn's 60-second timeout
LEASE = timedelta(seconds=60)  # a reader that died lets go of its job after this
ABANDONED_AFTER = timedelta(days=7)  # an upload nobody came back to read is dropped
LOST = "was lost before all of it was read: import it again (what was added stays, once)."


def start(*, user, upload, time_zone: str) -> ImportJob:
    """Keep the upload on disk and count its activity files (a ZIP's directory only)."""
    sweep()
    folder = Path(settings.IMPORT_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / uuid.uuid4().hex
    with path.open("wb") as kept:
        for chunk in upload.chunks():
            kept.write(chunk)
    with path.open("rb") as stream:
        total = activity_files.count_files(upload.name, stream)
    return ImportJob.objects.create(
        user=user, name=upload.name[:200], path=str(path), time_zone=time_zone, total=total
    )


def step(job: ImportJob, *, seconds: float | None = None) -> ImportJob:
    """Read the job's next files for up to `seconds` (STEP_SECONDS when not given), unless
    another request is reading it now. Returns the job as it stands."""
    now = timezone.now()
    claimed = (
        ImportJob.objects.filter(pk=job.pk, finished__isnull=True)
        .filter(Q(busy_until__isnull=True) | Q(busy_until__lt=now))
        .update(busy_until=now + LEASE)
    )
    if not claimed:
        return ImportJob.objects.get(pk=job.pk)
    job.refresh_from_db()
    try:
        _read(job, deadline=monotonic() + (STEP_SECONDS if seconds is None else seconds))
    finally:
        job.busy_until = None
        job.save()
    return job


def _read(job: ImportJob, *, deadline: float | None) -> None:
    zone = ZoneInfo(job.time_zone)
    shoe_id = starting_shoe_id(job.user) if job.user.imports_on_default_shoe else None
    if not Path(job.path).exists():  # a server replaced before the upload was read
        job.skipped.append({"file": job.name, "reason": f"{job.name} {LOST}"})
        job.finished = timezone.now()
        return
    with open(job.path, "rb") as stream:
        for result in activity_files.read_upload(job.name, stream, skip=job.done):
            _record(job, result, zone=zone, shoe_id=shoe_id)
            job.done += 1
            if deadline is not None and monotonic() > deadline and job.done < job.total:
                return
    job.total = max(job.total, job.done)
    job.finished = timezone.now()
    Path(job.path).unlink(missing_ok=True)


def _record(job: ImportJob, result: activity_files.FileResult, *, zone, shoe_id) -> None:
    if result.error:
        job.skipped.append({"file": result.name, "reason": result.error})
        return
    if not result.activities:
        job.skipped.append({"file": result.name, "reason": "holds no activity"})
        return
    for found in result.activities:
        day = found.start.astimezone(zone).date()
        done = entries.add_activity(
            user=job.user, found=found, day=day, source=result.name, shoe_id=shoe_id
        )
        item = {
            "date": done.day.isoformat(),
            "kind": done.kind,
            "file": result.name,
            "distance_km": found.distance_km,
            "minutes": round(found.duration_s / 60) if found.duration_s else None,
        }
        if done.result == "skipped":
            job.skipped.append(item | {"reason": done.reason})
        else:
            job.added.append(item | {"to_choose": done.result == "to_choose"})


def sweep() -> None:
    """Drop the uploads of imports left unread for ABANDONED_AFTER: their files go, and
    each job ends saying what was not read."""
    old = ImportJob.objects.filter(
        finished__isnull=True, created__lt=timezone.now() - ABANDONED_AFTER
    )
    for job in old:
        Path(job.path).unlink(missing_ok=True)
        step(job)


def run_all(*, user, upload, time_zone: str) -> ImportJob:
    """As much of the upload as API_SECONDS allow, in this request (the API's way; the page
    reads in steps). What is left is read when the runner opens the import page."""
    return step(start(user=user, upload=upload, time_zone=time_zone), seconds=API_SECONDS)


def progress(job: ImportJob) -> dict:
    return {"file": job.name, "read": job.done, "of": job.total}


def unfinished(user):
    return ImportJob.objects.filter(user=user, finished__isnull=True)
