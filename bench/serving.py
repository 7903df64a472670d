"""Serving cost: requests per second for each kind of page, as a ratio of a hashed static
file (the floor), in one run against gunicorn with DEBUG off (see budgets.py's server).

    .venv/bin/python bench/serving.py [--seconds 10] [--workers 3]

Needs wrk (apt install wrk). Targets (the client-side issue): guide pages >= 60% of the
floor; /, /diary/ and /log/ signed in >= 12%. The signed-in requests carry a session and a
CSRF cookie, as a browser that has opened a form does; with the page cache on, they show
the cost of a page whose data has not changed since it was last rendered."""

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from budgets import ProductionServer, fetch  # noqa: E402

TARGETS = {"guide": 0.60, "signed in": 0.12}


def requests_per_second(url: str, *, seconds: int, cookie: str | None) -> float:
    command = ["wrk", "-t2", "-c8", f"-d{seconds}s", "-H", "Accept-Encoding: gzip"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in output:
        raise RuntimeError(f"{url} answered errors:\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument(
        "--no-page-cache",
        action="store_true",
        help="render every page every time (DJANGO_PAGE_CACHE=0), to see the cost without it",
    )
    args = parser.parse_args()
    if args.no_page_cache:
        os.environ["DJANGO_PAGE_CACHE"] = "0"
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt install wrk")
    with ProductionServer(workers=args.workers) as server:
        _, home, _ = fetch(server.url, "/")
        static = re.search(rb'href="(/static/css/app\.[0-9a-f]+\.css)"', home).group(1).decode()
        pages = [
            ("hashed static file", static, None, None),
            ("guide page", "/guide/why-running-hurts/", None, "guide"),
            ("/ signed in", "/", server.session_cookie, "signed in"),
            ("/diary/ signed in", "/diary/", server.session_cookie, "signed in"),
            ("/log/ signed in", "/log/", server.session_cookie, "signed in"),
        ]
        print(
            f"gunicorn, {args.workers} workers, DEBUG off; wrk 2 threads, 8 connections, "
            f"{args.seconds} s each; page cache {'off' if args.no_page_cache else 'on'}"
        )
        floor = None
        for _, path, cookie, _ in pages:  # warm every worker and cache first
            requests_per_second(server.url + path, seconds=2, cookie=cookie)
        for name, path, cookie, target in pages:
            rate = requests_per_second(server.url + path, seconds=args.seconds, cookie=cookie)
            floor = floor or rate
            ratio = rate / floor
            verdict = ""
            if target:
                verdict = "ok" if ratio >= TARGETS[target] else f"under {TARGETS[target]:.0%}"
            print(f"  {name:<20} {rate:8.0f} req/s  {ratio:6.1%}  {verdict}")


if __name__ == "__main__":
    main()
