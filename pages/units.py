from datetime import date

from pages.vocab import KM_PER_MILE

SECONDS_PER_MINUTE = 60
DISTANCE_PLACES = 2  # what a runner types and reads: 4.97 mi, not 4.971


def to_km(value: float, unit: str) -> float:
    return value * KM_PER_MILE if unit == "mi" else value


def from_km(km: float, unit: str) -> float:
    return km / KM_PER_MILE if unit == "mi" else km


def distance_in(km: float, unit: str) -> float:
    """A stored distance as the runner reads and edits it."""
    return round(from_km(km, unit), DISTANCE_PLACES)


def show_distance(km: float | None, unit: str, *, places: int = 1) -> str:
    if km is None:
        return ""
    value = from_km(km, unit)
    text = f"{value:.{places}f}"
    if "." in text:
        text = text.rstrip("0").removesuffix(".")
    return f"{text} {unit}"


def show_day(day: date) -> str:
    """ "7 Sep": a day in a list of many, as the date filter's "j M" writes it."""
    return f"{day.day} {day:%b}"


def show_pace(km: float | None, minutes: int | None, unit: str) -> str:
    """Minutes per km or mile as m:ss, e.g. "5:38 /km"; "" without both numbers."""
    if not km or not minutes:
        return ""
    seconds = int(minutes * SECONDS_PER_MINUTE / from_km(km, unit) + 0.5)
    whole, rest = divmod(seconds, SECONDS_PER_MINUTE)
    return f"{whole}:{rest:02d} /{unit}"


def show_duration(minutes: int | None) -> str:
    """45 → "45 min", 65 → "1 h 5 min"."""
    if not minutes:
        return ""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{minutes} min"
    return f"{hours} h {rest} min" if rest else f"{hours} h"


def parse_duration(text: str) -> int | None:
    """Minutes from "45" or "1:05" (hours:minutes); None when it is neither."""
    hours, colon, minutes = text.strip().partition(":")
    if not colon:
        return int(hours) if hours.isascii() and hours.isdigit() else None
    if not (hours.isascii() and hours.isdigit() and minutes.isascii() and minutes.isdigit()):
        return None
    if len(minutes) != 2 or int(minutes) >= 60:
        return None
    return int(hours) * 60 + int(minutes)
