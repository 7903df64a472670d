"""Draw backpain's icon and rasterise it, and take the manifest's phone screenshot.

    .venv/bin/python bench/make_icons.py            # icons only
    .venv/bin/python bench/make_icons.py --screenshot

The mark is a spine drawn as stacked vertebrae on a forward-leaning S-curve, with a head
above it: a runner seen from the side. The lowest-but-one vertebra is amber, for the low
back. Headless Chromium (Debian's, never a downloaded one) turns the SVG into PNGs."""

import argparse
import math
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "static" / "icons"
SCREENSHOTS = ROOT / "static" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]

BRAND = "#0b5d57"
INK = "#ffffff"
AMBER = "#f2b968"
SPINE = ((262, 196), (226, 262), (300, 330), (238, 424))  # a cubic Bézier, 512 canvas
VERTEBRAE = 6
HEAD = (292, 120, 44)


def bezier(t: float) -> tuple[float, float, float]:
    """Point and tangent angle (degrees) on the spine curve."""
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = SPINE
    u = 1 - t
    x = u**3 * x0 + 3 * u * u * t * x1 + 3 * u * t * t * x2 + t**3 * x3
    y = u**3 * y0 + 3 * u * u * t * y1 + 3 * u * t * t * y2 + t**3 * y3
    dx = 3 * u * u * (x1 - x0) + 6 * u * t * (x2 - x1) + 3 * t * t * (x3 - x2)
    dy = 3 * u * u * (y1 - y0) + 6 * u * t * (y2 - y1) + 3 * t * t * (y3 - y2)
    return x, y, math.degrees(math.atan2(dy, dx))


def even_points(count: int) -> list[tuple[float, float, float]]:
    samples = [bezier(i / 400) for i in range(401)]
    lengths = [0.0]
    for (xa, ya, _), (xb, yb, _) in zip(samples, samples[1:], strict=False):
        lengths.append(lengths[-1] + math.hypot(xb - xa, yb - ya))
    points = []
    for k in range(count):
        target = lengths[-1] * k / (count - 1)
        index = min(range(len(lengths)), key=lambda i: abs(lengths[i] - target))
        points.append(samples[index])
    return points


def artwork() -> str:
    shapes = []
    for k, (x, y, angle) in enumerate(even_points(VERTEBRAE)):
        width = 74 + 9 * k  # vertebrae grow towards the low back
        height = 34
        colour = AMBER if k == VERTEBRAE - 2 else INK
        shapes.append(
            f'<rect x="{-width / 2:.1f}" y="{-height / 2:.1f}" width="{width}" '
            f'height="{height}" rx="{height / 2:.0f}" fill="{colour}" '
            f'transform="translate({x:.1f} {y:.1f}) rotate({(angle - 90) * 0.45:.1f})"/>'
        )
    cx, cy, r = HEAD
    shapes.append(f'<circle cx="{cx}" cy="{cy}" r="{r}" fill="{INK}"/>')
    return "".join(shapes)


def icon_svg(*, scale: float, rounded: bool) -> str:
    background = (
        f'<rect width="512" height="512" rx="112" fill="{BRAND}"/>'
        if rounded
        else f'<rect width="512" height="512" fill="{BRAND}"/>'
    )
    offset = 256 * (1 - scale)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512">'
        f"{background}"
        f'<g transform="translate({offset:.1f} {offset:.1f}) scale({scale})">{artwork()}</g>'
        "</svg>\n"
    )


# name, pixel size, artwork scale, rounded corners (transparent outside)
RASTERS = [
    ("icon-192.png", 192, 1.0, True),
    ("icon-512.png", 512, 1.0, True),
    # Maskable: full-bleed background, artwork inside the central safe circle (r = 40%).
    ("icon-maskable-512.png", 512, 0.78, False),
    # iOS rounds the corners itself and dislikes transparency.
    ("apple-touch-icon.png", 180, 0.86, False),
]


def make_icons(browser) -> None:
    ICONS.mkdir(parents=True, exist_ok=True)
    (ICONS / "icon.svg").write_text(icon_svg(scale=1.0, rounded=True))
    page = browser.new_page()
    for name, size, scale, rounded in RASTERS:
        page.set_viewport_size({"width": size, "height": size})
        svg = icon_svg(scale=scale, rounded=rounded).replace(
            "<svg ", f'<svg width="{size}" height="{size}" '
        )
        page.set_content(
            f"<!doctype html><style>html,body{{margin:0;background:transparent}}"
            f"svg{{display:block}}</style>{svg}"
        )
        page.screenshot(path=ICONS / name, omit_background=rounded)
        print(f"wrote static/icons/{name} ({size}×{size})")
    page.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


DEMO_DATA = """
from datetime import timedelta
from django.utils import timezone
from pages.models import Entry, Shoe, User
user = User.objects.create_user(email="demo@example.com", password="demo passphrase 42")
shoe = Shoe.objects.create(user=user, name="Trail shoes", start_km=120)
today = timezone.localdate()
days = [(6, 2, 8.0, "trail"), (5, 3, None, ""), (4, 2, 6.5, "grass"), (3, 3, 10.0, "road"),
        (2, 5, None, ""), (1, 4, 5.0, "trail")]
for ago, pain, km, surface in days:
    Entry.objects.create(
        user=user, date=today - timedelta(days=ago), pain=pain, ran=km is not None,
        distance_km=km, duration_min=int(km * 6) if km else None, surface=surface,
        shoe=shoe if km else None, warmup=bool(km),
        alternatives=[] if km else [{"kind": "swimming", "minutes": 30}],
    )
"""


def take_screenshot(browser) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="backpain-shot-"))
    port = free_port()
    env = os.environ | {
        "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
        "DJANGO_DEBUG": "1",
        "PYTHONUNBUFFERED": "1",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run([*manage, "shell", "-c", DEMO_DATA], env=env, check=True, cwd=ROOT)
    server = subprocess.Popen(
        [*manage, "runserver", "--noreload", "--skip-checks", f"127.0.0.1:{port}"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/offline/", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        context = browser.new_context(
            viewport={"width": 390, "height": 844},
            device_scale_factor=1,
            is_mobile=True,
            has_touch=True,
            color_scheme="light",
        )
        page = context.new_page()
        page.goto(f"{base}/accounts/login/")
        page.get_by_label("Email address").fill("demo@example.com")
        page.get_by_label("Password").fill("demo passphrase 42")
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(f"{base}/")
        page.goto(f"{base}/log/")
        page.locator("label.pain-choice", has_text="3").first.click()
        page.get_by_text("I ran", exact=True).click()
        page.get_by_label("Distance (km)").fill("6")
        page.get_by_label("Time (minutes)").fill("38")
        page.evaluate("document.activeElement.blur()")
        page.wait_for_timeout(300)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / "log-390x844.png")
        print("wrote static/screenshots/log-390x844.png (390×844)")
        context.close()
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(workdir, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--screenshot", action="store_true", help="also take the app screenshot")
    args = parser.parse_args()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        make_icons(browser)
        if args.screenshot:
            take_screenshot(browser)
        browser.close()


if __name__ == "__main__":
    main()
