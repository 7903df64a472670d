"""The chart's numbers (pages/trends.py) as tables: no database."""

import random
from datetime import date, timedelta

import pytest

from pages.advice.rules import (
    Day,
    baseline_pain,
    baselines,
    diary_by_date,
    looking_back_patterns,
    ramp,
)
from pages.chart import BOTTOM, HEIGHT, PLOT_H, TOP, _nice_ceiling, layout
from pages.trends import Flare, PainPoint, RunPain, Week, period, trend

MONDAY = date(2026, 11, 2)


def on(n: int) -> date:
    return MONDAY + timedelta(days=n)


def days_of(pains: dict[int, int], **fields) -> list[Day]:
    return [Day(date=on(n), pain=pain, **fields) for n, pain in pains.items()]


@pytest.mark.parametrize(
    ("weeks", "ending", "first"),
    [
        (4, date(2026, 11, 18), date(2026, 10, 26)),  # a Wednesday: 3 whole weeks before it
        (1, date(2026, 11, 16), date(2026, 11, 16)),  # a Monday: just that day
        (12, date(2026, 11, 22), date(2026, 8, 31)),  # a Sunday
    ],
)
def test_period_is_whole_weeks_up_to_the_day(weeks, ending, first):
    assert period(weeks=weeks, ending=ending) == (first, ending)


def test_weeks_sum_runs_and_count_them_and_empty_weeks_are_zero():
    days = [
        Day(on(0), 2, ran=True, distance_km=5.0),
        Day(on(2), 2, ran=True, distance_km=7.25),
        Day(on(3), 3),
        Day(on(15), 2, ran=True, distance_km=10.0),
    ]
    found = trend(days=days, first=on(0), last=on(20))
    assert found.weeks == (
        Week(on(0), 12.25, 2, logged=3, mean_pain=7 / 3, worst_pain=3),
        Week(on(7), 0, 0),
        Week(on(14), 10.0, 1, logged=1, mean_pain=2, worst_pain=2),
    )
    assert found.total_km == 22.25


@pytest.mark.parametrize(
    ("pains", "day", "mean"),
    [
        ({0: 2, 1: 4, 2: 6}, 2, 4.0),
        ({0: 2, 6: 4}, 6, 3.0),  # day 0 is still within the 7 days ending on day 6
        ({0: 2, 7: 4}, 7, 4.0),  # ... and no longer on day 7
        ({0: 3}, 5, 3.0),  # a day with no entry still has the mean of the week before it
    ],
)
def test_pain_line_is_the_mean_of_the_logged_days_in_the_last_seven(pains, day, mean):
    found = trend(days=days_of(pains), first=on(0), last=on(day))
    assert {point.day: point.mean for point in found.pain}[on(day)] == mean


def test_pain_line_has_no_point_before_anything_is_logged():
    found = trend(days=days_of({3: 2}), first=on(0), last=on(4))
    assert [point.day for point in found.pain] == [on(3), on(4)]


@pytest.mark.parametrize(
    ("baseline", "band"),
    [(3.0, (1.0, 5.0)), (1.0, (0.0, 3.0)), (None, None)],
)
def test_band_is_two_points_either_side_of_the_baseline(baseline, band):
    assert PainPoint(on(0), 2.0, baseline).band == band


def test_baseline_comes_from_the_days_before_the_period():
    lead = dict.fromkeys(range(-7, 0), 2)
    found = trend(days=days_of(lead | {0: 6}), first=on(0), last=on(0))
    assert found.pain[0].baseline == 2.0
    assert found.pain[0].band == (0.0, 4.0)


@pytest.mark.parametrize(
    ("pain", "zone"), [(0, "low"), (3, "low"), (4, "mid"), (5, "mid"), (6, "high")]
)
def test_run_pain_zones_are_the_pain_monitoring_zones(pain, zone):
    assert RunPain(on(0), pain).zone == zone


