#!/usr/bin/python3
"""11.3's narration says only what the loaded model shows: the desktop app (Xvfb) on two
different GPT-2s — the tiny test model and the bundled demo model — through --dump-state.

  facts     arch_heads.narration (the best previous-token, first-token and induction heads,
            how many pass each threshold, how many heads are near uniform) equal the same
            facts computed here from `attnlab-cli attention` with the head statistics'
            definitions (engine/session/head_stats.h) and the thresholds read from
            engine/session/head_patterns.h — the one place they live
  text      every sentence names the head and the percentage of those facts (L1 H1 counted
            from 1 on screen; the JSON keeps 0-based indices); the two models get different
            narrations, in English and Chinese
  twin      the untrained twin (GPT-2's initialisation) is near uniform with no previous-token
            head, and its published facts follow from its published statistics
  bytes     a Chinese sentence: the byte-piece note's counts equal the tokens attnlab-cli gives
  11.4      the evidence table has the untrained twin's counterpart, and the sink sentence
            names the best first-token head measured on the sentence

Screenshots (both models, zh and en) stay in --out for people to look at.
"""
import argparse
import json
import math
import os
import re
import subprocess
import sys

import numpy as np

import harness
from harness import check, finish

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
SENTENCE = "The cat sat on the mat. The cat sat on the"  # a repeat: induction can be measured
CHINESE = "注意力机制很有趣。"


def thresholds():
    text = open(os.path.join(REPO, "engine", "session", "head_patterns.h"), encoding="utf-8").read()
    block = text.split("[thresholds]", 1)[1].split("[/thresholds]", 1)[0]
    return {m.group(1): float(m.group(2)) for m in re.finditer(r"constexpr\s+float\s+(k\w+)\s*=\s*([0-9.]+)f?\s*;", block)}


def cli_json(args, model, *argv):
    proc = subprocess.run([args.cli, *argv[:1], model, *argv[1:]], capture_output=True, text=True, timeout=180)
    check(proc.returncode == 0, f"attnlab-cli {argv[0]} runs")
    return json.loads(proc.stdout)


def head_facts(w, ids):
    """entropy, previous-token, first-token, induction (None: not measurable), uniform entropy."""
    w = np.asarray(w, dtype=np.float64)
    n = w.shape[0]
    with np.errstate(divide="ignore", invalid="ignore"):
        plogp = np.where(w > 0, w * np.log(np.where(w > 0, w, 1.0)), 0.0)
    entropy = float(np.mean(-plogp.sum(axis=1)))
    prev = float(np.mean([w[i, i - 1] for i in range(1, n)])) if n > 1 else 0.0
    first = float(np.mean([w[i, 0] for i in range(1, n)])) if n > 1 else 0.0
    ind = []
    for p in range(n):
        earlier = [j for j in range(p) if ids[j] == ids[p]]
        if earlier and earlier[-1] + 1 < p:
            ind.append(w[p, earlier[-1] + 1])
    uniform = float(np.mean([math.log(i + 1) for i in range(n)]))
    return entropy, prev, first, (float(np.mean(ind)) if ind else None), uniform


def expected_narration(att, ids, th):
    heads = []
    for a in att["attention"]:
        e, p, f, ind, u = head_facts(a["weights"], ids)
        heads.append({"layer": a["layer"], "head": a["head"], "prev": p, "first": f, "induction": ind,
                      "uniformity": min(max(e / u, 0.0), 1.0) if u > 0 else 0.0})
    heads.sort(key=lambda h: (h["layer"], h["head"]))

    def fact(key, threshold):
        measured = [h for h in heads if h[key] is not None]
        best = max(measured, key=lambda h: h[key]) if measured else None  # max keeps the first of ties
        return {"count": sum(1 for h in measured if h[key] >= threshold), "best": best, "key": key,
                "near": [h for h in measured if abs(h[key] - threshold) < 1e-4]}
    return heads, {"prev": fact("prev", th["kPrevTokenThreshold"]), "first": fact("first", th["kFirstTokenThreshold"]),
                   "induction": fact("induction", th["kInductionThreshold"]),
                   "uniform": fact("uniformity", th["kUniformThreshold"])}


