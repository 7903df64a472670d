from datetime import date, timedelta

import pytest

from pages.advice import (
    HISTORY_DAYS,
    TIPS,
    Day,
    Shoe,
    advise,
    baseline_pain,
    diary_by_date,
    episode,
    load_ratio,
    ramp,
)

ON = date(2025, 6, 30)

RED = ["swap_running", *["alternative"] * 5]
AMBER = ["run_easier", *["alternative"] * 5]
GREEN = ["tip"]


def diary(entries: dict[int, int | dict]) -> list[Day]:
    """Days keyed by offset from ON (0 is today, -1 yesterday); a value is the day's pain, or
    a dict of Day fields."""
    return [
        Day(
            date=ON + timedelta(days=offset),
            **({"pain": value} if isinstance(value, int) else value),
        )
        for offset, value in entries.items()
    ]


def run(pain: int, km: float = 5.0, surface: str = "road", **fields) -> dict:
    return {"pain": pain, "ran": True, "distance_km": km, "surface": surface, **fields}


def same(pain: int, first: int, last: int) -> dict[int, int]:
    return dict.fromkeys(range(first, last + 1), pain)


def by_date(entries: dict[int, int | dict]) -> dict[date, Day]:
    return diary_by_date(days=diary(entries), on=ON)


def stalled(*, red_offset: int = -14, recent_pain: int = 5, km_after: float = 5.0) -> dict:
    """Two road runs of 20 km, then a red day (pain 3 → 6 after a run), then running cut to
    km_after, and the last 7 days at recent_pain."""
    r = red_offset
    return {
        r - 6: run(3, 20),
        r - 3: 3,
        r - 2: 3,
        r - 1: run(3, 20),
        r: 6,
        r + 4: run(5, km_after),
        **same(recent_pain, -6, 0),
    }


def fortnights(previous_km: tuple[float, float], last_km: tuple[float, float]) -> dict:
    """Two runs in the fortnight before last (days -20, -16), two in the last (-6, -2)."""
    runs = dict(zip((-20, -16, -6, -2), (*previous_km, *last_km), strict=True))
    return {offset: run(2, km) for offset, km in runs.items() if km} | {0: 2}


def surfaces(road_next_day: list[int], soft_next_day: list[int]) -> dict:
    """Road runs at -20, -18, … and trail runs at -12, -10, …, each followed by a logged day."""
    entries: dict = {0: 3}
    for i, pain in enumerate(road_next_day):
        entries |= {-20 + 2 * i: run(3), -19 + 2 * i: pain}
    for i, pain in enumerate(soft_next_day):
        entries |= {-12 + 2 * i: run(3, surface="trail"), -11 + 2 * i: pain}
    return entries


def warmups(with_next_day: list[int], without_next_day: list[int]) -> dict:
    entries: dict = {0: 2}
    for i, pain in enumerate(without_next_day):
        entries |= {-26 + 2 * i: run(2, surface="mixed"), -25 + 2 * i: pain}
    for i, pain in enumerate(with_next_day):
        entries |= {-12 + 2 * i: run(2, surface="mixed", warmup=True), -11 + 2 * i: pain}
    return entries


def episode_from(start_offset: int, pain_free_days: int = 7) -> dict:
    """Pain-free days just before start_offset, then pain (sparse, then daily from day -3)."""
    return {
        **same(0, start_offset - pain_free_days, start_offset - 1),
        start_offset: 1,
        **same(2, -3, 0),
    }


BASE = {-3: 2, -2: 2, -1: 2, 0: 2}
SETTLED = {-6: 2, -5: 2, -4: 2, -3: 6, -2: 2, -1: 2, 0: 2}


def case(case_id, entries, status, kinds, *, shoes=(), unit="km"):
    return pytest.param(entries, shoes, unit, status, kinds, id=case_id)


