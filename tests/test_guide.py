import math
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils.html import escape

from pages.advice.rules import Day, diary_by_date, ramp
from pages.guide import GUIDE_PAGES, get_page
from pages.vocab import SYMPTOM_BY_CODE, TIERS, symptoms_in

# base.html may read the session or the user, so every view test gets a database.
pytestmark = pytest.mark.django_db

# The advice engine links to these slugs and anchors, so they must never change.
SLUGS = [
    "why-running-hurts",
    "is-running-bad",
    "running-form",
    "shoes-and-surfaces",
    "warm-up",
    "core-strength",
    "training-load",
    "alternatives",
    "flare-ups",
    "posture",
    "see-a-professional",
    "about",
]
CONTRACT_ANCHORS = [
    ("alternatives", "swimming"),
    ("alternatives", "cycling"),
    ("alternatives", "yoga"),
    ("alternatives", "walking"),
    ("alternatives", "elliptical"),
    ("see-a-professional", "emergency"),
    ("see-a-professional", "urgent"),
    ("see-a-professional", "see-soon"),
    ("training-load", "ramp"),
    ("training-load", "load-ratio"),
    ("shoes-and-surfaces", "shoes"),
    ("shoes-and-surfaces", "surfaces"),
    ("flare-ups", "settling"),
    ("flare-ups", "episodes"),
]
SEED_TITLES = [
    "Why Does Running Hurt My Lower Back?",
    "Is Running Good for Lower Back Pain? Benefits, Risks, and Expert Tips",
    "How to Prevent Lower Back Pain When Running - Running Is My Passport",
    "The Connection Between Running and Low Back Pain: Explained",
    "why does my back hurt when i run",
]
REFERENCES = [
    "Ostelo RW et al. 2008. Spine 33(1):90–94.",
    "Silbernagel KG et al. 2007. Am J Sports Med 35(6):897–906.",
    "Nielsen RO et al. 2014. J Orthop Sports Phys Ther 44(10):739–747.",
    "Buist I et al. 2008. Am J Sports Med 36(1):33–39.",
    "Gabbett TJ. 2016. Br J Sports Med 50(5):273–280.",
    "Impellizzeri FM et al. 2021. Sports Med 51(3):581–592.",
    "Belavý DL et al. 2017. Sci Rep 7:45975.",
    "Richards CE et al. 2009. Br J Sports Med 43(3):159–162.",
    "NICE guideline NG59",
    "NICE Clinical Knowledge Summary (CKS). Back pain – low (without radiculopathy).",
    "NHS. Back pain.",
]
# A name mentioned in a page's text must be listed in that page's sources.
CITED_NAMES = [
    "Ostelo",
    "Silbernagel",
    "Nielsen",
    "Buist",
    "Gabbett",
    "Impellizzeri",
    "Belavý",
    "Richards",
    "NICE",
    "NHS",
]
KEY_FACTS = [
    ("why-running-hurts", "2–3 times your body weight"),
    ("why-running-hurts", "lose a little height"),
    ("why-running-hurts", "tight hip flexors"),
    ("why-running-hurts", "lumbar extension"),
    ("why-running-hurts", "rotating"),
    ("why-running-hurts", "muscle imbalances"),
    ("why-running-hurts", "up to 80% of people"),
    ("why-running-hurts", "evidence that a warm-up prevents back injury is thin"),
    ("is-running-bad", "Belavý"),
    ("is-running-bad", "79 young"),
    ("is-running-bad", "20–40 km"),
    ("is-running-bad", "50 km (about 31 miles) or more"),
    ("is-running-bad", "clearest in those running 50 km a week or more"),
    ("is-running-bad", "healthier discs"),
    ("is-running-bad", "single snapshot"),
    ("is-running-bad", "cross-sectional"),
    ("is-running-bad", "cannot show that running caused"),
    ("is-running-bad", "brisk walking or slow running, at about 2 metres a second"),
    ("is-running-bad", "not with sprinting"),
    ("running-form", "ears roughly above your shoulders"),
    ("running-form", "about 90°"),
    ("running-form", "overstriding"),
    ("running-form", "shorter, quicker steps"),
    ("running-form", "less bounce"),
    ("shoes-and-surfaces", "arch support"),
    ("shoes-and-surfaces", "300–500 miles"),
    ("shoes-and-surfaces", "orthotics"),
    ("shoes-and-surfaces", "NICE advises against them as a treatment for low back pain"),
    ("shoes-and-surfaces", "evidence that matching shoes to foot type prevents injury is weak"),
    ("shoes-and-surfaces", "concrete and asphalt"),
    ("shoes-and-surfaces", "barefoot"),
    ("warm-up", "5–10 minutes on moving stretches"),
    ("warm-up", "high knees"),
    ("warm-up", "leg swings"),
    ("warm-up", "torso rotations"),
    ("warm-up", "hip circles"),
    ("warm-up", "opening 5–10 minutes"),
    ("warm-up", "hip flexors, hamstrings and glutes"),
    ("warm-up", "evidence that it prevents back injury is thin"),
    ("core-strength", "Bicycle crunches: 3 sets of 20"),
    ("core-strength", "Ball pike: 3 sets of 10"),
    ("core-strength", "Warrior three: 10 a side, 2–3 rounds"),
    ("core-strength", "unstable surface"),
    ("core-strength", "no single type, deep-core work included, has clearly beaten the rest"),
    ("training-load", "2 miles"),
    ("training-load", "rule of thumb"),
    ("training-load", "10% rule did not prevent injuries"),
    ("training-load", "Buist I et al. 2008"),
    ("training-load", "more than 30%"),
    ("training-load", "at least 10 km"),
    ("training-load", "Nielsen RO et al. 2014"),
    ("training-load", "7:28"),
    ("training-load", "disputed"),
    ("training-load", "Gabbett TJ. 2016"),
    ("training-load", "Impellizzeri FM et al. 2021. Sports Med 51(3):581–592."),
    ("training-load", "rest days"),
    ("alternatives", "pool running"),
    ("alternatives", "water aerobics"),
    ("alternatives", "stationary bike"),
    ("alternatives", "cat-cow"),
    ("alternatives", "child's pose"),
    ("alternatives", "stair climber"),
    ("flare-ups", "10–20 minutes"),
    ("flare-ups", "smallest change people with back pain count as important"),
    ("flare-ups", "no more than 2 days resting in bed"),
    ("flare-ups", "1–3 weeks"),
    ("flare-ups", "pause running for about a week"),
    ("flare-ups", "pharmacist"),
    ("flare-ups", "squat rather than bend"),
    ("flare-ups", "bent knees"),
    ("flare-ups", "3 or lower on 3 logged days in a row"),
    ("flare-ups", "about half your usual distance, on soft ground"),
    ("posture", "every 10 minutes or so"),
    ("posture", "follows the inward curve of your lower back"),
    ("see-a-professional", "such as a car crash or a fall from height"),
    ("see-a-professional", "4 or more out of 10 on most days for 6 weeks"),
    ("see-a-professional", "no improvement after 2 weeks of running less"),
    ("see-a-professional", "back pain after every run"),
    ("see-a-professional", "NICE puts an exercise programme first"),
    ("see-a-professional", "only alongside exercise"),
    *[("about", title) for title in SEED_TITLES],
    *[("about", reference) for reference in REFERENCES],
    ("about", "smallest change people with back pain count as important"),
    ("about", "medical disclaimer"),
]
EXERCISE_PAGES = ["warm-up", "core-strength", "alternatives"]
BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt",
    "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hr", "li", "main", "nav", "ol", "p", "section", "table", "td",
    "th", "tr", "ul",
}  # fmt: skip
HIDDEN_TAGS = {"svg", "script", "style", "template"}
CAPTURED_CLASSES = {"disclaimer", "sources", "in-short", "how-to"}
WORDS_PER_MINUTE = 200
HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


