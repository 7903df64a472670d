"""A full run entry and the diary list (issue 12, items 5 and 10): units, form, views."""

from datetime import timedelta

import pytest
from django.utils import timezone

from pages import diary
from pages.forms import EntryForm
from pages.models import Entry, User
from pages.units import parse_duration, show_distance, show_duration, show_pace
from tests.conftest import entry_payload

TODAY = timezone.localdate()


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("45", 45),
        (" 45 ", 45),
        ("1:05", 65),
        ("0:45", 45),
        ("2:00", 120),
        ("24:00", 1440),
        ("1:5", None),
        ("1:60", None),
        ("1:05:30", None),
        (":30", None),
        ("1:", None),
        ("1.5", None),
        ("-5", None),
        ("٤٥", None),  # digits, but not ones a runner types here
        ("45 min", None),
    ],
)
def test_parse_duration_minutes_or_hours_and_minutes(text, minutes):
    assert parse_duration(text) == minutes


@pytest.mark.parametrize(
    ("km", "minutes", "unit", "shown"),
    [
        (8, 45, "km", "5:38 /km"),
        (10, 65, "km", "6:30 /km"),
        (8, 45, "mi", "9:03 /mi"),
        (1, 4, "km", "4:00 /km"),
        (3, 10, "km", "3:20 /km"),
        (None, 45, "km", ""),
        (8, None, "km", ""),
    ],
)
def test_show_pace_minutes_and_seconds_per_unit(km, minutes, unit, shown):
    assert show_pace(km, minutes, unit) == shown


@pytest.mark.parametrize(
    ("km", "unit", "places", "shown"),
    [
        (8, "mi", 2, "4.97 mi"),
        (8, "km", 2, "8 km"),
        (12.5, "km", 2, "12.5 km"),
        (8.123, "km", 2, "8.12 km"),
        (100, "km", 2, "100 km"),
        (100, "km", 0, "100 km"),
        (8, "mi", 1, "5 mi"),
    ],
)
def test_show_distance_at_most_the_given_places(km, unit, places, shown):
    assert show_distance(km, unit, places=places) == shown


@pytest.mark.parametrize(
    ("minutes", "shown"), [(45, "45 min"), (60, "1 h"), (65, "1 h 5 min"), (None, "")]
)
def test_show_duration(minutes, shown):
    assert show_duration(minutes) == shown


def run_data(**data):
    return {"date": TODAY.isoformat(), "pain": "2", "ran": "on"} | data


@pytest.mark.parametrize(("typed", "stored"), [("45", 45), ("1:05", 65), ("24:00", 1440)])
def test_entry_form_time_as_minutes_or_hmm(user, typed, stored):
    form = EntryForm(run_data(duration_min=typed), user=user)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["duration_min"] == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1:75", "hours and minutes (1:05)"),
        ("fast", "hours and minutes (1:05)"),
        ("0", "at least 1 minute"),
        ("24:01", "At most 24 hours"),
    ],
)
def test_entry_form_bad_time_error_on_the_field(user, typed, message):
    form = EntryForm(run_data(duration_min=typed), user=user)
    assert not form.is_valid()
    assert message in " ".join(form.errors["duration_min"])


def test_api_time_as_hmm_or_integer_agrees_with_the_form(signed_in, user):
    for day, minutes in ((1, "1:05"), (2, 65)):
        date = (TODAY - timedelta(days=day)).isoformat()
        payload = entry_payload(date=date, ran=True, distance_km=10, duration_min=minutes)
        response = signed_in.post("/api/entries/", payload, content_type="application/json")
        assert response.status_code == 201, response.content
    assert set(Entry.objects.values_list("duration_min", flat=True)) == {65}
    payload = entry_payload(ran=True, duration_min="1:75")
    response = signed_in.post("/api/entries/", payload, content_type="application/json")
    assert response.status_code == 400
    assert "duration_min" in response.json()["errors"]


@pytest.mark.parametrize(
    ("stored_km", "unit", "shown"),
    [(8.0, "mi", 4.97), (8.123, "km", 8.12), (42.195, "mi", 26.22), (5.0, "km", 5.0)],
)
def test_entry_form_resaving_what_is_shown_keeps_the_stored_km(
    user, make_entry, stored_km, unit, shown
):
    entry = make_entry(user, ran=True, distance_km=stored_km)
    initial = EntryForm.initial_from(entry, unit)
    assert initial["distance_km"] == shown
    data = run_data(distance_km=str(shown), base_version=str(entry.version))
    form = EntryForm(data, user=user, unit=unit)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["distance_km"] == stored_km


def test_entry_form_changed_distance_in_miles_is_saved(user, make_entry):
    make_entry(user, ran=True, distance_km=8.0)
    form = EntryForm(run_data(distance_km="4.98"), user=user, unit="mi")
    assert form.is_valid()
    assert form.cleaned_data["distance_km"] == 8.015


def test_entry_form_offers_active_pairs_and_the_days_own_retired_pair(user, make_shoe, make_entry):
    active = make_shoe(user, "Active")
    retired = make_shoe(user, "Retired", retired=True)
    new_day = EntryForm(initial=EntryForm.initial_from(Entry(date=TODAY), "km"), user=user)
    assert list(new_day.fields["shoe"].queryset) == [active]
    past = make_entry(user, days_ago=3, ran=True, distance_km=5, shoe=retired)
    old_day = EntryForm(initial=EntryForm.initial_from(past, "km"), user=user)
    assert set(old_day.fields["shoe"].queryset) == {active, retired}
    assert "Retired (retired)" in str(old_day["shoe"])
    resaved = EntryForm(run_data(shoe=str(retired.pk)), user=user)
    assert resaved.is_valid(), resaved.errors
    assert resaved.cleaned_data["shoe"] == retired


