#!/usr/bin/env bash
# Builds the book (docs/, mdBook; the benchmark's snapshot drawn first by scripts/plots.mjs) into
# dist/book/, beside the playground, writes its Content-Security-Policy into every page and checks
# that every link inside it reaches a page and an anchor that exist, and that every image it shows
# is in the book and none comes from another origin (scripts/book.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf dist/book
node scripts/plots.mjs  # the benchmark's snapshot, drawn from docs/src/results/benchmark.json
mdbook build docs --dest-dir dist/book
node scripts/book.mjs dist/book
