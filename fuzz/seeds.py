#!/usr/bin/env python3
"""Writes the seed corpus of every fuzz target (fuzz/corpus/<target>/seed-*): tiny valid inputs
of each format, which the fuzzer mutates and `cargo test -p distill-fuzz-targets` replays.
Standard library only: python3 fuzz/seeds.py"""
import gzip, json, struct
from pathlib import Path

CORPUS = Path(__file__).resolve().parent / "corpus"


def safetensors(tensors, metadata=None):
    """tensors: name -> (dtype, shape, bytes); laid out in name order, as safetensors writes."""
    header, body = {}, b""
    for name in sorted(tensors):
        dtype, shape, data = tensors[name]
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [len(body), len(body) + len(data)]}
        body += data
    if metadata:
        header["__metadata__"] = metadata
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + body


def images(n):
    return bytes((i * 37) % 256 for i in range(n * 784))


def labels(n):
    return bytes(i % 10 for i in range(n))


def logits(n, dtype):
    values = [((i * 7) % 19 - 9) / 3 for i in range(n * 10)]
    return struct.pack(f"<{len(values)}{'e' if dtype == 'F16' else 'f'}", *values)


def write(target, name, data):
    (CORPUS / target).mkdir(parents=True, exist_ok=True)
    (CORPUS / target / f"seed-{name}").write_bytes(data)


def idx(rank, dims, payload):
    return bytes([0, 0, 8, rank]) + b"".join(struct.pack(">I", d) for d in dims) + payload


write("idx", "images", idx(3, [2, 28, 28], images(2)))
write("idx", "labels", idx(1, [3], labels(3)))
write("idx", "labels-gzip", gzip.compress(idx(1, [3], labels(3)), mtime=0))

write("dataset", "two", safetensors({"images": ("U8", [2, 28, 28], images(2)), "labels": ("U8", [2], labels(2))},
                                    {"dataset": "mnist"}))
write("teacher", "f32", safetensors({"train_logits": ("F32", [2, 10], logits(2, "F32")),
                                     "test_logits": ("F32", [1, 10], logits(1, "F32"))}))
pack = {}
for split, n in (("train", 2), ("test", 1)):
    pack[f"{split}_images"] = ("U8", [n, 28, 28], images(n))
    pack[f"{split}_labels"] = ("U8", [n], labels(n))
    pack[f"{split}_logits"] = ("F16", [n, 10], logits(n, "F16"))
write("pack", "small", safetensors(pack, {"teacher": "mnist-mlp", "dataset": "mnist"}))

write("questions", "clothes", safetensors({"images": ("U8", [2, 28, 28], images(2)), "logits": ("F16", [2, 10], logits(2, "F16"))},
                                         {"about": "fashion"}))
# The SHA-256 of `distill_data::strokes::strokes(1, 1)`, which a test in questions.rs checks.
strokes = {"about": "strokes", "strokes_seed": "1", "strokes_sha256": "2c2824711990834eb9818af77a3c830657b27c53f2412b3ea4de7cb1e5cc38d1"}
write("questions", "strokes", safetensors({"logits": ("F16", [1, 10], logits(1, "F16"))}, strokes))

floats = lambda n: struct.pack(f"<{n}f", *[(i % 13 - 6) / 10 for i in range(n)])
weights = {"Mlp.hidden.0.weight": ("F32", [784, 2], floats(1568)), "Mlp.hidden.0.bias": ("F32", [2], floats(2)),
           "Mlp.output.weight": ("F32", [2, 10], floats(20)), "Mlp.output.bias": ("F32", [10], floats(10))}
write("weights", "mlp2", safetensors(weights, {"architecture": "mlp:2"}))

entry = {"teacher": "mnist-mlp", "dataset": "mnist", "dataset_title": "MNIST", "class_names": [str(c) for c in range(10)],
         "architecture": "mlp:1200-1200", "parameters": 2395210, "test_accuracy": 0.98, "file": "mnist-mlp.safetensors",
         "bytes": 4830848, "sha256": "0" * 64, "train_rows": 5000, "test_rows": 1000}
write("catalog", "one", json.dumps({"packs": [entry]}, indent=1).encode())
words_entry = {"teacher": "words-en", "language": "en", "architecture": "context 8", "parameters": 122787,
               "test_bits_per_char": 2.47, "file": "words-en.safetensors", "bytes": 732203, "sha256": "0" * 64,
               "train_words": 2000, "test_words": 500}
write("catalog", "words", json.dumps({"packs": [entry], "words": [words_entry]}, indent=1).encode())

# A words pack: 2 train words (cat, do: 7 positions), top-2, one test word, one sampled word, and a
# teacher of context 2, embedding 2, one hidden layer of 3 over 27 tokens.
halves = lambda n: struct.pack(f"<{n}e", *[(i % 9 - 4) / 4 for i in range(n)])
def teacher_tensors(prefix):
    shapes = {"embedding.weight": [27, 2], "hidden.0.weight": [4, 3], "hidden.0.bias": [3],
              "output.weight": [3, 27], "output.bias": [27]}
    return {prefix + name: ("F16", shape, halves(eval("*".join(map(str, shape))))) for name, shape in shapes.items()}
