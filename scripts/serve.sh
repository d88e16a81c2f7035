#!/usr/bin/env bash
# Serves the playground on http://127.0.0.1:8080: builds it as scripts/build.sh does (installs
# what is missing, fetches the data, cuts the packs, builds the release page: the CPU backend needs
# it), then serves dist/ with its precompressed files. For live rebuilds while editing:
# `trunk serve --release`. The whole site, with the book: scripts/site.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/build.sh
exec node scripts/serve.mjs dist "${1:-8080}"
