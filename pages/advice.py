"""The advice rules of PRODUCT.md, as plain functions over plain data.

`advise()` turns a runner's recent diary into a status (emergency, urgent, see_soon, red,
amber, green, or none) and a short, ordered list of suggestions. Each suggestion carries its
reason, in the runner's own numbers, and a link to the guidance that explains it. A red day
says what to do today; nothing here keeps score.
"""

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import fmean

# Rule 1: red flags. The highest tier present wins; an emergency replaces all other advice.
# The codes and their tiers are PRODUCT.md's symptom list, drawn from NICE NG59's red flags.
EMERGENCY_SYMPTOMS = ("saddle_numbness", "bladder_bowel", "both_legs", "trauma")
URGENT_SYMPTOMS = ("fever", "weight_loss", "night_pain")
SEE_SOON_SYMPTOMS = ("leg_pain", "numbness", "leg_weakness", "daily_life")
RED_FLAG_TIERS = (
    ("emergency", EMERGENCY_SYMPTOMS),
    ("urgent", URGENT_SYMPTOMS),
    ("see_soon", SEE_SOON_SYMPTOMS),
)

# Rule 2: baseline.
BASELINE_DAYS = 7  # PRODUCT.md rule 2: mean pain of the previous 7 days
BASELINE_WINDOW_DAYS = 14  # PRODUCT.md rule 2: entries are counted over the previous 14 days
BASELINE_MIN_ENTRIES = 3  # PRODUCT.md rule 2

# Rules 3–5: the traffic light.
MIN_IMPORTANT_CHANGE = 2  # Ostelo et al. 2008, Spine 33(1):90–94
HIGH_PAIN_WITHOUT_BASELINE = 6  # PRODUCT.md rule 3
SAFE_PAIN_MAX = 3  # Silbernagel et al. 2007, Am J Sports Med 35(6):897–906: 0–3 is safe
ACCEPTABLE_PAIN_MAX = 5  # Silbernagel et al. 2007: 4–5 is acceptable, over 5 is too much

# Rule 6: settling.
SETTLING_LOW_DAYS = 3  # PRODUCT.md rule 6
SETTLING_WINDOW_DAYS = 14  # our choice: a strain usually eases in 1–3 weeks (flare-up guide)
SETTLING_DISTANCE_FRACTION = 0.5  # PRODUCT.md rule 6: about half the usual distance
USUAL_DISTANCE_DAYS = 28  # our choice: "usual" = mean run in the 4 weeks up to the red day

# Rule 7: training load. Information, never a block.
RAMP_DAYS = 14  # Nielsen et al. 2014, J Orthop Sports Phys Ther 44(10):739–747
RAMP_MAX_INCREASE_PERCENT = 30  # Nielsen et al. 2014
RAMP_MIN_INCREASE_KM = 10  # PRODUCT.md rule 7; our reading: the increase, not the total
LOAD_ACUTE_DAYS = 7  # Gabbett 2016, Br J Sports Med 50:273–280
LOAD_CHRONIC_DAYS = 28  # Gabbett 2016; disputed by Impellizzeri et al. 2020, Sports Med
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

# See a professional soon, with no symptom ticked.
PERSISTENT_PAIN = 4  # PRODUCT.md: pain ≥ 4 on most logged days...
PERSISTENT_PAIN_WEEKS = 6  # ...for 6 weeks; our reading: with an entry in each of the 6 weeks
NO_IMPROVEMENT_DAYS = 14  # PRODUCT.md: no improvement after 2 weeks of reduced running
NO_IMPROVEMENT_LOOKBACK_DAYS = 28  # our choice: the red day that started it is 2–4 weeks old
NO_IMPROVEMENT_MIN_ENTRIES = 3  # our choice: the last week's mean needs 3 entries, as rule 2

# 12 weeks plus 7 pain-free days is 91 days; the rest leaves room for days with no entry.
HISTORY_DAYS = 120

