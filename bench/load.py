"""Mixed load against gunicorn on 127.0.0.1: simulated runners log a day, view today,
browse history and read guidance. Optional faults: kill a worker every few seconds, or
kill every process mid-load and check that every acknowledged write survived.

    .venv/bin/python bench/load.py --db sqlite --users 20 --seconds 60
    .venv/bin/python bench/load.py --db postgres --users 20 --seconds 60
    .venv/bin/python bench/load.py --db sqlite --kill-workers 3 --seconds 30
    .venv/bin/python bench/load.py --db sqlite --crash-after 10
"""

import argparse
import contextlib
import os
import random
import signal
import sqlite3
import threading
import time
from datetime import date, timedelta

from harness import Client, Server, entry, percentiles

GUIDE = ["why-running-hurts", "running-form", "alternatives", "flare-ups", "see-a-professional"]


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.errors: list[tuple[float, str]] = []
        self.acknowledged: dict[str, tuple[str, int]] = {}  # uuid -> (date, pain)

    def ok(self, seconds: float):
        with self.lock:
            self.latencies.append(seconds)

    def error(self, what: str):
        with self.lock:
            self.errors.append((time.monotonic(), what))


def runner(port: int, email: str, stop: threading.Event, stats: Stats, seed: int):
    rng = random.Random(seed)
    client = Client(port)
    for _ in range(10):  # a worker may be killed mid-login
        try:
            client.login(email)
            break
        except (OSError, RuntimeError):
            time.sleep(0.2)
    day = date.today() - timedelta(days=rng.randrange(2000))
    while not stop.is_set():
        action = rng.choices(["log", "today", "history", "guide"], weights=[3, 3, 2, 2])[0]
        started = time.perf_counter()
        try:
            if action == "log":
                day -= timedelta(days=1)
                payload = entry(day.isoformat(), rng.randrange(11), ran=True, distance_km=5)
                status, _ = client.post_json("/api/entries/", payload)
                if status == 201:
                    with stats.lock:
                        stats.acknowledged[payload["uuid"]] = (payload["date"], payload["pain"])
            elif action == "today":
                status, _ = client.get("/")
            elif action == "history":
                status, _ = client.get("/diary/")
            else:
                status, _ = client.get(f"/guide/{rng.choice(GUIDE)}/")
        except OSError as error:
            stats.error(f"{action}: {type(error).__name__}")
            time.sleep(0.05)
            continue
        if status >= 500 or status in (401, 403):
            stats.error(f"{action}: HTTP {status}")
        else:
            stats.ok(time.perf_counter() - started)


def kill_workers_every(server: Server, seconds: float, stop: threading.Event, kills: list):
    """Kill one worker every few seconds, and time how long gunicorn takes to have a full
    set of workers serving again."""
    rng = random.Random(7)
    while not stop.wait(seconds):
        pids = server.worker_pids()
        if not pids:
            continue
        victim = rng.choice(pids)
        killed_at = time.monotonic()
        server_kill(victim)
        while not stop.is_set():
            now = server.worker_pids()
            if victim not in now and len(now) >= server.workers:
                break
            time.sleep(0.02)
        with contextlib.suppress(OSError):
            Client(server.port, timeout=5).get("/guide/")
        kills.append(time.monotonic() - killed_at)


def server_kill(pid: int):
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--kill-workers", type=float, default=0, help="kill one every N s")
    parser.add_argument("--crash-after", type=float, default=0, help="kill everything after N s")
    args = parser.parse_args()
    seconds = min(args.seconds, 300)

    server = Server(db_kind=args.db, workers=args.workers)
    emails = server.make_users(args.users)
    server.start()
    stats, stop, kills = Stats(), threading.Event(), []
    threads = [
        threading.Thread(target=runner, args=(server.port, email, stop, stats, n), daemon=True)
        for n, email in enumerate(emails)
    ]
    for thread in threads:
        thread.start()
    if args.kill_workers:
        threading.Thread(
            target=kill_workers_every, args=(server, args.kill_workers, stop, kills), daemon=True
        ).start()
    started = time.monotonic()
    try:
        if args.crash_after:
            time.sleep(min(args.crash_after, seconds))
            server.kill_all()
            stop.set()
        else:
            time.sleep(seconds)
            stop.set()
        for thread in threads:
            thread.join(35)
    finally:
        elapsed = time.monotonic() - started
        if not args.crash_after:
            server.stop()

    figures = percentiles(stats.latencies)
    print(f"database={args.db} users={args.users} workers={args.workers} seconds={elapsed:.1f}")
    print(f"requests={len(stats.latencies)} rps={len(stats.latencies) / elapsed:.1f}")
    print("latency_ms " + " ".join(f"{name}={value * 1000:.1f}" for name, value in figures.items()))
    if args.crash_after:
        report_crash(server, stats)
        return
    print(f"errors={len(stats.errors)}")
    if args.kill_workers:
        report_kills(kills, stats)
    for when, what in stats.errors[:10]:
        print(f"  error at +{when - started:.1f}s: {what}")


def report_kills(recoveries: list[float], stats: Stats):
    print(f"workers_killed={len(recoveries)}")
    if recoveries:
        print(
            f"recovery_s max={max(recoveries):.2f} "
            f"mean={sum(recoveries) / len(recoveries):.2f} (until all workers serve again)"
        )


def report_crash(server: Server, stats: Stats):
    """After a SIGKILL of every process: is every write that got a 201 still there?"""
    uuids = list(stats.acknowledged)
    print(f"acknowledged_writes={len(uuids)}")
    if server.db_kind == "sqlite":
        path = server.env["DATABASE_URL"].removeprefix("sqlite:///")
        with sqlite3.connect(path) as db:
            found = {row[0].replace("-", "") for row in db.execute("SELECT uuid FROM pages_entry")}
            integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
        missing = [u for u in uuids if u.replace("-", "") not in found]
        print(f"missing_after_crash={len(missing)} integrity_check={integrity}")
    else:
        out = server.shell(
            "from pages.models import Entry\n"
            f"wanted = {uuids!r}\n"
            "print(len(wanted) - Entry.objects.filter(uuid__in=wanted).count())"
        )
        print(f"missing_after_crash={out.strip()}")


if __name__ == "__main__":
    main()
