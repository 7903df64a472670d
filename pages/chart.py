"""Where each mark of the trends chart goes: a Trend (pages/trends.py) in, plain shapes out,
for templates/pages/_chart.html to draw as inline SVG. No Django, no chart library.

The chart is one picture with two scales: pain 0–10 on the left (the 7-day mean line, the
band around the baseline, and each run's pain as a dot), and distance on the right (one
bar a week). Flares shade the days they cover; red-flag days and ramp days are marked
along the top and the bottom."""

import math
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from pages.trends import PainPoint, Trend
from pages.units import from_km, show_day

WIDTH = 360
HEIGHT = 220
LEFT, RIGHT, TOP, BOTTOM = 26, 34, 24, 24  # room for the axes' labels
PLOT_W = WIDTH - LEFT - RIGHT
PLOT_H = HEIGHT - TOP - BOTTOM
MAX_PAIN = 10
DAILY_UP_TO_DAYS = 13 * 7  # a point a day up to 12 weeks and the current one
DOT_RADIUS = 3.5
DOT_ZONES = ("low", "mid", "high")  # pages.vocab.pain_band's names, in drawing order


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float


class Dot(NamedTuple):
    x: float
    y: float
    zone: str


class _Placed(NamedTuple):
    """A point of the pain line where it is drawn: its y, and its band's top and bottom."""

    day: date
    x: float
    y: float
    band: tuple[float, float] | None


class Tick(NamedTuple):
    at: float  # x for a date, y for a pain or a distance
    label: str


@dataclass
class Chart:
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    top: int = TOP
    plot_width: int = PLOT_W
    plot_height: int = PLOT_H
    bars: list[Bar] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)  # polyline points, one per unbroken run
    bands: list[str] = field(default_factory=list)  # polygon points
    dots: list[Dot] = field(default_factory=list)
    flares: list[Bar] = field(default_factory=list)
    red_flags: str = ""  # path data: a triangle above the plot for each day
    ramps: str = ""  # path data: a chevron under the plot for each day
    x_ticks: list[Tick] = field(default_factory=list)
    pain_ticks: list[Tick] = field(default_factory=list)
    distance_ticks: list[Tick] = field(default_factory=list)
    unit: str = "km"

    # Each kind of mark as one SVG path: one element instead of one per mark, however long
    # the period (a year has 53 bars), and far less for the template to render.
    @property
    def bar_path(self) -> str:
        return "".join(_rect(bar) for bar in self.bars if bar.height and bar.width)

    @property
    def flare_path(self) -> str:
        return "".join(_rect(flare) for flare in self.flares)

    @property
    def dot_paths(self) -> list[tuple[str, str]]:
        """(zone, path) for the zones that have a dot, the highest drawn last, on top."""
        paths = dict.fromkeys(DOT_ZONES, "")
        for dot in self.dots:
            paths[dot.zone] += _circle(dot.x, dot.y)
        return [(zone, path) for zone, path in paths.items() if path]

    @property
    def bottom(self) -> int:
        return self.top + self.plot_height

    @property
    def right(self) -> int:
        return self.left + self.plot_width


