#!/usr/bin/env bash
# Runs every test: installs what is missing, fetches and verifies the data, cuts the playground
# packs, runs the Rust tests, builds the page and runs the browser tests against it.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
cargo run -q -p distill-cli -- fetch-data
cargo run -q -p distill-cli -- pack
cargo test --workspace
trunk build --release --offline
npm test
