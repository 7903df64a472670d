"""The advice rules of PRODUCT.md, as plain functions over plain data.

Facts in, facts out: each rule returns what it found (the trigger and its numbers) and
never a sentence. `words.py` beside it turns the facts into what a runner reads.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate
from statistics import fmean, median

from pages.units import from_km
from pages.vocab import ACCEPTABLE_PAIN_MAX, SAFE_PAIN_MAX, TIERS, symptoms_in

# Rule 1: red flags. The highest tier present wins (PRODUCT.md, after NICE NG59).
RED_FLAG_TIERS = tuple((tier.code, symptoms_in(tier.code)) for tier in TIERS)
# Tiers that replace the traffic light: an emergency replaces all advice, and an urgent
# tier gives no running or exercise suggestion at all (PRODUCT.md rule 1).
TIERS_WITHOUT_LIGHT = ("emergency", "urgent")

# Rule 2: baseline.
BASELINE_DAYS = 7  # PRODUCT.md rule 2: mean pain of the previous 7 days
BASELINE_WINDOW_DAYS = 14  # PRODUCT.md rule 2: entries are counted over the previous 14 days
BASELINE_MIN_ENTRIES = 3  # PRODUCT.md rule 2

# Rules 3–5: the traffic light.
MIN_IMPORTANT_CHANGE = 2  # Ostelo et al. 2008, Spine 33(1):90–94: minimal important change
HIGH_PAIN_WITHOUT_BASELINE = 6  # PRODUCT.md rule 3
# SAFE_PAIN_MAX (3) and ACCEPTABLE_PAIN_MAX (5) are the pain-monitoring zones of
# Silbernagel et al. 2007, kept in pages/vocab.py with the colours that show them.

# Rule 6: settling.
SETTLING_LOW_DAYS = 3  # PRODUCT.md rule 6: pain ≤ 3 on 3 logged days in a row
SETTLING_DISTANCE_FRACTION = 0.5  # PRODUCT.md rule 6: about half the usual distance
USUAL_DISTANCE_DAYS = 28  # PRODUCT.md rule 6: the mean run of the 4 weeks before the flare

# Rule 7: training load. Information, never a block.
RAMP_DAYS = 14  # Nielsen et al. 2014, J Orthop Sports Phys Ther 44(10):739–747
RAMP_MAX_INCREASE_PERCENT = 30  # Nielsen et al. 2014
RAMP_MIN_RECENT_KM = 10  # PRODUCT.md rule 7: the last 14 days hold at least 10 km
LOAD_ACUTE_DAYS = 7  # Gabbett 2016, Br J Sports Med 50:273–280
LOAD_CHRONIC_DAYS = 28  # Gabbett 2016; disputed by Impellizzeri et al. 2021, Sports Med 51:581
LOAD_MIN_WEEKS_WITH_RUNS = 3  # our choice: a 4-week average means little with fewer

# Rule 8: shoes.
# PRODUCT.md rule 8 (seeds: replace after 300–500 mi), in the user's unit: 300 mi is 482.8 km.
SHOE_CHECK_AT = {"km": 480, "mi": 300}

# Rule 9: patterns.
PATTERN_MIN_RUNS = 3  # PRODUCT.md rule 9: at least 3 days on each side
PATTERN_MIN_DIFFERENCE = 1  # PRODUCT.md rule 9: at least 1 point apart
HARD_SURFACES = frozenset({"road"})  # PRODUCT.md, "A diary entry"
SOFT_SURFACES = frozenset({"trail", "track", "grass", "treadmill"})  # "mixed" is neither

# Rule 10: episode length.
EPISODE_PAIN_FREE_DAYS = 7  # PRODUCT.md rule 10
ACUTE_WEEKS = 6  # PRODUCT.md rule 10
PERSISTENT_WEEKS = 12  # PRODUCT.md rule 10
EPISODE_SHOWN_FROM_PAIN = 3  # PRODUCT.md rule 10: never shown for pain under 3

# See a professional soon, with no symptom ticked.
PERSISTENT_PAIN = 4  # PRODUCT.md: pain ≥ 4 on most logged days...
PERSISTENT_PAIN_WEEKS = 6  # ...for 6 weeks; our reading: with an entry in each of the 6 weeks
NO_IMPROVEMENT_DAYS = 14  # PRODUCT.md: no improvement after 2 weeks of reduced running
NO_IMPROVEMENT_LOOKBACK_DAYS = 28  # our choice: the red day that started it is 2–4 weeks old
NO_IMPROVEMENT_MIN_ENTRIES = 3  # our choice: the last week's mean needs 3 entries, as rule 2

# 12 weeks plus 7 pain-free days is 91 days; the rest leaves room for days with no entry.
HISTORY_DAYS = 120
ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Day:
    date: date
    pain: int | None  # None: a day with only an imported activity, not rated yet
    ran: bool = False
    distance_km: float | None = None
    surface: str = ""
    run_pain: int | None = None
    warmup: bool = False
    symptoms: frozenset[str] = frozenset()
    shoe: str = ""  # the pair's name, for the looking-back patterns


@dataclass(frozen=True)
class Shoe:
    name: str
    distance_km: float
    limit_km: float = 800.0


# The rated days by date: every pain rule reads one. The distance rules read every day,
# rated or not (an imported run counts for load before the runner rates its day).
Diary = Mapping[date, Day]


def rated(diary: Diary) -> dict[date, Day]:
    return {when: day for when, day in diary.items() if day.pain is not None}


def diary_by_date(*, days: Iterable[Day], on: date) -> dict[date, Day]:
    first = on - timedelta(days=HISTORY_DAYS)
    return {day.date: day for day in sorted(days, key=lambda d: d.date) if first <= day.date <= on}


def entries_between(*, diary: Diary, first: date, last: date) -> list[Day]:
    days = map(date.fromordinal, range(first.toordinal(), last.toordinal() + 1))
    return [diary[d] for d in days if d in diary]


def distance_km(*, diary: Diary, first: date, last: date) -> float:
    # Rounded so that sums of decimals meet the boundaries exactly (30%, 10 km).
    total = sum(
        day.distance_km or 0 for day in entries_between(diary=diary, first=first, last=last)
    )
    return round(total, 3)


def ran(day: Day) -> bool:
    return day.ran and bool(day.distance_km)


# Rule 2: baseline.


def baseline_pain(*, on: date, diary: Diary) -> float | None:
    window = entries_between(
        diary=diary, first=on - timedelta(days=BASELINE_WINDOW_DAYS), last=on - ONE_DAY
    )
    since = on - timedelta(days=BASELINE_DAYS)
    recent = [day.pain for day in window if day.date >= since]
    # With 3 entries in 14 days but none in the last 7, there is nothing to average.
    if len(window) < BASELINE_MIN_ENTRIES or not recent:
        return None
    return fmean(recent)


# Rules 3–5: the traffic light.


@dataclass(frozen=True)
class Trigger:
    """Why the light is what it is. `kind` is, for red: pain_rise, high_pain, not_settled,
    run_pain_too_much; for amber: up_after_run, moderate_pain, run_pain_acceptable; for
    green: low_pain. `pain` is the number the trigger is about: today's pain, or the pain
    during today's run for the run_pain kinds."""

    kind: str
    pain: int
    baseline: float | None = None
    run_day_pain: int | None = None  # the pain logged on the day of yesterday's run


