#!/usr/bin/env python3
"""Desktop smoke test: the real app in a real X window (Xvfb + Mesa), screenshots checked.

For each case the app starts under xvfb-run, draws frames, saves --screenshot and must exit 0.
Then: the picture has the asked size, is not blank, and Chinese and English differ where the
navigation is drawn. Screenshots stay in --out for people to look at.
"""
import json
import os
import sys

from PIL import Image, ImageChops, ImageStat

from harness import check, finish, launch, parse_args


def run_app(app, out_png, *flags):
    proc = launch(app, "--screenshot", out_png, "--frames", "12", *flags, screen="1600x1000x24", timeout=120)
    print(proc.stdout + proc.stderr, end="")
    check(proc.returncode == 0, f"app exits 0 (got {proc.returncode})")
    check("[attnlab] font: " in proc.stdout and "ImGui default" not in proc.stdout, "a CJK font was loaded")
    check(os.path.exists(out_png), f"screenshot written: {out_png}")
    return Image.open(out_png).convert("RGB") if os.path.exists(out_png) else None


def not_blank(img, what):
    colors = img.getcolors(maxcolors=1 << 20)
    n_colors = len(colors) if colors else 1 << 20
    spread = max(ImageStat.Stat(img.convert("L")).stddev[0], 0)
    check(n_colors > 50 and spread > 5, f"{what} is not blank ({n_colors} colours, luminance stddev {spread:.1f})")


def check_sequence_panel(app, out_dir):
    """11.1: the panel publishes what it shows (--dump-state) and registers its controls."""
    path = os.path.join(out_dir, "state-sequence.json")
    proc = launch(app, "--section", "sequence", "--lang", "zh", "--dump-state", path, "--frames", "5",
                  screen="1600x1000x24", timeout=120)
    check(proc.returncode == 0 and os.path.exists(path), f"--dump-state writes {path}")
    if not os.path.exists(path):
        return
    with open(path, encoding="utf-8") as f:
        state = json.load(f)
    # Touch screens: the window's touches come through XInput 2.2 (app/x11_touch.h), which GLFW
    # does not read. Xvfb speaks XInput 2.2 but has no touch screen.
    touch = state.get("touch", {})
    check(touch.get("listening") is True and touch.get("error") == "" and touch.get("screens") == 0,
          f"the window takes XInput 2.2 touch events; Xvfb has no touch screen ({touch})")
    seq = state.get("panels", {}).get("sequence")
    check(seq is not None, "the sequence panel publishes its state")
    if seq is None:
        return
    n, sens = seq["n"], seq["sensitivity"]
    check(2 <= n <= 64 and len(seq["words"]) == n and len(sens) == n and len(seq["bound"]) == n,
          f"n = {n} words, sensitivities and bounds")
    check(seq["step"] == 0 and not seq["playing"] and seq["hidden_state"] == [0] * seq["hidden_units"],
          "the belt starts paused at h_0 = 0")
    check(seq["recurrent_scale"] < 1 and sens[-1] < sens[0] * 0.1,
          f"with ||W_h|| = {seq['recurrent_scale']} the first word's signal fades ({sens[0]:.3g} -> {sens[-1]:.3g})")
    check(seq["sequential_steps"] == {"rnn": n, "attention": 1}, "sequential steps: RNN n, attention 1")
    missing = [h for h in ("seq_play", "seq_step", "seq_restart", "seq_length", "seq_scale", "seq_belt",
                           "seq_chart_signal", "seq_chart_steps") if h not in state.get("hotspots", {})]
    check(not missing, f"sequence panel hotspots registered (missing: {missing})")
    # On a phone, at the last word, the whole cart is on the belt (it was half cut off).
    path = os.path.join(out_dir, "state-sequence-phone.json")
    proc = launch(app, "--section", "sequence", "--lang", "zh", "--size", "390x844", "--option", "seq.step=16",
                  "--dump-state", path, "--screenshot", os.path.join(out_dir, "sequence-phone-step16.png"),
                  "--frames", "6", screen="1600x1000x24", timeout=120)
    if proc.returncode == 0 and os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            phone = json.load(f)
        cart, belt = phone["hotspots"].get("seq_cart"), phone["hotspots"].get("seq_belt")
        check(phone["panels"]["sequence"]["step"] == 16 and cart and belt and belt[0] <= cart[0] and cart[2] <= belt[2],
              f"390 px, step 16: the cart {cart} lies within the belt {belt}")
    else:
        check(False, f"the phone-sized run writes {path}")


