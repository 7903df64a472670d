"""The fixed vocabularies of a diary entry (PRODUCT.md, "A diary entry")."""

from datetime import date

from django.db import models

from pages.vocab import (
    ALTERNATIVES,
    SURFACES,
    SYMPTOM_BY_CODE,
    SYMPTOMS,
    TIERS,
    UNITS,
    symptoms_in,
)


def choices(name: str, pairs) -> type[models.TextChoices]:
    """Django choices from a vocabulary's (code, label) pairs: Surface.TRAIL == "trail"."""
    return models.TextChoices(name, [(code.upper(), (code, label)) for code, label in pairs])


Unit = choices("Unit", UNITS)
Surface = choices("Surface", SURFACES)
Alternative = choices("Alternative", ALTERNATIVES)


# Grouped by the tier each symptom triggers, headed by the tier's name.
SYMPTOM_GROUPS = [
    (tier.name, [(code, SYMPTOM_BY_CODE[code].label) for code in symptoms_in(tier.code)])
    for tier in TIERS
]
SYMPTOM_LABELS = {symptom.code: symptom.label for symptom in SYMPTOMS}

MAX_DISTANCE_KM = 300
MAX_DURATION_MIN = 1440
MAX_ALTERNATIVE_MIN = 1440
MAX_NOTES_CHARS = 2000
DEFAULT_SHOE_LIMIT_KM = 800
# No pair of running shoes lasts 10,000 km; anything above is a typo or an attack.
MAX_SHOE_KM = 10_000
# The first day a diary can hold: earlier dates are typos, and date arithmetic near year 1
# overflows.
FIRST_DAY = date(1970, 1, 1)
