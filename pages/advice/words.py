"""The words of the advice: turns the facts that `rules.py` found into what a runner reads.

Every sentence here is true on the day it is shown: "pain is up" only when it is up, "your
next run" once today's run is logged, and each reason names the trigger behind it.
"""

import math
from dataclasses import dataclass
from datetime import date

from pages.advice.rules import (
    ACCEPTABLE_PAIN_MAX,
    ACUTE_WEEKS,
    LOAD_ACUTE_DAYS,
    NO_IMPROVEMENT_DAYS,
    PERSISTENT_PAIN,
    PERSISTENT_PAIN_WEEKS,
    PERSISTENT_WEEKS,
    RAMP_DAYS,
    RAMP_MAX_INCREASE_PERCENT,
    SAFE_PAIN_MAX,
    SETTLING_LOW_DAYS,
    SHOE_CHECK_AT,
    USUAL_DISTANCE_DAYS,
    Comeback,
    Episode,
    Findings,
    NoImprovement,
    Pattern,
    PersistentPain,
    Ramp,
    RedFlag,
    Settling,
    ShoeDue,
    Trigger,
)
from pages.units import from_km, show_distance
from pages.vocab import SYMPTOM_BY_CODE, TIER_BY_CODE


@dataclass(frozen=True)
class Note:
    kind: str
    message: str
    reason: str
    link: str


@dataclass(frozen=True)
class Alternative:
    activity: str
    label: str
    link: str


@dataclass(frozen=True)
class Advice:
    status: str  # the highest of: emergency, urgent, see_soon, red, amber, green, none
    tier: Note | None  # what to do about a red-flag tier, first when present
    light: str | None  # red, amber or green: kept beside a see-soon tier, never under urgent
    headline: str
    reason: str
    link: str
    alternatives: tuple[Alternative, ...]
    alternatives_reason: str  # said once for the whole list
    notes: tuple[Note, ...]
    baseline: float | None
    headline_kind: str = ""  # what the headline is about: swap_running, run_easier, ...
    comeback: str = ""  # on a red day: when running is fine again, and how far

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def colour(self) -> str:
        """The card's one colour, which the pain badge takes too, so the two agree."""
        if self.light:
            return self.light
        return "red" if self.tier else "none"

    @property
    def light_label(self) -> str:
        return STATUS_LABELS[self.light] if self.light else ""

    @property
    def kinds(self) -> list[str]:
        kinds = [self.tier.kind] if self.tier else []
        if self.headline_kind:
            kinds.append(self.headline_kind)
        return kinds + [note.kind for note in self.notes]


STATUS_LABELS = {tier.code: tier.name for tier in TIER_BY_CODE.values()} | {
    "red": "Red",
    "amber": "Amber",
    "green": "Green",
    "none": "Not logged",
}

GUIDE_FOR_TIER = {
    code: f"/guide/see-a-professional/#{t.anchor}" for code, t in TIER_BY_CODE.items()
}
WHY_FOR_TIER = {
    "emergency": "With back pain, this needs checking straight away. Don't run or exercise.",
    "urgent": (
        "With back pain, a doctor should check this today. Rest from running and exercise "
        "until you have been checked."
    ),
    "see_soon": "A GP or physiotherapist can check what is going on.",
}

ALTERNATIVES = (
    ("swimming", "Swimming"),
    ("cycling", "Cycling"),
    ("yoga", "Gentle yoga"),
    ("walking", "Walking"),
    ("elliptical", "Elliptical"),
)


@dataclass(frozen=True)
class Tense:
    """The words that change when the day shown is not today: only today says "today"."""

    day: str
    is_: str
    has: str
    are: str
    settles: str
    run: str  # the day's own run
    run_before: str  # the run on the day before


TODAY = Tense("today", "is", "has", "are", "settles", "today's run", "yesterday's run")
PAST = Tense(
    "that day", "was", "had", "were", "settled", "that day's run", "the run the day before"
)

