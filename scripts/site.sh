#!/usr/bin/env bash
# Builds the whole site into dist/: the playground (scripts/build.sh) and, under dist/book/, the
# book, its links checked (scripts/book.sh). The GitHub Pages workflow
# (.github/workflows/pages.yml) runs exactly this and uploads dist/; test.sh runs it too.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/build.sh
bash scripts/book.sh
