#!/usr/bin/python3
"""11.3's diagram and architect's view in the real desktop app (Xvfb), through --dump-state.

The model's shape comes from `attnlab-cli info` (not from the app), and every number the
panels publish is recomputed here independently:

  diagram      the selected component's parameter count = the formula from the config
               (attention 4C² + 4C per layer, FFN 2CF + F + C per layer), the components add
               up to the model's parameter count, GPT-2 has no cross-attention
  KV cache     MHA / GQA / MQA bytes = 2 · L · kv_heads · head_dim · T · bytes per value
  RoPE         q·k for (m, n) = q·k for (m + k, n + k) (±1e-5) = a numpy rotation of q and k
  ALiBi        slopes 2^(−8h/H)
  quantization Q8_0 / Q4_0 weights take 34/128 and 18/128 of the f32 bytes; the Q8_0 copy of
               a Q8_0 file predicts the same top 5 as `attnlab-cli run`
Screenshots (zh and en) stay in --out for people to look at.
"""
import os
import re
import subprocess
import sys

import numpy as np

from harness import check, finish, parse_args, run_app

SENTENCE = "The robot delivered the mail after it was fixed."


def run(args, name, *flags):
    return run_app(args.app, args.out, name, "architecture", *flags, model=args.model, size="1280x1000", timeout=120)


def model_config(cli, model):
    """The shape as `attnlab-cli info` prints it (independent of the UI)."""
    text = subprocess.run([cli, "info", model], capture_output=True, text=True, timeout=60, check=True).stdout
    num = lambda pattern: int(re.search(pattern, text, re.M).group(1))
    return {"V": num(r"^vocabulary\s+(\d+)"), "n_ctx": num(r"^context\s+(\d+)"), "L": num(r"^layers\s+(\d+)"),
            "H": num(r"^heads\s+(\d+)"), "C": num(r"^width\s+(\d+)"), "F": num(r"MLP (\d+)")}


def state_colour(img):
    """The most common colour of a region (the masked corner's empty cells in a bias map)."""
    colours, counts = np.unique(img.reshape(-1, 3), axis=0, return_counts=True)
    return colours[counts.argmax()]


def cli_top5(cli, model):
    text = subprocess.run([cli, "run", model, "--text", SENTENCE, "--top", "5"], capture_output=True, text=True,
                          timeout=60, check=True).stdout
    return [(int(m.group(2)), float(m.group(1)) / 100) for m in re.finditer(r"^\s*([\d.]+)%\s+(\d+)\s", text, re.M)]


