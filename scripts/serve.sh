#!/usr/bin/env bash
# Until the browser app lands: fetches the data and runs the distillation demo natively.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cargo run -q -p distill-cli -- fetch-data
cargo run -q -p distill-cli -- distill --teacher mnist-cnn --student mlp:30-30 --budget 5000 --epochs 3 "$@"