KM_PER_MILE = 1.609344
UNITS = ("km", "mi")
ALTERNATIVES = ("swimming", "cycling", "yoga", "walking", "elliptical")


@dataclass(frozen=True)
class Day:
    date: date
    pain: int
    ran: bool = False
    distance_km: float | None = None
    surface: str = ""
    run_pain: int | None = None
    warmup: bool = False
    symptoms: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Shoe:
    name: str
    distance_km: float
    limit_km: float = 800.0


@dataclass(frozen=True)
class Suggestion:
    kind: str
    message: str
    reason: str
    link: str
    activity: str = ""


STATUS_LABELS = {
    "emergency": "Emergency",
    "urgent": "See a doctor today",
    "see_soon": "See a professional soon",
    "red": "Red",
    "amber": "Amber",
    "green": "Green",
    "none": "Not logged",
}


@dataclass(frozen=True)
class Advice:
    status: str
    headline: str
    suggestions: list[Suggestion]
    baseline: float | None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def kinds(self) -> list[str]:
        return [suggestion.kind for suggestion in self.suggestions]


Diary = Mapping[date, Day]


# Reading the diary.


def diary_by_date(*, days: Iterable[Day], on: date) -> dict[date, Day]:
    first = on - timedelta(days=HISTORY_DAYS)
    return {day.date: day for day in days if first <= day.date <= on}


def entries_between(*, diary: Diary, first: date, last: date) -> list[Day]:
    return [diary[day] for day in sorted(diary) if first <= day <= last]


def distance_km(*, diary: Diary, first: date, last: date) -> float:
    # Rounded so that sums of decimals meet the boundaries exactly (30%, 10 km).
    total = sum(
        day.distance_km or 0 for day in entries_between(diary=diary, first=first, last=last)
    )
    return round(total, 3)


def _ran(day: Day) -> bool:
    return day.ran and bool(day.distance_km)


# Rules 2–5: baseline and the traffic light.


def baseline_pain(*, on: date, diary: Diary) -> float | None:
    window = entries_between(
        diary=diary, first=on - timedelta(days=BASELINE_WINDOW_DAYS), last=on - timedelta(days=1)
    )
    recent = [day.pain for day in window if day.date >= on - timedelta(days=BASELINE_DAYS)]
    # With 3 entries in 14 days but none in the last 7, there is nothing to average.
    if len(window) < BASELINE_MIN_ENTRIES or not recent:
        return None
    return fmean(recent)


def red_reasons(*, on: date, diary: Diary) -> list[str]:
    today = diary[on]
    baseline = baseline_pain(on=on, diary=diary)
    yesterday = diary.get(on - timedelta(days=1))
    reasons = []
    if baseline is not None and today.pain >= baseline + MIN_IMPORTANT_CHANGE:
        reasons.append(_pain_today(today.pain, baseline))
    if baseline is None and today.pain >= HIGH_PAIN_WITHOUT_BASELINE:
        reasons.append(
            f"your pain today is {today.pain}, and there are not yet enough entries "
            "to know your usual level"
        )
    # PRODUCT.md leaves high but steady pain unassigned; over 5 is "too much" in the
    # pain-monitoring model, so we treat it as red rather than invite a run.
    if baseline is not None and today.pain > ACCEPTABLE_PAIN_MAX and not reasons:
        reasons.append(
            f"your pain today is {today.pain}, close to your usual {_number(baseline)}, "
            f"but over {ACCEPTABLE_PAIN_MAX} is too much to run on"
        )
    if today.run_pain is not None and today.run_pain > ACCEPTABLE_PAIN_MAX:
        reasons.append(
            f"your pain during today's run was {today.run_pain}, "
            f"and over {ACCEPTABLE_PAIN_MAX} is too much"
        )
    if yesterday is not None and yesterday.ran and today.pain > yesterday.pain:
        reasons.append(
            f"you ran yesterday and your pain went from {yesterday.pain} to {today.pain}, "
            "so it did not settle overnight"
        )
    return reasons


