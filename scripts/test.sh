#!/usr/bin/env bash
# Runs every test: installs what is missing, fetches and verifies the data, then the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cargo run -q -p distill-cli -- fetch-data
cargo test --workspace