@dataclass
class Capture:
    tag: str
    depth: int = 1
    text: list[str] = field(default_factory=list)
    hrefs: list[str] = field(default_factory=list)
    list_items: int = 0


class GuideParser(HTMLParser):
    """Collects ids, links, headings, sections, the article's figures and its visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.h1_texts: list[str] = []
        self.svgs: list[dict] = []
        self.captures: dict[str, list[Capture]] = {name: [] for name in CAPTURED_CLASSES}
        self.sections: dict[str, Capture] = {}  # keyed by the section's aria-labelledby
        self.headings: dict[str, str] = {}  # a heading's text, keyed by its id
        self._heading: tuple[str, str] | None = None
        self._article_text: list[str] = []
        self._article_depth = 0
        self._hidden_depth = 0
        self._h1_depth = 0
        self._in_figure = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.append(attributes["id"])
        if attributes.get("href"):
            self.hrefs.append(attributes["href"])
        for capture in self._open_captures():
            if tag == capture.tag:
                capture.depth += 1
            if tag == "li":
                capture.list_items += 1
            if attributes.get("href"):
                capture.hrefs.append(attributes["href"])
        for name in set((attributes.get("class") or "").split()) & CAPTURED_CLASSES:
            self.captures[name].append(Capture(tag=tag))
        if tag == "section" and attributes.get("aria-labelledby"):
            self.sections[attributes["aria-labelledby"]] = Capture(tag=tag)
        if tag in HEADING_TAGS and attributes.get("id"):
            self._heading = (tag, attributes["id"])
            self.headings[attributes["id"]] = ""
        if tag == "svg" and self._article_depth:
            self.svgs.append({**attributes, "has_title": False})
            self._in_figure = True
        elif tag == "title" and self._in_figure:
            self.svgs[-1]["has_title"] = True
        if tag == "article":
            self._article_depth += 1
        if tag in HIDDEN_TAGS:
            self._hidden_depth += 1
        if tag == "h1":
            self._h1_depth += 1
            self.h1_texts.append("")
        self._separate(tag)

    def handle_endtag(self, tag: str) -> None:
        self._separate(tag)
        for capture in self._open_captures():
            if tag == capture.tag:
                capture.depth -= 1
        if tag == "article":
            self._article_depth -= 1
        if tag == "svg":
            self._in_figure = False
        if tag in HIDDEN_TAGS:
            self._hidden_depth -= 1
        if tag == "h1":
            self._h1_depth -= 1
        if self._heading and tag == self._heading[0]:
            self._heading = None

    def handle_data(self, data: str) -> None:
        if self._hidden_depth:
            return
        if self._h1_depth:
            self.h1_texts[-1] += data
        if self._heading:
            self.headings[self._heading[1]] += data
        if self._article_depth:
            self._article_text.append(data)
        for capture in self._open_captures():
            capture.text.append(data)

    def _open_captures(self) -> list[Capture]:
        captures = [c for captures in self.captures.values() for c in captures]
        return [c for c in [*captures, *self.sections.values()] if c.depth > 0]

    def _separate(self, tag: str) -> None:
        if tag in BLOCK_TAGS:
            self._article_text.append(" ")
            for capture in self._open_captures():
                capture.text.append(" ")

    @property
    def article_text(self) -> str:
        return normalise("".join(self._article_text))

    def captured_text(self, name: str) -> str:
        return normalise(" ".join("".join(c.text) for c in self.captures[name]))

    def section_text(self, heading_id: str) -> str:
        return normalise("".join(self.sections[heading_id].text))


def normalise(text: str) -> str:
    for curly, plain in (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"')):
        text = text.replace(curly, plain)
    return " ".join(text.split())


def parse(content: bytes) -> GuideParser:
    parser = GuideParser()
    parser.feed(content.decode())
    parser.close()
    return parser


def get_guide(client, path: str) -> GuideParser:
    response = client.get(path)
    assert response.status_code == 200, path
    return parse(response.content)


def broken_links(client, source_path: str, hrefs: list[str]) -> list[str]:
    """Return each internal href whose page or #fragment does not resolve."""
    source = get_guide(client, source_path)
    fetched: dict[str, tuple[int, GuideParser | None]] = {}
    problems = []
    for href in hrefs:
        path, _, fragment = href.partition("#")
        if path.startswith("/static/") or path.startswith("//"):
            continue
        if not path:
            status, target = 200, source
        else:
            if path not in fetched:
                response = client.get(path)
                is_html = "html" in response.get("Content-Type", "")
                ok = response.status_code == 200 and is_html
                fetched[path] = (response.status_code, parse(response.content) if ok else None)
            status, target = fetched[path]
            allowed = {200} if path.startswith("/guide/") else {200, 302}
            if status not in allowed:
                problems.append(f"{href}: status {status}")
                continue
        if fragment and status == 200 and (target is None or fragment not in target.ids):
            problems.append(f"{href}: no element with id {fragment!r}")
    return problems


