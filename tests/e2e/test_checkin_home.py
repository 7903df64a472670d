"""The home page as a runner opens it each day: "same as yesterday" in one tap (online and
with no signal), a polite install offer, and form errors that keep the page's styling
under DEBUG."""

import re
from datetime import datetime, timedelta

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from pages import diary
from pages.models import Entry
from tests.e2e.conftest import PHONE
from tests.e2e.test_offline import (  # noqa: F401 (fixtures)
    outbox,
    phone_app,
    phone_today,
    pristine_db,
    save_day,
    server,
    signed_in_offline_ready,
    sync_now,
    wait_until_kept,
)
from tests.test_views import yesterday_with_a_run

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

IPHONE_SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.5 Mobile/15E148 Safari/604.1"
)
IPHONE_CHROME = IPHONE_SAFARI.replace("Version/18.5", "CriOS/140.0.7339.122")
FAKE_INSTALL_PROMPT = """() => {
  const event = new Event("beforeinstallprompt", { cancelable: true });
  event.prompt = () => { window.promptShown = true; return Promise.resolve(); };
  window.dispatchEvent(event);
}"""
STANDALONE = """
const matchMedia = window.matchMedia.bind(window);
window.matchMedia = (query) => query.includes("display-mode: standalone")
  ? { matches: true, media: query, addEventListener() {}, removeEventListener() {} }
  : matchMedia(query);
Object.defineProperty(navigator, "standalone", { value: true });
"""
# Whether the element's centre is really what a tap there would hit (nothing covers it).
UNCOVERED = """(element) => {
  const box = element.getBoundingClientRect();
  const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
  return element === hit || element.contains(hit);
}"""


@pytest.fixture
def open_home(browser, live_server):
    """Opens "/" on a new phone, signed in as `user` (or signed out with None)."""
    contexts = []

    def open_(user, **options):
        context = browser.new_context(**PHONE | options)
        contexts.append(context)
        if user is not None:
            client = Client()
            client.force_login(user)
            cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
            context.add_cookies(
                [
                    {
                        "name": django_settings.SESSION_COOKIE_NAME,
                        "value": cookie,
                        "url": live_server.url,
                    }
                ]
            )
        page = context.new_page()
        page.goto(f"{live_server.url}/")
        expect(page.locator("main")).to_be_visible()
        return page

    yield open_
    for context in contexts:
        context.close()


# --- "same as yesterday" on the home page ---------------------------------------------


@pytest.mark.parametrize(
    ("button", "ran"),
    [("Same as yesterday (pain 4, no run)", False), ("Same, and I ran the same", True)],
)
def test_home_same_as_yesterday_one_tap_logs_today_and_shows_it(
    open_home, user, make_entry, make_shoe, button, ran
):
    yesterday_with_a_run(make_entry, user, make_shoe(user))
    page = open_home(user)
    expect(page.get_by_role("button", name="Same, and I ran the same")).to_contain_text(
        "(7 km, 40 min, grass)"
    )

    page.get_by_role("button", name=button).tap()

    card = page.locator("#day-card")
    expect(card.locator(".pain-badge")).to_have_text("4")
    expect(card.locator(".saved-note")).to_have_text("Saved.")
    expect(card.locator(".summary")).to_contain_text("Ran 7 km" if ran else "No run.")
    expect(page.locator("form.copy-yesterday")).to_have_count(0)
    assert re.fullmatch(r"http://[^/]+/", page.url)
    today = Entry.objects.get(user=user, date=timezone.localdate())
    assert (today.pain, today.ran, today.symptoms) == (4, ran, ["leg_pain", "numbness"])
    assert today.distance_km == (7 if ran else None)
    assert diary.shoes_with_distance(user).get().logged_km == (14 if ran else 7)


def test_home_same_as_yesterday_not_offered_once_today_is_logged(open_home, user, make_entry):
    make_entry(user, days_ago=1, pain=3)
    make_entry(user, days_ago=0, pain=2)
    page = open_home(user)
    expect(page.locator("#day-card .pain-badge")).to_have_text("2")
    expect(page.get_by_role("button", name=re.compile("^Same"))).to_have_count(0)


def test_home_same_as_yesterday_offline_is_kept_then_synced(server, phone_app):  # noqa: F811
    page = signed_in_offline_ready(phone_app, server)
    today = phone_today(page)
    yesterday = {"pain": 4, "ran": True, "distance_km": 6, "surface": "trail"}
    save_day(page, server.url, today - timedelta(days=1), **yesterday)
    page.goto(f"{server.url}/")
    wait_until_kept(page, "/", 'class="copy-yesterday"')

    server.stop()
    page.goto(f"{server.url}/")
    page.get_by_role("button", name=re.compile("^Same as yesterday")).tap()
    card = page.locator("#day-card")
    expect(card.locator(".saved-note")).to_have_text(re.compile("Saved on this phone"))
    expect(card.locator(".pain-badge")).to_have_text("4")
    expect(page.locator("form.copy-yesterday")).to_have_count(0)
    [item] = outbox(page)
    assert (item["date"], item["payload"]["pain"], item["payload"]["ran"]) == (
        today.isoformat(),
        4,
        False,
    )

    server.start()
    sync_now(page)
    expect(card.locator(".saved-note")).to_have_text("Synced.")
    entry = next(e for e in server.entries() if e["date"] == today.isoformat())
    assert (entry["pain"], bool(entry["ran"]), entry["distance_km"]) == (4, False, None)
    assert entry["uuid"].replace("-", "") == item["uuid"].replace("-", "")


# --- the install offer ------------------------------------------------------------------


