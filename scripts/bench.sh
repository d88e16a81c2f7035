#!/usr/bin/env bash
# The benchmark: first-visit bytes, load → ready and training examples/s against TensorFlow.js in
# one headless Chromium (scripts/bench.mjs), then the native CLI's pair against PyTorch when torch
# is installed (scripts/bench_torch.py). Builds the page only if dist/ has none.
#   bash scripts/bench.sh            the full run
#   bash scripts/bench.sh --smoke    a few steps of everything (CI runs this)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
[ -f web/packs/catalog.json ] || cargo run -q -p distill-cli -- pack
[ -f dist/index.html ] || trunk build --release --offline
node scripts/bench.mjs "$@"

# Native: the CLI's pair (two 784-800-800-10 students, one epoch of 60,000 each) against PyTorch.
if [[ " $* " != *" --smoke "* ]]; then
  echo "distill hinton --epochs 1 (the time it prints leaves out loading the data, as PyTorch's does):"
  cargo run -q -p distill-cli -- hinton --epochs 1 | tail -n 4
  if python3 -c 'import torch' 2>/dev/null; then
    python3 scripts/bench_torch.py "$(nproc)"
  else
    echo "PyTorch: not installed here (pip install torch to compare; CI does not)"
  fi
fi
