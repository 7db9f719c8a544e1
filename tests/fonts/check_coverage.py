#!/usr/bin/env python3
"""Every character the UI strings use must be in the UI font, or it shows as '?'.

The character list comes from the app itself (`attnlab-cli glyphs`, built from the C++ string
table), the font is the subset tools/subset-font.py made for the web build (and the desktop
fallback), so this checks the two independent paths against each other.

  check_coverage.py --font build/native/assets/fonts/ui-font.ttf --cli build/native/attnlab-cli
"""
import argparse
import subprocess
import sys

from fontTools.ttLib import TTFont


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--font", required=True)
    ap.add_argument("--cli", required=True)
    args = ap.parse_args()

    glyphs = subprocess.run([args.cli, "glyphs"], check=True, capture_output=True, text=True).stdout
    wanted = {c for c in glyphs.strip("\n") if c not in "\n"}
    cmap = TTFont(args.font).getBestCmap()
    missing = sorted(c for c in wanted if ord(c) not in cmap)
    cjk = sum(1 for c in wanted if 0x4E00 <= ord(c) <= 0x9FFF)
    print(f"{len(wanted)} characters used by the UI ({cjk} Chinese), font has {len(cmap)}")
    if cjk < 100:
        print("FAIL: the string table should hold hundreds of Chinese characters; glyphs output looks wrong")
        return 1
    if missing:
        print("FAIL: missing from the font: " + " ".join(f"{c} (U+{ord(c):04X})" for c in missing))
        return 1
    print("PASS: every UI character is in the font")
    return 0


if __name__ == "__main__":
    sys.exit(main())
