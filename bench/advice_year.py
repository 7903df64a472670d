"""A simulated year of three runners through the advice rules: prints how many days of each
colour each one sees, and how often settling and the other notes show.

    .venv/bin/python bench/advice_year.py [--seed N]

The runners log every day and follow the advice: they run every other day (8 km, road) while
the light is green; after a red day they stop running until the card says their pain has
settled, and then take it up again:
- near pain-free: pain 0 or 1 at random, all year;
- two-week flare: pain 1–2, then 14 days at 5–7 from day 150, then 1–2 again;
- six-week flare: the same with a 42-day flare.
"""

import argparse
import random
import sys
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pages.advice import HISTORY_DAYS, Day, advise  # noqa: E402

FIRST = date(2025, 1, 1)
FLARE_START = 150


def pain_on(n: int, *, flare_days: int, rng: random.Random) -> int:
    if flare_days and FLARE_START <= n < FLARE_START + flare_days:
        return rng.choice((5, 6, 6, 7))
    return rng.choice((0, 1)) if not flare_days else rng.choice((1, 2))


def simulate(*, flare_days: int, seed: int) -> Counter:
    rng = random.Random(seed)
    days: list[Day] = []
    seen: Counter = Counter()
    paused = False
    for n in range(365):
        on = FIRST + timedelta(days=n)
        runs = n % 2 == 0 and not paused
        days.append(
            Day(
                date=on,
                pain=pain_on(n, flare_days=flare_days, rng=rng),
                ran=runs,
                distance_km=8.0 if runs else None,
                surface="road" if runs else "",
            )
        )
        advice = advise(on=on, days=days[-HISTORY_DAYS - 1 :])
        seen[advice.light or advice.status] += 1
        if advice.status == "see_soon":
            seen["see_soon"] += 1
        for kind in advice.kinds:
            if kind in ("settling", "episode", "ramp"):
                seen[kind] += 1
        if advice.light == "red":
            paused = True
        elif advice.headline_kind == "settling":
            paused = False
    return seen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    runners = [
        ("near pain-free", 0),
        ("two-week flare", 14),
        ("six-week flare", 42),
    ]
    columns = ("red", "amber", "green", "see_soon", "settling", "episode", "ramp")
    print(f"365 days each, seed {args.seed}")
    print(f"{'runner':<16}" + "".join(f"{name:>10}" for name in columns))
    for name, flare_days in runners:
        seen = simulate(flare_days=flare_days, seed=args.seed)
        print(f"{name:<16}" + "".join(f"{seen[column]:>10}" for column in columns))


if __name__ == "__main__":
    main()
