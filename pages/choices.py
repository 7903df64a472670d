"""The fixed vocabularies of a diary entry (PRODUCT.md, "A diary entry")."""

from django.db import models


class Unit(models.TextChoices):
    KM = "km", "Kilometres"
    MI = "mi", "Miles"


class Surface(models.TextChoices):
    ROAD = "road", "Road"
    TRAIL = "trail", "Trail"
    TRACK = "track", "Track"
    GRASS = "grass", "Grass"
    TREADMILL = "treadmill", "Treadmill"
    MIXED = "mixed", "Mixed"


class Alternative(models.TextChoices):
    SWIMMING = "swimming", "Swimming"
    CYCLING = "cycling", "Cycling"
    YOGA = "yoga", "Yoga"
    WALKING = "walking", "Walking"
    ELLIPTICAL = "elliptical", "Elliptical"
    OTHER = "other", "Other"


# Grouped by the tier each symptom triggers, in plain words.
SYMPTOM_GROUPS = [
    (
        "Get help now",
        [
            ("saddle_numbness", "Numbness around my genitals or buttocks"),
            ("bladder_bowel", "New trouble peeing, or losing control of bladder or bowel"),
            ("both_legs", "Pain, numbness or weakness in both legs"),
            ("trauma", "It started after a fall or an accident"),
        ],
    ),
    (
        "Call a doctor today",
        [
            ("fever", "Fever or feeling hot and unwell"),
            ("weight_loss", "Weight loss I can't explain"),
            ("night_pain", "Worse at night, and rest doesn't ease it"),
        ],
    ),
    (
        "Worth getting checked",
        [
            ("leg_pain", "Pain spreading into a buttock or leg"),
            ("numbness", "Pins and needles or numbness in one leg"),
            ("leg_weakness", "Weakness in a leg"),
            ("daily_life", "Pain is getting in the way of daily life"),
        ],
    ),
]
SYMPTOM_LABELS = {code: label for _, items in SYMPTOM_GROUPS for code, label in items}

KM_PER_MILE = 1.609344
MAX_DISTANCE_KM = 300
MAX_DURATION_MIN = 1440
MAX_ALTERNATIVE_MIN = 1440
MAX_NOTES_CHARS = 2000
DEFAULT_SHOE_LIMIT_KM = 800
