#!/usr/bin/env bash
# Runs every test: installs what is missing, fetches and verifies the data, cuts the playground
# packs, runs the Rust tests (with the property tests and the replayed fuzz corpus, and the WebGPU
# product kernel on SwiftShader's Vulkan driver), a short fuzz
# pass of every parser, builds the site (the page and the book), runs the browser tests against it, and runs the benchmark
# in its smoke mode (a few steps of everything, so it keeps working; no timing asserted).
set -euo pipefail
cd "$(dirname "$0")/.."
# Each phase prints what it cost, so a CI log says where the hour goes.
phase() {
  local name=$1 started=$SECONDS
  shift
  "$@"
  echo "test.sh: $name took $((SECONDS - started)) s"
}
phase "setup" source scripts/setup.sh
phase "crates" cargo fetch -q  # every crate in Cargo.lock, so the offline wasm builds below find the WebGPU ones too
# With the wgpu feature, so that the WebGPU product kernel's test (crates/core/tests/product.rs) runs
# too, on SwiftShader's Vulkan driver (Chromium's). One build for everything: the `distill` binary the
# tests build fetches the data and cuts the packs (a `cargo run` would build burn a second time,
# with other features: ~10 min on a fresh machine).
export VK_DRIVER_FILES=/usr/lib/chromium/vk_swiftshader_icd.json XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-/tmp}"
tests=(--workspace --features distill-core/wgpu)
phase "Rust build" cargo test "${tests[@]}" --no-run
phase "data" target/debug/distill fetch-data
phase "packs" target/debug/distill pack
# nextest runs the test binaries side by side, each test in its own process (the reasoning tests
# alone are minutes of one core each): 185 -> 135 s here. No crate has doc tests for it to skip.
phase "Rust tests" cargo nextest run "${tests[@]}" --no-fail-fast
phase "fuzz" bash scripts/fuzz.sh 5  # a short pass of each of 16 targets; `cargo test` replays the corpus
# The site as GitHub Pages builds it (scripts/site.sh): the release page, and the book under
# dist/book/ with its links checked; the tests' CLI cuts nothing the data and packs above did not.
phase "site" env DISTILL=target/debug/distill bash scripts/site.sh
phase "browser tests" npm test
phase "benchmark smoke" node scripts/bench.mjs --smoke
echo "test.sh: every phase passed in $((SECONDS / 60)) min $((SECONDS % 60)) s"
