from django import template

from pages.choices import SYMPTOM_LABELS, Alternative, Surface
from pages.units import show_distance

register = template.Library()


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
