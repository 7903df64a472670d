import pytest
from django.utils import timezone
from playwright.sync_api import expect

from pages.models import Entry
from tests.e2e.conftest import save_and_read_error

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_log_day_by_tapping_on_phone(logged_in_phone, live_server, user):
    page = logged_in_phone
    page.locator("label.pain-choice", has_text="4").first.tap()
    run_fields = page.locator(".run-fields")
    assert not run_fields.is_visible()
    page.get_by_text("I ran", exact=True).tap()
    assert run_fields.is_visible()
    page.get_by_label("Distance (km)").fill("6.5")
    page.get_by_label("Time").fill("40")
    page.locator("label.chip", has_text="Trail").tap()
    page.get_by_text("I warmed up", exact=True).tap()
    page.get_by_role("button", name="Save").tap()
    page.locator("#day-card .pain-badge").wait_for()
    assert "Saved." in page.locator("#day-card").inner_text()
    assert page.url.endswith("/log/")
    entry = Entry.objects.get(user=user)
    assert (entry.date, entry.pain, entry.distance_km, entry.duration_min) == (
        timezone.localdate(),
        4,
        6.5,
        40,
    )
    assert (entry.surface, entry.warmup) == ("trail", True)


def test_log_invalid_distance_error_beside_field(logged_in_phone, user):
    page = logged_in_phone
    page.locator("label.pain-choice", has_text="2").first.tap()
    page.get_by_text("I ran", exact=True).tap()
    page.get_by_label("Distance (km)").fill("999")
    assert "at most 300 km" in save_and_read_error(page, "distance_km")
    assert not Entry.objects.exists()


def test_pain_buttons_are_big_enough_to_tap(logged_in_phone):
    for box in (
        b.bounding_box()
        for b in logged_in_phone.locator("fieldset.pain-scale:not(.small) .pain-choice span").all()
    ):
        assert box["width"] >= 44 and box["height"] >= 44


@pytest.mark.parametrize("url", ["/", "/log/", "/diary/", "/settings/", "/guide/", "/offline/"])
def test_pages_fit_a_390px_phone_without_sideways_scroll(logged_in_phone, live_server, url):
    logged_in_phone.goto(live_server.url + url)
    assert logged_in_phone.evaluate("document.documentElement.scrollWidth") <= 390


def test_first_visit_draws_today_in_the_phones_time_zone(browser, live_server, user):
    """A session with no tz cookie yet: the page about today must still mean the phone's
    today. The zone is chosen so that its date differs from UTC's right now."""
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from django.conf import settings
    from django.test import Client

    from tests.e2e.conftest import PHONE

    zone = "Pacific/Kiritimati" if datetime.now(UTC).hour >= 10 else "Pacific/Pago_Pago"
    phone_today = datetime.now(ZoneInfo(zone)).date().isoformat()
    assert phone_today != datetime.now(UTC).date().isoformat()
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context = browser.new_context(**PHONE, timezone_id=zone)
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/log/")
    page.wait_for_load_state("load")
    page.wait_for_function(
        f"document.querySelector('form.entry-form').dataset.date === '{phone_today}'"
    )
    context.close()


def test_save_with_a_stale_form_token_is_kept_and_synced_not_lost(logged_in_phone, user):
    """The form was drawn for a CSRF cookie the browser no longer holds (another tab, the
    worker's first fetch): its 403 must not lose the day."""
    page = logged_in_phone
    token = page.locator("form.entry-form [name=csrfmiddlewaretoken]")
    token.evaluate("(input) => { input.value = 'a'.repeat(64); }")
    page.locator("label.pain-choice", has_text="5").first.tap()
    page.get_by_role("button", name="Save").tap()
    for _ in range(60):  # kept on the phone first, then sent through the API
        if Entry.objects.filter(user=user, pain=5).exists():
            break
        page.wait_for_timeout(250)
    assert Entry.objects.get(user=user).pain == 5
    expect(page.locator("#day-card .pain-badge")).to_have_text("5")


def test_tab_bar_labels_stay_on_one_line_at_320_px(browser, live_server, user):
    from tests.e2e.conftest import open_log_form

    context = browser.new_context(viewport={"width": 320, "height": 640}, is_mobile=True)
    page = context.new_page()
    open_log_form(page, live_server.url, user)
    lines = page.evaluate(
        """() => Array.from(document.querySelectorAll('nav.tabbar a'), (link) => {
          const range = document.createRange();
          range.selectNodeContents(link);
          return new Set(Array.from(range.getClientRects(), (r) => Math.round(r.top))).size;
        })"""
    )
    context.close()
    assert lines == [1, 1, 1, 1]