def internal_hrefs(parser: GuideParser) -> list[str]:
    return [href for href in parser.hrefs if href.startswith(("/", "#"))]


def test_guide_pages_slugs_match_advice_contract():
    assert [page.slug for page in GUIDE_PAGES] == SLUGS


def test_get_page_known_slug_returns_page():
    assert get_page("warm-up") == GUIDE_PAGES[4]


def test_get_page_unknown_slug_returns_none():
    assert get_page("no-such-page") is None


def test_guide_templates_per_page_match_slugs():
    template_dir = Path(__file__).resolve().parent.parent / "templates" / "guide"
    page_templates = {
        path.stem
        for path in template_dir.glob("*.html")
        if path.stem != "index" and not path.stem.startswith("_")
    }
    assert page_templates == set(SLUGS)


@pytest.mark.parametrize("page", GUIDE_PAGES, ids=lambda page: page.slug)
def test_guide_page_any_slug_renders_one_h1_with_reading_time(client, page):
    parser = get_guide(client, reverse("guide_page", args=[page.slug]))

    assert [normalise(text) for text in parser.h1_texts] == [normalise(page.title)]
    assert f"{page.minutes} min read" in parser.article_text


@pytest.mark.parametrize("slug", SLUGS)
def test_guide_page_any_slug_shows_disclaimer(client, slug):
    parser = get_guide(client, reverse("guide_page", args=[slug]))
    [disclaimer] = parser.captures["disclaimer"]

    assert "general information" in parser.captured_text("disclaimer")
    assert "not diagnosis" in parser.captured_text("disclaimer").lower()
    assert reverse("guide_page", args=["see-a-professional"]) in disclaimer.hrefs