# The first trigger leads the headline, in these words (filled in with a Tense).
RED_LEADS = {
    "pain_rise": ("Pain {is_} up {day}", "while your pain {is_} up"),
    "high_pain": ("Pain {is_} high {day}", "while your pain {is_} high"),
    "not_settled": (
        "Pain {has}n't settled since {run_before}",
        "until pain {settles} after {run_before}",
    ),
    "run_pain_too_much": ("{run} hurt too much", "while it recovers from the run"),
}
AMBER_LEADS = {
    "up_after_run": ("Pain {is_} a little up since {run_before}", "while pain {is_} up"),
    "moderate_pain": ("Pain {is_} moderate {day}", "while pain {is_} moderate"),
    "run_pain_acceptable": ("{run} was on the edge", "to rest your back"),
}


@dataclass(frozen=True)
class LightWords:
    leads: dict[str, tuple[str, str]]  # trigger kind: (headline lead, "while ..." clause)
    before_running: str
    after_todays_run: str
    on_a_past_day: str
    how: str
    alternatives: str
    kind: str
    link: str


LIGHT_WORDS = {
    "red": LightWords(
        leads=RED_LEADS,
        before_running="swap running for swimming, cycling or yoga until it settles",
        after_todays_run="swap your next run for swimming, cycling or yoga until pain settles",
        on_a_past_day="a day to swap running for swimming, cycling or yoga",
        how="",
        alternatives="Easier on your back {}:",
        kind="swap_running",
        link="/guide/flare-ups/#running-pause",
    ),
    "amber": LightWords(
        leads=AMBER_LEADS,
        before_running="if you run, keep it shorter and easier",
        after_todays_run="keep your next run shorter and easier",
        on_a_past_day="a day for a shorter, easier run, if any",
        how=(
            " Choose a soft surface, warm up first, and stop if your back pain during the run "
            f"goes over {ACCEPTABLE_PAIN_MAX}."
        ),
        alternatives="Or instead, {}:",
        kind="run_easier",
        link="/guide/shoes-and-surfaces/#surfaces",
    ),
}

TIPS = (
    (
        "Run tall and relaxed, with shorter, quicker steps that land under your body.",
        "/guide/running-form/#stride",
    ),
    (
        "Warm up for 5–10 minutes with leg swings and hip circles, then start your run easy.",
        "/guide/warm-up/#dynamic",
    ),
    (
        "Two short core sessions a week help your back: try warrior-three rather than sit-ups.",
        "/guide/core-strength/#warrior-three",
    ),
)


