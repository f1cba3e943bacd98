#!/bin/sh
# Starts the throwaway PostgreSQL cluster the local Bluesky network keeps its AppView in: Debian's
# PostgreSQL, loopback only, port 55432, trust auth, data in a folder of the system's temporary
# directory that the postgres user owns (the checkout may sit where that user cannot reach). A
# cluster already answering on that port is used as it is (every run makes and drops its own schemas).
# `postgres.sh stop` stops the one started here.
set -eu
cd "$(dirname "$0")"
PORT=55432
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
PG="${TMPDIR:-/tmp}/rapport-bluesky-network-pg"
DATA="$PG/data"
if [ "${1:-}" = stop ]; then
    su postgres -c "$BIN/pg_ctl -D '$DATA' -m fast -w stop"
    exit 0
fi
if "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then
    exit 0
fi
mkdir -p "$PG" && chown postgres "$PG" && chmod 700 "$PG"
if [ ! -f "$DATA/PG_VERSION" ]; then
    su postgres -c "$BIN/initdb -D '$DATA' -U postgres --auth=trust >'$PG/initdb.log' 2>&1"
fi
su postgres -c "$BIN/pg_ctl -D '$DATA' -o '-p $PORT -k $PG -c listen_addresses=127.0.0.1' -l '$PG/log' -w start"
