import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE

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
ACTIVATED = """navigator.serviceWorker.ready.then((registration) => {
  const worker = registration.active;
  return worker.state === "activated" || new Promise((resolve) => {
    worker.addEventListener("statechange", () => worker.state === "activated" && resolve(true));
  });
})"""
STANDALONE = """
const matchMedia = window.matchMedia.bind(window);
window.matchMedia = (query) => query.includes("display-mode: standalone")
  ? { matches: true, media: query, addEventListener() {}, removeEventListener() {} }
  : matchMedia(query);
Object.defineProperty(navigator, "standalone", { value: true });
"""


@pytest.fixture
def new_context(browser):
    """Phone-sized browser contexts with extra options, closed after the test."""
    contexts = []

    def make(**options):
        contexts.append(browser.new_context(**PHONE | options))
        return contexts[-1]

    yield make
    for context in contexts:
        context.close()


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


def test_install_button_hidden_until_beforeinstallprompt(phone, live_server):
    phone.goto(f"{live_server.url}/")
    install = phone.get_by_role("button", name="Install app")
    expect(phone.locator("#app-notices")).to_be_empty()

    phone.evaluate(FAKE_INSTALL_PROMPT)
    expect(install).to_be_visible()
    box = install.bounding_box()
    assert box["height"] >= 44
    install.click()
    assert phone.evaluate("window.promptShown") is True
    expect(install).to_have_count(0)


def test_install_button_never_shown_when_installed(new_context, live_server):
    context = new_context()
    context.add_init_script(STANDALONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    page.evaluate(FAKE_INSTALL_PROMPT)
    page.wait_for_timeout(200)
    expect(page.get_by_role("button", name="Install app")).to_have_count(0)


def test_ios_hint_shown_in_safari_until_dismissed(new_context, live_server):
    context = new_context(user_agent=IPHONE_SAFARI)
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    hint = page.locator(".ios-hint")
    expect(hint).to_contain_text("Share")
    expect(hint).to_contain_text("Add to Home Screen")
    hint.get_by_role("button", name="Dismiss").click()
    expect(hint).to_have_count(0)
    page.reload()
    expect(page.locator("main h1")).to_be_visible()
    expect(hint).to_have_count(0)


@pytest.mark.parametrize("user_agent", [IPHONE_CHROME, None])
def test_ios_hint_not_shown_outside_ios_safari(new_context, live_server, user_agent):
    context = new_context(user_agent=user_agent)
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    expect(page.locator("main h1")).to_be_visible()
    expect(page.locator(".ios-hint")).to_have_count(0)


def test_ios_hint_not_shown_once_on_home_screen(new_context, live_server):
    context = new_context(user_agent=IPHONE_SAFARI)
    context.add_init_script(STANDALONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    expect(page.locator("main h1")).to_be_visible()
    expect(page.locator(".ios-hint")).to_have_count(0)
