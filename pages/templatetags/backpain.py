from datetime import date

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from pages import mail
from pages.advice.words import Note, pattern_note
from pages.choices import FIRST_DAY, SYMPTOM_LABELS, Alternative, Surface
from pages.forms import EntryForm, field_kinds
from pages.units import DISTANCE_PLACES, show_day, show_distance, show_duration, show_pace
from pages.vocab import (
    ACCEPTABLE_PAIN_MAX,
    KM_PER_MILE,
    SAFE_PAIN_MAX,
    TIER_BY_CODE,
    TIERS,
    Tier,
    pain_band,
    symptoms_in,
)

register = template.Library()

TIER_CODE_BY_NAME = {tier.name: tier.code for tier in TIERS}


@register.filter
def distance(km: float | None, unit: str) -> str:
    return show_distance(km, unit, places=DISTANCE_PLACES)


@register.filter
def day_month(day: date) -> str:
    """The date filter's "j M" without its format parser: the report lists many days."""
    return show_day(day)


@register.filter
def pace(run, unit: str) -> str:
    """A run's (an entry's) minutes per km or mile, "5:38 /km"; "" without distance or time."""
    return show_pace(run.distance_km, run.duration_min, unit)


@register.filter
def duration(minutes: int | None) -> str:
    return show_duration(minutes)


@register.filter
def pain_level(pain: int | None) -> str:
    return "none" if pain is None else pain_band(pain)


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
def isodate(text: str) -> date:
    """A date kept as text (an import's result list) back to a date."""
    return date.fromisoformat(text)


@register.filter
def symptom_label(code: str) -> str:
    return SYMPTOM_LABELS.get(code, code)


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
def htmx_debug_guard() -> str:
    """Under DEBUG, the script that keeps django-htmx's debug handler off a form's 400 and
    409 answers (static/js/htmx-debug.js); nothing in production."""
    if not settings.DEBUG:
        return ""
    return format_html('<script src="{}" defer></script>', static("js/htmx-debug.js"))


@register.simple_tag
def emergency_number() -> str:
    return settings.EMERGENCY_NUMBER


@register.simple_tag
def mail_goes_to_console() -> bool:
    """Under `make run`, account mail is printed in the terminal, not sent: say so."""
    return mail.goes_to_console()


@register.simple_tag
def diary_day_url_pattern() -> str:
    """A day's page address with "{date}" where the day goes, for scripts that link to one."""
    return reverse("diary_day", args=[FIRST_DAY]).replace(FIRST_DAY.isoformat(), "{date}")


@register.simple_tag
def km_per_mile() -> float:
    return KM_PER_MILE


@register.filter
def zone_counts(run_pains) -> dict[str, int]:
    """How many runs' pain fell in each pain-monitoring zone."""
    counts = {"low": 0, "mid": 0, "high": 0}
    for run in run_pains:
        counts[run.zone] += 1
    return counts


@register.filter
def included_notes(notes) -> list:
    return [note for note in notes if note[2]]


@register.filter
def pattern_words(pattern) -> Note:
    """A looking-back pattern as the runner reads it (pages/advice/words.py)."""
    return pattern_note(pattern)


@register.simple_tag
def entry_field_kinds() -> str:
    return field_kinds()


@register.simple_tag
def pain_bands() -> str:
    """The pain-monitoring zones' upper bounds, for the phone's own badge (page.js)."""
    return f"{SAFE_PAIN_MAX} {ACCEPTABLE_PAIN_MAX}"


# A script saves what a one-tap button would have saved when the server cannot be reached:
# these give it the day as the entry form holds it (static/js/offline-form.js).
@register.filter
def form_data(entry, unit: str) -> dict:
    return EntryForm.initial_from(entry, unit)


@register.filter
def copied_form_data(yesterday, unit: str) -> dict:
    return {
        "copy": EntryForm.copied_from(yesterday, unit, with_run=False),
        "ran_same": EntryForm.copied_from(yesterday, unit, with_run=True),
    }


# The log page's radio buttons, written here rather than through a widget template each:
# twenty-odd widget renders were most of the page's time (bench/serving.py).
CHOICE = (
    '<label class="{}"><input type="radio" name="{}" value="{}" id="{}_{}"{}{}>'
    "<span>{}</span></label>"
)


@register.simple_tag
def choice_buttons(field, style: str) -> str:
    """A bound radio field as `pain` buttons (coloured by pain band) or `chip` labels."""
    value = field.value()
    chosen = "" if value is None else str(value)
    required = mark_safe(" required") if field.field.required else ""
    return format_html_join(
        "",
        CHOICE,
        (
            (
                f"pain-choice pain-{pain_level(int(code))}" if style == "pain" else "chip",
                field.html_name,
                code,
                field.auto_id,
                index,
                required,
                mark_safe(" checked") if str(code) == chosen else "",
                label,
            )
            for index, (code, label) in enumerate(field.field.choices)
        ),
    )
