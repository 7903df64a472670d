"""Can the time of an answer tell a known address from an unknown one? Times password
reset, sign-up and login for known and unknown addresses, interleaved, in one process with
production settings (DEBUG off, real password hashing, mail sent after the response).

    .venv/bin/python bench/account_timing.py [--tries 30]

Throttles are lifted for the run so every request does its full work."""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORKDIR = Path(tempfile.mkdtemp(prefix="backpain-timing-"))
os.environ |= {
    "DJANGO_SETTINGS_MODULE": "backpain.settings",
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "bench-only-" + "x" * 50,
    "DJANGO_ALLOWED_HOSTS": "testserver",
    "DJANGO_SECURE_SSL_REDIRECT": "0",
    "DATABASE_URL": f"sqlite:///{WORKDIR / 'db.sqlite3'}",
    "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    "DJANGO_STATIC_ROOT": str(WORKDIR / "static"),
}

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from pages import mail  # noqa: E402
from pages.models import User  # noqa: E402

PASSWORD = "a long bench passphrase"


def timed(client: Client, path: str, data: dict) -> float:
    # The mail a request queued is sent after its response; let it go before the next
    # request, as it would between an attacker's probes, so it is not charged to that one.
    mail.wait()
    started = time.perf_counter()
    response = client.post(path, data, secure=True)
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code in (200, 302), (path, response.status_code)
    return elapsed


def summary(values: list[float]) -> str:
    ordered = sorted(values)
    return (
        f"min {ordered[0]:6.2f}  median {statistics.median(ordered):6.2f}  "
        f"max {ordered[-1]:6.2f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tries", type=int, default=30)
    args = parser.parse_args()
    settings.THROTTLES = dict.fromkeys(settings.THROTTLES, (10**9, 1))
    settings.AXES_ENABLED = False
    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    known = [
        User.objects.create_user(email=f"known{n}@example.com", password=PASSWORD)
        for n in range(args.tries)
    ]
    actions = {
        "password reset": ("/accounts/password_reset/", lambda email: {"email": email}),
        "sign-up": ("/accounts/signup/", lambda email: {"email": email}),
        "login, wrong password": (
            "/accounts/login/",
            lambda email: {"username": email, "password": "not the password"},
        ),
    }
    print(f"{args.tries} tries each, interleaved; production settings, in one process")
    for name, (path, data) in actions.items():
        client = Client()
        client.post(path, data("warm-up@example.com"), secure=True)
        known_ms, unknown_ms = [], []
        for n in range(args.tries):
            known_ms.append(timed(client, path, data(known[n].email)))
            unknown_ms.append(timed(client, path, data(f"nobody{n}@example.com")))
        overlap = min(known_ms) <= max(unknown_ms) and min(unknown_ms) <= max(known_ms)
        ratio = statistics.median(known_ms) / statistics.median(unknown_ms)
        print(f"{name}")
        print(f"  known    {summary(known_ms)}")
        print(f"  unknown  {summary(unknown_ms)}")
        print(f"  median known / unknown {ratio:.2f}; ranges overlap: {overlap}")


if __name__ == "__main__":
    main()
