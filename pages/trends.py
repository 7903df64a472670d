"""The numbers behind the trends chart and the report: plain days in, plain values out (no
Django), worked out with the advice rules so the chart and the day card never disagree.

For a period of whole weeks (Monday to Sunday) it gives: each week's distance; each day's
7-day mean pain with the band around the runner's baseline in which a change is not yet a
rise (PRODUCT.md rule 2, Ostelo et al. 2008); the pain during each run with its zone
(Silbernagel et al. 2007); the days with a red-flag symptom; the flares (runs of red
days, PRODUCT.md rule 6); and the days the training-load ramp fired (rule 7)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate
from statistics import fmean

from pages.advice.rules import (
    BASELINE_MIN_ENTRIES,
    MIN_IMPORTANT_CHANGE,
    RAMP_DAYS,
    RAMP_MAX_INCREASE_PERCENT,
    RAMP_MIN_RECENT_KM,
    SETTLING_LOW_DAYS,
    TIERS_WITHOUT_LIGHT,
    Day,
    Episode,
    Lights,
    PainSums,
    Pattern,
    baselines,
    episode,
    looking_back_patterns,
    ramp,
    rated,
    red_flag,
)
from pages.vocab import SAFE_PAIN_MAX, pain_band

PERIOD_WEEKS = (4, 12, 26, 52)
MEAN_DAYS = 7  # the line is the mean of the logged days in the 7 days ending each day
# Days read before the period, so its first days have a baseline, a 7-day mean and a ramp
# to compare with (the ramp compares two fortnights).
LEAD_DAYS = 28


@dataclass(frozen=True)
class Week:
    start: date
    distance_km: float
    runs: int
    logged: int = 0  # days with an entry
    mean_pain: float | None = None
    worst_pain: int | None = None


@dataclass(frozen=True)
class PainPoint:
    day: date
    mean: float  # of the logged days in the 7 days ending here
    baseline: float | None  # the runner's usual pain before this day (rule 2)

    @property
    def band(self) -> tuple[float, float] | None:
        """Within it, today's pain is no real change from the baseline."""
        if self.baseline is None:
            return None
        return (
            max(0.0, self.baseline - MIN_IMPORTANT_CHANGE),
            self.baseline + MIN_IMPORTANT_CHANGE,
        )


@dataclass(frozen=True)
class RunPain:
    day: date
    pain: int

    @property
    def zone(self) -> str:
        return pain_band(self.pain)


@dataclass(frozen=True)
class Flare:
    first: date
    last: date


@dataclass(frozen=True)
class Trend:
    first: date
    last: date
    weeks: tuple[Week, ...]
    pain: tuple[PainPoint, ...]
    run_pain: tuple[RunPain, ...]
    red_flags: tuple[tuple[date, tuple[str, ...]], ...]  # the day and its warning symptoms
    flares: tuple[Flare, ...]
    ramp_days: tuple[date, ...]
    patterns: tuple[Pattern, ...] = ()
    pains: tuple[int, ...] = ()  # each logged day's pain in the period, in date order
    episode: Episode | None = None  # as of the last logged day (rule 10)

    @property
    def total_km(self) -> float:
        return round(sum(week.distance_km for week in self.weeks), 3)

    @property
    def logged_days(self) -> int:
        return len(self.pains)

    @property
    def runs(self) -> int:
        return sum(week.runs for week in self.weeks)

    @property
    def red_flag_days(self) -> tuple[date, ...]:
        return tuple(day for day, _ in self.red_flags)

    @property
    def mean_pain(self) -> float | None:
        return fmean(self.pains) if self.pains else None

    @property
    def worst_pain(self) -> int | None:
        return max(self.pains, default=None)

    @property
    def direction(self) -> str | None:
        """ "better", "worse" or "same": the mean of the period's last two weeks against its
        first two, a change of 2 points or more counting (Ostelo et al. 2008). None when
        either end has fewer than BASELINE_MIN_ENTRIES days logged."""
        weeks = [w for w in self.weeks if w.logged]
        ends = (weeks[:2], weeks[-2:])
        if len(weeks) < 4 or any(sum(w.logged for w in end) < BASELINE_MIN_ENTRIES for end in ends):
            return None
        start, end = (
            sum(w.mean_pain * w.logged for w in part) / sum(w.logged for w in part) for part in ends
        )
        if end <= start - MIN_IMPORTANT_CHANGE:
            return "better"
        if end >= start + MIN_IMPORTANT_CHANGE:
            return "worse"
        return "same"


def period(*, weeks: int, ending: date) -> tuple[date, date]:
    """The last `weeks` whole weeks, the current one included: Monday to `ending`."""
    monday = ending - timedelta(days=ending.weekday())
    return monday - timedelta(weeks=weeks - 1), ending


