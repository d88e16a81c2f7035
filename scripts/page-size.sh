#!/usr/bin/env bash
# The page's wasm as the first visit gets it (release build, wasm-bindgen, wasm-opt -Oz, brotli 11),
# in seconds once the release dependencies are built, without a whole `trunk build`: to measure
# what a change to the page costs. Prints raw and brotli bytes (the same figure as trunk's to the byte).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh >/dev/null
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cargo build -q --release --target wasm32-unknown-unknown -p distill-page --offline
wasm-bindgen --target web --out-dir "$out" target/wasm32-unknown-unknown/release/distill-page.wasm
node_modules/binaryen/bin/wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals "$out/distill-page_bg.wasm" -o "$out/page.wasm"
node -e 'const z = require("zlib"), b = require("fs").readFileSync(process.argv[1]);
  console.log(`page wasm: ${b.length} raw, ${z.brotliCompressSync(b, { params: { [z.constants.BROTLI_PARAM_QUALITY]: 11 } }).length} brotli`)' "$out/page.wasm"
