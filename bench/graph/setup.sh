#!/usr/bin/env bash
# Creates bench/.venv (gitignored) with the tools the graph benchmark compares against.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
venv="$root/bench/.venv"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet --upgrade pip
"$venv/bin/pip" install --quiet networkit igraph leidenalg
"$venv/bin/python" -c 'import networkit, igraph, leidenalg; print("networkit", networkit.__version__, "igraph", igraph.__version__, "leidenalg", leidenalg.version)'
