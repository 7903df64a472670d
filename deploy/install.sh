#!/usr/bin/env bash
# Puts backpain on a Debian server behind Caddy, or upgrades it in place. Run from a checkout:
#
#   sudo deploy/install.sh backpain.example.org             # a public name: Let's Encrypt
#   sudo deploy/install.sh --internal backpain.home.arpa    # a home network: Caddy's own CA
#   sudo deploy/install.sh                                  # later, after git pull: upgrade
#
# Options: --db postgres|sqlite (postgres by default; chosen once), --internal / --acme (how
# Caddy gets its certificate; kept on later runs), --email ADDRESS (the Web Push contact),
# --no-start (install everything, start nothing).
# A second run keeps the data, the secret key and the VAPID keys, and changes only what the
# new code needs; it prints what it changed, or "Nothing changed.".
#
# For tests: BACKPAIN_ROOT=/dir puts every file under /dir (nothing is then started),
# BACKPAIN_USER names the system user (and the PostgreSQL role and database), BACKPAIN_PYTHON
# picks the interpreter (python3 by default: Debian 13 has 3.13), PGHOST/PGPORT the server.
set -euo pipefail

SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROOT="${BACKPAIN_ROOT:-}"
APP_USER="${BACKPAIN_USER:-backpain}"
PYTHON="${BACKPAIN_PYTHON:-python3}"
BASE="$ROOT/opt/backpain"
APP="$BASE/app"
VENV="$BASE/venv"
STATIC="$BASE/static"
DATA="$ROOT/var/lib/backpain"
CONF="$ROOT/etc/backpain"
ENV_FILE="$CONF/backpain.env"
CADDY_ENV="$CONF/caddy.env"
UNITS="$ROOT/etc/systemd/system"
CADDYFILE="$ROOT/etc/caddy/Caddyfile"
MANAGE_LINK="$ROOT/usr/local/bin/backpain-manage"

usage() {
    sed -n '2,10s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
    exit "${1:-0}"
}

DOMAIN="" DB="" TLS="" EMAIL="" START=1
while (($#)); do
    case "$1" in
        --db) DB="$2"; shift ;;
        --internal) TLS=internal ;;
        --acme) TLS=acme ;;
        --email) EMAIL="$2"; shift ;;
        --no-start) START=0 ;;
        -h | --help) usage ;;
        -*) echo "Unknown option $1" >&2; usage 2 ;;
        *) DOMAIN="$1" ;;
    esac
    shift
done

changes=()
changed() {
    echo "  changed: $*"
    changes+=("$*")
}
die() {
    echo "install.sh: $*" >&2
    exit 1
}

# KEY=VALUE files (the app's environment, Caddy's), read and written one key at a time.
env_get() {
    if [[ -r "$2" ]]; then sed -n "s/^$1=//p" "$2" | tail -n 1; fi
}
env_set() {
    local key="$1" value="$2" file="$3"
    if grep -q "^$key=" "$file" && [[ "$(env_get "$key" "$file")" == "$value" ]]; then
        return
    fi
    awk -v key="$key" -v value="$value" '
        index($0, key "=") == 1 { print key "=" value; done = 1; next }
        { print }
        END { if (!done) print key "=" value }' "$file" >"$file.new"
    chmod --reference="$file" "$file.new"
    mv "$file.new" "$file"
    changed "$key in ${file#"$ROOT"}"
}
env_default() {
    grep -q "^$1=" "$3" || env_set "$1" "$2" "$3"
}
load_env() {
    local line
    while IFS= read -r line; do
        if [[ "$line" =~ ^[A-Z_][A-Z0-9_]*= ]]; then export "${line?}"; fi
    done <"$ENV_FILE"
}

ensure_dir() { # path owner:group mode
    local path="$1" owner="$2" mode="$3"
    if [[ ! -d "$path" ]]; then
        install -d -o "${owner%:*}" -g "${owner#*:}" -m "$mode" "$path"
        changed "${path#"$ROOT"}/"
    elif [[ "$(stat -c '%U:%G %a' "$path")" != "$owner ${mode#0}" ]]; then
        chown "$owner" "$path" && chmod "$mode" "$path"
        changed "${path#"$ROOT"}/ owner or mode"
    fi
}