def test_run_pain_red_flags_and_their_days():
    days = [
        Day(on(0), 2, ran=True, distance_km=5.0, run_pain=4),
        Day(on(1), 3, symptoms=frozenset({"fever"})),
        Day(on(2), 3, symptoms=frozenset({"leg_pain"})),
    ]
    found = trend(days=days, first=on(0), last=on(2))
    assert found.run_pain == (RunPain(on(0), 4),)
    assert found.red_flag_days == (on(1),)  # fever is urgent; leg pain is only "see soon"


@pytest.mark.parametrize(
    ("pains", "flares"),
    [
        # steady, then a rise of 4 on days 7–8, then three low days: one flare
        ({**dict.fromkeys(range(7), 2), 7: 6, 8: 7, 9: 2, 10: 2, 11: 2}, [(7, 8)]),
        # a rise, one low day, another rise: still the same flare
        ({**dict.fromkeys(range(7), 2), 7: 6, 8: 2, 9: 7, 10: 2, 11: 2, 12: 2}, [(7, 9)]),
        # two rises with three low days between: two flares
        ({**dict.fromkeys(range(7), 2), 7: 6, 8: 2, 9: 2, 10: 2, 11: 2, 12: 2, 13: 2, 14: 7},
         [(7, 7), (14, 14)]),
        (dict.fromkeys(range(14), 2), []),
    ],
)  # fmt: skip
def test_flares_are_runs_of_red_days_until_pain_settles(pains, flares):
    found = trend(days=days_of(pains), first=on(0), last=on(max(pains)))
    assert found.flares == tuple(Flare(on(a), on(b)) for a, b in flares)


def test_ramp_days_are_where_the_two_week_rise_fired():
    steady = [Day(on(n), 2, ran=True, distance_km=3.0) for n in range(14)]
    more = [Day(on(n), 2, ran=True, distance_km=5.0) for n in range(14, 28)]
    found = trend(days=steady + more, first=on(14), last=on(27))
    assert found.ramp_days
    assert all(day >= on(14) for day in found.ramp_days)
    quiet = trend(days=steady, first=on(0), last=on(13))
    assert quiet.ramp_days == ()


def test_a_long_diary_reads_only_the_period_and_its_lead():
    days = [Day(on(n), n % 7) for n in range(-400, 1)]
    found = trend(days=days, first=on(-27), last=on(0))
    assert found.logged_days == 28
    assert found.weeks[0].start == on(-28)


# Where the chart draws them (pages/chart.py) ------------------------------------------


@pytest.mark.parametrize(
    ("value", "ceiling"), [(0, 0), (7, 10), (10, 10), (12, 20), (31, 50), (51, 100), (0.4, 0.5)]
)
def test_distance_axis_tops_at_a_round_number(value, ceiling):
    assert _nice_ceiling(value) == ceiling


def test_bars_scale_to_the_axis_and_the_longest_week_reaches_near_the_top():
    days = [Day(on(0), 2, ran=True, distance_km=40.0), Day(on(7), 2, ran=True, distance_km=20.0)]
    chart = layout(trend(days=days, first=on(0), last=on(13)), unit="km")
    assert [tick.label for tick in chart.distance_ticks] == ["0", "25", "50"]
    first, second = chart.bars
    assert first.height == pytest.approx(PLOT_H * 40 / 50, abs=0.1)
    assert second.height == pytest.approx(first.height / 2, abs=0.1)
    assert first.y + first.height == pytest.approx(HEIGHT - BOTTOM, abs=0.1)


def test_bars_in_miles_use_a_miles_axis():
    days = [Day(on(0), 2, ran=True, distance_km=16.09344)]
    chart = layout(trend(days=days, first=on(0), last=on(6)), unit="mi")
    assert chart.unit == "mi" and chart.distance_ticks[-1].label == "10"


def test_pain_line_breaks_where_nothing_was_logged_for_a_week():
    pains = {0: 2, 1: 3, 12: 4, 13: 4}
    chart = layout(trend(days=days_of(pains), first=on(0), last=on(13)), unit="km")
    assert len(chart.lines) == 2  # days 0–7 carry a mean, days 8–11 none, 12–13 again