@dataclass(frozen=True)
class Light:
    colour: str  # "red" | "amber" | "green"
    triggers: tuple[Trigger, ...]


class PainSums:
    """Running counts and sums of the pain logged from `first` to `last`, so that the days
    logged in any span, and their total pain, cost two lookups however long the span."""

    def __init__(self, diary: Diary, *, first: date, last: date):
        self.start = first.toordinal()
        size = last.toordinal() - self.start + 1
        logged, pains = [0] * size, [0] * size
        for when, day in diary.items():
            n = when.toordinal() - self.start
            if 0 <= n < size:
                logged[n], pains[n] = 1, day.pain
        self.counts, self.sums = [0, *accumulate(logged)], [0, *accumulate(pains)]

    def trailing(self, days: int, *, first: date, last: date, before: int = 0):
        """(days logged, their total pain) in the `days` days that end on each day from
        first to last (before=0) or that many days earlier (before=1: the day before), in
        date order: the window a chart's line or a baseline slides along."""
        end = first.toordinal() - self.start + 1 - before
        counts, sums = self.counts, self.sums
        for b in range(end, end + (last - first).days + 1):
            yield counts[b] - counts[b - days], sums[b] - sums[b - days]


def baselines(*, diary: Diary, first: date, last: date) -> dict[date, float | None]:
    """baseline_pain for every day from first to last, from running sums over the days
    logged, so a year costs about what one day does (the trends chart asks for each)."""
    sums = PainSums(diary, first=first - timedelta(days=BASELINE_WINDOW_DAYS), last=last)
    windows = sums.trailing(BASELINE_WINDOW_DAYS, first=first, last=last, before=1)
    recents = sums.trailing(BASELINE_DAYS, first=first, last=last, before=1)
    start = first.toordinal()
    return {
        date.fromordinal(start + n): total / recent
        if window >= BASELINE_MIN_ENTRIES and recent
        else None
        for n, ((window, _), (recent, total)) in enumerate(zip(windows, recents, strict=True))
    }


