"""Offline reading and logging in real Chromium, with the server really stopped.

`context.set_offline()` does not cut a service worker's own fetches, so these tests run
the app in a subprocess they can kill and restart on the same port (the worker and the
outbox belong to that origin)."""

import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from pages.guide import GUIDE_PAGES
from pages.vocab import SYMPTOM_BY_CODE
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
EMAIL = "trail@example.com"
PASSWORD = "a long trail passphrase"


class AppServer:
    def __init__(self, project: Path, db_path: Path, log_path: Path):
        self.project, self.db_path, self.log_path = project, db_path, log_path
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = None

    def env(self) -> dict:
        return os.environ | {
            "DATABASE_URL": f"sqlite:///{self.db_path}",
            "DJANGO_DEBUG": "1",
            "PYTHONUNBUFFERED": "1",
        }

    def start(self) -> None:
        with self.log_path.open("a") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "manage.py",
                    "runserver",
                    "--noreload",
                    "--skip-checks",
                    f"127.0.0.1:{self.port}",
                ],
                cwd=self.project,
                env=self.env(),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.url}/offline/", timeout=2)
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"The server did not start: {self.log_path.read_text()}")

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()

    def execute(self, sql: str) -> None:
        with sqlite3.connect(self.db_path) as db:
            db.execute(sql)

    def entries(self) -> list[dict]:
        with sqlite3.connect(self.db_path) as db:
            db.row_factory = sqlite3.Row
            rows = db.execute(
                "SELECT uuid, date, pain, ran, distance_km, alternatives, version FROM pages_entry"
            ).fetchall()
        return [dict(row) for row in rows]


@pytest.fixture(scope="module")
def pristine_db(tmp_path_factory) -> Path:
    """A migrated database with one runner, copied afresh for each test."""
    path = tmp_path_factory.mktemp("pristine") / "db.sqlite3"
    env = os.environ | {
        "DATABASE_URL": f"sqlite:///{path}",
        "DJANGO_SUPERUSER_EMAIL": EMAIL,
        "DJANGO_SUPERUSER_PASSWORD": PASSWORD,
    }
    for command in (["migrate", "--noinput"], ["createsuperuser", "--noinput"]):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
    return path


def make_server(project: Path, pristine_db: Path, tmp_path: Path) -> AppServer:
    db_path = tmp_path / "db.sqlite3"
    shutil.copy(pristine_db, db_path)
    server = AppServer(project, db_path, tmp_path / "server.log")
    server.start()
    return server


@pytest.fixture
def server(pristine_db, tmp_path):
    server = make_server(ROOT, pristine_db, tmp_path)
    yield server
    if server.process.poll() is None:
        server.stop()


class Phone:
    """A persistent Chromium profile, so it can be closed and reopened like a real phone."""

    def __init__(self, browser_type, profile: Path):
        self.browser_type, self.profile, self.context = browser_type, profile, None

    def open(self):
        self.context = self.browser_type.launch_persistent_context(
            self.profile, executable_path=CHROMIUM, args=CHROMIUM_ARGS, **PHONE
        )
        return self.context.pages[0] if self.context.pages else self.context.new_page()

    def close(self):
        if self.context:
            self.context.close()
            self.context = None


@pytest.fixture
def phone_app(browser, tmp_path):
    phone = Phone(browser.browser_type, tmp_path / "profile")
    yield phone
    phone.close()


def log_in(page, url: str) -> None:
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{url}/")


def signed_in_offline_ready(phone_app, server, path: str | None = None):
    """A phone with the app open, signed in (and on `path`), its worker ready offline."""
    page = phone_app.open()
    log_in(page, server.url)
    if path:
        page.goto(f"{server.url}{path}")
    wait_until_offline_ready(page)
    return page


def log_and_keep_offline(page, server, *, pain: int, status: str):
    """Log today online, see the card's status, and let the worker keep the pages."""
    page.goto(f"{server.url}/log/")
    log_pain(page, pain)
    card = page.locator("#day-card")
    expect(card).to_have_class(re.compile(rf"\bstatus-{status}\b"))
    page.reload()
    wait_until_offline_ready(page)
    return card


