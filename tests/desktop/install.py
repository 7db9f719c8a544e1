#!/usr/bin/python3
"""`cmake --install` gives a runnable folder: the installed desktop app, started from another
directory, finds the bundled demo model (and, without a system CJK font, its own font) under
PREFIX/share/attnlab/assets.

  install.py --build build/native --out DIR

Installs into DIR/prefix (a fresh folder each run), then runs PREFIX/bin/attnlab with / as the
working directory (so nothing is found by a relative path) and checks the dumped state and the
printed font; and PREFIX/bin/attnlab-cli reads the installed model.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys

import harness
from harness import check, finish


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    out = os.path.abspath(args.out)
    prefix = os.path.join(out, "prefix")
    shutil.rmtree(prefix, ignore_errors=True)
    os.makedirs(out, exist_ok=True)

    proc = subprocess.run(["cmake", "--install", os.path.abspath(args.build), "--prefix", prefix],
                          capture_output=True, text=True, timeout=120)
    check(proc.returncode == 0, f"cmake --install exits 0 ({proc.stderr.strip()[:200]})")
    app = os.path.join(prefix, "bin", "attnlab")
    cli = os.path.join(prefix, "bin", "attnlab-cli")
    model = os.path.join(prefix, "share", "attnlab", "assets", "attnlab-demo-gpt2-q8_0.gguf")
    font = os.path.join(prefix, "share", "attnlab", "assets", "fonts", "ui-font.ttf")
    for path in (app, cli, model, font):
        check(os.path.isfile(path), f"installed: {os.path.relpath(path, prefix)}")
    if not os.path.isfile(app):
        return finish()

    png, state = os.path.join(out, "installed-app.png"), os.path.join(out, "installed-app.json")
    run = harness.launch(app, "--section", "self-attention", "--screenshot", png, "--dump-state", state,
                         "--frames", "8", cwd="/", timeout=120)
    print(run.stdout + run.stderr, end="")
    check(run.returncode == 0, f"the installed app runs from / and exits 0 (got {run.returncode})")
    # Natively the full system Noto Sans CJK comes first (any typed hanzi shows); without it,
    # the installed subset.
    system_font = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
    want = system_font + "#2" if os.path.exists(system_font) else font
    check(f"[attnlab] font: {want}\n" in run.stdout, f"it uses {want}")
    if os.path.exists(state):
        with open(state, encoding="utf-8") as f:
            s = json.load(f)
        m = s.get("model") or {}
        check(m.get("name") == "attnlab-demo-gpt2" and m.get("is_demo") is True,
              f"it starts on the installed demo model ({m.get('name')})")
    info = subprocess.run([cli, "info", model], capture_output=True, text=True, timeout=60, cwd="/")
    check(info.returncode == 0 and "attnlab-demo-gpt2" in info.stdout, "the installed attnlab-cli reads the installed model")
    return finish()


if __name__ == "__main__":
    sys.exit(main())
