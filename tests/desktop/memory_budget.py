#!/usr/bin/python3
"""The memory budget natively (issue 15): long texts and big models get a message, not an abort.

  GPT-2 small's shape (random, Q8_0), 1024 tokens, `attnlab-cli attention` with every head
        -> exit 0, all of its ~1 GB of JSON streamed out, peak RSS at most 1 GB
  a 31 MB model declaring a 65536-token context, a 100 000-character text, `ulimit -v` 6 GB
        -> the CLI exits 1 and names the memory budget (it died with std::bad_alloc, exit 134)
        -> the desktop app traces as many tokens as fit and says so in the state, exit 0
  --memory-budget below the model's size
        -> the desktop app refuses the model, says why, and keeps going with the bundled one

    memory_budget.py --app attnlab --cli attnlab-cli --small gpt2-small-q8_0.gguf --out DIR

--small comes from tools/make-gpt2-small-model.sh; the big-context model is made here from a seed.
"""
import argparse
import json
import os
import resource
import subprocess
import sys

from harness import check, finish, launch, run_app

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
LIMIT_KB = 6_000_000  # ulimit -v: 6 GB of address space, as in the report


def with_address_limit():
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT_KB * 1024, LIMIT_KB * 1024))


def make_big_context(cli, out):
    """The issue's model: GPT-2's vocabulary, 64 wide, 2 layers, a 65 536-row position table (31 MB)."""
    folder = os.path.join(out, "big-context")
    gguf = os.path.join(folder, "big-context-f32.gguf")
    if not os.path.exists(gguf):
        subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "tools", "make-tiny-gpt2.py"), "--n-ctx", "65536",
                        "--formats", "hf", "--seed", "3", "--out", folder], check=True, capture_output=True)
        subprocess.run([cli, "convert", folder, gguf, "--type", "f32"], check=True, capture_output=True)
    return gguf


def cli_attention_streams(cli, model):
    """1024 tokens through GPT-2 small: every head's map to a pipe, counted, never held."""
    ids = " ".join(str((i * 7919) % 50000) for i in range(1024))
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    proc = subprocess.Popen([cli, "attention", model, "--ids", ids], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    size, head, tail = 0, b"", b""
    while True:
        chunk = proc.stdout.read(1 << 20)
        if not chunk:
            break
        if not head:
            head = chunk[:200]
        size += len(chunk)
        tail = (tail + chunk)[-64:]
    err = proc.stderr.read().decode(errors="replace")
    rc = proc.wait()
    rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    check(rc == 0, f"attnlab-cli attention, 1024 tokens, all heads: exit 0 (got {rc}; {err.strip()[:120]})")
    check(head.startswith(b'{"tokens":[') and tail.endswith(b"]}]}\n"), "the JSON starts and ends as a whole trace")
    check(size > 144 * 1024 * 1024 * 2, f"all 144 heads' 1024 x 1024 weights were written ({size / 1e6:.0f} MB)")
    check(before == 0 or rss_mb > 0, "peak memory measured")
    check(rss_mb <= 1000, f"peak RSS {rss_mb:.0f} MB <= 1000 MB (the trace is held once, the JSON streamed)")


def main():
    ap = argparse.ArgumentParser()
    for key in ("--app", "--cli", "--small", "--out"):
        ap.add_argument(key, required=True)
    args = ap.parse_args()
    for key in ("app", "cli", "small", "out"):
        setattr(args, key, os.path.abspath(getattr(args, key)))
    os.makedirs(args.out, exist_ok=True)
    args.big_context = make_big_context(args.cli, args.out)

    cli_attention_streams(args.cli, args.small)

    text = "the cat sat on the mat. " * 4200  # 100 800 characters, 29 401 tokens
    proc = subprocess.run([args.cli, "attention", args.big_context, "--text", text], capture_output=True, text=True,
                          timeout=300, preexec_fn=with_address_limit)
    check(proc.returncode == 1 and "memory budget" in proc.stderr,
          f"ulimit -v 6 GB: the CLI refuses the 29 401-token trace with a message, exit 1 "
          f"(got {proc.returncode}: {proc.stderr.strip()[:140]})")

    # The desktop app under the same limit: the same text, as many tokens as fit.
    for lang in ("en", "zh"):
        state = run_app(args.app, args.out, f"memory-budget-{lang}", "visualize", "--lang", lang, "--text", text,
                        "--memory-budget", "512", model=args.big_context, size="1280x900", screen="1280x900x24",
                        frames=6, timeout=300)
        mem = state.get("memory", {})
        check(mem.get("by_memory") is True and 0 < mem.get("kept", 0) < mem.get("typed", 0) == 29401,
              f"{lang}: the text is cut to what the budget holds ({mem.get('kept')} of {mem.get('typed')} tokens)")
        check(len(state["tokens"]) == mem.get("kept"), f"{lang}: the figures get exactly those tokens")
        check(mem.get("planned", 1 << 62) <= mem.get("budget", 0) == 512 << 20,
              f"{lang}: the planned bytes ({mem.get('planned')}) fit the 512 MiB budget")
        check("text-cut-note" in state["hotspots"] and "memory budget" in state["text_error"],
              f"{lang}: the figure says why, where the student looks ({state['text_error'][:70]}…)")
        check(state["text"] == text, f"{lang}: the typed text itself is kept whole")

    # Under the address-space limit with the default budget (half of it): no abort.
    proc = subprocess.run(["xvfb-run", "-a", "-s", "-screen 0 1280x900x24", args.app, "--section", "visualize",
                           "--model", args.big_context, "--text", text, "--size", "1280x900", "--frames", "4",
                           "--dump-state", os.path.join(args.out, "memory-ulimit.json")],
                          capture_output=True, text=True, timeout=600, preexec_fn=with_address_limit)
    check(proc.returncode == 0, f"ulimit -v 6 GB: the desktop app runs and exits 0 (got {proc.returncode})")
    if proc.returncode == 0:
        with open(os.path.join(args.out, "memory-ulimit.json"), encoding="utf-8") as f:
            mem = json.load(f)["memory"]
        check(mem["budget"] <= LIMIT_KB * 1024 // 2, f"the default budget is half the limit ({mem['budget'] >> 20} MiB)")
        check(mem["by_memory"] and mem["kept"] > 1000, f"it traced {mem['kept']} tokens and said why it stopped")

    # A budget smaller than the model: refused with the reason; the bundled model (19 MB) is used.
    png, dump = os.path.join(args.out, "memory-refused.png"), os.path.join(args.out, "memory-refused.json")
    proc = launch(args.app, "--section", "visualize", "--memory-budget", "64", "--model", args.small, "--size",
                  "1280x900", "--screenshot", png, "--dump-state", dump, "--frames", "4", screen="1280x900x24")
    check(proc.returncode == 0 and "memory budget of 64.0 MiB" in proc.stdout,
          f"--memory-budget 64: GPT-2 small is refused and the app says why (exit {proc.returncode})")
    with open(dump, encoding="utf-8") as f:
        state = json.load(f)
    info = subprocess.run([args.cli, "info", args.small], capture_output=True, text=True).stdout
    small_name = info.split("\n")[0].split(None, 1)[-1].strip()
    name = (state.get("model") or {}).get("name", "")
    check(small_name and name != small_name, f"the refused model ({small_name}) is not loaded (the model: {name or 'none'})")
    return finish()


if __name__ == "__main__":
    sys.exit(main())