def rope_score(q, k, m, n, base):
    """q at position m, k at position n, each pair (2i, 2i+1) turned by pos · base^(−2i/d)."""
    q, k = np.asarray(q, dtype=np.float64), np.asarray(k, dtype=np.float64)
    d = len(q)

    def rotate(x, pos):
        out = x.copy()
        for i in range(d // 2):
            a = pos * base ** (-2.0 * i / d)
            out[2 * i] = x[2 * i] * np.cos(a) - x[2 * i + 1] * np.sin(a)
            out[2 * i + 1] = x[2 * i] * np.sin(a) + x[2 * i + 1] * np.cos(a)
        return out

    return float(rotate(q, m) @ rotate(k, n))


def check_diagram(args, cfg):
    L, C, F, V, P = cfg["L"], cfg["C"], cfg["F"], cfg["V"], cfg["n_ctx"]
    for lang, comp, per_layer in (("zh", "masked_attention", 4 * C * C + 4 * C),
                                  ("en", "feed_forward", 2 * C * F + F + C)):
        state = run(args, f"architecture-diagram-{lang}", "--lang", lang, "--option", "arch.tab=diagram",
                    "--option", f"diagram.component={comp}")
        d = state["panels"]["arch_diagram"]
        check(d["component"] == comp, f"{comp} is selected (got {d['component']})")
        check(d["per_layer"] == per_layer, f"{comp}: {d['per_layer']} parameters per layer = formula {per_layer}")
        check(d["parameters"] == L * per_layer, f"{comp}: {d['parameters']} in all layers = {L} × {per_layer}")
        total = V * C + P * C + L * (4 * C + 4 * C * C + 4 * C + 2 * C * F + F + C) + 2 * C  # tied head
        parts = sum(d["components"].values())
        check(parts == total == state["model"]["parameters"],
              f"components add up to the model: {parts} = {total} = {state['model']['parameters']}")
        check(d["components"]["cross_attention"] == 0 and d["components"]["self_attention"] == 0,
              "GPT-2 has no cross-attention and no unmasked self-attention")
        boxes = [h for h in state["hotspots"] if h.startswith("diag_")]
        check(any(comp in h for h in boxes), f"a clickable box of {comp} is on screen ({len(boxes)} boxes)")


def check_architect(args, cfg):
    L, H, C = cfg["L"], cfg["H"], cfg["C"]
    hd = C // H
    seq, groups = 1000, 2
    state = run(args, "architect-kv-zh", "--lang", "zh", "--text", SENTENCE, "--option", "arch.tab=architect",
                "--option", "arch.view=kv", "--option", f"kv.seq={seq}", "--option", f"kv.groups={groups}",
                "--option", "kv.bytes=q8", "--option", "rope.m=7", "--option", "rope.n=3", "--option", "alibi.heads=8")
    a = state["panels"]["architect"]
    kv = a["kv"]
    check((kv["layers"], kv["heads"], kv["head_dim"]) == (L, H, hd),
          f"calculator pre-filled from the model: {kv['layers']} layers, {kv['heads']} heads, head size {kv['head_dim']}")
    check(kv["seq"] == seq and kv["groups"] == groups and kv["bytes_per_value"] == 34 / 32, "options kv.seq, kv.groups, kv.bytes")
    for name, kv_heads in (("mha", H), ("gqa", groups), ("mqa", 1)):
        want = 2 * L * kv_heads * hd * seq * (34 / 32)
        check(abs(kv[name] - want) <= 1e-9 * want, f"KV cache {name}: {kv[name]} bytes = 2·{L}·{kv_heads}·{hd}·{seq}·34/32 = {want}")
    check(kv["mqa"] < kv["gqa"] < kv["mha"], "MQA < GQA < MHA")

    demo = a.get("kv_demo")
    check(demo is not None, "the K/V-sharing demo ran on the loaded model")
    if demo:
        T = len(state["tokens"])
        check(demo["tokens"] == T, f"demo on the {T} tokens of the sentence")
        check(demo["mha_bytes"] == 2 * L * H * hd * T * 4 and demo["shared_bytes"] == 2 * L * demo["groups"] * hd * T * 4,
              f"demo memory: {demo['mha_bytes']} → {demo['shared_bytes']} bytes (f32)")
        check(0 < demo["max_attention_change"] <= 1, f"sharing K/V changes the attention ({demo['max_attention_change']:.4f})")
        before = sum(t["p"] for t in demo["top5_before"])
        check(len(demo["top5_before"]) == 5 and 0 < before <= 1.0001, f"top 5 are probabilities (sum {before:.4f})")
        ids = [t[0] for t in cli_top5(args.cli, args.model)]
        check([t["id"] for t in demo["top5_before"]] == ids,
              f"without sharing the demo predicts what attnlab-cli run does ({ids})")

    r = a["rope"]
    check((r["m"], r["n"]) == (7, 3), "options rope.m, rope.n")
    mine = rope_score(r["q"], r["k"], r["m"], r["n"], r["base"])
    check(abs(r["score"] - mine) <= 1e-5, f"RoPE q·k({r['m']}, {r['n']}) = {r['score']:.7f} = numpy {mine:.7f}")
    for m, n, s in r["same_distance"]:
        check(m - n == r["m"] - r["n"] and abs(s - r["score"]) <= 1e-5,
              f"RoPE q·k({m}, {n}) = {s:.7f} = q·k({r['m']}, {r['n']}) (same distance)")
        check(abs(s - rope_score(r["q"], r["k"], m, n, r["base"])) <= 1e-5, f"RoPE q·k({m}, {n}) = numpy")
    other = rope_score(r["q"], r["k"], r["m"] + 1, r["n"], r["base"])
    check(abs(other - r["score"]) > 1e-3, f"another distance gives another score ({other:.5f})")

    al = a["alibi"]
    want = [2 ** (-8 * (h + 1) / al["heads"]) for h in range(al["heads"])]
    check(al["heads"] == 8 and all(abs(x - y) < 1e-7 for x, y in zip(al["slopes"], want)),
          f"ALiBi slopes 2^(−8h/8) ({al['slopes']})")

    # ALiBi's bias map: the masked corner (j > i) is one empty colour. A cell gap that the GPU
    # shader and the overlay rounded differently used to show as stray purple lines there.
    state = run(args, "architect-alibi-zh", "--lang", "zh", "--option", "arch.tab=architect", "--option", "arch.view=alibi")
    x0, y0, x1, y1 = (int(round(v)) for v in state["hotspots"]["alibi_bias"])
    from PIL import Image
    img = np.asarray(Image.open(os.path.join(args.out, "architect-alibi-zh.png")).convert("RGB"), dtype=int)[y0:y1, x0:x1]
    empty = np.array(state_colour(img))
    is_empty = (np.abs(img - empty).sum(axis=2) <= 6)
    purple = (img[:, :, 0] < 110) & (img[:, :, 1] < 60) & (img[:, :, 2] > 70)
    # a dark pixel with the empty colour two pixels to its left and right: a line inside the masked corner
    stray = purple[:, 2:-2] & is_empty[:, :-4] & is_empty[:, 4:]
    check(is_empty.sum() > 0.2 * is_empty.size, f"the masked corner is drawn empty ({is_empty.sum()} px)")
    check(not stray.any(), f"no stray line in the masked corner ({int(stray.sum())} px)")

    # The quantization lens, in English.
    state = run(args, "architect-quant-en", "--lang", "en", "--text", SENTENCE, "--option", "arch.tab=architect",
                "--option", "arch.view=quant", "--option", "quant.layer=1")
    q = state["panels"]["architect"].get("quant")
    check(q is not None, "the quantization lens built its three models")
    if not q:
        return
    v = {x["type"]: x for x in q["variants"]}
    check(sorted(v) == ["f32", "q4_0", "q8_0"], f"variants f32, q8_0, q4_0 ({sorted(v)})")
    b32, b8, b4 = v["f32"]["weight_bytes"], v["q8_0"]["weight_bytes"], v["q4_0"]["weight_bytes"]
    check(b8 * 128 == b32 * 34 and b4 * 128 == b32 * 18, f"weight bytes f32 {b32}, Q8_0 {b8} (34/128), Q4_0 {b4} (18/128)")
    check(q["source_type"] == "q8_0", "the file is Q8_0")
    cli = cli_top5(args.cli, args.model)
    got = [(t["id"], t["p"]) for t in v["q8_0"]["top5"]]
    check([i for i, _ in got] == [i for i, _ in cli] and all(abs(p - c) < 6e-5 for (_, p), (_, c) in zip(got, cli)),
          f"the Q8_0 copy of a Q8_0 file predicts what attnlab-cli run does ({cli})")
    check(v["f32"]["max_attention_change"] == 0 and 0 < v["q8_0"]["max_attention_change"] < v["q4_0"]["max_attention_change"],
          f"attention moves more with fewer bits (Q8_0 {v['q8_0']['max_attention_change']:.5f}, "
          f"Q4_0 {v['q4_0']['max_attention_change']:.5f})")
    # The sentence under the lens says what these runs show, not what quantization usually does.
    verdicts = q.get("verdicts", [])
    check(len(verdicts) == 2, f"one measured line for Q8_0 and one for Q4_0 ({verdicts})")
    for line, t in zip(verdicts, ("q8_0", "q4_0")):
        kept = v[t]["top5"][0]["id"] == v["f32"]["top5"][0]["id"]
        check(line.startswith(t.upper() + ":") and ("is still" in line) == kept and
              f"{v[t]['max_attention_change']:.4f}" in line,
              f"{t}: the line matches the runs (top token {'kept' if kept else 'changed'}): {line}")


def main():
    args = parse_args()
    cfg = model_config(args.cli, args.model)
    print(f"model shape from attnlab-cli info: {cfg}")
    check_diagram(args, cfg)
    check_architect(args, cfg)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
