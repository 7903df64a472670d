"""The push path end to end, without the internet: a local HTTPS endpoint stands in for the
push service (its self-signed certificate trusted through REQUESTS_CA_BUNDLE, its host in
PUSH_EXTRA_HOSTS); the test holds the subscription's private keys and decrypts what
arrives (RFC 8291, aes128gcm)."""

import datetime as dt
import ipaddress
import json
import ssl
import threading
from dataclasses import dataclass, field
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.core.management import CommandError, call_command
from django.utils import timezone

from pages import push
from pages.models import PushSubscription


@dataclass
class PushService:
    """What the local push service received, and the statuses it answers with next."""

    url: str
    received: list = field(default_factory=list)
    statuses: list = field(default_factory=list)


def self_signed_certificate(directory) -> tuple[str, str]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    public = key.public_key()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(hours=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "push.pem", directory / "push-key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return str(cert_path), str(key_path)


@pytest.fixture
def push_service(tmp_path, settings, monkeypatch, vapid):
    cert, key = self_signed_certificate(tmp_path)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            service.received.append({"path": self.path, "headers": self.headers, "body": body})
            status = service.statuses.pop(0) if service.statuses else 201
            self.send_response(status)
            if 300 <= status < 400:
                self.send_header("Location", f"{service.url}/elsewhere")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    service = PushService(url=f"https://localhost:{server.server_port}")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", cert)
    settings.PUSH_EXTRA_HOSTS = ["localhost"]
    yield service
    server.shutdown()
    server.server_close()


def due_now() -> str:
    """A reminder time that is due in UTC now (and not before midnight)."""
    now = timezone.now().astimezone(dt.UTC)
    return max(now - timedelta(minutes=1), now.replace(hour=0, minute=0)).strftime("%H:%M")


@pytest.fixture
def subscribed(signed_in, push_service, make_browser_keys):
    """A device subscribed through the API, its keys held by the test."""
    keys = make_browser_keys()
    body = {
        "endpoint": f"{push_service.url}/push/device-1",
        "keys": {"p256dh": keys.p256dh, "auth": keys.auth},
        "remind_at": due_now(),
        "time_zone": "UTC",
    }
    response = signed_in.post("/api/push/subscriptions/", body, content_type="application/json")
    assert response.status_code == 201
    return keys


def decrypt(received: dict, keys) -> dict:
    plain = http_ece.decrypt(
        received["body"], private_key=keys.private_key, auth_secret=keys.auth_secret
    )
    return json.loads(plain)


def utc_today():
    return timezone.now().astimezone(dt.UTC).date()


def test_send_reminders_due_device_receives_encrypted_reminder_once(
    subscribed, push_service, user, make_entry
):
    call_command("send_reminders")

    assert len(push_service.received) == 1
    arrived = push_service.received[0]
    assert arrived["path"] == "/push/device-1"
    assert arrived["headers"]["Content-Encoding"] == "aes128gcm"
    assert arrived["headers"]["Authorization"].startswith("vapid t=")
    assert decrypt(arrived, subscribed) == {
        "title": "How is your back today?",
        "body": "Log today in a few taps.",
        "url": "/log/",
        "tag": "backpain-reminder",
    }
    call_command("send_reminders")
    make_entry(user, date=utc_today(), pain=3)
    PushSubscription.objects.update(last_sent_on=None)  # even a new day's claim: logged
    call_command("send_reminders")
    assert len(push_service.received) == 1


def test_send_reminders_after_a_run_day_asks_about_the_run(
    subscribed, push_service, user, make_entry
):
    make_entry(user, date=utc_today() - timedelta(days=1), pain=2, ran=True, distance_km=8)
    call_command("send_reminders")
    assert decrypt(push_service.received[0], subscribed)["title"] == (
        "How is your back after yesterday’s run?"
    )


def test_send_reminders_paused_runner_gets_nothing(subscribed, push_service, user):
    user.reminders_paused_until = utc_today() + timedelta(days=3)
    user.save(update_fields=["reminders_paused_until"])
    call_command("send_reminders")
    assert push_service.received == []


def test_send_reminders_endpoint_gone_410_deletes_subscription(subscribed, push_service):
    push_service.statuses = [410]
    call_command("send_reminders")
    assert len(push_service.received) == 1
    assert not PushSubscription.objects.exists()


def test_send_reminders_server_error_keeps_subscription_and_retries_next_run(
    subscribed, push_service
):
    push_service.statuses = [500]
    call_command("send_reminders")
    subscription = PushSubscription.objects.get()
    assert subscription.last_sent_on is None
    call_command("send_reminders")
    assert len(push_service.received) == 2
    assert PushSubscription.objects.get().last_sent_on == utc_today()


def test_send_reminders_redirect_is_not_followed(subscribed, push_service):
    push_service.statuses = [307]
    call_command("send_reminders")
    assert len(push_service.received) == 1  # the redirect's target was never asked
    assert PushSubscription.objects.get().last_sent_on is None


def test_send_due_two_overlapping_runs_send_once(subscribed, push_service):
    """The second run starts while the first is sending: the day is already claimed."""
    first = push.send_due(now=timezone.now())
    second = push.send_due(now=timezone.now())
    assert (first["sent"], second["sent"]) == (1, 0)
    assert len(push_service.received) == 1


def test_send_due_claim_taken_by_another_run_sends_nothing(subscribed, push_service):
    """Two runs read the same due device; the one that loses the claim must not send."""
    rows = list(push._due(timezone.now()))
    PushSubscription.objects.update(last_sent_on=utc_today())  # the other run claimed it
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(push, "_due", lambda now: iter(rows))
        assert push.send_due(now=timezone.now())["sent"] == 0
    assert push_service.received == []


def test_send_reminders_endpoint_host_no_longer_allowed_is_not_posted_to(
    subscribed, push_service, settings
):
    settings.PUSH_EXTRA_HOSTS = []
    call_command("send_reminders")
    assert push_service.received == []
    assert PushSubscription.objects.get().last_sent_on is None


def test_send_test_notification_reaches_own_device(signed_in, subscribed, push_service):
    endpoint = PushSubscription.objects.get().endpoint
    response = signed_in.post(
        "/api/push/test/", {"endpoint": endpoint}, content_type="application/json"
    )
    assert response.status_code == 200
    assert decrypt(push_service.received[0], subscribed)["title"] == "Reminders are on"


def test_send_reminders_without_vapid_keys_says_what_is_missing(settings, db):
    settings.VAPID_PRIVATE_KEY = ""
    with pytest.raises(CommandError, match="DJANGO_VAPID_PRIVATE_KEY"):
        call_command("send_reminders")
