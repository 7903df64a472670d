"""A day with only an imported run has no pain yet: it counts for distance and load, never
for the pain rules (PRODUCT.md, "Bringing runs in"). Pure rules, no database."""

from datetime import date, timedelta

import pytest

from pages import trends
from pages.advice.rules import Day, assess

ON = date(2025, 6, 30)


def days_before(pains, *, run_km=None):
    """Rated days ending the day before ON (oldest first); runs of run_km on each."""
    return [
        Day(ON - timedelta(days=len(pains) - n), pain, ran=run_km is not None, distance_km=run_km)
        for n, pain in enumerate(pains)
    ]


@pytest.mark.parametrize(
    ("today", "status", "pain"),
    [
        (Day(ON, None, ran=True, distance_km=8), "none", None),
        (Day(ON, 7, ran=True, distance_km=8), "red", 7),
    ],
)
def test_assess_unrated_day_has_no_light_until_rated(today, status, pain):
    found = assess(on=ON, days=[*days_before([2, 2, 2, 2]), today], unit="km")
    assert (found.status, found.pain) == (status, pain)


def test_assess_unrated_runs_count_for_the_ramp():
    easy = [Day(ON - timedelta(days=n), 2, ran=True, distance_km=2) for n in range(14, 28)]
    imported = [Day(ON - timedelta(days=n), None, ran=True, distance_km=6) for n in range(1, 14)]
    found = assess(on=ON, days=[*easy, *imported, Day(ON, 2)], unit="km")
    assert found.ramp is not None
    assert found.ramp.last_km == 78


def test_assess_unrated_day_between_rated_ones_leaves_the_baseline_alone():
    rated = days_before([2, 2, 2, 2, 2, 2])
    unrated = [Day(ON - timedelta(days=3), None, ran=True, distance_km=10)]
    without = assess(on=ON, days=[*rated, Day(ON, 3)], unit="km").baseline
    with_unrated = [d for d in rated if d.date != ON - timedelta(days=3)] + unrated
    assert assess(on=ON, days=[*with_unrated, Day(ON, 3)], unit="km").baseline == without


@pytest.mark.parametrize(
    ("pain", "logged", "km"),
    [(None, 6, 16.0), (4, 7, 16.0)],
)
def test_trend_unrated_day_adds_distance_not_a_logged_day(pain, logged, km):
    first, last = ON - timedelta(days=6), ON
    days = [Day(first + timedelta(days=n), 2, ran=n == 0, distance_km=8 if n == 0 else None)
            for n in range(6)]  # fmt: skip
    days.append(Day(ON, pain, ran=True, distance_km=8))
    found = trends.trend(days=days, first=first, last=last)
    assert (found.logged_days, found.total_km) == (logged, km)
    assert all(p is not None for p in found.pains)
