"""The daily check-in walked as a runner would on a 390×844 phone: taps, swipes, characters
typed and a modelled time, for an unchanged day, a rest day and a full run entry.

    .venv/bin/python bench/checkin_walk.py [--width 390 --height 844]

Each walk starts with the app open on / (opening the app is not counted) for a runner whose
yesterday holds a run (8 km on road in the "Road shoes") and whose today is empty, and ends
when the saved day's card is on screen. Before each tap, a target that is not fully on
screen (between the top and the sticky bars at the bottom) costs swipes: one per three
quarters of a screen it is away. The time is a model, not a stopwatch, so runs compare:
1.0 s a tap, 0.8 s a swipe, 0.3 s a character (a phone keyboard), 1.0 s a page load."""

import argparse
import math
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))

from budgets import CHROMIUM, ProductionServer  # noqa: E402

SECONDS = {"taps": 1.0, "swipes": 0.8, "chars": 0.3, "loads": 1.0}
RUNNERS = """
from datetime import timedelta
from django.conf import settings
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
from django.test import Client
from django.utils.crypto import get_random_string
from django.utils import timezone
from pages.models import Entry, Shoe, User
today = timezone.localdate()
for name in ("unchanged", "rest", "run"):
    user = User.objects.create_user(email=f"{name}@example.com", password="walk 4 all days")
    shoe = Shoe.objects.create(user=user, name="Road shoes")
    for ago in range(2, 9):
        Entry.objects.create(user=user, date=today - timedelta(days=ago), pain=2)
    Entry.objects.create(
        user=user, date=today - timedelta(days=1), pain=2, ran=True, distance_km=8.0,
        duration_min=45, surface="road", shoe=shoe,
    )
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    # Signing in through the login form leaves a CSRF cookie too.
    csrf = get_random_string(CSRF_SECRET_LENGTH, allowed_chars=CSRF_ALLOWED_CHARS)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    print(name, settings.SESSION_COOKIE_NAME, session, settings.CSRF_COOKIE_NAME, csrf)
"""


@dataclass
class Walk:
    page: object
    taps: int = 0
    swipes: int = 0
    chars: int = 0
    loads: int = 0

    def seconds(self) -> float:
        return sum(getattr(self, name) * cost for name, cost in SECONDS.items())

    def bring_into_view(self, locator) -> None:
        box = locator.bounding_box()
        top, bottom = self.page.evaluate(
            """() => {
              let bottom = window.innerHeight;
              for (const bar of document.querySelectorAll('.tabbar, .form-actions')) {
                const style = getComputedStyle(bar);
                if (style.position === 'sticky' || style.position === 'fixed') {
                  const rect = bar.getBoundingClientRect();
                  if (rect.top < bottom && rect.top > window.innerHeight / 2) bottom = rect.top;
                }
              }
              return [0, bottom];
            }"""
        )
        if box["y"] >= top and box["y"] + box["height"] <= bottom + 1:
            return
        inside_bar = locator.evaluate("(el) => !!el.closest('.form-actions, .tabbar')")
        if inside_bar:
            return
        away = box["y"] - (bottom - box["height"]) if box["y"] > top else top - box["y"]
        self.swipes += math.ceil(abs(away) / (0.75 * self.page.viewport_size["height"]))
        locator.evaluate("(el) => el.scrollIntoView({block: 'center'})")

    def tap(self, locator, *, loads: bool = False) -> None:
        self.bring_into_view(locator)
        locator.tap()
        self.taps += 1
        if loads:
            self.loads += 1
            self.page.wait_for_load_state()

    def type(self, locator, text: str) -> None:
        self.tap(locator)
        locator.fill(text)
        self.chars += len(text)

    def see_result(self) -> None:
        card = self.page.locator("#day-card")
        card.wait_for()
        self.page.wait_for_timeout(300)  # let a swap or a scroll settle
        self.bring_into_view(card.locator(".card-head"))


def to_log_form(walk: Walk) -> None:
    if not walk.page.locator("form.entry-form").count():
        walk.tap(
            walk.page.get_by_role("link", name=re.compile(r"^(Log|Edit) today$")).first, loads=True
        )


def unchanged_day(walk: Walk) -> None:
    same = walk.page.get_by_role("button", name=re.compile(r"^Same as yesterday"))
    if not same.count():
        to_log_form(walk)
    walk.tap(same.first, loads=True)


def rest_day(walk: Walk) -> None:
    to_log_form(walk)
    walk.tap(walk.page.locator("fieldset.pain-scale").first.get_by_text("3", exact=True))
    walk.tap(walk.page.get_by_role("button", name="Save", exact=True))


def run_day(walk: Walk) -> None:
    page = walk.page
    to_log_form(walk)
    walk.tap(page.locator("fieldset.pain-scale").first.get_by_text("3", exact=True))
    walk.tap(page.get_by_text("I ran", exact=True))
    walk.type(page.get_by_label(re.compile(r"^Distance")), "8.5")
    walk.type(page.get_by_label(re.compile(r"^Time")), "48")
    walk.tap(page.locator("fieldset.chips").get_by_text("Road", exact=True))
    shoe = page.get_by_label("Shoe")
    if shoe.evaluate("(el) => el.options[el.selectedIndex].text") != "Road shoes":
        walk.tap(shoe)
        shoe.select_option(label="Road shoes")
        walk.taps += 1  # the option in the picker
    walk.tap(page.locator("fieldset.pain-scale").nth(1).get_by_text("2", exact=True))
    walk.tap(page.get_by_text("I warmed up", exact=True))
    walk.tap(page.get_by_role("button", name="Save", exact=True))


WALKS = {"unchanged": unchanged_day, "rest": rest_day, "run": run_day}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--width", type=int, default=390)
    parser.add_argument("--height", type=int, default=844)
    args = parser.parse_args()
    with ProductionServer() as server, sync_playwright() as playwright:
        lines = server.manage("shell", "-c", RUNNERS).splitlines()
        runners = {line.split()[0]: line.split()[1:] for line in lines if len(line.split()) == 5}
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        print(f"{args.width}×{args.height}; modelled time: {SECONDS}")
        print(f"{'walk':10} {'taps':>5} {'swipes':>6} {'chars':>5} {'loads':>5} {'seconds':>7}")
        for name, walk_day in WALKS.items():
            cookie_name, cookie, csrf_name, csrf = runners[name]
            context = browser.new_context(
                viewport={"width": args.width, "height": args.height},
                is_mobile=True,
                has_touch=True,
            )
            # The production cookie is __Host- prefixed: Secure, which Chromium allows on
            # 127.0.0.1 as on HTTPS.
            where = {"domain": "127.0.0.1", "path": "/", "secure": True}
            context.add_cookies(
                [
                    {"name": cookie_name, "value": cookie} | where,
                    {"name": csrf_name, "value": csrf} | where,
                ]
            )
            page = context.new_page()
            page.goto(server.url + "/")
            walk = Walk(page)
            walk_day(walk)
            walk.see_result()
            saved = page.locator("#day-card .summary").inner_text()
            print(
                f"{name:10} {walk.taps:5} {walk.swipes:6} {walk.chars:5} {walk.loads:5}"
                f" {walk.seconds():7.1f}   card: {saved.strip()[:60]}"
            )
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
