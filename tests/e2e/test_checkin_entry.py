"""A full run entry (issue 12, item 5) and the diary list (item 10), on a phone."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from pages.models import Entry
from tests.e2e.conftest import PHONE, open_log_form, save_and_read_error

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def day_ago(days: int):
    return timezone.localdate() - timedelta(days=days)


def run_fields(page):
    page.locator("label.pain-choice", has_text="2").first.tap()
    page.get_by_text("I ran", exact=True).tap()


# Item 5: a full run entry.


def test_new_run_starts_on_last_pair_and_never_offers_retired(
    phone, live_server, user, make_shoe, make_entry
):
    old = make_shoe(user, "Old racers", retired=True)
    daily = make_shoe(user, "Daily trainers")
    make_shoe(user, "Trail pair")
    make_entry(user, days_ago=3, ran=True, distance_km=5, shoe=daily)
    make_entry(user, days_ago=1, pain=2)  # the latest day had no run: the pair is still known
    open_log_form(phone, live_server.url, user)
    run_fields(phone)
    shoe = phone.locator("#id_shoe")
    expect(shoe).to_have_value(str(daily.pk))
    assert "Old racers" not in shoe.inner_text()
    phone.get_by_label("Distance (km)").fill("6")
    phone.get_by_role("button", name="Save").tap()
    phone.locator("#day-card .pain-badge").wait_for()
    assert Entry.objects.get(user=user, date=day_ago(0)).shoe == daily
    # A past day run in the now-retired pair still shows it, and keeps it when saved again.
    make_entry(user, days_ago=5, ran=True, distance_km=4, shoe=old)
    phone.goto(f"{live_server.url}/diary/{day_ago(5).isoformat()}/")
    expect(phone.locator("#id_shoe")).to_have_value(str(old.pk))
    phone.get_by_role("button", name="Save").tap()
    phone.locator("#day-card .pain-badge").wait_for()
    assert Entry.objects.get(user=user, date=day_ago(5)).shoe == old


def test_usual_pair_chosen_in_settings_starts_a_new_run(
    phone, live_server, user, make_shoe, make_entry
):
    usual = make_shoe(user, "Usual pair")
    other = make_shoe(user, "Other pair")
    make_entry(user, days_ago=1, ran=True, distance_km=5, shoe=other)
    open_log_form(phone, live_server.url, user)
    phone.goto(f"{live_server.url}/settings/")
    phone.get_by_label("A new run starts on").select_option(label="Usual pair")
    with phone.expect_navigation():
        phone.get_by_role("button", name="Save usual pair").tap()
    expect(phone.get_by_label("A new run starts on")).to_have_value(str(usual.pk))
    phone.goto(f"{live_server.url}/log/")
    run_fields(phone)
    expect(phone.locator("#id_shoe")).to_have_value(str(usual.pk))


def test_time_as_hours_and_minutes_shows_pace(logged_in_phone, live_server, user):
    page = logged_in_phone
    run_fields(page)
    page.get_by_label("Distance (km)").fill("10")
    page.get_by_label("Time").fill("1:05")
    page.get_by_role("button", name="Save").tap()
    page.locator("#day-card .pain-badge").wait_for()
    assert Entry.objects.get(user=user).duration_min == 65
    summary = page.locator("#day-card .summary")
    expect(summary).to_contain_text("Ran 10 km in 1 h 5 min (6:30 /km)")
    page.goto(f"{live_server.url}/diary/")
    expect(page.locator(".day-row").first).to_contain_text("6:30 /km")


def test_time_that_is_not_minutes_or_hmm_gets_an_error_beside_it(logged_in_phone, user):
    page = logged_in_phone
    run_fields(page)
    page.get_by_label("Time").fill("1:75")
    assert "hours and minutes (1:05)" in save_and_read_error(page, "duration_min")
    assert not Entry.objects.exists()


def test_distance_in_miles_edits_at_two_decimals_and_keeps_the_stored_km(
    phone, live_server, user, make_entry
):
    user.unit = "mi"
    user.save(update_fields=["unit"])
    make_entry(user, days_ago=2, pain=3, ran=True, distance_km=8.0, duration_min=45)
    open_log_form(phone, live_server.url, user)
    phone.goto(f"{live_server.url}/diary/{day_ago(2).isoformat()}/")
    expect(phone.get_by_label("Distance (mi)")).to_have_value("4.97")
    expect(phone.locator("#day-card .summary")).to_contain_text("(9:03 /mi)")
    phone.locator("label.pain-choice", has_text="4").first.tap()
    phone.get_by_role("button", name=re.compile(r"^Save")).tap()
    expect(phone.locator("#day-card .pain-badge")).to_have_text("4")
    entry = Entry.objects.get(user=user)
    assert (entry.pain, entry.distance_km) == (4, 8.0)


# Item 10: the diary list.


def test_diary_list_shows_gaps_marks_lights_and_names_cross_training(
    logged_in_phone, live_server, user, make_entry
):
    for days_ago in (12, 11, 10):
        make_entry(user, days_ago=days_ago, pain=2)
    make_entry(user, days_ago=9, pain=6)  # up 4 from a baseline of 2: red
    make_entry(user, days_ago=7, pain=4)  # amber
    make_entry(user, days_ago=6, pain=2, alternatives=[{"kind": "cycling", "minutes": 40}])
    page = logged_in_phone
    page.goto(f"{live_server.url}/diary/")

    def row(days_ago: int):
        return page.locator(f'a.day-row[href="/diary/{day_ago(days_ago).isoformat()}/"]')

    expect(row(8)).to_contain_text("not logged")
    expect(row(9)).to_contain_text("red day")
    expect(row(9)).to_have_class("day-row light-red")
    expect(row(7)).to_contain_text("amber day")
    assert "red" not in row(10).inner_text() and "amber" not in row(10).inner_text()
    cycling = row(6).locator(".day-run")
    expect(cycling).to_have_text("cycling 40 min")
    row(8).tap()
    page.wait_for_url(f"**/diary/{day_ago(8).isoformat()}/")
    expect(page.locator("form.entry-form")).to_be_visible()


@pytest.mark.parametrize("width", [320, 390])
def test_diary_week_header_stays_on_one_line(browser, live_server, user, make_entry, width):
    for days_ago in range(0, 28, 2):
        make_entry(user, days_ago=days_ago, pain=7, ran=True, distance_km=12.34)
    context = browser.new_context(**(PHONE | {"viewport": {"width": width, "height": 844}}))
    page = context.new_page()
    open_log_form(page, live_server.url, user)
    page.goto(f"{live_server.url}/diary/")
    heads = page.locator(".week-head")
    expect(heads.first).to_be_visible()
    for head in heads.all():
        dates = head.locator(":scope > span").first.bounding_box()
        total = head.locator(":scope > span.week-total").bounding_box()
        assert abs(dates["y"] - total["y"]) < 4, "the total wrapped below the dates"
        assert dates["x"] + dates["width"] <= total["x"], "the dates run into the total"
        assert total["height"] < 30 and dates["height"] < 30, "a part wrapped"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    context.close()