@pytest.mark.parametrize("slug", SLUGS)
def test_guide_page_any_slug_starts_with_in_short_bullets(client, slug):
    parser = get_guide(client, reverse("guide_page", args=[slug]))
    [in_short] = parser.captures["in-short"]

    assert in_short.list_items >= 3


@pytest.mark.parametrize("slug", SLUGS)
def test_guide_page_any_slug_lists_seed_sources(client, slug):
    parser = get_guide(client, reverse("guide_page", args=[slug]))
    [sources] = parser.captures["sources"]
    sources_text = parser.captured_text("sources")

    assert sources.list_items >= 1
    assert any(normalise(title) in sources_text for title in SEED_TITLES)


@pytest.mark.parametrize("slug", SLUGS)
def test_guide_page_cited_name_listed_in_sources(client, slug):
    parser = get_guide(client, reverse("guide_page", args=[slug]))
    sources_text = parser.captured_text("sources")
    body_text = parser.article_text.replace(sources_text, "")

    for name in CITED_NAMES:
        if name in body_text:
            assert name in sources_text, f"{name} is cited but not in the sources"


@pytest.mark.parametrize("slug", EXERCISE_PAGES)
def test_guide_page_exercise_shows_numbered_how_to(client, slug):
    parser = get_guide(client, reverse("guide_page", args=[slug]))
    how_tos = parser.captures["how-to"]

    assert how_tos
    assert all(how_to.tag == "ol" and how_to.list_items >= 4 for how_to in how_tos)