def layout(trend: Trend, *, unit: str) -> Chart:
    days = (trend.last - trend.first).days + 1
    step = PLOT_W / days

    def x(day: date) -> float:
        return LEFT + ((day - trend.first).days + 0.5) * step

    def y_pain(pain: float) -> float:
        return TOP + PLOT_H * (1 - pain / MAX_PAIN)

    chart = Chart(unit=unit)
    top_distance = _nice_ceiling(
        max((from_km(w.distance_km, unit) for w in trend.weeks), default=0)
    )
    for week in trend.weeks:
        shown = max(week.start, trend.first)
        span = min(7 - (shown - week.start).days, (trend.last - shown).days + 1)
        height = PLOT_H * from_km(week.distance_km, unit) / top_distance if top_distance else 0
        left = x(shown) - step / 2
        chart.bars.append(
            _bar(left + step * 0.1, TOP + PLOT_H - height, step * (span - 0.2), height)
        )
    # Over a quarter, a phone has fewer pixels than days: the line takes each week's
    # 7-day mean (the Sundays, and the last day).
    gap = 1 if days <= DAILY_UP_TO_DAYS else 7

    def place(point: PainPoint) -> _Placed:
        band = point.band
        edges = (y_pain(band[1]), y_pain(band[0])) if band else None
        return _Placed(point.day, x(point.day), y_pain(point.mean), edges)

    line = [place(p) for p in trend.pain if gap == 1 or p.day.weekday() == 6 or p.day == trend.last]
    chart.lines = [_points((p.x, p.y) for p in run) for run in _runs(line, gap)]
    # Each band forward along its top edge and back along its bottom one.
    chart.bands = [
        _points([(p.x, p.band[0]) for p in run] + [(p.x, p.band[1]) for p in reversed(run)])
        for run in _runs([p for p in line if p.band], gap)
    ]
    chart.dots = [Dot(_r(x(r.day)), _r(y_pain(r.pain)), r.zone) for r in trend.run_pain]
    chart.flares = [
        _bar(x(f.first) - step / 2, TOP, step * ((f.last - f.first).days + 1), PLOT_H)
        for f in _clipped(trend)
    ]
    chart.red_flags = "".join(f"M{_r(x(day))} {TOP - 1}l-4 -8h8z" for day in trend.red_flag_days)
    chart.ramps = "".join(
        f"M{_r(x(day)) - 4} {TOP + PLOT_H + 9}l4 -5l4 5" for day in trend.ramp_days
    )
    chart.x_ticks = _x_ticks(trend, x)
    chart.pain_ticks = [Tick(_r(y_pain(p)), str(p)) for p in (0, 5, 10)]
    chart.distance_ticks = [
        Tick(_r(TOP + PLOT_H * (1 - v / top_distance)), f"{v:g}")
        for v in (0, top_distance / 2, top_distance)
        if top_distance
    ]
    return chart


def _nice_ceiling(value: float) -> float:
    """The axis top: 10, 20, 50, 100... the first at or above the largest week."""
    if value <= 0:
        return 0
    power = 10 ** math.floor(math.log10(value))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= value)


def _runs(points, gap: int = 1):
    """Points at most `gap` days apart as one run; a longer gap breaks the line."""
    run = []
    for point in points:
        if run and (point.day - run[-1].day).days > gap:
            yield run
            run = []
        run.append(point)
    if run:
        yield run


def _clipped(trend: Trend):
    for flare in trend.flares:
        first, last = max(flare.first, trend.first), min(flare.last, trend.last)
        if first <= last:
            yield type(flare)(first, last)


def _x_ticks(trend: Trend, x) -> list[Tick]:
    weeks = [week.start for week in trend.weeks if week.start >= trend.first]
    every = max(1, math.ceil(len(weeks) / 6))  # at most about six labels across a phone
    return [Tick(_r(x(day)), show_day(day)) for day in weeks[::every]]


def _bar(x: float, y: float, width: float, height: float) -> Bar:
    return Bar(_r(x), _r(y), _r(max(width, 0)), _r(max(height, 0)))


def _points(pairs) -> str:
    return " ".join(f"{px:.1f},{py:.1f}" for px, py in pairs)


def _rect(bar: Bar) -> str:
    return f"M{bar.x:g} {bar.y:g}h{bar.width:g}v{bar.height:g}h-{bar.width:g}z"


def _circle(x: float, y: float) -> str:
    """Two half-circle arcs from the left edge round to it again."""
    r, d = DOT_RADIUS, 2 * DOT_RADIUS
    return f"M{x - r:.1f} {y:g}a{r:g} {r:g} 0 1 0 {d:g} 0a{r:g} {r:g} 0 1 0 -{d:g} 0"


def _r(value: float) -> float:
    return round(value, 1)
