"""Every write to a diary day: the form, the JSON API, "same as yesterday", "I did this
instead" and the import all go through EntryForm and the versioned save here.

A write names the version it edited (`base_version`). The server accepts it only when that
is still the current version, so two devices never overwrite each other silently, and an
offline outbox can replay the same write any number of times."""

import json
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from django.db import IntegrityError, transaction
from django.db.models import Prefetch

from pages.activity_files import Activity as FoundActivity
from pages.choices import MAX_ALTERNATIVE_MIN, MAX_DISTANCE_KM, MAX_DURATION_MIN, Alternative
from pages.forms import EntryForm
from pages.models import Activity, Entry, mark_changed, recount_shoes

ALTERNATIVE_KINDS = frozenset(Alternative.values)
CONTENT_FIELDS = Entry.CONTENT_FIELDS


@dataclass(frozen=True)
class Outcome:
    result: Literal["created", "updated", "unchanged", "conflict"]
    entry: Entry


def same_content(entry: Entry, cleaned: dict) -> bool:
    return all(getattr(entry, name) == cleaned[name] for name in CONTENT_FIELDS)


def save_entry(*, user, form: EntryForm) -> Outcome:
    """Apply a valid form to the user's day."""
    return save_cleaned(user=user, cleaned=form.cleaned_data)


def save_cleaned(*, user, cleaned: dict) -> Outcome:
    """Apply a valid EntryForm's cleaned data. A lost race on create is retried once."""
    try:
        return _save(user=user, cleaned=cleaned)
    except IntegrityError:
        return _save(user=user, cleaned=cleaned)


@transaction.atomic
def _save(*, user, cleaned: dict) -> Outcome:
    entry = Entry.objects.select_for_update().filter(user=user, date=cleaned["date"]).first()
    if entry is None:
        entry = Entry(user=user, date=cleaned["date"], uuid=cleaned["uuid"] or uuid.uuid4())
        _apply(entry, cleaned)
        entry.save()
        return Outcome("created", entry)
    is_replay = cleaned["uuid"] in (None, entry.uuid) and same_content(entry, cleaned)
    if is_replay:
        return Outcome("unchanged", entry)
    if cleaned["base_version"] != entry.version:
        return Outcome("conflict", entry)
    _apply(entry, cleaned)
    entry.version += 1
    entry.save()
    return Outcome("updated", entry)


def add_days(*, user, days: list[dict]) -> int:
    """Create, in one transaction, the days (valid EntryForm data) that the diary does not
    hold yet; a day it holds stays as it is, as an import never overwrites. Returns how
    many were created."""
    with transaction.atomic():
        dates = [cleaned["date"] for cleaned in days]
        taken = set(Entry.objects.filter(user=user, date__in=dates).values_list("date", flat=True))
        new = []
        for cleaned in days:
            if cleaned["date"] not in taken:
                taken.add(cleaned["date"])
                entry = Entry(user=user, date=cleaned["date"], uuid=cleaned["uuid"] or uuid.uuid4())
                _apply(entry, cleaned)
                new.append(entry)
        try:
            with transaction.atomic():
                Entry.objects.bulk_create(new)
                # bulk_create sends no post_save
                recount_shoes(user.pk)
                mark_changed(user.pk)
        except IntegrityError:  # another device saved one of these days meanwhile
            return sum(save_cleaned(user=user, cleaned=c).result == "created" for c in days)
        return len(new)


def _apply(entry: Entry, cleaned: dict) -> None:
    for name in CONTENT_FIELDS:
        setattr(entry, name, cleaned[name])


def entry_json(entry: Entry) -> dict:
    """The day as the API and the export give it. The flat run fields are the day's run,
    or its runs added up; a day with more than one run lists them in `runs` too."""
    fields = {name: getattr(entry, name) for name in CONTENT_FIELDS} | {"shoe": entry.shoe_id}
    body = {
        "uuid": str(entry.uuid),
        "date": entry.date.isoformat(),
        "version": entry.version,
        **fields,
        "updated": entry.updated.isoformat(),
    }
    runs = kept_runs(entry)
    if len(runs) > 1:
        body["runs"] = [
            {
                "started_at": run.started_at.isoformat(),
                "distance_km": run.distance_km,
                "duration_min": run.duration_min,
                "surface": run.surface,
                "effort": run.effort,
            }
            for run in runs
        ]
    return body


def with_runs(days):
    """Entries with their kept runs read in one more query (for kept_runs)."""
    runs = Activity.objects.filter(kind="run", status=Activity.Status.ADDED)
    return days.prefetch_related(Prefetch("activities", queryset=runs, to_attr="kept_runs"))


def kept_runs(entry: Entry) -> list[Activity]:
    if hasattr(entry, "kept_runs"):
        return entry.kept_runs
    return list(entry.activities.filter(kind="run", status=Activity.Status.ADDED))


