import shutil
import sqlite3
import subprocess

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from pages.models import Entry

pytestmark = pytest.mark.django_db(transaction=True)


def test_backup_existing_destination_refused(tmp_path):
    target = tmp_path / "copy"
    target.write_text("keep me")
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", str(target))
    assert target.read_text() == "keep me"


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite backup")
def test_backup_sqlite_copy_restores_every_entry(tmp_path, user, make_entry):
    for days_ago in range(30):
        make_entry(user, days_ago=days_ago, pain=days_ago % 11, notes=f"day {days_ago}")
    backup = tmp_path / "backup.sqlite3"
    call_command("backup", str(backup))
    restored = tmp_path / "restored.sqlite3"
    shutil.copy(backup, restored)  # the documented restore: put the file in place
    with sqlite3.connect(restored) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        rows = db.execute("SELECT date, pain, notes FROM pages_entry ORDER BY date").fetchall()
    expected = [(str(e.date), e.pain, e.notes) for e in Entry.objects.order_by("date")]
    assert rows == expected


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL backup")
def test_backup_postgresql_archive_lists_the_diary(tmp_path, user, make_entry):
    make_entry(user)
    backup = tmp_path / "backup.dump"
    call_command("backup", str(backup))
    listing = subprocess.run(
        ["pg_restore", "--list", str(backup)], capture_output=True, text=True, check=True
    ).stdout
    assert "TABLE DATA public pages_entry" in listing
