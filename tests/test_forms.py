from datetime import timedelta

import pytest
from django.utils import timezone

from pages.forms import EntryForm

TODAY = timezone.localdate()


def form_for(user, unit="km", **data):
    user.unit = unit
    data.setdefault("date", TODAY.isoformat())
    data.setdefault("pain", "3")
    return EntryForm(data, user=user)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"pain": "-1"}, "pain"),
        ({"pain": "11"}, "pain"),
        ({"pain": "3.5"}, "pain"),
        ({"pain": ""}, "pain"),
        ({"pain": "lots"}, "pain"),
        ({"date": (TODAY + timedelta(days=1)).isoformat()}, "date"),
        ({"date": "2026-02-30"}, "date"),
        ({"date": ""}, "date"),
        ({"ran": "on", "distance_km": "0"}, "distance_km"),
        ({"ran": "on", "distance_km": "-3"}, "distance_km"),
        ({"ran": "on", "distance_km": "300.01"}, "distance_km"),
        ({"ran": "on", "distance_km": "far"}, "distance_km"),
        ({"ran": "on", "duration_min": "0"}, "duration_min"),
        ({"ran": "on", "duration_min": "1441"}, "duration_min"),
        ({"ran": "on", "surface": "sand"}, "surface"),
        ({"ran": "on", "run_pain": "11"}, "run_pain"),
        ({"ran": "on", "shoe": "999999"}, "shoe"),
        ({"symptoms": ["saddle_numbness", "headache"]}, "symptoms"),
        ({"alt_swimming": "0"}, "alt_swimming"),
        ({"alt_yoga": "1441"}, "alt_yoga"),
        ({"notes": "x" * 2001}, "notes"),
        ({"uuid": "not-a-uuid"}, "uuid"),
        ({"base_version": "0"}, "base_version"),
    ],
)
def test_entry_form_invalid_input_error_on_its_field(user, data, field):
    form = form_for(user, **data)
    assert not form.is_valid()
    assert field in form.errors


@pytest.mark.parametrize(
    "data",
    [
        {"pain": "0"},
        {"pain": "10"},
        {"date": TODAY.isoformat()},
        {"date": (TODAY - timedelta(days=3650)).isoformat()},
        {"ran": "on", "distance_km": "0.01"},
        {"ran": "on", "distance_km": "300"},
        {"ran": "on", "duration_min": "1"},
        {"ran": "on", "duration_min": "1440"},
        {"ran": "on", "run_pain": "0", "surface": "trail", "warmup": "on"},
        {"ran": "on", "run_pain": "10", "surface": "road"},
        {"symptoms": ["saddle_numbness", "fever", "leg_pain", "daily_life"]},
        {"alt_swimming": "1", "alt_other": "1440"},
        {"notes": "x" * 2000},
    ],
)
def test_entry_form_valid_input_accepted(user, data):
    form = form_for(user, **data)
    assert form.is_valid(), form.errors


def test_entry_form_miles_stored_as_km(user):
    form = form_for(user, unit="mi", ran="on", distance_km="10")
    assert form.is_valid()
    assert form.cleaned_data["distance_km"] == pytest.approx(16.093, abs=0.001)


def test_entry_form_miles_limit_checked_in_km(user):
    form = form_for(user, unit="mi", ran="on", distance_km="187")
    assert not form.is_valid()
    assert "186 mi" in form.errors["distance_km"][0]


def test_entry_form_not_ran_clears_run_fields(user):
    form = form_for(user, distance_km="5", run_pain="4", surface="road", warmup="on")
    assert form.is_valid()
    assert form.cleaned_data["distance_km"] is None
    assert form.cleaned_data["run_pain"] is None
    assert form.cleaned_data["surface"] == ""
    assert form.cleaned_data["warmup"] is False


def test_entry_form_other_users_shoe_refused(user, other_user, make_shoe):
    shoe = make_shoe(other_user)
    form = form_for(user, ran="on", shoe=str(shoe.pk))
    assert not form.is_valid()
    assert form.errors["shoe"] == ["Choose one of your own shoes."]


def test_entry_form_alternatives_collected(user):
    form = form_for(user, alt_swimming="30", alt_yoga="15")
    assert form.is_valid()
    assert form.cleaned_data["alternatives"] == [
        {"kind": "swimming", "minutes": 30},
        {"kind": "yoga", "minutes": 15},
    ]
