"""A pair's logged distance, kept on the pair (pages.models.recount_shoes) so that pages
read one number: it follows every write that can move, stretch or remove a run."""

import importlib
import threading
import time
from datetime import timedelta

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.utils import timezone

from pages.models import Entry, Shoe
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


def test_a_pair_saved_from_an_older_read_keeps_its_distance(user, make_shoe, make_entry):
    shoe = make_shoe(user, "Trainers")
    read_earlier = Shoe.objects.get(pk=shoe.pk)  # a settings form opened before the run
    make_entry(user, ran=True, distance_km=9, shoe=shoe)
    read_earlier.name = "Road trainers"
    read_earlier.save()
    assert logged(shoe) == [9]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL runs writers at once")
@pytest.mark.django_db(transaction=True)
def test_two_devices_saving_runs_at_once_both_count(user, make_shoe):
    """The second device's count waits for the first device's commit, so it counts that
    run too (SQLite lets one writer in at a time, so only PostgreSQL can race)."""
    shoe = make_shoe(user)
    first_saved, first_may_commit = threading.Event(), threading.Event()
    today = timezone.localdate()

    def first_device():
        with transaction.atomic():
            Entry.objects.create(user=user, date=today, pain=2, ran=True, distance_km=5, shoe=shoe)
            first_saved.set()
            first_may_commit.wait(10)
        connection.close()

    def second_device():
        first_saved.wait(10)
        day = today - timedelta(days=1)
        Entry.objects.create(user=user, date=day, pain=2, ran=True, distance_km=7, shoe=shoe)
        connection.close()

    devices = [threading.Thread(target=first_device), threading.Thread(target=second_device)]
    for device in devices:
        device.start()
    first_saved.wait(10)
    time.sleep(0.5)  # the second device is now waiting for the first one's lock
    first_may_commit.set()
    for device in devices:
        device.join(15)
    assert logged(shoe) == [12]
