#!/usr/bin/env bash
# Builds the playground into dist/ (sourced by serve.sh and site.sh, so the PATH setup.sh sets
# carries over): installs what is missing, fetches the data, cuts the packs the page downloads
# when they are older than what makes them, and builds the release page when a source is newer
# than the last build (a release build takes minutes). `DISTILL` is the CLI to run (test.sh gives
# the one its tests built; by default `cargo run`).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh
read -r -a distill <<< "${DISTILL:-cargo run -q -p distill-cli --}"
cargo fetch -q  # every crate in Cargo.lock, so the offline wasm builds below find the WebGPU ones too
"${distill[@]}" fetch-data
if [ ! -f web/packs/catalog.json ] || [ -n "$(find crates/data/src crates/cli/src/pack.rs web/teachers \
    -newer web/packs/catalog.json -print -quit)" ]; then
  "${distill[@]}" pack
fi
# What the page and its workers are built from: their crates' sources and manifests (not the CLI's,
# nor any crate's tests/), the assets trunk copies, and the post-build scripts.
page_crates=(crates/{browser,core,data,page,playground,spec,worker}/{src,Cargo.toml})
if [ ! -f dist/index.html ] || [ -n "$(find "${page_crates[@]}" web/style.css web/packs web/lessons.json web/es.json \
    index.html Trunk.toml Cargo.toml Cargo.lock .cargo scripts/{post-build,version,csp,compress}.mjs \
    -newer dist/index.html -print -quit)" ]; then
  trunk build --release --offline
fi
