import pytest

from pages.guide import GUIDE_PAGES

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WATCH_CSP = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__csp.push(event.violatedDirective + " " + event.blockedURI);
});
"""


def test_no_csp_violations_across_pages_and_logging(logged_in_phone, live_server, user, make_entry):
    page = logged_in_phone
    make_entry(user, days_ago=1, pain=3)
    page.add_init_script(WATCH_CSP)
    console = []
    page.on("console", lambda message: console.append(message.text))
    urls = ["/", "/log/", "/diary/", "/settings/", "/guide/", "/offline/"]
    urls += [f"/guide/{guide.slug}/" for guide in GUIDE_PAGES]
    violations = {}
    for url in urls:
        page.goto(live_server.url + url)
        page.wait_for_load_state("networkidle")
        violations[url] = page.evaluate("window.__csp")
    page.goto(live_server.url + "/log/")
    page.locator("label.pain-choice", has_text="7").first.tap()
    page.get_by_role("button", name="Save").tap()
    page.locator("#day-card .pain-badge").wait_for()
    violations["logging"] = page.evaluate("window.__csp")
    assert {url: found for url, found in violations.items() if found} == {}
    assert not [text for text in console if "Content Security Policy" in text]


def test_permissions_policy_names_only_features_chromium_knows(phone, live_server):
    console = []
    phone.on("console", lambda message: console.append(message.text))
    for url in ("/", "/guide/"):
        phone.goto(live_server.url + url)
        phone.wait_for_load_state("networkidle")
    assert phone.evaluate("document.featurePolicy.allowsFeature('camera')") is False
    assert not [text for text in console if "Permissions-Policy" in text]