@pytest.mark.parametrize("slug", SLUGS)
def test_guide_page_any_slug_ids_are_unique(client, slug):
    parser = get_guide(client, reverse("guide_page", args=[slug]))

    assert len(parser.ids) == len(set(parser.ids))


@pytest.mark.parametrize("slug", SLUGS)
def test_guide_page_any_figure_is_labelled_and_fits_a_phone(client, slug):
    parser = get_guide(client, reverse("guide_page", args=[slug]))

    for svg in parser.svgs:
        assert svg.get("role") == "img"
        assert svg.get("aria-label") or svg["has_title"]
        assert svg.get("aria-labelledby") is None or svg["aria-labelledby"] in parser.ids
        assert int(svg.get("width", 0)) <= 350


@pytest.mark.parametrize("page", GUIDE_PAGES, ids=lambda page: page.slug)
def test_guide_page_reading_time_matches_word_count(client, page):
    parser = get_guide(client, reverse("guide_page", args=[page.slug]))
    words = len(parser.article_text.split())

    assert abs(page.minutes - max(1, math.ceil(words / WORDS_PER_MINUTE))) <= 1


@pytest.mark.parametrize(("slug", "fact"), KEY_FACTS)
def test_guide_page_key_fact_appears(client, slug, fact):
    parser = get_guide(client, reverse("guide_page", args=[slug]))

    assert normalise(fact).lower() in parser.article_text.lower()


@pytest.mark.parametrize(("slug", "anchor"), CONTRACT_ANCHORS)
def test_guide_page_contract_anchor_exists(client, slug, anchor):
    parser = get_guide(client, reverse("guide_page", args=[slug]))

    assert anchor in parser.ids


@pytest.mark.parametrize("slug", [None, *SLUGS])
def test_guide_page_internal_links_resolve(client, slug):
    path = reverse("guide_page", args=[slug]) if slug else reverse("guide_index")
    parser = get_guide(client, path)

    assert broken_links(client, path, internal_hrefs(parser)) == []


def test_broken_links_missing_page_or_anchor_reported(client):
    alternatives = reverse("guide_page", args=["alternatives"])
    hrefs = [
        f"{alternatives}#swimming",
        f"{alternatives}#no-such-anchor",
        "/guide/no-such-page/",
        "#no-such-anchor",
    ]

    problems = broken_links(client, alternatives, hrefs)

    assert problems == [
        f"{alternatives}#no-such-anchor: no element with id 'no-such-anchor'",
        "/guide/no-such-page/: status 404",
        "#no-such-anchor: no element with id 'no-such-anchor'",
    ]


def test_guide_index_any_page_linked_with_summary_and_time(client):
    parser = get_guide(client, reverse("guide_index"))

    for page in GUIDE_PAGES:
        assert reverse("guide_page", args=[page.slug]) in parser.hrefs
        assert f"{page.title} {page.summary} {page.minutes} min read" in parser.article_text


def test_guide_page_unknown_slug_returns_404(client):
    response = client.get("/guide/no-such-page/")

    assert response.status_code == 404


@pytest.mark.parametrize("tier", TIERS, ids=lambda tier: tier.code)
def test_see_a_professional_any_tier_headed_by_vocab_name(client, tier):
    parser = get_guide(client, reverse("guide_page", args=["see-a-professional"]))

    assert normalise(parser.headings[tier.anchor]) == tier.name
    assert f"{tier.name}:" in parser.captured_text("in-short")