def check_text_size(app, out_dir):
    """--text-size (the A− / A+ setting) grows text and controls together: the state reports it,
    and a navigation entry and the A+ button are that much taller than at size 1."""
    states = {}
    for size in ("1", "1.5"):
        path = os.path.join(out_dir, f"state-text-size-{size}.json")
        proc = launch(app, "--section", "self-attention", "--lang", "zh", "--text-size", size, "--dump-state", path,
                      "--screenshot", os.path.join(out_dir, f"desktop-text-size-{size}.png"), "--frames", "6",
                      screen="1600x1000x24", timeout=120)
        check(proc.returncode == 0 and os.path.exists(path), f"--text-size {size} runs and writes its state")
        if not os.path.exists(path):
            return
        with open(path, encoding="utf-8") as f:
            states[size] = json.load(f)
    check(states["1"]["text_size"] == 1.0 and states["1.5"]["text_size"] == 1.5,
          f"the state reports the text size ({states['1']['text_size']}, {states['1.5']['text_size']})")
    for spot in ("nav-sequence", "text_larger"):
        h1, h15 = (states[s]["hotspots"][spot][3] - states[s]["hotspots"][spot][1] for s in ("1", "1.5"))
        check(1.35 <= h15 / h1 <= 1.65, f"{spot} is 1.5× as tall at text size 1.5 ({h1:.0f} → {h15:.0f} px)")


def main():
    args = parse_args(with_model=False)
    subset_font = os.path.join(os.path.dirname(args.app), "assets", "fonts", "ui-font.ttf")

    zh = run_app(args.app, os.path.join(args.out, "desktop-zh.png"), "--lang", "zh")
    en = run_app(args.app, os.path.join(args.out, "desktop-en.png"), "--lang", "en")
    # The shipped subset font alone must be enough for the whole UI (what the web build uses).
    sub = run_app(args.app, os.path.join(args.out, "desktop-zh-subset-font.png"), "--lang", "zh",
                  "--font", subset_font)
    small = run_app(args.app, os.path.join(args.out, "desktop-dark-800x600.png"), "--theme", "dark",
                    "--size", "800x600", "--section", "self-attention")
    if zh is None or en is None or sub is None or small is None:
        return finish()  # a missing screenshot has failed a check already

    check(zh.size == (1280, 800), f"default window is 1280x800 (got {zh.size})")
    check(small.size == (800, 600), f"--size 800x600 gives an 800x600 frame (got {small.size})")
    for img, what in ((zh, "Chinese UI"), (en, "English UI"), (sub, "subset-font UI"), (small, "dark 800x600 UI")):
        not_blank(img, what)

    # The navigation column (left third) must change with the language.
    box = (0, 0, zh.size[0] // 3, zh.size[1])
    diff = ImageChops.difference(zh.crop(box), en.crop(box))
    changed = sum(1 for p in diff.convert("L").getdata() if p > 40)
    check(changed > 2000, f"language switch changes the navigation text ({changed} pixels differ)")
    # Dark theme: the background is dark.
    check(ImageStat.Stat(small.convert("L")).mean[0] < 90, "dark theme is dark")
    check(ImageStat.Stat(zh.convert("L")).mean[0] > 160, "light theme is light")

    check_sequence_panel(args.app, args.out)
    check_text_size(args.app, args.out)

    return finish()


if __name__ == "__main__":
    sys.exit(main())
