#!/usr/bin/env bash
# Accuracy and speed of rapport-check's model beside scikit-learn TF-IDF + logistic regression,
# trained and tested on exactly the same split files in the same run.
#
# Usage: bench/check/run.sh [DATA_DIR]   (default: $RAPPORT_DATA or ../shared/data)
# Creates bench/.venv with scikit-learn from PyPI on first use.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
data="${1:-${RAPPORT_DATA:-$root/../shared/data}}"
target="${CARGO_TARGET_DIR:-$root/target}"
venv="$root/bench/.venv"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
"$venv/bin/python" -c 'import sklearn' 2>/dev/null || "$venv/bin/pip" install --quiet scikit-learn

cd "$root"
cargo build --release --quiet -p rapport-check --example eval --example throughput

echo "## Machine"
echo
echo "- $(nproc) cores, $(lscpu | grep 'Model name' | sed 's/  */ /g'), $(free -g | awk '/Mem:/ {print $2}') GiB RAM"
echo "- scikit-learn $("$venv/bin/python" -c 'import sklearn; print(sklearn.__version__)'), rustc $(rustc --version | cut -d' ' -f2)"
echo

# Rapport trains and scores each split and writes the split files; scikit-learn then trains on the
# same files. Both run pinned to one core.
taskset -c 0 "$target/release/examples/eval" --data "$data" --splits "$work" > "$work/rapport.tsv"
echo "## Accuracy (threshold 0.5)"
echo
OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 taskset -c 0 \
    "$venv/bin/python" "$root/bench/check/sklearn_baseline.py" "$work" "$work/rapport.tsv"
echo
echo "## Rapport throughput (one core)"
echo
echo '```'
taskset -c 0 "$target/release/examples/throughput" --data "$data"
echo '```'
