#!/usr/bin/python3
"""11.2 in the real desktop app (Xvfb): the hover figure's numbers through --dump-state.

  toy mode, "sat" selected      -> its two largest weights are on "cat" and "mat"
  model mode, "it" selected     -> weights on allowed positions sum to 1 (±1e-5), future ones 0,
                                   and they equal `attnlab-cli attention` for that layer/head
Screenshots (zh toy, en model at the softmax step) stay in --out for people to look at.
"""
import json
import subprocess
import sys

from harness import check, finish, parse_args, run_app

SENTENCE = "The robot delivered the mail after it was fixed."


def run(args, name, *flags):
    return run_app(args.app, args.out, name, "self-attention", *flags, model=args.model, screen="1600x1000x24",
                   timeout=120)


def main():
    args = parse_args()

    toy = run(args, "self-attention-toy-zh", "--lang", "zh", "--option", "sa.mode=toy",
              "--option", "sa.token=2")["panels"]["self_attention"]
    check(toy["mode"] == "toy" and toy["tokens"][2] == "sat", f"toy mode shows 'sat' ({toy['tokens']})")
    order = sorted(range(len(toy["weights"])), key=lambda j: -toy["weights"][j])
    check({toy["tokens"][order[0]], toy["tokens"][order[1]]} == {"cat", "mat"},
          f"'sat' attends most to cat and mat (weights {toy['weights']})")

    layer, head = 1, 0
    state = run(args, "self-attention-model-en", "--lang", "en", "--text", SENTENCE, "--option", "sa.mode=model",
                "--option", f"sa.layer={layer}", "--option", f"sa.head={head}", "--option", "sa.token=6",
                "--option", "sa.stage=4")
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
    return finish()


if __name__ == "__main__":
    sys.exit(main())
