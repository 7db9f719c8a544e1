#!/usr/bin/python3
"""Self-check of the reference: a second path to every number in tests/golden/.

    /usr/bin/python3 tests/reference/check_reference.py --model build/tiny-gpt2 --golden tests/golden

1. The generator is bit-reproducible: it runs again into a temporary folder and every file
   must have the sha256 recorded in tests/golden/model.txt (and in the model's SHA256SUMS).
2. The three Hugging Face variants (prefix / no prefix + buffers / lm_head + BOOL buffers)
   hold the same weights.
3. The GGUF files hold the same numbers as model.safetensors, read back with independent
   readers (model_files.py), respecting the transpose of Conv1D weights; metadata and the
   tokenizer agree with config.json, vocab.json and merges.txt.
4. A second forward pass built from torch.nn in float32 (nn.Embedding, nn.LayerNorm,
   nn.MultiheadAttention, nn.Linear, F.gelu(approximate="tanh")) agrees with the float64
   reference to 1e-5 for every sentence and intervention. nn.MultiheadAttention cannot be
   told to drop a head or share K/V, so those interventions are done by weight surgery
   instead, which is the same maths: a head's output is zero when its value projection is
   zero, and since K = x Wk + bk is linear, the mean of the heads' K is x (mean Wk) + mean bk.
5. The golden files parse, were computed from this model, their token ids are what the
   reference encoder gives now, and every stored number agrees with path 4.
6. The float32 nn model loaded from the GGUF files: F32 gives the same logits as from
   safetensors; F16's deviation is printed (a guide for the engine's F16 tolerances).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import gpt2_reference as ref  # noqa: E402
from model_files import load_hf_gpt2, read_gguf, read_safetensors  # noqa: E402

FAILURES = []
TOL = 1e-5


def check(ok, what):
    print(("  ok   " if ok else "  FAIL ") + what)
    if not ok:
        FAILURES.append(what)
    return ok

# ---------------------------------------------------------------------------------------------
# The second path: GPT-2 from torch.nn modules, float32, weights in nn.Linear layout [out, in]
# (which is also GGUF's layout, so it loads from either file).
# ---------------------------------------------------------------------------------------------

class Block(nn.Module):
    def __init__(self, C, H, eps):
        super().__init__()
        self.ln_1 = nn.LayerNorm(C, eps=eps)
        self.attn = nn.MultiheadAttention(C, H, batch_first=True)
        self.ln_2 = nn.LayerNorm(C, eps=eps)
        self.c_fc = nn.Linear(C, 4 * C)
        self.c_proj = nn.Linear(4 * C, C)

    def forward(self, x, mask):
        h = self.ln_1(x)
        a, att = self.attn(h, h, h, attn_mask=mask, need_weights=True, average_attn_weights=False)
        x = x + a
        x = x + self.c_proj(F.gelu(self.c_fc(self.ln_2(x)), approximate="tanh"))
        return x, att[0]


class TorchGPT2(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        self.wte = nn.Embedding(cfg.vocab_size, cfg.n_embd)
        self.wpe = nn.Embedding(cfg.n_ctx, cfg.n_embd)
        self.blocks = nn.ModuleList(Block(cfg.n_embd, cfg.n_head, cfg.eps) for _ in range(cfg.n_layer))
        self.ln_f = nn.LayerNorm(cfg.n_embd, eps=cfg.eps)

    def forward(self, ids, no_positions=False, bidirectional=False):
        T = len(ids)
        pos = torch.arange(T)
        x = self.wte(torch.tensor(ids))[None]
        if not no_positions:
            x = x + self.wpe(pos)[None]
        mask = None if bidirectional else pos[None, :] > pos[:, None]       # True = hidden
        atts = []
        for b in self.blocks:
            x, att = b(x, mask)
            atts.append(att)
        hidden = self.ln_f(x)
        return ref.Trace(atts, x[0], hidden[0], (hidden @ self.wte.weight.T)[0])


def build_torch_model(cfg, get):
    """get(gguf_name) -> tensor in nn.Linear / GGUF layout."""
    m = TorchGPT2(cfg)
    with torch.no_grad():
        m.wte.weight.copy_(get("token_embd.weight"))
        m.wpe.weight.copy_(get("position_embd.weight"))
        for i, b in enumerate(m.blocks):
            g = lambda n: get(f"blk.{i}.{n}")
            b.ln_1.weight.copy_(g("attn_norm.weight")), b.ln_1.bias.copy_(g("attn_norm.bias"))
            b.attn.in_proj_weight.copy_(g("attn_qkv.weight")), b.attn.in_proj_bias.copy_(g("attn_qkv.bias"))
            b.attn.out_proj.weight.copy_(g("attn_output.weight")), b.attn.out_proj.bias.copy_(g("attn_output.bias"))
            b.ln_2.weight.copy_(g("ffn_norm.weight")), b.ln_2.bias.copy_(g("ffn_norm.bias"))
            b.c_fc.weight.copy_(g("ffn_up.weight")), b.c_fc.bias.copy_(g("ffn_up.bias"))
            b.c_proj.weight.copy_(g("ffn_down.weight")), b.c_proj.bias.copy_(g("ffn_down.bias"))
        m.ln_f.weight.copy_(get("output_norm.weight"))
        m.ln_f.bias.copy_(get("output_norm.bias"))
    return m.eval()


def hf_to_gguf_names(w, cfg):
    """HF weights -> {gguf name: array in nn.Linear layout} (Conv1D weights transposed)."""
    out = {"token_embd.weight": w["wte.weight"], "position_embd.weight": w["wpe.weight"],
           "output_norm.weight": w["ln_f.weight"], "output_norm.bias": w["ln_f.bias"]}
    pairs = [("ln_1", "attn_norm"), ("attn.c_attn", "attn_qkv"), ("attn.c_proj", "attn_output"),
             ("ln_2", "ffn_norm"), ("mlp.c_fc", "ffn_up"), ("mlp.c_proj", "ffn_down")]
    for i in range(cfg.n_layer):
        for hf, gg in pairs:
            weight = w[f"h.{i}.{hf}.weight"]
            out[f"blk.{i}.{gg}.weight"] = weight.T if weight.ndim == 2 else weight
            out[f"blk.{i}.{gg}.bias"] = w[f"h.{i}.{hf}.bias"]
    return out


def run_torch(model, ids, iv):
    """The nn model with the interventions: masks and embeddings by flags, heads by surgery."""
    cfg = model.cfg
    C, H = cfg.n_embd, cfg.n_head
    d = C // H
    saved = [(b.attn.in_proj_weight.detach().clone(), b.attn.in_proj_bias.detach().clone())
             for b in model.blocks]
    with torch.no_grad():
        for i, b in enumerate(model.blocks):
            W, bias = b.attn.in_proj_weight, b.attn.in_proj_bias              # rows: q | k | v
            if iv.kv_groups:
                G = iv.kv_groups
                for part in (1, 2):                                          # k, v
                    rows = slice(part * C, (part + 1) * C)
                    w = W[rows].reshape(G, H // G, d, C).mean(dim=1, keepdim=True)
                    W[rows] = w.expand(G, H // G, d, C).reshape(C, C)
                    bb = bias[rows].reshape(G, H // G, d).mean(dim=1, keepdim=True)
                    bias[rows] = bb.expand(G, H // G, d).reshape(C)
            for layer, head in iv.ablate_heads:
                if layer == i:
                    W[2 * C + head * d: 2 * C + (head + 1) * d] = 0.0
                    bias[2 * C + head * d: 2 * C + (head + 1) * d] = 0.0
        trace = model(ids, iv.no_positions, iv.bidirectional)
        for b, (w, bias) in zip(model.blocks, saved):
            b.attn.in_proj_weight.copy_(w)
            b.attn.in_proj_bias.copy_(bias)
    return trace


def max_diff(a, b):
    return float((torch.as_tensor(a, dtype=torch.float64) - torch.as_tensor(b, dtype=torch.float64)).abs().max())

# ---------------------------------------------------------------------------------------------
# Golden files: a reader for the format in tests/golden/README.md
# ---------------------------------------------------------------------------------------------

def read_golden(folder, name):
    case = {"interventions": [], "tensors": {}}
    with open(os.path.join(folder, name + ".txt"), encoding="utf-8") as f:
        lines = f.read().split("\n")
    assert lines[0] == "attnlab-golden 1", f"{name}: bad first line"
    with open(os.path.join(folder, name + ".bin"), "rb") as f:
        blob = f.read()
    for line in lines[1:]:
        key, _, rest = line.partition(" ")
        if key == "end":
            break
        if key == "text":
            case["text"] = rest
        elif key == "intervention":
            case["interventions"].append(rest.split())
        elif key in ("tokens", "argmax", "vocab_subset"):
            f = [int(v) for v in rest.split()]
            assert f[0] == len(f) - 1, f"{name}: {key} count"
            case[key] = f[1:]
        elif key == "tensor":
            f = rest.split()
            tname, dtype, offset, ndim = f[0], f[1], int(f[2]), int(f[3])
            shape = tuple(int(v) for v in f[4:4 + ndim])
            assert dtype == "f32" and len(f) == 4 + ndim
            count = int(np.prod(shape))
            case["tensors"][tname] = np.frombuffer(blob, "<f4", count, offset).reshape(shape).copy()
        else:
            case[key] = rest
    else:
        raise AssertionError(f"{name}: no `end` line")
    return case


def interventions_from_lines(lines):
    kw = {"ablate_heads": []}
    for f in lines:
        if f[0] == "ablate_head":
            kw["ablate_heads"].append((int(f[1]), int(f[2])))
        elif f[0] == "no_positions":
            kw["no_positions"] = True
        elif f[0] == "share_kv":
            kw["kv_groups"] = int(f[1])
        elif f[0] == "bidirectional":
            kw["bidirectional"] = True
        else:
            assert f[0] == "none", f"unknown intervention {f}"
    kw["ablate_heads"] = tuple(kw["ablate_heads"])
    return ref.Interventions(**kw)

# ---------------------------------------------------------------------------------------------
# The checks
# ---------------------------------------------------------------------------------------------

def check_reproducible(model, golden):
    print("1. the generator is bit-reproducible")
    recorded = {}
    with open(os.path.join(golden, "model.txt")) as f:
        for line in f:
            parts = line.split()
            if parts and parts[0] == "sha256":
                recorded[parts[2]] = parts[1]
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, os.path.join(REPO, "tools", "make-tiny-gpt2.py"),
                        "--seed", "1234", "--out", tmp], check=True, stdout=subprocess.DEVNULL)
        fresh = dict(reversed(l.split()) for l in open(os.path.join(tmp, "SHA256SUMS")))
    mine = dict(reversed(l.split()) for l in open(os.path.join(model, "SHA256SUMS")))
    check(fresh == recorded, f"a fresh run matches the {len(recorded)} sha256 in model.txt")
    check(mine == recorded, f"{model} matches model.txt")


def check_variants(model, cfg, w):
    print("2. the Hugging Face variants hold the same weights")
    for sub in ("no-prefix", "lm-head"):
        path = os.path.join(model, sub)
        _, w2 = load_hf_gpt2(path)
        raw, _ = read_safetensors(os.path.join(path, "model.safetensors"))
        same = all(np.array_equal(w[k], w2[k]) for k in w)
        check(same and set(w2) == set(w), f"{sub}: {len(raw)} tensors in the file, the same {len(w)} weights")
    raw, meta = read_safetensors(os.path.join(model, "model.safetensors"))
    check(all(k.startswith("transformer.") for k in raw) and "lm_head.weight" not in raw,
          "model.safetensors: every name has the transformer. prefix, no lm_head")
    check(meta.get("format") == "pt", "model.safetensors: __metadata__ format pt")


def check_gguf(model, hf_cfg, cfg, w):
    print("3. the GGUF files hold the same numbers as model.safetensors")
    expect = hf_to_gguf_names(w, cfg)
    C, V, P = cfg.n_embd, cfg.vocab_size, cfg.n_ctx
    dims = {"token_embd.weight": [C, V], "position_embd.weight": [C, P],
            "blk.0.attn_qkv.weight": [C, 3 * C], "blk.0.attn_output.weight": [C, C],
            "blk.0.ffn_up.weight": [C, 4 * C], "blk.0.ffn_down.weight": [4 * C, C],
            "blk.0.attn_qkv.bias": [3 * C], "output_norm.weight": [C]}
    with open(os.path.join(model, "vocab.json"), encoding="utf-8") as f:
        vocab = json.load(f)
    with open(os.path.join(model, "merges.txt"), encoding="utf-8") as f:
        merges = [l for l in f.read().split("\n")[1:] if l]
    tokens = sorted(vocab, key=vocab.get)
    loaded = {}
    for fname, f16, output in (("model-f32.gguf", False, False), ("model-f16.gguf", True, False),
                               ("model-f32-output.gguf", False, True)):
        g = read_gguf(os.path.join(model, fname))
        loaded[fname] = g
        m = g.metadata
        check(g.version == 3 and g.alignment == 32 and g.data_offset % 32 == 0, f"{fname}: GGUF v3, aligned to 32")
        want = dict(expect)
        if output:
            want["output.weight"] = w["wte.weight"]
        check(list(g.tensors) == list(want) or set(g.tensors) == set(want),
              f"{fname}: {len(g.tensors)} tensors with llama.cpp's names")
        bad = []
        for name, a in want.items():
            t = g.tensors[name]
            if f16 and a.ndim == 2:
                ok = t.ggml_type == "F16" and np.array_equal(t.array, a.astype(np.float16))
            else:
                ok = t.ggml_type == "F32" and np.array_equal(t.array, a)
            if not ok or t.dims != list(reversed(a.shape)):
                bad.append(name)
        check(not bad, f"{fname}: every tensor equals safetensors (Conv1D weights transposed)"
              + (f"; differ: {bad}" if bad else ""))
        qkv_dims = g.tensors["blk.0.attn_qkv.weight"].dims
        check(all(g.tensors[n].dims == d for n, d in dims.items()),
              f"{fname}: dims innermost first, e.g. attn_qkv {qkv_dims}")
        check(m["general.architecture"] == "gpt2" and m["general.file_type"] == (1 if f16 else 0)
              and m["gpt2.context_length"] == hf_cfg["n_positions"]
              and m["gpt2.embedding_length"] == C and m["gpt2.feed_forward_length"] == 4 * C
              and m["gpt2.block_count"] == cfg.n_layer and m["gpt2.attention.head_count"] == cfg.n_head
              and m["gpt2.attention.layer_norm_epsilon"] == float(np.float32(hf_cfg["layer_norm_epsilon"])),
              f"{fname}: hyperparameters agree with config.json")
        check(m["tokenizer.ggml.model"] == "gpt2" and m["tokenizer.ggml.tokens"] == tokens
              and m["tokenizer.ggml.merges"] == merges
              and m["tokenizer.ggml.token_type"] == [3 if t == "<|endoftext|>" else 1 for t in tokens]
              and m["tokenizer.ggml.bos_token_id"] == 50256 == m["tokenizer.ggml.eos_token_id"],
              f"{fname}: tokenizer = vocab.json ({len(tokens)} tokens) + merges.txt ({len(merges)} merges)")
    return loaded


def check_two_paths(cfg, W64, torch_model, sentences):
    print(f"4. float64 reference vs torch.nn float32 (tolerance {TOL:g})")
    runs = [("base", ref.Interventions())] + ref.INTERVENTIONS
    for (sentence, _), ids in sentences:
        worst = {"logits": 0.0, "attention": 0.0, "hidden_norm": 0.0}
        for suffix, iv in runs:
            with torch.no_grad():
                a = ref.forward(ids, W64, cfg, iv)
            b = run_torch(torch_model, ids, iv)
            worst["logits"] = max(worst["logits"], max_diff(a.logits, b.logits))
            att = max(max_diff(x, y) for x, y in zip(a.attention, b.attention))
            worst["attention"] = max(worst["attention"], att)
            norm = max_diff(a.hidden.norm(dim=-1), b.hidden.norm(dim=-1))
            worst["hidden_norm"] = max(worst["hidden_norm"], norm)
        check(all(v < TOL for v in worst.values()),
              f"{sentence} ({len(ids)} tokens, {len(runs)} runs): max |diff| " +
              ", ".join(f"{k} {v:.1e}" for k, v in worst.items()))


def check_goldens(golden, model, torch_model, node):
    print("5. the golden files")
    sha = ref.sha256_of(os.path.join(model, "model.safetensors"))
    names = open(os.path.join(golden, "cases.txt")).read().split()
    cases = {n: read_golden(golden, n) for n in names}
    texts = sorted({c["text"] for c in cases.values()})
    ids_now = dict(zip(texts, ref.encode(texts, node)))
    for name, c in cases.items():
        problems = []
        if c["model_sha256"] != sha:
            problems.append("model sha256")
        if c["tokens"] != ids_now[c["text"]]:
            problems.append("tokens != encode.mjs")
        iv = interventions_from_lines(c["interventions"])
        tr = run_torch(torch_model, c["tokens"], iv)
        t = c["tensors"]
        T = len(c["tokens"])
        got = {"attention": torch.stack(tr.attention), "logits_subset": tr.logits[:, c["vocab_subset"]],
               "hidden_norm": tr.hidden.norm(dim=-1), "residual_norm": tr.residual.norm(dim=-1),
               "logits_last": tr.logits[T - 1]}
        top2 = torch.topk(tr.logits.double(), 2, dim=-1).values
        got["argmax_margin"] = top2[:, 0] - top2[:, 1]
        worst = 0.0
        for key, a in t.items():
            if tuple(a.shape) != tuple(got[key].shape):
                problems.append(f"{key} shape")
                continue
            worst = max(worst, max_diff(a, got[key]))
        if worst >= TOL:
            problems.append(f"max |diff| {worst:.1e}")
        margin = t["argmax_margin"]
        am = tr.logits.argmax(dim=-1).tolist()
        if any(x != y and m > 1e-5 for x, y, m in zip(c["argmax"], am, margin)):
            problems.append("argmax")
        if "logits_last" in t and int(np.argmax(t["logits_last"])) != c["argmax"][-1]:
            problems.append("logits_last vs argmax")
        check(not problems, f"{name}: {T} tokens, {len(t)} arrays, max |diff| {worst:.1e}"
              + (f" -- {', '.join(problems)}" if problems else ""))
    size = sum(os.path.getsize(os.path.join(golden, f)) for f in os.listdir(golden))
    check(size < 2_000_000, f"tests/golden totals {size:,} bytes (< 2 MB)")


def check_gguf_forward(cfg, ggufs, torch_model, sentences):
    print("6. the forward pass from the GGUF weights")
    ids = sentences[-1][1]
    base = run_torch(torch_model, ids, ref.Interventions())
    for fname, g in ggufs.items():
        m = build_torch_model(cfg, lambda n: torch.from_numpy(g.tensors[n].array.astype(np.float32)))
        tr = run_torch(m, ids, ref.Interventions())
        d = max_diff(tr.logits, base.logits)
        da = max(max_diff(x, y) for x, y in zip(tr.attention, base.attention))
        if fname.endswith("f16.gguf"):
            check(d < 1e-2, f"{fname}: logits within {d:.1e}, attention within {da:.1e} of F32 "
                  "(loose bound 1e-2; the numbers are a guide for the engine's F16 tolerance)")
        else:
            check(d == 0.0, f"{fname}: identical logits to the safetensors weights")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__.split("\n\n", 1)[1])
    ap.add_argument("--model", default=os.path.join(REPO, "build", "tiny-gpt2"), help="the tiny model folder")
    ap.add_argument("--golden", default=os.path.join(REPO, "tests", "golden"), help="the golden files")
    ap.add_argument("--skip-regenerate", action="store_true", help="skip check 1 (running the generator again)")
    ap.add_argument("--node", default="node", help="the node executable (for encode.mjs)")
    args = ap.parse_args()
    torch.set_num_threads(1)

    if not args.skip_regenerate:
        check_reproducible(args.model, args.golden)
    hf_cfg, w = load_hf_gpt2(args.model)
    cfg = ref.GPTConfig.from_hf(hf_cfg)
    check_variants(args.model, cfg, w)
    ggufs = check_gguf(args.model, hf_cfg, cfg, w)
    W64 = {k: torch.from_numpy(v).double() for k, v in w.items()}
    nn_weights = hf_to_gguf_names(w, cfg)
    torch_model = build_torch_model(cfg, lambda n: torch.from_numpy(np.ascontiguousarray(nn_weights[n])))
    texts = [t for _, t in ref.SENTENCES]
    sentences = list(zip(ref.SENTENCES, ref.encode(texts, args.node)))
    check_two_paths(cfg, W64, torch_model, sentences)
    check_goldens(args.golden, args.model, torch_model, args.node)
    check_gguf_forward(cfg, ggufs, torch_model, sentences)
    print(f"check_reference: {len(FAILURES)} failure(s)")
    sys.exit(1 if FAILURES else 0)


if __name__ == "__main__":
    main()