_NOT_GIVEN = object()


def light(*, on: date, diary: Diary, baseline=_NOT_GIVEN) -> Light:
    """`baseline`, when the caller has it already (baselines()), saves working it out."""
    today = diary[on]
    if baseline is _NOT_GIVEN:
        baseline = baseline_pain(on=on, diary=diary)
    yesterday = diary.get(on - ONE_DAY)
    run_day_pain = yesterday.pain if yesterday is not None and yesterday.ran else None

    red = []
    if baseline is not None and today.pain >= baseline + MIN_IMPORTANT_CHANGE:
        red.append(Trigger("pain_rise", today.pain, baseline))
    elif baseline is None and today.pain >= HIGH_PAIN_WITHOUT_BASELINE:
        red.append(Trigger("high_pain", today.pain))
    elif baseline is not None and today.pain > ACCEPTABLE_PAIN_MAX:
        # Steady, but over 5 is too much in the pain-monitoring model (PRODUCT.md rule 3).
        red.append(Trigger("high_pain", today.pain, baseline))
    if run_day_pain is not None and today.pain >= run_day_pain + MIN_IMPORTANT_CHANGE:
        red.append(Trigger("not_settled", today.pain, baseline, run_day_pain))
    if today.run_pain is not None and today.run_pain > ACCEPTABLE_PAIN_MAX:
        red.append(Trigger("run_pain_too_much", today.run_pain))
    if red:
        return Light("red", tuple(red))

    amber = []
    if today.pain > SAFE_PAIN_MAX:
        # A 1-point rise after a run is within the scale's noise; it only names the run
        # when the pain is in the amber zone anyway (PRODUCT.md rule 3).
        if run_day_pain is not None and today.pain > run_day_pain:
            amber.append(Trigger("up_after_run", today.pain, baseline, run_day_pain))
        else:
            amber.append(Trigger("moderate_pain", today.pain, baseline))
    if today.run_pain is not None and today.run_pain > SAFE_PAIN_MAX:
        amber.append(Trigger("run_pain_acceptable", today.run_pain))
    if amber:
        return Light("amber", tuple(amber))
    return Light("green", (Trigger("low_pain", today.pain, baseline),))


class Lights(Mapping):
    """Every logged day's light, each worked out when first asked for: the advice for a
    day mostly looks a few weeks back, not across the whole window."""

    def __init__(self, diary: Diary, baselines: Mapping[date, float | None] | None = None):
        self._diary = diary
        self._baselines = baselines or {}
        self._known: dict[date, Light] = {}

    def __getitem__(self, day: date) -> Light:
        if day not in self._known:
            if day not in self._diary:
                raise KeyError(day)
            baseline = self._baselines.get(day, _NOT_GIVEN)
            self._known[day] = light(on=day, diary=self._diary, baseline=baseline)
        return self._known[day]

    def __contains__(self, day) -> bool:
        return day in self._diary

    def __iter__(self):
        return iter(self._diary)

    def __len__(self) -> int:
        return len(self._diary)


def lights_by_date(*, diary: Diary) -> Mapping[date, Light]:
    return Lights(diary)


# Rule 1 and the see-soon rules: when to see a professional.


@dataclass(frozen=True)
class RedFlag:
    tier: str  # "emergency" | "urgent" | "see_soon"
    symptoms: tuple[str, ...]


def red_flag(*, symptoms: frozenset[str]) -> RedFlag | None:
    for tier, codes in RED_FLAG_TIERS:
        noted = tuple(code for code in codes if code in symptoms)
        if noted:
            return RedFlag(tier, noted)
    return None


