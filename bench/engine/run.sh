#!/usr/bin/env bash
# Read commands at scale: a generated store with 10,000 contacts (the demo generator at scale),
# timing `people`, `person`, `today`, `audit`, `discover` and `groups` from a release build.
# Reads of the default view come from the views an import keeps in the store; `--as` another account
# computes that account's views once and then keeps them too; the same commands with
# `--as-of` the data's own "now" compute everything afresh, and importing a table with no rows
# (which still counts as a change) times what an import adds to bring the kept views up to date.
# Usage: bench/engine/run.sh [PEOPLE] [RUNS]
# RAPPORT_BIN=path/to/rapport times that binary instead of building this checkout's (to alternate an
# older build with this one on the same machine).
set -euo pipefail
cd "$(dirname "$0")/../.."
people="${1:-10000}"
runs="${2:-5}"
db="${TMPDIR:-/tmp}/rapport-bench-engine-$people.db"
if [ -n "${RAPPORT_BIN:-}" ]; then
  r="$RAPPORT_BIN"
else
  cargo build --release -q -p rapport-cli
  r="${CARGO_TARGET_DIR:-target}/release/rapport"
fi
rm -f "$db"*
start=$(date +%s.%N)
$r --db "$db" demo --people "$people" >/dev/null
stats=$($r --db "$db" stats --format json | tr -d ' \n')
# The totals are the largest counts of each name (the by-kind rows repeat the names).
total() { echo "$stats" | grep -o "\"$1\":[0-9]*" | cut -d: -f2 | sort -n | tail -1; }
echo "generated and imported in $(echo "$(date +%s.%N) - $start" | bc -l | cut -c1-5) s: $(total interactions) interactions, $(total accounts) accounts, $(total posts) posts"
# Handles from the JSON listing (CSV output guards cells that start with `@` against spreadsheets).
handles() { $r --db "$db" people --limit "$1" --format json | python3 -c 'import json,sys; print("\n".join(p["person"] for p in json.load(sys.stdin)))'; }
top=$(handles 1)
# Other accounts' views, which no import keeps: the 10th to 14th strongest ties.
others=$(handles 14 | sed -n '10,14p')

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
time_cmd() {
  for _ in $(seq "$runs"); do
    s=$(date +%s.%N); "$@" >/dev/null; e=$(date +%s.%N); echo "($e - $s) * 1000" | bc -l
  done | median
}
echo "| command | median ms ($runs runs) |"
echo "|---|---:|"
now=$($r --db "$db" people --limit 1 | sed -n 's/^as of \([^;]*\);.*/\1/p')
empty="${TMPDIR:-/tmp}/rapport-bench-engine-empty.csv"
printf 'timestamp,source,target,kind\n' > "$empty"
for cmd in "people --limit 50" "people --limit 100000 --format csv" "person $top" "today" "audit" "discover" "groups" \
  "--as-of $now people --limit 50" "--as-of $now today" "--as-of $now audit" "--as-of $now discover" "import $empty"; do
  # shellcheck disable=SC2086
  printf '| `rapport %s` | %.0f |\n' "$cmd" "$(time_cmd $r --db "$db" $cmd)"
done
# The first read as an account no one asked for before: a different account each run.
for cmd in discover today; do
  # shellcheck disable=SC2086
  ms=$(for o in $others; do
    s=$(date +%s.%N); $r --db "$db" --as "$o" $cmd >/dev/null; e=$(date +%s.%N); echo "($e - $s) * 1000" | bc -l
  done | median)
  printf '| `rapport --as OTHER %s` (first read as that account) | %.0f |\n' "$cmd" "$ms"
done
echo
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(free -g | awk '/Mem:/ {print $2}') GiB"
