"""Does a long diary slow the pages down? Latency of each page for a user with ten years of
entries against one with a month, measured alternately in one run. Target: ratio <= 1.2.
A third user with one year tells the length of the diary from the amount a page draws:
a year's chart holds as many days for the one-year diary as for the ten-year one. Each
diary has runs with their pain, a red flag every two months, a ride a week and a note
every nine days, so the report and the chart draw what a real one would.

The target is for the pages as a runner first opens them (`/trends/` and `/report/` show
12 weeks). `/trends/?weeks=52` is printed too: there the one-month diary fills 30 of the
chart's 365 days, so its ratio measures the cost of drawing a year, not of a long diary
(its "by year" figure is the one about length).

    .venv/bin/python bench/size.py --db sqlite --rounds 200
"""

import argparse
import statistics
import time

from harness import Client, Server

PAGES = ["/", "/diary/", "/log/", "/trends/", "/trends/?weeks=52", "/report/"]


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
        " run_pain=n % 5 if n % 2 == 0 else None, warmup=n % 4 == 0,"
        " symptoms=['fever'] if n % 60 == 5 else [],"
        " alternatives=[{'kind': 'cycling', 'minutes': 40}] if n % 7 == 3 else [],"
        " notes='Stiff after sitting all day' if n % 9 == 0 else '')"
        f" for n in range({days})], batch_size=500)\n"
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()

    server = Server(db_kind=args.db, workers=1)
    month, year, decade = server.make_users(3, prefix="size")
    seed(server, month, 30)
    seed(server, year, 365)
    seed(server, decade, 3650)
    server.start()
    clients = {who: Client(server.port) for who in ("month", "year", "decade")}
    for who, email in zip(clients, (month, year, decade), strict=True):
        clients[who].login(email)
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
    print(f"database={args.db} rounds={args.rounds} (median ms; ratio = 10 years / 1 month;")
    print("  by year = 10 years / 1 year)")
    for page in PAGES:
        small, one_year, large = (
            statistics.median(timings[(who, page)]) * 1000 for who in ("month", "year", "decade")
        )
        print(
            f"{page:17} month={small:6.2f} year={one_year:6.2f} decade={large:6.2f} "
            f"ratio={large / small:.2f} by year={large / one_year:.2f}"
        )


if __name__ == "__main__":
    main()