TABLE = [
    # Rule 2: baseline needs 3 entries in the previous 14 days.
    case("baseline_two_entries_pain5_amber", {-2: 3, -1: 3, 0: 5}, "amber", AMBER),
    case("baseline_three_entries_rise2_red", {-3: 3, -2: 3, -1: 3, 0: 5}, "red", RED),
    case("baseline_entries_spread_over_14_days_red", {-12: 3, -10: 3, -1: 3, 0: 5}, "red", RED),
    case("baseline_third_entry_15_days_ago_amber", {-15: 3, -2: 3, -1: 3, 0: 5}, "amber", AMBER),
    case("baseline_none_in_last_7_days_amber", {-13: 3, -12: 3, -11: 3, 0: 5}, "amber", AMBER),
    # Rule 3: red triggers.
    case("rise_exactly_2_red", {-3: 2, -2: 2, -1: 2, 0: 4}, "red", RED),
    case("rise_1_green", {-3: 2, -2: 2, -1: 2, 0: 3}, "green", GREEN),
    case("rise_1_to_4_amber", {-3: 3, -2: 3, -1: 3, 0: 4}, "amber", AMBER),
    case("rise_2_from_fraction_red", {-3: 2, -2: 3, -1: 3, 0: 5}, "red", RED),
    case("rise_under_2_from_fraction_amber", {-3: 3, -2: 3, -1: 4, 0: 5}, "amber", AMBER),
    case("no_baseline_pain6_red", {0: 6}, "red", RED),
    case("no_baseline_pain5_amber", {0: 5}, "amber", AMBER),
    case("steady_pain6_with_baseline_red", {-3: 6, -2: 6, -1: 6, 0: 6}, "red", RED),
    case("steady_pain5_with_baseline_amber", {-3: 5, -2: 5, -1: 5, 0: 5}, "amber", AMBER),
    case("run_pain_6_red", {**BASE, 0: run(2, run_pain=6)}, "red", RED),
    case("run_pain_5_amber", {**BASE, 0: run(2, run_pain=5)}, "amber", AMBER),
    case("run_pain_4_amber", {**BASE, 0: run(2, run_pain=4)}, "amber", AMBER),
    case("run_pain_3_green", {**BASE, 0: run(2, run_pain=3)}, "green", GREEN),
    case("ran_yesterday_same_pain_green", {-3: 2, -2: 2, -1: run(2), 0: 2}, "green", GREEN),
    case("ran_yesterday_one_point_higher_red", {-3: 2, -2: 2, -1: run(2), 0: 3}, "red", RED),
    case("ran_two_days_ago_one_point_higher_green", {-3: 2, -2: run(2), 0: 3}, "green", GREEN),
    # Rules 4–5: amber and green.
    case("pain3_no_baseline_green", {0: 3}, "green", GREEN),
    case("pain4_no_baseline_amber", {0: 4}, "amber", AMBER),
    case("pain0_green", {-3: 0, -2: 0, -1: 0, 0: 0}, "green", GREEN),
    # Rule 1: red flags and precedence.
    case(
        "emergency_with_low_pain_only_emergency",
        {**BASE, 0: {"pain": 2, "symptoms": frozenset({"saddle_numbness"})}},
        "emergency",
        ["emergency"],
    ),
    case(
        "emergency_with_red_pain_and_worn_shoes_only_emergency",
        {**BASE, 0: {"pain": 8, "symptoms": frozenset({"bladder_bowel", "fever"})}},
        "emergency",
        ["emergency"],
        shoes=[Shoe("Old", 900)],
    ),
    case(
        "urgent_with_low_pain_then_tip",
        {**BASE, 0: {"pain": 2, "symptoms": frozenset({"fever"})}},
        "urgent",
        ["urgent", *GREEN],
    ),
    case(
        "urgent_and_see_soon_with_red_pain_urgent_first",
        {**BASE, 0: {"pain": 7, "symptoms": frozenset({"night_pain", "leg_pain"})}},
        "urgent",
        ["urgent", *RED],
    ),
    case(
        "see_soon_symptom_with_amber_pain",
        {**BASE, 0: {"pain": 3, "run_pain": 4, "symptoms": frozenset({"leg_pain"})}},
        "see_soon",
        ["see_soon", *AMBER],
    ),
    case(
        "see_soon_symptom_with_red_pain",
        {**BASE, 0: {"pain": 6, "symptoms": frozenset({"daily_life"})}},
        "see_soon",
        ["see_soon", *RED],
    ),
    case(
        "unknown_symptom_code_ignored_green",
        {**BASE, 0: {"pain": 2, "symptoms": frozenset({"hiccups"})}},
        "green",
        GREEN,
    ),
    case(
        "six_weeks_of_pain_with_urgent_symptom_urgent",
        {**same(4, -41, -1), 0: {"pain": 4, "symptoms": frozenset({"weight_loss"})}},
        "urgent",
        ["urgent", *AMBER],
    ),
    # See soon with no symptom: 6 weeks of pain ≥ 4 on most logged days.
    case("six_weeks_pain4_every_day_see_soon", same(4, -41, 0), "see_soon", ["see_soon", *AMBER]),
    case("five_weeks_pain4_amber", same(4, -34, 0), "amber", AMBER),
    case(
        "six_weeks_pain4_on_exactly_half_green",
        {offset: 4 if offset % 2 else 3 for offset in range(-41, 1)},
        "green",
        GREEN,
    ),
    case(
        "six_weeks_pain4_on_just_over_half_see_soon",
        {offset: 4 if offset % 2 or offset == -40 else 3 for offset in range(-41, 1)},
        "see_soon",
        ["see_soon", *GREEN],
    ),
    # See soon with no symptom: no improvement after 2 weeks of reduced running.
    case("no_improvement_after_2_weeks_see_soon", stalled(), "see_soon", ["see_soon", *AMBER]),
    case("red_day_13_days_ago_amber", stalled(red_offset=-13), "amber", AMBER),
    case("improved_by_2_points_amber", stalled(recent_pain=4), "amber", AMBER),
    case("running_not_reduced_amber", stalled(km_after=40), "amber", AMBER),
    # Rule 6: settling.
    case(
        "two_low_days_after_red_green",
        {-5: 2, -4: 2, -3: 2, -2: 6, -1: 2, 0: 2},
        "green",
        GREEN,
    ),
    case("three_low_days_after_red_settling", SETTLED, "green", ["settling", "tip"]),
    case(
        "low_days_after_red_14_days_ago_settling",
        {-17: 2, -16: 2, -15: 2, -14: 6, **same(2, -13, 0)},
        "green",
        ["settling", "tip"],
    ),
    case(
        "low_days_after_red_15_days_ago_green",
        {-18: 2, -17: 2, -16: 2, -15: 6, **same(2, -14, 0)},
        "green",
        GREEN,
    ),
    case("low_days_after_red_but_pain4_today_amber", {**SETTLED, 0: 4}, "amber", AMBER),
    # Rule 7: training load.
    case("ramp_exactly_30_percent_green", fortnights((20, 20), (26, 26)), "green", GREEN),
    case(
        "ramp_just_over_30_percent_flags",
        fortnights((20, 20), (26, 26.1)),
        "green",
        ["tip", "ramp"],
    ),
    case(
        "ramp_increase_exactly_10km_flags", fortnights((15, 15), (20, 20)), "green", ["tip", "ramp"]
    ),
    case("ramp_increase_under_10km_green", fortnights((15, 15), (20, 19.9)), "green", GREEN),
    case("ramp_small_distances_green", fortnights((2, 3), (6, 8)), "green", GREEN),
    case("ramp_nothing_before_green", fortnights((0, 0), (20, 20)), "green", GREEN),
    case(
        "load_ratio_runs_in_4_weeks_shown",
        {-24: run(2, 4), -17: run(2, 4), -10: run(2, 4), -3: run(2, 4), 0: 2},
        "green",
        ["tip", "load_ratio"],
    ),
    case(
        "load_ratio_runs_in_3_weeks_shown",
        {-24: run(2, 4), -10: run(2, 4), -3: run(2, 4), 0: 2},
        "green",
        ["tip", "load_ratio"],
    ),
    case(
        "load_ratio_runs_in_2_weeks_hidden",
        {-10: run(2, 4), -3: run(2, 4), 0: 2},
        "green",
        GREEN,
    ),
    # Rule 8: shoes.
    case("shoe_479km_no_prompt", BASE, "green", GREEN, shoes=[Shoe("Pegasus", 479)]),
    case("shoe_480km_check", BASE, "green", ["tip", "shoe_check"], shoes=[Shoe("Pegasus", 480)]),
    case("shoe_799km_check", BASE, "green", ["tip", "shoe_check"], shoes=[Shoe("Pegasus", 799.9)]),
    case("shoe_at_limit_replace", BASE, "green", ["tip", "shoe_replace"], shoes=[Shoe("P", 800)]),
    case(
        "shoe_at_custom_limit_replace",
        BASE,
        "green",
        ["tip", "shoe_replace"],
        shoes=[Shoe("Racers", 400, limit_km=400)],
    ),
    case(
        "shoes_several_prompted_in_order",
        BASE,
        "green",
        ["tip", "shoe_replace", "shoe_check"],
        shoes=[Shoe("Old", 850), Shoe("New", 100), Shoe("Middle", 500)],
    ),
    case(
        "shoe_300mi_check",
        BASE,
        "green",
        ["tip", "shoe_check"],
        shoes=[Shoe("P", 482.81)],
        unit="mi",
    ),
    case("shoe_299mi_no_prompt", BASE, "green", GREEN, shoes=[Shoe("P", 482.6)], unit="mi"),
    case(
        "no_entry_today_shoe_prompt_only", {-1: 2}, "none", ["shoe_replace"], shoes=[Shoe("P", 900)]
    ),
    case("no_entry_today_nothing", {-3: 2, -2: 8, -1: 2}, "none", []),
    # Rule 9: patterns.
    case(
        "surface_3_against_3_pattern",
        surfaces([5, 5, 5], [3, 3, 3]),
        "green",
        ["tip", "pattern_surface"],
    ),
    case("surface_2_against_3_no_pattern", surfaces([5, 5], [3, 3, 3]), "green", GREEN),
    case("surface_means_under_1_apart_no_pattern", surfaces([4, 4, 3], [3, 3, 3]), "green", GREEN),
    case(
        "warmup_3_against_3_pattern",
        warmups([2, 2, 2], [4, 4, 3]),
        "green",
        ["tip", "pattern_warmup"],
    ),
    case("warmup_3_against_2_no_pattern", warmups([2, 2, 2], [4, 4]), "green", GREEN),
    # Rule 10: episode.
    case("episode_after_7_pain_free_days", episode_from(-5), "green", ["tip", "episode"]),
    case("episode_after_6_pain_free_days_none", episode_from(-5, pain_free_days=6), "green", GREEN),
    case("episode_persistent_start", episode_from(-85), "green", ["tip", "episode"]),
    case("episode_pain0_today_none", same(0, -10, 0), "green", GREEN),
]


