#!/usr/bin/env bash
# Runs every test: installs what is missing, fetches and verifies the data, cuts the playground
# packs, runs the Rust tests (with the property tests and the replayed fuzz corpus), a short fuzz
# pass of every parser, builds the page, runs the browser tests against it, and runs the benchmark
# in its smoke mode (a few steps of everything, so it keeps working; no timing asserted).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
cargo fetch -q  # every crate in Cargo.lock, so the offline wasm builds below find the WebGPU ones too
cargo run -q -p distill-cli -- fetch-data
cargo run -q -p distill-cli -- pack
cargo test --workspace
bash scripts/fuzz.sh 15
trunk build --release --offline
npm test
node scripts/bench.mjs --smoke
