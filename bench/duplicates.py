"""The same sync write sent 4 times at once, for 300 entries: exactly 300 rows, no 5xx.

.venv/bin/python bench/duplicates.py --db sqlite
.venv/bin/python bench/duplicates.py --db postgres
"""

import argparse
import threading
from collections import Counter
from datetime import date, timedelta

from harness import Client, Server, entry

COPIES = 4


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--entries", type=int, default=300)
    args = parser.parse_args()

    server = Server(db_kind=args.db)
    (email,) = server.make_users(1, prefix="dup")
    server.start()
    clients = [Client(server.port) for _ in range(COPIES)]
    for client in clients:
        client.login(email)
    statuses: Counter = Counter()
    lock = threading.Lock()
    try:
        for n in range(args.entries):
            payload = entry((date.today() - timedelta(days=n)).isoformat(), n % 11)
            barrier = threading.Barrier(COPIES)

            def send(client, payload=payload, barrier=barrier):
                barrier.wait()
                try:
                    status, _ = client.post_json("/api/entries/", payload)
                except OSError:
                    status = "connection error"
                with lock:
                    statuses[status] += 1

            threads = [threading.Thread(target=send, args=(c,)) for c in clients]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(30)
        count = f"print(Entry.objects.filter(user__email={email!r}).count())"
        rows = server.shell(f"from pages.models import Entry\n{count}").strip()
    finally:
        server.stop()
    server_errors = sum(v for k, v in statuses.items() if not isinstance(k, int) or k >= 500)
    print(f"database={args.db} entries={args.entries} copies_each={COPIES}")
    print(f"responses={dict(sorted(statuses.items(), key=str))}")
    print(f"rows={rows} expected={args.entries} server_errors={server_errors}")


if __name__ == "__main__":
    main()