@pytest.mark.parametrize(("entries", "shoes", "unit", "status", "kinds"), TABLE)
def test_advise_table_status_and_kinds(entries, shoes, unit, status, kinds):
    advice = advise(on=ON, days=diary(entries), shoes=shoes, unit=unit)
    assert (advice.status, advice.kinds) == (status, kinds)


@pytest.mark.parametrize(("entries", "shoes", "unit", "status", "kinds"), TABLE)
def test_advise_any_diary_every_suggestion_explained_and_linked(
    entries, shoes, unit, status, kinds
):
    advice = advise(on=ON, days=diary(entries), shoes=shoes, unit=unit)
    assert advice.headline
    for suggestion in advice.suggestions:
        assert suggestion.message and suggestion.reason
        assert suggestion.link.startswith("/guide/")
        text = f"{suggestion.message} {suggestion.reason}".lower()
        assert "streak" not in text
        assert "in a row" not in text


def test_table_has_at_least_40_cases():
    assert len(TABLE) >= 40


def test_red_reason_states_todays_and_usual_pain():
    advice = advise(on=ON, days=diary({-3: 3, -2: 3, -1: 3, 0: 6}))
    swap = advice.suggestions[0]
    assert swap.kind == "swap_running"
    assert "swimming, cycling or yoga" in swap.message
    assert "your pain today is 6, up from your usual 3" in swap.reason.lower()
    assert advice.baseline == 3


