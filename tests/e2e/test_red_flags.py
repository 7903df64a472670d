"""Red-flag advice on the day form, shown by the ticked box itself: no script, no fetch.
(With the server stopped: tests/e2e/test_offline.py.)"""

import pytest
from playwright.sync_api import expect

from pages.vocab import SYMPTOM_BY_CODE, TIERS
from tests.e2e.conftest import PHONE, open_log_form

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def form_without_js(browser, live_server, user):
    context = browser.new_context(**PHONE, java_script_enabled=False)
    page = context.new_page()
    open_log_form(page, live_server.url, user)
    page.locator("details.section summary", has_text="Symptoms").click()
    yield page
    context.close()


@pytest.mark.parametrize(
    ("ticked", "shown"),
    [
        ((), None),
        (("both_legs",), "emergency"),
        (("fever",), "urgent"),
        (("leg_pain",), "see_soon"),
        (("night_pain", "trauma"), "emergency"),
        (("leg_pain", "worsening_weakness"), "urgent"),
    ],
)
def test_red_flags_without_js_ticked_boxes_show_only_the_highest_tier(
    form_without_js, ticked, shown
):
    page = form_without_js
    for code in ticked:
        page.get_by_label(SYMPTOM_BY_CODE[code].label).check()
    for tier in TIERS:
        block = page.locator(f'.red-flag[data-tier="{tier.code}"]')
        if tier.code == shown:
            expect(block).to_be_visible()
            expect(block).to_contain_text(tier.action)
        else:
            expect(block).to_be_hidden()


def test_red_flags_without_js_emergency_offers_a_big_call_link(form_without_js, settings):
    page = form_without_js
    call = page.get_by_role("link", name=f"Call {settings.EMERGENCY_NUMBER}")
    expect(call).to_be_hidden()
    page.get_by_label(SYMPTOM_BY_CODE["saddle_numbness"].label).check()
    expect(call).to_be_visible()
    expect(call).to_have_attribute("href", f"tel:{settings.EMERGENCY_NUMBER}")
    assert call.bounding_box()["height"] >= 44
    expect(page.locator('.red-flag[data-tier="emergency"]')).to_contain_text("999 in the UK")
