#!/usr/bin/env bash
# The dashboard under load: a generated store with 10,000 contacts (the demo generator at scale, as
# bench/engine uses), `rapport serve` from a release build, and wrk (Debian's package) with 20
# connections on loopback for a bounded time per address: every page's HTML and its /api/ JSON.
# Prints p50 and p99 latency and requests per second per address, as a Markdown table, then the
# map's first render in headless Chromium (bench/server/map.mjs) when the browser tests are installed.
# Usage: bench/server/run.sh [PEOPLE] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/../.."
people="${1:-10000}"
seconds="${2:-10}"
command -v wrk >/dev/null || { echo "needs wrk: apt-get install wrk" >&2; exit 1; }
db="${TMPDIR:-/tmp}/rapport-bench-server-$people.db"
cargo build --release -q -p rapport-cli
r="${CARGO_TARGET_DIR:-target}/release/rapport"
if [ ! -f "$db" ]; then
  $r --db "$db" demo --people "$people" >/dev/null
fi
port=$((20000 + RANDOM % 20000))
$r --db "$db" serve --port "$port" >/dev/null &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
base="http://127.0.0.1:$port"
for _ in $(seq 100); do curl -sf "$base/api/session" >/dev/null && break; sleep 0.1; done
# The keys of the six strongest relationships, percent-encoded (a key can be a fediverse URL):
# the first is loaded by 20 clients at once, the other five once each, to time a person computed.
keys=$(curl -sf "$base/api/people?limit=6" | python3 -c 'import json, sys, urllib.parse; [print(urllib.parse.quote(p["key"], safe="")) for p in json.load(sys.stdin)["people"]]')
top=$(echo "$keys" | head -1)

# The first request after a change computes what is kept (groups, the map's layout): timed once.
first() { curl -s -o /dev/null -w '%{time_total}' "$base$1" | awk '{printf "%.0f", $1 * 1000}'; }
echo "first /api/map after start: $(first /api/map) ms; first /api/groups: $(first /api/groups) ms"
echo
echo "| address | p50 ms | p99 ms | requests/s |"
echo "|---|---:|---:|---:|"
for path in / /api/today /people /api/people /map /api/map /discover /api/discover \
  /groups /api/groups /audit /api/audit /import "/person/$top" "/api/person/$top"; do
  curl -sf -o /dev/null "$base$path" || { echo "| \`$path\` | failed | | |"; continue; }
  out=$(wrk -t2 -c20 -d"${seconds}s" --timeout 10s --latency "$base$path")
  ms() { echo "$out" | awk -v p="$1" '$1 == p { v = $2; if (v ~ /us$/) { sub(/us/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms/, "", v) } else if (v ~ /s$/) { sub(/s/, "", v); v *= 1000 } printf "%.1f", v }'; }
  rps=$(echo "$out" | awk '/Requests\/sec/ {printf "%.0f", $2}')
  printf '| `%s` | %s | %s | %s |\n' "$path" "$(ms 50%)" "$(ms 99%)" "$rps"
done
# A person is kept once computed, until the data changes: the first request for each of five
# others is timed, one at a time (the median), as is the report, kept after its first request.
echo
echo "| one client | median ms (5 runs) |"
echo "|---|---:|"
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
t=$(echo "$keys" | tail -n +2 | while read -r key; do curl -sf -o /dev/null -w '%{time_total}\n' "$base/api/person/$key"; done | median)
printf '| first `/api/person/KEY` of a person (five people) | %.0f |\n' "$(echo "$t * 1000" | bc -l)"
for path in /report /api/report; do
  curl -sf -o /dev/null "$base$path" || { echo "| \`$path\` | failed |"; continue; }
  t=$(for _ in 1 2 3 4 5; do curl -sf -o /dev/null -w '%{time_total}\n' "$base$path"; done | median)
  printf '| `%s` | %.0f |\n' "$path" "$(echo "$t * 1000" | bc -l)"
done
echo
if [ -d tests/dashboard-browser/node_modules/playwright-core ] && command -v chromium >/dev/null; then
  echo "| browser | median |"
  echo "|---|---:|"
  node bench/server/map.mjs "$base" 5
fi
echo
echo "wrk -t2 -c20 -d${seconds}s --timeout 10s per address; load average $(cut -d" " -f1-3 /proc/loadavg); machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(free -g | awk '/Mem:/ {print $2}') GiB"
