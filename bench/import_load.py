"""A diary import against gunicorn on 127.0.0.1: the worker's peak memory, and how long
another runner's save waits for SQLite's write lock while the import runs.

One runner uploads an export file through Settings → import; meanwhile another runner
saves a day through the API every 50 ms. The script prints the import's status and
duration, the peak and remaining memory (VmHWM and VmRSS) of the worker that served it,
and the concurrent saves' latencies and errors.

    .venv/bin/python bench/import_load.py --days 10000           # the largest allowed
    .venv/bin/python bench/import_load.py --days 78000           # 36 MB, the issue's size
    .venv/bin/python bench/import_load.py --empty-mb 5           # the most objects in 5 MB
"""

import argparse
import json
import statistics
import threading
import time
import uuid
from datetime import date, timedelta

from harness import Client, Server, entry, percentiles


def export_file(days: int, *, small: bool) -> bytes:
    """An export as Settings → export writes it (indented), one entry per day back from
    yesterday: full entries with a run, or the smallest entry the import accepts."""
    first = date.today() - timedelta(days=days)
    entries = []
    for n in range(days):
        day = (first + timedelta(days=n)).isoformat()
        if small:
            entries.append({"date": day, "pain": n % 11})
            continue
        entries.append({
            "uuid": str(uuid.uuid4()), "date": day, "version": 1, "pain": n % 11, "ran": True,
            "distance_km": 8.2, "duration_min": 47, "surface": "trail", "shoe": 1,
            "run_pain": n % 6, "warmup": True, "cooldown": False, "symptoms": ["leg_pain"],
            "alternatives": [{"kind": "yoga", "minutes": 20}], "notes": "",
            "updated": "2026-01-01T10:00:00.123456+00:00",
        })  # fmt: skip
    shoe = {"id": 1, "name": "Trainers", "start_km": 0, "limit_km": 800, "retired": False}
    data = {"format": "backpain-export", "version": 1, "shoes": [shoe], "entries": entries}
    return json.dumps(data, indent=1).encode()


def empty_objects_file(megabytes: float) -> bytes:
    """Entries that are all `{}`: the most Python objects a file of this size can hold, so
    the most memory for its size (the import refuses it, after parsing it)."""
    count = int(megabytes * 1e6 / 3)
    return b'{"format": "backpain-export", "entries": [' + b"{}," * (count - 1) + b"{}]}"


def upload(client: Client, content: bytes) -> tuple[int, bytes]:
    boundary = uuid.uuid4().hex
    body = b"".join([
        f"--{boundary}\r\n".encode(),
        b'Content-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n',
        client.csrf.encode(), b"\r\n",
        f"--{boundary}\r\n".encode(),
        b'Content-Disposition: form-data; name="file"; filename="export.json"\r\n',
        b"Content-Type: application/json\r\n\r\n", content, b"\r\n",
        f"--{boundary}--\r\n".encode(),
    ])  # fmt: skip
    headers = {
        "Content-Type": f"multipart/form-data; boundary={boundary}",
        "X-CSRFToken": client.csrf,
    }
    return client.request("POST", "/settings/import/", body, headers)


def memory_kib(pid: int) -> dict[str, int]:
    with open(f"/proc/{pid}/status") as status:
        fields = dict(line.split(":", 1) for line in status)
    return {name: int(fields[name].split()[0]) for name in ("VmHWM", "VmRSS")}


def saver(port: int, email: str, stop: threading.Event, results: dict, day: date) -> None:
    client = Client(port, timeout=60)
    client.login(email)
    while not stop.is_set():
        day -= timedelta(days=1)
        started = time.perf_counter()
        try:
            status, _ = client.post_json("/api/entries/", entry(day.isoformat(), 3))
        except OSError as error:
            status = type(error).__name__
        elapsed = time.perf_counter() - started
        results["latencies"].append(elapsed)
        results["timeline"].append((started, elapsed))
        if status != 201:
            results["errors"].append(status)
        time.sleep(0.05)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=10_000)
    parser.add_argument("--small", action="store_true", help="the smallest valid entries")
    parser.add_argument("--empty-mb", type=float, help="a file of this size of `{}` entries")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--timeout", type=int, default=30, help="gunicorn's worker timeout")
    parser.add_argument("--timeline", action="store_true", help="every concurrent save")
    args = parser.parse_args()

    if args.empty_mb:
        content = empty_objects_file(args.empty_mb)
    else:
        content = export_file(args.days, small=args.small)
    server = Server(workers=args.workers, timeout=args.timeout)
    importer_email, saver_email = server.make_users(2)
    server.start()
    try:
        importer = Client(server.port, timeout=args.timeout + 10)
        importer.login(importer_email)
        workers = server.worker_pids()
        before = {pid: memory_kib(pid) for pid in workers}

        alone = {"latencies": [], "errors": [], "timeline": []}
        stop = threading.Event()
        args_alone = (server.port, saver_email, stop, alone, date.today())
        thread = threading.Thread(target=saver, args=args_alone)
        thread.start()
        time.sleep(3)
        stop.set()
        thread.join()

        during = {"latencies": [], "errors": [], "timeline": []}
        stop = threading.Event()
        args_during = (server.port, saver_email, stop, during, date.today() - timedelta(5000))
        thread = threading.Thread(target=saver, args=args_during)
        thread.start()
        time.sleep(1)
        during["latencies"].clear()
        during["timeline"].clear()
        started = time.perf_counter()
        try:
            status, _ = upload(importer, content)
        except OSError as error:
            status = type(error).__name__
        import_seconds = time.perf_counter() - started
        stop.set()
        thread.join()

        after = {pid: memory_kib(pid) for pid in workers if pid in server.worker_pids()}
        grown = max(after, key=lambda pid: after[pid]["VmHWM"] - before[pid]["VmHWM"])
        kind = "smallest entries" if args.small else "full entries"
        if args.empty_mb:
            print(f"file: {len(content) / 1e6:.1f} MB of empty entries")
        else:
            print(f"file: {args.days:,} days of {kind}, {len(content) / 1e6:.1f} MB")
        print(f"import: status {status} in {import_seconds:.1f} s")
        print(
            f"importing worker: peak {after[grown]['VmHWM'] / 1024:.0f} MiB, "
            f"{after[grown]['VmRSS'] / 1024:.0f} MiB after "
            f"(idle worker before: {before[grown]['VmRSS'] / 1024:.0f} MiB)"
        )
        for name, results in (("save alone", alone), ("save during import", during)):
            cuts = percentiles([s * 1000 for s in results["latencies"]])
            worst = max(results["latencies"], default=0) * 1000
            median = statistics.median(results["latencies"]) * 1000
            print(
                f"{name}: {len(results['latencies'])} saves, p50 {median:.0f} ms, "
                f"p99 {cuts['p99']:.0f} ms, max {worst:.0f} ms, errors {results['errors'][:5]}"
            )
        if args.timeline:
            for at, took in during["timeline"]:
                print(f"{at - started:7.2f} s {took * 1000:6.0f} ms")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
