import os
import sqlite3
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection


class Command(BaseCommand):
    help = (
        "Write a consistent copy of the live database to a file: VACUUM INTO for SQLite "
        "(restore by copying the file into place), pg_dump's custom format for PostgreSQL "
        "(restore with pg_restore --clean --dbname=...)."
    )

    def add_arguments(self, parser):
        parser.add_argument("destination", type=Path)

    def handle(self, *, destination: Path, **options):
        if destination.exists():
            raise CommandError(f"{destination} already exists; choose a new file name.")
        if connection.vendor == "sqlite":
            self.backup_sqlite(destination)
        elif connection.vendor == "postgresql":
            self.backup_postgresql(destination)
        else:
            raise CommandError(f"No backup method for {connection.vendor}.")
        self.stdout.write(f"Backed up to {destination} ({destination.stat().st_size} bytes).")

    def backup_sqlite(self, destination: Path) -> None:
        connection.ensure_connection()
        # VACUUM INTO reads one consistent snapshot, even while other workers write.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM INTO %s", [str(destination)])
        with sqlite3.connect(destination) as copy:
            (result,) = copy.execute("PRAGMA integrity_check").fetchone()
        if result != "ok":
            raise CommandError(f"The copy failed its integrity check: {result}")

    def backup_postgresql(self, destination: Path) -> None:
        settings = connection.settings_dict
        env = os.environ | {"PGPASSWORD": settings.get("PASSWORD") or ""}
        command = ["pg_dump", "--format=custom", "--no-owner", f"--file={destination}"]
        for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
            if settings.get(key):
                command.append(f"{flag}={settings[key]}")
        command.append(settings["NAME"])
        try:
            subprocess.run(command, env=env, check=True, capture_output=True, text=True)
        except FileNotFoundError as error:
            raise CommandError(
                "pg_dump is not installed (apt install postgresql-client)."
            ) from error
        except subprocess.CalledProcessError as error:
            raise CommandError(f"pg_dump failed: {error.stderr.strip()}") from error
