import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from pages import health

ROOT = Path(__file__).resolve().parent.parent

# Asks /healthz, migrates, asks again: one process, as a server sees a deploy.
FRESH_DATABASE_THEN_MIGRATE = """
import django
django.setup()
from django.core.management import call_command
from django.test import Client
print(Client().get("/healthz").status_code)
call_command("migrate", verbosity=0)
print(Client().get("/healthz").status_code)
"""


@pytest.fixture
def unknown_migrations(monkeypatch):
    monkeypatch.setattr(health, "_migrations_applied", False)


def test_healthz_ready_answers_ok_without_cookie_or_cache(client, db, unknown_migrations):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "Set-Cookie" not in response.headers
    assert "no-store" in response.headers["Cache-Control"]


def test_healthz_head_answers_ok(client, db, unknown_migrations):
    assert client.head("/healthz").status_code == 200


def test_healthz_once_ready_costs_one_query(client, db, django_assert_num_queries):
    client.get("/healthz")
    with django_assert_num_queries(1):
        assert client.get("/healthz").status_code == 200


def test_healthz_unapplied_migration_answers_503(client, db, unknown_migrations):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_migrations WHERE app = 'pages'")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content == b"unavailable"


def run_in_process(code: str, database_url: str) -> list[str]:
    env = os.environ | {"DJANGO_SETTINGS_MODULE": "backpain.settings", "DATABASE_URL": database_url}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return result.stdout.split()


def test_healthz_fresh_database_answers_503_until_migrated(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    assert run_in_process(FRESH_DATABASE_THEN_MIGRATE, url) == ["503", "200"]


def test_healthz_unreachable_database_answers_503(tmp_path):
    url = f"sqlite:///{tmp_path / 'no such directory' / 'db.sqlite3'}"
    code = "import django; django.setup(); from django.test import Client\n"
    code += "print(Client().get('/healthz').status_code)"
    assert run_in_process(code, url) == ["503"]
