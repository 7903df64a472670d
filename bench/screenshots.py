"""Screenshots of the day card as a runner sees it: one runner per kind of day, at 390×844 in
light and dark, from a production-like server (see budgets.py).

    .venv/bin/python bench/screenshots.py [--out DIR] [--page /]

Prints the path of each PNG; open them and look."""

import argparse
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))

from budgets import CHROMIUM, ProductionServer  # noqa: E402

RUNNERS = """
from datetime import timedelta
from django.conf import settings
from django.test import Client
from django.utils import timezone
from pages.models import Entry, User
today = timezone.localdate()
runs = {"ran": True, "distance_km": 10.0, "duration_min": 55, "surface": "road"}
days = {
    "red": {3: {"pain": 2}, 2: {"pain": 3}, 1: {"pain": 2, **runs}, 0: {"pain": 6}},
    "red-after-run": {3: {"pain": 2}, 2: {"pain": 2}, 1: {"pain": 2},
                      0: {"pain": 3, **runs, "run_pain": 7}},
    "amber": {3: {"pain": 3}, 2: {"pain": 3}, 1: {"pain": 3}, 0: {"pain": 4}},
    "settling": {12: {"pain": 2, **runs}, 9: {"pain": 2, **runs}, 5: {"pain": 3},
                 4: {"pain": 7}, 3: {"pain": 6}, 2: {"pain": 3}, 1: {"pain": 2}, 0: {"pain": 2}},
    "see-soon": {3: {"pain": 3}, 2: {"pain": 3}, 1: {"pain": 3},
                 0: {"pain": 4, "symptoms": ["leg_pain"]}},
    "urgent": {3: {"pain": 3}, 2: {"pain": 3}, 1: {"pain": 3},
               0: {"pain": 5, "symptoms": ["fever"]}},
    "emergency": {1: {"pain": 3}, 0: {"pain": 7, "symptoms": ["saddle_numbness"]}},
}
for name, entries in days.items():
    user = User.objects.create_user(email=f"{name}@example.com", password="screens 4 all")
    for ago, fields in entries.items():
        Entry.objects.create(user=user, date=today - timedelta(days=ago), **fields)
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    print(name, settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("/tmp/backpain-screens"))
    parser.add_argument("--page", default="/")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with ProductionServer() as server, sync_playwright() as playwright:
        lines = server.manage("shell", "-c", RUNNERS).splitlines()
        runners = [line.split() for line in lines if len(line.split()) == 3]
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        for name, cookie_name, cookie in runners:
            for scheme in ("light", "dark"):
                context = browser.new_context(
                    viewport={"width": 390, "height": 844},
                    device_scale_factor=1,
                    is_mobile=True,
                    has_touch=True,
                    color_scheme=scheme,
                )
                # The production cookie is __Host- prefixed: Secure, which Chromium allows
                # on 127.0.0.1 as on HTTPS.
                context.add_cookies(
                    [
                        {
                            "name": cookie_name,
                            "value": cookie,
                            "domain": "127.0.0.1",
                            "path": "/",
                            "secure": True,
                        }
                    ]
                )
                page = context.new_page()
                page.goto(server.url + args.page)
                path = args.out / f"{name}-{scheme}.png"
                page.screenshot(path=path)
                print(path)
                context.close()
        browser.close()


if __name__ == "__main__":
    main()