def test_red_reason_states_run_pain_and_overnight_rise():
    entries = {-3: 2, -2: 2, -1: run(2), 0: run(3, run_pain=7)}
    reason = advise(on=ON, days=diary(entries)).suggestions[0].reason
    assert "run was 7" in reason
    assert "from 2 to 3" in reason


def test_red_alternatives_in_order_each_linked_to_its_section():
    advice = advise(on=ON, days=diary({0: 8}))
    alternatives = advice.suggestions[1:]
    assert [s.activity for s in alternatives] == [
        "swimming",
        "cycling",
        "yoga",
        "walking",
        "elliptical",
    ]
    assert [s.link for s in alternatives] == [
        f"/guide/alternatives/#{s.activity}" for s in alternatives
    ]
    assert all("8" in s.reason for s in alternatives)


def test_amber_reason_states_pain_and_usual():
    advice = advise(on=ON, days=diary({-3: 3, -2: 3, -1: 3, 0: 4}))
    assert advice.suggestions[0].kind == "run_easier"
    assert "4, up from your usual 3" in advice.suggestions[0].reason


def test_emergency_says_call_emergency_services_and_links_emergency():
    entries = {**BASE, 0: {"pain": 1, "symptoms": frozenset({"trauma"})}}
    advice = advise(on=ON, days=diary(entries), shoes=[Shoe("Old", 900)])
    (only,) = advice.suggestions
    assert "emergency services" in only.message
    assert "emergency department" in only.message
    assert "fall or accident" in only.reason
    assert only.link == "/guide/see-a-professional/#emergency"


