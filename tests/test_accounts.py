import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.mail import EmailMessage

from pages import accounts
from pages.models import User
from tests.conftest import PASSWORD

OWNER_PASSWORD = "the owner's own passphrase"


def sign_up(client, email="new@example.com", **extra):
    return client.post("/accounts/signup/", {"email": email}, **extra)


def mailed_link(message=None) -> str:
    body = (message or mail.outbox[-1]).body
    return re.search(r"http://127\.0\.0\.1:8000(/\S+)", body).group(1)


def choose_password(client, link, password=OWNER_PASSWORD):
    return client.post(link, {"new_password1": password, "new_password2": password})


def test_signup_makes_no_account_until_the_link_sets_a_password(client, db):
    response = sign_up(client)
    assert response.url == "/accounts/signup/done/"
    assert not User.objects.exists()
    link = mailed_link()
    assert link.startswith("/accounts/signup/confirm/")
    page = client.get(link)
    assert page.status_code == 200 and b"Choose your password" in page.content
    assert not User.objects.exists()
    assert choose_password(client, link).url == "/log/"
    assert client.get("/log/").status_code == 200
    user = User.objects.get(email="new@example.com")
    assert user.is_active and user.check_password(OWNER_PASSWORD)


def test_signup_with_someone_elses_address_gains_nothing(client, db):
    """Pre-account takeover: whoever signs up first with another's address sets nothing;
    only the mailbox's owner, through the link, chooses the password."""
    attacker = client.__class__()
    attacker.post("/accounts/signup/", {"email": "owner@example.com", "password1": PASSWORD})
    assert not User.objects.exists()
    assert choose_password(client, mailed_link()).url == "/log/"
    assert (
        attacker.post(
            "/accounts/login/", {"username": "owner@example.com", "password": PASSWORD}
        ).status_code
        == 200
    )
    owner = client.__class__().post(
        "/accounts/login/", {"username": "owner@example.com", "password": OWNER_PASSWORD}
    )
    assert owner.status_code == 302


def test_signup_link_opened_by_a_mail_scanner_is_not_used_up(client, db):
    sign_up(client)
    link = mailed_link()
    client.__class__().get(link)
    client.__class__().get(link)
    assert not User.objects.exists()
    assert choose_password(client, link).url == "/log/"


def test_signup_link_works_once(client, db):
    sign_up(client)
    link = mailed_link()
    choose_password(client, link)
    client.post("/accounts/logout/")
    assert client.get(link).status_code == 400
    assert choose_password(client, link, "another passphrase 77").status_code == 400
    assert User.objects.get().check_password(OWNER_PASSWORD)


def test_signup_forged_link_refused(client, db):
    assert client.get("/accounts/signup/confirm/bm9ib2R5QGV4YW1wbGUuY29t:1:abc/").status_code == 400


def test_signup_link_expires(client, db, monkeypatch):
    sign_up(client)
    monkeypatch.setattr(accounts, "SIGNUP_LINK_MAX_AGE_S", -1)
    assert client.get(mailed_link()).status_code == 400


def test_signup_existing_email_answers_exactly_like_new(client, user):
    fresh = sign_up(client, "fresh@example.com")
    taken = sign_up(client, user.email.upper())
    assert (taken.status_code, taken.url) == (fresh.status_code, fresh.url)
    assert len(mail.outbox) == 2
    assert "already has an account" in mail.outbox[1].body
    assert User.objects.filter(email__iexact=user.email).count() == 1


def test_signup_short_password_error_next_to_field(client, db):
    sign_up(client)
    response = choose_password(client, mailed_link(), "short")
    assert response.status_code == 200
    assert b"at least 10 characters" in response.content
    assert not User.objects.exists()


@pytest.mark.parametrize("length", [10, 64, 100])
def test_signup_long_passwords_accepted(client, db, length):
    sign_up(client)
    assert choose_password(client, mailed_link(), ("Rq7!" * 30)[:length]).status_code == 302


def test_mail_links_come_from_site_url_not_the_host_header(client, user, settings):
    settings.SITE_URL = "https://backpain.example.org"
    settings.ALLOWED_HOSTS = ["*"]
    sign_up(client, "fresh@example.com", HTTP_HOST="127.0.0.1:6666")
    client.post("/accounts/password_reset/", {"email": user.email}, HTTP_HOST="127.0.0.1:6666")
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert "https://backpain.example.org/accounts/" in message.body
        assert "6666" not in message.body


def test_mail_failure_is_no_500_and_leaves_no_account(client, user, monkeypatch):
    def no_mail_server(message, fail_silently=False):
        raise ConnectionRefusedError("no mail server")

    monkeypatch.setattr(EmailMessage, "send", no_mail_server)
    assert sign_up(client).status_code == 302
    assert client.post("/accounts/password_reset/", {"email": user.email}).status_code == 302
    assert list(User.objects.values_list("email", flat=True)) == [user.email]


def test_login_wrong_password_and_unknown_email_get_same_message(client, user):
    wrong = client.post("/accounts/login/", {"username": user.email, "password": "wrong-pass-1"})
    unknown = client.post(
        "/accounts/login/", {"username": "nobody@example.com", "password": "wrong-pass-1"}
    )
    assert wrong.status_code == unknown.status_code == 200
    assert wrong.context["form"].errors == unknown.context["form"].errors


def test_login_email_is_case_insensitive(client, user):
    response = client.post(
        "/accounts/login/", {"username": " RUNNER@Example.COM", "password": PASSWORD}
    )
    assert response.status_code == 302


