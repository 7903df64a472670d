"""Does a long diary slow the pages down? Latency of /, /diary/ and /log/ for a user with
ten years of entries against one with a month, measured alternately in one run.
Target: ratio <= 1.2.

    .venv/bin/python bench/size.py --db sqlite --rounds 200
"""

import argparse
import statistics
import time

from harness import Client, Server

PAGES = ["/", "/diary/", "/log/", "/trends/?weeks=52", "/report/"]


def seed(server: Server, email: str, days: int):
    server.shell(
        "from datetime import date, timedelta\n"
        "from pages.models import Entry, Shoe, User\n"
        f"user = User.objects.get(email={email!r})\n"
        "shoe = Shoe.objects.create(user=user, name='Trainers')\n"
        "today = date.today()\n"
        "Entry.objects.bulk_create([Entry(user=user, date=today - timedelta(days=n),"
        " pain=n % 7, ran=n % 2 == 0, distance_km=8 if n % 2 == 0 else None,"
        " surface='road' if n % 2 == 0 else '', shoe=shoe if n % 2 == 0 else None,"
        f" warmup=n % 4 == 0) for n in range({days})], batch_size=500)\n"
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()

    server = Server(db_kind=args.db, workers=1)
    month, decade = server.make_users(2, prefix="size")
    seed(server, month, 30)
    seed(server, decade, 3650)
    server.start()
    clients = {"month": Client(server.port), "decade": Client(server.port)}
    clients["month"].login(month)
    clients["decade"].login(decade)
    timings = {(who, page): [] for who in clients for page in PAGES}
    try:
        for _ in range(10):  # warm up both
            for client in clients.values():
                for page in PAGES:
                    client.get(page)
        for _ in range(min(args.rounds, 2000)):
            for page in PAGES:
                for who, client in clients.items():
                    started = time.perf_counter()
                    status, _ = client.get(page)
                    timings[(who, page)].append(time.perf_counter() - started)
                    assert status == 200, (who, page, status)
    finally:
        server.stop()
    print(f"database={args.db} rounds={args.rounds} (median ms; ratio = 10 years / 1 month)")
    for page in PAGES:
        small = statistics.median(timings[("month", page)]) * 1000
        large = statistics.median(timings[("decade", page)]) * 1000
        print(f"{page:17} month={small:6.2f} decade={large:6.2f} ratio={large / small:.2f}")


if __name__ == "__main__":
    main()
