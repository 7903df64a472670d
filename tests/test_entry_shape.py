"""One shape for an entry: every layer follows Entry.CONTENT_FIELDS, and every vocabulary
has one source (pages/vocab.py). A field or a code that one layer forgets fails here."""

import csv
import io
import re

import pytest

from pages import advice, entries, export
from pages.choices import SYMPTOM_GROUPS, Alternative
from pages.forms import EntryForm
from pages.models import Entry
from pages.vocab import SYMPTOMS, TIERS, symptoms_in

FIELDS = Entry.CONTENT_FIELDS


def form_names(name: str) -> list[str]:
    return [f"alt_{kind}" for kind in Alternative.values] if name == "alternatives" else [name]


@pytest.mark.parametrize("name", FIELDS)
def test_content_field_is_a_model_field(name):
    assert Entry._meta.get_field(name)


@pytest.mark.parametrize("name", FIELDS)
def test_content_field_is_in_the_form(name, user):
    form = EntryForm(user=user)
    assert all(field in form.fields for field in form_names(name))


def test_content_fields_round_trip_json_form_and_csv(user, make_entry, make_shoe):
    shoe = make_shoe(user)
    entry = make_entry(
        user, pain=4, ran=True, distance_km=8, duration_min=45, surface="trail", shoe=shoe,
        run_pain=3, warmup=True, cooldown=True, symptoms=["leg_pain"],
        alternatives=[{"kind": "yoga", "minutes": 15}], notes="Hilly.",
    )  # fmt: skip
    as_json = entries.entry_json(entry)
    assert set(FIELDS) <= set(as_json)
    form = EntryForm(EntryForm.initial_from(entry, "km"), user=user)
    assert form.is_valid(), form.errors
    assert all(form.cleaned_data[name] == getattr(entry, name) for name in FIELDS)
    header = next(csv.reader(io.StringIO(export.entries_csv(user))))
    assert all(name in header for name in FIELDS if name != "alternatives")
    assert all(f"{kind}_min" in header for kind in Alternative.values)


def test_symptom_vocabulary_has_one_source():
    form_codes = [code for _, items in SYMPTOM_GROUPS for code, _ in items]
    assert form_codes == [symptom.code for symptom in SYMPTOMS]
    assert [name for name, _ in SYMPTOM_GROUPS] == [tier.name for tier in TIERS]
    rule_tiers = advice.rules.RED_FLAG_TIERS
    assert rule_tiers == tuple((tier.code, symptoms_in(tier.code)) for tier in TIERS)


def test_pain_bands_have_one_source(signed_in):
    from pathlib import Path

    from pages.templatetags.backpain import pain_level
    from pages.vocab import ACCEPTABLE_PAIN_MAX, SAFE_PAIN_MAX, pain_band

    assert [pain_level(n) for n in range(11)] == [pain_band(n) for n in range(11)]
    assert advice.rules.SAFE_PAIN_MAX == SAFE_PAIN_MAX
    assert advice.rules.ACCEPTABLE_PAIN_MAX == ACCEPTABLE_PAIN_MAX
    html = signed_in.get("/log/").content.decode()
    assert f'data-pain-bands="{SAFE_PAIN_MAX} {ACCEPTABLE_PAIN_MAX}"' in html
    for script in Path("static/js").glob("*.js"):
        text = script.read_text()
        assert f"<= {SAFE_PAIN_MAX}" not in text and f"<= {ACCEPTABLE_PAIN_MAX}" not in text


def test_content_fields_are_the_models_own_but_bookkeeping():
    names = [field.name for field in Entry._meta.concrete_fields]
    bookkeeping = {"id", "user", "date", "uuid", "version", "created", "updated"}
    assert tuple(name for name in names if name not in bookkeeping) == FIELDS


def test_the_phone_reads_every_content_field_from_the_page(signed_in):
    html = signed_in.get("/log/").content.decode()
    kinds = re.search(r'data-entry-fields="([^"]+)"', html).group(1)
    sent = dict(pair.split(":") for pair in kinds.split())
    assert set(sent) == set(FIELDS) - {"alternatives"}
    assert set(sent.values()) <= {"bool", "list", "number", "text"}
    assert sent["pain"] == sent["distance_km"] == sent["shoe"] == "number"
    assert sent["ran"] == "bool" and sent["symptoms"] == "list"


@pytest.mark.parametrize("name", FIELDS)
def test_every_content_field_has_an_input_on_the_log_page(signed_in, user, make_shoe, name):
    make_shoe(user)
    html = signed_in.get("/log/").content.decode()
    assert all(f'name="{field}"' in html for field in form_names(name))


def test_fields_the_form_does_not_declare_come_from_the_model(monkeypatch, user):
    from pages import forms

    undeclared = set(FIELDS) - set(EntryForm.declared_fields) - {"alternatives"}
    assert set(forms.ADDED_FIELDS) == undeclared
    assert all(name in EntryForm.base_fields for name in forms.ADDED_FIELDS)
    monkeypatch.setattr(forms, "ADDED_FIELDS", ("notes",))
    assert [field.name for field in EntryForm(user=user).added_fields()] == ["notes"]


def test_units_surfaces_and_activities_have_one_source():
    from pages.choices import Surface, Unit
    from pages.vocab import ALTERNATIVES, SURFACES, UNITS

    assert Unit.choices == list(UNITS)
    assert Surface.choices == list(SURFACES)
    assert Alternative.choices == list(ALTERNATIVES)
    assert Entry._meta.get_field("surface").choices == list(SURFACES)
    assert tuple(code for code, _ in UNITS) == advice.UNIT_CODES
