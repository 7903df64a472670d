import pytest

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ACTIVATED = """navigator.serviceWorker.ready.then((registration) => {
  const worker = registration.active;
  return worker.state === "activated" || new Promise((resolve) => {
    worker.addEventListener("statechange", () => worker.state === "activated" && resolve(true));
  });
})"""


def test_installability_errors_empty_in_persistent_context(browser, live_server, tmp_path):
    context = browser.browser_type.launch_persistent_context(
        tmp_path / "profile", executable_path=CHROMIUM, args=CHROMIUM_ARGS, **PHONE
    )
    try:
        page = context.pages[0] if context.pages else context.new_page()
        page.goto(f"{live_server.url}/")
        page.evaluate(ACTIVATED)
        cdp = page.context.new_cdp_session(page)
        assert cdp.send("Page.getInstallabilityErrors") == {"installabilityErrors": []}
        assert cdp.send("Page.getAppManifest")["errors"] == []
    finally:
        context.close()
