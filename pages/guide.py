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
    sources: tuple[str, ...] = ()  # keys of SOURCES; the about page lists them all itself

    def source_texts(self) -> list[str]:
        return [SOURCES[key] for key in self.sources]


# What each guide page cites, as its Sources list words it (the about page gives the
# full references).
SOURCES = {
    "why-hurts": "“Why Does Running Hurt My Lower Back?” (article)",
    "benefits": "“Is Running Good for Lower Back Pain? Benefits, Risks, and Expert Tips” (article)",
    "passport": "“How to Prevent Lower Back Pain When Running - Running Is My Passport” (article)",
    "connection": "“The Connection Between Running and Low Back Pain: Explained” (article)",
    "my-back": "“why does my back hurt when i run” (article)",
    "belavy-2017": "Belavý DL et al. 2017. Sci Rep 7:45975.",
    "buist-2008": "Buist I et al. 2008. Am J Sports Med 36(1):33–39.",
    "gabbett-2016": "Gabbett TJ. 2016. Br J Sports Med 50(5):273–280.",
    "impellizzeri-2021": "Impellizzeri FM et al. 2021. Sports Med 51(3):581–592.",
    "nielsen-2014": "Nielsen RO et al. 2014. J Orthop Sports Phys Ther 44(10):739–747.",
    "ostelo-2008": "Ostelo RW et al. 2008. Spine 33(1):90–94.",
    "richards-2009": "Richards CE et al. 2009. Br J Sports Med 43(3):159–162.",
    "silbernagel-2007": "Silbernagel KG et al. 2007. Am J Sports Med 35(6):897–906.",
    "nice-ng59": (
        "NICE guideline NG59. 2016. Low back pain and sciatica in over 16s: "
        "assessment and management."
    ),
    "nice-cks": "NICE Clinical Knowledge Summary (CKS). Back pain – low (without radiculopathy).",
    "nhs": "NHS. Back pain. nhs.uk/conditions/back-pain.",
}


# Reading time is hardcoded: rendered word count / 200 wpm, rounded up.
# tests/test_guide.py checks it against each rendered page.
GUIDE_PAGES: list[GuidePage] = [
    GuidePage(
        slug="why-running-hurts",
        title="Why running can hurt your back",
        summary="What each stride asks of your spine, and the usual reasons it complains.",
        minutes=4,
        sources=(
            "why-hurts",
            "passport",
            "my-back",
            "connection",
            "nice-ng59",
        ),
    ),
    GuidePage(
        slug="is-running-bad",
        title="Is running bad for your back?",
        summary="What a 2017 disc study found, and what regular running does for your back.",
        minutes=4,
        sources=(
            "connection",
            "benefits",
            "belavy-2017",
            "silbernagel-2007",
        ),
    ),
    GuidePage(
        slug="running-form",
        title="Running form",
        summary="Small changes in how you hold yourself and land that spare your lower back.",
        minutes=3,
        sources=(
            "passport",
            "benefits",
            "my-back",
            "why-hurts",
        ),
    ),
    GuidePage(
        slug="shoes-and-surfaces",
        title="Shoes and surfaces",
        summary="Choosing and replacing shoes, and how the ground changes the jolt.",
        minutes=4,
        sources=(
            "benefits",
            "passport",
            "my-back",
            "why-hurts",
            "richards-2009",
            "nice-ng59",
        ),
    ),
    GuidePage(
        slug="warm-up",
        title="Warm-up and cool-down",
        summary="A 5–10 minute routine before you run, and how to finish so you stiffen less.",
        minutes=4,
        sources=(
            "passport",
            "benefits",
            "why-hurts",
        ),
    ),
    GuidePage(
        slug="core-strength",
        title="Core strength",
        summary="Four exercises for the deep muscles that steady your spine.",
        minutes=4,
        sources=(
            "passport",
            "my-back",
            "benefits",
            "why-hurts",
            "nice-ng59",
        ),
    ),
    GuidePage(
        slug="training-load",
        title="Training load",
        summary="Building up gradually, rest days, and what the ramp and load signals mean.",
        minutes=4,
        sources=(
            "passport",
            "why-hurts",
            "nielsen-2014",
            "buist-2008",
            "gabbett-2016",
            "impellizzeri-2021",
            "silbernagel-2007",
        ),
    ),
    GuidePage(
        slug="alternatives",
        title="Low-impact alternatives",
        summary="Swimming, cycling, yoga, walking and the elliptical while your back settles.",
        minutes=4,
        sources=(
            "benefits",
            "my-back",
            "silbernagel-2007",
        ),
    ),
    GuidePage(
        slug="flare-ups",
        title="Looking after a flare-up",
        summary="Self-care for a sudden bout of pain, easing back in, and how long episodes last.",
        minutes=4,
        sources=(
            "my-back",
            "passport",
            "connection",
            "benefits",
            "ostelo-2008",
            "silbernagel-2007",
            "nice-ng59",
        ),
    ),
    GuidePage(
        slug="posture",
        title="Posture through the day",
        summary="Sitting, standing and moving so your back is not stuck in one position.",
        minutes=3,
        sources=(
            "passport",
            "benefits",
            "connection",
        ),
    ),
    GuidePage(
        slug="see-a-professional",
        title="When to see a professional",
        summary="Warning signs in three tiers: emergency, urgent, and see a professional soon.",
        minutes=4,
        sources=(
            "nice-ng59",
            "nice-cks",
            "nhs",
            "why-hurts",
            "my-back",
            "connection",
            "benefits",
        ),
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
