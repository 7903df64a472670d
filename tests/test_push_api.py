import base64
from datetime import time, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from pages import push
from pages.models import PushSubscription

URL = "/api/push/subscriptions/"
FCM = "https://fcm.googleapis.com/fcm/send/abc123:APA91b-device"


@pytest.fixture
def keys(make_browser_keys):
    return make_browser_keys()


def body(browser, **fields) -> dict:
    payload = {
        "endpoint": FCM,
        "keys": {"p256dh": browser.p256dh, "auth": browser.auth},
        "remind_at": "08:30",
        "time_zone": "Europe/Amsterdam",
    }
    payload.update(fields)
    return payload


def post(client, payload, method="post"):
    return getattr(client, method)(URL, payload, content_type="application/json")


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@pytest.mark.parametrize(
    ("endpoint", "allowed"),
    [
        ("https://fcm.googleapis.com/fcm/send/x", True),
        ("https://fcm.googleapis.com/wp/x", True),
        ("https://updates.push.services.mozilla.com/wpush/v2/x", True),
        ("https://web.push.apple.com/QGx", True),
        ("https://wns2-par02p.notify.windows.com/w/?token=x", True),
        ("https://fcm.googleapis.com:443/fcm/send/x", True),
        ("http://fcm.googleapis.com/fcm/send/x", False),  # not https
        ("https://fcm.googleapis.com:8443/x", False),  # another port
        ("https://push.apple.com.evil.example/x", False),  # a look-alike
        ("https://evilpush.apple.com/x", False),  # not a subdomain
        ("https://user@fcm.googleapis.com/x", False),  # credentials in the URL
        ("https://127.0.0.1/x", False),
        ("https://localhost/x", False),  # only when PUSH_EXTRA_HOSTS names it
        ("https://[::1/x", False),  # not a URL
        ("fcm.googleapis.com/x", False),
    ],
)
def test_endpoint_problem_table(endpoint, allowed):
    assert (push.endpoint_problem(endpoint) is None) is allowed


def test_endpoint_problem_extra_host_allowed_on_any_port(settings):
    settings.PUSH_EXTRA_HOSTS = ["push.internal.example"]
    assert push.endpoint_problem("https://push.internal.example:8443/x") is None


def test_subscribe_valid_subscription_is_stored(signed_in, user, keys):
    response = post(signed_in, body(keys))
    assert response.status_code == 201
    assert response.json() == {"remind_at": "08:30"}
    stored = PushSubscription.objects.get()
    assert (stored.user, stored.endpoint, stored.p256dh, stored.auth) == (
        user,
        FCM,
        keys.p256dh,
        keys.auth,
    )
    assert (stored.remind_at, stored.time_zone) == (time(8, 30), "Europe/Amsterdam")


def test_subscribe_same_endpoint_again_changes_its_time(signed_in, keys):
    post(signed_in, body(keys))
    post(signed_in, body(keys, remind_at="19:45"))
    assert list(PushSubscription.objects.values_list("remind_at", flat=True)) == [time(19, 45)]


def test_subscribe_without_zone_takes_the_tz_cookie(signed_in, keys):
    signed_in.cookies["tz"] = "America/Chicago"
    payload = body(keys)
    del payload["time_zone"]
    assert post(signed_in, payload).status_code == 201
    assert PushSubscription.objects.get().time_zone == "America/Chicago"


def test_subscribe_eleventh_device_drops_the_oldest(signed_in, user, keys):
    for n in range(push.MAX_DEVICES + 1):
        post(signed_in, body(keys, endpoint=f"{FCM}-{n}"))
    endpoints = set(PushSubscription.objects.values_list("endpoint", flat=True))
    assert len(endpoints) == push.MAX_DEVICES
    assert f"{FCM}-0" not in endpoints


NOT_ON_CURVE = b64(b"\x04" + b"\x01" * 64)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"endpoint": "http://fcm.googleapis.com/fcm/send/x"}, "endpoint"),
        ({"endpoint": "https://evil.example/steal"}, "endpoint"),
        ({"endpoint": "https://169.254.169.254/latest/meta-data"}, "endpoint"),
        ({"endpoint": 42}, "endpoint"),
        ({"endpoint": "https://fcm.googleapis.com/" + "x" * 2100}, "endpoint"),
        ({"keys": {"p256dh": "not base64!", "auth": "AAAAAAAAAAAAAAAAAAAAAA"}}, "keys.p256dh"),
        ({"keys": {"p256dh": b64(b"\x04" * 33), "auth": "AAAAAAAAAAAAAAAAAAAAAA"}}, "keys.p256dh"),
        ({"keys": {"p256dh": NOT_ON_CURVE, "auth": "AAAAAAAAAAAAAAAAAAAAAA"}}, "keys.p256dh"),
        ({"keys": {"auth": "AAAAAAAAAAAAAAAAAAAAAA"}}, "keys.p256dh"),
        ({"keys": "p256dh"}, "keys.p256dh"),
        ({"remind_at": "8am"}, "remind_at"),
        ({"remind_at": "25:00"}, "remind_at"),
        ({"remind_at": "08:30:00"}, "remind_at"),
        ({"remind_at": None}, "remind_at"),
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone"),
        ({"time_zone": "../../etc/passwd"}, "time_zone"),
    ],
)
def test_subscribe_bad_input_400_field_error_saves_nothing(signed_in, keys, change, field):
    response = post(signed_in, body(keys, **change))
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not PushSubscription.objects.exists()


