"""Share links to the report (pages/sharing.py and its views)."""

import hashlib
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from pages.models import ShareLink


def make_link(client, days=30, notes=()):
    today = timezone.localdate()
    data = {"from": today - timedelta(days=20), "to": today, "days": str(days), "note": list(notes)}
    response = client.post("/report/share/", data, follow=True)
    url = re.search(r"shown only this once: (http[^\s<]+)", response.content.decode()).group(1)
    return url.removeprefix("http://127.0.0.1:8000")


@pytest.fixture
def diary(user, make_entry):
    for ago in range(20):
        make_entry(
            user, days_ago=ago, pain=2 + ago % 3, notes="Sore after hills." if ago == 2 else ""
        )
    make_entry(user, days_ago=5 + 100, pain=9, notes="Before the period.")


def test_a_link_opens_the_report_for_anyone_with_it_and_nothing_else(signed_in, user, diary):
    path = make_link(signed_in)
    stranger = Client()
    response = stranger.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Back pain and running: a summary" in html and "<svg" in html
    assert 'class="tabbar"' not in html and "Settings" not in html and "<form" not in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["Cache-Control"] == "no-store"
    assert '<meta name="robots" content="noindex, nofollow">' in html


def test_only_the_hash_of_the_token_is_stored_and_the_token_is_long(signed_in, user, diary):
    path = make_link(signed_in)
    token = path.strip("/").split("/")[-1]
    assert len(token) >= 22  # 128 bits in URL-safe base64; ours carry 256
    link = ShareLink.objects.get(user=user)
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(ShareLink.objects.values_list())


def test_openings_are_counted_for_the_runner(signed_in, user, diary):
    path = make_link(signed_in)
    for _ in range(3):
        Client().get(path)
    assert "opened 3 times" in signed_in.get("/report/").content.decode()


def test_ticked_notes_travel_with_the_link(signed_in, user, diary):
    day = (timezone.localdate() - timedelta(days=2)).isoformat()
    html = Client().get(make_link(signed_in, notes=[day])).content.decode()
    assert "“Sore after hills.”" in html and "Before the period" not in html


@pytest.mark.parametrize("days", [7, 30, 90])
def test_a_link_lasts_the_days_chosen(signed_in, user, diary, days):
    make_link(signed_in, days=days)
    link = ShareLink.objects.get(user=user)
    assert abs((link.expires - timezone.now()) - timedelta(days=days)) < timedelta(minutes=1)


@pytest.mark.parametrize("days", ["1", "365", "", "abc"])
def test_other_lengths_are_refused(signed_in, user, diary, days):
    today = timezone.localdate()
    response = signed_in.post(
        "/report/share/", {"from": today, "to": today, "days": days}, follow=True
    )
    assert "Choose how long the link works" in response.content.decode()
    assert not ShareLink.objects.exists()


def test_revoked_expired_and_unknown_links_answer_404(signed_in, user, diary):
    path = make_link(signed_in)
    link = ShareLink.objects.get(user=user)
    assert signed_in.post(f"/report/share/{link.pk}/revoke/").status_code == 302
    assert Client().get(path).status_code == 404
    path = make_link(signed_in)
    ShareLink.objects.filter(revoked=None).update(expires=timezone.now() - timedelta(seconds=1))
    assert Client().get(path).status_code == 404
    assert Client().get("/share/" + "x" * 43 + "/").status_code == 404
    assert Client().get("/share/" + "x" * 500 + "/").status_code == 404


def test_a_runner_cannot_revoke_anothers_link(client, signed_in, user, other_user, diary):
    path = make_link(signed_in)
    link = ShareLink.objects.get(user=user)
    client.force_login(other_user)
    assert client.post(f"/report/share/{link.pk}/revoke/").status_code == 404
    assert Client().get(path).status_code == 200


def test_sharing_needs_a_signed_in_runner(client, db):
    assert client.post("/report/share/", {"days": "7"}).status_code == 302
