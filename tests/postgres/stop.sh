#!/usr/bin/env bash
# Stop the server tests/postgres/start.sh started for URL and remove its folder. Does nothing for
# a URL it did not make (a ROSTER_TEST_PG_URL given by hand is never touched).
set -euo pipefail

URL=${1:-}
DIR=$(printf '%s' "$URL" | sed -n 's/.*[?&]host=\([^&]*\).*/\1/p')
case "$DIR" in
    "${TMPDIR:-/tmp}"/roster-test-pg.*) ;;
    *) exit 0 ;;
esac
[ -d "$DIR/data" ] || exit 0
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
as_owner "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null 2>&1 || true
rm -rf "$DIR"
