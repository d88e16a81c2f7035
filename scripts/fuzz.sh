#!/usr/bin/env bash
# Runs every fuzz target (fuzz/fuzz_targets/, bodies in crates/fuzz-targets) for SECONDS each
# (default 60), starting from the committed corpus, and prints per target the executions and the
# crashes. Stable Rust: cargo fuzz with `-s none` (no sanitizer; libFuzzer's coverage needs only
# `-C` flags) and `-a` (debug assertions and overflow checks on, as in `cargo test`).
#   bash scripts/fuzz.sh [SECONDS] [TARGET...]
# New inputs go to a scratch folder; `KEEP=1` merges those that reach new code into fuzz/corpus/
# (then commit them: `cargo test -p distill-fuzz-targets` replays the whole corpus).
# A crash leaves its input in fuzz/artifacts/<target>/ and makes the script exit 1.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(idx dataset teacher pack questions catalog weights url architecture mode words messages sweep page problem reasoning)
# As scripts/setup.sh installs it (unoptimised: it only drives cargo), when this runs without it.
cargo fuzz --version 2>/dev/null | grep -q ' 0.13.2$' ||
  CARGO_PROFILE_DEV_DEBUG=0 cargo install --debug --locked cargo-fuzz --version 0.13.2
[ -d fuzz/corpus/idx ] || python3 fuzz/seeds.py
dictionary() {
  case $1 in
    dataset|teacher|pack|questions|weights|words) echo "-dict=dict/safetensors.dict" ;;
    catalog|page) echo "-dict=dict/json.dict" ;;
    url|architecture|mode|sweep) echo "-dict=dict/url.dict" ;;
  esac
}
(cd fuzz && cargo fuzz build -s none -a)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
failed=0
printf '%-13s %14s %8s %8s\n' target executions exec/s crashes
for target in "${targets[@]}"; do
  mkdir -p "$scratch/$target" "fuzz/artifacts/$target"
  log="$scratch/$target.log"
  status=0
  (cd fuzz && cargo fuzz run -s none -a "$target" "$scratch/$target" "corpus/$target" -- \
      -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="artifacts/$target/" \
      $(dictionary "$target")) >"$log" 2>&1 || status=$?
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  crashes=$(grep -c '^artifact_prefix\|Test unit written to' "$log" || true)
  printf '%-13s %14s %8s %8s\n' "$target" "$runs" "$rate" "$crashes"
  if [ "$status" -ne 0 ]; then
    failed=1
    grep -A20 -m1 'panicked\|ERROR: libFuzzer' "$log" | head -30
  elif [ "${KEEP:-0}" = 1 ]; then
    (cd fuzz && cargo fuzz run -s none -a "$target" "corpus/$target" "$scratch/$target" -- -merge=1 >/dev/null 2>&1 || true)
  fi
done
exit "$failed"