def amber_reasons(*, on: date, diary: Diary) -> list[str]:
    today = diary[on]
    reasons = []
    if today.pain > SAFE_PAIN_MAX:
        reasons.append(_pain_today(today.pain, baseline_pain(on=on, diary=diary)))
    if today.run_pain is not None and SAFE_PAIN_MAX < today.run_pain <= ACCEPTABLE_PAIN_MAX:
        reasons.append(
            f"your pain during today's run was {today.run_pain}: "
            f"acceptable, but above the safe 0–{SAFE_PAIN_MAX}"
        )
    return reasons


def is_red_day(*, on: date, diary: Diary) -> bool:
    return on in diary and bool(red_reasons(on=on, diary=diary))


def pain_status(*, on: date, diary: Diary) -> str:
    if red_reasons(on=on, diary=diary):
        return "red"
    if amber_reasons(on=on, diary=diary):
        return "amber"
    return "green"


# Rule 1 and the see-soon rules: when to see a professional.


def red_flag_tier(*, symptoms: frozenset[str]) -> tuple[str, list[str]] | None:
    for tier, codes in RED_FLAG_TIERS:
        noted = [code for code in codes if code in symptoms]
        if noted:
            return tier, noted
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


def no_improvement(*, on: date, diary: Diary) -> NoImprovement | None:
    """Running was cut back after a red day 2–4 weeks ago, and pain is no better: the last
    7 days' mean is not 2 points below that day's pain, and is still above the safe zone."""
    red_days = [
        on - timedelta(days=back)
        for back in range(NO_IMPROVEMENT_DAYS, NO_IMPROVEMENT_LOOKBACK_DAYS + 1)
        if is_red_day(on=on - timedelta(days=back), diary=diary)
    ]
    if not red_days:
        return None
    red_day = diary[max(red_days)]
    km_before = distance_km(
        diary=diary,
        first=red_day.date - timedelta(days=NO_IMPROVEMENT_DAYS - 1),
        last=red_day.date,
    )
    km_after = distance_km(
        diary=diary,
        first=red_day.date + timedelta(days=1),
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


# Rule 6: settling.


def settling_since(*, on: date, diary: Diary) -> date | None:
    """The red day that the last 3 low logged days (ending today) have settled from."""
    logged = sorted(day for day in diary if day <= on)
    low_days = logged[-SETTLING_LOW_DAYS:]
    if len(low_days) < SETTLING_LOW_DAYS or low_days[-1] != on:
        return None
    if any(diary[day].pain > SAFE_PAIN_MAX or is_red_day(on=day, diary=diary) for day in low_days):
        return None
    for day in reversed(logged[:-SETTLING_LOW_DAYS]):
        if day < on - timedelta(days=SETTLING_WINDOW_DAYS):
            return None
        if is_red_day(on=day, diary=diary):
            return day
    return None


def usual_run_km(*, up_to: date, diary: Diary) -> float | None:
    runs = [
        day.distance_km
        for day in entries_between(
            diary=diary, first=up_to - timedelta(days=USUAL_DISTANCE_DAYS - 1), last=up_to
        )
        if _ran(day)
    ]
    return fmean(runs) if runs else None


# Rule 7: training load.


@dataclass(frozen=True)
class Ramp:
    previous_km: float
    last_km: float

    @property
    def increase_percent(self) -> float:
        return 100 * (self.last_km - self.previous_km) / self.previous_km


def ramp(*, on: date, diary: Diary) -> Ramp | None:
    last_km = distance_km(diary=diary, first=on - timedelta(days=RAMP_DAYS - 1), last=on)
    previous_km = distance_km(
        diary=diary,
        first=on - timedelta(days=2 * RAMP_DAYS - 1),
        last=on - timedelta(days=RAMP_DAYS),
    )
    increase_km = last_km - previous_km
    # With nothing before to compare with (a new diary, or a break), there is no ramp to flag.
    if previous_km <= 0:
        return None
    if 100 * increase_km <= RAMP_MAX_INCREASE_PERCENT * previous_km:
        return None
    if increase_km < RAMP_MIN_INCREASE_KM:
        return None
    return Ramp(previous_km=previous_km, last_km=last_km)


def load_ratio(*, on: date, diary: Diary) -> float | None:
    weeks = LOAD_CHRONIC_DAYS // 7
    chronic_km = distance_km(diary=diary, first=on - timedelta(days=LOAD_CHRONIC_DAYS - 1), last=on)
    weeks_with_runs = sum(
        any(
            _ran(day)
            for day in entries_between(
                diary=diary,
                first=on - timedelta(days=7 * week + 6),
                last=on - timedelta(days=7 * week),
            )
        )
        for week in range(weeks)
    )
    if chronic_km <= 0 or weeks_with_runs < LOAD_MIN_WEEKS_WITH_RUNS:
        return None
    acute_km = distance_km(diary=diary, first=on - timedelta(days=LOAD_ACUTE_DAYS - 1), last=on)
    return acute_km / (chronic_km / weeks)


# Rule 9: patterns.


@dataclass(frozen=True)
class Pattern:
    first_mean: float
    first_n: int
    second_mean: float
    second_n: int


def next_day_pains(*, diary: Diary, runs_where: Callable[[Day], bool]) -> list[int]:
    return [
        diary[day + timedelta(days=1)].pain
        for day in sorted(diary)
        if diary[day].ran and runs_where(diary[day]) and day + timedelta(days=1) in diary
    ]


def compare(first: list[int], second: list[int]) -> Pattern | None:
    if len(first) < PATTERN_MIN_RUNS or len(second) < PATTERN_MIN_RUNS:
        return None
    first_mean, second_mean = fmean(first), fmean(second)
    # Means of small integers: round off float noise so that exactly 1 point counts.
    if round(abs(first_mean - second_mean), 9) < PATTERN_MIN_DIFFERENCE:
        return None
    return Pattern(
        first_mean=first_mean, first_n=len(first), second_mean=second_mean, second_n=len(second)
    )


def surface_pattern(*, diary: Diary) -> Pattern | None:
    """Next-day pain after hard-surface (first) against soft-surface (second) runs."""
    return compare(
        next_day_pains(diary=diary, runs_where=lambda day: day.surface in HARD_SURFACES),
        next_day_pains(diary=diary, runs_where=lambda day: day.surface in SOFT_SURFACES),
    )


def warmup_pattern(*, diary: Diary) -> Pattern | None:
    """Next-day pain after runs with a warm-up (first) against runs without (second)."""
    return compare(
        next_day_pains(diary=diary, runs_where=lambda day: day.warmup),
        next_day_pains(diary=diary, runs_where=lambda day: not day.warmup),
    )


# Rule 10: episode length.


@dataclass(frozen=True)
class Episode:
    start: date
    phase: str  # "acute" | "subacute" | "persistent"
    start_is_known: bool


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
        return Episode(start=start, phase=episode_phase(on=on, start=start), start_is_known=True)
    # No pain-free week anywhere in the history: if pain goes back past 12 weeks, that is
    # enough to call it persistent, though the true start lies further back.
    first_painful = min(day for day in diary if diary[day].pain >= 1)
    if episode_phase(on=on, start=first_painful) == "persistent":
        return Episode(start=first_painful, phase="persistent", start_is_known=False)
    return None


# The words.

SYMPTOM_WORDS = {
    "saddle_numbness": "numbness around your genitals or buttocks",
    "bladder_bowel": "new trouble peeing, or loss of bladder or bowel control",
    "both_legs": "pain, numbness or weakness in both legs",
    "trauma": "pain that started after a fall or accident",
    "fever": "a fever",
    "weight_loss": "weight loss you can't explain",
    "night_pain": "pain that is worse at night and not eased by rest",
    "leg_pain": "pain spreading into a buttock or leg",
    "numbness": "pins and needles or numbness in one leg",
    "leg_weakness": "weakness in a leg",
    "daily_life": "pain that limits your daily activities",
}

PROFESSIONAL_MESSAGES = {
    "emergency": "Call emergency services or go to the emergency department now.",
    "urgent": "Contact a doctor today.",
    "see_soon": "Book an appointment with a GP or physiotherapist soon.",
}

PROFESSIONAL_LINKS = {
    "emergency": "/guide/see-a-professional/#emergency",
    "urgent": "/guide/see-a-professional/#urgent",
    "see_soon": "/guide/see-a-professional/#see-soon",
}

HEADLINES = {
    "emergency": PROFESSIONAL_MESSAGES["emergency"],
    "urgent": "Contact a doctor today about what you noted.",
    "see_soon": "It's time to get your back checked by a professional.",
    "red": "Pain is up today: swap running for swimming, cycling or yoga until it settles.",
    "amber": "You can run today if you keep it shorter and easier.",
    "green": "Pain is low today: keep going.",
    "settling": "Your pain has settled: ease back in gently.",
    "none": "Nothing logged for this day yet.",
}

ALTERNATIVE_WORDS = {
    "swimming": ("Swim, or run in the pool.", "the water takes your weight"),
    "cycling": ("Ride a bike, or a stationary bike.", "it keeps you fit with no impact"),
    "yoga": ("Try gentle yoga, such as cat-cow and child's pose.", "it moves your back gently"),
    "walking": ("Go for an easy walk.", "walking is low impact and easy to stop"),
    "elliptical": (
        "Use an elliptical trainer.",
        "it keeps the running motion without the landing",
    ),
}

TIPS = (
    (
        "Run tall and relaxed, with shorter, quicker steps that land under your body.",
        "/guide/running-form/",
    ),
    (
        "Warm up for 5–10 minutes with leg swings and hip circles, then start your run easy.",
        "/guide/warm-up/",
    ),
    (
        "Two short core sessions a week help your back: try warrior-three rather than sit-ups.",
        "/guide/core-strength/",
    ),
)


def _number(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _in_unit(km: float, unit: str) -> float:
    return km / KM_PER_MILE if unit == "mi" else km


def show_distance(*, km: float, unit: str) -> str:
    value = _in_unit(km, unit)
    text = f"{value:.0f}" if value >= 20 else _number(value)
    return f"{text} {unit}"


def _percent(value: float) -> str:
    # Never round a flagged rise down to a figure that reads as "not over the line".
    if round(value) > RAMP_MAX_INCREASE_PERCENT:
        return f"{value:.0f}%"
    return f"just over {RAMP_MAX_INCREASE_PERCENT}%"


def _show_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _sentence(parts: list[str]) -> str:
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] + "."


def _pain_today(pain: int, baseline: float | None) -> str:
    if baseline is None:
        return f"your pain today is {pain}"
    if pain > baseline:
        return f"your pain today is {pain}, up from your usual {_number(baseline)}"
    if pain < baseline:
        return f"your pain today is {pain}, down from your usual {_number(baseline)}"
    return f"your pain today is {pain}, the same as your usual {_number(baseline)}"


# Building the suggestions, rule by rule.


def professional_suggestion(*, on: date, diary: Diary, unit: str) -> Suggestion | None:
    flagged = red_flag_tier(symptoms=diary[on].symptoms)
    if flagged is not None:
        tier, codes = flagged
        noted = "; ".join(SYMPTOM_WORDS[code] for code in codes)
        why = {
            "emergency": "With back pain, this needs checking straight away",
            "urgent": "With back pain, a doctor should check this today",
            "see_soon": "A GP or physiotherapist can check what is going on",
        }[tier]
        return Suggestion(
            kind=tier,
            message=PROFESSIONAL_MESSAGES[tier],
            reason=f"You noted {noted}. {why}.",
            link=PROFESSIONAL_LINKS[tier],
        )
    persistent = persistent_pain(on=on, diary=diary)
    if persistent is not None:
        return Suggestion(
            kind="see_soon",
            message=PROFESSIONAL_MESSAGES["see_soon"],
            reason=(
                f"Your pain has been {PERSISTENT_PAIN} or more on {persistent.high_days} of the "
                f"{persistent.logged_days} days you logged in the last {PERSISTENT_PAIN_WEEKS} "
                "weeks."
            ),
            link=PROFESSIONAL_LINKS["see_soon"],
        )
    stalled = no_improvement(on=on, diary=diary)
    if stalled is not None:
        after = show_distance(km=stalled.km_after, unit=unit)
        before = show_distance(km=stalled.km_before, unit=unit)
        red_day = stalled.red_day
        return Suggestion(
            kind="see_soon",
            message=PROFESSIONAL_MESSAGES["see_soon"],
            reason=(
                f"Since your pain was {red_day.pain} on {_show_date(red_day.date)}, "
                f"you've run less ({after} in the {NO_IMPROVEMENT_DAYS} days after, against "
                f"{before} before), but your pain over the last week still averages "
                f"{_number(stalled.recent_mean_pain)}."
            ),
            link=PROFESSIONAL_LINKS["see_soon"],
        )
    return None


def alternative_suggestions(*, pain: int) -> list[Suggestion]:
    return [
        Suggestion(
            kind="alternative",
            message=ALTERNATIVE_WORDS[activity][0],
            reason=f"Your pain today is {pain}, and {ALTERNATIVE_WORDS[activity][1]}.",
            link=f"/guide/alternatives/#{activity}",
            activity=activity,
        )
        for activity in ALTERNATIVES
    ]


def red_suggestions(*, on: date, diary: Diary) -> list[Suggestion]:
    swap = Suggestion(
        kind="swap_running",
        message="Swap running for swimming, cycling or yoga today, until your pain settles.",
        reason=_sentence(red_reasons(on=on, diary=diary)),
        link="/guide/flare-ups/",
    )
    return [swap, *alternative_suggestions(pain=diary[on].pain)]


def amber_suggestions(*, on: date, diary: Diary) -> list[Suggestion]:
    easier = Suggestion(
        kind="run_easier",
        message=(
            "If you run, go shorter and easier, on a soft surface, after a warm-up, "
            f"and stop if pain during the run goes over {ACCEPTABLE_PAIN_MAX}."
        ),
        reason=_sentence(amber_reasons(on=on, diary=diary)),
        link="/guide/shoes-and-surfaces/#surfaces",
    )
    return [easier, *alternative_suggestions(pain=diary[on].pain)]


def green_suggestions(*, on: date, diary: Diary, unit: str) -> list[Suggestion]:
    suggestions = []
    red_day = settling_since(on=on, diary=diary)
    if red_day is not None:
        usual_km = usual_run_km(up_to=red_day, diary=diary)
        how_far = (
            f" (about {show_distance(km=usual_km * SETTLING_DISTANCE_FRACTION, unit=unit)})"
            if usual_km
            else ""
        )
        suggestions.append(
            Suggestion(
                kind="settling",
                message=(
                    f"Ease back in: run about half your usual distance{how_far}, on a soft surface."
                ),
                reason=(
                    f"Your pain has been {SAFE_PAIN_MAX} or less on your last "
                    f"{SETTLING_LOW_DAYS} logged days, since it was up on {_show_date(red_day)}."
                ),
                link="/guide/flare-ups/#settling",
            )
        )
    message, link = TIPS[on.toordinal() % len(TIPS)]
    baseline = baseline_pain(on=on, diary=diary)
    suggestions.append(
        Suggestion(
            kind="tip",
            message=message,
            reason=_sentence(
                [_pain_today(diary[on].pain, baseline), f"that's within the safe 0–{SAFE_PAIN_MAX}"]
            ),
            link=link,
        )
    )
    return suggestions


def episode_suggestion(*, on: date, diary: Diary) -> Suggestion | None:
    found = episode(on=on, diary=diary)
    if found is None:
        return None
    days = (on - found.start).days
    if days < 14:
        length = f"{days} days ago"
    elif days % 7:
        length = f"more than {days // 7} weeks ago"
    else:
        length = f"{days // 7} weeks ago"
    began = (
        f"This episode began on {_show_date(found.start)}, {length}"
        if found.start_is_known
        else f"You've logged pain since at least {_show_date(found.start)}, {length}"
    )
    words = {
        "acute": (
            "Most episodes like this ease within a few weeks; keeping gently active helps.",
            f"an acute episode (under {ACUTE_WEEKS} weeks)",
            "/guide/flare-ups/",
        ),
        "subacute": (
            "If it isn't easing, a physiotherapist can help you plan your way back.",
            f"a subacute episode ({ACUTE_WEEKS} to {PERSISTENT_WEEKS} weeks)",
            "/guide/see-a-professional/#see-soon",
        ),
        "persistent": (
            "Long-lasting back pain is common and can still get better; "
            "a professional can help you make a plan.",
            f"a persistent episode (over {PERSISTENT_WEEKS} weeks)",
            "/guide/see-a-professional/#see-soon",
        ),
    }
    message, phase, link = words[found.phase]
    return Suggestion(kind="episode", message=message, reason=f"{began}: {phase}.", link=link)


def load_suggestions(*, on: date, diary: Diary, unit: str) -> list[Suggestion]:
    suggestions = []
    found = ramp(on=on, diary=diary)
    if found is not None:
        last = show_distance(km=found.last_km, unit=unit)
        previous = show_distance(km=found.previous_km, unit=unit)
        suggestions.append(
            Suggestion(
                kind="ramp",
                message="Your running distance has gone up quickly over the last 2 weeks.",
                reason=(
                    f"You ran {last} in the last {RAMP_DAYS} days against {previous} in the "
                    f"{RAMP_DAYS} before, up {_percent(found.increase_percent)}. In one study, "
                    f"new runners who added more than {RAMP_MAX_INCREASE_PERCENT}% over two weeks "
                    "had more injuries (Nielsen et al. 2014). It's a signal, not a rule."
                ),
                link="/guide/training-load/#ramp",
            )
        )
    ratio = load_ratio(on=on, diary=diary)
    if ratio is not None:
        acute_km = distance_km(diary=diary, first=on - timedelta(days=LOAD_ACUTE_DAYS - 1), last=on)
        chronic_km = distance_km(
            diary=diary, first=on - timedelta(days=LOAD_CHRONIC_DAYS - 1), last=on
        )
        weekly = show_distance(km=chronic_km / (LOAD_CHRONIC_DAYS // 7), unit=unit)
        suggestions.append(
            Suggestion(
                kind="load_ratio",
                message=f"This week you ran {ratio:.1f} times your average week of the last 4.",
                reason=(
                    f"{show_distance(km=acute_km, unit=unit)} in the last {LOAD_ACUTE_DAYS} "
                    f"days, against {weekly} a week over {LOAD_CHRONIC_DAYS} days. Whether this "
                    "ratio predicts injury is disputed (Gabbett 2016; Impellizzeri et al. 2020), "
                    "so take it as information only."
                ),
                link="/guide/training-load/#load-ratio",
            )
        )
    return suggestions


def shoe_suggestions(*, shoes: Iterable[Shoe], unit: str) -> list[Suggestion]:
    suggestions = []
    for shoe in shoes:
        # Whole numbers, rounded down: a pair at 799.9 km has not reached an 800 km limit.
        distance = f"{math.floor(_in_unit(shoe.distance_km, unit))} {unit}"
        limit = f"{math.floor(_in_unit(shoe.limit_km, unit))} {unit}"
        if shoe.distance_km >= shoe.limit_km:
            suggestions.append(
                Suggestion(
                    kind="shoe_replace",
                    message=f"Plan to replace your {shoe.name} soon.",
                    reason=f"They have {distance} on them, and their limit is {limit}.",
                    link="/guide/shoes-and-surfaces/#shoes",
                )
            )
        elif round(_in_unit(shoe.distance_km, unit), 3) >= SHOE_CHECK_AT[unit]:
            suggestions.append(
                Suggestion(
                    kind="shoe_check",
                    message=f"Check your {shoe.name} for flattened cushioning or uneven wear.",
                    reason=(
                        f"They have {distance} on them: shoes are worth checking from "
                        f"{SHOE_CHECK_AT[unit]} {unit}, and their limit is {limit}."
                    ),
                    link="/guide/shoes-and-surfaces/#shoes",
                )
            )
    return suggestions


def _means(pattern: Pattern, first: str, second: str) -> str:
    return (
        f"After {first} your next-day pain averaged {pattern.first_mean:.1f} "
        f"(n={pattern.first_n}); after {second}, {pattern.second_mean:.1f} "
        f"(n={pattern.second_n}). That's a pattern, not proof."
    )


def pattern_suggestions(*, diary: Diary) -> list[Suggestion]:
    suggestions = []
    surface = surface_pattern(diary=diary)
    if surface is not None:
        direction = "lower" if surface.second_mean < surface.first_mean else "higher"
        suggestions.append(
            Suggestion(
                kind="pattern_surface",
                message=f"Your next-day pain has been {direction} after soft-surface runs.",
                reason=_means(surface, "road runs", "trail, track, grass or treadmill runs"),
                link="/guide/shoes-and-surfaces/#surfaces",
            )
        )
    warmup = warmup_pattern(diary=diary)
    if warmup is not None:
        direction = "lower" if warmup.first_mean < warmup.second_mean else "higher"
        suggestions.append(
            Suggestion(
                kind="pattern_warmup",
                message=f"Your next-day pain has been {direction} after runs with a warm-up.",
                reason=_means(warmup, "runs with a warm-up", "runs without one"),
                link="/guide/warm-up/",
            )
        )
    return suggestions


def advise(
    *, on: date, days: Sequence[Day], shoes: Sequence[Shoe] = (), unit: str = "km"
) -> Advice:
    """`days` holds the entries from on - HISTORY_DAYS up to and including `on`, in any order,
    at most one per date. With no entry for `on` the status is "none", but shoe prompts show."""
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {UNITS}, not {unit!r}")
    diary = diary_by_date(days=days, on=on)
    baseline = baseline_pain(on=on, diary=diary)
    if on not in diary:
        return Advice(
            status="none",
            headline=HEADLINES["none"],
            suggestions=shoe_suggestions(shoes=shoes, unit=unit),
            baseline=baseline,
        )

    professional = professional_suggestion(on=on, diary=diary, unit=unit)
    if professional is not None and professional.kind == "emergency":
        return Advice(
            status="emergency",
            headline=HEADLINES["emergency"],
            suggestions=[professional],
            baseline=baseline,
        )

    light = pain_status(on=on, diary=diary)
    if light == "red":
        for_today = red_suggestions(on=on, diary=diary)
    elif light == "amber":
        for_today = amber_suggestions(on=on, diary=diary)
    else:
        for_today = green_suggestions(on=on, diary=diary, unit=unit)
    settling = any(suggestion.kind == "settling" for suggestion in for_today)

    status = professional.kind if professional is not None else light
    headline = HEADLINES["settling" if settling and status == "green" else status]
    suggestions = [professional] if professional is not None else []
    suggestions += for_today
    if (episode_note := episode_suggestion(on=on, diary=diary)) is not None:
        suggestions.append(episode_note)
    suggestions += load_suggestions(on=on, diary=diary, unit=unit)
    suggestions += shoe_suggestions(shoes=shoes, unit=unit)
    suggestions += pattern_suggestions(diary=diary)
    return Advice(status=status, headline=headline, suggestions=suggestions, baseline=baseline)
