"""Sign-up that never reveals whether an address already has an account.

Every valid sign-up gets the same "check your email" page. A new address receives an
activation link; a known one receives a note with a password-reset link instead."""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode


def register(*, request, email: str, password: str) -> None:
    User = get_user_model()
    existing = User.objects.filter(email__iexact=email).first()
    if existing:
        make_password(password)  # the same hashing cost as a real sign-up
        link = request.build_absolute_uri(reverse("password_reset"))
        _send(email, "registration/signup_exists_email.txt", {"link": link})
        return
    user = User.objects.create_user(email=email, password=password, is_active=False)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = request.build_absolute_uri(reverse("activate", args=[uid, token]))
    _send(email, "registration/activation_email.txt", {"link": link})


def activate(*, uidb64: str, token: str):
    User = get_user_model()
    try:
        user = User.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)))
    except (User.DoesNotExist, ValueError, TypeError, OverflowError):
        return None
    if user.is_active or not default_token_generator.check_token(user, token):
        return None
    user.is_active = True
    user.save(update_fields=["is_active"])
    return user


def _send(email: str, template: str, context: dict) -> None:
    body = render_to_string(template, context)
    subject, _, message = body.partition("\n\n")
    send_mail(subject.strip(), message, None, [email])
