from datetime import timedelta

import pytest
from django.utils import timezone

from pages.models import Entry

TODAY = timezone.localdate()


def log_days(make_entry, user, pains: dict[int, int], **today_fields):
    for days_ago, pain in pains.items():
        fields = today_fields if days_ago == 0 else {}
        make_entry(user, days_ago=days_ago, pain=pain, **fields)


def card_of(html: str) -> str:
    return html.split('id="day-card"')[1].split("</section>")[0]


@pytest.mark.parametrize(
    ("pains", "today_fields", "expected", "status", "badge"),
    [
        ({0: 2, 1: 2, 2: 2, 3: 2}, {}, "Pain is low today: keep going.", "green", "low"),
        ({0: 4, 1: 3, 2: 3, 3: 4}, {}, "if you run, keep it shorter and easier", "amber", "mid"),
        ({0: 6, 1: 3, 2: 3, 3: 3}, {}, "swap running for swimming, cycling or yoga", "red", "high"),
        ({0: 2}, {"symptoms": ["leg_pain"]}, "Book an appointment", "see_soon", "low"),
        ({0: 2}, {"symptoms": ["fever"]}, "Contact a doctor today", "urgent", "high"),
        ({0: 2}, {"symptoms": ["bladder_bowel"]}, "emergency department", "emergency", "high"),
    ],
)
def test_day_page_each_tier_renders_its_message_and_agreeing_badge(
    signed_in, user, make_entry, pains, today_fields, expected, status, badge
):
    log_days(make_entry, user, pains, **today_fields)
    for url in ("/", "/log/", f"/diary/{TODAY.isoformat()}/"):
        html = signed_in.get(url).content.decode()
        assert expected in card_of(html), url
        assert f"status-{status}" in html
        assert f'class="pain-badge pain-{badge}"' in html


def test_day_card_run_pain_red_badge_agrees_though_pain_is_low(signed_in, user, make_entry):
    log_days(make_entry, user, {0: 2, 1: 2, 2: 2, 3: 2}, ran=True, distance_km=5, run_pain=7)
    html = signed_in.get("/").content.decode()
    card = card_of(html)
    assert "colour-red" in html and 'class="pain-badge pain-high"' in card
    assert "swap your next run" in card


def test_see_soon_keeps_the_traffic_light_beside_it(signed_in, user, make_entry):
    log_days(make_entry, user, {0: 4, 1: 3, 2: 3, 3: 4}, symptoms=["leg_pain"])
    html = signed_in.get("/").content.decode()
    card = card_of(html)
    assert card.index("See a professional soon") < card.index(">Amber<")
    assert "colour-amber" in html


def test_red_day_card_is_one_headline_then_a_compact_list(signed_in, user, make_entry):
    log_days(make_entry, user, {0: 6, 1: 3, 2: 3, 3: 3})
    card = card_of(signed_in.get("/").content.decode())
    assert "6, up from your usual 3" in card
    assert card.count("swap running for swimming, cycling or yoga") == 1
    assert card.count("Easier on your back while your pain is up:") == 1
    for anchor in ("swimming", "cycling", "yoga", "walking", "elliptical"):
        assert f'href="/guide/alternatives/#{anchor}"' in card
    assert card.count('class="did-instead"') == 5
    assert card.count("Your pain today is") == 1


def test_emergency_hides_exercise_advice_and_offers_a_call(signed_in, user, make_entry, make_shoe):
    make_shoe(user, start_km=900)
    log_days(make_entry, user, {0: 8, 1: 2, 2: 2, 3: 2}, symptoms=["saddle_numbness"])
    card = card_of(signed_in.get("/").content.decode())
    assert "emergency department" in card
    assert 'href="tel:112"' in card
    for exercise in ("did-instead", "Swap running", "swap running", "shoes", "Red<"):
        assert exercise not in card


def test_urgent_shows_no_running_advice(signed_in, user, make_entry):
    log_days(make_entry, user, {0: 7, 1: 3, 2: 3, 3: 3}, symptoms=["night_pain"])
    card = card_of(signed_in.get("/").content.decode())
    assert "Contact a doctor today" in card
    for running in ("swap running", "did-instead", "keep going", "Red<", "tip"):
        assert running not in card


