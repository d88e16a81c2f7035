"""The native part of the benchmark: `distill hinton --epochs 1`'s pair (two 784-800-800-10 MLPs,
labels-only and distilled from the mnist-mlp teacher at T=20, alpha 0.9, Adam 1e-3, batch 128, one
epoch of 60,000 images each, then scored on the 10,000 test images) in PyTorch, on the CPU or (`--device cuda`) a
GPU, timed the same way. Run by scripts/bench.sh only where `import torch` works; CI does not install torch.

    python3 scripts/bench_torch.py [THREADS] [--device cuda] [--batch 1024] [--epochs 3]

(`--device cuda` is the GPU check's baseline, scripts/gpu-check.sh.)
"""
import argparse, json, struct, time
import numpy as np
import torch
import torch.nn.functional as F


def load(path):
    raw = open(path, "rb").read()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8 : 8 + n])
    dtypes = {"U8": np.uint8, "F32": np.float32, "F16": np.float16}
    out = {}
    for name, t in header.items():
        if name == "__metadata__":
            continue
        start, end = t["data_offsets"]
        out[name] = np.frombuffer(raw[8 + n + start : 8 + n + end], dtype=dtypes[t["dtype"]]).reshape(t["shape"])
    return out


parser = argparse.ArgumentParser()
parser.add_argument("threads", nargs="?", type=int, default=2)
parser.add_argument("--device", default="cpu")
parser.add_argument("--batch", type=int, default=128)
parser.add_argument("--epochs", type=int, default=1)
args = parser.parse_args()
threads, device = args.threads, torch.device(args.device)
torch.set_num_threads(threads)
torch.manual_seed(1)
train = load("web/data/mnist/train.safetensors")
test = load("web/data/mnist/test.safetensors")
teacher = load("web/teachers/mnist-mlp/logits.safetensors")
x = torch.from_numpy(train["images"].reshape(-1, 784).astype(np.float32) / 255).to(device)
y = torch.from_numpy(train["labels"].astype(np.int64)).to(device)
soft = torch.from_numpy(teacher["train_logits"].astype(np.float32)).to(device)
xt = torch.from_numpy(test["images"].reshape(-1, 784).astype(np.float32) / 255).to(device)
yt = torch.from_numpy(test["labels"].astype(np.int64)).to(device)
T, alpha, batch = 20.0, 0.9, args.batch


def mlp():
    return torch.nn.Sequential(torch.nn.Linear(784, 800), torch.nn.ReLU(), torch.nn.Linear(800, 800), torch.nn.ReLU(), torch.nn.Linear(800, 10))


start = time.perf_counter()
results = []
for distilled in (False, True):
    model = mlp().to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for _ in range(args.epochs):
        order = torch.randperm(len(x), device=device)
        for i in range(0, len(x), batch):
            idx = order[i : i + batch]
            logits = model(x[idx])
            hard = F.cross_entropy(logits, y[idx])
            if distilled:
                target = F.softmax(soft[idx] / T, dim=1)
                kl = F.kl_div(F.log_softmax(logits / T, dim=1), target, reduction="batchmean") * T * T
                loss = alpha * kl + (1 - alpha) * hard
            else:
                loss = hard
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    with torch.no_grad():
        errors = int((model(xt).argmax(1) != yt).sum())  # .sum() read back: waits for the GPU too
    results.append(errors)
seconds = time.perf_counter() - start
examples = 2 * len(x) * args.epochs
where = f"{args.device.upper()}, {threads} threads" if args.device == "cpu" else torch.cuda.get_device_name(device)
print(f"PyTorch {torch.__version__} {where}: the pair, batch {batch}, {args.epochs} epoch(s) each: {seconds:.1f} s, "
      f"{examples / seconds:.0f} examples/s (test errors: labels {results[0]}, distilled {results[1]})")