@dataclass(frozen=True)
class PersistentPain:
    high_days: int
    logged_days: int


def persistent_pain(*, on: date, diary: Diary) -> PersistentPain | None:
    weeks = [
        entries_between(
            diary=diary, first=on - timedelta(days=7 * week + 6), last=on - timedelta(days=7 * week)
        )
        for week in range(PERSISTENT_PAIN_WEEKS)
    ]
    if not all(weeks):
        return None
    logged = [day for week in weeks for day in week]
    high_days = sum(day.pain >= PERSISTENT_PAIN for day in logged)
    if 2 * high_days <= len(logged):
        return None
    return PersistentPain(high_days=high_days, logged_days=len(logged))


@dataclass(frozen=True)
class NoImprovement:
    red_day: Day
    km_before: float
    km_after: float
    recent_mean_pain: float


def no_improvement(
    *, on: date, diary: Diary, lights: Mapping[date, Light], runs: Diary | None = None
) -> NoImprovement | None:
    """Running was cut back after a red day 2–4 weeks ago, and pain is no better: the last
    7 days' mean is not 2 points below that day's pain, and is still above the safe zone.
    `runs`, every day rated or not, gives the distances (default: `diary`)."""
    runs = diary if runs is None else runs
    red_days = [
        on - timedelta(days=back)
        for back in range(NO_IMPROVEMENT_DAYS, NO_IMPROVEMENT_LOOKBACK_DAYS + 1)
        if _is_red(on - timedelta(days=back), lights)
    ]
    if not red_days:
        return None
    red_day = diary[max(red_days)]
    km_before = distance_km(
        diary=runs,
        first=red_day.date - timedelta(days=NO_IMPROVEMENT_DAYS - 1),
        last=red_day.date,
    )
    km_after = distance_km(
        diary=runs,
        first=red_day.date + ONE_DAY,
        last=red_day.date + timedelta(days=NO_IMPROVEMENT_DAYS),
    )
    recent = entries_between(diary=diary, first=on - timedelta(days=6), last=on)
    if km_after >= km_before or len(recent) < NO_IMPROVEMENT_MIN_ENTRIES:
        return None
    recent_mean = fmean(day.pain for day in recent)
    if recent_mean <= SAFE_PAIN_MAX or recent_mean <= red_day.pain - MIN_IMPORTANT_CHANGE:
        return None
    return NoImprovement(
        red_day=red_day, km_before=km_before, km_after=km_after, recent_mean_pain=recent_mean
    )


def _is_red(day: date, lights: Mapping[date, Light]) -> bool:
    return day in lights and lights[day].colour == "red"


# Rule 6: settling.


@dataclass(frozen=True)
class Settling:
    flare_start: date
    last_red_day: date
    settled_on: date  # the third low day in a row
    usual_run_km: float | None  # the mean run of the 4 weeks before the flare

    @property
    def suggested_km(self) -> float | None:
        if self.usual_run_km is None:
            return None
        return self.usual_run_km * SETTLING_DISTANCE_FRACTION


def settling(
    *, on: date, diary: Diary, lights: Mapping[date, Light], runs: Diary | None = None
) -> Settling | None:
    """After a flare (one or more red days, however long ago), pain ≤ 3 on 3 logged days in
    a row: ease back in. It holds on green days until the first run logged after it."""
    runs = diary if runs is None else runs
    if lights[on].colour != "green":
        return None
    logged = [day for day in diary if day <= on]
    last_red_day = next((day for day in reversed(logged) if lights[day].colour == "red"), None)
    if last_red_day is None:
        return None
    settled_on = _end_of_low_streak([day for day in logged if day > last_red_day], diary)
    if settled_on is None:
        return None
    if any(ran(day) for when, day in runs.items() if settled_on <= when <= on):
        return None
    flare_start = _flare_start(last_red_day, logged, diary, lights)
    return Settling(
        flare_start=flare_start,
        last_red_day=last_red_day,
        settled_on=settled_on,
        usual_run_km=usual_run_km(before=flare_start, diary=runs),
    )


