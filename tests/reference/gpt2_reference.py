#!/usr/bin/python3
"""GPT-2 inference written out in PyTorch (float64), and the golden files for the C++ engine.

An independent implementation: it reads the Hugging Face folder with its own safetensors
reader (model_files.py), shares no code with engine/, and takes its token ids from the
reference encoder (npm gpt-3-encoder, through encode.mjs), so the goldens depend neither on
our C++ model nor on our tokenizer.

    # the golden files (tests/golden/README.md describes them)
    /usr/bin/python3 tools/make-tiny-gpt2.py --seed 1234 --out build/tiny-gpt2
    /usr/bin/python3 tests/reference/gpt2_reference.py --model build/tiny-gpt2 --out tests/golden

    # look at one text: its tokens, the attention of one head, the next-token guesses
    /usr/bin/python3 tests/reference/gpt2_reference.py --model build/tiny-gpt2 \\
        --text "The cat sat on the mat." [--ablate 0:1] [--no-positions] [--kv-groups 1] [--bidirectional]

The model (one sequence, no batch; T tokens, C = n_embd, H heads of size d = C / H):
    x = wte[ids] + wpe[0..T-1]                                   (T, C)
    for each block:  x = x + attn(ln_1(x));  x = x + mlp(ln_2(x))
    logits = ln_f(x) @ wte.T                                     (T, V)  the head is tied to wte
with Hugging Face's Conv1D convention for weights: y = x @ W + b, W stored [in, out].

Sections: [CONFIG AND INTERVENTIONS] [THE MODEL] [TOKENS] [GOLDEN FILES] [MAIN]
"""
import argparse
import hashlib
import json
import math
import os
import subprocess
import sys
from dataclasses import dataclass

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
from model_files import load_hf_gpt2, read_safetensors  # noqa: E402

# ---------------------------------------------------------------------------------------------
# [CONFIG AND INTERVENTIONS]
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class GPTConfig:
    vocab_size: int
    n_ctx: int
    n_embd: int
    n_head: int
    n_layer: int
    eps: float

    @staticmethod
    def from_hf(hf):
        return GPTConfig(hf["vocab_size"], hf["n_positions"], hf["n_embd"], hf["n_head"],
                         hf["n_layer"], hf.get("layer_norm_epsilon", 1e-5))


@dataclass(frozen=True)
class Interventions:
    """The chapter's experiments on the real model. The default changes nothing."""
    ablate_heads: tuple = ()     # ((layer, head), ...): that head's output is zeroed before c_proj
    no_positions: bool = False   # leave out the position embeddings: x = wte[ids]
    kv_groups: int = 0           # 0: off. g: heads form g consecutive groups and each head's
                                 # K and V become the mean over its group (1 = MQA, all heads)
    bidirectional: bool = False  # no causal mask: every token sees every token

    def lines(self):
        """The golden header's `intervention` lines (see tests/golden/README.md)."""
        out = [f"intervention ablate_head {l} {h}" for l, h in self.ablate_heads]
        if self.no_positions:
            out.append("intervention no_positions")
        if self.kv_groups:
            out.append(f"intervention share_kv {self.kv_groups}")
        if self.bidirectional:
            out.append("intervention bidirectional")
        return out or ["intervention none"]

# ---------------------------------------------------------------------------------------------
# [THE MODEL]
# Every function works on one sequence; shapes are in the comments. W is the dict of weights
# (float64 tensors, HF names without "transformer."); p is one block's slice of it.
# ---------------------------------------------------------------------------------------------

def layer_norm(x, weight, bias, eps):
    """x (T, C): normalise each row to mean 0, variance 1 (biased variance), then scale, shift."""
    mean = x.mean(dim=-1, keepdim=True)
    var = ((x - mean) ** 2).mean(dim=-1, keepdim=True)
    return (x - mean) / torch.sqrt(var + eps) * weight + bias


def gelu(x):
    """GELU, tanh form (HF "gelu_new", what GPT-2 was trained with)."""
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x ** 3)))


def softmax(scores):
    """Along the last axis; -inf scores get weight 0."""
    e = torch.exp(scores - scores.max(dim=-1, keepdim=True).values)
    return e / e.sum(dim=-1, keepdim=True)


