#!/usr/bin/python3
"""The demo model's quality bar, measured on the shipped GGUF through our own engine (attnlab-cli).

    /usr/bin/python3 tools/train/evaluate.py [--model assets/attnlab-demo-gpt2-q8_0.gguf]
                                             [--baseline build/train/untrained-q8_0.gguf]

Prints (and writes to --json):
  1. held-out perplexity (documents training never saw) vs a unigram baseline's (token
     frequencies of the training split, add-one smoothed over the 50257-token vocabulary);
  2. the probability the model gives to tokens that never occur in the training corpus;
  3. greedy continuations of the chapter's sentences;
  4. attention heads with a previous-token pattern (mean weight on position i−1 of natural
     held-out text ≥ kPrevTokenThreshold) and an induction pattern (a random token sequence
     repeated: mean weight from the 2nd copy's token i to the token after its 1st occurrence
     ≥ kInductionThreshold), for the model and for --baseline (the same architecture untrained:
     it should show neither). The thresholds are read from engine/session/head_patterns.h, the
     one place the app's narration also takes them from.
"""
import argparse
import json
import math
import os
import subprocess
import sys

import re

import numpy as np

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROMPTS = ["The cat sat on the", "The robot delivered the mail after it was", "She opened the door and",
           "In the morning, the children"]


def read_thresholds(path=os.path.join(REPO, "engine", "session", "head_patterns.h")):
    """{name: value} of the `constexpr float kName = value;` lines between [thresholds] markers."""
    text = open(path, encoding="utf-8").read()
    block = text.split("[thresholds]", 1)[1].split("[/thresholds]", 1)[0]
    found = dict((m.group(1), float(m.group(2)))
                 for m in re.finditer(r"constexpr\s+float\s+(k\w+)\s*=\s*([0-9.]+)f?\s*;", block))
    for name in ("kPrevTokenThreshold", "kFirstTokenThreshold", "kInductionThreshold", "kUniformThreshold"):
        if name not in found:
            sys.exit("evaluate: %s not found in %s" % (name, path))
    return found


THRESHOLDS = read_thresholds()
PREV_THRESHOLD, INDUCTION_THRESHOLD = THRESHOLDS["kPrevTokenThreshold"], THRESHOLDS["kInductionThreshold"]


def cli(args, *argv):
    r = subprocess.run([args.cli, *argv], capture_output=True, encoding="utf-8", errors="replace")
    if r.returncode != 0:
        sys.exit("evaluate: attnlab-cli %s failed: %s" % (argv[0], r.stderr.strip()))
    return r.stdout


def attention(args, model, ids):
    out = json.loads(cli(args, "attention", model, "--ids", " ".join(map(str, ids))))
    return {(a["layer"], a["head"]): np.array(a["weights"]) for a in out["attention"]}