@pytest.mark.parametrize(
    ("symptom", "link"),
    [("night_pain", "#urgent"), ("numbness", "#see-soon")],
)
def test_professional_tier_symptom_links_its_section(symptom, link):
    entries = {**BASE, 0: {"pain": 2, "symptoms": frozenset({symptom})}}
    advice = advise(on=ON, days=diary(entries))
    assert advice.suggestions[0].link == f"/guide/see-a-professional/{link}"


def test_six_weeks_see_soon_reason_counts_days():
    reason = advise(on=ON, days=diary(same(4, -41, 0))).suggestions[0].reason
    assert "42 of the 42 days" in reason


def test_no_improvement_reason_states_distances_and_mean_pain():
    reason = advise(on=ON, days=diary(stalled())).suggestions[0].reason
    assert "16 June 2025" in reason
    assert "5 km" in reason and "40 km" in reason
    assert "averages 5" in reason


def test_green_tip_is_one_of_the_guidance_tips():
    advice = advise(on=ON, days=diary(BASE))
    (tip,) = advice.suggestions
    assert (tip.message, tip.link) in TIPS
    assert "your pain today is 2, the same as your usual 2" in tip.reason.lower()


def test_green_tip_same_day_same_tip():
    first = advise(on=ON, days=diary(BASE)).suggestions[0]
    again = advise(on=ON, days=diary(BASE)).suggestions[0]
    assert first == again


