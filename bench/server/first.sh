#!/usr/bin/env bash
# What is computed the first time after a change, against one build (run it for an old and a new
# build in turn, alternated): a fresh `rapport serve` on STORE (the kept views of the store warm,
# nothing kept in the server), the first /api/report (timed), then 20 clients each opening a
# different person for the first time, all at once (the median and the slowest), then the same 20
# people one at a time on a second fresh server (the sum). Prints one line with the load average.
# Usage: bench/server/first.sh RAPPORT_BINARY STORE   (e.g. the bench/server/run.sh store)
set -euo pipefail
bin=$1; db=$2
port=$((41000 + RANDOM % 2000))
command -v bc >/dev/null || { echo "needs bc" >&2; exit 1; }
$bin --db "$db" serve --port "$port" >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
base="http://127.0.0.1:$port"
for _ in $(seq 200); do curl -sf "$base/api/session" >/dev/null && break; sleep 0.1; done
curl -sf -o /dev/null "$base/api/people?limit=1"
report=$(curl -sf -o /dev/null -w '%{time_total}' "$base/api/report")
keys=$(curl -sf "$base/api/people?limit=60" | python3 -c 'import json, sys, urllib.parse; [print(urllib.parse.quote(p["key"], safe="")) for p in json.load(sys.stdin)["people"][40:60]]')
times=$(for k in $keys; do curl -sf -o /dev/null -w '%{time_total}\n' "$base/api/person/$k" & done; wait)
slowest=$(echo "$times" | sort -n | tail -1)
median=$(echo "$times" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
kill $server; wait $server 2>/dev/null || true
$bin --db "$db" serve --port "$((port+1))" >/dev/null 2>&1 &
server=$!
base="http://127.0.0.1:$((port+1))"
for _ in $(seq 200); do curl -sf "$base/api/session" >/dev/null && break; sleep 0.1; done
curl -sf -o /dev/null "$base/api/people?limit=1"
one=$(for k in $keys; do curl -sf -o /dev/null -w '%{time_total}\n' "$base/api/person/$k"; done | awk '{s+=$1} END {print s}')
printf '%s first_report_ms=%.0f persons20_slowest_ms=%.0f persons20_median_ms=%.0f persons20_one_at_a_time_sum_ms=%.0f load=%s\n' \
  "$(basename "$bin")" "$(echo "$report*1000" | bc -l)" "$(echo "$slowest*1000" | bc -l)" "$(echo "$median*1000" | bc -l)" "$(echo "$one*1000" | bc -l)" "$(cut -d' ' -f1 /proc/loadavg)"
