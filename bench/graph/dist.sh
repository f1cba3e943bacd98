#!/usr/bin/env bash
# Distributed graph jobs (timely dataflow, `rapport graph ... --processes N`) against the in-memory
# engine on the same file, same run: one thread, two threads, then 1, 2 and 4 processes on
# loopback (one worker each). Every process runs under /usr/bin/time, so each line records its
# wall and CPU seconds and its peak RSS; process 0's JSON adds the rounds and bytes exchanged.
#
#   bench/graph/dist.sh                                   # R-MAT 40M, PageRank and components
#   SIZES=rmat-200m JOBS=rank bench/graph/dist.sh         # needs 14+ GiB free
#   ITERATIONS=39 PROCS="1 2 4" bench/graph/dist.sh
#   JOBS="communities recommend-all" SEEDS=10000 bench/graph/dist.sh
#   BENCH=/path/to/bench RAPPORT=/path/to/rapport bench/graph/dist.sh   # binaries already built
#   SIZES=rmat-200m JOBS=rank THREADS= PROCS=4 bench/graph/dist.sh   # one configuration
#   RAPPORT=/path/to/rapport bench/graph/dist.sh          # a binary already built
#
# Jobs: rank, components, communities (label propagation), recommend-all (for $SEEDS users drawn
# at random, seeded, from the file's nodes, written to $GRAPHDATA/SIZE.SEEDS.seeds; in memory it
# is the graph crate's bench driver ranking the same users with `who_to_follow` on rayon threads).
#
# Inputs come from bench/graph/run.sh's $GRAPHDATA (R-MAT files are generated there if missing);
# results are appended to $GRAPHDATA/dist-results.jsonl, one JSON object per process.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${GRAPHDATA:-/work/targets/graphdata}"
target="${CARGO_TARGET_DIR:-$root/target}"
sizes="${SIZES:-rmat-40m}"
jobs="${JOBS:-rank components}"
procs="${PROCS-1 2 4}"
# In-memory thread counts to run beside the processes ("" for none).
threads="${THREADS-1 2}"
# The in-memory engine stops R-MAT 40M's PageRank at its 1e-8 tolerance after 39 iterations;
# the distributed job runs the same number, so both do the same work.
iterations="${ITERATIONS:-39}"
results="$out/dist-results.jsonl"
mkdir -p "$out"

seeds="${SEEDS:-10000}"
rapport="${RAPPORT:-}"
if [ -z "$rapport" ]; then
  (cd "$root" && CARGO_TARGET_DIR="$target" cargo build --quiet --release -p rapport-cli)
  rapport="$target/release/rapport"
fi
bench="${BENCH:-}"
if [ -z "$bench" ] && [[ " $jobs " == *" recommend-all "* ]]; then
  (cd "$root" && CARGO_TARGET_DIR="$target" cargo build --quiet --release -p rapport-graph --example bench)
  bench="$target/release/examples/bench"
fi
for size in $sizes; do
  case "$size" in
    rmat-40m) [ -f "$out/$size.txt" ] || "$rapport" graph generate rmat --scale 22 --edges 41000000 --seed 1 --output "$out/$size.txt" ;;
    rmat-200m) [ -f "$out/$size.txt" ] || "$rapport" graph generate rmat --scale 24 --edges 205000000 --seed 2 --output "$out/$size.txt" ;;
  esac
done

echo "# $(date -u +%FT%TZ) nproc=$(nproc) mem=$(free -g | awk '/Mem:/{print $2}')G load=$(cut -d' ' -f1-3 /proc/loadavg)" >> "$results"

# run LABEL SIZE JOB PROCESS COMMAND...: one process under /usr/bin/time, as one JSON line.
run() {
  local label="$1" size="$2" job="$3" process="$4" log
  shift 4
  log="$(mktemp)"
  /usr/bin/time -f '%e %U %S %M' -o "$log.time" "$@" > "$log" 2> "$log.err" || { cat "$log.err" >&2; return 1; }
  read -r wall user sys rss < "$log.time"
  local report
  # Standard output is the JSON report (builds before the cluster's own connection code printed
  # timely's connection lines first: anything before the report is skipped); the listing is dropped.
  report="$(tr -d '\n' < "$log" | sed 's/^[^{[]*//; s/"results": *\[[^]]*\]//; s/,[[:space:]]*,/,/; s/,[[:space:]]*}/}/')"
  echo "{\"size\":\"$size\",\"job\":\"$job\",\"config\":\"$label\",\"process\":$process,\"wall_s\":$wall,\"cpu_s\":$(echo "$user + $sys" | bc),\"max_rss_mb\":$((rss / 1024)),\"load\":\"$(cut -d' ' -f1 /proc/loadavg)\",\"report\":${report:-null}}" | tee -a "$results"
  rm -f "$log" "$log.time" "$log.err"
}

# The users recommend-all ranks for: $seeds distinct nodes drawn at random (seeded) from the
# file's sources. (R-MAT files list their lowest ids, the hubs, first, so the first lines' sources
# would be the heaviest users there are.)
seeds_of() { # SIZE
  local list="$out/$1.$seeds.seeds"
  [ -s "$list" ] || awk '{print $1}' "$out/$1.txt" | sort -u -n | shuf -n "$seeds" --random-source=<(yes 16) > "$list"
  echo "$list"
}

in_memory() { # SIZE JOB THREADS
  local file="$out/$1.txt"
  case "$2" in
    rank) run "memory-$3t" "$1" "$2" 0 "$rapport" graph --threads "$3" rank "$file" --format json ;;
    components) run "memory-$3t" "$1" "$2" 0 "$rapport" graph --threads "$3" load "$file" --format json ;;
    communities) run "memory-$3t" "$1" "$2" 0 "$rapport" graph --threads "$3" communities "$file" --method label-propagation --format json ;;
    # The ranking of one user is sequential; two threads rank two users at a time on one graph.
    # The driver prints one JSON object per step (load, users, users-cpu): report them as a list.
    recommend-all) run "memory-$3t" "$1" "$2" 0 bash -c '"$0" run "$1" --threads "$2" --ops users --users "$3" --circle 100 --limit 20 | paste -sd, | sed "s/^/[/; s/\$/]/"' "$bench" "$file" "$3" "$(seeds_of "$1")" ;;
  esac
}

distributed() { # SIZE JOB PROCESSES
  local file="$out/$1.txt" n="$3" hosts dir pids=()
  hosts="$(mktemp)"
  dir="$(mktemp -d)"
  # Free loopback ports: bind port 0 and read the port back.
  python3 -c "import socket
ss=[socket.socket() for _ in range($n)]
[s.bind(('127.0.0.1',0)) for s in ss]
print('\n'.join('127.0.0.1:%d' % s.getsockname()[1] for s in ss))" > "$hosts"
  local extra=()
  case "$2" in
    rank) extra=(--iterations "$iterations") ;;
    communities) extra=(--method label-propagation) ;;
    recommend-all) extra=(--users "$(seeds_of "$1")") ;;
  esac
  for ((p = 0; p < n; p++)); do
    run "timely-${n}p" "$1" "$2" "$p" "$rapport" graph "$2" "$file" "${extra[@]}" --processes "$n" --process "$p" \
      --hosts "$hosts" --workers 1 --output-dir "$dir" --format json &
    pids+=($!)
  done
  local failed=0
  for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
  rm -rf "$hosts" "$dir"
  return "$failed"
}

for size in $sizes; do
  for job in $jobs; do
    for t in $threads; do in_memory "$size" "$job" "$t"; done
    for n in $procs; do distributed "$size" "$job" "$n"; done
  done
done
