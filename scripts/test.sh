#!/usr/bin/env bash
# Runs every test: installs what is missing, fetches and verifies the data, cuts the playground
# packs, runs the Rust tests (with the property tests and the replayed fuzz corpus, and the WebGPU
# product kernel on SwiftShader's Vulkan driver), a short fuzz
# pass of every parser, builds the page, runs the browser tests against it, and runs the benchmark
# in its smoke mode (a few steps of everything, so it keeps working; no timing asserted).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
cargo fetch -q  # every crate in Cargo.lock, so the offline wasm builds below find the WebGPU ones too
cargo run -q -p distill-cli -- fetch-data
cargo run -q -p distill-cli -- pack
# With the wgpu feature, so that the WebGPU product kernel's test (crates/core/tests/product.rs) runs
# too, on SwiftShader's Vulkan driver (Chromium's): one build for every test.
VK_DRIVER_FILES=/usr/lib/chromium/vk_swiftshader_icd.json XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-/tmp}" \
  cargo test --workspace --features distill-core/wgpu
bash scripts/fuzz.sh 15
trunk build --release --offline
npm test
node scripts/bench.mjs --smoke
