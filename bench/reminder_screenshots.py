"""Screenshots of Settings → Reminders as a runner sees it: Android Chrome at 412×915 (off,
then on for the device) and an iPhone's Safari, not installed, at 390×844, each in light
and dark, from a production-like server (see budgets.py) with VAPID keys made for it.

    .venv/bin/python bench/reminder_screenshots.py [--out DIR]

Prints the path of each PNG; open them and look. Headless Chromium cannot reach a push
service, so "on" uses a stand-in subscription (as tests/e2e/test_reminders.py does)."""

import argparse
import os
import subprocess
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from budgets import CHROMIUM, ROOT, ProductionServer  # noqa: E402

from tests.e2e.push_stub import FAKE_PUSH, IPHONE_SAFARI  # noqa: E402

ANDROID_CHROME = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Mobile Safari/537.36"
)
DEVICE_KEYS = {  # a valid P-256 point and auth secret, for the stand-in subscription
    "p256dh": "BHWIY9POFoBXbpoZWiHJN5kyYXA0qcR_bWPcbbx785TcV5K5gVn6sWmCnyckcHdR8my0aa"
    "Kxl7pqu6giLx1iY9Q",
    "auth": "BTBZMqHH6r4Tts7J_aSIgg",
}


def vapid_environment() -> dict:
    lines = subprocess.run(
        [sys.executable, "manage.py", "make_vapid_keys"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.splitlines()
    return dict(line.split("=", 1) for line in lines)


def shoot(browser, server, out: Path, name: str, context_options: dict, turn_on: bool) -> None:
    for scheme in ("light", "dark"):
        context = browser.new_context(
            device_scale_factor=1,
            is_mobile=True,
            has_touch=True,
            color_scheme=scheme,
            **context_options,
        )
        fake = {"endpoint": f"https://fcm.googleapis.com/fcm/send/{name}-{scheme}", **DEVICE_KEYS}
        context.add_init_script(FAKE_PUSH % fake)
        context.add_cookies(
            [
                {"name": n, "value": v, "domain": "127.0.0.1", "path": "/", "secure": True}
                for n, v in (part.split("=", 1) for part in server.session_cookie.split("; "))
            ]
        )
        page = context.new_page()
        page.goto(server.url + "/settings/")
        page.evaluate("navigator.serviceWorker.ready")
        card = page.locator(".reminders")
        if turn_on:
            context.grant_permissions(["notifications"], origin=server.url)
            card.get_by_role("button", name="Turn on reminders").click()
            card.get_by_text("each day").wait_for()
        page.wait_for_timeout(300)
        card.scroll_into_view_if_needed()
        path = out / f"reminders-{name}-{scheme}.png"
        page.screenshot(path=path)
        print(path)
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("/tmp/shots-push"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    os.environ.update(vapid_environment())
    with ProductionServer() as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        android = {"viewport": {"width": 412, "height": 915}, "user_agent": ANDROID_CHROME}
        iphone = {"viewport": {"width": 390, "height": 844}, "user_agent": IPHONE_SAFARI}
        shoot(browser, server, args.out, "android-off", android, turn_on=False)
        shoot(browser, server, args.out, "android-on", android, turn_on=True)
        shoot(browser, server, args.out, "iphone-not-installed", iphone, turn_on=False)
        browser.close()


if __name__ == "__main__":
    main()