def word(findings: Findings, *, unit: str, today: date | None = None) -> Advice:
    """`today` is the runner's date; without it, the day shown is taken to be today."""
    tense = PAST if today is not None and findings.on < today else TODAY
    shoes = tuple(shoe_note(due, unit=unit) for due in findings.shoes)
    common = {"baseline": findings.baseline, "alternatives": (), "alternatives_reason": ""}
    if findings.light is None:
        tier = tier_note(findings.red_flag) if findings.red_flag else None
        return Advice(
            status=findings.status,
            tier=tier,
            light=None,
            headline=tier.message if tier else "Nothing logged for this day yet.",
            reason="",
            link=tier.link if tier else "",
            notes=shoes,
            **common,
        )

    tier = None
    if findings.red_flag is not None:
        tier = tier_note(findings.red_flag)
    elif findings.see_soon is not None:
        tier = see_soon_note(findings.see_soon, unit=unit)
    colour, triggers = findings.light.colour, findings.light.triggers
    notes: list[Note] = []
    if colour in LIGHT_WORDS:
        said = LIGHT_WORDS[colour]
        lead, while_ = (part.format(**vars(tense)) for part in said.leads[triggers[0].kind])
        action = said.after_todays_run if findings.ran_today else said.before_running
        if tense is PAST:
            action = said.on_a_past_day
        headline, kind, link = f"{_capital(lead)}: {action}.", said.kind, said.link
        reason = _sentence([trigger_reason(t, tense) for t in triggers]) + said.how
        alternatives_reason = said.alternatives.format(while_)
    elif findings.settling is not None:
        headline = f"Your pain {tense.has} settled: " + (
            "ease back in gently." if tense is TODAY else "a day to ease back in gently."
        )
        kind, link = "settling", "/guide/flare-ups/#settling"
        reason = settling_reason(findings.settling, unit=unit, tense=tense)
        alternatives_reason = ""
    else:
        headline = "Pain is low today: keep going." if tense is TODAY else "Pain was low that day."
        kind, link = "keep_going", ""
        reason = _sentence([trigger_reason(triggers[0], tense)])
        alternatives_reason = ""
        message, tip_link = TIPS[findings.on.toordinal() % len(TIPS)]
        notes.append(Note("tip", message, "A tip from the guide.", tip_link))

    if findings.episode is not None:
        notes.append(episode_note(findings.episode, tense=tense))
    if findings.ramp is not None:
        notes.append(ramp_note(findings.ramp, unit=unit))
    notes += shoes
    notes += [pattern_note(pattern) for pattern in findings.patterns]
    alternatives = ()
    if colour in ("red", "amber"):
        alternatives = tuple(
            Alternative(activity, label, f"/guide/alternatives/#{activity}")
            for activity, label in ALTERNATIVES
        )
    return Advice(
        status=findings.status,
        tier=tier,
        light=colour,
        headline=headline,
        reason=reason,
        link=link,
        alternatives=alternatives,
        alternatives_reason=alternatives_reason,
        notes=tuple(notes),
        baseline=findings.baseline,
        headline_kind=kind,
        comeback=comeback_words(findings.comeback, unit=unit, tense=tense)
        if findings.comeback
        else "",
    )


def trigger_reason(trigger: Trigger, tense: Tense = TODAY) -> str:
    pain, t = trigger.pain, tense
    match trigger.kind:
        case "pain_rise" | "moderate_pain":
            return pain_against_usual(pain, trigger.baseline, tense)
        case "high_pain" if trigger.baseline is None:
            return (
                f"your pain {t.day} {t.is_} {pain}, and there {t.are} not yet enough entries to "
                "know your usual level"
            )
        case "high_pain":
            return (
                f"{pain_against_usual(pain, trigger.baseline, tense)}, and over "
                f"{ACCEPTABLE_PAIN_MAX} is too much to run on"
            )
        case "not_settled":
            return (
                f"your pain went from {trigger.run_day_pain} on the day of {t.run_before} to "
                f"{pain} {t.day}, so it did not settle overnight"
            )
        case "up_after_run":
            return (
                f"your pain went from {trigger.run_day_pain} on the day of {t.run_before} to "
                f"{pain} {t.day}"
            )
        case "run_pain_too_much":
            return (
                f"your back pain during {t.run} was {pain}, and over {ACCEPTABLE_PAIN_MAX} "
                "is too much"
            )
        case "run_pain_acceptable":
            return (
                f"your back pain during {t.run} was {pain}: acceptable, but above "
                f"the safe 0–{SAFE_PAIN_MAX}"
            )
        case "low_pain":
            return (
                f"{pain_against_usual(pain, trigger.baseline, tense)}, within the safe "
                f"0–{SAFE_PAIN_MAX}"
            )
    raise ValueError(f"no words for the trigger {trigger.kind!r}")


def pain_against_usual(pain: int, baseline: float | None, tense: Tense = TODAY) -> str:
    said = f"your pain {tense.day} {tense.is_} {pain}"
    if baseline is None:
        return said
    if pain > baseline:
        return f"{said}, up from your usual {number(baseline)}"
    if pain < baseline:
        return f"{said}, down from your usual {number(baseline)}"
    return f"{said}, the same as your usual {number(baseline)}"


