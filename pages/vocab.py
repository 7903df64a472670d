"""The fixed words of a diary entry, once, with no Django: units, surfaces, activities,
pain bands, symptoms and their tiers.

PRODUCT.md's symptom list, drawn from NICE NG59 and NICE CKS. The form, the day card and
the guide all take the tier names from here, so "Emergency" means the same thing everywhere.
"""

from dataclasses import dataclass

KM_PER_MILE = 1.609344
UNITS = (("km", "Kilometres"), ("mi", "Miles"))
UNIT_CODES = tuple(code for code, _ in UNITS)
SURFACES = (
    ("road", "Road"),
    ("trail", "Trail"),
    ("track", "Track"),
    ("grass", "Grass"),
    ("treadmill", "Treadmill"),
    ("mixed", "Mixed"),
)
# What a runner did instead of running (PRODUCT.md's low-impact alternatives).
ALTERNATIVES = (
    ("swimming", "Swimming"),
    ("cycling", "Cycling"),
    ("yoga", "Yoga"),
    ("walking", "Walking"),
    ("elliptical", "Elliptical"),
    ("other", "Other"),
)

# The pain-monitoring zones (Silbernagel et al. 2007, Am J Sports Med 35(6):897–906):
# 0–3 is safe, 4–5 acceptable, over 5 too much. The advice rules, the colour of every pain
# dot and the phone's own badge (through page.js) all read them from here.
SAFE_PAIN_MAX = 3
ACCEPTABLE_PAIN_MAX = 5


def pain_band(pain: int) -> str:
    if pain <= SAFE_PAIN_MAX:
        return "low"
    return "mid" if pain <= ACCEPTABLE_PAIN_MAX else "high"


@dataclass(frozen=True)
class Tier:
    code: str
    name: str  # the tier's name, as the form, card and guide head it
    action: str  # what to do, as one short sentence
    anchor: str  # its section on the guide's see-a-professional page


TIERS = (
    Tier(
        "emergency",
        "Emergency",
        "Call emergency services or go to the emergency department now.",
        "emergency",
    ),
    Tier("urgent", "Urgent", "Contact a doctor today.", "urgent"),
    Tier(
        "see_soon",
        "See a professional soon",
        "Book an appointment with a GP or physiotherapist soon.",
        "see-soon",
    ),
)
TIER_BY_CODE = {tier.code: tier for tier in TIERS}


@dataclass(frozen=True)
class Symptom:
    code: str
    tier: str
    label: str  # as the runner ticks it, in the first person
    noted: str  # as the card repeats it back, in the second person


SYMPTOMS = (
    Symptom(
        "saddle_numbness",
        "emergency",
        "Numbness around my genitals or buttocks",
        "numbness around your genitals or buttocks",
    ),
    Symptom(
        "bladder_bowel",
        "emergency",
        "New trouble peeing, or losing control of bladder or bowel",
        "new trouble peeing, or loss of bladder or bowel control",
    ),
    Symptom(
        "both_legs",
        "emergency",
        "Pain, numbness or weakness in both legs",
        "pain, numbness or weakness in both legs",
    ),
    Symptom(
        "sexual_function",
        "emergency",
        "New loss of feeling during sex, or new trouble getting an erection",
        "a new loss of feeling during sex, or new trouble getting an erection",
    ),
    Symptom(
        "trauma",
        "emergency",
        "It started after a serious fall or accident, such as a car crash",
        "pain that started after a serious fall or accident",
    ),
    Symptom("fever", "urgent", "Fever, or feeling hot and shivery", "a fever"),
    Symptom(
        "weight_loss", "urgent", "Weight loss I can't explain", "weight loss you can't explain"
    ),
    Symptom(
        "night_pain",
        "urgent",
        "Worse at night, and rest doesn't ease it",
        "pain that is worse at night and not eased by rest",
    ),
    Symptom(
        "worsening_weakness",
        "urgent",
        "Leg weakness that is getting worse, or a foot that drags or slaps",
        "leg weakness that is getting worse, or a foot that drags or slaps",
    ),
    Symptom(
        "leg_pain",
        "see_soon",
        "Pain spreading into a buttock or leg",
        "pain spreading into a buttock or leg",
    ),
    Symptom(
        "numbness",
        "see_soon",
        "Pins and needles or numbness in one leg",
        "pins and needles or numbness in one leg",
    ),
    Symptom("leg_weakness", "see_soon", "Weakness in a leg", "weakness in a leg"),
    Symptom(
        "daily_life",
        "see_soon",
        "Pain is getting in the way of daily life",
        "pain that limits your daily activities",
    ),
)
SYMPTOM_BY_CODE = {symptom.code: symptom for symptom in SYMPTOMS}


def symptoms_in(tier: str) -> tuple[str, ...]:
    return tuple(symptom.code for symptom in SYMPTOMS if symptom.tier == tier)
