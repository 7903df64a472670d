"""The trends page (/trends/): views with the test client."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

DAY = timedelta(days=1)


def test_trends_needs_a_signed_in_runner(client, db):
    assert client.get("/trends/").status_code == 302


def test_trends_draws_the_chart_with_its_words_and_numbers(signed_in, user, make_entry):
    for ago in range(20):
        ran = ago % 2 == 0
        make_entry(user, days_ago=ago, pain=2 + ago % 3, ran=ran,
                   distance_km=8.0 if ran else None, run_pain=3 if ran else None)  # fmt: skip
    html = signed_in.get("/trends/").content.decode()
    assert '<svg class="chart-svg"' in html and 'role="img"' in html
    assert '<title id="chart-title">Back pain and running' in html
    desc = re.search(r'<desc id="chart-desc">(.*?)</desc>', html).group(1)
    assert "Dots: pain during 10 runs" in desc
    dots = re.findall(r'<path class="dot dot-(\w+)" d="([^"]*)"', html)
    assert [(zone, path.count("M")) for zone, path in dots] == [("low", 10)]  # a circle a run
    table = html[html.index("<table") : html.index("</table>")]
    assert table.count("<tr>") == 1 + 12  # the header and 12 weeks
    assert "20 days logged" in html


@pytest.mark.parametrize("weeks", [4, 12, 26, 52])
def test_each_period_has_its_weeks(signed_in, user, make_entry, weeks):
    make_entry(user, pain=3)
    html = signed_in.get(f"/trends/?weeks={weeks}").content.decode()
    table = html[html.index("<tbody>") : html.index("</tbody>")]
    assert table.count("<tr>") == weeks
    assert f'href="?weeks={weeks}" aria-current="page"' in html


@pytest.mark.parametrize("weeks", ["3", "abc", "-4", "1000000", ""])
def test_an_unknown_period_says_so_and_shows_twelve_weeks(signed_in, user, make_entry, weeks):
    make_entry(user, pain=3)
    response = signed_in.get(f"/trends/?weeks={weeks}")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose a period of 4, 12, 26 or 52 weeks." in html
    assert 'href="?weeks=12" aria-current="page"' in html


def test_nothing_logged_says_why_there_is_no_chart(signed_in, user, make_entry):
    make_entry(user, days_ago=200, pain=3)
    html = signed_in.get("/trends/?weeks=4").content.decode()
    assert "<svg" not in html
    assert "Nothing logged in these 4 weeks" in html


def test_distances_in_the_runners_unit(signed_in, user, make_entry):
    user.unit = "mi"
    user.save(update_fields=["unit"])
    make_entry(user, pain=2, ran=True, distance_km=16.09344)
    html = signed_in.get("/trends/?weeks=4").content.decode()
    assert "10 mi" in html and "mi/week" in html


def test_another_runners_days_never_appear(signed_in, other_user, make_entry):
    make_entry(other_user, pain=9, ran=True, distance_km=42.0, run_pain=9)
    html = signed_in.get("/trends/").content.decode()
    assert "<svg" not in html and "42" not in html


def test_trends_is_kept_out_of_shared_caches(signed_in, user, make_entry):
    make_entry(user, pain=2)
    assert signed_in.get("/trends/")["Cache-Control"] == "no-store"


def test_trends_a_new_entry_shows_at_once(signed_in, user, make_entry):
    make_entry(user, days_ago=1, pain=2)
    assert "1 day logged" in signed_in.get("/trends/").content.decode()
    make_entry(user, pain=4, date=timezone.localdate())
    assert "2 days logged" in signed_in.get("/trends/").content.decode()


def test_the_diary_links_to_trends(signed_in, user, make_entry):
    make_entry(user, pain=2)
    assert 'href="/trends/"' in signed_in.get("/diary/").content.decode()


def test_patterns_shown_with_their_numbers_and_the_caution(signed_in, user, make_entry, make_shoe):
    racers = make_shoe(user, name="Racers")
    for n in range(6):
        long = n < 3
        make_entry(user, days_ago=2 * n + 2, pain=2, ran=True, distance_km=15.0 if long else 5.0,
                   shoe=racers if long else None)  # fmt: skip
        make_entry(user, days_ago=2 * n + 1, pain=6 if long else 2)
    html = signed_in.get("/trends/").content.decode()
    patterns = html[html.index('id="patterns-title"') :]
    assert "Your next-day pain has been higher after your longer runs." in patterns
    assert "after runs in Racers" in patterns
    assert "averaged 6.0 (n=3)" in patterns and "2.0 (n=3)" in patterns
    assert "A pattern is not a cause." in patterns


def test_no_pattern_yet_says_what_it_needs(signed_in, user, make_entry):
    make_entry(user, pain=2, ran=True, distance_km=5.0)
    html = signed_in.get("/trends/").content.decode()
    assert "Nothing stands out yet." in html and "at least 3 runs on each side" in html


def test_warning_days_and_a_fast_build_up_are_marked_on_the_chart(signed_in, user, make_entry):
    make_entry(user, days_ago=2, pain=3, symptoms=["fever"])
    make_entry(user, days_ago=40, pain=2)  # a diary older than both fortnights
    for ago in (24, 20):  # 10 km in the fortnight before, then 20 km in the last one
        make_entry(user, days_ago=ago, pain=2, ran=True, distance_km=5.0)
    for ago in (12, 9, 6, 1):
        make_entry(user, days_ago=ago, pain=2, ran=True, distance_km=5.0)
    html = signed_in.get("/trends/?weeks=4").content.decode()
    flags = re.search(r'<path class="red-flag" d="([^"]*)"', html).group(1)
    assert flags.count("M") == 1  # one triangle: the fever day
    ramps = re.search(r'<path class="ramp" d="([^"]*)"', html).group(1)
    assert ramps.count("M") >= 1
    assert "warning symptom</span>" in html and "fast build-up</span>" in html
