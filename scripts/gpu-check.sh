#!/usr/bin/env bash
# The GPU check of the benchmark (docs/src/results/benchmark.md, "On a GPU"): the CLI's `hinton` pair (two
# 784-800-800-10 students) trained through wgpu's Vulkan backend, the kernels burn's WebGPU path
# runs in the page, at batch 128 and 1,024, next to the same pair in PyTorch on the same GPU and
# both on that machine's CPU. It runs on a machine with an NVIDIA GPU, PyTorch and no network,
# where nothing can be built, so it has two halves:
#   bash scripts/gpu-check.sh --prepare   here: build the CLI with --features wgpu, pack it, the
#                                         MNIST splits and the Vulkan loader's Debian packages into
#                                         gpu-check/ and .gl/ (git-ignored, ~24 MB together)
#   bash scripts/gpu-check.sh             there, with gpu-check/ and .gl/ carried along: prints
#                                         (and writes to $OUT/gpu-check.log if OUT is set) the figures
# Steady state is a 6-epoch run minus a 1-epoch run, after a 1-epoch warm-up run (the first run
# compiles the shaders; cubecl caches them for the runs after it).
# (`--features cuda` cannot be built here: burn's CUDA backend downloads LLVM while it builds.)
set -uo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = --prepare ]; then
  set -e
  grep -qx '/gpu-check/' .git/info/exclude || echo /gpu-check/ >>.git/info/exclude
  grep -qx '/.gl/' .git/info/exclude || echo /.gl/ >>.git/info/exclude
  [ -f web/data/mnist/train.safetensors ] || cargo run -q -p distill-cli -- fetch-data
  mkdir -p gpu-check .gl
  # Dependencies at opt-level 3 (the dev profile's setting for them), no debug info to carry;
  # stripped and xz'd (70 MB → 12 MB): what travels to that machine is limited.
  CARGO_PROFILE_DEV_DEBUG=0 cargo build -q -p distill-cli --features wgpu
  strip -o gpu-check/distill target/debug/distill
  xz -f -T2 gpu-check/distill
  tar -czf gpu-check/mnist.tar.gz -C web/data mnist
  # The Vulkan loader (libvulkan1) and GL dispatch libraries, as Debian packages for amd64.
  o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64'
  mkdir -p /tmp/amd64/partial && apt-get $o update -qq
  (cd .gl && apt-get $o download libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2)
  du -sh gpu-check .gl
  exit 0
fi

log="${OUT:-/tmp}/gpu-check.log"
exec > >(tee "$log") 2>&1
for f in .gl/*.deb; do dpkg -x "$f" /; done
ldconfig
icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
[ -f "$icd" ] && export VK_DRIVER_FILES="$icd"
echo "Vulkan driver file: ${VK_DRIVER_FILES:-none found at $icd}"
nvidia-smi --query-gpu=name,driver_version,clocks.max.sm --format=csv,noheader
echo "$(nproc) CPU cores"
mkdir -p web/data && tar -xzf gpu-check/mnist.tar.gz -C web/data
python3 -c 'import lzma, sys; sys.stdout.buffer.write(lzma.open("gpu-check/distill.xz").read())' >/tmp/distill
chmod +x /tmp/distill

cli() { echo "\$ distill hinton $*"; timeout 150 /tmp/distill hinton "$@" 2>&1 | tail -n 1; }
torch() { echo "\$ bench_torch.py $*"; timeout 90 python3 scripts/bench_torch.py "$@" 2>&1 | tail -n 1; }
for batch in 128 1024; do
  for epochs in 1 1 6; do cli --epochs $epochs --batch $batch --device wgpu; done
  for epochs in 1 1 6; do torch "$(nproc)" --device cuda --batch $batch --epochs $epochs; done
done
cli --epochs 1 --device flex
torch "$(nproc)" --epochs 1