def share_kv(t, groups):
    """t (H, T, d): replace each head by the mean over its group of H / groups heads."""
    H, T, d = t.shape
    g = t.reshape(groups, H // groups, T, d).mean(dim=1, keepdim=True)
    return g.expand(groups, H // groups, T, d).reshape(H, T, d)


def attention(x, p, cfg, layer, iv):
    """x (T, C) -> (y (T, C), att (H, T, T)): causal multi-head self-attention."""
    T, C = x.shape
    H, d = cfg.n_head, cfg.n_embd // cfg.n_head
    qkv = x @ p["attn.c_attn.weight"] + p["attn.c_attn.bias"]          # (T, 3C) = [q | k | v]
    q, k, v = qkv.split(C, dim=-1)                                      # (T, C) each
    q, k, v = (t.reshape(T, H, d).transpose(0, 1) for t in (q, k, v))   # (H, T, d): head h = columns h*d..h*d+d-1
    if iv.kv_groups:
        k, v = share_kv(k, iv.kv_groups), share_kv(v, iv.kv_groups)
    scores = q @ k.transpose(1, 2) / math.sqrt(d)                       # (H, T, T): query row, key column
    if not iv.bidirectional:
        future = torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1)
        scores = scores.masked_fill(future, float("-inf"))              # token t sees 0..t only
    att = softmax(scores)                                               # (H, T, T), rows sum to 1
    y = att @ v                                                         # (H, T, d)
    for l, h in iv.ablate_heads:
        if l == layer:
            y[h] = 0.0
    y = y.transpose(0, 1).reshape(T, C)                                 # heads side by side again
    return y @ p["attn.c_proj.weight"] + p["attn.c_proj.bias"], att


def mlp(x, p):
    """x (T, C) -> (T, C) through 4C hidden units."""
    h = gelu(x @ p["mlp.c_fc.weight"] + p["mlp.c_fc.bias"])             # (T, 4C)
    return h @ p["mlp.c_proj.weight"] + p["mlp.c_proj.bias"]


def block(x, p, cfg, layer, iv):
    """One pre-LayerNorm transformer block on the residual stream x (T, C)."""
    a, att = attention(layer_norm(x, p["ln_1.weight"], p["ln_1.bias"], cfg.eps), p, cfg, layer, iv)
    x = x + a
    x = x + mlp(layer_norm(x, p["ln_2.weight"], p["ln_2.bias"], cfg.eps), p)
    return x, att


@dataclass
class Trace:
    attention: list         # n_layer tensors (H, T, T)
    residual: torch.Tensor  # (T, C) the residual stream after the last block, before ln_f
    hidden: torch.Tensor    # (T, C) after ln_f (HF's last_hidden_state)
    logits: torch.Tensor    # (T, V)


def forward(ids, W, cfg, iv=Interventions()):
    T = len(ids)
    assert T <= cfg.n_ctx, f"{T} tokens, context is {cfg.n_ctx}"
    x = W["wte.weight"][torch.tensor(ids)]                              # (T, C) token embeddings
    if not iv.no_positions:
        x = x + W["wpe.weight"][:T]                                     # + learned positions
    atts = []
    for i in range(cfg.n_layer):
        p = {k[len(f"h.{i}."):]: v for k, v in W.items() if k.startswith(f"h.{i}.")}
        x, att = block(x, p, cfg, i, iv)
        atts.append(att)
    hidden = layer_norm(x, W["ln_f.weight"], W["ln_f.bias"], cfg.eps)
    logits = hidden @ W["wte.weight"].T                                 # tied output head
    return Trace(atts, x, hidden, logits)


def load_model(folder, dtype=torch.float64):
    hf, weights = load_hf_gpt2(folder)
    W = {k: torch.from_numpy(v).to(dtype) for k, v in weights.items()}
    return GPTConfig.from_hf(hf), W

# ---------------------------------------------------------------------------------------------
# [TOKENS]
# ---------------------------------------------------------------------------------------------

def encode(texts, node="node"):
    """Token ids from the reference encoder (npm gpt-3-encoder via encode.mjs)."""
    proc = subprocess.run([node, os.path.join(HERE, "encode.mjs")], input=json.dumps(texts),
                          capture_output=True, text=True, encoding="utf-8")
    if proc.returncode != 0:
        sys.exit(f"encode.mjs failed (run `npm ci` in the repository?):\n{proc.stderr}")
    return json.loads(proc.stdout)


def byte_decoder():
    """GPT-2's map from the printable stand-in characters back to bytes."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + \
        list(range(ord("®"), ord("ÿ") + 1))
    cs, n = list(bs), 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return {chr(c): b for b, c in zip(bs, cs)}


def token_texts(folder):
    """id -> the token's bytes shown as text (invalid UTF-8 pieces as escapes)."""
    with open(os.path.join(folder, "vocab.json"), encoding="utf-8") as f:
        vocab = json.load(f)
    dec = byte_decoder()
    out = {}
    for tok, i in vocab.items():
        raw = bytes(dec[ch] for ch in tok) if all(ch in dec for ch in tok) else tok.encode()
        out[i] = raw.decode("utf-8", errors="backslashreplace")
    return out

# ---------------------------------------------------------------------------------------------
# [GOLDEN FILES]
# Per case NAME: NAME.txt (a line-based header) and NAME.bin (the float32 arrays it lists).
# The format is specified in tests/golden/README.md; keep the two in step.
# ---------------------------------------------------------------------------------------------

SENTENCES = [
    ("cat", "The cat sat on the mat."),
    ("robot", "The robot delivered the mail after it was fixed."),
    ("zh", "注意力是你所需要的一切。"),
    ("long", "Attention lets every word look back at the words that came before it, weigh how "
             "relevant each one is, and blend their meanings into a new vector that the next "
             "layer of the model can build on."),
]
INTERVENTIONS = [
    ("ablate-l0h1", Interventions(ablate_heads=((0, 1),))),
    ("no-pos", Interventions(no_positions=True)),
    ("mqa", Interventions(kv_groups=1)),
    ("gqa2", Interventions(kv_groups=2)),
    ("bidir", Interventions(bidirectional=True)),
]
INTERVENTION_SENTENCES = ("robot", "zh")     # the others only as "base" (keeps goldens small)
SUBSET_STRIDE = 211


def vocab_subset(ids, vocab_size):
    """The vocabulary ids whose logits are stored at every position."""
    return sorted(set(range(100)) | set(ids) | set(range(0, vocab_size, SUBSET_STRIDE)))


def sha256_of(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def ints(key, values):
    return f"{key} {len(values)} " + " ".join(str(int(v)) for v in values)


def write_case(out, name, sentence, text, ids, iv, trace, cfg, model_sha, full_last):
    T, V = len(ids), cfg.vocab_size
    logits = trace.logits
    top2 = torch.topk(logits, 2, dim=-1).values                         # full vocabulary
    subset = vocab_subset(ids, V)
    arrays = [
        ("attention", torch.stack(trace.attention)),                    # (L, H, T, T)
        ("logits_subset", logits[:, subset]),                           # (T, S)
        ("argmax_margin", top2[:, 0] - top2[:, 1]),                     # (T,)
        ("hidden_norm", trace.hidden.norm(dim=-1)),                     # (T,)
        ("residual_norm", trace.residual.norm(dim=-1)),                 # (T,)
    ]
    if full_last:
        arrays.append(("logits_last", logits[T - 1]))                   # (V,)
    lines = ["attnlab-golden 1", f"case {name}", f"sentence {sentence}", f"text {text}",
             *iv.lines(), f"model_sha256 {model_sha}",
             f"n_layer {cfg.n_layer}", f"n_head {cfg.n_head}", f"n_vocab {V}", f"n_tokens {T}",
             ints("tokens", ids), ints("argmax", logits.argmax(dim=-1).tolist()),
             ints("vocab_subset", subset)]
    blob = bytearray()
    for key, a in arrays:
        a = a.detach().numpy().astype("<f4")
        lines.append(f"tensor {key} f32 {len(blob)} {a.ndim} " + " ".join(map(str, a.shape)))
        blob += a.tobytes()
    lines.append("end")
    with open(os.path.join(out, name + ".txt"), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines) + "\n")
    with open(os.path.join(out, name + ".bin"), "wb") as f:
        f.write(blob)


def write_goldens(model, out, node):
    cfg, W = load_model(model)
    model_sha = sha256_of(os.path.join(model, "model.safetensors"))
    _, meta = read_safetensors(os.path.join(model, "model.safetensors"))
    seed = meta.get("seed", "?")
    os.makedirs(out, exist_ok=True)
    all_ids = encode([text for _, text in SENTENCES], node)
    cases = []
    with torch.no_grad():
        for (sentence, text), ids in zip(SENTENCES, all_ids):
            runs = [("base", Interventions())]
            if sentence in INTERVENTION_SENTENCES:
                runs += INTERVENTIONS
            for suffix, iv in runs:
                name = f"{sentence}-{suffix}"
                trace = forward(ids, W, cfg, iv)
                write_case(out, name, sentence, text, ids, iv, trace, cfg, model_sha,
                           full_last=(suffix == "base"))
                cases.append(name)
    with open(os.path.join(out, "cases.txt"), "w", newline="\n") as f:
        f.write("".join(c + "\n" for c in cases))
    # model.txt: what the goldens were computed from, so a test can tell the model drifted.
    lines = ["attnlab-golden-model 1",
             f"generator /usr/bin/python3 tools/make-tiny-gpt2.py --seed {seed} --out build/tiny-gpt2",
             f"n_vocab {cfg.vocab_size}", f"n_ctx {cfg.n_ctx}", f"n_embd {cfg.n_embd}",
             f"n_head {cfg.n_head}", f"n_layer {cfg.n_layer}", f"eps {cfg.eps!r}",
             f"sha256 {model_sha} model.safetensors"]
    sums = os.path.join(model, "SHA256SUMS")
    if os.path.exists(sums):
        with open(sums) as f:
            for line in f:
                digest, rel = line.split()
                if rel != "model.safetensors":
                    lines.append(f"sha256 {digest} {rel}")
    with open(os.path.join(out, "model.txt"), "w", newline="\n") as f:
        f.write("\n".join(lines) + "\n")
    total = sum(os.path.getsize(os.path.join(out, f)) for f in os.listdir(out))
    print(f"gpt2_reference: {len(cases)} cases -> {out}/ ({total:,} bytes with README)")

# ---------------------------------------------------------------------------------------------
# [MAIN]
# ---------------------------------------------------------------------------------------------

def show_text(model, text, iv, node, layer, head):
    cfg, W = load_model(model)
    ids = encode([text], node)[0]
    tok = token_texts(model)
    with torch.no_grad():
        trace = forward(ids, W, cfg, iv)
    print("tokens:", " ".join(f"{i}:{tok[i]!r}" for i in ids))
    print(f"attention, layer {layer} head {head} (row = query token):")
    for t, row in enumerate(trace.attention[layer][head].tolist()):
        seen = row if iv.bidirectional else row[:t + 1]
        print(f"  {tok[ids[t]]!r:>14} " + " ".join(f"{w:4.2f}" for w in seen))
    probs = softmax(trace.logits[-1])
    top = torch.topk(probs, 5)
    print("next token (the model is random, so these are too):",
          ", ".join(f"{tok[int(i)]!r} {float(p):.6f}" for p, i in zip(top.values, top.indices)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__.split("\n\n", 1)[1])
    ap.add_argument("--model", required=True, help="Hugging Face GPT-2 folder (config.json, model.safetensors)")
    ap.add_argument("--out", help="write the golden files into this folder")
    ap.add_argument("--text", help="run one text and print what it does instead")
    ap.add_argument("--ablate", action="append", default=[], metavar="L:H", help="with --text: zero head H of layer L")
    ap.add_argument("--no-positions", action="store_true", help="with --text: leave out wpe")
    ap.add_argument("--kv-groups", type=int, default=0, help="with --text: share K/V within G groups of heads (1 = MQA)")
    ap.add_argument("--bidirectional", action="store_true", help="with --text: no causal mask")
    ap.add_argument("--show", default="0:0", metavar="L:H", help="with --text: which head's attention to print")
    ap.add_argument("--node", default="node", help="the node executable (for encode.mjs)")
    args = ap.parse_args()
    if bool(args.out) == bool(args.text):
        ap.error("give exactly one of --out and --text")
    if args.out:
        write_goldens(args.model, args.out, args.node)
    else:
        iv = Interventions(tuple(tuple(int(n) for n in a.split(":")) for a in args.ablate),
                           args.no_positions, args.kv_groups, args.bidirectional)
        layer, head = (int(n) for n in args.show.split(":"))
        show_text(args.model, args.text, iv, args.node, layer, head)


if __name__ == "__main__":
    main()
