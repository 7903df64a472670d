"""A bulk export of 1,000 activities imported the way the /import/ page does it: the upload
kept on disk, then read in steps of at most imports.STEP_SECONDS each (one request each),
writing every day to a scratch SQLite database. Prints the steps, the longest step, the
total time, the days written and the process's peak memory.

    .venv/bin/python bench/import_files.py --keep /tmp/export.zip   # make the archive once
    .venv/bin/python bench/import_steps.py /tmp/export.zip
"""

import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
scratch = Path(tempfile.mkdtemp(prefix="import-steps-"))
os.environ["DATABASE_URL"] = f"sqlite:///{scratch / 'db.sqlite3'}"
os.environ["DJANGO_IMPORT_DIR"] = str(scratch / "imports")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backpain.settings")

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402

from pages import imports  # noqa: E402
from pages.models import Activity, Entry, User  # noqa: E402


def main(archive: Path) -> None:
    call_command("migrate", verbosity=0)
    user = User.objects.create_user(email="bench@example.com", password="x" * 20)
    started = time.perf_counter()
    with archive.open("rb") as stream:
        upload = SimpleUploadedFile(archive.name, b"")
        upload.file, upload.size = stream, archive.stat().st_size
        job = imports.start(user=user, upload=upload, time_zone="Europe/London")
    steps = []
    while job.finished is None:
        began = time.perf_counter()
        job = imports.step(job)
        steps.append(time.perf_counter() - began)
    total = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"archive {archive.stat().st_size / 1e6:.1f} MB, {job.total} activity files")
    print(f"steps {len(steps)} (STEP_SECONDS={imports.STEP_SECONDS}), longest {max(steps):.2f} s")
    print(f"total {total:.1f} s, {total / job.total * 1000:.1f} ms a file")
    print(f"added {len(job.added)}, skipped {len(job.skipped)}")
    print(f"days {Entry.objects.count()}, activities {Activity.objects.count()}")
    print(f"peak memory (ru_maxrss) {peak_mb:.0f} MB")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