def test_htmx_save_shows_status_on_card(signed_in, user, make_entry):
    log_days(make_entry, user, {1: 2, 2: 2, 3: 2})
    response = signed_in.post("/log/", {"pain": "7"}, headers={"HX-Request": "true"})
    assert "status-red" in response.content.decode()
    assert "7, up from your usual 2" in response.content.decode()


def test_no_js_save_redirect_shows_status(signed_in, user, make_entry):
    log_days(make_entry, user, {1: 2, 2: 2, 3: 2})
    response = signed_in.post("/log/", {"pain": "7"}, follow=True)
    assert "status-red" in response.content.decode()


def test_red_day_never_shames(signed_in, user, make_entry):
    log_days(make_entry, user, {0: 9, 1: 2, 2: 2, 3: 2})
    html = signed_in.get("/").content.decode().lower()
    for word in ("streak", "failed", "broke", "should have"):
        assert word not in html


def test_did_instead_sets_the_activitys_minutes_as_new_version(signed_in, user, make_entry):
    entry = make_entry(user, pain=6, alternatives=[{"kind": "yoga", "minutes": 10}])
    url = f"/diary/{TODAY.isoformat()}/did-instead/"
    response = signed_in.post(url, {"activity": "swimming", "minutes": "30", "next": "/"})
    assert response.url == "/"
    signed_in.post(url, {"activity": "yoga", "minutes": "15", "next": "/"})
    entry.refresh_from_db()
    assert entry.alternatives == [
        {"kind": "swimming", "minutes": 30},
        {"kind": "yoga", "minutes": 15},
    ]
    assert entry.version == 3


def test_did_instead_tapped_twice_never_doubles_the_minutes(signed_in, user, make_entry):
    entry = make_entry(user, pain=6)
    url = f"/diary/{TODAY.isoformat()}/did-instead/"
    for _ in range(2):
        signed_in.post(url, {"activity": "swimming", "minutes": "20"}, headers=HTMX_CARD)
    entry.refresh_from_db()
    assert (entry.alternatives, entry.version) == ([{"kind": "swimming", "minutes": 20}], 2)


HTMX_CARD = {"HX-Request": "true", "HX-Target": "day-card"}
HTMX_DAY = {"HX-Request": "true", "HX-Target": "daybody"}


def yoga_on_a_red_day(client, make_entry, user, *, next_path: str, headers: dict) -> str:
    log_days(make_entry, user, {0: 7, 1: 2, 2: 2, 3: 2})
    url = f"/diary/{TODAY.isoformat()}/did-instead/"
    response = client.post(
        url, {"activity": "yoga", "minutes": "20", "next": next_path}, headers=headers
    )
    assert response.status_code == 200
    return response.content.decode()


def test_did_instead_htmx_from_home_answers_the_card_alone(signed_in, user, make_entry):
    html = yoga_on_a_red_day(signed_in, make_entry, user, next_path="/", headers=HTMX_CARD)
    assert html.lstrip().startswith('<section class="card day-card')
    assert "Saved: 20 min of yoga." in html and "yoga 20 min" in html
    assert 'data-url="/"' in html and 'name="next" value="/"' in html
    assert "entry-form" not in html


def test_did_instead_htmx_from_the_log_page_renews_the_form(signed_in, user, make_entry):
    html = yoga_on_a_red_day(signed_in, make_entry, user, next_path="/log/", headers=HTMX_DAY)
    assert 'id="day-card"' in html and "Saved: 20 min of yoga." in html
    # The form below builds on the new version and posts to the page, not to did-instead.
    assert 'name="base_version" value="2"' in html
    assert 'action="/log/" hx-post="/log/"' in html
    assert 'name="alt_yoga" value="20"' in html