def test_pain_ten_is_at_the_top_and_zero_at_the_bottom():
    days = [Day(on(0), 10, ran=True, distance_km=5.0, run_pain=10), Day(on(1), 0, run_pain=None)]
    chart = layout(trend(days=days, first=on(0), last=on(1)), unit="km")
    assert chart.dots[0].y == TOP and chart.dots[0].zone == "high"
    assert [tick.label for tick in chart.pain_ticks] == ["0", "5", "10"]
    assert chart.pain_ticks[0].at == HEIGHT - BOTTOM


def test_band_drawn_only_where_there_is_a_baseline():
    pains = dict.fromkeys(range(10), 2)
    chart = layout(trend(days=days_of(pains), first=on(0), last=on(9)), unit="km")
    assert len(chart.bands) == 1
    xs = [float(pair.split(",")[0]) for pair in chart.bands[0].split()]
    assert min(xs) > chart.left + (chart.plot_width / 10) * 2  # the first days have none


@pytest.mark.parametrize("weeks", [4, 12, 26, 52])
def test_at_most_about_six_date_labels_whatever_the_period(weeks):
    first, last = period(weeks=weeks, ending=on(6))
    chart = layout(trend(days=[], first=first, last=last), unit="km")
    assert 1 <= len(chart.x_ticks) <= 7
    assert len(chart.bars) == weeks


# Patterns, widened for looking back (pages/advice/rules.py) ---------------------------


def runs_then(pairs) -> dict:
    """Each (run fields, next-day pain) as a run day and the day after it."""
    days = []
    for n, (run, pain_after) in enumerate(pairs):
        days.append(Day(on(2 * n), 2, ran=True, **{"distance_km": 5.0} | run))
        days.append(Day(on(2 * n + 1), pain_after))
    return diary_by_date(days=days, on=on(2 * len(pairs)))


LONG, SHORT = {"distance_km": 15.0}, {"distance_km": 5.0}


@pytest.mark.parametrize(
    ("pairs", "expected"),
    [
        # long runs followed by 5, short by 2: 3 each side, 3 points apart
        ([(LONG, 5)] * 3 + [(SHORT, 2)] * 3, ("distance", 5.0, 3, 2.0, 3)),
        # only 2 long runs: too few to compare
        ([(LONG, 5)] * 2 + [(SHORT, 2)] * 4, None),
        # 3 each side but under 1 point apart
        ([(LONG, 3)] * 3 + [(SHORT, 3)] * 3, None),
        # exactly 1 point apart counts
        ([(LONG, 4)] * 3 + [(SHORT, 3)] * 3, ("distance", 4.0, 3, 3.0, 3)),
    ],
)
def test_long_against_short_runs_split_at_the_median(pairs, expected):
    found = [p for p in looking_back_patterns(diary=runs_then(pairs)) if p.kind == "distance"]
    as_tuple = [(p.kind, p.first_mean, p.first_n, p.second_mean, p.second_n) for p in found]
    assert as_tuple == ([expected] if expected else [])


@pytest.mark.parametrize(
    ("pairs", "expected"),
    [
        (
            [({"shoe": "Racers"}, 6)] * 3 + [({"shoe": "Trainers"}, 2)] * 3,
            [("Racers", 6.0, 2.0), ("Trainers", 2.0, 6.0)],
        ),
        # runs without a pair count on the "other" side
        ([({"shoe": "Racers"}, 5)] * 3 + [({}, 2)] * 3, [("Racers", 5.0, 2.0)]),
        ([({"shoe": "Racers"}, 5)] * 2 + [({}, 2)] * 3, []),
    ],
)
def test_each_pair_of_shoes_against_the_other_runs(pairs, expected):
    found = [p for p in looking_back_patterns(diary=runs_then(pairs)) if p.kind == "shoe"]
    assert [(p.label, p.first_mean, p.second_mean) for p in found] == expected


