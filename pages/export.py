"""Your data is yours: a JSON export that an import turns back into the same diary, a CSV
of entries and one of shoes for spreadsheets, and deleting an account with all it owns."""

import csv
import io
from datetime import UTC, datetime

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db import transaction

from pages.choices import Alternative
from pages.forms import EntryForm
from pages.models import Entry, Shoe
from pages.sync import entry_json, form_data_from_json, save_entry

FORMAT = "backpain-export"
FORMAT_VERSION = 1
SHOE_FIELDS = ("id", "name", "start_km", "limit_km", "retired")


class ImportProblem(ValueError):
    pass


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
            entry_json(entry) for entry in Entry.objects.filter(user=user).order_by("date")
        ],
    }


def entries_csv(user) -> str:
    alternatives = list(Alternative.values)
    columns = [
        "date", "pain", "ran", "distance_km", "duration_min", "surface", "shoe", "run_pain",
        "warmup", "cooldown", "symptoms", *(f"{kind}_min" for kind in alternatives), "notes",
        "uuid", "version", "created", "updated",
    ]  # fmt: skip
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    entries = Entry.objects.filter(user=user).select_related("shoe").order_by("date")
    for entry in entries:
        minutes = entry.alternative_minutes
        writer.writerow([
            entry.date, entry.pain, entry.ran, entry.distance_km, entry.duration_min,
            entry.surface, entry.shoe.name if entry.shoe else "", entry.run_pain, entry.warmup,
            entry.cooldown, ";".join(entry.symptoms), *(minutes.get(k, "") for k in alternatives),
            entry.notes, entry.uuid, entry.version, entry.created.isoformat(),
            entry.updated.isoformat(),
        ])  # fmt: skip
    return out.getvalue()


def shoes_csv(user) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(SHOE_FIELDS)
    for shoe in Shoe.objects.filter(user=user).order_by("pk"):
        writer.writerow([getattr(shoe, name) for name in SHOE_FIELDS])
    return out.getvalue()


@transaction.atomic
def import_json(user, data: dict) -> tuple[int, int]:
    """Recreate an exported diary. Days that already exist are kept as they are.
    Returns (entries added, days skipped). Any invalid entry rolls back the whole import."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ImportProblem("This file is not a backpain export.")
    shoe_ids = {}
    for item in data.get("shoes", []):
        try:
            shoe = Shoe.objects.create(
                user=user, name=str(item["name"])[:80], start_km=float(item["start_km"]),
                limit_km=float(item["limit_km"]), retired=bool(item["retired"]),
            )  # fmt: skip
        except (KeyError, TypeError, ValueError) as error:
            raise ImportProblem("A shoe in the file is incomplete.") from error
        shoe_ids[item.get("id")] = shoe.pk
    added = skipped = 0
    for item in data.get("entries", []):
        if not isinstance(item, dict):
            raise ImportProblem("An entry in the file is not readable.")
        payload = item | {"shoe": shoe_ids.get(item.get("shoe")), "base_version": None}
        form_data, errors = form_data_from_json(payload)
        form = EntryForm(form_data, user=user, unit="km")
        if errors or not form.is_valid():
            problems = errors or form.errors.get_json_data()
            raise ImportProblem(f"The entry for {item.get('date')} is not valid: {problems}")
        result = save_entry(user=user, form=form).result
        added += result == "created"
        skipped += result != "created"
    return added, skipped


def delete_account(user) -> None:
    """Delete the user and everything that points to them: entries, shoes and sessions
    cascade; login-throttling records are keyed by email, so they go by hand."""
    with transaction.atomic():
        for model in (AccessAttempt, AccessLog, AccessFailureLog):
            model.objects.filter(username=user.email).delete()
        user.delete()