def test_did_instead_htmx_bad_minutes_says_so_on_the_card(signed_in, user, make_entry):
    entry = make_entry(user, pain=6)
    url = f"/diary/{TODAY.isoformat()}/did-instead/"
    response = signed_in.post(url, {"activity": "yoga", "minutes": "0"}, headers=HTMX_CARD)
    assert response.status_code == 400
    assert "whole number from 1 to 1440" in response.content.decode()
    entry.refresh_from_db()
    assert entry.version == 1


@pytest.mark.parametrize("minutes", ["0", "1441", "lots", ""])
def test_did_instead_bad_minutes_changes_nothing(signed_in, user, make_entry, minutes):
    entry = make_entry(user, pain=6)
    url = f"/diary/{TODAY.isoformat()}/did-instead/"
    response = signed_in.post(url, {"activity": "swimming", "minutes": minutes}, follow=True)
    assert "whole number from 1 to 1440" in response.content.decode()
    entry.refresh_from_db()
    assert entry.alternatives == [] and entry.version == 1


def test_did_instead_offsite_next_ignored(signed_in, user, make_entry):
    make_entry(user, pain=6)
    url = f"/diary/{TODAY.isoformat()}/did-instead/"
    response = signed_in.post(
        url, {"activity": "swimming", "minutes": "20", "next": "https://evil.example/"}
    )
    assert response.url == "/log/"


def test_did_instead_other_users_day_404(signed_in, other_user, make_entry):
    make_entry(other_user, pain=6)
    url = f"/diary/{TODAY.isoformat()}/did-instead/"
    assert signed_in.post(url, {"activity": "yoga", "minutes": "20"}).status_code == 404


def test_shoe_prompt_shown_on_card_and_in_settings(signed_in, user, make_entry, make_shoe):
    shoe = make_shoe(user, name="Old faithfuls", start_km=790)
    make_entry(user, pain=2, ran=True, distance_km=12, shoe=shoe)
    card = signed_in.get("/").content.decode()
    settings_page = signed_in.get("/settings/").content.decode()
    assert "kind-shoe_replace" in card and "Old faithfuls" in card
    assert "802 km" in settings_page


@pytest.mark.parametrize("years_of_entries", [30, 3650])
@pytest.mark.parametrize("url", ["/", "/log/", f"/diary/{TODAY.isoformat()}/"])
def test_day_pages_constant_queries_however_long_the_diary(
    signed_in, user, make_shoe, django_assert_max_num_queries, years_of_entries, url
):
    shoe = make_shoe(user)
    Entry.objects.bulk_create(
        Entry(user=user, date=TODAY - timedelta(days=n), pain=n % 11, ran=n % 2 == 0,
              distance_km=5 if n % 2 == 0 else None, shoe=shoe if n % 2 == 0 else None)
        for n in range(years_of_entries)
    )  # fmt: skip
    with django_assert_max_num_queries(9):
        assert signed_in.get(url).status_code == 200


def test_past_day_speaks_in_the_past(signed_in, user, make_entry):
    log_days(make_entry, user, {6: 7, 7: 2, 8: 2, 9: 2})
    day = TODAY - timedelta(days=6)
    html = signed_in.get(f"/diary/{day.isoformat()}/", headers={"HX-Request": "true"})
    html = html.content.decode()
    assert "<legend>Back pain that day</legend>" in html
    assert f"How was your back on {day:%A} {day.day} {day:%B %Y}?" in html
    assert "Pain was up that day" in html and "Your pain that day was 7" in html
    assert f"Save {day:%a} {day.day} {day:%b}</button>" in html
    # The red-flag blocks say what to do now, whichever day is ticked; the rest never
    # says "today" about a day gone by.
    red_flags = html[html.index('<div class="red-flags">') :]
    red_flags = red_flags[: red_flags.index("</details>")]
    assert "today" not in html.replace(red_flags, "").lower()


def test_today_speaks_of_today(signed_in, user, make_entry):
    log_days(make_entry, user, {0: 7, 1: 2, 2: 2, 3: 2})
    html = signed_in.get("/log/").content.decode()
    assert "<legend>Back pain today</legend>" in html
    assert "Pain is up today" in html and ">Save</button>" in html
