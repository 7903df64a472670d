"""The advice of PRODUCT.md: `rules` decides, `words` says it. Free of Django.

`advise()` is the one way in: a runner's recent days (and shoes) in, the day's advice out."""

from collections.abc import Sequence
from datetime import date

from pages.advice.rules import HISTORY_DAYS, Day, Shoe, assess, rated, shoes_due
from pages.advice.words import Advice, Note, shoe_note, word
from pages.vocab import UNIT_CODES

__all__ = ["HISTORY_DAYS", "Advice", "Day", "Note", "Shoe", "advise", "rated", "shoe_notes"]


def advise(
    *,
    on: date,
    days: Sequence[Day],
    shoes: Sequence[Shoe] = (),
    unit: str = "km",
    today: date | None = None,
) -> Advice:
    """`days` holds the entries from on - HISTORY_DAYS up to and including `on`, in any order,
    at most one per date. With no entry for `on` the status is "none", but shoe prompts show.
    `today` is the runner's date: a day before it is worded in the past."""
    if unit not in UNIT_CODES:
        raise ValueError(f"unit must be one of {UNIT_CODES}, not {unit!r}")
    return word(assess(on=on, days=days, shoes=shoes, unit=unit), unit=unit, today=today)


def shoe_notes(shoes: Sequence[Shoe], *, unit: str) -> list[Note]:
    return [shoe_note(due, unit=unit) for due in shoes_due(shoes=shoes, unit=unit)]
