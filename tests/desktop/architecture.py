#!/usr/bin/python3
"""11.3's figures in the real desktop app (Xvfb): the numbers each tab publishes through
--dump-state, checked against independent Python computations on the tiny f32 test model.

  heads     per-head entropy / previous-token / first-token scores = the same statistics
            computed here from `attnlab-cli attention` (the engine's weights, our own maths);
            the table is sorted as asked; the model view lists every layer × head
  pe        the selected cell and fixed samples = sin(pos / 10000^(2i/d)), cos(...) (numpy);
            dot products between positions; GPT-2's learned wpe values and their cosines =
            the GGUF tensor read by tests/reference/model_files.py; d is kept even and in range
  residual  ‖x‖ of the selected token after every layer, the LayerNorm moments and the FFN's
            near-zero shares = a numpy forward pass of the GGUF model (float64), token ids
            from attnlab-cli

Screenshots (zh and en) stay in --out for people to look at.
"""
import json
import math
import os
import subprocess
import sys

import numpy as np

import harness
from harness import check, finish, parse_args

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "reference"))
from model_files import read_gguf  # noqa: E402

SENTENCE = "The robot delivered the mail after it was fixed."


SHADER_TOLERANCE = 3.0  # mean |Δ| per channel: 8-bit levels and GPU filtering, not a different picture


def close(a, b, rel=1e-4, abs_=1e-6):
    return abs(a - b) <= abs_ + rel * abs(b)


def run_app(args, name, tab, *flags):
    s = harness.run_app(args.app, args.out, name, "architecture", "--option", f"arch.tab={tab}", *flags,
                        model=args.model, size="1280x1000", timeout=120)
    check(s["panels"].get("architecture_tab") == tab, f"the {tab} tab is open ({s['panels'].get('architecture_tab')})")
    return s


def cli_attention(args, text):
    proc = subprocess.run([args.cli, "attention", args.model, "--text", text], capture_output=True, text=True,
                          timeout=120)
    check(proc.returncode == 0, "attnlab-cli attention runs")
    return json.loads(proc.stdout)

# ---------------------------------------------------------------------------------------------
# Per-head statistics (the definitions of engine/session/head_stats.h, written again)
# ---------------------------------------------------------------------------------------------

def head_stats(w):
    w = np.asarray(w, dtype=np.float64)
    n = w.shape[0]
    with np.errstate(divide="ignore", invalid="ignore"):
        plogp = np.where(w > 0, w * np.log(np.where(w > 0, w, 1.0)), 0.0)
    entropy = float(np.mean(-plogp.sum(axis=1)))
    if n < 2:
        return entropy, 0.0, 0.0
    prev = float(np.mean([w[i, i - 1] for i in range(1, n)]))
    first = float(np.mean([w[i, 0] for i in range(1, n)]))
    return entropy, prev, first


def check_stats_rows(rows, cli, what):
    by_key = {(a["layer"], a["head"]): a["weights"] for a in cli["attention"]}
    bad = []
    for r in rows:
        e, p, f = head_stats(by_key[(r["layer"], r["head"])])
        if not (close(r["entropy"], e, 1e-4, 1e-5) and close(r["prev_token"], p, 1e-4, 1e-5)
                and close(r["first_token"], f, 1e-4, 1e-5)):
            bad.append((r, (e, p, f)))
    check(not bad, f"{what}: entropy, previous-token and first-token scores match Python's ({bad[:2]})")


