"""Accounts that no one can take over: a password is only ever set by whoever controls the
mailbox.

Sign-up asks for an email address only and mails a signed link. The account is made when
the link's owner chooses a password on the page it opens (a POST: a mail scanner that
follows the link uses nothing up). Until then nothing exists to take over or to expire;
the link itself expires. (Accounts left unconfirmed by the old flow were removed by
migration 0003.) Every valid sign-up and reset answers alike, whatever the address,
and sends its mail after the response."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.urls import reverse

from pages import mail, throttle

SIGNUP_SALT = "backpain.signup"
SIGNUP_LINK_MAX_AGE_S = 3 * 24 * 3600  # our choice: long enough for a slow inbox


def site_url(path: str) -> str:
    """A link for mail, from the configured site address, never from the request's Host."""
    return settings.SITE_URL.rstrip("/") + path


def site_domain() -> tuple[str, bool]:
    parts = urlsplit(settings.SITE_URL)
    return parts.netloc, parts.scheme == "https"


def request_signup(*, email: str, client: str) -> None:
    email = email.strip().lower()
    allowed = throttle.allow("signup_address", email) and throttle.allow("signup_client", client)
    if not allowed:
        return
    if get_user_model().objects.filter(email__iexact=email).exists():
        link = site_url(reverse("password_reset"))
        mail.send_template(
            to=email, template="registration/signup_exists_email.txt", context={"link": link}
        )
        return
    token = signing.dumps(email, salt=SIGNUP_SALT)
    link = site_url(reverse("signup_confirm", args=[token]))
    mail.show_link(f"Sign-up link for {email}", link)
    mail.send_template(
        to=email, template="registration/activation_email.txt", context={"link": link}
    )


def email_from_link(token: str) -> str | None:
    """The address a sign-up link was sent to, while the link is fresh and unused."""
    try:
        email = signing.loads(token, salt=SIGNUP_SALT, max_age=SIGNUP_LINK_MAX_AGE_S)
    except signing.BadSignature:
        return None
    if get_user_model().objects.filter(email__iexact=email).exists():
        return None
    return email
