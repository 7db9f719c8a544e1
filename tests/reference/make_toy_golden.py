#!/usr/bin/python3
"""Golden gradients for the training lab's tiny GPT-2 (engine/train/toy_model.cpp).

An independent float64 PyTorch implementation: the forward pass written with torch operations
and its gradients from torch's autograd (nothing ported from the C++ backward). It draws its
own weights and batch with numpy's PCG64 (no C++ involved), writes them, and writes the loss
and every parameter's gradient; tests/unit/toy_golden_test.cpp loads the same weights and batch
into the C++ model and compares.

    /usr/bin/python3 tests/reference/make_toy_golden.py --out tests/golden/toy

The model (B sequences of T tokens, C = d_model, NH heads of d = C / NH, V symbols):
    x = wte[tokens] + pos                     pos: learned wpe[0..T-1] | sinusoidal | 0
    for each block:  x = x + attn(ln1(x));  x = x + mlp(ln2(x))   (GPT-2, pre-LayerNorm)
    attn: q, k, v = split(h @ qkvw.T + qkvb); w = softmax(q kᵀ / √d + mask); y = w v
    mlp:  gelu_tanh(h @ fcw.T + fcb) @ fcprojw.T + fcprojb
    logits = lnf(x) @ wte.T                   the head is tied to the token embedding
    loss = mean over positions with target ≥ 0 of cross-entropy(logits, target)
Weights are (out, in) as in the C++ code; the flat order is the C++ Layout():
    wte, wpe (learned only), ln1w, ln1b, qkvw, qkvb, attprojw, attprojb, ln2w, ln2b,
    fcw, fcb, fcprojw, fcprojb, lnfw, lnfb

Files per case NAME: NAME.txt (shape, batch, loss, tensor names and sizes) and NAME.bin
(little-endian float32: every parameter in layout order, then every gradient in the same order).
"""
import argparse
import math
import os

import numpy as np
import torch
import torch.nn.functional as F

# (name, V, T, C, L, NH, pe, bidirectional, B)
CASES = [
    ("learned-causal", 11, 8, 16, 2, 2, "learned", False, 3),
    ("learned-bidir", 11, 8, 16, 2, 2, "learned", True, 3),
    ("sin-causal", 11, 8, 16, 2, 2, "sin", False, 3),
    ("sin-bidir", 11, 8, 16, 2, 2, "sin", True, 3),
    ("none-causal", 11, 8, 16, 2, 2, "none", False, 3),
    ("none-bidir", 11, 8, 16, 2, 2, "none", True, 3),
    ("learned-causal-4heads-3layers", 9, 6, 24, 3, 4, "learned", False, 2),
]


def layout(V, T, C, L, pe):
    return [("wte", (V, C)), ("wpe", (T, C) if pe == "learned" else (0,)),
            ("ln1w", (L, C)), ("ln1b", (L, C)), ("qkvw", (L, 3 * C, C)), ("qkvb", (L, 3 * C)),
            ("attprojw", (L, C, C)), ("attprojb", (L, C)), ("ln2w", (L, C)), ("ln2b", (L, C)),
            ("fcw", (L, 4 * C, C)), ("fcb", (L, 4 * C)), ("fcprojw", (L, C, 4 * C)), ("fcprojb", (L, C)),
            ("lnfw", (C,)), ("lnfb", (C,))]


def random_weights(rng, V, T, C, L, pe):
    """Weights big enough that attention is far from uniform and every gradient is sizeable."""
    w = {}
    for name, shape in layout(V, T, C, L, pe):
        if name in ("ln1w", "ln2w", "lnfw"):
            a = 1.0 + 0.1 * rng.standard_normal(shape)
        elif name.endswith("b") and name not in ("wte",):
            a = 0.1 * rng.standard_normal(shape)
        elif name in ("wte", "wpe"):
            a = 0.5 * rng.standard_normal(shape)
        else:
            a = rng.standard_normal(shape) / math.sqrt(shape[-1]) * 1.5
        w[name] = a.astype(np.float32).astype(np.float64)  # what the C++ float32 model holds
    return w


