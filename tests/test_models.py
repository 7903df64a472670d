from datetime import date

import pytest
from django.db import IntegrityError, transaction

from pages.models import Entry


@pytest.mark.parametrize(
    "fields",
    [
        {"pain": 11},
        {"pain": 4, "ran": True, "run_pain": 11},
        {"pain": 4, "ran": True, "distance_km": 0},
        {"pain": 4, "ran": True, "distance_km": 300.5},
        {"pain": 4, "ran": True, "duration_min": 0},
        {"pain": 4, "ran": True, "duration_min": 1441},
        {"pain": 4, "ran": False, "distance_km": 5},
        {"pain": 4, "ran": False, "run_pain": 3},
    ],
)
def test_entry_out_of_range_values_rejected_by_database(user, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        Entry.objects.create(user=user, date=date(2026, 1, 1), **fields)


def test_entry_second_entry_same_day_rejected(user, make_entry):
    make_entry(user, date=date(2026, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        make_entry(user, date=date(2026, 1, 1))


def test_entry_same_day_for_two_users_allowed(user, other_user, make_entry):
    make_entry(user, date=date(2026, 1, 1))
    make_entry(other_user, date=date(2026, 1, 1))
    assert Entry.objects.filter(date=date(2026, 1, 1)).count() == 2


def test_entry_uuid_reused_by_same_user_rejected(user, make_entry):
    first = make_entry(user, date=date(2026, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        make_entry(user, date=date(2026, 1, 2), uuid=first.uuid)


def test_entry_edges_of_ranges_accepted(user):
    entry = Entry.objects.create(
        user=user,
        date=date(2026, 1, 1),
        pain=10,
        ran=True,
        distance_km=300,
        duration_min=1440,
        run_pain=0,
    )
    assert str(entry) == "runner@example.com 2026-01-01: pain 10"


def test_user_email_is_login_name(user):
    assert user.get_username() == "runner@example.com"
    assert user.unit == "km"