@dataclass(frozen=True)
class Comeback:
    """On a red day, when running is fine again: once pain has been ≤ SAFE_PAIN_MAX on
    SETTLING_LOW_DAYS logged days in a row, at about half the usual run (rule 6, said ahead)."""

    flare_start: date
    usual_run_km: float | None  # the mean run of the 4 weeks before the flare


def comeback(
    *, on: date, diary: Diary, lights: Mapping[date, Light], runs: Diary | None = None
) -> Comeback | None:
    if lights[on].colour != "red":
        return None
    flare_start = _flare_start(on, [day for day in diary if day <= on], diary, lights)
    return Comeback(
        flare_start=flare_start,
        usual_run_km=usual_run_km(before=flare_start, diary=diary if runs is None else runs),
    )


def _end_of_low_streak(days: Sequence[date], diary: Diary) -> date | None:
    streak = 0
    for day in days:
        streak = streak + 1 if diary[day].pain <= SAFE_PAIN_MAX else 0
        if streak == SETTLING_LOW_DAYS:
            return day
    return None


def _flare_start(
    last_red_day: date, logged: Sequence[date], diary: Diary, lights: Mapping[date, Light]
) -> date:
    """The first red day of the flare that ends with last_red_day: walking back, a flare
    ends where pain had settled (3 low logged days in a row) before it."""
    start, streak = last_red_day, 0
    for day in reversed([day for day in logged if day < last_red_day]):
        streak = streak + 1 if diary[day].pain <= SAFE_PAIN_MAX else 0
        if streak == SETTLING_LOW_DAYS:
            break
        if lights[day].colour == "red":
            start, streak = day, 0
    return start


def usual_run_km(*, before: date, diary: Diary) -> float | None:
    runs = [
        day.distance_km
        for day in entries_between(
            diary=diary, first=before - timedelta(days=USUAL_DISTANCE_DAYS), last=before - ONE_DAY
        )
        if ran(day)
    ]
    return fmean(runs) if runs else None


# Rule 7: training load.


@dataclass(frozen=True)
class Ramp:
    previous_km: float
    last_km: float
    week_km: float  # the last 7 days
    load_ratio: float | None  # 7:28-day, when 4 weeks of running give it a meaning

    @property
    def increase_percent(self) -> float:
        return 100 * (self.last_km - self.previous_km) / self.previous_km


def ramp(*, on: date, diary: Diary) -> Ramp | None:
    # The cheap tests first: the trends chart asks this of every day of a year.
    last_km = distance_km(diary=diary, first=on - timedelta(days=RAMP_DAYS - 1), last=on)
    if last_km < RAMP_MIN_RECENT_KM:
        return None
    previous_km = distance_km(
        diary=diary,
        first=on - timedelta(days=2 * RAMP_DAYS - 1),
        last=on - timedelta(days=RAMP_DAYS),
    )
    if previous_km <= 0:
        return None
    if 100 * (last_km - previous_km) <= RAMP_MAX_INCREASE_PERCENT * previous_km:
        return None
    # With nothing before to compare with (a break, or a diary younger than both
    # fortnights, whose first weeks look like a rise), there is no ramp to flag.
    first_logged = min(diary, default=on)
    if first_logged > on - timedelta(days=2 * RAMP_DAYS - 1):
        return None
    return Ramp(
        previous_km=previous_km,
        last_km=last_km,
        week_km=distance_km(diary=diary, first=on - timedelta(days=LOAD_ACUTE_DAYS - 1), last=on),
        load_ratio=load_ratio(on=on, diary=diary),
    )


def load_ratio(*, on: date, diary: Diary) -> float | None:
    weeks = LOAD_CHRONIC_DAYS // 7
    chronic_km = distance_km(diary=diary, first=on - timedelta(days=LOAD_CHRONIC_DAYS - 1), last=on)
    acute_km = distance_km(diary=diary, first=on - timedelta(days=LOAD_ACUTE_DAYS - 1), last=on)
    weeks_with_runs = sum(
        any(
            ran(day)
            for day in entries_between(
                diary=diary,
                first=on - timedelta(days=7 * week + 6),
                last=on - timedelta(days=7 * week),
            )
        )
        for week in range(weeks)
    )
    if acute_km <= 0 or weeks_with_runs < LOAD_MIN_WEEKS_WITH_RUNS:
        return None
    return acute_km / (chronic_km / weeks)


# Rule 8: shoes.


