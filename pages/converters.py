from datetime import date

from django.utils import timezone

from pages.choices import FIRST_DAY


class IsoDateConverter:
    """A day the diary can hold, from FIRST_DAY to today (the runner's today: the URL is
    resolved after UserTimezoneMiddleware). Any other date is no page at all: a 404."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> date:
        day = date.fromisoformat(value)
        if not FIRST_DAY <= day <= timezone.localdate():
            raise ValueError(f"{day} is outside the diary")
        return day

    def to_url(self, value: date) -> str:
        return value.isoformat()
