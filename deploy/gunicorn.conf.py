"""gunicorn's settings for backpain, read by the systemd unit and the container.
GUNICORN_CMD_ARGS or the command line override any of them (the container binds 0.0.0.0)."""

import os
from multiprocessing import cpu_count

wsgi_app = "backpain.wsgi"
bind = "127.0.0.1:8000"
# Several workers write at once only on PostgreSQL: SQLite keeps to one (README, "Data safety").
on_sqlite = os.environ.get("DATABASE_URL", "sqlite").startswith("sqlite")
workers = 1 if on_sqlite else cpu_count() * 2 + 1
# Past this a stuck request is killed and its worker replaced; an import is the slowest.
timeout = 60
graceful_timeout = 20
# Workers are recycled now and then, so a slow leak never grows for long.
max_requests = 2000
max_requests_jitter = 200
# No access log: paths carry share-link and password-reset tokens.
accesslog = None
