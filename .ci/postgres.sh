#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server on 127.0.0.1:${PGPORT:-5433} and prints its DATABASE_URL.
set -euo pipefail
PGPORT="${PGPORT:-5433}"
PGDATA="${PGDATA:-/tmp/backpain-pg}"
BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
if ! su postgres -c "$BIN/pg_ctl -D $PGDATA status" >/dev/null 2>&1; then
    rm -rf "$PGDATA"
    mkdir -p "$PGDATA"
    chown postgres: "$PGDATA"
    su postgres -c "$BIN/initdb -D $PGDATA -A trust -U postgres" >/dev/null
    su postgres -c "$BIN/pg_ctl -D $PGDATA -l $PGDATA/server.log -o '-p $PGPORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off' -w start" >/dev/null
fi
psql -h 127.0.0.1 -p "$PGPORT" -U postgres -tAc "SELECT 1 FROM pg_roles WHERE rolname='backpain'" | grep -q 1 ||
    psql -h 127.0.0.1 -p "$PGPORT" -U postgres -qc "CREATE ROLE backpain LOGIN CREATEDB PASSWORD 'backpain'"
psql -h 127.0.0.1 -p "$PGPORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='backpain'" | grep -q 1 ||
    psql -h 127.0.0.1 -p "$PGPORT" -U postgres -qc "CREATE DATABASE backpain OWNER backpain"
echo "postgres://backpain:backpain@127.0.0.1:$PGPORT/backpain"
