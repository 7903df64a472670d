"""A runner brings a run in from a watch file on a phone, sees the day, then rates it."""

from datetime import UTC, datetime, time, timedelta

import pytest
from django.utils import timezone

from pages.models import Entry
from tests.activity_factory import make_fit_run

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_import_a_watch_file_then_rate_the_day(
    logged_in_phone, live_server, user, tmp_path, settings
):
    settings.IMPORT_DIR = tmp_path / "imports"
    yesterday = timezone.localdate() - timedelta(days=1)
    start = datetime.combine(yesterday, time(7), UTC)
    file = tmp_path / "Morning_Run.fit"
    file.write_bytes(make_fit_run(start=start, distance_km=7.5, minutes=42))
    page = logged_in_phone
    page.goto(f"{live_server.url}/diary/")
    page.get_by_role("link", name="Bring runs in").tap()
    page.get_by_label("Files from your watch or phone").set_input_files(str(file))
    page.get_by_role("button", name="Import").tap()
    page.get_by_text("1 added.").wait_for()
    page.get_by_role("link", name=yesterday.strftime("%a %-d %b %Y")).tap()
    card = page.locator("#day-card")
    assert "Ran 7.5 km in 42 min" in card.inner_text()
    assert "How was your back that day?" in card.inner_text()
    assert card.get_by_label("Back pain not rated yet").is_visible()
    page.locator("label.pain-choice", has_text="3").first.tap()
    page.get_by_role("button", name="Save").tap()
    page.locator("#day-card .pain-badge[aria-label='Back pain 3 out of 10']").wait_for()
    entry = Entry.objects.get(user=user, date=yesterday)
    assert (entry.pain, entry.ran, entry.distance_km, entry.duration_min) == (3, True, 7.5, 42)
    assert "How was your back that day?" not in page.locator("#day-card").inner_text()


SHARE = """async ([bytes, name]) => {
  await navigator.serviceWorker.ready;
  const form = new FormData();
  form.append("file", new File([new Uint8Array(bytes)], name));
  const response = await fetch("/import/share/", { method: "POST", body: form });
  return response.url;
}"""


def test_share_sheet_file_is_caught_by_the_service_worker_and_imported(
    logged_in_phone, live_server, user, tmp_path, settings
):
    """The manifest's share target posts with no CSRF token: the service worker keeps the
    file and sends the runner to the import page, which sends it as them."""
    settings.IMPORT_DIR = tmp_path / "imports"
    page = logged_in_phone
    page.goto(f"{live_server.url}/")
    page.wait_for_function(
        "navigator.serviceWorker.ready.then(() => !!navigator.serviceWorker.controller)"
    )
    data = list(make_fit_run(distance_km=6.0, minutes=33))
    landed = page.evaluate(SHARE, [data, "Shared_Run.fit"])
    assert landed.endswith("/import/?shared=1")
    page.goto(landed)
    page.get_by_text("1 added.").wait_for()
    entry = Entry.objects.get(user=user)
    assert (entry.pain, entry.distance_km, entry.duration_min) == (None, 6.0, 33)
    assert "Shared_Run.fit" in page.locator("#import-jobs").inner_text()
