"""The clinician report printed to PDF in Chromium: one A4 page holding the period's
numbers."""

import io
import re

import pytest
from pypdf import PdfReader

from pages.models import Shoe
from tests.e2e.conftest import PHONE, open_log_form

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

A4_POINTS = (595, 842)


def test_report_prints_on_exactly_one_a4_page_with_its_numbers(
    logged_in_phone, live_server, user, make_entry
):
    shoe = Shoe.objects.create(user=user, name="Road pair")
    for ago in range(84):
        ran = ago % 2 == 0
        make_entry(user, days_ago=ago, pain=2 + ago % 5, ran=ran, shoe=shoe if ran else None,
                   distance_km=8.0 if ran else None, run_pain=[2, 5, 7][ago % 3] if ran else None,
                   alternatives=[] if ran else [{"kind": "cycling", "minutes": 40}],
                   symptoms=["fever"] if ago == 20 else [],
                   notes=f"Note for day {ago}." if ago % 9 == 0 else "")  # fmt: skip
    page = logged_in_phone
    notes = "&".join(f"note={day}" for day in _note_days(user))
    page.goto(f"{live_server.url}/report/?{notes}")
    pdf = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True, print_background=True)))
    assert len(pdf.pages) == 1
    box = pdf.pages[0].mediabox
    assert (round(box.width), round(box.height)) == A4_POINTS
    text = " ".join(pdf.pages[0].extract_text().split())
    assert "Back pain and running: a summary" in text
    assert "logged days: mean" in text and "worst 6" in text
    assert "Road pair" in text and "fever" in text
    assert "In the runner's own words" in text
    assert "information, not a diagnosis" in text
    assert "Log today" not in text, "the app's tab bar is not printed"


def _note_days(user):
    return [entry.date.isoformat() for entry in user.entries.exclude(notes="")]


def test_share_link_opens_for_a_stranger_until_revoked(
    logged_in_phone, live_server, browser, user, make_entry
):
    for ago in range(10):
        make_entry(user, days_ago=ago, pain=3)
    page = logged_in_phone
    page.goto(f"{live_server.url}/report/")
    page.locator(".share label.check", has_text="30 days").tap()
    page.get_by_role("button", name="Make a link").tap()
    message = page.locator("main .notice", has_text="shown only this once").inner_text()
    path = "/share/" + message.split("/share/")[1].strip()

    stranger = browser.new_context()
    other = stranger.new_page()
    answer = other.goto(live_server.url + path)
    assert answer.status == 200
    assert other.locator("h1").inner_text() == "Back pain and running: a summary"
    assert other.locator("nav.tabbar").count() == 0

    page.goto(f"{live_server.url}/report/")
    assert "opened 1 time" in page.locator(".share-links").inner_text()
    page.get_by_role("button", name=re.compile("^Revoke")).tap()
    page.get_by_text("The link is revoked: it no longer opens.").wait_for()
    assert other.goto(live_server.url + path).status == 404
    stranger.close()


@pytest.mark.parametrize("width", [320, 390])
def test_report_never_scrolls_sideways_on_a_phone(browser, live_server, user, make_entry, width):
    """Its two date fields side by side were once wider than a phone: the page scrolled
    sideways and a tap landed beside the button it aimed at."""
    for ago in range(10):
        make_entry(user, days_ago=ago, pain=3)
    context = browser.new_context(**(PHONE | {"viewport": {"width": width, "height": 800}}))
    page = context.new_page()
    open_log_form(page, live_server.url, user)
    for path in ("/report/", "/trends/", "/import/", "/settings/"):
        page.goto(f"{live_server.url}{path}")
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path
    context.close()
