"""What the desktop tests share: checks that print "ok" / "FAIL", the app run under Xvfb
(screenshot + --dump-state), the common arguments and the final count.

Each test imports it (Python puts the test's own folder first on sys.path):

    from harness import check, finish, parse_args, run_app
"""
import argparse
import json
import os
import subprocess

FAILURES = []


def check(ok, what):
    print(("  ok   " if ok else "  FAIL ") + what)
    if not ok:
        FAILURES.append(what)


def launch(app, *flags, screen="1600x1200x24", timeout=180, cwd=None):
    """APP FLAGS under xvfb-run on a WxHx24 screen; prints the command, returns the finished process."""
    cmd = ["xvfb-run", "-a", "-s", f"-screen 0 {screen}", app, *flags]
    print("$ " + " ".join(cmd))
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=cwd)


def run_app(app, out, name, section, *flags, model=None, size=None, frames=12, screen="1600x1200x24", cwd=None,
            timeout=180):
    """Opens SECTION, saves OUT/NAME.png and OUT/NAME.json after FRAMES frames, checks the exit
    code and returns the dumped state."""
    png, state = os.path.join(out, name + ".png"), os.path.join(out, name + ".json")
    opts = ["--section", section] + (["--model", model] if model else []) + (["--size", size] if size else [])
    proc = launch(app, *opts, "--screenshot", png, "--dump-state", state, "--frames", str(frames), *flags,
                  screen=screen, timeout=timeout, cwd=cwd)
    print(proc.stdout + proc.stderr, end="")
    check(proc.returncode == 0, f"app exits 0 (got {proc.returncode})")
    with open(state, encoding="utf-8") as f:
        return json.load(f)


def parse_args(with_model=True, model_help=None):
    """--app and --out (and, with_model, --cli and --model), made absolute; the --out folder is created."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--app", required=True)
    if with_model:
        ap.add_argument("--cli", required=True)
        ap.add_argument("--model", required=True, help=model_help)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    for key in ("app", "cli", "model", "out"):
        if getattr(args, key, None):
            setattr(args, key, os.path.abspath(getattr(args, key)))
    os.makedirs(args.out, exist_ok=True)
    return args


def finish():
    """Prints how many checks failed; the exit code."""
    print(f"{len(FAILURES)} failed")
    return 1 if FAILURES else 0
