#!/usr/bin/env bash
# Installs what building and testing the playground needs; safe to run again (it skips what is there).
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v dpkg-deb >/dev/null || need_apt+=(dpkg)
command -v npm >/dev/null || need_apt+=(nodejs npm)
# `apt-get download` (Fashion-MNIST) needs package lists; refresh them once per machine.
if [ ! -f .cache/registry/apt-updated ] || [ ${#need_apt[@]} -gt 0 ]; then
  apt-get update -qq
  mkdir -p .cache/registry && touch .cache/registry/apt-updated
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}"
fi
