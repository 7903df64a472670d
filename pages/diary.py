"""Reading a user's diary: a day's card, recent days, and history grouped by week.

Every query here is scoped to one user and bounded by a date window, so a user with ten
years of entries costs the same per page as one with a month."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import F
from django.utils import timezone

from pages import advice, trends
from pages.advice.rules import BASELINE_WINDOW_DAYS, Lights
from pages.models import Activity, Entry, Shoe

HISTORY_WEEKS_PER_PAGE = 4


@dataclass
class DayRow:
    day: date
    entry: Entry | None  # None: a day with nothing logged
    colour: str = ""  # the day's traffic light (advice rules 3–5): red, amber or green


@dataclass
class Week:
    start: date
    entries: list[Entry] = field(default_factory=list)
    days: list[DayRow] = field(default_factory=list)  # newest first, unlogged days too
    # The days with nothing logged between this week and the newer one above it.
    quiet_from: date | None = None
    quiet_to: date | None = None

    @property
    def end(self) -> date:
        return self.start + timedelta(days=6)

    @property
    def distance_km(self) -> float:
        return sum(entry.distance_km or 0 for entry in self.entries)

    @property
    def mean_pain(self) -> float | None:
        """Of the rated days: a day with only an imported run has no pain yet."""
        pains = [entry.pain for entry in self.entries if entry.pain is not None]
        return sum(pains) / len(pains) if pains else None


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def history_page(user, *, before: date | None, today: date) -> tuple[list[Week], date | None]:
    """Up to HISTORY_WEEKS_PER_PAGE weeks that have entries, newest first, and the cursor
    for the next page. A week holds at most 7 entries, so 7 × weeks + 1 rows always
    contain every full week the page shows. Each week lists its days up to today, the
    unlogged ones too, and each logged day its traffic light."""
    entries = Entry.objects.filter(user=user).order_by("-date")
    if before:
        entries = entries.filter(date__lt=before)
    limit = 7 * HISTORY_WEEKS_PER_PAGE + 1
    rows = list(entries[:limit])
    weeks: list[Week] = []
    for entry in rows:
        start = week_start(entry.date)
        if not weeks or weeks[-1].start != start:
            weeks.append(Week(start))
        weeks[-1].entries.append(entry)
    is_last_page = len(rows) < limit
    weeks = weeks[:HISTORY_WEEKS_PER_PAGE]
    if weeks:
        first_day = weeks[-1].entries[-1].date if is_last_page else weeks[-1].start
        last_day = min(today, before - ONE_DAY) if before else today
        _fill_days(user, weeks, first_day=first_day, last_day=last_day)
    return weeks, None if is_last_page else weeks[-1].start


def _fill_days(user, weeks: list[Week], *, first_day: date, last_day: date) -> None:
    """Every day of the weeks from first_day to last_day, and the quiet stretches between
    the weeks. The lights need the baseline's 14 days before the oldest day shown."""
    lights = advice_lights(user, weeks, first_day=first_day)
    newer = last_day + ONE_DAY
    for week in weeks:
        if week.end + ONE_DAY < newer:
            week.quiet_from, week.quiet_to = week.end + ONE_DAY, newer - ONE_DAY
        by_date = {entry.date: entry for entry in week.entries}
        first, last = max(week.start, first_day), min(week.end, last_day)
        for n in range((last - first).days, -1, -1):
            day = first + timedelta(days=n)
            entry = by_date.get(day)
            colour = lights[day].colour if day in lights else ""
            week.days.append(DayRow(day, entry, colour))
        newer = week.start


def advice_lights(user, weeks: list[Week], *, first_day: date) -> Lights:
    """The traffic lights of the weeks' entries, from those entries and one bounded read
    of the days before them that the baseline looks at."""
    before = Entry.objects.filter(
        user=user, date__range=(first_day - timedelta(days=BASELINE_WINDOW_DAYS), first_day)
    ).exclude(date=first_day)
    days = [advice.Day(**row) for row in before.values(*ADVICE_FIELDS)]
    days += [as_advice_day(entry) for week in weeks for entry in week.entries]
    return Lights(advice.rated({day.date: day for day in days}))


def as_advice_day(entry: Entry) -> advice.Day:
    return advice.Day(**{name: getattr(entry, name) for name in ADVICE_FIELDS})


def shoes_with_distance(user):
    """The user's shoes, each with its total: the starting distance plus the distance
    logged in it."""
    return Shoe.objects.filter(user=user).annotate(total_km=F("start_km") + F("logged_km"))


def shoe_prompt(shoe: Shoe, *, unit: str) -> advice.Note | None:
    """The check/replace prompt for an active pair, as the day card words it."""
    if shoe.retired:
        return None
    found = advice.shoe_notes([as_advice_shoe(shoe)], unit=unit)
    return found[0] if found else None


def as_advice_shoe(shoe: Shoe) -> advice.Shoe:
    return advice.Shoe(name=shoe.name, distance_km=shoe.total_km, limit_km=shoe.limit_km)