def trend(*, days: Sequence[Day], first: date, last: date) -> Trend:
    """`days` holds the entries from first - LEAD_DAYS to last, in any order. The rules
    read them as one diary: each looks up only the dates it needs. A day not rated yet (an
    imported run) counts for distance and the ramp, never for pain."""
    every = {day.date: day for day in sorted(days, key=lambda d: d.date) if day.date <= last}
    in_period = [day for when, day in every.items() if first <= when <= last]
    logged = rated(every)
    rated_in_period = [day for day in in_period if day.pain is not None]
    bases = baselines(diary=logged, first=min(logged, default=first), last=last)
    return Trend(
        first=first,
        last=last,
        weeks=tuple(_weeks(in_period, first=first, last=last)),
        pain=tuple(_pain_line(logged, bases, first=first, last=last)),
        run_pain=tuple(RunPain(d.date, d.run_pain) for d in in_period if d.run_pain is not None),
        red_flags=tuple((d.date, _red_flag(d)) for d in in_period if _red_flag(d)),
        flares=tuple(_flares(logged, bases, first=first, last=last)),
        ramp_days=tuple(_ramp_days(every, in_period)),
        patterns=tuple(looking_back_patterns(diary={day.date: day for day in rated_in_period})),
        pains=tuple(day.pain for day in rated_in_period),
        episode=episode(on=rated_in_period[-1].date, diary=logged) if rated_in_period else None,
    )


def _red_flag(day: Day) -> tuple[str, ...]:
    """The day's emergency and urgent symptoms: the see-soon ones are not red flags."""
    if not day.symptoms:
        return ()
    flag = red_flag(symptoms=day.symptoms)
    return flag.symptoms if flag is not None and flag.tier in TIERS_WITHOUT_LIGHT else ()


def _days(first: date, last: date):
    return (first + timedelta(days=n) for n in range((last - first).days + 1))


def _weeks(days: Sequence[Day], *, first: date, last: date):
    by_week: dict[int, list[Day]] = {}
    for day in days:
        monday = day.date.toordinal() - day.date.weekday()
        by_week.setdefault(monday, []).append(day)
    start = first - timedelta(days=first.weekday())
    while start <= last:
        week = by_week.get(start.toordinal(), [])
        runs = [day.distance_km for day in week if day.ran and day.distance_km]
        pains = [day.pain for day in week if day.pain is not None]
        yield Week(
            start,
            round(sum(runs), 3),
            len(runs),
            logged=len(pains),
            mean_pain=sum(pains) / len(pains) if pains else None,
            worst_pain=max(pains, default=None),
        )
        start += timedelta(weeks=1)


def _pain_line(logged: dict[date, Day], bases, *, first: date, last: date):
    sums = PainSums(logged, first=first - timedelta(days=MEAN_DAYS - 1), last=last)
    means = sums.trailing(MEAN_DAYS, first=first, last=last)
    for when, (days, total) in zip(_days(first, last), means, strict=True):
        if days:
            yield PainPoint(when, total / days, bases[when])


def _flares(logged: dict[date, Day], bases, *, first: date, last: date):
    """Runs of red days (PRODUCT.md rule 3), a flare ending once pain has been low on
    SETTLING_LOW_DAYS logged days in a row (rule 6). Those that touch the period."""
    lights = Lights(logged, bases)
    start = end = None
    low_streak = 0
    for when, day in logged.items():
        if lights[when].colour == "red":
            start, end, low_streak = start or when, when, 0
            continue
        low_streak = low_streak + 1 if day.pain <= SAFE_PAIN_MAX else 0
        if start and low_streak == SETTLING_LOW_DAYS:
            if end >= first:
                yield Flare(start, end)
            start = end = None
    if start and end >= first:
        yield Flare(start, end)


def _ramp_days(logged: dict[date, Day], in_period: Sequence[Day]):
    """The days rule 7's ramp fires. Running sums rule out most days at once (too little
    running in the last two weeks); the rule itself decides the rest."""
    if not in_period:
        return
    start = in_period[0].date.toordinal() - 2 * RAMP_DAYS
    daily = [0.0] * (in_period[-1].date.toordinal() + 1 - start)
    for when, day in logged.items():
        n = when.toordinal() - start
        if 0 <= n < len(daily) and day.ran:
            daily[n] = day.distance_km or 0
    km = [0.0, *accumulate(daily)]
    for day in in_period:
        end = day.date.toordinal() - start + 1
        last = km[end] - km[end - RAMP_DAYS]
        previous = km[end - RAMP_DAYS] - km[end - 2 * RAMP_DAYS]
        # Float sums: margins, so that no day the rule would flag is skipped here.
        too_little = last < RAMP_MIN_RECENT_KM - 0.01 or previous < 0.001
        if too_little or 100 * (last - previous) < RAMP_MAX_INCREASE_PERCENT * previous - 1:
            continue
        if ramp(on=day.date, diary=logged) is not None:
            yield day.date
