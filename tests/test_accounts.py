import re

import pytest
from django.core import mail

from pages.models import User
from tests.conftest import PASSWORD


def sign_up(client, email="new@example.com", password=PASSWORD):
    return client.post(
        "/accounts/signup/", {"email": email, "password1": password, "password2": password}
    )


def test_signup_sends_activation_link_that_signs_in(client, db):
    response = sign_up(client)
    assert response.url == "/accounts/signup/done/"
    assert not User.objects.get(email="new@example.com").is_active
    link = re.search(r"http://testserver(/accounts/activate/\S+)", mail.outbox[0].body).group(1)
    assert client.get(link).url == "/log/"
    assert client.get("/log/").status_code == 200
    assert User.objects.get(email="new@example.com").is_active


def test_signup_activation_link_works_once(client, db):
    sign_up(client)
    link = re.search(r"http://testserver(/accounts/activate/\S+)", mail.outbox[0].body).group(1)
    client.get(link)
    client.post("/accounts/logout/")
    assert client.get(link).status_code == 400


def test_signup_forged_activation_link_refused(client, db):
    sign_up(client)
    assert client.get("/accounts/activate/MQ/not-a-token/").status_code == 400


def test_signup_existing_email_answers_exactly_like_new(client, user):
    fresh = sign_up(client, "fresh@example.com")
    taken = sign_up(client, user.email)
    assert (taken.status_code, taken.url) == (fresh.status_code, fresh.url)
    assert len(mail.outbox) == 2
    assert "already has an account" in mail.outbox[1].body
    assert User.objects.filter(email=user.email).count() == 1


def test_signup_short_password_error_next_to_field(client, db):
    response = sign_up(client, password="short")
    assert response.status_code == 200
    assert b"at least 10 characters" in response.content


@pytest.mark.parametrize("length", [10, 64, 100])
def test_signup_long_passwords_accepted(client, db, length):
    response = sign_up(client, password=("Rq7!" * 30)[:length])
    assert response.status_code == 302


def test_login_wrong_password_and_unknown_email_get_same_message(client, user):
    wrong = client.post("/accounts/login/", {"username": user.email, "password": "wrong-pass-1"})
    unknown = client.post(
        "/accounts/login/", {"username": "nobody@example.com", "password": "wrong-pass-1"}
    )
    assert wrong.status_code == unknown.status_code == 200
    assert wrong.context["form"].errors == unknown.context["form"].errors


def test_password_reset_known_and_unknown_redirect_alike(client, user):
    known = client.post("/accounts/password_reset/", {"email": user.email})
    unknown = client.post("/accounts/password_reset/", {"email": "nobody@example.com"})
    assert known.url == unknown.url


def fail_login(client, email, times):
    for _ in range(times):
        client.post("/accounts/login/", {"username": email, "password": "wrong-pass-1"})


def test_login_locked_after_five_failures_even_with_right_password(client, user):
    fail_login(client, user.email, 5)
    response = client.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 429
    assert b"Too many attempts" in response.content


def test_login_four_failures_not_locked(client, user):
    fail_login(client, user.email, 4)
    response = client.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302


def test_login_lockout_leaves_other_accounts_alone(client, user, other_user):
    fail_login(client, user.email, 5)
    response = client.post("/accounts/login/", {"username": other_user.email, "password": PASSWORD})
    assert response.status_code == 302


def test_login_lockout_lifts_after_fifteen_minutes(client, user, settings):
    from datetime import timedelta

    from axes.models import AccessAttempt
    from django.utils import timezone

    fail_login(client, user.email, 5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    response = client.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
