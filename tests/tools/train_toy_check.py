#!/usr/bin/python3
"""The training lab's promises, checked end to end through `attnlab-cli train-toy --json`.

    tests/tools/train_toy_check.py --cli build/native/attnlab-cli [--only induction|order|two-lookups]

  induction    the default configuration forms a previous-token head and an induction head
               (score >= 0.5 on the probe) and its held-out accuracy passes 0.9
  order        with learned positions >= 0.95 accuracy; without positions and bidirectional at
               chance (0.5 +- 0.08): a bag of symbols cannot tell which marker came first
  two-lookups  the default (4 heads) learns it (>= 0.9); 1 head at the same d_model stays well below

Too slow for the unit suite (tens of seconds); ctest runs it with a generous timeout.
"""
import argparse
import json
import subprocess
import sys


def train(cli, *args):
    out = subprocess.run([cli, "train-toy", "--json", *args], check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True)
    ap.add_argument("--only", default="")
    args = ap.parse_args()
    failures = []

    def check(ok, what):
        print(("ok   " if ok else "FAIL ") + what)
        if not ok:
            failures.append(what)

    if args.only in ("", "induction"):
        r = train(args.cli, "--task", "induction", "--steps", "1500", "--every", "50")
        kinds = {e["kind"] for e in r["events"]}
        first = {e["kind"]: e["step"] for e in reversed(r["events"])}
        check("prev_token_head" in kinds, "induction: a previous-token head forms (%s)" % first.get("prev_token_head"))
        check("induction_head" in kinds, "induction: an induction head forms (%s)" % first.get("induction_head"))
        heads = r["history"][-1]["heads"]
        best = max(heads, key=lambda h: h["induction"])
        check(best["layer"] >= 1, "induction: the best induction head is in layer %d (needs a layer before it)" % best["layer"])
        check(r["eval_accuracy"] >= 0.9, "induction: held-out accuracy %.3f >= 0.9" % r["eval_accuracy"])
    if args.only in ("", "order"):
        r = train(args.cli, "--task", "order", "--steps", "1500")
        check(r["eval_accuracy"] >= 0.95, "order, learned positions: accuracy %.3f >= 0.95" % r["eval_accuracy"])
        r = train(args.cli, "--task", "order", "--steps", "1500", "--pe", "none", "--bidirectional")
        check(abs(r["eval_accuracy"] - 0.5) <= 0.08, "order, no positions, bidirectional: accuracy %.3f at chance" % r["eval_accuracy"])
    if args.only in ("", "two-lookups"):
        r = train(args.cli, "--task", "two-lookups", "--steps", "1800")
        check(r["eval_accuracy"] >= 0.9, "two-lookups, %d heads: accuracy %.3f >= 0.9" % (r["heads"], r["eval_accuracy"]))
        one = train(args.cli, "--task", "two-lookups", "--steps", "1800", "--heads", "1")
        check(one["eval_accuracy"] < r["eval_accuracy"] - 0.2,
              "two-lookups, 1 head: accuracy %.3f well below %d heads' %.3f" % (one["eval_accuracy"], r["heads"], r["eval_accuracy"]))
    print("train_toy_check: %d failed" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
