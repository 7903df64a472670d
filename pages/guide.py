import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path


@dataclass(frozen=True)
class GuidePage:
    slug: str
    title: str
    summary: str
    minutes: int


# Reading time is hardcoded: rendered word count / 200 wpm, rounded up.
# tests/test_guide.py checks it against each rendered page.
GUIDE_PAGES: list[GuidePage] = [
    GuidePage(
        slug="why-running-hurts",
        title="Why running can hurt your back",
        summary="What each stride asks of your spine, and the usual reasons it complains.",
        minutes=4,
    ),
    GuidePage(
        slug="is-running-bad",
        title="Is running bad for your back?",
        summary="What a 2017 disc study found, and what regular running does for your back.",
        minutes=4,
    ),
    GuidePage(
        slug="running-form",
        title="Running form",
        summary="Small changes in how you hold yourself and land that spare your lower back.",
        minutes=3,
    ),
    GuidePage(
        slug="shoes-and-surfaces",
        title="Shoes and surfaces",
        summary="Choosing and replacing shoes, and how the ground changes the jolt.",
        minutes=4,
    ),
    GuidePage(
        slug="warm-up",
        title="Warm-up and cool-down",
        summary="A 5–10 minute routine before you run, and how to finish so you stiffen less.",
        minutes=4,
    ),
    GuidePage(
        slug="core-strength",
        title="Core strength",
        summary="Four exercises for the deep muscles that steady your spine.",
        minutes=4,
    ),
    GuidePage(
        slug="training-load",
        title="Training load",
        summary="Building up gradually, rest days, and what the ramp and load signals mean.",
        minutes=4,
    ),
    GuidePage(
        slug="alternatives",
        title="Low-impact alternatives",
        summary="Swimming, cycling, yoga, walking and the elliptical while your back settles.",
        minutes=4,
    ),
    GuidePage(
        slug="flare-ups",
        title="Looking after a flare-up",
        summary="Self-care for a sudden bout of pain, easing back in, and how long episodes last.",
        minutes=4,
    ),
    GuidePage(
        slug="posture",
        title="Posture through the day",
        summary="Sitting, standing and moving so your back is not stuck in one position.",
        minutes=3,
    ),
    GuidePage(
        slug="see-a-professional",
        title="When to see a professional",
        summary="Warning signs in three tiers: emergency, urgent, and see a professional soon.",
        minutes=4,
    ),
    GuidePage(
        slug="about",
        title="About and sources",
        summary="Where this guidance comes from, what it cannot do, and every source.",
        minutes=4,
    ),
]

_PAGES_BY_SLUG = {page.slug: page for page in GUIDE_PAGES}


def get_page(slug: str) -> GuidePage | None:
    return _PAGES_BY_SLUG.get(slug)


TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


@cache
def content_version() -> str:
    """Changes with any template of the pages the service worker precaches, so an edited
    guide page reaches phones that never open it again."""
    paths = [TEMPLATES / "base.html", TEMPLATES / "offline.html"]
    paths += sorted((TEMPLATES / "guide").glob("*.html"))
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]