@pytest.mark.parametrize(
    ("default", "last_run", "starts_on"),
    [
        (None, None, None),
        (None, "b", "b"),
        ("a", "b", "a"),
        ("retired", "b", "b"),  # a retired default is passed over
        (None, "retired", None),  # and so is a retired last pair
    ],
)
def test_starting_shoe_default_then_last_run_never_retired(
    user, make_shoe, make_entry, default, last_run, starts_on
):
    shoes = {
        "a": make_shoe(user, "A"),
        "b": make_shoe(user, "B"),
        "retired": make_shoe(user, "Old", retired=True),
    }
    if last_run:
        make_entry(user, days_ago=4, ran=True, distance_km=5, shoe=shoes["b"])
        make_entry(user, days_ago=2, ran=True, distance_km=5, shoe=shoes[last_run])
        make_entry(user, days_ago=1, pain=2)
    if default:
        user.default_shoe = shoes[default]
        user.save(update_fields=["default_shoe"])
    expected = shoes[starts_on].pk if starts_on else None
    if last_run == "retired":  # the last pair still in use is the one before it
        expected = shoes["b"].pk
    assert diary.starting_shoe_id(user) == expected


def test_log_page_new_day_starts_on_the_last_pair(signed_in, user, make_shoe, make_entry):
    shoe = make_shoe(user, "Daily")
    make_entry(user, days_ago=1, ran=True, distance_km=5, shoe=shoe)
    form = signed_in.get("/log/").context["form"]
    assert form["shoe"].value() == shoe.pk


def test_default_shoe_saved_from_settings_and_pages_rerendered(signed_in, user, make_shoe):
    shoe = make_shoe(user, "Usual")
    signed_in.get("/log/")  # cached under the current stamp
    stamp = User.objects.get(pk=user.pk).data_stamp
    response = signed_in.post("/settings/shoes/default/", {"default_shoe": shoe.pk})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.default_shoe == shoe
    assert user.data_stamp > stamp
    assert signed_in.get("/log/").context["form"]["shoe"].value() == shoe.pk
    signed_in.post("/settings/shoes/default/", {"default_shoe": ""})
    user.refresh_from_db()
    assert user.default_shoe is None


@pytest.mark.parametrize("whose", ["other", "retired"])
def test_default_shoe_refuses_another_runners_or_a_retired_pair(
    signed_in, user, other_user, make_shoe, whose
):
    shoe = make_shoe(other_user) if whose == "other" else make_shoe(user, retired=True)
    response = signed_in.post("/settings/shoes/default/", {"default_shoe": shoe.pk})
    assert response.status_code == 400
    assert b"Choose one of your pairs that is not retired." in response.content
    user.refresh_from_db()
    assert user.default_shoe is None


def test_history_lists_unlogged_days_and_each_days_light(user, make_entry):
    monday = TODAY - timedelta(days=TODAY.weekday() + 7)
    for n in (14, 13, 12):  # the baseline comes from before the page's weeks
        make_entry(user, date=monday - timedelta(days=n), pain=2)
    make_entry(user, date=monday, pain=6)
    make_entry(user, date=monday + timedelta(days=2), pain=4)
    make_entry(user, date=monday + timedelta(days=3), pain=1)
    weeks, _ = diary.history_page(user, before=TODAY - timedelta(days=TODAY.weekday()), today=TODAY)
    week = next(week for week in weeks if week.start == monday)
    rows = {row.day: (row.entry is not None, row.colour) for row in week.days}
    assert [row.day for row in week.days] == [monday + timedelta(days=n) for n in range(6, -1, -1)]
    assert rows[monday] == (True, "red")
    assert rows[monday + timedelta(days=1)] == (False, "")
    assert rows[monday + timedelta(days=2)] == (True, "amber")
    assert rows[monday + timedelta(days=3)] == (True, "green")


def test_history_days_stop_at_today_and_start_at_the_first_entry(user, make_entry):
    make_entry(user, days_ago=0)
    first = make_entry(user, days_ago=9)
    weeks, next_before = diary.history_page(user, before=None, today=TODAY)
    days = [row.day for week in weeks for row in week.days]
    assert next_before is None
    assert max(days) == TODAY
    assert min(days) == first.date
    oldest = weeks[-1]
    assert [row.day for row in oldest.days][-1] == first.date
    assert len(oldest.days) == (oldest.end - first.date).days + 1


def test_history_quiet_weeks_between_shown_weeks(user, make_entry):
    make_entry(user, days_ago=0)
    old = make_entry(user, days_ago=40)
    weeks, _ = diary.history_page(user, before=None, today=TODAY)
    older = weeks[-1]
    assert older.quiet_from == diary.week_start(old.date) + timedelta(days=7)
    assert older.quiet_to == diary.week_start(TODAY) - timedelta(days=1)


def test_history_names_cross_training_and_shows_pace(signed_in, user, make_entry):
    make_entry(user, days_ago=1, alternatives=[{"kind": "cycling", "minutes": 40}])
    make_entry(user, days_ago=2, ran=True, distance_km=8, duration_min=45, surface="road")
    html = signed_in.get("/diary/").content.decode()
    assert "cycling <span>40 min</span>" in html
    assert "rest · cycling" not in html
    assert "5:38 /km" in html


@pytest.mark.parametrize("value", ["¹", "٣", "99999999999999999999999", "1e3", " 1"])
def test_a_strange_shoe_value_is_a_field_error_never_a_crash(signed_in, value):
    response = signed_in.post("/log/", {"pain": "2", "ran": "on", "shoe": value})
    assert response.status_code == 400
    assert "Choose one of your own shoes." in response.content.decode()
