from django import template
from django.conf import settings

from pages.choices import SYMPTOM_LABELS, Alternative, Surface
from pages.units import show_distance
from pages.vocab import TIER_BY_CODE, TIERS, Tier, symptoms_in

register = template.Library()

TIER_CODE_BY_NAME = {tier.name: tier.code for tier in TIERS}


@register.filter
def distance(km: float | None, unit: str) -> str:
    return show_distance(km, unit)


@register.filter
def pain_level(pain: int | None) -> str:
    if pain is None:
        return "none"
    if pain <= 3:
        return "low"
    return "mid" if pain <= 5 else "high"


@register.filter
def colour_level(colour: str) -> str:
    """A card's colour (red, amber, green) as the pain-level class its badge takes."""
    return {"green": "low", "amber": "mid", "red": "high"}.get(colour, "none")


@register.filter
def surface_label(code: str) -> str:
    return Surface(code).label if code in Surface.values else ""


@register.filter
def activity_label(code: str) -> str:
    return Alternative(code).label if code in Alternative.values else code


@register.filter
def symptom_label(code: str) -> str:
    return SYMPTOM_LABELS.get(code, code)


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key)


@register.filter
def add_km(start_km: float, logged_km: float | None) -> float:
    return start_km + (logged_km or 0)


# The form's symptom groups are headed by their tier's name (pages/choices.py).
@register.filter
def tier_code(name: str) -> str:
    return TIER_CODE_BY_NAME.get(name, "")


@register.filter
def tier_symptoms(code: str) -> str:
    return " ".join(symptoms_in(code))


@register.simple_tag
def tier(code: str) -> Tier:
    return TIER_BY_CODE[code]


@register.simple_tag
def emergency_number() -> str:
    return settings.EMERGENCY_NUMBER
