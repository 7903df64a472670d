#!/usr/bin/env bash
# One consistent copy of the database (manage.py backup), named by the time, into
# BACKPAIN_BACKUP_DIR; copies older than BACKPAIN_BACKUP_KEEP_DAYS (14) are deleted.
# backpain-backup.service runs it daily as the app's user; `sudo systemctl start
# backpain-backup` runs it now. deploy/restore.sh puts a copy back.
set -euo pipefail
app="$(dirname "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")")"
dir="${BACKPAIN_BACKUP_DIR:?set by the environment file}"
case "$DATABASE_URL" in
    sqlite:*) suffix=sqlite3 ;;
    *) suffix=dump ;;
esac
"$app/../venv/bin/python" "$app/manage.py" backup "$dir/backpain-$(date -u +%Y-%m-%dT%H%M%SZ).$suffix"
find "$dir" -maxdepth 1 -name 'backpain-*' -mtime +"${BACKPAIN_BACKUP_KEEP_DAYS:-14}" -delete
