"""Which attention heads a GPT-2 has grown: the probes train_gpt2.py logs while it trains and
evaluate.py reports on the shipped GGUF. Both go through this file, so the numbers agree.

The definitions follow the interpretability literature (Olsson et al. 2022, "In-context
learning and induction heads"):
  previous-token score  mean over query positions i ≥ 1 of w(i, i−1), on natural text the
                        training never saw (the held-out split). 1: the head looks only at the
                        token just before.
  first-token ("sink")  mean over i ≥ 1 of w(i, 0) on the same text: the head parks its weight
                        on the first token when it has nothing better to do.
  induction score       on <|endoftext|> s s, where s is a sequence of L random *frequent*
                        tokens (seen ≥ 100 times in training) and the second copy repeats the
                        first: mean over the second copy's tokens (but the last) of the weight
                        from that token to the token right after its earlier occurrence. 1: the
                        head looks up "what came next last time", the mechanism of in-context
                        copying. Frequent tokens, because rare ones have untrained embeddings.
A head "has" a pattern when its score reaches the threshold; the app names patterns with the
same thresholds, read from engine/session/head_patterns.h.

`attend(ids)` is any function returning the attention weights of a token sequence as an array
[layer, head, query, key] (the PyTorch model while training, attnlab-cli for a GGUF).
"""
import os
import re
import sys

import numpy as np

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EOT_ID = 50256


def read_thresholds(path=os.path.join(REPO, "engine", "session", "head_patterns.h")):
    """{name: value} of the `constexpr float kName = value;` lines between the [thresholds]
    markers of the app's head_patterns.h: the app's narration and these probes count a head
    with the same numbers (score ≥ threshold)."""
    text = open(path, encoding="utf-8").read()
    block = text.split("[thresholds]", 1)[1].split("[/thresholds]", 1)[0]
    found = dict((m.group(1), float(m.group(2)))
                 for m in re.finditer(r"constexpr\s+float\s+(k\w+)\s*=\s*([0-9.]+)f?\s*;", block))
    for name in ("kPrevTokenThreshold", "kFirstTokenThreshold", "kInductionThreshold", "kUniformThreshold"):
        if name not in found:
            sys.exit("head_probes: %s not found in %s" % (name, path))
    return found


THRESHOLDS = read_thresholds()
PREV_THRESHOLD = THRESHOLDS["kPrevTokenThreshold"]        # previous-token head
INDUCTION_THRESHOLD = THRESHOLDS["kInductionThreshold"]   # induction head
SINK_THRESHOLD = THRESHOLDS["kFirstTokenThreshold"]       # first-token (attention sink) head
FREQUENT = 100             # induction probes use tokens seen at least this often in training
NATURAL_WINDOW = 96
INDUCTION_LENGTH = 40


class Probes:
    """Fixed probe sequences: the same every time for the same corpus and seed."""

    def __init__(self, train_ids, heldout_ids, n_natural=3, n_induction=3, seed=11, context=256, vocab=EOT_ID + 1):
        """`context`: the model's; a smaller one gets shorter probes (same definitions). A model
        with a smaller `vocab` than GPT-2's (train_gpt2.py's sanity run) reads no natural text:
        its start token is vocab − 1, and its previous-token and first-token scores are taken on
        the induction sequences instead."""
        rng = np.random.default_rng(seed)
        start = EOT_ID if vocab > EOT_ID else vocab - 1
        window = min(NATURAL_WINDOW, context)
        self.length = n = min(INDUCTION_LENGTH, (context - 1) // 2)
        counts = np.bincount(train_ids, minlength=EOT_ID + 1)
        frequent = np.flatnonzero(counts >= FREQUENT)
        frequent = frequent[(frequent != EOT_ID) & (frequent < start)]
        starts = np.linspace(0, len(heldout_ids) - window - 1, n_natural + 2).astype(np.int64)[1:-1]
        self.natural = [[int(t) for t in heldout_ids[s:s + window]] for s in starts] if vocab > EOT_ID else []
        self.induction = []
        for _ in range(n_induction):
            seq = [int(t) for t in rng.choice(frequent, n, replace=False)]
            self.induction.append([start] + seq + seq)

    def scores(self, attend):
        """-> dict with arrays [layer, head]: "previous_token", "first_token", "induction"."""
        prev, first, ind = [], [], []
        for ids in self.natural or self.induction:
            a = np.asarray(attend(ids))                 # [L, H, T, T]
            i = np.arange(1, a.shape[-1])
            prev.append(a[:, :, i, i - 1].mean(axis=-1))
            first.append(a[:, :, i, 0].mean(axis=-1))
        for ids in self.induction:
            a = np.asarray(attend(ids))
            n = self.length
            k = np.arange(n - 1)
            ind.append(a[:, :, 1 + n + k, 2 + k].mean(axis=-1))  # 2nd copy's token k -> 1st copy's k+1
        return {"previous_token": np.mean(prev, axis=0), "first_token": np.mean(first, axis=0),
                "induction": np.mean(ind, axis=0)}


def summary(scores):
    """Counts and best heads, 1-based layer/head labels as the app shows them ("L3 H6")."""
    out = {}
    for key, threshold in (("previous_token", PREV_THRESHOLD), ("induction", INDUCTION_THRESHOLD),
                           ("first_token", SINK_THRESHOLD)):
        s = scores[key]
        layer, head = np.unravel_index(int(np.argmax(s)), s.shape)
        out[key] = {"count": int((s >= threshold).sum()), "threshold": threshold,
                    "best": "L%d H%d" % (layer + 1, head + 1), "best_score": round(float(s.max()), 3)}
    return out


def summary_line(scores):
    s = summary(scores)
    return "; ".join("%s %d (best %s %.2f)" % (k.replace("_", "-"), v["count"], v["best"], v["best_score"])
                     for k, v in s.items())
