#!/usr/bin/env bash
# A throwaway PostgreSQL server for tests/planner/store/test_postgres.py, on a Unix socket only
# (no TCP port is opened). Prints its SQLAlchemy URL on stdout; `make test` passes it to pytest
# as ROSTER_TEST_PG_URL and stops the server afterwards (tests/postgres/stop.sh URL). Installs
# Debian's postgresql when missing. Exits non-zero when it cannot.
#
# Each run gets its own folder (mktemp), so two test runs on one machine never share a database
# (the tests drop every table). The server listens on a socket in that folder only; the "port"
# just names the socket file, so a fixed number cannot collide across folders.
set -euo pipefail

PORT=5432
bin_dir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

BIN=$(bin_dir)
if [ -z "$BIN" ]; then
    (apt-get update && apt-get install -y postgresql) >&2
    BIN=$(bin_dir)
fi

DIR=$(mktemp -d "${TMPDIR:-/tmp}/roster-test-pg.XXXXXX")
# initdb refuses to run as root: run the server as the postgres user then.
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ "$(id -u)" = 0 ]; then chown postgres "$DIR"; fi

fail() { as_owner "$BIN/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$DIR"; exit 1; }
trap fail ERR
as_owner "$BIN/initdb" -D "$DIR/data" -A trust -U roster -E UTF8 >&2
as_owner "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w \
    -o "-k $DIR -p $PORT -c listen_addresses=''" start >&2
"$BIN/createdb" -h "$DIR" -p "$PORT" -U roster roster_test >&2
trap - ERR
echo "postgresql+psycopg://roster@/roster_test?host=$DIR&port=$PORT"