def percent_ok(line, value):
    nums = [float(x) for x in re.findall(r"(\d+)%", line)]
    return any(abs(x - 100 * value) <= 0.5 + 1e-3 for x in nums)


def check_model(args, label, model, th):
    att = cli_json(args, model, "attention", "--text", SENTENCE)
    ids = att["ids"]
    heads, want = expected_narration(att, ids, th)
    n_heads = len(heads)
    states = {}
    for lang in ("en", "zh"):
        states[lang] = harness.run_app(args.app, args.out, f"narration-{label}-{lang}", "architecture", "--lang", lang,
                                       "--option", "arch.tab=heads", "--text", SENTENCE, model=model, size="1280x2400",
                                       screen="1400x2600x24", timeout=240)
    h = states["en"]["panels"]["arch_heads"]
    n = h["narration"]
    check(n["n_layer"] * n["n_head"] == n_heads and n["tokens"] == len(att["tokens"]), f"{label}: shape and tokens")
    check(n["thresholds"] == {"prev_token": th["kPrevTokenThreshold"], "first_token": th["kFirstTokenThreshold"],
                              "induction": th["kInductionThreshold"], "uniform": th["kUniformThreshold"]},
          f"{label}: the published thresholds are head_patterns.h's ({n['thresholds']})")
    for key, fact in want.items():
        got = n[key]
        best = fact["best"]
        if best is None:
            check(got["layer"] == -1 and got["count"] == 0, f"{label}: {key} not measurable ({got})")
            continue
        check(abs(got["value"] - best[fact["key"]]) <= 1e-4, f"{label}: best {key} score {got['value']} = {best[fact['key']]:.6f}")
        rivals = [x for x in heads if x[fact["key"]] is not None and abs(x[fact["key"]] - best[fact["key"]]) < 1e-4]
        check((got["layer"], got["head"]) in [(x["layer"], x["head"]) for x in rivals],
              f"{label}: best {key} head L{got['layer']} H{got['head']} (0-based) is the top one")
        if not fact["near"]:
            check(got["count"] == fact["count"], f"{label}: {fact['count']} heads pass the {key} threshold ({got['count']})")
    check(n["induction_measurable"], f"{label}: the repeated sentence makes induction measurable")
    # The text: each line names the head (1-based) and its percentage.
    text = n["text"]
    check(len(text) >= 4, f"{label}: four sentences or more ({len(text)})")
    for i, key in enumerate(("prev", "first", "induction")):
        f = n[key]
        name = f"L{f['layer'] + 1} H{f['head'] + 1}"
        check(name in text[i] and percent_ok(text[i], f["value"]), f"{label}: sentence {i + 1} says {name}, {100 * f['value']:.1f}% ({text[i]!r})")
    check(f"{n['uniform']['count']} of {n_heads} heads" in text[3] and percent_ok(text[3], n["mean_uniformity"]),
          f"{label}: the near-uniform count and mean ({text[3]!r})")
    zh = states["zh"]["panels"]["arch_heads"]["narration"]
    check(zh["prev"] == n["prev"] and zh["text"] != text and all(re.search(r"[\u4e00-\u9fff]", t) for t in zh["text"]),
          f"{label}: the same facts in Chinese ({zh['text'][0]!r})")
    check(all(f"{n[k]['layer'] + 1} H{n[k]['head'] + 1}" in zh["text"][i] for i, k in enumerate(("prev", "first", "induction"))),
          f"{label}: the Chinese sentences name the same heads")
    # The untrained twin: same shape, near uniform, no previous-token head; facts from its stats.
    t = h["twin"]
    check(not t["too_big"] and "stats" in t and len(t["stats"]) == n_heads, f"{label}: the untrained twin is there ({n_heads} heads)")
    if "stats" in t:
        tn = t["narration"]
        check(abs(tn["prev"]["value"] - max(s["prev_token"] for s in t["stats"])) <= 1e-6, f"{label}: twin's best previous-token score")
        check(abs(tn["first"]["value"] - max(s["first_token"] for s in t["stats"])) <= 1e-6, f"{label}: twin's best first-token score")
        check(tn["prev"]["count"] == 0 and tn["mean_uniformity"] > 0.95,
              f"{label}: the untrained twin has no previous-token head and is near uniform ({tn['mean_uniformity']:.3f})")
    for spot in ("arch_heads_narration", "arch_heads_trained_grid", "arch_heads_twin_grid"):
        check(spot in states["en"]["hotspots"], f"{label}: hotspot {spot}")
    return n


