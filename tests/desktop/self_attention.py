#!/usr/bin/python3
"""11.2 in the real desktop app (Xvfb): the hover figure's numbers through --dump-state.

  toy mode, "sat" selected      -> its two largest weights are on "cat" and "mat"
  model mode, "it" selected     -> weights on allowed positions sum to 1 (±1e-5), future ones 0,
                                   and they equal `attnlab-cli attention` for that layer/head
Screenshots (zh toy, en model at the softmax step) stay in --out for people to look at.
"""
import argparse
import json
import os
import subprocess
import sys

FAILURES = []
SENTENCE = "The robot delivered the mail after it was fixed."


def check(ok, what):
    print(("  ok   " if ok else "  FAIL ") + what)
    if not ok:
        FAILURES.append(what)


def run_app(app, out, name, *flags):
    png, state = os.path.join(out, name + ".png"), os.path.join(out, name + ".json")
    cmd = ["xvfb-run", "-a", "-s", "-screen 0 1600x1000x24", app, "--section", "self-attention",
           "--screenshot", png, "--dump-state", state, "--frames", "12", *flags]
    print("$ " + " ".join(cmd))
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    print(proc.stdout + proc.stderr, end="")
    check(proc.returncode == 0, f"app exits 0 (got {proc.returncode})")
    with open(state, encoding="utf-8") as f:
        return json.load(f)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--app", required=True)
    ap.add_argument("--cli", required=True)
    ap.add_argument("--model", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)

    toy = run_app(args.app, args.out, "self-attention-toy-zh", "--lang", "zh", "--model", args.model,
                  "--option", "sa.mode=toy", "--option", "sa.token=2")["panels"]["self_attention"]
    check(toy["mode"] == "toy" and toy["tokens"][2] == "sat", f"toy mode shows 'sat' ({toy['tokens']})")
    order = sorted(range(len(toy["weights"])), key=lambda j: -toy["weights"][j])
    check({toy["tokens"][order[0]], toy["tokens"][order[1]]} == {"cat", "mat"},
          f"'sat' attends most to cat and mat (weights {toy['weights']})")

    layer, head = 1, 0
    state = run_app(args.app, args.out, "self-attention-model-en", "--lang", "en", "--model", args.model,
                    "--text", SENTENCE, "--option", "sa.mode=model", "--option", f"sa.layer={layer}",
                    "--option", f"sa.head={head}", "--option", "sa.token=6", "--option", "sa.stage=4")
    sa = state["panels"]["self_attention"]
    i = sa["selected"]
    check(sa["mode"] == "model" and sa["causal"], "model mode, causal")
    check(sa["tokens"][i] == "it", f"'it' is selected (got {sa['tokens'][i]!r})")
    w = sa["weights"]
    check(abs(sum(w[:i + 1]) - 1.0) <= 1e-5, f"weights on allowed positions sum to 1 ({sum(w[:i + 1]):.7f})")
    check(all(x == 0 for x in w[i + 1:]), f"future positions get 0 ({w[i + 1:]})")

    # The same row from the command-line tool (engine, no UI): the panel shows the trace as is.
    proc = subprocess.run([args.cli, "attention", args.model, "--text", SENTENCE, "--layer", str(layer),
                           "--head", str(head)], capture_output=True, text=True, timeout=120)
    check(proc.returncode == 0, "attnlab-cli attention runs")
    if proc.returncode == 0:
        cli = json.loads(proc.stdout)
        row = cli["attention"][0]["weights"][i]
        check(len(row) == len(w) and all(abs(a - b) < 1e-5 for a, b in zip(row, w)),
              "the panel's weights equal attnlab-cli attention for the same layer and head")
    print(f"{len(FAILURES)} failed")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
