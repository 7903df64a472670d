"""Account mail, sent after the response: a reply that waited for the mail server would
take longer for a known address than for an unknown one, and a mail server that fails
must never turn a sign-up or a reset into a 500."""

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)
_outbox = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mail")


def later(send: Callable, *args, **kwargs) -> None:
    """Run `send` after the response (inline when settings.MAIL_IN_BACKGROUND is off, as in
    tests); a failure is logged, never raised."""
    if settings.MAIL_IN_BACKGROUND:
        _outbox.submit(_safely, send, *args, **kwargs)
    else:
        _safely(send, *args, **kwargs)


def goes_to_console() -> bool:
    """Under `make run`, account mail is printed in the terminal, not sent."""
    backend = settings.MAILERS["default"]["BACKEND"]
    return settings.DEBUG and backend.endswith("console.EmailBackend")


def show_link(what: str, link: str) -> None:
    """In the terminal, a mail's long lines are folded (quoted-printable) and its link
    cannot be copied whole; under `make run`, print the link again on one line."""
    if goes_to_console():
        logger.warning("%s: %s", what, link)


def wait() -> None:
    """Block until the mail queued so far has been handled (for benchmarks)."""
    _outbox.submit(int).result()


def send_template(*, to: str, template: str, context: dict) -> None:
    """Render `template` (subject, a blank line, then the body) and send it to `to`, later."""
    later(_render_and_send, to, template, context)


def _render_and_send(to: str, template: str, context: dict) -> None:
    subject, _, body = render_to_string(template, context).partition("\n\n")
    send_mail(subject.strip(), body, None, [to])


def _safely(send: Callable, *args, **kwargs) -> None:
    try:
        send(*args, **kwargs)
    except Exception:
        logger.exception("Could not send account mail")