def check_bytes(args, model):
    s = harness.run_app(args.app, args.out, "narration-chinese-zh", "architecture", "--lang", "zh", "--option", "arch.tab=heads",
                        "--text", CHINESE, model=model, size="1280x1000")
    b = s["panels"]["arch_heads"]["byte_split"]
    att = cli_json(args, model, "attention", "--text", CHINESE)
    n_tokens = len(att["tokens"])
    check(b["chars"] == len(CHINESE) and b["bytes"] == len(CHINESE.encode("utf-8")),
          f"the note counts {len(CHINESE)} characters, {len(CHINESE.encode('utf-8'))} bytes ({b})")
    check(b["tokens"] == n_tokens and 0 < b["byte_pieces"] <= n_tokens, f"… spelled by the {n_tokens} tokens attnlab-cli gives ({b})")
    check("byte_note" in s["hotspots"], "the byte-piece note is shown")
    s = harness.run_app(args.app, args.out, "narration-english", "architecture", "--lang", "en", "--option", "arch.tab=heads",
                        "--text", SENTENCE, model=model, size="1280x1000", frames=4)
    check("byte_note" not in s["hotspots"] and s["panels"]["arch_heads"]["byte_split"]["byte_pieces"] == 0,
          "no note for an English sentence")


def check_visualize(args, model):
    s = harness.run_app(args.app, args.out, "narration-visualize-en", "visualize", "--lang", "en", model=model,
                        size="1280x1600", screen="1400x1800x24")
    v = s["panels"]["visualize"]
    att = cli_json(args, model, "attention", "--text", " ".join(v["tokens"]).replace(" .", "."))
    n_layer = 1 + max(a["layer"] for a in att["attention"])
    n_head = 1 + max(a["head"] for a in att["attention"])
    t = v.get("twin_table", [])
    check(len(t) == n_layer and all(len(r) == n_head for r in t), f"11.4: the twin's evidence table is {n_layer} x {n_head}")
    check("vis_twin_summary" in s["hotspots"], "11.4: the twin's summary line is shown")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--app", required=True)
    ap.add_argument("--cli", required=True)
    ap.add_argument("--model", required=True, help="the tiny test model")
    ap.add_argument("--demo", required=True, help="the bundled demo model")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    for key in ("app", "cli", "model", "demo", "out"):
        setattr(args, key, os.path.abspath(getattr(args, key)))
    os.makedirs(args.out, exist_ok=True)
    th = thresholds()
    check(set(th) >= {"kPrevTokenThreshold", "kFirstTokenThreshold", "kInductionThreshold", "kUniformThreshold"},
          f"the thresholds are read from head_patterns.h ({th})")
    # tools/train/evaluate.py (the demo model's quality bar) counts heads with the same numbers.
    sys.path.insert(0, os.path.join(REPO, "tools", "train"))
    import evaluate  # noqa: E402
    check(evaluate.THRESHOLDS == th and evaluate.PREV_THRESHOLD == th["kPrevTokenThreshold"]
          and evaluate.INDUCTION_THRESHOLD == th["kInductionThreshold"], f"evaluate.py uses them too ({evaluate.THRESHOLDS})")
    tiny = check_model(args, "tiny", args.model, th)
    demo = check_model(args, "demo", args.demo, th)
    check(tiny["text"] != demo["text"] and (tiny["prev"], tiny["first"], tiny["uniform"]) != (demo["prev"], demo["first"], demo["uniform"]),
          "the two models get different narrations")
    check_bytes(args, args.model)
    check_visualize(args, args.model)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