@dataclass(frozen=True)
class ShoeDue:
    shoe: Shoe
    due: str  # "check" | "replace"


def shoes_due(*, shoes: Iterable[Shoe], unit: str) -> list[ShoeDue]:
    found = []
    for shoe in shoes:
        if shoe.distance_km >= shoe.limit_km:
            found.append(ShoeDue(shoe, "replace"))
        elif round(from_km(shoe.distance_km, unit), 3) >= SHOE_CHECK_AT[unit]:
            found.append(ShoeDue(shoe, "check"))
    return found


# Rule 9: patterns.


@dataclass(frozen=True)
class Pattern:
    """Mean next-day pain after two kinds of run. `kind`: "surface", hard (first) against
    soft; "warmup", with (first) against without; "distance", long (first, above the
    runner's median run) against short; "shoe", in the pair `label` (first) against in
    any other pair or none."""

    kind: str
    first_mean: float
    first_n: int
    second_mean: float
    second_n: int
    label: str = ""


def run_then_pain(*, diary: Diary) -> list[tuple[Day, int]]:
    """Each day with a run ticked and an entry the next day, with that next day's pain:
    what every pattern compares, read in one pass over the diary."""
    return [
        (day, diary[when + ONE_DAY].pain)
        for when, day in diary.items()
        if day.ran and when + ONE_DAY in diary
    ]


def next_day_pains(pairs: Iterable[tuple[Day, int]], runs_where: Callable[[Day], bool]):
    return [pain for day, pain in pairs if runs_where(day)]


def compare(kind: str, first: list[int], second: list[int], label: str = "") -> Pattern | None:
    if len(first) < PATTERN_MIN_RUNS or len(second) < PATTERN_MIN_RUNS:
        return None
    first_mean, second_mean = fmean(first), fmean(second)
    # Means of small integers: round off float noise so that exactly 1 point counts.
    if round(abs(first_mean - second_mean), 9) < PATTERN_MIN_DIFFERENCE:
        return None
    return Pattern(kind, first_mean, len(first), second_mean, len(second), label)


def _split(kind: str, pairs, runs_where: Callable[[Day], bool], label: str = ""):
    """The next-day pains after the runs that match against those after the runs that do
    not: the two sides of a yes-or-no pattern."""
    first = next_day_pains(pairs, runs_where)
    second = next_day_pains(pairs, lambda day: not runs_where(day))
    return compare(kind, first, second, label)


def _day_card_patterns(pairs) -> list[Pattern | None]:
    return [
        compare(
            "surface",
            next_day_pains(pairs, lambda day: day.surface in HARD_SURFACES),
            next_day_pains(pairs, lambda day: day.surface in SOFT_SURFACES),
        ),
        _split("warmup", pairs, lambda day: day.warmup),
    ]


def patterns(*, diary: Diary) -> list[Pattern]:
    return _found(_day_card_patterns(run_then_pain(diary=diary)))


def looking_back_patterns(*, diary: Diary) -> list[Pattern]:
    """Rule 9 widened for the trends page (PRODUCT.md, "Looking back"): surface and
    warm-up, then long against short runs, then each pair of shoes against the rest."""
    pairs = run_then_pain(diary=diary)
    found = _day_card_patterns(pairs)
    runs = [day.distance_km for day in diary.values() if ran(day)]
    if runs:
        middle = median(runs)
        # A day ticked as a run with no distance is on neither side.
        measured = [(day, pain) for day, pain in pairs if ran(day)]
        found.append(_split("distance", measured, lambda day: day.distance_km > middle))
    for shoe in sorted({day.shoe for day, _ in pairs if day.shoe}):
        found.append(_split("shoe", pairs, lambda day, shoe=shoe: day.shoe == shoe, shoe))
    return _found(found)


def _found(patterns: Iterable[Pattern | None]) -> list[Pattern]:
    return [pattern for pattern in patterns if pattern is not None]


# Rule 10: episode length.


@dataclass(frozen=True)
class Episode:
    start: date
    phase: str  # "acute" | "subacute" | "persistent"
    start_is_known: bool
    days: int  # from its start to the day shown


def episode_start(*, on: date, diary: Diary) -> date | None:
    """The first day with pain ≥ 1 after 7 or more pain-free logged days in a row."""
    start = None
    pain_free_days = 0
    for day in sorted((day for day in diary if day <= on), reverse=True):
        if diary[day].pain == 0:
            pain_free_days += 1
            if pain_free_days >= EPISODE_PAIN_FREE_DAYS:
                return start
        else:
            pain_free_days = 0
            start = day
    return None