def read_json(raw: bytes | str):
    """json.loads for what a client sends. Every way it can fail is a ValueError: bad
    syntax or encoding, a number of more than 4,300 digits, and nesting deep enough to
    exhaust the parser's recursion limit."""
    try:
        return json.loads(raw)
    except RecursionError as error:
        raise ValueError("JSON nested too deeply") from error


def form_data_from_json(payload: dict) -> tuple[dict, dict]:
    """Turn an API body into EntryForm data. Returns (data, errors the form can't see):
    the shape checks that a browser form never needs, since its values are all strings."""
    data, errors = {}, {}
    for key, value in payload.items():
        if key in ("alternatives", "symptoms"):
            continue
        if isinstance(value, list | dict):
            errors[key] = ["Send a single value, not a list or an object."]
        else:
            data[key] = as_form_value(value)
    symptoms = payload.get("symptoms") or []
    if isinstance(symptoms, list) and all(isinstance(code, str) for code in symptoms):
        data["symptoms"] = symptoms
    else:
        errors["symptoms"] = ["Send a list of symptom codes."]
    alternatives = payload.get("alternatives") or []
    if not isinstance(alternatives, list):
        errors["alternatives"] = ["Send a list of {kind, minutes}."]
        alternatives = []
    for item in alternatives:
        kind = item.get("kind") if isinstance(item, dict) else None
        minutes = item.get("minutes") if isinstance(item, dict) else None
        if kind not in ALTERNATIVE_KINDS or isinstance(minutes, list | dict):
            errors["alternatives"] = [
                f"{kind!r} with {minutes!r} minutes is not an activity we know."
            ]
            continue
        data[f"alt_{kind}"] = as_form_value(minutes)
    return data, errors


def as_form_value(value) -> str:
    """JSON scalars become the strings a browser would send, so both paths parse alike."""
    return "" if value is None else str(value)


def form_from_json(*, user, payload: dict) -> tuple[EntryForm, dict]:
    """The entry form fed from an API body, and its errors under the API's own field names
    (empty when the form is valid)."""
    data, errors = form_data_from_json(payload)
    form = EntryForm(data, user=user, unit="km")
    if not form.is_valid() or errors:
        for name, field_errors in form.errors.items():
            key = "alternatives" if name.startswith("alt_") else name
            errors.setdefault(key, []).extend(field_errors)
    return form, errors


def copy_yesterday(*, user, today, with_run: bool, entry_id=None) -> Outcome | None:
    """ "Same as yesterday" as a write of today (EntryForm.copied_from says what is copied).
    A phone that kept the copy while the answer was lost replays it under the same id."""
    yesterday = Entry.objects.filter(user=user, date=today - timedelta(days=1)).first()
    if yesterday is None:
        return None
    today_entry = Entry.objects.filter(user=user, date=today).first()
    data = EntryForm.copied_from(yesterday, user.unit, with_run=with_run) | {
        "date": today,
        "uuid": entry_id,
        "base_version": today_entry.version if today_entry else None,
    }
    form = EntryForm(data, user=user)
    return save_entry(user=user, form=form) if form.is_valid() else None


def set_alternative(*, user, day, activity: str, minutes: int) -> Outcome:
    """ "I did this instead": the day's minutes of `activity` become `minutes`, as a new
    version of the day written through the form like any other. Setting, not adding, makes
    a second tap (or a replayed one) change nothing."""
    with transaction.atomic():
        entry = Entry.objects.select_for_update().get(user=user, date=day)
        data = EntryForm.initial_from(entry, "km") | {f"alt_{activity}": minutes}
        form = EntryForm(data, user=user, unit="km")
        if not form.is_valid():
            raise ValueError(f"the day no longer validates: {form.errors.as_json()}")
        return save_entry(user=user, form=form)


# Activities from watch files (pages/imports.py reads them; these are their writes).


@dataclass(frozen=True)
class Imported:
    """What became of one activity: added to its day, waiting for the runner to choose
    against the run they typed, or skipped (with the reason, as the result page says it)."""

    day: date
    kind: str  # "run" or an alternative's code
    result: Literal["added", "to_choose", "skipped"]
    reason: str = ""


def add_activity(
    *, user, found: FoundActivity, day: date, source: str, shoe_id: int | None
) -> Imported:
    """Put an activity read from a file on its day. It adds and never overwrites: a day
    with no entry gets one with no pain (the runner rates it), a typed run is kept and the
    file's run waits beside it for the runner to choose, and a second run from a file adds
    up with the first. The activity's key makes a second import of it change nothing."""
    kind = found.sport
    minutes = round(found.duration_s / 60) if found.duration_s else None
    problem = _out_of_range(found, minutes)
    if problem:
        return Imported(day, kind, "skipped", problem)
    try:
        with transaction.atomic():
            return _add_activity(user, found, day, kind, minutes, source, shoe_id)
    except IntegrityError:  # the same activity, imported at the same moment elsewhere
        return Imported(day, kind, "skipped", ALREADY_IMPORTED)