def test_install_offer_only_for_a_runner_who_has_logged_a_day(open_home, user, make_entry):
    for who in (None, user):  # signed out; signed in with an empty diary
        page = open_home(who)
        page.evaluate(FAKE_INSTALL_PROMPT)
        page.wait_for_timeout(200)
        expect(page.get_by_role("button", name="Install app")).to_have_count(0)

    make_entry(user, days_ago=0, pain=2)
    page = open_home(user)
    install = page.get_by_role("button", name="Install app")
    expect(install).to_have_count(0)  # not before Chromium offers it
    page.evaluate(FAKE_INSTALL_PROMPT)
    expect(install).to_be_visible()
    assert install.bounding_box()["height"] >= 44
    install.tap()
    assert page.evaluate("window.promptShown") is True
    expect(install).to_have_count(0)


def test_install_offer_sits_below_the_card_and_covers_nothing(open_home, user, make_entry):
    for days_ago in range(8):
        make_entry(user, days_ago=days_ago, pain=2)
    page = open_home(user)
    page.evaluate(FAKE_INSTALL_PROMPT)
    offer = page.locator("main .install-offer .notice.install")
    expect(offer).to_be_visible()
    assert offer.evaluate("(node) => getComputedStyle(node).position") == "static"
    card = page.locator("#day-card").bounding_box()
    assert offer.bounding_box()["y"] >= card["y"] + card["height"]
    for target in (page.locator(".day-list li").last, page.get_by_role("link", name="All history")):
        target.scroll_into_view_if_needed()
        assert target.evaluate(UNCOVERED), target


def test_install_offer_not_now_holds_for_30_days(open_home, user, make_entry):
    make_entry(user, days_ago=0, pain=2)
    page = open_home(user)
    page.evaluate(FAKE_INSTALL_PROMPT)
    page.get_by_role("button", name="Not now").tap()
    expect(page.get_by_role("button", name="Install app")).to_have_count(0)

    reopened = page.context.new_page()  # the app opened again later
    for days_later, shown in ((0, 0), (29, 0), (31, 1)):
        later = datetime.now() + timedelta(days=days_later)
        reopened.clock.set_fixed_time(later)
        reopened.goto(page.url)
        reopened.evaluate(FAKE_INSTALL_PROMPT)
        reopened.wait_for_timeout(200)
        expect(reopened.get_by_role("button", name="Install app")).to_have_count(shown)


def test_install_offer_never_shown_once_installed(open_home, user, make_entry):
    make_entry(user, days_ago=0, pain=2)
    page = open_home(user)
    page.context.add_init_script(STANDALONE)
    page.reload()
    page.evaluate(FAKE_INSTALL_PROMPT)
    page.wait_for_timeout(200)
    expect(page.get_by_role("button", name="Install app")).to_have_count(0)


def test_ios_hint_follows_the_same_rules(open_home, user, make_entry):
    page = open_home(None, user_agent=IPHONE_SAFARI)
    expect(page.locator(".ios-hint")).to_have_count(0)
    page = open_home(user, user_agent=IPHONE_SAFARI)
    expect(page.locator(".ios-hint")).to_have_count(0)

    make_entry(user, days_ago=0, pain=2)
    page.reload()
    hint = page.locator("main .install-offer .ios-hint")
    expect(hint).to_contain_text("Share")
    expect(hint).to_contain_text("Add to Home Screen")
    hint.get_by_role("button", name="Not now").tap()
    expect(hint).to_have_count(0)
    reopened = page.context.new_page()
    for days_later, shown in ((1, 0), (31, 1)):
        reopened.clock.set_fixed_time(datetime.now() + timedelta(days=days_later))
        reopened.goto(page.url)
        expect(reopened.locator("main h1")).to_be_attached()
        expect(reopened.locator(".ios-hint")).to_have_count(shown)


@pytest.mark.parametrize("user_agent", [IPHONE_CHROME, None])
def test_ios_hint_not_shown_outside_ios_safari(open_home, user, make_entry, user_agent):
    make_entry(user, days_ago=0, pain=2)
    page = open_home(user, **({"user_agent": user_agent} if user_agent else {}))
    page.wait_for_timeout(200)
    expect(page.locator(".ios-hint")).to_have_count(0)


def test_ios_hint_not_shown_once_on_home_screen(open_home, user, make_entry):
    make_entry(user, days_ago=0, pain=2)
    page = open_home(user, user_agent=IPHONE_SAFARI)
    page.context.add_init_script(STANDALONE)
    page.reload()
    page.wait_for_timeout(200)
    expect(page.locator(".ios-hint")).to_have_count(0)


# --- form answers under DEBUG -----------------------------------------------------------


@pytest.fixture
def debug(settings):
    """DEBUG on (as under `make run`) before any page is drawn or cached."""
    settings.DEBUG = True


def test_debug_refusals_swap_into_the_form_and_keep_the_page(debug, logged_in_phone, user):
    page = logged_in_phone
    expect(page.locator('script[src*="django-htmx.js"]')).to_have_count(1)

    page.get_by_role("button", name="Save").tap()  # no pain picked: a 400
    expect(page.locator("form.entry-form #pain-error")).to_be_visible()
    expect(page.locator('link[rel="stylesheet"]')).to_have_count(2)
    assert page.locator(".tabbar").evaluate("(n) => getComputedStyle(n).position") == "fixed"
    assert page.locator("label.pain-choice span").first.bounding_box()["height"] >= 44

    Entry.objects.create(user=user, date=timezone.localdate(), pain=6)  # another device
    page.locator("label.pain-choice", has_text="3").first.tap()
    page.get_by_role("button", name="Save").tap()  # a 409
    expect(page.locator("form.entry-form .conflict")).to_contain_text("pain 6")
    expect(page.locator('link[rel="stylesheet"]')).to_have_count(2)
    expect(page.locator(".site-header")).to_be_visible()