# Copies a file into place (mode 644, root's) only when its content differs.
put_file() { # source destination
    if ! cmp -s "$1" "$2"; then
        install -D -m 644 "$1" "$2"
        changed "${2#"$ROOT"}"
    fi
}

# What a tree holds, as one hash: every file's path, mode and content (bytecode aside).
fingerprint() {
    (cd "$1" && find . -name __pycache__ -prune -o -type f -printf '%m %p\n' | sort &&
        find . -name __pycache__ -prune -o -type f -print0 | sort -z | xargs -0 sha256sum) |
        sha256sum
}

as_app_user() {
    (umask 027 && runuser -u "$APP_USER" -- "$@")
}
manage() {
    as_app_user "$VENV/bin/python" "$APP/manage.py" "$@"
}

[[ $EUID -eq 0 ]] || die "run it as root (sudo deploy/install.sh ...)."
cd /

if [[ -z "$DOMAIN" ]]; then
    DOMAIN="$(env_get DJANGO_ALLOWED_HOSTS "$ENV_FILE")"
    [[ -n "$DOMAIN" ]] || usage 2
fi
[[ "$DOMAIN" =~ ^[A-Za-z0-9.-]+$ ]] || die "$DOMAIN is not a host name."
current_url="$(env_get DATABASE_URL "$ENV_FILE")"
current_db="${current_url%%:*}"
current_db="${current_db/postgresql/postgres}"
DB="${DB:-${current_db:-postgres}}"
[[ "$DB" == postgres || "$DB" == sqlite ]] || die "--db is postgres or sqlite."
if [[ -n "$current_url" && "$DB" != "$current_db" ]]; then
    die "this server already runs on $current_db; moving the data to $DB is a job by hand."
fi
TLS="${TLS:-$(env_get BACKPAIN_TLS "$CADDY_ENV")}"
TLS="${TLS:-acme}"

echo "backpain for https://$DOMAIN ($DB, certificate: $TLS)"

echo "- packages"
packages=(python3-venv caddy)
[[ "$DB" == postgres ]] && packages+=(postgresql)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null | grep -qx installed ||
        missing+=("$package")
