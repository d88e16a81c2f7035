#!/usr/bin/env bash
# Installs what building, serving and testing the playground need; safe to run again (it skips
# what is there). Sourced by test.sh and build.sh so the PATH it sets carries over. With
# SETUP=build (the site's workflow) it installs only what building the site needs: no browsers,
# no fuzzer, no Python.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
testing=$([ "${SETUP:-all}" = build ] && echo false || echo true)
# apt needs root: as root (CI), plainly; as a user (a hosted runner), through sudo.
as_root=$([ "$(id -u)" = 0 ] || echo sudo)

need_apt=()
command -v dpkg-deb >/dev/null || need_apt+=(dpkg)
command -v npm >/dev/null || need_apt+=(nodejs npm)
if $testing; then
  [ -x /usr/bin/chromium ] || need_apt+=(chromium)
  # The other two engines of tests/engines.test.mjs: Firefox ESR, and WebKitGTK's MiniBrowser through
  # its WebDriver (no headless mode: an Xvfb display).
  [ -x /usr/bin/firefox-esr ] || need_apt+=(firefox-esr)
  [ -x /usr/bin/WebKitWebDriver ] || need_apt+=(webkit2gtk-driver)
  command -v Xvfb >/dev/null || need_apt+=(xvfb)
  # The Vulkan loader: the WebGPU product kernel's test runs natively on Chromium's SwiftShader driver.
  ldconfig -p | grep -q 'libvulkan\.so\.1 ' || need_apt+=(libvulkan1)
fi
# `apt-get download` (Fashion-MNIST) needs package lists; refresh them once per machine.
if [ ! -f .cache/registry/apt-updated ] || [ ${#need_apt[@]} -gt 0 ]; then
  $as_root apt-get update -qq
  mkdir -p .cache/registry && touch .cache/registry/apt-updated
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  $as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}"
fi

# Tools whose own speed hardly matters (trunk and cargo-fuzz drive other programs, mdBook renders a few
# dozen pages) are built without optimisation: a fresh machine compiles them in a fraction of the
# time (trunk, cold on 2 cores: 524 s as its release profile asks, fat LTO and one codegen unit;
# 197 s so). wasm-bindgen and nextest, which do the work themselves, stay optimised.
install_tool() { CARGO_PROFILE_DEV_DEBUG=0 cargo install --debug --locked "$@"; }

# The browser build: the wasm target, trunk and wasm-bindgen at the versions Trunk.toml pins.
rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
trunk --version 2>/dev/null | grep -q '^trunk 0.21.14$' || install_tool trunk --version 0.21.14
wasm-bindgen --version 2>/dev/null | grep -q ' 0.2.130$' || cargo install wasm-bindgen-cli --version 0.2.130
# The book (docs/, scripts/book.sh): mdBook's `build` alone (no server, no file watcher: a third of
# the crates to compile).
mdbook --version 2>/dev/null | grep -q ' v0.5.4$' ||
  install_tool mdbook --version 0.5.4 --no-default-features --features search
# npm: binaryen's wasm-opt 132 (the release build), playwright-core (drives /usr/bin/chromium) and
# puppeteer-core (firefox-esr; neither downloads a browser).
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

if $testing; then
  # The Rust tests' runner (test.sh); a CI machine of this project's kind has it already.
  cargo nextest --version 2>/dev/null | grep -q '^cargo-nextest 0.9.143 ' || cargo install --locked cargo-nextest --version 0.9.143
  # The fuzzer driver (scripts/fuzz.sh): cargo fuzz on stable Rust, with `-s none`.
  cargo fuzz --version 2>/dev/null | grep -q ' 0.13.2$' || install_tool cargo-fuzz --version 0.13.2
  # Python with NumPy and safetensors, in a venv: the browser tests run the book's scripts (a
  # student rebuilt in NumPy, a teacher's logits written by one).
  if ! .cache/venv/bin/python -c 'import numpy, safetensors' 2>/dev/null; then
    python3 -m venv .cache/venv
    .cache/venv/bin/pip install --quiet --disable-pip-version-check numpy==2.4.6 safetensors==0.8.0
  fi
fi