@pytest.mark.parametrize("tier", TIERS, ids=lambda tier: tier.code)
def test_see_a_professional_any_tier_section_gives_action_and_every_symptom(client, tier):
    parser = get_guide(client, reverse("guide_page", args=["see-a-professional"]))
    section = parser.section_text(tier.anchor).lower()

    assert normalise(tier.action.removesuffix(".")).lower() in section
    for code in symptoms_in(tier.code):
        assert normalise(SYMPTOM_BY_CODE[code].noted).lower() in section, code


def test_see_a_professional_urgent_names_background_that_makes_new_pain_urgent(client):
    parser = get_guide(client, reverse("guide_page", args=["see-a-professional"]))
    urgent = parser.section_text("urgent")
    sources = parser.captured_text("sources")

    assert "New back pain is urgent too" in urgent
    for background in ["had cancer", "steroid", "osteoporosis", "minor fall or strain"]:
        assert background in urgent
    assert "weakened immune system" in urgent
    assert "NICE Clinical Knowledge Summary (CKS)" in sources
    assert "NHS. Back pain." in sources


def test_flare_ups_episodes_explains_the_apps_three_phases(client):
    parser = get_guide(client, reverse("guide_page", args=["flare-ups"]))
    episodes = parser.section_text("episodes")

    for phrase in [
        "acute under 6 weeks",
        "subacute 6–12 weeks",
        "persistent (or chronic) over 12 weeks",
        "pain of 1 or more after at least 7 logged days free of pain",
    ]:
        assert phrase in episodes


def test_training_load_ramp_example_triggers_the_ramp_rule(client):
    parser = get_guide(client, reverse("guide_page", args=["training-load"]))
    section = parser.section_text("ramp")
    match = re.search(r"(\d+) km, then (\d+) km: a (\d+)% rise", section)

    assert match, "the ramp figure's caption names the two totals"
    earlier_km, recent_km, rise_percent = map(int, match.groups())
    on = date(2025, 6, 30)
    fortnights = [
        Day(on - timedelta(days=27), pain=1),
        Day(on - timedelta(days=20), pain=1, ran=True, distance_km=earlier_km),
        Day(on - timedelta(days=6), pain=1, ran=True, distance_km=recent_km),
    ]
    assert ramp(on=on, diary=diary_by_date(days=fortnights, on=on)) is not None
    assert rise_percent == round((recent_km - earlier_km) / earlier_km * 100)
    assert "more than 30% higher and is at least 10 km" in section


@pytest.mark.parametrize("slug", SLUGS)
def test_guide_page_any_impellizzeri_citation_dated_2021(client, slug):
    text = get_guide(client, reverse("guide_page", args=[slug])).article_text

    assert not re.search(r"Impellizzeri[^.;]*2020", text)
    for citation in re.findall(r"Impellizzeri FM et al\. [^A-Z]*Sports Med [^ ]*", text):
        assert citation == "Impellizzeri FM et al. 2021. Sports Med 51(3):581–592."


@pytest.mark.parametrize("slug", SLUGS)
def test_guide_page_ostelo_change_is_important_not_merely_noticed(client, slug):
    text = get_guide(client, reverse("guide_page", args=[slug])).article_text

    assert not re.search(r"smallest change[^.]*notice", text)


@pytest.mark.parametrize(
    "page", [p for p in GUIDE_PAGES if p.slug != "about"], ids=lambda p: p.slug
)
def test_guide_page_lists_its_sources(client, db, page):
    assert page.sources and len(set(page.sources)) == len(page.sources)
    html = client.get(f"/guide/{page.slug}/").content.decode()
    sources = html[html.index('id="sources"') :]
    for text in page.source_texts():
        assert f"<li>{escape(text)}</li>" in sources