done
if ((${#missing[@]})); then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
    changed "installed ${missing[*]}"
fi
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null ||
    die "backpain needs Python 3.12 or later ($PYTHON is older): use Debian 13, or set BACKPAIN_PYTHON."

echo "- user and directories"
if ! id -u "$APP_USER" >/dev/null 2>&1; then
    useradd --system --user-group --home-dir "$DATA" --no-create-home \
        --shell /usr/sbin/nologin "$APP_USER"
    changed "user $APP_USER"
fi
ensure_dir "$BASE" root:root 755
ensure_dir "$DATA" "$APP_USER:$APP_USER" 750
ensure_dir "$DATA/backups" "$APP_USER:$APP_USER" 750
ensure_dir "$CONF" root:root 755

echo "- code"
stage="$BASE/app.new"
rm -rf "$stage"
mkdir "$stage"
tar -C "$SRC" --exclude=./.git --exclude=./.venv --exclude=./staticfiles \
    --exclude='./*.sqlite3*' --exclude=__pycache__ --exclude=.pytest_cache \
    --exclude=.ruff_cache --exclude=node_modules -cf - . | tar -C "$stage" --no-same-owner -xf -
chmod -R u+w,go-w,a+rX "$stage"
code_changed=0
if [[ -d "$APP" && "$(fingerprint "$stage")" == "$(fingerprint "$APP")" ]]; then
    rm -rf "$stage"
else
    rm -rf "$APP.old"
    [[ -d "$APP" ]] && mv "$APP" "$APP.old"
    mv "$stage" "$APP"
    rm -rf "$APP.old"
    code_changed=1
    changed "${APP#"$ROOT"}"
fi

echo "- Python packages"
if ! "$VENV/bin/python" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
    rm -rf "$VENV"
    "$PYTHON" -m venv "$VENV"
    changed "${VENV#"$ROOT"}"
fi
# The app's own packages: requirements.txt down to its "# Tests and tooling" line.
sed '/^# Tests and tooling/,$d' "$APP/requirements.txt" >"$VENV/requirements.next"
if cmp -s "$VENV/requirements.next" "$VENV/requirements.txt"; then
    rm "$VENV/requirements.next"
else
    "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$VENV/requirements.next"
    mv "$VENV/requirements.next" "$VENV/requirements.txt"
    changed "Python packages"
fi
((code_changed)) && "$VENV/bin/python" -m compileall -q "$APP" >/dev/null

echo "- settings (${ENV_FILE#"$ROOT"}, readable by root only)"
if [[ ! -f "$ENV_FILE" ]]; then
    install -m 600 /dev/null "$ENV_FILE"
    cat >"$ENV_FILE" <<'EOF'
# backpain's settings (README, "Configuration"). install.sh keeps what is here; it adds what
# a new version needs and updates the host name when given another one.
# Mail for sign-up and password resets, through your provider's SMTP server:
#DJANGO_EMAIL_HOST=smtp.example.org
#DJANGO_EMAIL_HOST_USER=
#DJANGO_EMAIL_HOST_PASSWORD=
EOF
    changed "${ENV_FILE#"$ROOT"}"
fi
if [[ "$DB" == sqlite ]]; then
    database_url="sqlite:///$DATA/backpain.sqlite3"
else
    # Peer authentication on the local socket: the app's system user is its role, no password.
    pg_host="${PGHOST:-/var/run/postgresql}"
    database_url="postgres://${pg_host//\//%2F}:${PGPORT:-5432}/$APP_USER"
fi
env_set BACKPAIN_USER "$APP_USER" "$ENV_FILE"
env_set DJANGO_DEBUG 0 "$ENV_FILE"
env_set DJANGO_ALLOWED_HOSTS "$DOMAIN" "$ENV_FILE"
env_set DJANGO_SITE_URL "https://$DOMAIN" "$ENV_FILE"
env_set DJANGO_TRUSTED_PROXY_HEADER X-Forwarded-For "$ENV_FILE"
env_set DJANGO_STATIC_ROOT "$STATIC" "$ENV_FILE"
env_set BACKPAIN_BACKUP_DIR "$DATA/backups" "$ENV_FILE"
env_set DJANGO_IMPORT_DIR "$DATA/imports" "$ENV_FILE"
env_default DATABASE_URL "$database_url" "$ENV_FILE"
env_default DJANGO_DEFAULT_FROM_EMAIL "backpain <noreply@$DOMAIN>" "$ENV_FILE"
env_default DJANGO_SECRET_KEY "$("$PYTHON" -c 'import secrets; print(secrets.token_urlsafe(50))')" "$ENV_FILE"
if ! grep -q '^DJANGO_VAPID_PRIVATE_KEY=' "$ENV_FILE"; then
    # The same lines as `manage.py make_vapid_keys`: a P-256 pair, base64url without padding.
    keys="$("$VENV/bin/python" -c '
import base64
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
key = ec.generate_private_key(ec.SECP256R1())
public = key.public_key().public_bytes(
    serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
)
secret = key.private_numbers().private_value.to_bytes(32, "big")
for name, raw in (("PUBLIC", public), ("PRIVATE", secret)):
    print(f"DJANGO_VAPID_{name}_KEY=" + base64.urlsafe_b64encode(raw).rstrip(b"=").decode())
')"
    env_set DJANGO_VAPID_PUBLIC_KEY "$(env_get DJANGO_VAPID_PUBLIC_KEY <(echo "$keys"))" "$ENV_FILE"
    env_set DJANGO_VAPID_PRIVATE_KEY "$(env_get DJANGO_VAPID_PRIVATE_KEY <(echo "$keys"))" "$ENV_FILE"
fi
if [[ -n "$EMAIL" ]]; then
    env_set DJANGO_VAPID_SUBJECT "mailto:$EMAIL" "$ENV_FILE"
else
    env_default DJANGO_VAPID_SUBJECT "https://$DOMAIN" "$ENV_FILE"
fi
load_env

echo "- database"
if [[ "$DB" == postgres ]]; then
    as_postgres() { runuser -u postgres -- "$@"; }
    if [[ -z "$(as_postgres psql -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$APP_USER'")" ]]; then
        as_postgres createuser "$APP_USER"
        changed "PostgreSQL role $APP_USER"
    fi
    if [[ -z "$(as_postgres psql -tAc "SELECT 1 FROM pg_database WHERE datname = '$APP_USER'")" ]]; then
        as_postgres createdb --owner="$APP_USER" "$APP_USER"
        changed "PostgreSQL database $APP_USER"
    fi
fi
if ! manage migrate --check >/dev/null 2>&1; then
    manage migrate --noinput
    changed "database migrations"
fi
manage check --deploy --fail-level WARNING >/dev/null

echo "- static files"
release="$(fingerprint "$APP" | cut -d' ' -f1)"
if [[ "$(cat "$STATIC/.release" 2>/dev/null)" != "$release" ]]; then
    "$VENV/bin/python" "$APP/manage.py" collectstatic --noinput -v0
    echo "$release" >"$STATIC/.release"
    changed "${STATIC#"$ROOT"}"
fi

echo "- systemd units, Caddy"
units_changed=0
render() { # the repository's file, with this machine's paths and user
    sed -e "s|/opt/backpain|$BASE|g" -e "s|/var/lib/backpain|$DATA|g" \
        -e "s|/etc/backpain|$CONF|g" -e "s/^\(User\|Group\)=backpain$/\1=$APP_USER/" "$1"
}
count="${#changes[@]}"
rendered="$(mktemp)"
trap 'rm -f "$rendered"' EXIT
for unit in "$APP"/deploy/systemd/*; do
    render "$unit" >"$rendered"
    put_file "$rendered" "$UNITS/${unit##*/}"
done
printf '[Service]\nEnvironmentFile=%s\n' "$CADDY_ENV" >"$rendered"
put_file "$rendered" "$UNITS/caddy.service.d/backpain.conf"
((${#changes[@]} > count)) && units_changed=1
count="${#changes[@]}"
if [[ -f "$CADDYFILE" && ! -f "$CADDYFILE.before-backpain" ]] && ! grep -q BACKPAIN_DOMAIN "$CADDYFILE"; then
    cp -p "$CADDYFILE" "$CADDYFILE.before-backpain"
fi
put_file "$APP/deploy/Caddyfile" "$CADDYFILE"
[[ -f "$CADDY_ENV" ]] || install -m 644 /dev/null "$CADDY_ENV"
env_set BACKPAIN_DOMAIN "$DOMAIN" "$CADDY_ENV"
env_set BACKPAIN_TLS "$TLS" "$CADDY_ENV"
caddy_changed=$((${#changes[@]} > count))
if [[ ! -L "$MANAGE_LINK" || "$(readlink "$MANAGE_LINK")" != "$APP/deploy/manage.sh" ]]; then
    mkdir -p "${MANAGE_LINK%/*}"
    ln -sfn "$APP/deploy/manage.sh" "$MANAGE_LINK"
    changed "${MANAGE_LINK#"$ROOT"} (manage.py as $APP_USER)"
fi

echo "- services"
if ((START)) && [[ -z "$ROOT" && -d /run/systemd/system ]]; then
    ((units_changed)) && systemctl daemon-reload
    for unit in backpain.service backpain-reminders.timer backpain-backup.timer caddy.service; do
        if ! systemctl is-enabled --quiet "$unit" || ! systemctl is-active --quiet "$unit"; then
            systemctl enable --now --quiet "$unit"
            changed "started $unit"
        fi
    done
    if ((${#changes[@]})); then
        systemctl restart backpain.service
    fi
    ((caddy_changed)) && systemctl restart caddy.service
else
    echo "  not started: systemd is not running here, or --no-start or BACKPAIN_ROOT was given"
fi

if ((${#changes[@]})); then
    echo "Done: ${#changes[@]} changes. Open https://$DOMAIN/ on your phone (README: \"Put it on your phone\")."
else
    echo "Nothing changed."
fi
