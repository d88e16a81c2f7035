"""The native part of the benchmark: `distill hinton --epochs 1`'s pair (two 784-800-800-10 MLPs,
labels-only and distilled from the mnist-mlp teacher at T=20, alpha 0.9, Adam 1e-3, batch 128, one
epoch of 60,000 images each, then scored on the 10,000 test images) in PyTorch on the CPU, timed the
same way. Run by scripts/bench.sh only where `import torch` works; CI does not install torch.
"""
import json, struct, sys, time
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


threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
torch.set_num_threads(threads)
torch.manual_seed(1)
train = load("web/data/mnist/train.safetensors")
test = load("web/data/mnist/test.safetensors")
teacher = load("web/teachers/mnist-mlp/logits.safetensors")
x = torch.from_numpy(train["images"].reshape(-1, 784).astype(np.float32) / 255)
y = torch.from_numpy(train["labels"].astype(np.int64))
soft = torch.from_numpy(teacher["train_logits"].astype(np.float32))
xt = torch.from_numpy(test["images"].reshape(-1, 784).astype(np.float32) / 255)
yt = torch.from_numpy(test["labels"].astype(np.int64))
T, alpha, batch = 20.0, 0.9, 128


def mlp():
    return torch.nn.Sequential(torch.nn.Linear(784, 800), torch.nn.ReLU(), torch.nn.Linear(800, 800), torch.nn.ReLU(), torch.nn.Linear(800, 10))


start = time.perf_counter()
results = []
for distilled in (False, True):
    model = mlp()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    order = torch.randperm(len(x))
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
        errors = int((model(xt).argmax(1) != yt).sum())
    results.append(errors)
seconds = time.perf_counter() - start
print(f"PyTorch {torch.__version__} CPU, {threads} threads: the pair, one epoch each: {seconds:.1f} s "
      f"(test errors: labels {results[0]}, distilled {results[1]})")
