"""The clinician report (/report/): its period, its bad input and what it shows."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.html import escape

TODAY = timezone.localdate


def test_report_needs_a_signed_in_runner(client, db):
    assert client.get("/report/").status_code == 302


def fill(user, make_entry, make_shoe, days=30):
    shoe = make_shoe(user, name="Road pair")
    for ago in range(days):
        ran = ago % 2 == 0
        make_entry(user, days_ago=ago, pain=2 + ago % 4, ran=ran, shoe=shoe if ran else None,
                   distance_km=8.0 if ran else None, run_pain=[2, 5, 7][ago % 3] if ran else None,
                   alternatives=[] if ran else [{"kind": "swimming", "minutes": 30}],
                   notes="Stiff after sitting all day." if ago == 3 else "")  # fmt: skip
    make_entry(user, days_ago=days, pain=3, symptoms=["fever"])


def test_default_report_is_the_last_twelve_weeks_with_its_numbers(
    signed_in, user, make_entry, make_shoe
):
    fill(user, make_entry, make_shoe)
    response = signed_in.get("/report/")
    assert response.status_code == 200
    html = response.content.decode()
    twelve_weeks = TODAY() - timedelta(days=TODAY().weekday()) - timedelta(weeks=11)
    first = max(twelve_weeks, TODAY() - timedelta(days=30))  # the diary's first day
    assert f"{first:%-d %B %Y} to {TODAY():%-d %B %Y}" in html
    assert "on 31 logged days: mean" in html and "worst 5" in html
    assert '<svg class="chart-svg"' in html
    assert "Road pair" in html and "swimming 7 h 30 min" in html
    assert "fever" in html
    assert "5 at 0–3, 5 at 4–5, 5 over 5" in html
    assert "information, not a diagnosis" in html


def test_notes_appear_only_when_ticked(signed_in, user, make_entry, make_shoe):
    fill(user, make_entry, make_shoe)
    day = (TODAY() - timedelta(days=3)).isoformat()
    assert "In the runner's own words" not in signed_in.get("/report/").content.decode()
    html = signed_in.get(f"/report/?note={day}").content.decode()
    words = html[html.index("In the runner's own words") :]
    assert "“Stiff after sitting all day.”" in words


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("from=2026-13-01", "from", "Enter a date as YYYY-MM-DD."),
        ("to=yesterday", "to", "Enter a date as YYYY-MM-DD."),
        ("to=2999-01-01", "to", "That day hasn't happened yet."),
        ("from=2026-11-10&to=2026-11-01", "from", "The start comes after the end."),
        ("from=2010-01-01&to=2026-11-01", "from", "A report covers at most 5 years."),
        ("from=2001-01-01&to=2001-02-01", "to", "Your diary starts on"),
    ],
)
def test_bad_periods_say_why_next_to_the_field(signed_in, user, make_entry, query, field, message):
    make_entry(user, days_ago=5, pain=3)
    response = signed_in.get(f"/report/?{query}")
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html and escape(message) in html
    assert "<svg" not in html


def test_nothing_logged_at_all_says_so(signed_in, user):
    response = signed_in.get("/report/")
    assert response.status_code == 400
    assert "Nothing is logged yet" in response.content.decode()


def test_a_period_without_entries_says_so_and_draws_nothing(signed_in, user, make_entry):
    make_entry(user, days_ago=200, pain=3)
    make_entry(user, days_ago=1, pain=3)
    start, end = TODAY() - timedelta(days=100), TODAY() - timedelta(days=50)
    html = signed_in.get(f"/report/?from={start}&to={end}").content.decode()
    assert "Nothing is logged between these dates" in html and "<svg" not in html


def test_a_start_before_the_diary_begins_starts_at_its_first_day(signed_in, user, make_entry):
    make_entry(user, days_ago=10, pain=3)
    start = TODAY() - timedelta(days=400)
    html = signed_in.get(f"/report/?from={start}").content.decode()
    first = TODAY() - timedelta(days=10)
    assert f"Your diary starts on {first:%-d %B %Y}, so the report starts there." in html
    assert f"{first:%-d %B %Y} to" in html


def test_another_runners_days_never_appear(signed_in, user, other_user, make_entry):
    make_entry(user, days_ago=1, pain=2)
    make_entry(other_user, days_ago=1, pain=9, notes="their secret", symptoms=["fever"])
    html = signed_in.get(f"/report/?note={TODAY() - timedelta(days=1)}").content.decode()
    assert "their secret" not in html and "fever" not in html and "worst 2" in html