def comeback_words(found: Comeback, *, unit: str, tense: Tense) -> str:
    if found.usual_run_km:
        start = f"about half your usual {show_distance(found.usual_run_km, unit)}"
    else:
        start = (
            "about half your usual distance (no runs are logged in the "
            f"{USUAL_DISTANCE_DAYS // 7} weeks before this flare, so there is no number yet)"
        )
    if tense is PAST:
        return (
            f"Running was fine again once pain had been {SAFE_PAIN_MAX} or lower on "
            f"{SETTLING_LOW_DAYS} logged days in a row; then {start}, on a soft surface."
        )
    return (
        f"Running is fine again once your pain has been {SAFE_PAIN_MAX} or lower on "
        f"{SETTLING_LOW_DAYS} logged days in a row; then start at {start}, on a soft surface."
    )


def tier_note(flag: RedFlag) -> Note:
    noted = "; ".join(SYMPTOM_BY_CODE[code].noted for code in flag.symptoms)
    return Note(
        kind=flag.tier,
        message=TIER_BY_CODE[flag.tier].action,
        reason=f"You noted {noted}. {WHY_FOR_TIER[flag.tier]}",
        link=GUIDE_FOR_TIER[flag.tier],
    )


def see_soon_note(found: PersistentPain | NoImprovement, *, unit: str) -> Note:
    if isinstance(found, PersistentPain):
        reason = (
            f"Your pain has been {PERSISTENT_PAIN} or more on {found.high_days} of the "
            f"{found.logged_days} days you logged in the last {PERSISTENT_PAIN_WEEKS} weeks."
        )
    else:
        after = show_distance(found.km_after, unit)
        before = show_distance(found.km_before, unit)
        reason = (
            f"Since your pain was {found.red_day.pain} on {show_date(found.red_day.date)}, "
            f"you've run less ({after} in the {NO_IMPROVEMENT_DAYS} days after, against "
            f"{before} before), but your pain over the last week still averages "
            f"{number(found.recent_mean_pain)}."
        )
    return Note("see_soon", TIER_BY_CODE["see_soon"].action, reason, GUIDE_FOR_TIER["see_soon"])


def settling_reason(found: Settling, *, unit: str, tense: Tense = TODAY) -> str:
    if found.flare_start == found.last_red_day:
        since = f"since it was up on {show_date(found.last_red_day)}"
    else:
        since = (
            f"since your flare from {show_date(found.flare_start)} to "
            f"{show_date(found.last_red_day)}"
        )
    how_far = ""
    if found.suggested_km:
        how_far = f" (about {show_distance(found.suggested_km, unit)})"
    return (
        f"Your pain {tense.has} been {SAFE_PAIN_MAX} or less on your last {SETTLING_LOW_DAYS} "
        f"logged days, {since}. For your next run, go about half your usual "
        f"distance{how_far}, on a soft surface, then build up over the runs after it."
    )


def episode_note(found: Episode, *, tense: Tense = TODAY) -> Note:
    began = (
        f"This episode began {days_ago(found.days, past=tense is PAST)}, on "
        f"{show_date(found.start)}"
        if found.start_is_known
        else f"You've logged pain since at least {show_date(found.start)}"
    )
    words = {
        "acute": (
            "Most episodes like this ease within a few weeks; keeping gently active helps.",
            f"an acute episode (under {ACUTE_WEEKS} weeks)",
        ),
        "subacute": (
            "If it isn't easing, a physiotherapist can help you plan your way back.",
            f"a subacute episode ({ACUTE_WEEKS} to {PERSISTENT_WEEKS} weeks)",
        ),
        "persistent": (
            "Long-lasting back pain is common and can still get better; "
            "a professional can help you make a plan.",
            f"a persistent episode (over {PERSISTENT_WEEKS} weeks)",
        ),
    }
    message, phase = words[found.phase]
    return Note("episode", message, f"{began}: {phase}.", "/guide/flare-ups/#episodes")