@pytest.mark.parametrize("auth", ["AAAA", b64(b"\x00" * 17)])
def test_subscribe_auth_secret_not_16_bytes_400(signed_in, keys, auth):
    response = post(signed_in, body(keys, keys={"p256dh": keys.p256dh, "auth": auth}))
    assert response.status_code == 400
    assert "keys.auth" in response.json()["errors"]


def test_subscribe_huge_body_400_saves_nothing(signed_in, keys):
    response = post(signed_in, body(keys, padding="x" * 10_000))
    assert response.status_code == 400
    assert not PushSubscription.objects.exists()


def test_subscribe_not_json_415(signed_in):
    response = signed_in.post(URL, "endpoint=x", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415


def test_subscribe_signed_out_401(client, keys, db):
    assert post(client, body(keys)).status_code == 401
    assert not PushSubscription.objects.exists()


def test_subscribe_without_csrf_token_403(user, keys):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert post(client, body(keys)).status_code == 403


def test_subscribe_endpoint_held_by_other_account_moves_to_signed_in_runner(
    signed_in, user, other_user, keys
):
    """The browser changed hands: its reminders follow whoever is signed in on it now."""
    others_device(other_user, keys)
    assert post(signed_in, body(keys)).status_code == 201
    assert PushSubscription.objects.get().user == user


def test_unsubscribe_own_device_deletes_it(signed_in, keys):
    post(signed_in, body(keys))
    response = post(signed_in, {"endpoint": FCM}, method="delete")
    assert response.status_code == 200
    assert not PushSubscription.objects.exists()


def others_device(other_user, keys) -> PushSubscription:
    return PushSubscription.objects.create(
        user=other_user,
        endpoint=FCM,
        p256dh=keys.p256dh,
        auth=keys.auth,
        remind_at=time(8),
        time_zone="UTC",
    )


def test_unsubscribe_other_runners_device_404_keeps_it(signed_in, other_user, keys):
    others_device(other_user, keys)
    response = post(signed_in, {"endpoint": FCM}, method="delete")
    assert response.status_code == 404
    assert PushSubscription.objects.filter(user=other_user).exists()


def test_test_notification_other_runners_device_404(signed_in, other_user, keys, vapid):
    others_device(other_user, keys)
    response = signed_in.post("/api/push/test/", {"endpoint": FCM}, content_type="application/json")
    assert response.status_code == 404


def test_push_key_set_up_returns_public_key(client, vapid):
    response = client.get("/api/push/key/")
    assert response.json() == {"key": vapid["DJANGO_VAPID_PUBLIC_KEY"]}


def test_push_key_not_set_up_404(client, settings):
    settings.VAPID_PUBLIC_KEY = ""
    assert client.get("/api/push/key/").status_code == 404


def test_settings_reminders_not_set_up_says_so(signed_in, settings):
    settings.VAPID_PUBLIC_KEY = ""
    page = signed_in.get("/settings/").content.decode()
    assert "Reminders are not set up on this server." in page
    assert "reminders.js" not in page


def test_settings_reminders_set_up_offers_turn_on(signed_in, vapid):
    page = signed_in.get("/settings/").content.decode()
    assert "Turn on reminders" in page
    assert f'data-key="{vapid["DJANGO_VAPID_PUBLIC_KEY"]}"' in page
    assert "reminders.js" in page


def test_pause_reminders_until_a_later_day_pauses_every_device(signed_in, user, vapid):
    until = timezone.localdate() + timedelta(days=10)
    response = signed_in.post("/settings/reminders/pause/", {"until": until.isoformat()})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.reminders_paused_until == until
    page = signed_in.get("/settings/").content.decode()
    assert "Resume reminders now" in page


@pytest.mark.parametrize("days", [0, -3, 400])
def test_pause_reminders_day_not_ahead_within_a_year_400(signed_in, user, vapid, days):
    until = timezone.localdate() + timedelta(days=days)
    response = signed_in.post("/settings/reminders/pause/", {"until": until.isoformat()})
    assert response.status_code == 400
    user.refresh_from_db()
    assert user.reminders_paused_until is None


def test_pause_reminders_resume_clears_the_pause(signed_in, user, vapid):
    user.reminders_paused_until = timezone.localdate() + timedelta(days=5)
    user.save(update_fields=["reminders_paused_until"])
    signed_in.post("/settings/reminders/pause/", {"resume": "1"})
    user.refresh_from_db()
    assert user.reminders_paused_until is None
