import json
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from pages import diary
from pages.models import Entry, Shoe
from pages.vocab import TIERS, symptoms_in
from tests.conftest import PASSWORD

TODAY = timezone.localdate()


def day_url(days_ago: int) -> str:
    return f"/diary/{(TODAY - timedelta(days=days_ago)).isoformat()}/"


def test_home_signed_out_shows_intro_and_signup(client, db):
    response = client.get("/")
    assert b"Create a free account" in response.content
    assert b'href="/accounts/signup/"' in response.content


def test_home_signed_in_shows_today_and_last_seven_days(signed_in, user, make_entry):
    make_entry(user, days_ago=0, pain=4)
    make_entry(user, days_ago=3, pain=7)
    make_entry(user, days_ago=9, pain=9)
    response = signed_in.get("/")
    html = response.content.decode()
    assert 'aria-label="Back pain 4 out of 10"' in html
    assert 'aria-label="pain 7"' in html
    assert 'aria-label="pain 9"' not in html
    assert html.count('class="day-row"') == 7


def test_login_and_logout(client, user):
    response = client.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/log/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/log/").status_code == 302


def test_password_reset_mail_sent_to_known_address(client, user):
    response = client.post("/accounts/password_reset/", {"email": user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/reset/" in mail.outbox[0].body


def test_password_change(signed_in, user):
    new = "another long passphrase"
    response = signed_in.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)


def test_session_slides_two_weeks(settings):
    assert settings.SESSION_COOKIE_AGE == 14 * 24 * 3600
    assert "pages.middleware.RefreshSessionDailyMiddleware" in settings.MIDDLEWARE


def test_log_requires_login(client, db):
    response = client.get("/log/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_log_form_has_eleven_pain_radios(signed_in):
    html = signed_in.get("/log/").content.decode()
    assert html.count('type="radio" name="pain"') == 11
    assert "no pain" in html and "worst imaginable" in html


@override_settings(EMERGENCY_NUMBER="999")
def test_log_form_carries_red_flag_advice_for_each_tier(signed_in):
    html = signed_in.get("/log/").content.decode()
    for tier in TIERS:
        assert html.count(f'data-tier="{tier.code}"') == 2  # its symptoms, and its advice
        assert tier.action in html
    assert '<a class="button big call" href="tel:999">Call 999</a>' in html
    assert "911 in the US and Canada" in html
    assert 'href="/guide/see-a-professional/#emergency"' in html
    assert 'href="/guide/see-a-professional/#urgent"' in html
    fieldsets = re.findall(
        r'<fieldset class="symptom-group" data-tier="(\w+)">(.*?)</fieldset>', html, re.S
    )
    for tier_code, fieldset in fieldsets:
        assert set(re.findall(r'value="(\w+)"', fieldset)) == set(symptoms_in(tier_code))
    assert len(fieldsets) == len(TIERS)


def test_log_post_without_js_saves_and_redirects(signed_in, user):
    response = signed_in.post(
        "/log/", {"pain": "5", "ran": "on", "distance_km": "6", "surface": "trail"}
    )
    assert response.status_code == 302
    entry = Entry.objects.get(user=user)
    assert (entry.date, entry.pain, entry.distance_km, entry.surface) == (TODAY, 5, 6, "trail")
    assert b"Saved." in signed_in.get(response.url).content


def test_log_post_with_htmx_returns_fragment_with_card(signed_in, user):
    response = signed_in.post("/log/", {"pain": "5"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'id="day-card"' in html
    assert "Saved." in html
    assert response.headers["Vary"].count("HX-Request") == 1


def test_log_invalid_post_shows_error_next_to_field_and_saves_nothing(signed_in, user):
    response = signed_in.post(
        "/log/", {"pain": "5", "ran": "on", "distance_km": "500"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 400
    assert b'id="id_distance_km_error"' in response.content
    assert not Entry.objects.exists()


def test_log_invalid_pain_error_shown(signed_in):
    response = signed_in.post("/log/", {"pain": ""})
    assert response.status_code == 400
    assert b'id="pain-error"' in response.content


def test_log_edit_bumps_version(signed_in, user, make_entry):
    entry = make_entry(user, pain=3)
    signed_in.post("/log/", {"pain": "6", "uuid": str(entry.uuid), "base_version": "1"})
    entry.refresh_from_db()
    assert (entry.pain, entry.version) == (6, 2)


def test_log_stale_form_shows_conflict_not_overwrite(signed_in, user, make_entry):
    entry = make_entry(user, pain=3, version=2)
    response = signed_in.post("/log/", {"pain": "6", "uuid": str(entry.uuid), "base_version": "1"})
    assert response.status_code == 409
    assert b"changed on another device" in response.content
    entry.refresh_from_db()
    assert entry.pain == 3


def yesterday_with_a_run(make_entry, user, shoe, **fields):
    return make_entry(
        user,
        days_ago=1,
        pain=4,
        ran=True,
        distance_km=7,
        duration_min=40,
        surface="grass",
        shoe=shoe,
        run_pain=5,
        alternatives=[{"kind": "yoga", "minutes": 10}],
        symptoms=["leg_pain", "fever", "saddle_numbness", "numbness"],
        notes="private",
        **fields,
    )


def test_same_as_yesterday_copies_pain_and_see_soon_symptoms_never_the_run(
    signed_in, user, make_entry, make_shoe
):
    shoe = make_shoe(user)
    yesterday_with_a_run(make_entry, user, shoe)
    signed_in.post("/log/same-as-yesterday/")
    today = Entry.objects.get(user=user, date=TODAY)
    assert (today.pain, today.ran, today.distance_km, today.shoe) == (4, False, None, None)
    assert today.symptoms == ["leg_pain", "numbness"]
    assert (today.alternatives, today.notes) == ([], "")
    assert diary.shoes_with_distance(user).get().logged_km == 7


def test_same_as_yesterday_ran_the_same_adds_the_run_but_not_its_pain(
    signed_in, user, make_entry, make_shoe
):
    shoe = make_shoe(user)
    yesterday_with_a_run(make_entry, user, shoe)
    signed_in.post("/log/same-as-yesterday/", {"ran_same": "1"})
    today = Entry.objects.get(user=user, date=TODAY)
    assert (today.ran, today.distance_km, today.duration_min) == (True, 7, 40)
    assert (today.surface, today.shoe, today.run_pain) == ("grass", shoe, None)
    assert today.symptoms == ["leg_pain", "numbness"]


def test_same_as_yesterday_offers_ran_the_same_only_after_a_run(signed_in, user, make_entry):
    make_entry(user, days_ago=1, pain=3)
    html = signed_in.get("/log/").content.decode()
    assert "Same as yesterday" in html and "ran the same" not in html
    Entry.objects.all().delete()
    make_entry(user, days_ago=1, pain=3, ran=True, distance_km=8)
    html = signed_in.get("/log/").content.decode()
    assert 'name="ran_same"' in html and "8 km" in html


def test_same_as_yesterday_miles_user_keeps_distance(signed_in, user, make_entry):
    user.unit = "mi"
    user.save()
    make_entry(user, days_ago=1, ran=True, distance_km=10)
    signed_in.post("/log/same-as-yesterday/", {"ran_same": "1"})
    assert Entry.objects.get(user=user, date=TODAY).distance_km == pytest.approx(10, abs=0.01)


def page_data(html: str, script_id: str):
    found = re.search(rf'<script id="{script_id}" type="application/json">(.*?)</script>', html)
    return json.loads(found.group(1)) if found else None


def test_same_as_yesterday_page_carries_both_copies_for_offline(
    signed_in, user, make_entry, make_shoe
):
    shoe = make_shoe(user)
    yesterday_with_a_run(make_entry, user, shoe)
    copies = page_data(signed_in.get("/log/").content.decode(), "same-as-yesterday")
    assert copies["copy"] == {"pain": 4, "symptoms": ["leg_pain", "numbness"]}
    ran_same = copies["ran_same"]
    assert (ran_same["ran"], ran_same["distance_km"], ran_same["shoe"]) == (True, 7, shoe.pk)
    assert "run_pain" not in ran_same


def test_same_as_yesterday_keeps_the_phones_uuid_so_its_replay_changes_nothing(
    signed_in, user, make_entry
):
    make_entry(user, days_ago=1, pain=3)
    phone_uuid = "0b6f1c4e-8a52-4d8e-9b0a-3f1d2c4b5a69"
    signed_in.post("/log/same-as-yesterday/", {"uuid": phone_uuid})
    replay = {"uuid": phone_uuid, "date": TODAY.isoformat(), "pain": 3, "base_version": None}
    response = signed_in.post("/api/entries/", replay, content_type="application/json")
    assert (response.status_code, response.json()["result"]) == (200, "unchanged")
    assert str(Entry.objects.get(user=user, date=TODAY).uuid) == phone_uuid


@pytest.mark.parametrize(
    ("logged_days_ago", "offered"), [((1,), True), ((0, 1), False), ((2,), False), ((), False)]
)
def test_home_offers_same_as_yesterday_only_when_yesterday_is_logged_and_today_is_not(
    signed_in, user, make_entry, logged_days_ago, offered
):
    for days_ago in logged_days_ago:
        make_entry(user, days_ago=days_ago, pain=3)
    html = signed_in.get("/").content.decode()
    assert ('class="copy-yesterday"' in html) is offered
    assert (page_data(html, "same-as-yesterday") is not None) is offered


@pytest.mark.parametrize(
    ("next_url", "lands_on"),
    [("/", "/?saved=1"), ("/log/", "/log/?saved=1"), ("https://evil.example/", "/log/?saved=1")],
)
def test_same_as_yesterday_goes_back_to_the_page_it_was_tapped_on(
    signed_in, user, make_entry, next_url, lands_on
):
    make_entry(user, days_ago=1, pain=3)
    response = signed_in.post("/log/same-as-yesterday/", {"next": next_url})
    assert response.url == lands_on
    assert Entry.objects.get(user=user, date=TODAY).pain == 3


def test_home_after_a_save_says_saved(signed_in, user, make_entry):
    make_entry(user, days_ago=0, pain=3)
    assert "Saved." in signed_in.get("/?saved=1").content.decode()
    assert "Saved." not in signed_in.get("/").content.decode()


def test_home_carries_the_install_offers_only_once_a_day_is_logged(
    client, signed_in, user, make_entry
):
    assert 'id="notice-install"' not in signed_in.get("/").content.decode()
    make_entry(user, days_ago=20, pain=3)
    html = signed_in.get("/").content.decode()
    assert 'id="notice-install"' in html and 'id="notice-ios-hint"' in html
    assert 'id="notice-install"' not in signed_in.get("/log/").content.decode()
    client.logout()
    assert 'id="notice-install"' not in client.get("/").content.decode()


@pytest.mark.parametrize("debug", [True, False])
def test_pages_keep_form_refusals_from_the_htmx_debug_handler_only_under_debug(
    signed_in, settings, debug
):
    settings.DEBUG = debug
    html = signed_in.get("/log/").content.decode()
    assert ("django-htmx.js" in html) is debug
    assert ("js/htmx-debug.js" in html) is debug


def test_card_offering_alternatives_carries_its_day_for_offline(signed_in, user, make_entry):
    for days_ago, pain in {1: 2, 2: 2, 3: 2}.items():
        make_entry(user, days_ago=days_ago, pain=pain)
    entry = make_entry(user, days_ago=0, pain=7)
    saved = page_data(signed_in.get("/").content.decode(), "day-entry")
    assert (saved["uuid"], saved["base_version"]) == (str(entry.uuid), entry.version)
    assert (saved["date"], saved["pain"]) == (TODAY.isoformat(), 7)


def test_diary_day_past_day_editable(signed_in, user):
    response = signed_in.post(day_url(3), {"pain": "2"})
    assert response.status_code == 302
    assert Entry.objects.get(user=user).date == TODAY - timedelta(days=3)


def test_diary_day_future_refused(signed_in, user):
    assert signed_in.get(day_url(-1)).status_code == 404
    assert signed_in.post(day_url(-1), {"pain": "2"}).status_code == 404
    assert not Entry.objects.exists()


def test_diary_day_impossible_date_404(signed_in):
    assert signed_in.get("/diary/2026-02-30/").status_code == 404


def test_history_groups_weeks_with_totals(signed_in, user, make_entry):
    monday = TODAY - timedelta(days=TODAY.weekday() + 7)
    make_entry(user, date=monday, ran=True, distance_km=5)
    make_entry(user, date=monday + timedelta(days=2), ran=True, distance_km=7.5)
    html = signed_in.get("/diary/").content.decode()
    sunday = monday + timedelta(days=6)
    assert f"Week of </span>{monday.day}" in html
    assert f"–{sunday.day} {sunday:%b}" in html
    assert "12.5 km" in html


def test_history_paginates_by_weeks(signed_in, user, make_entry):
    for days_ago in range(100):
        make_entry(user, days_ago=days_ago)
    first = signed_in.get("/diary/")
    assert first.context["next_before"] is not None
    assert len(first.context["weeks"]) == 4
    second = signed_in.get(f"/diary/?before={first.context['next_before'].isoformat()}")
    first_dates = {e.date for week in first.context["weeks"] for e in week.entries}
    second_dates = {e.date for week in second.context["weeks"] for e in week.entries}
    assert not first_dates & second_dates
    assert max(second_dates) < min(first_dates)


def test_history_page_queries_do_not_grow_with_years(
    signed_in, user, make_entry, django_assert_max_num_queries
):
    Entry.objects.bulk_create(
        Entry(user=user, date=TODAY - timedelta(days=n), pain=n % 11) for n in range(3650)
    )
    with django_assert_max_num_queries(8):
        response = signed_in.get("/diary/?before=2020-01-01")
    assert response.status_code == 200


def test_settings_unit_switch_shows_miles(signed_in, user, make_entry):
    make_entry(user, ran=True, distance_km=16.09344)
    signed_in.post("/settings/", {"unit": "mi"})
    user.refresh_from_db()
    assert user.unit == "mi"
    assert b"10 mi" in signed_in.get("/").content


def test_settings_add_rename_retire_shoe(signed_in, user):
    signed_in.post(
        "/settings/shoes/", {"new-name": "Trail pair", "new-start_km": "100", "new-limit_km": "700"}
    )
    shoe = Shoe.objects.get(user=user)
    assert (shoe.start_km, shoe.limit_km) == (100, 700)
    signed_in.post(
        f"/settings/shoes/{shoe.pk}/",
        {
            f"shoe{shoe.pk}-name": "Old trail pair",
            f"shoe{shoe.pk}-start_km": "100",
            f"shoe{shoe.pk}-limit_km": "700",
            f"shoe{shoe.pk}-retired": "on",
        },
    )
    shoe.refresh_from_db()
    assert (shoe.name, shoe.retired) == ("Old trail pair", True)


def test_settings_shoe_default_limit_800_km(signed_in, user):
    html = signed_in.get("/settings/").content.decode()
    assert 'name="new-limit_km" value="800"' in html


def test_settings_shoe_total_includes_runs(signed_in, user, make_shoe, make_entry):
    shoe = make_shoe(user, start_km=100)
    make_entry(user, ran=True, distance_km=12, shoe=shoe)
    make_entry(user, days_ago=1, ran=True, distance_km=8, shoe=shoe)
    assert b"120 km of 800 km" in signed_in.get("/settings/").content


def test_settings_shoe_invalid_input_error_shown(signed_in, user):
    response = signed_in.post(
        "/settings/shoes/", {"new-name": "", "new-start_km": "-5", "new-limit_km": "700"}
    )
    assert response.status_code == 400
    assert not Shoe.objects.exists()


# Cross-user isolation: every URL that takes a date or an id.


def test_isolation_other_users_day_shows_nothing_of_theirs(signed_in, other_user, make_entry):
    make_entry(other_user, days_ago=2, pain=9, notes="their secret")
    response = signed_in.get(day_url(2))
    assert b"their secret" not in response.content
    assert b"Back pain 9" not in response.content


def test_isolation_posting_a_day_never_touches_other_user(signed_in, user, other_user, make_entry):
    theirs = make_entry(other_user, days_ago=2, pain=9)
    signed_in.post(day_url(2), {"pain": "1", "uuid": str(theirs.uuid), "base_version": "1"})
    theirs.refresh_from_db()
    assert theirs.pain == 9
    assert Entry.objects.get(user=user).pain == 1


def test_isolation_other_users_shoe_edit_404(signed_in, other_user, make_shoe):
    shoe = make_shoe(other_user)
    response = signed_in.post(f"/settings/shoes/{shoe.pk}/", {f"shoe{shoe.pk}-name": "mine"})
    assert response.status_code == 404
    shoe.refresh_from_db()
    assert shoe.name == "Daily trainers"


def test_isolation_history_lists_only_own(signed_in, other_user, make_entry):
    make_entry(other_user, pain=9)
    assert b"pain 9" not in signed_in.get("/diary/").content


def test_log_form_buttons_keep_the_saved_and_the_posted_choice(signed_in, user, make_entry):
    make_entry(user, pain=4, ran=True, distance_km=5, surface="trail", run_pain=2)
    html = signed_in.get("/log/").content.decode()
    assert 'name="pain" value="4" id="id_pain_4" required checked>' in html
    assert 'name="run_pain" value="2" id="id_run_pain_2" checked>' in html
    assert 'name="surface" value="trail" id="id_surface_1" checked>' in html
    assert html.count(" checked>") == 4  # the three choices and "I ran"
    refused = signed_in.post("/log/", {"pain": "6", "ran": "on", "distance_km": "-1"})
    assert 'name="pain" value="6" id="id_pain_6" required checked>' in refused.content.decode()


def test_views_each_function_at_most_25_lines():
    """Thin views: a longer one is a sign that something belongs in a module."""
    import ast
    from pathlib import Path

    files = sorted(Path("pages/views").glob("*.py"))
    assert len(files) >= 5
    long = {
        f"{path.name}:{node.name}": node.end_lineno - node.lineno + 1
        for path in files
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.FunctionDef) and node.end_lineno - node.lineno + 1 > 25
    }
    assert long == {}


def test_guide_page_rendered_once_then_served_from_cache(client, db):
    url = "/guide/why-running-hurts/"
    first = client.get(url)
    again = client.get(url)
    assert [t.name for t in first.templates][:1] == ["guide/why-running-hurts.html"]
    assert again.templates == [] and again.content == first.content


def test_guide_page_cached_for_one_runner_is_never_served_to_another(client, signed_in, db):
    url = "/guide/flare-ups/"
    assert 'href="/settings/"' in signed_in.get(url).content.decode()
    stranger = client.__class__()
    assert 'href="/settings/"' not in stranger.get(url).content.decode()
    other = "/guide/posture/"
    assert 'href="/settings/"' not in stranger.get(other).content.decode()
    assert 'href="/settings/"' in signed_in.get(other).content.decode()


@pytest.mark.parametrize("pairs", [1, 8])
def test_settings_shoe_rows_cost_the_same_queries_for_any_number_of_pairs(
    signed_in, user, make_shoe, make_entry, django_assert_max_num_queries, pairs
):
    for n in range(pairs):
        shoe = make_shoe(user, name=f"Pair {n}", start_km=470)
        make_entry(user, days_ago=n, ran=True, distance_km=12, shoe=shoe)
    with django_assert_max_num_queries(6):
        html = signed_in.get("/settings/").content.decode()
    assert html.count("482 km of 800 km") == pairs
    assert html.count("Check your Pair") == pairs
