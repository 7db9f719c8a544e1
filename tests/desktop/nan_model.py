#!/usr/bin/python3
"""A model that computes NaN: the tiny test model with its LayerNorm epsilon patched to NaN.

  attnlab-cli run / attention / generate  -> exit non-zero and say NaN (not "nan%" and exit 0)
  the desktop app, 11.2 in model mode      -> --dump-state writes valid JSON; the figure shows
                                              the translated NaN note (zh and en), no weights
  the exercises                           -> no experiment, the NaN note instead
"""
import json
import math
import os
import struct
import subprocess
import sys

from harness import check, finish, parse_args, run_app

KEY = b"gpt2.attention.layer_norm_epsilon"


def nan_model(src, dst):
    data = bytearray(open(src, "rb").read())
    at = data.find(KEY)
    if at < 0:
        raise SystemExit(f"{src}: no {KEY.decode()}")
    value = at + len(KEY) + 4  # then the type (u32, 6 = float32), then the value
    assert struct.unpack_from("<I", data, at + len(KEY))[0] == 6
    struct.pack_into("<f", data, value, math.nan)
    open(dst, "wb").write(data)


def main():
    args = parse_args(model_help="a GPT-2 GGUF with float32 weights (the tiny test model)")
    bad = os.path.join(args.out, "nan-epsilon.gguf")
    nan_model(args.model, bad)

    for cmd in (["run", bad, "--text", "The cat sat"], ["attention", bad, "--text", "The cat sat", "--layer", "0"],
                ["generate", bad, "--text", "The cat", "--tokens", "3"]):
        p = subprocess.run([args.cli, *cmd], capture_output=True, text=True, timeout=60)
        check(p.returncode != 0 and "NaN" in p.stderr and "nan%" not in p.stdout,
              f"attnlab-cli {cmd[0]} exits {p.returncode} and says why ({p.stderr.strip()[:90]})")

    for lang, word in (("zh", "NaN"), ("en", "at layer 1")):
        state = run_app(args.app, args.out, f"nan-model-{lang}", "self-attention", "--lang", lang, "--option",
                        "sa.mode=model", "--text", "The cat sat on the mat.", model=bad, screen="1600x1000x24")
        sa = state["panels"].get("self_attention", {})
        check("nan-note" in state["hotspots"], f"{lang}: 11.2 shows the NaN note in place of its figure")
        check(word in state["text_error"] or lang == "zh", f"{lang}: the state says where ({state['text_error'][:80]})")
        check(not sa.get("weights"), f"{lang}: no attention weights pretend to be there ({str(sa.get('weights'))[:60]})")
    ex = run_app(args.app, args.out, "nan-model-exercises", "exercises", "--lang", "en", model=bad, screen="1600x1000x24")
    panel = ex["panels"].get("exercises", {})
    check("nan-note" in ex["hotspots"] and panel.get("heads") is None,
          "the exercises run no experiment on it and say why (no all-zero rows, no null probabilities)")
    return finish()


if __name__ == "__main__":
    sys.exit(main())