def test_password_reset_known_and_unknown_answer_alike(client, user):
    known = client.post("/accounts/password_reset/", {"email": user.email})
    unknown = client.post("/accounts/password_reset/", {"email": "nobody@example.com"})
    assert (known.status_code, known.url) == (unknown.status_code, unknown.url)
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("scope", "send"),
    [
        ("address", lambda client, n: sign_up(client, "same@example.com")),
        ("client", lambda client, n: sign_up(client, f"new{n}@example.com")),
    ],
)
def test_signup_mail_throttled_per_address_and_per_client(client, db, settings, scope, send):
    limit = settings.THROTTLES[f"signup_{scope}"][0]
    for n in range(limit):
        send(client, n)
    assert len(mail.outbox) == limit
    response = send(client, limit)
    assert response.url == "/accounts/signup/done/"
    assert len(mail.outbox) == limit


@pytest.mark.parametrize("scope", ["address", "client"])
def test_reset_mail_throttled_per_address_and_per_client(client, make_user, settings, scope):
    limit = settings.THROTTLES[f"reset_{scope}"][0]
    users = [make_user(f"r{n}@example.com") for n in range(limit + 1)]
    for n in range(limit + 1):
        email = users[0].email if scope == "address" else users[n].email
        response = client.post("/accounts/password_reset/", {"email": email})
        assert response.status_code == 302
    assert len(mail.outbox) == limit


def log_in(client, email, **extra):
    return client.post("/accounts/login/", {"username": email, "password": PASSWORD}, **extra)


def fail_login(client, email, times, **extra):
    for _ in range(times):
        client.post("/accounts/login/", {"username": email, "password": "wrong-pass-1"}, **extra)


def test_login_failures_across_accounts_from_one_client_are_limited(client, user, settings):
    limit = settings.THROTTLES["login_client"][0]
    for n in range(limit):
        fail_login(client, f"guess{n}@example.com", 1)
    response = log_in(client, user.email)
    assert response.status_code == 429
    other_client = client.__class__(REMOTE_ADDR="203.0.113.9")
    assert log_in(other_client, user.email).status_code == 302


def test_proxy_header_read_only_when_trusted(client, user, settings):
    limit = settings.THROTTLES["login_client"][0]
    for n in range(limit):
        fail_login(client, f"guess{n}@example.com", 1, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    spoofed = log_in(client, user.email, HTTP_X_FORWARDED_FOR="198.51.100.200")
    assert spoofed.status_code == 429
    settings.TRUSTED_PROXY_HEADER = "X-Forwarded-For"
    behind_proxy = log_in(client, user.email, HTTP_X_FORWARDED_FOR="spoofed, 198.51.100.201")
    assert behind_proxy.status_code == 302


def test_login_locked_after_five_failures_even_with_right_password(client, user):
    fail_login(client, user.email, 5)
    response = log_in(client, user.email)
    assert response.status_code == 429
    assert b"Too many attempts" in response.content


def test_login_lockout_counts_the_address_in_any_case(client, user):
    fail_login(client, user.email.upper(), 3)
    fail_login(client, user.email, 2)
    response = log_in(client, user.email)
    assert response.status_code == 429


def test_login_four_failures_not_locked(client, user):
    fail_login(client, user.email, 4)
    response = log_in(client, user.email)
    assert response.status_code == 302


def test_login_lockout_leaves_other_accounts_and_clients_alone(client, user, other_user):
    fail_login(client, user.email, 5)
    response = log_in(client, other_user.email)
    assert response.status_code == 302
    elsewhere = client.__class__(REMOTE_ADDR="203.0.113.9")
    assert log_in(elsewhere, user.email).status_code == 302


def test_login_lockout_lifts_after_fifteen_minutes(client, user, settings):
    from datetime import timedelta

    from axes.models import AccessAttempt
    from django.utils import timezone

    fail_login(client, user.email, 5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    response = log_in(client, user.email)
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("url", "field", "extra"),
    [
        ("/settings/delete/", "password", {}),
        (
            "/accounts/password_change/",
            "old_password",
            {"new_password1": "a new passphrase 42", "new_password2": "a new passphrase 42"},
        ),
    ],
)
def test_current_password_checks_are_throttled(signed_in, user, settings, url, field, extra):
    limit = settings.THROTTLES["password_check"][0]
    for _ in range(limit):
        response = signed_in.post(url, {field: "wrong-pass-1", **extra})
        assert b"That password is not right" in response.content
    response = signed_in.post(url, {field: PASSWORD, **extra})
    assert b"Too many wrong passwords" in response.content
    user.refresh_from_db()
    assert user.is_active and user.check_password(PASSWORD)


@pytest.mark.parametrize(
    ("debug", "backend", "told"),
    [
        (True, "django.core.mail.backends.console.EmailBackend", True),
        (False, "django.core.mail.backends.console.EmailBackend", False),
        (True, "django.core.mail.backends.smtp.EmailBackend", False),
    ],
)
@pytest.mark.parametrize("url", ["/accounts/signup/done/", "/accounts/password_reset/done/"])
def test_newcomer_told_where_mail_went_under_make_run(
    client, db, settings, debug, backend, told, url
):
    settings.DEBUG = debug
    settings.MAILERS = {"default": {"BACKEND": backend}}
    html = client.get(url).content.decode()
    assert ("printed in the terminal" in html) == told


def test_make_run_prints_each_link_whole_on_one_line(client, user, settings, caplog):
    settings.DEBUG = True
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
    sign_up(client, "fresh@example.com")
    client.post("/accounts/password_reset/", {"email": user.email})
    links = re.findall(r"link for \S+: (http\S+)", caplog.text)
    assert [link.split("/accounts/")[1].split("/")[0] for link in links] == [
        "signup",
        "reset",
    ]
    assert client.get(urlsplit(links[0]).path).status_code == 200