def test_looking_back_keeps_the_surface_and_warm_up_patterns():
    pairs = [({"surface": "road", "warmup": False}, 5)] * 3
    pairs += [({"surface": "trail", "warmup": True}, 2)] * 3
    kinds = [p.kind for p in looking_back_patterns(diary=runs_then(pairs))]
    assert kinds[:2] == ["surface", "warmup"]


def test_the_trend_carries_the_periods_patterns():
    pairs = [(LONG, 5)] * 3 + [(SHORT, 2)] * 3
    days = list(runs_then(pairs).values())
    found = trend(days=days, first=on(0), last=on(11))
    assert [p.kind for p in found.patterns] == ["distance"]


@pytest.mark.parametrize(
    ("first_pain", "last_pain", "direction"),
    [(6, 3, "better"), (6, 4, "better"), (6, 5, "same"), (3, 5, "worse"), (3, 4, "same")],
)
def test_direction_compares_the_last_two_weeks_with_the_first_two(first_pain, last_pain, direction):
    pains = dict.fromkeys(range(14), first_pain) | dict.fromkeys(range(14, 28), 4)
    pains |= dict.fromkeys(range(28, 42), last_pain)
    found = trend(days=days_of(pains), first=on(0), last=on(41))
    assert found.direction == direction


def test_no_direction_with_too_few_days_at_either_end():
    pains = {0: 6, 1: 6} | dict.fromkeys(range(28, 42), 2)
    assert trend(days=days_of(pains), first=on(0), last=on(41)).direction is None


def test_period_numbers_mean_worst_and_warning_symptoms():
    days = days_of({0: 2, 1: 6, 2: 4}) + [Day(on(3), 3, symptoms=frozenset({"fever", "leg_pain"}))]
    found = trend(days=days, first=on(0), last=on(3))
    assert (found.mean_pain, found.worst_pain) == (3.75, 6)
    assert found.red_flags == ((on(3), ("fever",)),)


# The running sums agree with the rules day by day -----------------------------------


def random_diary(seed: int) -> list[Day]:
    rng = random.Random(seed)
    days = []
    for n in range(-60, 120):
        if rng.random() < 0.25:
            continue  # a day not logged
        ran = rng.random() < 0.5
        km = rng.choice([3.0, 5.5, 8.0, 12.25, 21.1]) * (1 + (n > 60)) if ran else None
        days.append(Day(on(n), rng.randint(0, 10), ran=ran, distance_km=km))
    return days


@pytest.mark.parametrize("seed", range(12))
def test_baselines_in_one_pass_match_the_rule_for_each_day(seed):
    days = random_diary(seed)
    diary = {day.date: day for day in days}
    found = baselines(diary=diary, first=on(-40), last=on(119))
    assert found == {on(n): baseline_pain(on=on(n), diary=diary) for n in range(-40, 120)}


@pytest.mark.parametrize("seed", range(12))
def test_the_chart_matches_the_rules_day_by_day(seed):
    days = random_diary(seed)
    logged = {day.date: day for day in days}
    found = trend(days=days, first=on(0), last=on(119))
    in_period = [d for d in days if d.date >= on(0)]
    assert found.ramp_days == tuple(d.date for d in in_period if ramp(on=d.date, diary=logged))
    for point in found.pain:
        dates = [point.day + timedelta(k) for k in range(-6, 1)]
        window = [logged[d] for d in dates if d in logged]
        assert point.mean == pytest.approx(sum(d.pain for d in window) / len(window))
        assert point.baseline == baseline_pain(on=point.day, diary=logged)


@pytest.mark.parametrize(("weeks", "most_points"), [(12, 84), (26, 27), (52, 53)])
def test_long_periods_draw_a_point_a_week(weeks, most_points):
    first, last = period(weeks=weeks, ending=on(6))
    days = [Day(first + timedelta(n), 3) for n in range((last - first).days + 1)]
    chart = layout(trend(days=days, first=first, last=last), unit="km")
    points = sum(len(line.split()) for line in chart.lines)
    assert most_points - 2 <= points <= most_points
    assert len(chart.lines) == 1, "weekly points still make one unbroken line"
