import base64

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.management.base import BaseCommand


def base64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class Command(BaseCommand):
    help = (
        "Print a new VAPID key pair for Web Push reminders, as the environment lines the "
        "settings read. Keep the private key secret; a new pair makes every browser turn "
        "reminders on again."
    )

    def handle(self, **options):
        private = ec.generate_private_key(ec.SECP256R1())
        public = private.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        secret = private.private_numbers().private_value.to_bytes(32, "big")
        self.stdout.write(f"DJANGO_VAPID_PUBLIC_KEY={base64url(public)}")
        self.stdout.write(f"DJANGO_VAPID_PRIVATE_KEY={base64url(secret)}")
        self.stdout.write("DJANGO_VAPID_SUBJECT=mailto:you@example.org")
