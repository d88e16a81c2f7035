#!/usr/bin/env bash
# Serves the playground on http://127.0.0.1:8080: installs what is missing, fetches the data,
# cuts the packs the page downloads, builds the release page (the CPU backend needs it) and serves
# dist/ with its precompressed files. For live rebuilds while editing: `trunk serve --release`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
cargo fetch -q  # every crate in Cargo.lock, so the offline wasm builds below find the WebGPU ones too
cargo run -q -p distill-cli -- fetch-data
# Cut the packs again when the code or the teachers that make them are newer than the last cut.
if [ ! -f web/packs/catalog.json ] || [ -n "$(find crates/data/src crates/cli/src/pack.rs web/teachers \
    -newer web/packs/catalog.json -print -quit)" ]; then
  cargo run -q -p distill-cli -- pack
fi
# Rebuild only when a source is newer than the last build (a release build takes minutes).
if [ ! -f dist/index.html ] || [ -n "$(find crates web/style.css web/packs index.html Trunk.toml Cargo.toml Cargo.lock \
    -newer dist/index.html -print -quit)" ]; then
  trunk build --release --offline
fi
exec node scripts/serve.mjs dist "${1:-8080}"
