"""Shared pieces of the load and fault benchmarks: a gunicorn server on 127.0.0.1 that can
be started, killed and restarted, seeded users, and a small cookie-keeping HTTP client.

Every benchmark targets 127.0.0.1 only and stops by itself."""

import http.client
import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PASSWORD = "bench passphrase 2026"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url(kind: str, workdir: Path) -> str:
    if kind == "sqlite":
        return f"sqlite:///{workdir / 'bench.sqlite3'}"
    url = subprocess.run(
        ["bash", str(ROOT / ".ci/postgres.sh")], capture_output=True, text=True, check=True
    ).stdout.strip()
    # A fresh database per run, so figures do not depend on earlier runs.
    name = f"bench_{secrets.token_hex(4)}"
    admin = url.rsplit("/", 1)[0].replace("backpain:backpain", "postgres")
    subprocess.run(
        ["psql", f"{admin}/postgres", "-qc", f"CREATE DATABASE {name} OWNER backpain"], check=True
    )
    return url.rsplit("/", 1)[0] + f"/{name}"


@dataclass
class Server:
    db_kind: str = "sqlite"
    workers: int = 4
    timeout: int = 30  # gunicorn's, in seconds
    workdir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="backpain-bench-")))
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    def __post_init__(self):
        self.env = os.environ | {
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_STATIC_ROOT": str(self.workdir / "static"),
            "DATABASE_URL": database_url(self.db_kind, self.workdir),
            "DJANGO_LOG_LEVEL": "ERROR",
        }
        self.manage("migrate", "--noinput", "-v0")
        self.manage("collectstatic", "--noinput", "-v0")

    def manage(self, *args: str, stdin: str | None = None) -> str:
        return subprocess.run(
            [PYTHON, "manage.py", *args], cwd=ROOT, env=self.env, input=stdin,
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip

    def shell(self, code: str) -> str:
        return self.manage("shell", "-v0", "-c", code)

    def start(self) -> None:
        self.process = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "backpain.wsgi", "--bind", f"127.0.0.1:{self.port}",
             "--workers", str(self.workers), "--timeout", str(self.timeout),
             "--graceful-timeout", "5", "--log-level", "warning"],
            cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                Client(self.port).get("/guide/")
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def worker_pids(self) -> list[int]:
        out = subprocess.run(
            ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True
        ).stdout
        return [int(pid) for pid in out.split()]

    def kill_all(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill_all()

    def make_users(self, count: int, prefix: str = "runner") -> list[str]:
        emails = [f"{prefix}{n}@bench.example" for n in range(count)]
        self.shell(
            "from pages.models import User\n"
            "from django.contrib.auth.hashers import make_password\n"
            f"hashed = make_password({PASSWORD!r})\n"
            f"User.objects.bulk_create([User(email=e, password=hashed) for e in {emails!r}],"
            " ignore_conflicts=True)\n"
        )
        return emails


class Client:
    """One keep-alive connection with its own cookies, like one phone."""

    def __init__(self, port: int, timeout: float = 30):
        self.port, self.timeout = port, timeout
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)

    def request(self, method: str, path: str, body=None, headers=None) -> tuple[int, bytes]:
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, data

    def get(self, path: str) -> tuple[int, bytes]:
        return self.request("GET", path)

    @property
    def csrf(self) -> str:
        return next((v for k, v in self.cookies.items() if k.endswith("csrftoken")), "")

    def post_form(self, path: str, fields: dict) -> tuple[int, bytes]:
        body = urlencode(fields | {"csrfmiddlewaretoken": self.csrf}, doseq=True)
        headers = {"Content-Type": "application/x-www-form-urlencoded", "X-CSRFToken": self.csrf}
        return self.request("POST", path, body, headers)

    def post_json(self, path: str, payload: dict) -> tuple[int, bytes]:
        headers = {"Content-Type": "application/json", "X-CSRFToken": self.csrf}
        return self.request("POST", path, json.dumps(payload), headers)

    def login(self, email: str) -> None:
        self.get("/accounts/login/")
        status, _ = self.post_form("/accounts/login/", {"username": email, "password": PASSWORD})
        if status != 302:
            raise RuntimeError(f"login failed for {email}: {status}")
        self.get("/log/")  # a fresh CSRF token for this session


def entry(date: str, pain: int, **fields) -> dict:
    return {"uuid": str(uuid.uuid4()), "date": date, "pain": pain, "base_version": None} | fields


def percentiles(samples: list[float]) -> dict[str, float]:
    if not samples:
        return {"p50": 0, "p95": 0, "p99": 0}
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return {"p50": statistics.median(samples), "p95": cuts[94], "p99": cuts[98]}
