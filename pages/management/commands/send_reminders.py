from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from pages import push


class Command(BaseCommand):
    help = (
        "Send the Web Push reminders due now, then exit. Run it every few minutes (cron or "
        "a systemd timer): each device gets at most one a day, even when runs overlap."
    )

    def handle(self, **options):
        if missing := push.missing_settings():
            raise CommandError(
                f"Reminders are not set up: set {', '.join(missing)} "
                "(python manage.py make_vapid_keys prints a key pair)."
            )
        outcomes = push.send_due(now=timezone.now())
        self.stdout.write(
            f"Reminders: {outcomes['sent']} sent, {outcomes['gone']} subscriptions gone "
            f"(deleted), {outcomes['failed']} failed (tried again next run)."
        )