@pytest.mark.parametrize(("unit", "half"), [("km", "about 5 km"), ("mi", "about 3.1 mi")])
def test_settling_message_states_half_usual_distance_in_unit(unit, half):
    entries = {-10: run(2, 8), -8: run(2, 12), -3: 6, -2: 2, -1: 2, 0: 2}
    advice = advise(on=ON, days=diary(entries), unit=unit)
    settling = advice.suggestions[0]
    assert settling.kind == "settling"
    assert half in settling.message
    assert "27 June 2025" in settling.reason
    assert settling.link == "/guide/flare-ups/#settling"
    assert advice.headline.startswith("Your pain has settled")


def test_settling_without_runs_leaves_out_distance():
    message = advise(on=ON, days=diary(SETTLED)).suggestions[0].message
    assert "half your usual distance, on a soft surface" in message


def test_ramp_reason_states_both_fortnights_and_caveat():
    advice = advise(on=ON, days=diary(fortnights((15, 15), (20, 20))))
    found = advice.suggestions[-1]
    assert found.kind == "ramp"
    assert "40 km" in found.reason and "30 km" in found.reason and "33%" in found.reason
    assert "Nielsen" in found.reason and "not a rule" in found.reason
    assert found.link == "/guide/training-load/#ramp"


def test_ramp_in_miles_shows_miles():
    reason = (
        advise(on=ON, days=diary(fortnights((15, 15), (20, 20))), unit="mi").suggestions[-1].reason
    )
    assert "25 mi" in reason and "18.6 mi" in reason
    assert " km" not in reason


def test_load_ratio_reason_states_numbers_and_dispute():
    entries = {-24: run(2, 4), -17: run(2, 4), -10: run(2, 4), -3: run(2, 8), 0: 2}
    found = advise(on=ON, days=diary(entries)).suggestions[-1]
    assert found.kind == "load_ratio"
    assert "1.6 times" in found.message
    assert "8 km" in found.reason and "5 km a week" in found.reason
    assert "disputed" in found.reason
    assert "Gabbett 2016" in found.reason and "Impellizzeri et al. 2020" in found.reason
    assert found.link == "/guide/training-load/#load-ratio"


def test_shoe_check_in_miles_shows_miles():
    advice = advise(on=ON, days=diary(BASE), shoes=[Shoe("Pegasus", 482.81)], unit="mi")
    check = advice.suggestions[-1]
    assert "Pegasus" in check.message
    assert "300 mi" in check.reason and "497 mi" in check.reason
    assert "km" not in check.reason
    assert check.link == "/guide/shoes-and-surfaces/#shoes"


def test_shoe_replace_states_distance_and_limit():
    advice = advise(on=ON, days=diary(BASE), shoes=[Shoe("Pegasus", 812.4)])
    assert advice.suggestions[-1].reason == "They have 812 km on them, and their limit is 800 km."


def test_surface_pattern_states_n_and_both_means_without_cause():
    found = advise(on=ON, days=diary(surfaces([5, 5, 6], [3, 3, 3, 2]))).suggestions[-1]
    assert found.kind == "pattern_surface"
    assert "lower after soft-surface runs" in found.message
    assert "5.3 (n=3)" in found.reason and "2.8 (n=4)" in found.reason
    assert "not proof" in found.reason
    assert "because" not in f"{found.message} {found.reason}".lower()


def test_warmup_pattern_states_which_side_is_higher():
    found = advise(on=ON, days=diary(warmups([4, 4, 4], [2, 2, 2]))).suggestions[-1]
    assert found.kind == "pattern_warmup"
    assert "higher after runs with a warm-up" in found.message
    assert "4.0 (n=3)" in found.reason and "2.0 (n=3)" in found.reason


@pytest.mark.parametrize(
    ("start_offset", "phase"),
    [(-41, "acute"), (-42, "subacute"), (-84, "subacute"), (-85, "persistent")],
)
def test_episode_phase_at_week_boundaries(start_offset, phase):
    found = episode(on=ON, diary=by_date(episode_from(start_offset)))
    assert (found.start, found.phase) == (ON + timedelta(days=start_offset), phase)
    suggestion = advise(on=ON, days=diary(episode_from(start_offset))).suggestions[-1]
    assert f"{phase} episode" in suggestion.reason
    assert f"{found.start.day} {found.start:%B %Y}" in suggestion.reason


