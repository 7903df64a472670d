#!/usr/bin/env bash
# Puts a backup back, replacing everything in the database:
#   sudo /opt/backpain/app/deploy/restore.sh /var/lib/backpain/backups/backpain-<time>.sqlite3
# Stops the app, restores (SQLite: the current file stays beside it as .before-restore-<time>;
# PostgreSQL: the schema is emptied, then pg_restore), migrates the data to this version of
# the code and starts the app again.
set -euo pipefail
[[ $# -eq 1 && -f "$1" ]] || { echo "usage: restore.sh BACKUP_FILE" >&2; exit 2; }
backup="$(readlink -f "$1")"
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/env.sh"
as_app_user() { runuser -u "$BACKPAIN_USER" -- "$@"; }

services=(backpain.service backpain-reminders.timer)
if [[ -z "$root" && -d /run/systemd/system ]]; then
    systemctl stop "${services[@]}"
else
    echo "systemd is not running here: stop and start the app yourself around this."
fi
case "$DATABASE_URL" in
    sqlite:*)
        database="${DATABASE_URL#sqlite:///}"
        [[ -f "$database" ]] && cp -p "$database" "$database.before-restore-$(date -u +%Y%m%dT%H%M%S)"
        install -o "$BACKPAIN_USER" -g "$BACKPAIN_USER" -m 640 "$backup" "$database.restoring"
        mv "$database.restoring" "$database"
        rm -f "$database-wal" "$database-shm"
        ;;
    *)
        as_app_user psql --quiet --dbname="$DATABASE_URL" \
            -c 'DROP SCHEMA public CASCADE' -c 'CREATE SCHEMA public'
        as_app_user pg_restore --no-owner --exit-on-error --dbname="$DATABASE_URL" <"$backup"
        ;;
esac
as_app_user "$python" "$app/manage.py" migrate --noinput -v0
if [[ -z "$root" && -d /run/systemd/system ]]; then
    systemctl start "${services[@]}"
fi
echo "Restored $backup."