def wait_until(page, expression: str, arg=None, timeout_s: float = 15) -> None:
    """Poll an async page expression (Playwright's wait_for_function does not await)."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            if page.evaluate(expression, arg):
                return
        except PlaywrightError:
            pass  # the page was navigating; ask the next one
        if time.monotonic() > deadline:
            raise AssertionError(f"Timed out waiting for: {expression}")
        time.sleep(0.1)


def wait_until_offline_ready(page) -> None:
    # Installing precaches about 35 files from the dev server; allow for a busy machine.
    # The current page may stay uncontrolled (its navigation can start just before the
    # worker claims clients); every later navigation goes through the active worker.
    wait_until(
        page,
        "navigator.serviceWorker.ready.then((r) => r.active.state === 'activated')",
        timeout_s=40,
    )
    wait_until(page, "caches.open('backpain-pages').then((c) => c.match('/log/')).then(Boolean)")


def outbox(page) -> list[dict]:
    return page.evaluate("backpainOutbox.all()")


def pages_cached(page) -> list[str]:
    return page.evaluate(
        "caches.open('backpain-pages').then((c) => c.keys())"
        ".then((requests) => requests.map((r) => new URL(r.url).pathname))"
    )


def wait_for_empty_outbox(page) -> None:
    wait_until(page, "backpainOutbox.all().then((items) => items.length === 0)")


def log_pain(page, pain: int, *, distance_km: str | None = None) -> None:
    page.locator("label.pain-choice", has_text=str(pain)).first.click()
    if distance_km:
        page.get_by_text("I ran", exact=True).click()
        page.get_by_label("Distance (km)").fill(distance_km)
    page.get_by_role("button", name="Save").click()


def test_offline_every_guide_page_and_log_open_after_one_visit(server, phone_app):
    page = signed_in_offline_ready(phone_app, server)

    server.stop()

    for guide_page in GUIDE_PAGES:
        page.goto(f"{server.url}/guide/{guide_page.slug}/")
        expect(page.locator("main h1")).to_have_text(guide_page.title)
    page.goto(f"{server.url}/guide/")
    expect(page.locator("main h1")).to_have_text("Guide")
    page.goto(f"{server.url}/log/")
    expect(page.get_by_role("heading", name="How is your back today?")).to_be_visible()
    expect(page.locator("form.entry-form")).to_be_visible()
    assert page.evaluate("getComputedStyle(document.querySelector('.tabbar')).position") == "fixed"
    page.goto(f"{server.url}/diary/")
    expect(page.locator("main h1")).to_have_text("No connection")


def test_offline_entry_survives_restart_and_syncs_exactly_once(server, phone_app):
    page = signed_in_offline_ready(phone_app, server, "/log/")

    server.stop()
    page.goto(f"{server.url}/log/")
    log_pain(page, 4, distance_km="6.5")
    expect(page.locator("#day-card .saved-note")).to_have_text(
        re.compile("Saved on this phone, will sync")
    )
    [item] = outbox(page)
    assert (item["payload"]["pain"], item["payload"]["distance_km"]) == (4, 6.5)
    page.goto(f"{server.url}/")
    expect(page.locator("#app-notices")).to_contain_text("1 entry saved on this phone is waiting")

    phone_app.close()
    server.start()
    page = phone_app.open()
    page.goto(f"{server.url}/")
    wait_for_empty_outbox(page)
    [entry] = server.entries()
    assert (entry["pain"], entry["distance_km"], entry["version"]) == (4, 6.5, 1)
    assert entry["uuid"].replace("-", "") == item["uuid"].replace("-", "")

    # The same write again, as if the first answer had been lost on the way back.
    page.evaluate("(item) => backpainOutbox.queue(item)", item)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_for_empty_outbox(page)
    [entry] = server.entries()
    assert (entry["pain"], entry["version"]) == (4, 1)


def test_cached_log_page_from_yesterday_logs_the_phones_today(server, phone_app):
    page = phone_app.open()
    log_in(page, server.url)
    page.goto(f"{server.url}/log/")
    log_pain(page, 2)
    expect(page.locator("#day-card .pain-badge")).to_have_text("2")
    [entry] = server.entries()
    page.reload()
    wait_until_offline_ready(page)
    wait_until(
        page,
        "caches.open('backpain-pages').then((c) => c.match('/log/'))"
        ".then((r) => r.text()).then((html) => html.includes('pain-badge'))",
    )

    server.stop()
    tomorrow = date.fromisoformat(entry["date"]) + timedelta(days=1)
    page.clock.set_fixed_time(datetime.combine(tomorrow, datetime.min.time()) + timedelta(hours=12))
    page.goto(f"{server.url}/log/")
    # The kept card is yesterday's, and says so; the form is today's, and empty.
    expect(page.locator("#day-card #card-title")).not_to_have_text("Today")
    expect(page.locator("#day-card .stale-note")).to_be_visible()
    expect(page.locator("input[name=pain]:checked")).to_have_count(0)
    log_pain(page, 5)
    expect(page.locator("#day-card #card-title")).to_have_text("Today")
    expect(page.locator("#day-card .pain-badge")).to_have_text("5")
    expect(page.locator("#day-card .saved-note")).to_have_text(re.compile("Saved on this phone"))
    [item] = outbox(page)
    assert (item["date"], item["base_version"]) == (tomorrow.isoformat(), None)
    assert item["uuid"].replace("-", "") != entry["uuid"].replace("-", "")


def test_offline_red_flag_shows_when_ticked_and_stays_on_the_saved_card(server, phone_app):
    page = phone_app.open()
    log_in(page, server.url)
    card = log_and_keep_offline(page, server, pain=7, status="red")
    page.goto(f"{server.url}/")
    page.goto(f"{server.url}/log/")
    for path in ("/log/", "/"):
        wait_until(
            page,
            f"caches.open('backpain-pages').then((c) => c.match('{path}'))"
            ".then((r) => r.text()).then((html) => html.includes('status-red'))",
        )

    server.stop()
    page.goto(f"{server.url}/log/")
    page.locator("details.section summary", has_text="Symptoms").click()
    emergency = page.locator('.entry-form .red-flag[data-tier="emergency"]')
    expect(emergency).to_be_hidden()
    page.get_by_label(SYMPTOM_BY_CODE["both_legs"].label).check()
    expect(emergency).to_be_visible()
    expect(emergency.get_by_role("link", name="Call 112")).to_have_attribute("href", "tel:112")

    page.get_by_role("button", name="Save").click()
    expect(card.locator(".saved-note")).to_have_text(re.compile("Saved on this phone"))
    expect(card.locator('.red-flag[data-tier="emergency"]')).to_be_visible()
    expect(card.get_by_role("link", name="Call 112")).to_be_visible()
    expect(card).not_to_have_class(re.compile(r"\bstatus-red\b"))

    # The home page's cached card shows it too, from the blocks it carries in a <template>.
    page.goto(f"{server.url}/")
    expect(card.locator('.red-flag[data-tier="emergency"]')).to_be_visible()
    expect(card.get_by_role("link", name="Call 112")).to_have_attribute("href", "tel:112")
    page.goto(f"{server.url}/log/")

    # Once the phone's copy is gone, the card is the server's again.
    [item] = outbox(page)
    page.evaluate("(uuid) => backpainOutbox.remove(uuid)", item["uuid"])
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(card.locator(".red-flag")).to_have_count(0)
    expect(card).to_have_class(re.compile(r"\bstatus-red\b"))


@pytest.mark.parametrize(
    ("choice", "kept_pain", "kept_version"),
    [("Keep mine", 7, 2), ("Keep the saved one", 2, 1)],
)
def test_offline_conflict_ends_in_chooser_and_keeps_the_choice(
    server, phone_app, browser, choice, kept_pain, kept_version
):
    page = signed_in_offline_ready(phone_app, server, "/log/")
    server.stop()
    log_pain(page, 7)
    expect(page.locator("#day-card .saved-note")).to_have_text(re.compile("Saved on this phone"))

    server.start()
    other_device = browser.new_context(**PHONE)
    other = other_device.new_page()
    log_in(other, server.url)
    other.goto(f"{server.url}/log/")
    log_pain(other, 2)
    expect(other.locator("#day-card .pain-badge")).to_have_text("2")
    other_device.close()

    page.goto(f"{server.url}/log/")
    chooser = page.locator(".conflict-choice")
    expect(chooser).to_be_visible()
    expect(chooser.locator(".mine")).to_contain_text("Pain 7")
    expect(chooser.locator(".theirs")).to_contain_text("Pain 2")
    assert [i["state"] for i in outbox(page)] == ["conflict"]
    expect(page.locator("#day-card .summary")).to_have_text("No run.")

    chooser.get_by_role("button", name=choice).click()
    wait_for_empty_outbox(page)
    expect(chooser).to_have_count(0)
    [entry] = server.entries()
    assert (entry["pain"], entry["version"]) == (kept_pain, kept_version)


def test_new_worker_version_replaces_old_caches(pristine_db, phone_app, tmp_path):
    project = tmp_path / "app"
    shutil.copytree(
        ROOT,
        project,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", "*.sqlite3*", "staticfiles", "node_modules", "__pycache__", ".*"
        ),
    )
    server = make_server(project, pristine_db, tmp_path)
    try:
        page = phone_app.open()
        log_in(page, server.url)
        wait_until(
            page, "navigator.serviceWorker.ready.then(() => !!navigator.serviceWorker.controller)"
        )
        [old_precache] = [n for n in page.evaluate("caches.keys()") if "precache" in n]
        # What an older worker kept of every page opened.
        page.evaluate(
            "caches.open('backpain-pages').then((c) => Promise.all(['/settings/', '/log/']"
            ".map((url) => c.put(url, new Response('kept')))))"
        )

        server.stop()
        sw_js = project / "templates" / "sw.js"
        sw_js.write_text(
            re.sub(r'const VERSION = "[^"]*";', 'const VERSION = "next";', sw_js.read_text())
        )
        server.start()

        page.reload()
        update = page.get_by_role("button", name="New version — reload")
        expect(update).to_be_visible()
        with page.expect_navigation():
            update.click()
        wait_until(
            page, "(old) => caches.keys().then((names) => !names.includes(old))", old_precache
        )
        [new_precache] = [n for n in page.evaluate("caches.keys()") if "precache" in n]
        assert new_precache.startswith("backpain-precache-vnext-")
        cached = page.evaluate(
            "(name) => caches.open(name).then((c) => c.keys()).then((r) => r.map((q) => q.url))",
            new_precache,
        )
        assert f"{server.url}/guide/{GUIDE_PAGES[-1].slug}/" in cached
        assert "/settings/" not in pages_cached(page)
    finally:
        server.stop()


def queue_entry(page, **payload) -> str:
    """Put an entry straight into the outbox, as a failed save would."""
    item = {
        "uuid": "7d0c8f62-3b1e-4c55-9a59-2d7f0e6b1a11",
        "user": page.evaluate("document.querySelector('script[data-user]').dataset.user"),
        "date": page.evaluate(
            "new Date(Date.now() - new Date().getTimezoneOffset() * 60000)"
            ".toISOString().slice(0, 10)"
        ),
        "unit": "km",
        "base_version": None,
        "payload": {"pain": 3, "ran": False, "symptoms": [], "alternatives": [], "notes": ""}
        | payload,
        "fields": [["pain", str(payload.get("pain", 3))]],
    }
    item["payload"] |= {"uuid": item["uuid"], "date": item["date"]}
    page.evaluate("(item) => backpainOutbox.queue(item)", item)
    return item["uuid"]


@pytest.fixture
def signed_in_phone(browser, server):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    log_in(page, server.url)
    page.goto(f"{server.url}/log/")
    yield page
    context.close()


def test_outbox_rejected_entry_shows_errors_and_is_kept(signed_in_phone):
    page = signed_in_phone
    queue_entry(page, ran=True, distance_km=999, duration_min=60)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    problem = page.locator("#app-notices .notice.problem")
    expect(problem).to_contain_text("could not be saved")
    expect(problem).to_contain_text("Distance: Distance must be more than 0 and at most 300 km.")
    assert [item["state"] for item in outbox(page)] == ["invalid"]
    expect(problem.get_by_role("link", name="Fix it")).to_have_attribute("href", "/log/")

    problem.get_by_role("button", name="Discard it").click()
    expect(problem).to_have_count(0)
    assert outbox(page) == []


def test_logout_asks_about_unsynced_then_clears_outbox_and_pages(signed_in_phone, server):
    page = signed_in_phone
    wait_until_offline_ready(page)
    uuid = queue_entry(page, pain=5)
    page.evaluate(
        "(uuid) => backpainOutbox.update(uuid,"
        " (item) => Object.assign(item, {state: 'conflict', server: {pain: 1}}))",
        uuid,
    )
    page.goto(f"{server.url}/settings/")
    questions = []

    def answer(dialog, accept):
        questions.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda dialog: answer(dialog, accept=False))
    page.get_by_role("button", name="Log out").click()
    for _ in range(100):
        if questions:
            break
        page.wait_for_timeout(100)
    assert "1 entry on this phone has not synced yet" in questions[0]
    assert page.url.endswith("/settings/")
    assert len(outbox(page)) == 1

    page.once("dialog", lambda dialog: answer(dialog, accept=True))
    with page.expect_navigation(url=f"{server.url}/"):
        page.get_by_role("button", name="Log out").click()
    assert outbox(page) == []
    assert not page.evaluate("caches.open('backpain-pages').then((c) => c.match('/log/'))")
    expect(page.get_by_role("navigation").get_by_role("link", name="Log in")).to_be_visible()


@pytest.fixture
def phone_without_worker(browser):
    """Without a service worker, page.route sees every request (Playwright cannot route
    what a worker passes on), and only the page replays."""
    context = browser.new_context(**PHONE, service_workers="block")
    yield context.new_page()
    context.close()


def test_failed_save_in_miles_is_kept_and_synced_in_km(phone_without_worker, server):
    server.execute("UPDATE pages_user SET unit = 'mi'")
    page = phone_without_worker
    log_in(page, server.url)
    page.goto(f"{server.url}/log/")
    page.route("**/log/", lambda route: route.abort("internetdisconnected"))
    page.locator("label.pain-choice", has_text="3").first.click()
    page.get_by_text("I ran", exact=True).click()
    page.get_by_label("Distance (mi)").fill("5")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#day-card .saved-note")).to_contain_text("Saved on this phone")
    expect(page.locator("#day-card .summary")).to_have_text("Pain 3, ran 5 mi.")
    [item] = outbox(page)
    assert item["payload"]["distance_km"] == 8.047

    page.unroute("**/log/")
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("#day-card .saved-note")).to_have_text("Synced.")
    # The card is the server's again, in the runner's unit.
    expect(page.locator("#day-card .summary")).to_have_text("Ran 5 mi.")
    expect(page.locator("#day-card .pain-badge")).to_have_text("3")
    [entry] = server.entries()
    assert (entry["pain"], entry["distance_km"]) == (3, 8.047)
    assert entry["uuid"].replace("-", "") == item["uuid"].replace("-", "")


def test_offline_private_pages_are_not_served_from_the_phone(server, phone_app):
    page = signed_in_offline_ready(phone_app, server)
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    for path in ("/settings/", f"/diary/{yesterday}/", "/diary/", "/log/", "/"):
        page.goto(f"{server.url}{path}")
        page.wait_for_load_state("networkidle")

    server.stop()
    for path in ("/settings/", f"/diary/{yesterday}/", "/diary/"):
        page.goto(f"{server.url}{path}")
        expect(page.locator("main h1")).to_have_text("No connection")
        expect(page.get_by_text(EMAIL)).to_have_count(0)
    page.goto(f"{server.url}/log/")
    expect(page.locator("form.entry-form")).to_be_visible()
    assert sorted(pages_cached(page)) == ["/", "/log/"]


def end_sessions(server) -> None:
    server.execute("DELETE FROM pages_usersession")


def test_session_ended_on_the_server_clears_the_phones_pages(server, phone_app):
    page = signed_in_offline_ready(phone_app, server, "/log/")

    end_sessions(server)
    page.goto(f"{server.url}/log/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    wait_until(page, "caches.open('backpain-pages').then((c) => c.keys()).then((k) => !k.length)")

    server.stop()
    for path in ("/log/", "/"):
        page.goto(f"{server.url}{path}")
        expect(page.locator("main h1")).to_have_text("No connection")


def test_slow_answer_after_session_ended_replaces_the_cached_page(server, phone_app):
    page = signed_in_offline_ready(phone_app, server, "/log/")

    end_sessions(server)
    server.process.send_signal(signal.SIGSTOP)
    try:
        # The worker gives up waiting after a few seconds and shows its copy. (Only
        # "commit": this server's unhashed static files wait for the network.)
        page.goto(f"{server.url}/log/", wait_until="commit")
        expect(page.locator("form.entry-form")).to_have_count(1)
    finally:
        server.process.send_signal(signal.SIGCONT)
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.locator("form.entry-form")).to_have_count(0)


def test_api_refusing_the_session_clears_the_phones_pages(server, phone_app):
    page = signed_in_offline_ready(phone_app, server, "/log/")
    queue_entry(page, pain=4)

    end_sessions(server)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_until(page, "backpainOutbox.all().then((items) => items[0].state === 'signin')")
    assert pages_cached(page) == []
    [item] = outbox(page)
    assert item["payload"]["pain"] == 4, "the unsynced entry stays on the phone"

    server.stop()
    page.goto(f"{server.url}/log/")
    expect(page.locator("main h1")).to_have_text("No connection")


def test_save_after_session_ended_is_kept_on_the_phone(server, phone_app):
    page = signed_in_offline_ready(phone_app, server, "/log/")

    end_sessions(server)
    log_pain(page, 4)
    expect(page.locator("#day-card .saved-note")).to_have_text(re.compile("Saved on this phone"))
    expect(page.locator("form.entry-form")).to_be_visible()
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("#app-notices")).to_contain_text("The server asked you to sign in again")
    [item] = outbox(page)
    assert (item["state"], item["payload"]["pain"]) == ("signin", 4)
    assert pages_cached(page) == []


def session_cookie(page) -> str:
    [cookie] = [c for c in page.context.cookies() if c["name"] == "sessionid"]
    return cookie["value"]


def signed_in_with(server, session_id: str) -> bool:
    request = urllib.request.Request(
        f"{server.url}/settings/", headers={"Cookie": f"sessionid={session_id}"}
    )

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        response = urllib.request.build_opener(NoRedirect).open(request, timeout=5)
    except urllib.error.HTTPError as error:
        response = error
    return response.status == 200


def test_logout_offline_clears_the_phone_and_ends_the_session_once_back(server, phone_app):
    page = signed_in_offline_ready(phone_app, server, "/log/")
    page.goto(f"{server.url}/settings/")
    old_session = session_cookie(page)
    assert signed_in_with(server, old_session)

    server.stop()
    page.get_by_role("button", name="Log out").click()
    notice = page.locator("#app-notices")
    expect(notice).to_contain_text(
        "This phone is cleared; your session ends once you are back online."
    )
    assert pages_cached(page) == []
    page.goto(f"{server.url}/log/")
    expect(page.locator("main h1")).to_have_text("No connection")

    server.start()
    page.goto(f"{server.url}/guide/")
    expect(page.get_by_role("navigation").get_by_role("link", name="Log in")).to_be_visible()
    expect(notice).not_to_contain_text("This phone is cleared")
    assert not signed_in_with(server, old_session)


def phone_today(page) -> date:
    return date.fromisoformat(
        page.evaluate(
            "new Date(Date.now() - new Date().getTimezoneOffset() * 60000)"
            ".toISOString().slice(0, 10)"
        )
    )


def save_day(page, url: str, day: date, **fields) -> None:
    """Save a day through the JSON API, as another device would."""
    body = {"date": day.isoformat(), "ran": False, "base_version": None} | fields
    [csrf] = [c["value"] for c in page.context.cookies() if c["name"].endswith("csrftoken")]
    status = page.evaluate(
        """async ([url, body, csrf]) => (await fetch(url, {
          method: "POST",
          headers: {"Content-Type": "application/json", "X-CSRFToken": csrf},
          body: JSON.stringify(body),
        })).status""",
        [f"{url}/api/entries/", body, csrf],
    )
    assert status == 201, status


def wait_until_kept(page, path: str, text: str) -> None:
    wait_until(
        page,
        "([path, text]) => caches.open('backpain-pages').then((c) => c.match(path))"
        ".then((r) => r && r.text()).then((html) => Boolean(html && html.includes(text)))",
        [path, text],
    )


def sync_now(page) -> None:
    page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_for_empty_outbox(page)


@pytest.mark.parametrize(
    ("button", "ran"), [("Same as yesterday", False), ("Same, and I ran the same", True)]
)
def test_same_as_yesterday_offline_is_kept_and_synced_once(server, phone_app, button, ran):
    page = signed_in_offline_ready(phone_app, server)
    today = phone_today(page)
    yesterday = {"pain": 3, "ran": True, "distance_km": 5, "duration_min": 30, "run_pain": 4}
    yesterday |= {"surface": "trail", "symptoms": ["leg_pain", "fever"]}
    save_day(page, server.url, today - timedelta(days=1), **yesterday)
    page.goto(f"{server.url}/log/")
    wait_until_kept(page, "/log/", 'class="copy-yesterday"')

    server.stop()
    page.goto(f"{server.url}/log/")
    page.get_by_role("button", name=re.compile(f"^{button}")).click()
    card = page.locator("#day-card")
    expect(card.locator(".saved-note")).to_have_text(re.compile("Saved on this phone"))
    expect(page.locator("main h1")).not_to_have_text("No connection")
    [item] = outbox(page)
    payload = item["payload"]
    assert (item["date"], item["base_version"]) == (today.isoformat(), None)
    assert (payload["pain"], payload["symptoms"], payload["ran"]) == (3, ["leg_pain"], ran)
    assert (payload["distance_km"], payload["run_pain"]) == ((5, None) if ran else (None, None))
    expect(page.locator("input[name=pain][value='3']")).to_be_checked()

    server.start()
    sync_now(page)
    expect(card.locator(".saved-note")).to_have_text("Synced.")
    expect(card.locator(".pain-badge")).to_have_text("3")
    entry = next(e for e in server.entries() if e["date"] == today.isoformat())
    assert (entry["pain"], bool(entry["ran"]), entry["version"]) == (3, ran, 1)
    assert entry["uuid"].replace("-", "") == item["uuid"].replace("-", "")

    # The same write again, as if the first answer had been lost on the way back.
    page.evaluate("(item) => backpainOutbox.queue(item)", item)
    sync_now(page)
    assert len(server.entries()) == 2
    entry = next(e for e in server.entries() if e["date"] == today.isoformat())
    assert entry["version"] == 1


def red_day_with_swimming(page, url: str) -> date:
    """Today at pain 7 over a usual 2 (so the card offers alternatives), 10 minutes swum."""
    today = phone_today(page)
    for days_ago in (1, 2, 3):
        save_day(page, url, today - timedelta(days=days_ago), pain=2)
    save_day(page, url, today, pain=7, alternatives=[{"kind": "swimming", "minutes": 10}])
    return today


def test_did_instead_offline_sets_the_minutes_once(server, phone_app):
    page = signed_in_offline_ready(phone_app, server)
    today = red_day_with_swimming(page, server.url)
    page.goto(f"{server.url}/")
    wait_until_kept(page, "/", 'class="did-instead"')

    server.stop()
    page.goto(f"{server.url}/")
    card = page.locator("#day-card")
    card.get_by_label("Minutes of swimming").fill("30")
    card.get_by_role("button", name="Log swimming done instead").click()
    expect(card.locator(".saved-note")).to_have_text(re.compile("Saved on this phone"))
    expect(card.locator(".summary")).to_contain_text("swimming 30 min")
    [item] = outbox(page)
    assert (item["date"], item["base_version"]) == (today.isoformat(), 1)
    assert item["payload"]["pain"] == 7
    assert item["payload"]["alternatives"] == [{"kind": "swimming", "minutes": 30}]

    server.start()
    sync_now(page)
    expect(card.locator(".summary")).to_contain_text("swimming 30 min.")
    swum_30 = [{"kind": "swimming", "minutes": 30}]
    entry = next(e for e in server.entries() if e["date"] == today.isoformat())
    assert (entry["version"], json.loads(entry["alternatives"])) == (2, swum_30)

    page.evaluate("(item) => backpainOutbox.queue(item)", item)
    sync_now(page)
    entry = next(e for e in server.entries() if e["date"] == today.isoformat())
    assert (entry["version"], json.loads(entry["alternatives"])) == (2, swum_30)


def test_did_instead_online_updates_the_card_in_place(server, phone_app):
    page = phone_app.open()
    log_in(page, server.url)
    today = red_day_with_swimming(page, server.url)
    page.goto(f"{server.url}/log/")
    card = page.locator("#day-card")
    card.get_by_label("Minutes of yoga").fill("15")
    card.get_by_role("button", name="Log yoga done instead").click()
    expect(card.locator(".saved-note")).to_have_text("Saved: 15 min of yoga.")
    expect(card.locator(".summary")).to_contain_text("yoga 15 min")
    assert outbox(page) == []
    entry = next(e for e in server.entries() if e["date"] == today.isoformat())
    assert entry["version"] == 2

    # The form below the card builds on the new version: saving it is no conflict.
    log_pain(page, 6)
    expect(card.locator(".pain-badge")).to_have_text("6")
    expect(page.locator(".entry-form .form-errors")).to_have_count(0)


def test_card_after_sync_shows_the_servers_status_and_advice(server, phone_app):
    page = phone_app.open()
    log_in(page, server.url)
    today = phone_today(page)
    for days_ago in (1, 2, 3):
        save_day(page, server.url, today - timedelta(days=days_ago), pain=2)
    card = log_and_keep_offline(page, server, pain=2, status="green")

    server.stop()
    log_pain(page, 7)
    expect(card.locator(".saved-note")).to_have_text(re.compile("Saved on this phone"))
    expect(card.locator(".pain-badge")).to_have_text("7")

    server.start()
    sync_now(page)
    expect(card).to_have_class(re.compile(r"\bstatus-red\b"))
    expect(card.locator(".pain-badge")).to_have_text("7")
    expect(card.locator(".pain-badge")).to_have_class(re.compile(r"\bpain-high\b"))
    expect(card.locator(".advice")).to_be_visible()
    expect(card.locator(".advice")).to_contain_text("7, up from your usual 2")
    expect(card.locator(".saved-note")).to_have_text("Synced.")
    [entry] = [e for e in server.entries() if e["date"] == today.isoformat()]
    assert (entry["pain"], entry["version"]) == (7, 2)


def test_trends_once_visited_reads_offline_with_its_chart(server, phone_app):
    page = signed_in_offline_ready(phone_app, server)
    today = phone_today(page)
    for days_ago in (1, 2, 3):
        save_day(page, server.url, today - timedelta(days=days_ago), pain=2 + days_ago)
    page.goto(f"{server.url}/trends/?weeks=4")
    expect(page.locator("svg.chart-svg")).to_have_count(1)
    wait_until_kept(page, "/trends/?weeks=4", "chart-svg")

    server.stop()
    page.goto(f"{server.url}/trends/?weeks=4")
    expect(page.locator("main h1")).to_have_text("Trends")
    expect(page.locator("svg.chart-svg")).to_have_count(1)
    line = page.locator("svg.chart-svg .pain-line").first
    stroke = line.evaluate("(el) => getComputedStyle(el).stroke")
    assert stroke not in ("", "none"), "the chart's stylesheet came from the phone too"
    page.goto(f"{server.url}/trends/?weeks=52")
    expect(page.locator("main h1")).not_to_have_text("Trends")
