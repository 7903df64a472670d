"""Every write to a diary day: the form, the JSON API, "same as yesterday", "I did this
instead" and the import all go through EntryForm and the versioned save here.

A write names the version it edited (`base_version`). The server accepts it only when that
is still the current version, so two devices never overwrite each other silently, and an
offline outbox can replay the same write any number of times."""

import json
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from django.db import IntegrityError, transaction

from pages.choices import Alternative
from pages.forms import EntryForm
from pages.models import Entry, mark_changed

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
                mark_changed(user.pk)  # bulk_create sends no post_save
        except IntegrityError:  # another device saved one of these days meanwhile
            return sum(save_cleaned(user=user, cleaned=c).result == "created" for c in days)
        return len(new)


def _apply(entry: Entry, cleaned: dict) -> None:
    for name in CONTENT_FIELDS:
        setattr(entry, name, cleaned[name])


def entry_json(entry: Entry) -> dict:
    fields = {name: getattr(entry, name) for name in CONTENT_FIELDS} | {"shoe": entry.shoe_id}
    return {
        "uuid": str(entry.uuid),
        "date": entry.date.isoformat(),
        "version": entry.version,
        **fields,
        "updated": entry.updated.isoformat(),
    }


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
