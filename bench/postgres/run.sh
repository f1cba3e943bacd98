#!/usr/bin/env bash
# PostgreSQL beside SQLite, in the same run (issue 15): the Higgs activity file imported into a fresh
# store of each (and, as what a PostgreSQL user would do without Rapport, psql's `\copy` into a
# table with the same two indexes), then the read commands at 10,000 contacts against each backend.
# The tools take turns within each round, so a change in the machine's load reaches all of them.
# PostgreSQL is Debian's, started here as the postgres user on a free loopback port with its
# default durability settings (fsync and synchronous commit on), stopped at the end.
# With RAPPORT_BEFORE=path/to/an/older/rapport, that build takes its turn on PostgreSQL too (in databases
# of its own, as its schema may be older), so a change is measured against the build before it.
# Usage: bench/postgres/run.sh [RUNS] [PEOPLE]   (data: $RAPPORT_DATA or ../shared/data; run as root)
set -euo pipefail
cd "$(dirname "$0")/../.."
runs="${1:-3}"
people="${2:-10000}"
data="${RAPPORT_DATA:-$(cd .. && pwd)/shared/data}"
higgs="$data/snap-higgs-twitter/higgs-activity_time.txt.gz"
[ -f "$higgs" ] || { echo "no Higgs data at $higgs (set RAPPORT_DATA)" >&2; exit 1; }
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
work=$(mktemp -d "${TMPDIR:-/tmp}/rapport-bench-pg.XXXXXX")
chown postgres "$work"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
pg() { runuser -u postgres -- "$@"; }
pg "$bin/initdb" -D "$work/data" -A trust -U postgres -E UTF8 >/dev/null
pg "$bin/pg_ctl" -D "$work/data" -l "$work/log" -w -o "-c listen_addresses=127.0.0.1 -p $port -k $work" start >/dev/null
trap 'pg "$bin/pg_ctl" -D "$work/data" -m fast -w stop >/dev/null; rm -rf "$work"' EXIT
url="postgres://postgres@127.0.0.1:$port"
psql_() { psql -q -h 127.0.0.1 -p "$port" -U postgres "$@"; }

cargo build --release -q -p rapport-cli
r="${CARGO_TARGET_DIR:-target}/release/rapport"
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
seconds() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N); echo "$e - $s" | bc -l; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
fresh_db() { psql_ -c "DROP DATABASE IF EXISTS $1" && psql_ -c "CREATE DATABASE $1"; }

sqlite_once() { rm -f "$work"/r.db*; "$r" --db "$work/r.db" import "$higgs"; }
postgres_once() { fresh_db rapport_import; "$r" --db "$work/r.db" --database "$url/rapport_import" import "$higgs"; }
before="${RAPPORT_BEFORE:-}"
postgres_before_once() { fresh_db rapport_import; "$before" --db "$work/r.db" --database "$url/rapport_import" import "$higgs"; }
zcat "$higgs" | tr ' ' ',' > "$work/higgs.csv"
psql_copy_once() {
  fresh_db copy_import
  psql_ -d copy_import <<SQL
CREATE TABLE interactions (source BIGINT, target BIGINT, at BIGINT, kind TEXT);
\copy interactions FROM '$work/higgs.csv' WITH (FORMAT csv)
CREATE INDEX s ON interactions(source, at);
CREATE INDEX t ON interactions(target, at);
SQL
}

tools=(sqlite postgres psql_copy)
[ -n "$before" ] && tools+=(postgres_before)
declare -A times
load_before=$(load)
for _ in $(seq "$runs"); do
  for tool in "${tools[@]}"; do
    times[$tool]="${times[$tool]:-} $(seconds "${tool}_once")"
  done
done
load_after=$(load)
lines=563069
echo "### Import of the Higgs activity file"
echo
echo "| tool | median seconds ($runs runs) | interactions per second | every run (s) |"
echo "|---|---:|---:|---|"
for tool in "${tools[@]}"; do
  m=$(echo "${times[$tool]}" | tr ' ' '\n' | grep . | median)
  every=$(for t in ${times[$tool]}; do printf '%.2f ' "$t"; done)
  printf '| %s | %.2f | %s | %s|\n' "$tool" "$m" "$(echo "$lines / $m" | bc)" "$every"
done
echo
echo "load average (1, 5, 15 min): $load_before before, $load_after after"

# Read commands: the same generated store in each backend, each command timed on SQLite and on
# PostgreSQL in turn.
fresh_db rapport_reads
sq=("$r" --db "$work/reads.db")
pq=("$r" --db "$work/reads.db" --database "$url/rapport_reads")
rm -f "$work"/reads.db*
"${sq[@]}" demo --people "$people" >/dev/null
"${pq[@]}" --workspace demo demo --people "$people" >/dev/null
pq+=(--workspace demo)
if [ -n "$before" ]; then
  fresh_db rapport_reads_before
  pb=("$before" --db "$work/reads.db" --database "$url/rapport_reads_before" --workspace demo)
  "${pb[@]}" demo --people "$people" >/dev/null
fi
top=$("${sq[@]}" people --limit 1 --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["person"])')
now=$("${sq[@]}" people --limit 1 | sed -n 's/^as of \([^;]*\);.*/\1/p')
ms() { local s e; s=$(date +%s.%N); "$@" >/dev/null; e=$(date +%s.%N); echo "($e - $s) * 1000" | bc -l; }
echo
echo "### Read commands at $people contacts"
echo
if [ -n "$before" ]; then
  echo "| command | SQLite median ms | PostgreSQL median ms | ratio | PostgreSQL, build before, median ms |"
  echo "|---|---:|---:|---:|---:|"
else
  echo "| command | SQLite median ms | PostgreSQL median ms | ratio |"
  echo "|---|---:|---:|---:|"
fi
load_before=$(load)
for cmd in "stats" "people --limit 50" "people --limit 100000 --format csv" "person $top" "today" "audit" "discover" "groups" \
  "--as-of $now people --limit 50" "--as-of $now today"; do
  a=""; b=""; c=""
  # shellcheck disable=SC2086
  for _ in $(seq 5); do
    a="$a $(ms "${sq[@]}" $cmd)"; b="$b $(ms "${pq[@]}" $cmd)"
    [ -n "$before" ] && c="$c $(ms "${pb[@]}" $cmd)"
  done
  ma=$(echo "$a" | tr ' ' '\n' | grep . | median); mb=$(echo "$b" | tr ' ' '\n' | grep . | median)
  row=$(printf '| `rapport %s` | %.1f | %.1f | %.2f |' "$cmd" "$ma" "$mb" "$(echo "$mb / $ma" | bc -l)")
  [ -n "$before" ] && row="$row $(printf ' %.1f |' "$(echo "$c" | tr ' ' '\n' | grep . | median)")"
  echo "$row"
done
echo
echo "load average (1, 5, 15 min): $load_before before, $(load) after"
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(free -g | awk '/Mem:/ {print $2}') GiB; PostgreSQL $("$bin/postgres" --version | awk '{print $3}')"
