#!/usr/bin/env bash
# Import speed: the whole Higgs activity file (563,069 interactions) into a fresh store, indexes
# included, beside what a user would do without Rapport: pandas `read_csv` + `to_sql`, and the
# sqlite3 shell's `.import`, each into a table with the same two indexes, in the same run.
# The tools take turns within each round, so that a change in the machine's load reaches all three;
# every time is printed, then the medians, with the load average before and after.
# Usage: bench/import/run.sh [RUNS]   (data: $RAPPORT_DATA or ../shared/data)
set -euo pipefail
cd "$(dirname "$0")/../.."
runs="${1:-3}"
data="${RAPPORT_DATA:-$(cd .. && pwd)/shared/data}"
higgs="$data/snap-higgs-twitter/higgs-activity_time.txt.gz"
[ -f "$higgs" ] || { echo "no Higgs data at $higgs (set RAPPORT_DATA)" >&2; exit 1; }
work="${TMPDIR:-/tmp}/rapport-bench-import"
mkdir -p "$work"

command -v sqlite3 >/dev/null || { apt-get update -qq && apt-get install -y -qq sqlite3 >/dev/null; }
[ -x bench/.venv/bin/python ] || python3 -m venv bench/.venv
bench/.venv/bin/python -c "import pandas" 2>/dev/null || bench/.venv/bin/pip install -q pandas
cargo build --release -q -p rapport-cli

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
seconds() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N); echo "$e - $s" | bc -l; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

rapport_once() { rm -f "$work"/r.db*; "${CARGO_TARGET_DIR:-target}"/release/rapport --db "$work/r.db" import "$higgs"; }
pandas_once() {
  rm -f "$work/p.db"
  bench/.venv/bin/python - "$higgs" "$work/p.db" <<'PY'
import sqlite3, sys
import pandas as pd
df = pd.read_csv(sys.argv[1], sep=" ", header=None, names=["source", "target", "at", "kind"])
con = sqlite3.connect(sys.argv[2])
df.to_sql("interactions", con, index=False)
con.execute("CREATE INDEX s ON interactions(source, at)")
con.execute("CREATE INDEX t ON interactions(target, at)")
con.commit()
PY
}
sqlite_once() {
  rm -f "$work/s.db"
  zcat "$higgs" | tr ' ' ',' > "$work/higgs.csv"
  sqlite3 "$work/s.db" <<SQL
CREATE TABLE interactions (source INTEGER, target INTEGER, at INTEGER, kind TEXT);
.mode csv
.import $work/higgs.csv interactions
CREATE INDEX s ON interactions(source, at);
CREATE INDEX t ON interactions(target, at);
SQL
}

tools=(rapport pandas sqlite)
declare -A times
load_before=$(load)
for _ in $(seq "$runs"); do
  for tool in "${tools[@]}"; do
    times[$tool]="${times[$tool]:-} $(seconds "${tool}_once")"
  done
done
load_after=$(load)

lines=563069
echo "| tool | median seconds ($runs runs) | interactions per second | every run (s) |"
echo "|---|---:|---:|---|"
for tool in "${tools[@]}"; do
  m=$(echo "${times[$tool]}" | tr ' ' '\n' | grep . | median)
  every=$(for t in ${times[$tool]}; do printf '%.2f ' "$t"; done)
  printf '| %s | %.2f | %s | %s|\n' "$tool" "$m" "$(echo "$lines / $m" | bc)" "$every"
done
echo
echo "load average (1, 5, 15 min): $load_before before, $load_after after"
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(free -g | awk '/Mem:/ {print $2}') GiB"
