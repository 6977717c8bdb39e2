#!/usr/bin/env bash
# A throwaway PostgreSQL server for tests/planner/store/test_postgres.py, on a Unix socket only
# (no TCP port is opened). Prints its SQLAlchemy URL on stdout; `make test` passes it to pytest
# as ROSTER_TEST_PG_URL. Installs Debian's postgresql when missing. Exits non-zero when it cannot.
set -euo pipefail

DIR=${ROSTER_TEST_PG_DIR:-/tmp/roster-test-pg}
PORT=55432
URL="postgresql+psycopg://roster@/roster_test?host=$DIR&port=$PORT"

bin_dir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

BIN=$(bin_dir)
if [ -z "$BIN" ]; then
    (apt-get update && apt-get install -y postgresql) >&2
    BIN=$(bin_dir)
fi

# initdb refuses to run as root: run the server as the postgres user then.
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

if ! "$BIN/pg_isready" -q -h "$DIR" -p "$PORT"; then
    rm -rf "$DIR"
    mkdir -p "$DIR"
    if [ "$(id -u)" = 0 ]; then chown postgres "$DIR"; fi
    as_owner "$BIN/initdb" -D "$DIR/data" -A trust -U roster -E UTF8 >&2
    as_owner "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w \
        -o "-k $DIR -p $PORT -c listen_addresses=''" start >&2
    "$BIN/createdb" -h "$DIR" -p "$PORT" -U roster roster_test >&2
fi
echo "$URL"
