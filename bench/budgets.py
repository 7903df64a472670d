"""Size and speed budgets: prints figures, does not time tests.

    .venv/bin/python bench/budgets.py                 # starts its own production-like server
    .venv/bin/python bench/budgets.py --lighthouse    # ... and runs bench/lighthouse.sh
    .venv/bin/python bench/budgets.py --url http://127.0.0.1:8000   # an already running one

Without --url it serves the app as in production (DJANGO_DEBUG=0, hashed and compressed
static files collected into a temporary DJANGO_STATIC_ROOT, gunicorn) on a temporary
SQLite database with a demo runner, so the signed-in pages can be measured too.

Budgets (from the installable/offline issue):
- each page's HTML is at most 14 KB gzipped (what fits in the first round trips);
- a cold first visit to / transfers at most 100 KB, counting the page, what it loads, and
  the service worker's precache of every guide page that follows it;
- Lighthouse (mobile defaults, median of 3) on / and one guide page: performance >= 0.95,
  accessibility 1.0, best practices >= 0.95.
Exits 1 when a budget is missed."""

import argparse
import gzip
import http.client
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pages.guide import GUIDE_PAGES  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
HTML_BUDGET_BYTES = 14 * 1024
COLD_VISIT_BUDGET_BYTES = 100 * 1024
PUBLIC_PAGES = ["/", "/guide/", *(f"/guide/{page.slug}/" for page in GUIDE_PAGES)]
PUBLIC_PAGES += ["/offline/", "/accounts/login/", "/accounts/signup/"]
SIGNED_IN_PAGES = [
    "/",
    "/log/",
    "/diary/",
    "/settings/",
    "/trends/?weeks=52",
    "/report/",
    "/import/",
]
DEMO_USER = """
from datetime import timedelta
from django.test import Client
from django.utils import timezone
from pages.models import Entry, Shoe, User
user = User.objects.create_user(email="bench@example.com", password="bench passphrase 42")
shoe = Shoe.objects.create(user=user, name="Road shoes", start_km=200)
today = timezone.localdate()
for ago in range(1, 43):
    km = [8.0, None, 6.5, 10.0, None, 5.0, 12.0][ago % 7]
    Entry.objects.create(
        user=user, date=today - timedelta(days=ago), pain=[2, 3, 4, 3, 5, 2, 6][ago % 7],
        ran=km is not None, distance_km=km, duration_min=int(km * 6) if km else None,
        surface="trail" if km else "", shoe=shoe if km else None, warmup=bool(km),
        alternatives=[] if km else [{"kind": "swimming", "minutes": 30}],
        notes="Tight hamstrings after the long run." if ago % 5 == 0 else "",
    )
client = Client()
client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
from django.conf import settings
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
from django.utils.crypto import get_random_string
# A browser that has opened any page with a form also holds a CSRF cookie.
csrf = get_random_string(CSRF_SECRET_LENGTH, allowed_chars=CSRF_ALLOWED_CHARS)
session = client.cookies[settings.SESSION_COOKIE_NAME].value
print(f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={csrf}")
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ProductionServer:
    def __init__(self, workers: int = 2):
        self.workers = workers
        self.workdir = Path(tempfile.mkdtemp(prefix="backpain-bench-"))
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = os.environ | {
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "bench-only-" + "x" * 50,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_STATIC_ROOT": str(self.workdir / "static"),
            "DATABASE_URL": f"sqlite:///{self.workdir / 'db.sqlite3'}",
        }
        self.process = None
        self.session_cookie = None

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
        )
        return result.stdout

    def __enter__(self):
        self.manage("collectstatic", "--noinput", "-v0")
        self.manage("migrate", "--noinput", "-v0")
        self.session_cookie = self.manage("shell", "-c", DEMO_USER).strip().splitlines()[-1]
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "backpain.wsgi", "--bind", f"127.0.0.1:{self.port}"]
            + ["--workers", str(self.workers), "--log-level", "warning"],
            cwd=ROOT,
            env=self.env,
        )
        for _ in range(200):
            try:
                fetch(self.url, "/offline/")
                return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("gunicorn did not start")

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait()
        shutil.rmtree(self.workdir, ignore_errors=True)


def fetch(base: str, path: str, cookie: str | None = None) -> tuple[int, bytes, int]:
    """GET a page as a browser would. Returns (status, body, bytes on the wire)."""
    parts = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    headers = {"Accept-Encoding": "gzip", "Accept": "text/html"}
    if cookie:
        headers["Cookie"] = cookie
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    wire = response.read()
    body = gzip.decompress(wire) if response.getheader("Content-Encoding") == "gzip" else wire
    connection.close()
    return response.status, body, len(wire)


def kb(size: int) -> str:
    return f"{size / 1024:6.1f} KB"


def html_sizes(base: str, cookie: str | None) -> bool:
    print("HTML per page (budget: 14 KB gzipped)")
    print(f"  {'page':42} {'raw':>9} {'gzip -9':>9} {'served':>9}")
    ok = True
    pages = [(path, None) for path in PUBLIC_PAGES]
    if cookie:
        pages += [(path, cookie) for path in SIGNED_IN_PAGES]
    for path, session in pages:
        status, body, wire = fetch(base, path, session)
        zipped = len(gzip.compress(body, 9))
        within = zipped <= HTML_BUDGET_BYTES
        ok &= within and status == 200
        label = f"{path} ({'signed in' if session else 'signed out'})"
        verdict = "ok" if within and status == 200 else f"OVER (HTTP {status})"
        print(f"  {label:42} {kb(len(body))} {kb(zipped)} {kb(wire)}  {verdict}")
    return ok


COLD_VISIT_JS = """async () => {
  await navigator.serviceWorker.ready;
  const nav = performance.getEntriesByType("navigation")[0];
  const resources = performance.getEntriesByType("resource");
  return {
    page: nav.transferSize + resources.reduce((sum, r) => sum + r.transferSize, 0),
    files: [[nav.name, nav.transferSize], ...resources.map((r) => [r.name, r.transferSize])],
  };
}"""
WORKER_JS = """() => performance.getEntriesByType("resource")
  .reduce((sum, r) => sum + r.transferSize, 0)"""


def cold_visit(base: str) -> bool:
    print("\nCold first visit to / (budget: 100 KB transferred)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--no-first-run"]
        )
        context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
        page = context.new_page()
        page.goto(f"{base}/", wait_until="load")
        figures = page.evaluate(COLD_VISIT_JS)
        worker = context.service_workers[0] if context.service_workers else None
        if worker is None:
            worker = context.wait_for_event("serviceworker", timeout=10000)
        page.evaluate("navigator.serviceWorker.ready.then((r) => r.active.state)")
        time.sleep(1)
        precache = worker.evaluate(WORKER_JS)
        browser.close()
    for name, size in figures["files"]:
        print(f"  {kb(size)}  {urllib.parse.urlsplit(name).path}")
    total = figures["page"] + precache
    within = total <= COLD_VISIT_BUDGET_BYTES
    print(f"  {kb(figures['page'])}  the page and what it loads")
    print(f"  {kb(precache)}  then, in the background: the service worker's precache")
    print(f"  {kb(total)}  in all  {'ok' if within else 'OVER'}")
    return within


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="measure this running server instead of starting one")
    parser.add_argument("--cookie", help="NAME=VALUE session cookie for the signed-in pages")
    parser.add_argument("--lighthouse", action="store_true", help="also run bench/lighthouse.sh")
    args = parser.parse_args()

    if args.url:
        results = measure(args.url.rstrip("/"), args.cookie, args.lighthouse)
    else:
        with ProductionServer() as server:
            print(f"Production-like server (DEBUG=0, gunicorn) at {server.url}\n")
            results = measure(server.url, server.session_cookie, args.lighthouse)
    print("\nBudgets:", "all met" if all(results) else "MISSED")
    sys.exit(0 if all(results) else 1)


def measure(base: str, cookie: str | None, lighthouse: bool) -> list[bool]:
    results = [html_sizes(base, cookie), cold_visit(base)]
    if lighthouse:
        guide_page = f"{base}/guide/{GUIDE_PAGES[0].slug}/"
        print("\nLighthouse 12.8.2, mobile defaults, median of 3")
        sys.stdout.flush()
        run = subprocess.run([str(ROOT / "bench" / "lighthouse.sh"), f"{base}/", guide_page])
        results.append(run.returncode == 0)
    return results


if __name__ == "__main__":
    main()