shape_metadata = {"vocabulary": "27", "context": "2", "embedding": "2", "hidden": "3"}
words = {"train_words": ("U8", [7], bytes([3, 1, 20, 0, 4, 15, 0])), "test_words": ("U8", [3], bytes([9, 20, 0])),
         "samples": ("U8", [3], bytes([1, 2, 0])), "top_tokens": ("U8", [7, 2], bytes(i % 27 for i in range(14))),
         "top_probs": ("F16", [7, 2], struct.pack("<14e", *[0.5, 0.25] * 7)), **teacher_tensors("teacher.")}
write("words", "small", safetensors(words, {"language": "en", "top_k": "2", **shape_metadata}))
write("words", "weights", safetensors(teacher_tensors(""), shape_metadata))

for i, query in enumerate(["", "student=mlp:30-30&mode=top3&t=4&alpha=0.7&budget=500&autostart=1",
                           "lesson=dark-knowledge&embed=1&hide=sweep,draw&lock=t", "sweep=t:1,2,4,8&by=student:mlp:30,mlp:100",
                           "teacher=fashion-cnn&lang=es&shift=2.5&exclude=7&backend=webgpu", "student=cnn%3A4-8-16&lr=0.001&batch=128"]):
    write("url", str(i), query.encode())
for i, text in enumerate(["mlp:800-800", "mlp:", "cnn:8-16-32", "mlp:4096-4096-4096-4096"]):
    write("architecture", str(i), text.encode())
for text in ["soft", "top1", "top3", "labels"]:
    write("mode", text, text.encode())

# Page ⇄ worker messages (postcard): Event::Ready { protocol: 7 } (variant 0, a varint), and
# Command::NextLetters("ab") (variant 3, a length, the bytes).
write("messages", "ready", bytes([0, 7]))
write("messages", "next-letters", bytes([3, 2]) + b"ab")
# Sweeps: a link's query, the varied axis, the `by` axis (a line each).
write("sweep", "by", b"student=mlp:30&budget=1000\nt:1,4\nmode:soft,labels")
write("sweep", "budget", b"epochs=2\nbudget:100,1000,5000")
write("sweep", "words", b"task=words\nt:1,2")
# Parity problems as typed, then a written solution's tokens (`.` 0, `0` 1, `1` 2, `$` 3, `>` 4, `=` 5).
write("problem", "traced", b"1011\n" + bytes([4, 2, 2, 1, 2, 5, 2, 0]))
write("problem", "answered", b"1 0 0 1\n" + bytes([5, 1, 0]))
# The page: a link's query, a line, then the catalog.
write("page", "images", b"teacher=mnist-mlp\n" + json.dumps({"packs": [entry]}).encode())
write("page", "words", b"task=words\n" + json.dumps({"packs": [entry], "words": [words_entry]}).encode())
write("page", "no-pack", b"teacher=fashion-cnn&lesson=dark-knowledge\n" + json.dumps({"packs": [entry]}).encode())

# A reasoning pack: one problem (101), the teacher's solution >110=0. with its top-2 at each of its
# 7 tokens, and a teacher of width 2, 1 head, 1 layer, feed-forward 2 over the 6 symbols.
def reasoner_tensors(prefix, d=2, ff=2, v=6):
    shapes = {"tokens.weight": [v, d], "positions.weight": [36, d], "norm.gamma": [d], "norm.beta": [d],
              "head.weight": [d, v], "head.bias": [v]}
    for part in ["query", "key", "value", "output"]:
        shapes[f"layers.layers.0.mha.{part}.weight"] = [d, d]
        shapes[f"layers.layers.0.mha.{part}.bias"] = [d]
    shapes.update({"layers.layers.0.pwff.linear_inner.weight": [d, ff], "layers.layers.0.pwff.linear_inner.bias": [ff],
                   "layers.layers.0.pwff.linear_outer.weight": [ff, d], "layers.layers.0.pwff.linear_outer.bias": [d]})
    for norm in ["norm_1", "norm_2"]:
        shapes[f"layers.layers.0.{norm}.gamma"] = [d]
        shapes[f"layers.layers.0.{norm}.beta"] = [d]
    return {prefix + name: ("F16", shape, halves(eval("*".join(map(str, shape))))) for name, shape in shapes.items()}
solution = [4, 2, 2, 1, 5, 1, 0]
reasoning = {"problems": ("U8", [1, 17], bytes([3, 2, 1, 2] + [0] * 13)),
             "solutions": ("U8", [1, 20], bytes(solution + [0] * 13)), "solution_lengths": ("U8", [1], bytes([7])),
             "right": ("U8", [1], bytes([1])), "top_tokens": ("U8", [7, 2], bytes(t for s in solution for t in (s, 3))),
             "top_probs": ("F16", [7, 2], struct.pack("<14e", *[0.75, 0.25] * 7)), **reasoner_tensors("teacher.")}
write("reasoning", "small", safetensors(reasoning, {"top_k": "2", "sample_temperature": "2.5", "sample_seed": "1", "sizes": "3-3",
                                                    "width": "2", "heads": "1", "layers": "1", "feed_forward": "2"}))