def test_heads(args):
    cli = cli_attention(args, SENTENCE)
    n_layer = 1 + max(a["layer"] for a in cli["attention"])
    n_head = 1 + max(a["head"] for a in cli["attention"])

    s = run_app(args, "architecture-heads-zh", "heads", "--lang", "zh", "--text", SENTENCE,
                "--option", "heads.layer=1", "--option", "heads.sort=prev")
    h = s["panels"].get("arch_heads")
    check(h is not None, "arch_heads is published")
    if h is None:
        return
    check(h["layer"] == 1 and h["view"] == "layer", f"layer 1, one-layer view ({h['layer']}, {h['view']})")
    check(h["n_layer"] == n_layer and h["n_head"] == n_head, f"model shape {n_layer} × {n_head}")
    check(len(h["tokens"]) == len(cli["tokens"]), f"{len(cli['tokens'])} tokens")
    rows = h["stats"]
    check(len(rows) == n_head and all(r["layer"] == 1 for r in rows), f"the table holds the {n_head} heads of layer 1")
    check(sorted(r["head"] for r in rows) == list(range(n_head)), "every head once")
    check_stats_rows(rows, cli, "layer 1")
    prev = [r["prev_token"] for r in rows]
    check(h["sort"] == "prev" and h["descending"] and prev == sorted(prev, reverse=True),
          f"sorted by previous-token score, descending ({prev})")
    best = max(rows, key=lambda r: r["prev_token"])
    check(h["open"] == [1, best["head"]], f"the layer's clearest previous-token head is enlarged ({h['open']})")
    for name in ("arch_heads_layer", "arch_heads_view_model", "arch_heads_table", "arch_heads_large",
                 "arch_heads_thumb_1_0", "arch_sentence"):
        check(name in s["hotspots"], f"hotspot {name}")

    s = run_app(args, "architecture-heads-model-en", "heads", "--lang", "en", "--text", SENTENCE,
                "--option", "heads.view=model", "--option", "heads.head=2")
    h = s["panels"]["arch_heads"]
    rows = h["stats"]
    check(h["view"] == "model" and len(rows) == n_layer * n_head, f"model view: {n_layer * n_head} rows ({len(rows)})")
    check([(r["layer"], r["head"]) for r in rows] == [(l, k) for l in range(n_layer) for k in range(n_head)],
          "sorted by head by default")
    check(h["open"] == [0, 2], f"heads.head=2 enlarges L0 H2 ({h['open']})")
    check_stats_rows(rows, cli, "every head")
    check(all(f"arch_heads_thumb_{l}_{k}" in s["hotspots"] for l in range(n_layer) for k in range(n_head)),
          "a thumbnail for every layer × head")

# ---------------------------------------------------------------------------------------------
# Positional encoding
# ---------------------------------------------------------------------------------------------

def pe_formula(pos, dim, d):
    angle = pos / 10000 ** ((dim - dim % 2) / d)
    return math.cos(angle) if dim % 2 else math.sin(angle)


def compare_shader_with_rectangles(args, name, tab, flags, hotspots):
    """The heatmaps drawn by shaders/heatmap.frag look like the ImGui rectangles they replace."""
    from PIL import Image, ImageChops, ImageStat
    gpu = run_app(args, f"{name}-shader", tab, *flags)
    cpu = run_app(args, f"{name}-rectangles", tab, *flags, "--option", "heatmap.gpu=0")
    g, c = gpu["heatmaps"], cpu["heatmaps"]
    check(g["error"] == "" and g["images"] >= len(hotspots) and g["rectangles"] == 0,
          f"{tab}: the heatmaps are textures coloured by the shader ({g})")
    check(c["images"] == 0 and c["rectangles"] == g["images"], f"{tab}: heatmap.gpu=0 draws them as rectangles ({c})")
    for spot in hotspots:
        box = tuple(round(v) for v in gpu["hotspots"][spot])
        check(box == tuple(round(v) for v in cpu["hotspots"][spot]), f"{spot} lies at the same place in both")
        a = Image.open(os.path.join(args.out, f"{name}-shader.png")).convert("RGB").crop(box)
        b = Image.open(os.path.join(args.out, f"{name}-rectangles.png")).convert("RGB").crop(box)
        diff = ImageStat.Stat(ImageChops.difference(a, b)).mean
        spread = ImageStat.Stat(b).stddev  # the figure is not blank: a real picture to compare
        check(max(diff) < SHADER_TOLERANCE and min(spread) > 10,
              f"{spot}: shader and rectangles differ by {max(diff):.2f} of 255 on average (< {SHADER_TOLERANCE})")


def check_heatmap_shader(args):
    compare_shader_with_rectangles(args, "architecture-pe", "pe",
                                   ("--lang", "en", "--option", "pe.d_model=64", "--option", "pe.length=40"),
                                   ("arch_pe_heatmap", "arch_pe_wpe"))
    # the labelled map of one head (cells with a pixel of gap) and the small pictures
    compare_shader_with_rectangles(args, "architecture-heads", "heads", ("--lang", "en", "--text", SENTENCE),
                                   ("arch_heads_large", "arch_heads_thumb_0_0"))


