#!/usr/bin/env bash
# Builds the book (docs/, mdBook) into dist/book/, beside the playground, writes its
# Content-Security-Policy into every page and checks that every link inside it reaches a page and
# an anchor that exist and that no page loads anything from another origin (scripts/book.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf dist/book
mdbook build docs --dest-dir dist/book
node scripts/book.mjs dist/book
