import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parent.parent


def test_csp_strict_and_every_script_from_a_file(client, db):
    """No inline script anywhere, so no per-request nonce: pages can be rendered once."""
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self';" in policy + ";"
    assert "nonce" not in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert directive in policy
    scripts = re.findall(r"<script[^>]*>", response.content.decode())
    assert scripts
    assert all(' src="/' in tag and "nonce" not in tag for tag in scripts)


def test_htmx_configured_without_eval_or_inline_styles(client, db):
    html = client.get("/").content.decode()
    assert '"allowEval":false' in html
    assert '"includeIndicatorStyles":false' in html
    assert "hx-on" not in html


@pytest.mark.parametrize(
    ("header", "value"),
    [
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "same-origin"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
        ("X-Frame-Options", "DENY"),
    ],
)
def test_security_headers_present(client, db, header, value):
    assert client.get("/").headers[header] == value


@pytest.mark.parametrize(
    "url", ["/", "/guide/", "/sw.js", "/manifest.webmanifest", "/api/entries/", "/nowhere/"]
)
def test_every_response_refuses_other_sites(client, db, url):
    assert client.get(url).headers["Cross-Origin-Resource-Policy"] == "same-origin"


def test_static_files_refuse_other_sites(settings, tmp_path):
    (tmp_path / "icon.svg").write_text("<svg></svg>")
    settings.STATIC_ROOT = tmp_path
    settings.STATICFILES_DIRS = []
    # WhiteNoise reads STATIC_ROOT when a client's middleware is built, on its first request.
    response = Client().get("/static/icon.svg")
    assert response.status_code == 200
    assert response.headers["Cross-Origin-Resource-Policy"] == "same-origin"


def permissions_policy(response) -> dict[str, str]:
    directives = (
        part.strip().split("=", 1) for part in response.headers["Permissions-Policy"].split(",")
    )
    return dict(directives)


def test_permissions_policy_turns_off_what_the_app_does_not_use(client, db):
    policy = permissions_policy(client.get("/"))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "fullscreen"):
        assert policy[feature] == "()", feature
    # Sharing a report link and passkeys may come; notifications are not policy features.
    for kept in ("clipboard-write", "web-share", "publickey-credentials-get", "notifications"):
        assert kept not in policy


def test_permissions_policy_on_the_worker_and_manifest(client, db):
    for url in ("/sw.js", "/manifest.webmanifest"):
        response = client.get(url)
        assert response.status_code == 200
        assert permissions_policy(response)["camera"] == "()"


@pytest.mark.parametrize("url", ["/", "/guide/", "/offline/", "/accounts/login/"])
def test_pages_for_nobody_say_so_for_the_service_worker(client, db, url):
    assert client.get(url).headers["Backpain-Session"] == "none"


@pytest.mark.parametrize("url", ["/", "/log/", "/guide/", "/settings/"])
def test_signed_in_pages_do_not_say_signed_out(signed_in, url):
    assert "Backpain-Session" not in signed_in.get(url).headers


@pytest.mark.parametrize("url", ["/", "/log/", "/diary/", "/settings/", "/api/entries/"])
def test_private_pages_not_stored(signed_in, url):
    assert signed_in.get(url).headers["Cache-Control"] == "no-store"


def test_public_guide_may_be_cached(client, db):
    assert "no-store" not in client.get("/guide/").headers.get("Cache-Control", "")


def test_logout_clears_site_cache(signed_in):
    response = signed_in.post("/accounts/logout/")
    assert response.headers["Clear-Site-Data"] == '"cache"'


def test_deploy_check_passes_with_production_environment(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"} | {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "backpain.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