def episode_phase(*, on: date, start: date) -> str:
    weeks = (on - start).days / 7
    if weeks < ACUTE_WEEKS:
        return "acute"
    if weeks <= PERSISTENT_WEEKS:
        return "subacute"
    return "persistent"


def episode(*, on: date, diary: Diary) -> Episode | None:
    if on not in diary or diary[on].pain < 1:
        return None
    start = episode_start(on=on, diary=diary)
    if start is not None:
        phase = episode_phase(on=on, start=start)
        return Episode(start, phase, start_is_known=True, days=(on - start).days)
    # No pain-free week anywhere in the history: if pain goes back past 12 weeks, that is
    # enough to call it persistent, though the true start lies further back.
    first_painful = min(day for day in diary if diary[day].pain >= 1)
    if episode_phase(on=on, start=first_painful) == "persistent":
        return Episode(
            first_painful, "persistent", start_is_known=False, days=(on - first_painful).days
        )
    return None


def episode_news(*, on: date, diary: Diary) -> Episode | None:
    """The episode, on the days it is news: the first day of it, or of a new phase, with
    pain of 3 or more. Not a daily label (PRODUCT.md rule 10)."""
    found = episode(on=on, diary=diary)
    if found is None or diary[on].pain < EPISODE_SHOWN_FROM_PAIN:
        return None
    for day in diary:
        if day >= on:
            break
        if (
            day >= found.start
            and diary[day].pain >= EPISODE_SHOWN_FROM_PAIN
            and episode_phase(on=day, start=found.start) == found.phase
        ):
            return None
    return found


# All of it, for one day.


@dataclass(frozen=True)
class Findings:
    on: date
    pain: int | None = None  # None when the day has no entry
    ran_today: bool = False
    baseline: float | None = None
    red_flag: RedFlag | None = None
    light: Light | None = None  # None when not logged, or under an emergency or urgent tier
    see_soon: PersistentPain | NoImprovement | None = None  # with no see-soon symptom ticked
    settling: Settling | None = None
    comeback: Comeback | None = None  # on red days
    episode: Episode | None = None
    ramp: Ramp | None = None
    shoes: tuple[ShoeDue, ...] = ()
    patterns: tuple[Pattern, ...] = ()

    @property
    def status(self) -> str:
        if self.red_flag is not None:
            return self.red_flag.tier
        if self.see_soon is not None:
            return "see_soon"
        return self.light.colour if self.light is not None else "none"


def assess(*, on: date, days: Sequence[Day], shoes: Sequence[Shoe] = (), unit: str) -> Findings:
    runs = diary_by_date(days=days, on=on)
    diary = rated(runs)
    baseline = baseline_pain(on=on, diary=diary)
    if on not in diary:
        return Findings(
            on=on,
            ran_today=on in runs and runs[on].ran,
            baseline=baseline,
            ramp=ramp(on=on, diary=runs) if on in runs else None,
            shoes=tuple(shoes_due(shoes=shoes, unit=unit)),
        )
    today = diary[on]
    flag = red_flag(symptoms=today.symptoms)
    if flag is not None and flag.tier in TIERS_WITHOUT_LIGHT:
        return Findings(
            on=on, pain=today.pain, ran_today=today.ran, baseline=baseline, red_flag=flag
        )
    lights = lights_by_date(diary=diary)
    see_soon = None
    if flag is None:
        see_soon = persistent_pain(on=on, diary=diary) or no_improvement(
            on=on, diary=diary, lights=lights, runs=runs
        )
    return Findings(
        on=on,
        pain=today.pain,
        ran_today=today.ran,
        baseline=baseline,
        red_flag=flag,
        light=lights[on],
        see_soon=see_soon,
        settling=settling(on=on, diary=diary, lights=lights, runs=runs),
        comeback=comeback(on=on, diary=diary, lights=lights, runs=runs),
        episode=episode_news(on=on, diary=diary),
        ramp=ramp(on=on, diary=runs),
        shoes=tuple(shoes_due(shoes=shoes, unit=unit)),
        patterns=tuple(patterns(diary=diary)),
    )