def sinusoidal(T, C):
    pe = torch.zeros(T, C, dtype=torch.float64)
    for pos in range(T):
        for i in range(C // 2):
            angle = pos / 10000.0 ** (2.0 * i / C)
            pe[pos, 2 * i] = math.sin(angle)
            pe[pos, 2 * i + 1] = math.cos(angle)
    return pe.to(torch.float32).to(torch.float64)  # the C++ table is float32


def forward(p, tokens, targets, V, T, C, L, NH, pe, bidirectional):
    B = tokens.shape[0]
    d = C // NH
    x = p["wte"][tokens]                                  # (B, T, C)
    if pe == "learned":
        x = x + p["wpe"][:T]
    elif pe == "sin":
        x = x + sinusoidal(T, C)
    allowed = torch.ones(T, T, dtype=torch.bool) if bidirectional else torch.tril(torch.ones(T, T, dtype=torch.bool))
    for l in range(L):
        h = F.layer_norm(x, (C,), p["ln1w"][l], p["ln1b"][l], eps=1e-5)
        qkv = h @ p["qkvw"][l].T + p["qkvb"][l]            # (B, T, 3C)
        q, k, v = qkv.split(C, dim=-1)
        q = q.view(B, T, NH, d).transpose(1, 2)            # (B, NH, T, d)
        k = k.view(B, T, NH, d).transpose(1, 2)
        v = v.view(B, T, NH, d).transpose(1, 2)
        scores = (q @ k.transpose(-1, -2)) / math.sqrt(d)
        scores = scores.masked_fill(~allowed, float("-inf"))
        y = torch.softmax(scores, dim=-1) @ v              # (B, NH, T, d)
        y = y.transpose(1, 2).reshape(B, T, C)
        x = x + y @ p["attprojw"][l].T + p["attprojb"][l]
        h = F.layer_norm(x, (C,), p["ln2w"][l], p["ln2b"][l], eps=1e-5)
        f = F.gelu(h @ p["fcw"][l].T + p["fcb"][l], approximate="tanh")
        x = x + f @ p["fcprojw"][l].T + p["fcprojb"][l]
    x = F.layer_norm(x, (C,), p["lnfw"], p["lnfb"], eps=1e-5)
    logits = x @ p["wte"].T                                # (B, T, V)
    return F.cross_entropy(logits.reshape(-1, V), targets.reshape(-1), ignore_index=-1)


def make_case(out_dir, name, V, T, C, L, NH, pe, bidirectional, B, seed):
    rng = np.random.Generator(np.random.PCG64(seed))
    w = random_weights(rng, V, T, C, L, pe)
    tokens = rng.integers(0, V, size=(B, T))
    targets = rng.integers(0, V, size=(B, T))
    targets[rng.random((B, T)) < 0.3] = -1                 # some positions are not scored
    targets[0, 0] = 1                                       # at least one scored
    p = {k: torch.tensor(a, dtype=torch.float64, requires_grad=True) for k, a in w.items()}
    loss = forward(p, torch.tensor(tokens), torch.tensor(targets), V, T, C, L, NH, pe, bidirectional)
    loss.backward()
    names = [n for n, _ in layout(V, T, C, L, pe)]
    with open(os.path.join(out_dir, name + ".bin"), "wb") as f:
        for n in names:
            f.write(w[n].astype("<f4").tobytes())
        for n in names:
            g = p[n].grad if p[n].grad is not None else torch.zeros_like(p[n])
            f.write(g.numpy().astype("<f4").tobytes())
    with open(os.path.join(out_dir, name + ".txt"), "w") as f:
        f.write("shape %d %d %d %d %d %s %d\n" % (V, T, C, L, NH, pe, int(bidirectional)))
        f.write("batch %d %d\n" % (B, T))
        f.write("tokens %d %s\n" % (B * T, " ".join(str(int(t)) for t in tokens.reshape(-1))))
        f.write("targets %d %s\n" % (B * T, " ".join(str(int(t)) for t in targets.reshape(-1))))
        f.write("loss %.12f\n" % loss.item())
        for n in names:
            f.write("tensor %s %d\n" % (n, w[n].size))
    print("%-32s loss %.6f" % (name, loss.item()))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default="tests/golden/toy")
    ap.add_argument("--seed", type=int, default=2026)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    torch.set_default_dtype(torch.float64)
    for i, case in enumerate(CASES):
        make_case(args.out, *case, seed=args.seed + i)
    with open(os.path.join(args.out, "cases.txt"), "w") as f:
        f.write("\n".join(c[0] for c in CASES) + "\n")


if __name__ == "__main__":
    main()
