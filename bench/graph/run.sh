#!/usr/bin/env bash
# The graph benchmark: Rapport vs NetworKit (2 threads) vs igraph on the same files, same run.
#
#   bench/graph/run.sh            # com-DBLP, Slashdot (undirected copy), R-MAT 40M and 200M
#   SIZES="dblp slashdot" bench/graph/run.sh
#   SIZES=rmat-200m OPS=load,pagerank,components,query TOOLS=rapport bench/graph/run.sh
#   SIZES=rmat-40m TOOLS="rapport networkit" SKIP=plm bench/graph/run.sh   # without NetworKit's PLM
#   SIZES=rmat-200m OPS=load,query QUERIES=1000 TOOLS=rapport bench/graph/run.sh   # query latency
#
# Generated and normalised files go to $GRAPHDATA (default /work/targets/graphdata), never into
# the repository. Results are appended as JSON lines to $GRAPHDATA/results.jsonl.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
data="${RAPPORT_DATA:-$root/../shared/data}"
out="${GRAPHDATA:-/work/targets/graphdata}"
threads="${THREADS:-2}"
sizes="${SIZES:-dblp slashdot rmat-40m rmat-200m}"
tools="${TOOLS:-rapport networkit igraph}"
target="${CARGO_TARGET_DIR:-/work/targets/graph}"
mkdir -p "$out"

"$here/setup.sh"
py="$root/bench/.venv/bin/python"

# Rapport's side: the crate's bench driver (the same library `rapport graph` calls).
(cd "$root" && CARGO_TARGET_DIR="$target" cargo build --quiet --release -p rapport-graph --example bench)
ours="$target/release/examples/bench"

[ -f "$out/com-dblp.txt" ] || zcat "$data/snap-com-dblp-cdlib/com-dblp.ungraph.cdlib.txt.gz" > "$out/com-dblp.txt"
[ -f "$out/slashdot-undirected.txt" ] || "$ours" clean "$data/snap-soc-slashdot0902/soc-Slashdot0902.txt.gz" "$out/slashdot-undirected.txt" --threads "$threads"
[ -f "$out/rmat-40m.txt" ] || "$ours" rmat "$out/rmat-40m.txt" --scale 22 --edges 41000000 --seed 1 --threads "$threads"
[ -f "$out/rmat-200m.txt" ] || "$ours" rmat "$out/rmat-200m.txt" --scale 24 --edges 205000000 --seed 2 --threads "$threads"

{
  echo "# $(date -u +%FT%TZ) nproc=$(nproc) $(lscpu | grep 'Model name' | sed 's/ \+/ /g') mem=$(free -g | awk '/Mem:/{print $2}')G load=$(cut -d' ' -f1-3 /proc/loadavg)"
} >> "$out/results.jsonl"

record() { # dataset tool command...
  local dataset="$1" tool="$2"
  shift 2
  "$@" | while read -r line; do
    echo "{\"dataset\":\"$dataset\",\"tool\":\"$tool\",${line#\{}" | tee -a "$out/results.jsonl"
  done
}

for size in $sizes; do
  case "$size" in
    dblp) file="$out/com-dblp.txt" ;;
    slashdot) file="$out/slashdot-undirected.txt" ;;
    *) file="$out/$size.txt" ;;
  esac
  ops="load,pagerank,leiden,lpa,components"
  case "$size" in rmat-*) ops="load,pagerank,leiden,components,query" ;; esac
  ops="${OPS:-$ops}"
  if [[ " $tools " == *" rapport "* ]]; then
    record "$size" rapport "$ours" run "$file" --threads "$threads" --ops "$ops" --queries "${QUERIES:-100}"
  fi
  skip="${SKIP:-}"
  # PLM on top of ParallelLeiden doubles NetworKit's run on the largest graph; Leiden is the goal.
  [ "$size" = rmat-200m ] && skip="${skip:+$skip,}plm"
  if [[ " $tools " == *" networkit "* ]]; then
    record "$size" networkit "$py" "$here/compare.py" networkit "$file" --threads "$threads" --skip "$skip" || echo "networkit failed on $size"
  fi
  if [[ " $tools " == *" igraph "* ]]; then
    record "$size" igraph "$py" "$here/compare.py" igraph "$file" --skip "$skip" || echo "igraph failed on $size"
  fi
done