@dataclass
class DayCard:
    day: date
    entry: Entry | None
    yesterday: Entry | None
    advice: advice.Advice
    unit: str
    # The days before it, newest first, each with its entry or None (as many as asked).
    recent: list[tuple[date, Entry | None]] = field(default_factory=list)
    # The day's runs from watch files: kept ones, and those that wait for the runner's
    # choice against the run they typed.
    watch_runs: list[Activity] = field(default_factory=list)

    @property
    def runs_to_choose(self) -> list[Activity]:
        return [run for run in self.watch_runs if run.status == Activity.Status.TO_CHOOSE]

    @property
    def efforts(self) -> list[int]:
        """The perceived effort each kept run's file gave (1–10), when it gave one."""
        kept = (run for run in self.watch_runs if run.status == Activity.Status.ADDED)
        return [run.effort for run in kept if run.effort]


def day_card(user, day: date, *, recent: int = 1) -> DayCard:
    """The day's entry and its advice, and the `recent` days before it, from one read of
    entries. The rules read a bounded window as plain values, which costs the same for a
    month-old diary as for a ten-year one. Only the day's own symptoms matter to them (a
    red flag is about today), so the window leaves symptoms out and the day's entry, read
    whole for the card, supplies them."""
    first = day - timedelta(days=max(recent, 1))
    near = {e.date: e for e in Entry.objects.filter(user=user, date__range=(first, day))}
    window = Entry.objects.filter(
        user=user, date__range=(day - timedelta(days=advice.HISTORY_DAYS), day)
    ).values(*ADVICE_FIELDS)
    shoes = [as_advice_shoe(shoe) for shoe in shoes_with_distance(user).filter(retired=False)]
    entry = near.get(day)
    symptoms = frozenset(entry.symptoms) if entry else frozenset()
    days = [
        advice.Day(**row, symptoms=symptoms if row["date"] == day else frozenset())
        for row in window
    ]
    return DayCard(
        day=day,
        entry=entry,
        yesterday=near.get(day - ONE_DAY),
        advice=advice.advise(
            on=day, days=days, shoes=shoes, unit=user.unit, today=timezone.localdate()
        ),
        unit=user.unit,
        recent=[(d, near.get(d)) for d in (day - timedelta(n) for n in range(1, recent + 1))],
        watch_runs=list(entry.activities.filter(kind="run")) if entry and entry.ran else [],
    )


ONE_DAY = timedelta(days=1)
ADVICE_FIELDS = ("date", "pain", "ran", "distance_km", "surface", "run_pain", "warmup")


def starting_shoe_id(user) -> int | None:
    """The pair a new day's run starts on: the runner's chosen pair, else the pair of their
    latest run that had one; never a retired pair."""
    if (
        user.default_shoe_id
        and Shoe.objects.filter(pk=user.default_shoe_id, user=user, retired=False).exists()
    ):
        return user.default_shoe_id
    latest = Entry.objects.filter(user=user, shoe__isnull=False, shoe__retired=False)
    return latest.order_by("-date").values_list("shoe_id", flat=True).first()


def trend(user, *, first: date, last: date) -> trends.Trend:
    """The trends chart's numbers for first..last, from a bounded read: the period and the
    LEAD_DAYS before it (for the baseline, the 7-day mean and the ramp). Symptoms are read
    only for the few days that have any: decoding every day's empty list was a third of
    the read."""
    days = Entry.objects.filter(
        user=user, date__range=(first - timedelta(days=trends.LEAD_DAYS), last)
    )
    symptoms = dict(days.exclude(symptoms=[]).values_list("date", "symptoms"))
    rows = days.values_list(*TREND_FIELDS, "shoe__name")
    found = [
        advice.Day(
            date=day, pain=pain, ran=ran, distance_km=km, surface=surface, run_pain=run_pain,
            warmup=warmup, symptoms=frozenset(symptoms.get(day, ())), shoe=shoe or "",
        )
        for day, pain, ran, km, surface, run_pain, warmup, shoe in rows
    ]  # fmt: skip
    return trends.trend(days=found, first=first, last=last)


TREND_FIELDS = ("date", "pain", "ran", "distance_km", "surface", "run_pain", "warmup")


def first_day(user) -> date | None:
    return Entry.objects.filter(user=user).order_by("date").values_list("date", flat=True).first()


@dataclass
class Report:
    trend: trends.Trend
    alternatives: list[tuple[str, int]]  # (activity, minutes), most first
    notes: list[tuple[date, str, bool]]  # (day, the runner's words, included)
    shoes: list[Shoe]


def report(user, *, first: date, last: date, include: set[str]) -> Report:
    """What the clinician report shows beyond the trend: activities done instead, the
    runner's notes (only those ticked go on the page) and the shoes' distances."""
    minutes: dict[str, int] = {}
    notes = []
    # Only the days with something to show: decoding every day's empty list is most of
    # the read.
    days = Entry.objects.filter(user=user, date__range=(first, last))
    for day, alternatives, text in (
        days.exclude(alternatives=[], notes="")
        .order_by("date")
        .values_list("date", "alternatives", "notes")
    ):
        for item in alternatives:
            minutes[item["kind"]] = minutes.get(item["kind"], 0) + item["minutes"]
        if text.strip():
            notes.append((day, text, day.isoformat() in include))
    return Report(
        trend=trend(user, first=first, last=last),
        alternatives=sorted(minutes.items(), key=lambda item: -item[1]),
        notes=notes,
        shoes=list(shoes_with_distance(user).filter(retired=False)),
    )
