"""A pair's logged distance, kept on the pair (pages.models.recount_shoes) so that pages
read one number: it follows every write that can move, stretch or remove a run."""

import importlib

from django.apps import apps

from pages.models import Shoe
from tests.conftest import entry_payload


def post(client, payload):
    return client.post("/api/entries/", payload, content_type="application/json")


def logged(*shoes) -> list[float]:
    return [Shoe.objects.get(pk=shoe.pk).logged_km for shoe in shoes]


def test_shoe_distance_follows_a_day_through_its_edits(signed_in, user, make_shoe):
    first, second = make_shoe(user, "First"), make_shoe(user, "Second")
    day = entry_payload(ran=True, distance_km=10, shoe=first.pk)
    edits = [
        ({}, [10, 0]),
        ({"distance_km": 12.5}, [12.5, 0]),
        ({"shoe": second.pk}, [0, 12.5]),
        ({"ran": False, "distance_km": None, "shoe": None}, [0, 0]),
    ]
    for version, (change, expected) in enumerate(edits):
        day |= change | {"base_version": version or None}
        assert post(signed_in, day).status_code in (200, 201)
        assert logged(first, second) == expected, change


def test_shoe_distance_adds_up_days_and_is_shown_with_the_starting_distance(
    signed_in, user, make_shoe, make_entry
):
    shoe = make_shoe(user, "Trainers", start_km=100)
    for ago in range(3):
        make_entry(user, days_ago=ago, ran=True, distance_km=7.5, shoe=shoe)
    make_entry(user, days_ago=3, ran=True, distance_km=5)  # on no pair
    assert logged(shoe) == [22.5]
    assert "122.5 km of 800 km" in signed_in.get("/settings/").content.decode()


def test_shoe_distance_is_the_runners_own(signed_in, user, other_user, make_shoe, make_entry):
    mine, theirs = make_shoe(user, "Mine"), make_shoe(other_user, "Theirs")
    make_entry(user, ran=True, distance_km=6, shoe=mine)
    make_entry(other_user, ran=True, distance_km=9, shoe=theirs)
    assert logged(mine, theirs) == [6, 9]


def test_migration_counts_the_runs_already_logged(user, make_shoe, make_entry):
    shoe = make_shoe(user)
    make_entry(user, days_ago=1, ran=True, distance_km=4, shoe=shoe)
    make_entry(user, days_ago=2, ran=True, distance_km=6, shoe=shoe)
    Shoe.objects.update(logged_km=0)  # as the new column starts
    migration = importlib.import_module("pages.migrations.0005_shoe_logged_km")
    migration.count_logged_km(apps, None)
    assert logged(shoe) == [10]