def test_pe(args, gguf):
    wpe = gguf.tensors["position_embd.weight"].array.astype(np.float64)
    s = run_app(args, "architecture-pe-zh", "pe", "--lang", "zh", "--option", "pe.d_model=97",
                "--option", "pe.length=50", "--option", "pe.pos=17", "--option", "pe.dim=9")
    p = s["panels"].get("arch_pe")
    check(p is not None, "arch_pe is published")
    if p is None:
        return
    d, n = p["d_model"], p["length"]
    check(d == 96 and n == 50, f"d_model 97 is made even (96), length 50 ({d}, {n})")
    sel = p["selected"]
    check(sel is not None and sel["pos"] == 17 and sel["dim"] == 9, f"pe.pos / pe.dim select a cell ({sel})")
    if sel:
        want = pe_formula(17, 9, 96)
        check(abs(sel["value"] - want) < 1e-6, f"selected PE(17, 9) = cos(17 / 10000^(8/96)) = {want:.7f} ({sel['value']})")
    cells = p["samples"]
    bad = [c for c in cells if abs(c["value"] - pe_formula(c["pos"], c["dim"], d)) > 1e-6]
    check(len(cells) >= 10 and not bad, f"{len(cells)} samples equal sin/cos of the formula ({bad[:3]})")
    check({(c["pos"], c["dim"]) for c in cells} >= {(n - 1, d - 1), (n - 1, d - 2), (0, 0), (0, 1)},
          "the samples reach both ends")
    pe = np.array([[pe_formula(i, j, d) for j in range(d)] for i in range(n)])
    bad = [c for c in p["dot_samples"] if not close(c["value"], float(pe[c["m"]] @ pe[c["n"]]), 1e-5, 1e-4)]
    check(not bad, f"dot products PE(m)·PE(n) match numpy ({bad[:3]})")
    check(abs(next(c["value"] for c in p["dot_samples"] if c["m"] == c["n"]) - d / 2) < 1e-3, "PE(m)·PE(m) = d/2")

    w = p.get("wpe")
    check(w is not None, "the learned position embeddings are shown")
    if w:
        check(w["type"] == "f32" and w["n_ctx"] == wpe.shape[0] and w["n_embd"] == wpe.shape[1],
              f"wpe is {wpe.shape[0]} × {wpe.shape[1]} f32 ({w['n_ctx']} × {w['n_embd']} {w['type']})")
        check(w["positions"] == min(n, wpe.shape[0]) and w["dims"] == min(d, wpe.shape[1]),
              f"first {min(n, wpe.shape[0])} positions × {min(d, wpe.shape[1])} dims ({w['positions']} × {w['dims']})")
        bad = [c for c in w["samples"] if abs(c["value"] - wpe[c["pos"], c["dim"]]) > 1e-7]
        check(not bad, f"wpe values equal the GGUF tensor ({bad[:3]})")
        unit = wpe / np.linalg.norm(wpe, axis=1, keepdims=True)
        bad = [c for c in w["cos_samples"] if abs(c["value"] - float(unit[c["m"]] @ unit[c["n"]])) > 1e-5]
        check(not bad, f"cosine similarities of wpe rows match numpy ({bad[:3]})")
    for name in ("arch_pe_d_model", "arch_pe_length", "arch_pe_heatmap", "arch_pe_wpe", "arch_pe_curves"):
        check(name in s["hotspots"], f"hotspot {name}")

    check_heatmap_shader(args)

    s = run_app(args, "architecture-pe-en", "pe", "--lang", "en", "--option", "pe.d_model=4000",
                "--option", "pe.length=3")
    p = s["panels"]["arch_pe"]
    check(p["d_model"] == 512 and p["length"] == 8, f"out-of-range options are clamped to 512 and 8 ({p['d_model']}, {p['length']})")
    bad = [c for c in p["samples"] if abs(c["value"] - pe_formula(c["pos"], c["dim"], 512)) > 1e-6]
    check(not bad and p["selected"] is None, f"d = 512: samples equal the formula, nothing selected ({bad[:3]})")

# ---------------------------------------------------------------------------------------------
# Residual stream, LayerNorm, FFN: a numpy forward pass (float64) of the GGUF model
# ---------------------------------------------------------------------------------------------

def layer_norm(x, w, b, eps):
    mu = x.mean(axis=-1, keepdims=True)
    var = ((x - mu) ** 2).mean(axis=-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * w + b


def gelu(x):
    return 0.5 * x * (1.0 + np.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x ** 3)))


