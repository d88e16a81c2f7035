#!/usr/bin/env bash
# Installs what building, serving and testing the playground need; safe to run again (it skips
# what is there). Sourced by test.sh and serve.sh so the PATH it sets carries over.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

need_apt=()
command -v dpkg-deb >/dev/null || need_apt+=(dpkg)
command -v npm >/dev/null || need_apt+=(nodejs npm)
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
# The other two engines of tests/engines.test.mjs: Firefox ESR, and WebKitGTK's MiniBrowser through
# its WebDriver (no headless mode: an Xvfb display).
[ -x /usr/bin/firefox-esr ] || need_apt+=(firefox-esr)
[ -x /usr/bin/WebKitWebDriver ] || need_apt+=(webkit2gtk-driver)
command -v Xvfb >/dev/null || need_apt+=(xvfb)
# The Vulkan loader: the WebGPU product kernel's test runs natively on Chromium's SwiftShader driver.
ldconfig -p | grep -q 'libvulkan\.so\.1 ' || need_apt+=(libvulkan1)
# `apt-get download` (Fashion-MNIST) needs package lists; refresh them once per machine.
if [ ! -f .cache/registry/apt-updated ] || [ ${#need_apt[@]} -gt 0 ]; then
  apt-get update -qq
  mkdir -p .cache/registry && touch .cache/registry/apt-updated
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}"
fi

# The browser build: the wasm target, trunk and wasm-bindgen at the versions Trunk.toml pins.
rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
trunk --version 2>/dev/null | grep -q '^trunk 0.21.14$' || cargo install --locked trunk --version 0.21.14
wasm-bindgen --version 2>/dev/null | grep -q ' 0.2.130$' || cargo install wasm-bindgen-cli --version 0.2.130
# The fuzzer driver (scripts/fuzz.sh): cargo fuzz on stable Rust, with `-s none`.
cargo fuzz --version 2>/dev/null | grep -q ' 0.13.2$' || cargo install --locked cargo-fuzz --version 0.13.2

# npm: playwright-core (drives /usr/bin/chromium), puppeteer-core (firefox-esr; neither downloads a
# browser) and binaryen's wasm-opt 132.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

# Python with NumPy and safetensors, in a venv: the browser tests run README.md's and
# web/README.md's scripts (a student rebuilt in NumPy, a teacher's logits written by one).
if ! .cache/venv/bin/python -c 'import numpy, safetensors' 2>/dev/null; then
  python3 -m venv .cache/venv
  .cache/venv/bin/pip install --quiet --disable-pip-version-check numpy==2.4.6 safetensors==0.8.0
fi