def ramp_note(found: Ramp, *, unit: str) -> Note:
    last = show_distance(found.last_km, unit)
    previous = show_distance(found.previous_km, unit)
    reason = (
        f"You ran {last} in the last {RAMP_DAYS} days against {previous} in the "
        f"{RAMP_DAYS} before, up {percent(found.increase_percent)}. In one study, "
        f"new runners who added more than {RAMP_MAX_INCREASE_PERCENT}% over two weeks "
        "had more injuries (Nielsen et al. 2014). It's a signal, not a rule."
    )
    if found.load_ratio is not None and round(found.load_ratio, 1) > 0:
        reason += (
            f" Your last {LOAD_ACUTE_DAYS} days ({show_distance(found.week_km, unit)}) were "
            f"{found.load_ratio:.1f} times your average week of the last 4; whether that "
            "ratio predicts injury is disputed (Gabbett 2016; Impellizzeri et al. 2021)."
        )
    return Note(
        "ramp",
        "Your running distance has gone up quickly over the last 2 weeks.",
        reason,
        "/guide/training-load/#ramp",
    )


def shoe_note(found: ShoeDue, *, unit: str) -> Note:
    shoe = found.shoe
    # Whole numbers, rounded down: a pair at 799.9 km has not reached an 800 km limit.
    distance = f"{math.floor(from_km(shoe.distance_km, unit))} {unit}"
    limit = f"{math.floor(from_km(shoe.limit_km, unit))} {unit}"
    if found.due == "replace":
        return Note(
            "shoe_replace",
            f"Plan to replace your {shoe.name} soon.",
            f"They have {distance} on them, and their limit is {limit}.",
            "/guide/shoes-and-surfaces/#shoes",
        )
    return Note(
        "shoe_check",
        f"Check your {shoe.name} for flattened cushioning or uneven wear.",
        (
            f"They have {distance} on them: shoes are worth checking from "
            f"{SHOE_CHECK_AT[unit]} {unit}, and their limit is {limit}."
        ),
        "/guide/shoes-and-surfaces/#shoes",
    )


def pattern_note(found: Pattern) -> Note:
    if found.kind == "surface":
        direction = "lower" if found.second_mean < found.first_mean else "higher"
        return Note(
            "pattern_surface",
            f"Your next-day pain has been {direction} after soft-surface runs.",
            _means(found, "road runs", "trail, track, grass or treadmill runs"),
            "/guide/shoes-and-surfaces/#surfaces",
        )
    direction = "lower" if found.first_mean < found.second_mean else "higher"
    if found.kind == "distance":
        return Note(
            "pattern_distance",
            f"Your next-day pain has been {direction} after your longer runs.",
            _means(found, "runs longer than your middle run", "the shorter half"),
            "/guide/training-load/",
        )
    if found.kind == "shoe":
        return Note(
            "pattern_shoe",
            f"Your next-day pain has been {direction} after runs in {found.label}.",
            _means(found, f"runs in {found.label}", "your other runs"),
            "/guide/shoes-and-surfaces/#shoes",
        )
    return Note(
        "pattern_warmup",
        f"Your next-day pain has been {direction} after runs with a warm-up.",
        _means(found, "runs with a warm-up", "runs without one"),
        "/guide/warm-up/#dynamic",
    )


def _means(pattern: Pattern, first: str, second: str) -> str:
    return (
        f"After {first} your next-day pain averaged {pattern.first_mean:.1f} "
        f"(n={pattern.first_n}); after {second}, {pattern.second_mean:.1f} "
        f"(n={pattern.second_n}). That's a pattern, not proof."
    )


def number(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def percent(value: float) -> str:
    # Never round a flagged rise down to a figure that reads as "not over the line".
    if round(value) > RAMP_MAX_INCREASE_PERCENT:
        return f"{value:.0f}%"
    return f"just over {RAMP_MAX_INCREASE_PERCENT}%"


def days_ago(days: int, *, past: bool = False) -> str:
    """How long before the day shown; `past` when that day is not today."""
    if days == 0:
        return "that day" if past else "today"
    if days == 1:
        return "the day before" if past else "yesterday"
    ago = "before" if past else "ago"
    if days < 14:
        return f"{days} days {ago}"
    weeks = days // 7
    return f"{weeks} weeks {ago}" if days % 7 == 0 else f"more than {weeks} weeks {ago}"


def show_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _sentence(parts: list[str]) -> str:
    return _capital("; ".join(parts)) + "."