def test_episode_short_pain_free_gap_does_not_restart_it():
    entries = {**episode_from(-30), **same(0, -20, -15)}
    assert episode(on=ON, diary=by_date(entries)).start == ON - timedelta(days=30)


def test_episode_no_pain_free_week_past_12_weeks_is_persistent_at_least():
    found = episode(on=ON, diary=by_date({-100: 3, -50: 3, **same(2, -3, 0)}))
    assert (found.phase, found.start_is_known) == ("persistent", False)
    reason = advise(on=ON, days=diary({-100: 3, -50: 3, **same(2, -3, 0)})).suggestions[-1].reason
    assert "since at least" in reason


def test_episode_no_pain_free_week_within_12_weeks_unknown():
    assert episode(on=ON, diary=by_date({-50: 3, **same(2, -3, 0)})) is None


@pytest.mark.parametrize(
    ("entries", "expected"),
    [
        ({-2: 3, -1: 5}, None),
        ({-3: 3, -2: 4, -1: 5}, 4),
        ({-14: 9, -2: 4, -1: 5}, 4.5),
        ({-15: 9, -2: 4, -1: 5}, None),
        ({-13: 3, -12: 3, -8: 3}, None),
        ({-13: 9, -12: 9, -7: 3}, 3),
    ],
)
def test_baseline_pain_previous_7_days_needs_3_entries_in_14(entries, expected):
    assert baseline_pain(on=ON, diary=by_date({**entries, 0: 9})) == expected


@pytest.mark.parametrize(
    ("previous_km", "last_km", "flagged"),
    [
        ((20, 20), (26, 26), False),
        ((20, 20), (26, 26.1), True),
        ((15, 15), (20, 20), True),
        ((15, 15), (20, 19.9), False),
        ((3.3, 3.4), (20, 20.3), True),
    ],
)
def test_ramp_30_percent_and_10km_boundaries(previous_km, last_km, flagged):
    assert (ramp(on=ON, diary=by_date(fortnights(previous_km, last_km))) is not None) == flagged


def test_load_ratio_last_7_days_over_weekly_average():
    entries = {-24: run(2, 10), -17: run(2, 10), -10: run(2, 10), -3: run(2, 20)}
    assert load_ratio(on=ON, diary=by_date(entries)) == pytest.approx(20 / (50 / 4))


def test_advise_ignores_days_after_on_and_before_history():
    entries = {-HISTORY_DAYS - 1: 0, 1: 9, **BASE}
    assert advise(on=ON, days=diary(entries)).kinds == GREEN


def test_advise_no_entry_today_keeps_baseline():
    advice = advise(on=ON, days=diary({-3: 2, -2: 3, -1: 4}))
    assert (advice.status, advice.baseline, advice.status_label) == ("none", 3, "Not logged")


def test_advise_unknown_unit_raises():
    with pytest.raises(ValueError, match="unit"):
        advise(on=ON, days=[], unit="furlong")


def test_ramp_just_over_30_percent_never_reads_as_30():
    reason = advise(on=ON, days=diary(fortnights((20, 20), (26, 26.1)))).suggestions[-1].reason
    assert "up just over 30%" in reason


def test_shoe_check_just_under_limit_rounds_down():
    advice = advise(on=ON, days=diary(BASE), shoes=[Shoe("Pegasus", 799.9)])
    assert "They have 799 km on them" in advice.suggestions[-1].reason


def test_green_tip_varies_from_day_to_day():
    links = set()
    for shift in range(3):
        on = ON + timedelta(days=shift)
        days = [Day(date=on - timedelta(days=back), pain=2) for back in range(4)]
        links.add(advise(on=on, days=days).suggestions[0].link)
    assert links == {link for _, link in TIPS}
