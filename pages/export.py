"""Your data is yours: a JSON export that an import turns back into the same diary, a CSV
of entries and one of shoes for spreadsheets, and deleting an account with all it owns."""

import csv
import io
import time
from datetime import UTC, datetime
from pathlib import Path

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db import connection, transaction

from pages.choices import Alternative
from pages.entries import (
    add_days,
    as_form_value,
    entry_json,
    form_data_from_json,
    read_json,
    with_runs,
)
from pages.forms import EntryForm, ShoeForm
from pages.models import Entry, Shoe

FORMAT = "backpain-export"
FORMAT_VERSION = 1
SHOE_FIELDS = ("id", "name", "start_km", "limit_km", "retired")
# Caps that keep an import within one request (gunicorn kills a worker after 30 s) and
# its memory in tens of MB (a 36 MB file took a worker to 1.25 GiB): 10,000 days is 27
# years of daily entries, a 4.6 MB export that imports in about 10 s (bench/RESULTS.md).
MAX_IMPORT_BYTES = 5_000_000
MAX_IMPORT_DAYS = 10_000
# Days saved per transaction (about 10 ms of SQLite's write lock), and a pause after
# each: SQLite's busy handler polls, so a writer that waits for the lock gets it in a
# gap between batches, not after the whole file.
IMPORT_BATCH_DAYS = 50
SQLITE_PAUSE_SECONDS = 0.01
# A spreadsheet runs a cell that starts like a formula; a leading quote keeps it text
# (OWASP, "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class ImportProblem(ValueError):
    def __init__(self, message: str):
        # Text quoted from the file may hold half a surrogate pair, which no page can encode.
        super().__init__(message.encode("utf-8", "replace").decode())


def safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def export_json(user) -> dict:
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "exported_at": datetime.now(UTC).isoformat(),
        "account": {"email": user.email, "unit": user.unit},
        "shoes": [
            {name: getattr(shoe, name) for name in SHOE_FIELDS}
            for shoe in Shoe.objects.filter(user=user).order_by("pk")
        ],
        "entries": [
            entry_json(entry)
            for entry in with_runs(Entry.objects.filter(user=user).order_by("date"))
        ],
    }


def entries_csv(user) -> str:
    """One column per content field, in the model's order; alternatives get one column of
    minutes per activity, symptoms one column of codes joined by ";"."""
    kinds = list(Alternative.values)
    columns = ["date"]
    for name in Entry.CONTENT_FIELDS:
        columns += [f"{kind}_min" for kind in kinds] if name == "alternatives" else [name]
    columns += ["uuid", "version", "created", "updated"]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for entry in Entry.objects.filter(user=user).select_related("shoe").order_by("date"):
        row = [entry.date]
        for name in Entry.CONTENT_FIELDS:
            row += csv_cells(entry, name, kinds)
        row += [entry.uuid, entry.version, entry.created.isoformat(), entry.updated.isoformat()]
        writer.writerow([safe_cell(value) for value in row])
    return out.getvalue()


def csv_cells(entry: Entry, name: str, kinds: list[str]) -> list:
    if name == "alternatives":
        minutes = entry.alternative_minutes
        return [minutes.get(kind, "") for kind in kinds]
    if name == "shoe":
        return [entry.shoe.name if entry.shoe else ""]
    if name == "symptoms":
        return [";".join(entry.symptoms)]
    return [getattr(entry, name)]


def shoes_csv(user) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(SHOE_FIELDS)
    for shoe in Shoe.objects.filter(user=user).order_by("pk"):
        writer.writerow([safe_cell(getattr(shoe, name)) for name in SHOE_FIELDS])
    return out.getvalue()


def import_json(user, upload) -> tuple[int, int]:
    """Recreate an exported diary from an uploaded file. Days already in the diary are kept
    as they are. Returns (days added, days skipped).

    The whole file is checked first, by the forms that check the settings page and the API,
    so an invalid file saves nothing. A valid one is saved in short transactions of
    IMPORT_BATCH_DAYS days each."""
    shoe_items, entry_items = read_export(upload)
    shoes = dict(valid_shoe(user, item) for item in shoe_items)
    days_by_id = dict(Entry.objects.filter(user=user).values_list("uuid", "date"))
    days = [valid_day(user, item, shoes, days_by_id) for item in entry_items]
    with transaction.atomic():
        for shoe in shoes.values():
            if shoe.pk is None:
                shoe.save()
    added = 0
    for start in range(0, len(days), IMPORT_BATCH_DAYS):
        added += add_days(user=user, days=days[start : start + IMPORT_BATCH_DAYS])
        if connection.vendor == "sqlite":
            time.sleep(SQLITE_PAUSE_SECONDS)
    return added, len(days) - added