def head_scores(args, model, natural, rng):
    """{(layer, head): (previous-token score, induction score)}."""
    prev = {}
    windows = [natural[s:s + 96] for s in (0, 5000, 20000)]
    for ids in windows:
        for key, a in attention(args, model, [int(x) for x in ids]).items():
            prev.setdefault(key, []).append(np.mean([a[i, i - 1] for i in range(1, len(ids))]))
    induction = {}
    seen = np.unique(natural)
    L = 40
    for trial in range(3):
        seq = [int(x) for x in rng.choice(seen, L, replace=False)]
        ids = [50256] + seq + seq
        for key, a in attention(args, model, ids).items():
            # token at position 1+L+k repeats position 1+k; the induction target is 1+k+1
            induction.setdefault(key, []).append(np.mean([a[1 + L + k, 2 + k] for k in range(L - 1)]))
    return {k: (float(np.mean(prev[k])), float(np.mean(induction[k]))) for k in prev}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default=os.path.join(REPO, "assets", "attnlab-demo-gpt2-q8_0.gguf"))
    ap.add_argument("--baseline", help="an untrained GGUF of the same shape (train_gpt2.py --max-steps 0)")
    ap.add_argument("--corpus", default=os.path.join(REPO, "build", "corpus"))
    ap.add_argument("--cli", default=os.path.join(REPO, "build", "native", "attnlab-cli"))
    ap.add_argument("--max-tokens", type=int, default=0, help="held-out tokens to score (0: all of them)")
    ap.add_argument("--json", default=os.path.join(REPO, "build", "train", "eval.json"))
    args = ap.parse_args()
    rng = np.random.default_rng(7)
    train = np.fromfile(os.path.join(args.corpus, "train.u16"), dtype="<u2")
    held = np.fromfile(os.path.join(args.corpus, "heldout.u16"), dtype="<u2")
    report = {"model": args.model, "model_bytes": os.path.getsize(args.model)}

    # 1. perplexity vs unigram
    ppl = json.loads(cli(args, "perplexity", args.model, "--tokens", os.path.join(args.corpus, "heldout.u16"),
                         "--max-tokens", str(args.max_tokens)))
    counts = np.bincount(train, minlength=50257).astype(np.float64) + 1.0
    logp = np.log(counts / counts.sum())
    scored = held[1:ppl["tokens"] + 1]
    unigram = float(math.exp(-logp[scored].mean()))
    report.update(heldout_tokens=ppl["tokens"], heldout_perplexity=ppl["perplexity"], unigram_perplexity=unigram)
    print("held-out perplexity  %.1f  (%d tokens; unigram baseline %.1f; ratio %.2f)" % (
        ppl["perplexity"], ppl["tokens"], unigram, unigram / ppl["perplexity"]))

    # 2. probability mass on tokens the corpus never contains
    unseen = counts == 1.0
    masses, largest = [], 0.0
    for prompt in PROMPTS:  # `run` prints every probability to 1e-8 (six decimals of a percent)
        lines = cli(args, "run", args.model, "--text", prompt, "--top", "50257").splitlines()
        top = [(float(l.split("%")[0]) / 100, int(l.split()[1])) for l in lines if l.strip().endswith("'") and "%" in l]
        masses.append(sum(p for p, i in top if unseen[i]))
        largest = max([largest] + [p for p, i in top if unseen[i]])
    report["unseen_vocab"] = int(unseen.sum())
    report["unseen_mass"] = max(masses)
    report["unseen_largest"] = largest
    print("tokens never in the corpus: %d of 50257; their share of the next-token probability: at most "
          "%.5f%% (the largest single one %.6f%%)" % (unseen.sum(), 100 * max(masses), 100 * largest))

    # 3. greedy continuations
    report["continuations"] = {}
    for prompt in PROMPTS:
        text = cli(args, "generate", args.model, "--text", prompt, "--tokens", "20", "--temperature", "0")
        report["continuations"][prompt] = text.strip()
        print("greedy: %s" % text.strip().replace("\n", " ⏎ "))

    # 4. heads
    for name, path in (("model", args.model), ("baseline", args.baseline)):
        if not path:
            continue
        scores = head_scores(args, path, held, np.random.default_rng(11))
        n_prev = sum(1 for p, _ in scores.values() if p >= PREV_THRESHOLD)  # ≥, as the app counts them
        n_ind = sum(1 for _, i in scores.values() if i >= INDUCTION_THRESHOLD)
        best_prev = max(scores.items(), key=lambda kv: kv[1][0])
        best_ind = max(scores.items(), key=lambda kv: kv[1][1])
        report[name + "_heads"] = {"total": len(scores), "previous_token": n_prev, "induction": n_ind,
                                   "best_previous_token": [*best_prev[0], round(best_prev[1][0], 3)],
                                   "best_induction": [*best_ind[0], round(best_ind[1][1], 3)],
                                   "scores": {"%d.%d" % k: [round(p, 3), round(i, 3)] for k, (p, i) in sorted(scores.items())}}
        print("%-8s heads: %d in all; previous-token %d (best L%d H%d %.2f); induction %d (best L%d H%d %.2f)" % (
            name, len(scores), n_prev, best_prev[0][0], best_prev[0][1], best_prev[1][0], n_ind,
            best_ind[0][0], best_ind[0][1], best_ind[1][1]))
    os.makedirs(os.path.dirname(args.json), exist_ok=True)
    json.dump(report, open(args.json, "w"), indent=1, ensure_ascii=False)
    print("wrote", args.json)


if __name__ == "__main__":
    main()