ALREADY_IMPORTED = "already in your diary"


def _out_of_range(found: Activity, minutes: int | None) -> str:
    if minutes is not None and minutes > MAX_DURATION_MIN:
        return "longer than a day, so it was left out"
    if found.distance_km is not None and found.distance_km > MAX_DISTANCE_KM:
        return f"longer than {MAX_DISTANCE_KM} km, so it was left out"
    if found.sport != "run" and not minutes:
        return "has no duration, so there were no minutes to add"
    return ""


def _add_activity(user, found, day, kind, minutes, source, shoe_id) -> Imported:
    if Activity.objects.filter(user=user, key=found.key).exists():
        return Imported(day, kind, "skipped", ALREADY_IMPORTED)
    entry = Entry.objects.select_for_update().filter(user=user, date=day).first()
    if entry is None:
        entry = Entry(user=user, date=day, pain=None)
    record = Activity(
        user=user, kind=kind, started_at=found.start, key=found.key, source=source[:200],
        distance_km=_km(found.distance_km), duration_min=minutes,
        surface=found.surface or "", effort=found.effort,
    )  # fmt: skip
    if kind == "run":
        record.status = _put_run(entry, record, shoe_id)
    else:
        record.status = _put_alternative(entry, record)
    if record.status != Activity.Status.DECLINED:
        if entry.pk is not None and record.status == Activity.Status.ADDED:
            entry.version += 1
        entry.save()
    record.entry = entry
    record.save()
    if record.status == Activity.Status.DECLINED:
        return Imported(day, kind, "skipped", f"you logged {kind} that day already")
    return Imported(day, kind, "to_choose" if record.status == "to_choose" else "added")


def _km(distance_km: float | None) -> float | None:
    return round(distance_km, 3) if distance_km else None


def _put_run(entry: Entry, run: Activity, shoe_id: int | None) -> str:
    if entry.ran and not _has_imported(entry, "run"):
        return Activity.Status.TO_CHOOSE  # the runner typed a run: they choose
    if not entry.ran:
        entry.ran = True
        entry.distance_km, entry.duration_min = run.distance_km, run.duration_min
        entry.surface = run.surface
        entry.shoe_id = entry.shoe_id or shoe_id
        return Activity.Status.ADDED
    _add_up(entry, run)
    return Activity.Status.ADDED


def _add_up(entry: Entry, run: Activity) -> None:
    """A second run on the day: the day's distance and time are both runs' (for load and
    shoes); a different surface makes the day's "mixed"."""
    entry.distance_km = _km((entry.distance_km or 0) + (run.distance_km or 0))
    minutes = (entry.duration_min or 0) + (run.duration_min or 0)
    entry.duration_min = min(minutes, MAX_DURATION_MIN) or None
    if run.surface and entry.surface != run.surface:
        entry.surface = run.surface if not entry.surface else "mixed"


def _put_alternative(entry: Entry, activity: Activity) -> str:
    """Minutes of cycling, swimming and the rest add to the day's. Minutes the runner typed
    for the same activity are theirs: the file's are left out."""
    minutes = entry.alternative_minutes
    if activity.kind in minutes and not _has_imported(entry, activity.kind):
        return Activity.Status.DECLINED
    total = minutes.get(activity.kind, 0) + activity.duration_min
    minutes[activity.kind] = min(total, MAX_ALTERNATIVE_MIN)
    entry.alternatives = [{"kind": kind, "minutes": n} for kind, n in minutes.items()]
    return Activity.Status.ADDED


def _has_imported(entry: Entry, kind: str) -> bool:
    if entry.pk is None:
        return False
    return entry.activities.filter(kind=kind, status=Activity.Status.ADDED).exists()


def choose_run(*, user, activity_id: int, choice: str) -> Outcome:
    """The runner's choice for a file's run on a day where they typed one: use the file's
    numbers instead, keep both runs, or keep theirs."""
    with transaction.atomic():
        run = Activity.objects.select_for_update().get(
            pk=activity_id, user=user, status=Activity.Status.TO_CHOOSE
        )
        entry = Entry.objects.select_for_update().get(pk=run.entry_id)
        if choice == "mine":
            run.status = Activity.Status.DECLINED
            run.save(update_fields=["status"])
            return Outcome("unchanged", entry)
        if choice == "file":
            entry.distance_km, entry.duration_min = run.distance_km, run.duration_min
            entry.surface = run.surface or entry.surface
        else:  # both: the typed run becomes a row too, so the day lists its two runs
            Activity.objects.create(
                user=user, entry=entry, kind="run", key=f"typed:{entry.uuid}:{run.pk}",
                started_at=entry.updated, distance_km=entry.distance_km,
                duration_min=entry.duration_min, surface=entry.surface, source="typed",
            )  # fmt: skip
            _add_up(entry, run)
        run.status = Activity.Status.ADDED
        run.save(update_fields=["status"])
        entry.version += 1
        entry.save()
        return Outcome("updated", entry)