def numpy_forward(g, ids):
    """Residual stream into every block and after the last, LN1 outputs, GELU outputs."""
    def W(name):
        return g.tensors[name].array.astype(np.float64)
    n_layer = g.metadata["gpt2.block_count"]
    H = g.metadata["gpt2.attention.head_count"]
    eps = g.metadata["gpt2.attention.layer_norm_epsilon"]
    T = len(ids)
    x = W("token_embd.weight")[ids] + W("position_embd.weight")[:T]
    C = x.shape[1]
    hd = C // H
    residual, ln1, act = [x], [], []
    mask = np.triu(np.ones((T, T), dtype=bool), 1)
    for l in range(n_layer):
        p = f"blk.{l}."
        h = layer_norm(x, W(p + "attn_norm.weight"), W(p + "attn_norm.bias"), eps)
        ln1.append(h)
        qkv = h @ W(p + "attn_qkv.weight").T + W(p + "attn_qkv.bias")
        q, k, v = qkv[:, :C], qkv[:, C:2 * C], qkv[:, 2 * C:]
        out = np.zeros((T, C))
        for i in range(H):
            sl = slice(i * hd, (i + 1) * hd)
            s = q[:, sl] @ k[:, sl].T / math.sqrt(hd)
            s[mask] = -np.inf
            s = np.exp(s - s.max(axis=1, keepdims=True))
            out[:, sl] = (s / s.sum(axis=1, keepdims=True)) @ v[:, sl]
        x = x + out @ W(p + "attn_output.weight").T + W(p + "attn_output.bias")
        h = layer_norm(x, W(p + "ffn_norm.weight"), W(p + "ffn_norm.bias"), eps)
        a = gelu(h @ W(p + "ffn_up.weight").T + W(p + "ffn_up.bias"))
        act.append(a)
        x = x + a @ W(p + "ffn_down.weight").T + W(p + "ffn_down.bias")
        residual.append(x)
    return residual, ln1, act


def check_moments(got, x, what):
    want = {"mean": x.mean(), "std": x.std(), "min": x.min(), "max": x.max()}
    bad = {k: (got[k], float(v)) for k, v in want.items() if not close(got[k], float(v), 1e-4, 1e-5)}
    check(not bad, f"{what}: mean, std, min, max match numpy ({bad})")


def test_residual(args, gguf):
    cli = cli_attention(args, SENTENCE)
    ids = cli["ids"]
    residual, ln1, act = numpy_forward(gguf, ids)
    n_layer = len(ln1)
    for layer, token, lang in ((0, 3, "en"), (1, len(ids) - 1, "zh")):
        s = run_app(args, f"architecture-residual-{lang}", "residual", "--lang", lang, "--text", SENTENCE,
                    "--option", f"res.layer={layer}", "--option", f"res.token={token}")
        r = s["panels"].get("arch_residual")
        check(r is not None, "arch_residual is published")
        if r is None:
            return
        check(r["layer"] == layer and r["token"] == token, f"res.layer={layer}, res.token={token} ({r['layer']}, {r['token']})")
        norms = r["norms"]
        want = [float(np.linalg.norm(residual[l][token])) for l in range(n_layer + 1)]
        check(len(norms) == n_layer + 1 and all(v > 0 for v in norms),
              f"{n_layer + 1} positive norms, one per layer boundary ({norms})")
        check(all(close(a, b, 1e-4) for a, b in zip(norms, want)), f"‖x‖ per layer match numpy ({norms} vs {want})")
        check_moments(r["ln_before"], residual[layer][token], f"L{layer} before LayerNorm")
        check_moments(r["ln_after"], ln1[layer][token], f"L{layer} after LayerNorm")
        t = r["threshold"]
        want = [float(np.mean(np.abs(a) < t)) for a in act]
        got = r["ffn_near_zero"]
        check(len(got) == n_layer and all(abs(a - b) <= 2e-3 for a, b in zip(got, want)),
              f"near-zero shares of the GELU outputs match numpy ({got} vs {want})")
        for name in ("arch_res_norms", "arch_res_layer", "arch_res_ln_before", "arch_res_ln_after", "arch_res_near_zero"):
            check(name in s["hotspots"], f"hotspot {name}")


def main():
    args = parse_args(model_help="an f32 GGUF (its tensors are read here with numpy)")
    gguf = read_gguf(args.model)
    test_heads(args)
    test_pe(args, gguf)
    test_residual(args, gguf)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
