#!/usr/bin/env bash
# Serves the playground on http://127.0.0.1:8080: installs what is missing, fetches the data,
# cuts the packs the page downloads, then `trunk serve` (release build: the CPU backend needs it).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
cargo run -q -p distill-cli -- fetch-data
[ -f web/packs/catalog.json ] || cargo run -q -p distill-cli -- pack
exec trunk serve --release --offline "$@"