def read_export(upload) -> tuple[list[dict], list[dict]]:
    """The shoes and the entries of an export file, each a list of objects."""
    if upload.size > MAX_IMPORT_BYTES:
        limit = MAX_IMPORT_BYTES // 1_000_000
        raise ImportProblem(f"This file is larger than {limit} MB, the most an import takes.")
    try:
        data = read_json(upload.read())
    except ValueError as error:
        raise ImportProblem("This file is not valid JSON.") from error
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ImportProblem("This file is not a backpain export.")
    shoes, entries = data.get("shoes", []), data.get("entries", [])
    if not isinstance(shoes, list) or not all(isinstance(item, dict) for item in shoes):
        raise ImportProblem("The shoes in this file are not readable.")
    if not isinstance(entries, list) or not all(isinstance(item, dict) for item in entries):
        raise ImportProblem("The entries in this file are not readable.")
    if len(entries) > MAX_IMPORT_DAYS:
        raise ImportProblem(
            f"This file has {len(entries):,} days; an import takes at most "
            f"{MAX_IMPORT_DAYS:,} days."
        )
    return shoes, entries


def valid_shoe(user, item: dict) -> tuple[object, Shoe]:
    """The shoe as the settings page would save it, and its id in the file. A pair the
    diary already holds is reused, so importing a file again adds no shoes (nor does
    finishing an import that a timeout cut short)."""
    if any(isinstance(item.get(name), list | dict) for name in SHOE_FIELDS):
        raise ImportProblem("A shoe in the file is not readable.")
    data = {name: as_form_value(item.get(name)) for name in SHOE_FIELDS}
    form = ShoeForm(data, instance=Shoe(user=user), unit="km")
    if not form.is_valid():
        raise ImportProblem(f"The shoe {data['name'][:80]!r} is not valid: {problems(form.errors)}")
    shoe = form.instance
    fields = {name: getattr(shoe, name) for name in ("name", "start_km", "limit_km", "retired")}
    return item.get("id"), Shoe.objects.filter(user=user, **fields).first() or shoe


def valid_day(user, item: dict, shoes: dict[object, Shoe], days_by_id: dict) -> dict:
    """The entry as the API would save it: EntryForm's cleaned data, with its shoe.
    `days_by_id` holds the diary's entry ids and the file's so far: one id, one day."""
    # A day with only an imported run has no pain yet (`"pain": null`), and stays so.
    unrated = "pain" in item and item["pain"] is None
    data, errors = form_data_from_json(
        item | {"base_version": None} | ({"pain": 0} if unrated else {})
    )
    # The file's shoe ids are not this diary's: the day gets the shoe made from that id.
    data["shoe"] = ""
    form = EntryForm(data, user=user, unit="km", days_by_id=days_by_id)
    if not form.is_valid() or errors:
        day = str(item.get("date"))[:10]
        raise ImportProblem(f"The entry for {day} is not valid: {problems(errors | form.errors)}")
    cleaned = form.cleaned_data | ({"pain": None} if unrated else {})
    if cleaned["ran"]:
        cleaned["shoe"] = shoes.get(item.get("shoe"))
    if cleaned["uuid"]:
        days_by_id.setdefault(cleaned["uuid"], cleaned["date"])
    return cleaned


def problems(errors) -> str:
    return "; ".join(f"{name}: {' '.join(messages)}" for name, messages in errors.items())


def delete_account(user) -> None:
    """Delete the user and everything that points to them: entries, shoes, sessions and
    devices cascade; login-throttling records are keyed by email, so they go by hand, and
    so do the watch files of an import not read to the end."""
    uploads = [Path(path) for path in user.import_jobs.values_list("path", flat=True)]
    with transaction.atomic():
        for model in (AccessAttempt, AccessLog, AccessFailureLog):
            model.objects.filter(username=user.email).delete()
        user.delete()
    for upload in uploads:
        upload.unlink(missing_ok=True)
