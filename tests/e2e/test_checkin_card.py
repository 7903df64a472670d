"""The day card and the log form as a runner meets them at 390×844 (issue 12, items 1, 4, 7,
8 and 9): a save always shows its result, a red day says when running is fine again, past
days speak in the past, keyboard focus never hides under a sticky bar, and a card kept
offline from an earlier day never poses as today."""

import re
from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from pages.models import Entry
from tests.e2e.test_offline import (  # noqa: F401 (fixtures)
    log_in,
    log_pain,
    phone_app,
    pristine_db,
    server,
    wait_until_kept,
    wait_until_offline_ready,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TODAY = timezone.localdate()
STICKY_BARS = ".form-actions, .tabbar"


def red_today(make_entry, user, *, today_pain: int | None = 7) -> None:
    """Two 8 km runs in the weeks before, three days at pain 2, and (if given) today's pain."""
    for days_ago, km in ((12, 8), (9, 8)):
        make_entry(user, days_ago=days_ago, pain=2, ran=True, distance_km=km, surface="road")
    for days_ago in (3, 2, 1):
        make_entry(user, days_ago=days_ago, pain=2)
    if today_pain is not None:
        make_entry(user, pain=today_pain)


def test_save_brings_the_card_into_view_and_reads_it_out(
    logged_in_phone, live_server, user, make_entry
):
    red_today(make_entry, user, today_pain=6)  # a long red card above the form
    page = logged_in_phone
    page.reload()
    page.locator("label.pain-choice", has_text="7").first.click()
    page.get_by_text("I ran", exact=True).click()
    page.get_by_label("Distance (km)").fill("3")
    page.get_by_label("Notes").fill("Stiff after the drive.")  # the bottom of the form
    page.get_by_role("button", name="Save").click()

    card = page.locator("#day-card")
    expect(card.locator(".pain-badge")).to_have_text("7")
    expect(card.locator(".saved-note")).to_have_text("Saved.")
    expect(card.locator(".saved-note")).to_be_in_viewport()
    expect(card.locator(".advice .light .status-line")).to_be_in_viewport()
    expect(page.locator("#save-status")).to_have_text(re.compile(r"^Saved\. Red Pain is up today"))
    assert page.evaluate("document.activeElement.id") == "day-card"


def test_red_day_says_when_to_run_again_and_did_instead_updates_in_place(
    logged_in_phone, live_server, user, make_entry
):
    red_today(make_entry, user)
    page = logged_in_phone
    page.reload()
    card = page.locator("#day-card")
    expect(card.locator(".comeback")).to_contain_text(
        "Running is fine again once your pain has been 3 or lower on 3 logged days in a row; "
        "then start at about half your usual 8 km, on a soft surface."
    )

    minutes = card.get_by_label("Minutes of swimming")
    expect(minutes).to_have_value("20")
    page.evaluate("window.stillThisPage = true")
    for _ in range(2):
        with page.expect_response(re.compile("/did-instead/$")):
            card.get_by_role("button", name="Log swimming done instead").click()
        expect(card.locator(".saved-note")).to_have_text("Saved: 20 min of swimming.")
        expect(card.locator(".saved-note")).to_be_in_viewport()
    assert page.evaluate("window.stillThisPage") is True
    entry = Entry.objects.get(user=user, date=TODAY)
    swum_20 = [{"kind": "swimming", "minutes": 20}]
    assert (entry.alternatives, entry.version) == (swum_20, 2)

    # The form below builds on the new version: saving it is no conflict.
    page.locator("label.pain-choice", has_text="6").first.click()
    page.get_by_role("button", name="Save").click()
    expect(card.locator(".pain-badge")).to_have_text("6")
    entry.refresh_from_db()
    assert (entry.pain, entry.alternatives, entry.version) == (6, swum_20, 3)

    card.locator(".light .reason a.more").click()
    page.wait_for_url(re.compile(r"/guide/flare-ups/#running-pause$"))
    expect(page.get_by_role("heading", name="Pausing your running")).to_be_in_viewport()


def test_past_day_speaks_in_the_past(logged_in_phone, live_server, user, make_entry):
    week_ago = TODAY - timedelta(days=7)
    for days_ago in (10, 9, 8):
        make_entry(user, days_ago=days_ago, pain=2)
    make_entry(user, days_ago=7, pain=7)
    page = logged_in_phone
    page.goto(f"{live_server.url}/diary/{week_ago.isoformat()}/")

    day_name = f"{week_ago:%A} {week_ago.day} {week_ago:%B}"
    expect(page.locator("#card-title")).to_have_text(day_name)
    expect(page.locator(".form-title")).to_have_text(
        f"How was your back on {day_name} {week_ago:%Y}?"
    )
    expect(page.locator(".pain-scale:not(.small) legend")).to_have_text("Back pain that day")
    expect(page.locator("#day-card .light .status-line")).to_contain_text("Pain was up that day")
    text = page.locator("#daybody").inner_text().lower()
    assert "today" not in text and "yesterday" not in text


def focused_under_a_bar(page) -> dict:
    """The focused control (or the label drawn for it) and whether a sticky bar covers it."""
    return page.evaluate(
        """(bars) => {
          const el = document.activeElement;
          const drawn = el.matches("input[type=checkbox], input[type=radio]")
            ? el.nextElementSibling : el;
          const box = drawn.getBoundingClientRect();
          const covered = [...document.querySelectorAll(bars)].some((bar) => {
            const b = bar.getBoundingClientRect();
            return !bar.contains(el) && box.bottom > b.top && box.top < b.bottom;
          });
          return {name: el.name || el.textContent.trim(), covered, top: box.top,
                  seen: box.top >= 0 && box.bottom <= innerHeight};
        }""",
        STICKY_BARS,
    )


def tab_to(page, name: str, limit: int = 40) -> dict:
    for _ in range(limit):
        page.keyboard.press("Tab")
        found = focused_under_a_bar(page)
        if found["name"] == name:
            return found
    raise AssertionError(f"Tab never reached {name}")


def tab_in_from_under_the_bars(page, name: str) -> dict:
    """Tab to `name` with the page scrolled so that it waits just under the Save bar, as it
    does when a runner scrolls and then carries on with the keyboard."""
    tab_to(page, name)
    page.keyboard.press("Shift+Tab")
    page.evaluate(
        """(name) => {
          const el = document.querySelector(`[name=${name}]`);
          const drawn = el.type === "checkbox" ? el.nextElementSibling : el;
          scrollBy(0, drawn.getBoundingClientRect().top - (innerHeight - 100));
        }""",
        name,
    )
    page.keyboard.press("Tab")
    return focused_under_a_bar(page)


def test_keyboard_focus_never_hides_under_the_sticky_bars(
    logged_in_phone, live_server, user, make_entry
):
    red_today(make_entry, user)  # a long card above the form
    page = logged_in_phone
    page.reload()
    found = tab_in_from_under_the_bars(page, "ran")
    assert (found["covered"], found["seen"]) == (False, True), found
    page.keyboard.press("Space")
    for name in ("distance_km", "duration_min", "warmup", "cooldown"):
        found = tab_in_from_under_the_bars(page, name)
        assert (found["covered"], found["seen"]) == (False, True), found


def test_keyboard_reaches_the_pain_scale_in_five_tabs_on_a_red_day(
    logged_in_phone, live_server, user, make_entry
):
    red_today(make_entry, user)
    page = logged_in_phone
    page.reload()
    expect(page.locator("#day-card .alternative")).to_have_count(5)
    tabs = 0
    while tabs < 5:
        page.keyboard.press("Tab")
        tabs += 1
        if page.evaluate("document.activeElement.textContent") == "Skip to the form":
            page.keyboard.press("Enter")
        if page.evaluate("document.activeElement.name") == "pain":
            break
    assert page.evaluate("document.activeElement.name") == "pain", f"not there in {tabs} Tabs"
    found = focused_under_a_bar(page)
    assert (found["covered"], found["seen"]) == (False, True)


def test_offline_next_morning_the_kept_card_is_yesterdays(server, phone_app):  # noqa: F811
    page = phone_app.open()
    log_in(page, server.url)
    page.goto(f"{server.url}/log/")
    log_pain(page, 7)
    expect(page.locator("#day-card .advice")).to_contain_text("Pain is high today")
    day = date.fromisoformat(page.locator("#day-card").get_attribute("data-day"))
    wait_until_offline_ready(page)
    page.goto(f"{server.url}/log/")
    page.goto(f"{server.url}/")
    wait_until_kept(page, "/", "did-instead")
    wait_until_kept(page, "/log/", "pain-badge")

    server.stop()
    page.clock.set_fixed_time(datetime.combine(day + timedelta(days=1), datetime.min.time()))
    page.clock.fast_forward(9 * 60 * 60 * 1000)
    page.goto(f"{server.url}/")
    card = page.locator("#day-card")
    day_name = f"{day:%A} {day.day} {day:%B}"
    expect(card.locator("#card-title")).to_have_text(day_name)
    expect(card.locator(".stale-note")).to_have_text(
        "Today’s advice comes once this phone is back online."
    )
    expect(card.locator(".advice, form.did-instead")).to_have_count(0)
    expect(card.locator(".pain-badge")).to_have_text("7")
    page.get_by_role("link", name="Log today", exact=True).last.click()

    page.wait_for_url(f"{server.url}/log/")
    expect(page.get_by_role("heading", name="How is your back today?")).to_be_visible()
    expect(card.locator("#card-title")).to_have_text(day_name)
    expect(page.locator("input[name=pain]:checked")).to_have_count(0)
    log_pain(page, 3)
    expect(card.locator("#card-title")).to_have_text("Today")
    expect(card.locator(".stale-note")).to_be_hidden()
    expect(card.locator(".pain-badge")).to_have_text("3")
    expect(page.locator("#save-status")).to_have_text(re.compile("^Saved on this phone"))
    expect(card.locator(".saved-note")).to_be_in_viewport()
