#!/usr/bin/env bash
# Run a command with a throwaway PostgreSQL server: QUALITY_TEST_POSTGRES names it, and the
# test fixtures (tests/database.py) create a fresh database on it for each test. Installs
# PostgreSQL from Debian's packages when it is not there; stops and removes the server after.
set -euo pipefail

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

BIN_DIR="$(find_bin)"
if [ -z "$BIN_DIR" ]; then
    echo "with_postgres: installing PostgreSQL from Debian's packages" >&2
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo -n"
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        postgresql >/dev/null
    BIN_DIR="$(find_bin)"
fi
[ -n "$BIN_DIR" ] || { echo "with_postgres: no PostgreSQL server binaries found" >&2; exit 1; }

# In memory when there is room: every test creates a database of ~9 MB from a template, and
# on a disk their writes cost a third of the PostgreSQL run. The tests drop each test's own.
# Not for the benchmarks (QUALITY_PG_FSYNC=on): their commits must reach a disk.
PARENT=/tmp
if [ "${QUALITY_PG_FSYNC:-off}" = off ] && [ -d /dev/shm ] \
    && [ "$(df -Pk /dev/shm | awk 'NR == 2 {print $4}')" -gt $((2 * 1024 * 1024)) ]; then
    PARENT=/dev/shm
fi
DATA="$(mktemp -d -p "${QUALITY_PG_DIR:-$PARENT}" quality-pg-XXXXXX)"
AS=()
if [ "$(id -u)" -eq 0 ]; then  # initdb refuses to run as root: the package's user runs it
    chown postgres "$DATA"
    AS=(runuser -u postgres --)
fi
PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"

stop() {
    "${AS[@]}" "$BIN_DIR/pg_ctl" -D "$DATA/db" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$DATA"
}
trap stop EXIT

"${AS[@]}" "$BIN_DIR/initdb" -D "$DATA/db" -A trust -U postgres -E UTF8 >/dev/null
# fsync off: a test server that is thrown away need not survive a power cut. The benchmarks
# set QUALITY_PG_FSYNC=on: their commits must cost what they cost in production.
"${AS[@]}" "$BIN_DIR/pg_ctl" -D "$DATA/db" -l "$DATA/log" -w -o \
    "-p $PORT -k $DATA -c listen_addresses=127.0.0.1 -c fsync=${QUALITY_PG_FSYNC:-off} -c max_connections=300" \
    start >/dev/null
echo "with_postgres: PostgreSQL $("$BIN_DIR/postgres" --version | awk '{print $3}') on port $PORT" >&2

export QUALITY_TEST_POSTGRES="postgres://postgres@127.0.0.1:$PORT/postgres"
"$@"
