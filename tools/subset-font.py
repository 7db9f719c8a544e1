#!/usr/bin/env python3
"""Subset the CJK UI font for the web build, so the page stays small.

Keeps every character that appears in the UI string table (engine/ui/i18n/strings.inc) and the
engine's messages (engine/core/messages.inc) plus
the fixed ranges the app asks for (engine/ui/fonts.cpp, BuildGlyphRanges: keep in step).
Noto Sans CJK SC is ~19 MB for the whole collection; the subset (UI strings + the 3755 most common characters) is about 0.85 MB.

  tools/subset-font.py --font NotoSansCJK-Regular.ttc --strings strings.inc messages.inc --out ui-font.otf
Needs Debian's python3-fonttools (run with /usr/bin/python3).
"""
import argparse
import os
import re
import sys

FIXED_RANGES = [  # (first, last) code points, inclusive — same as fonts.cpp
    (0x0020, 0x00FF),  # Basic Latin + Latin-1
    (0x2000, 0x206F),  # General Punctuation
    (0x2190, 0x21FF),  # Arrows
    (0x2070, 0x209F),  # Superscripts and Subscripts
    (0x2200, 0x22FF),  # Mathematical Operators
    (0x23CE, 0x23CE),  # ⏎ (a newline token's label)
    (0x2400, 0x243F),  # Control Pictures
    (0x25A0, 0x25FF),  # Geometric Shapes
    (0x3000, 0x303F),  # CJK Symbols and Punctuation
    (0xFF00, 0xFFEF),  # Halfwidth and Fullwidth Forms
]


def string_table_chars(path):
    """Every character inside a C string literal of an S(id, "zh", "en") / M(…) table."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    chars = set()
    for literal in re.findall(r'"((?:[^"\\]|\\.)*)"', text):
        chars.update(literal)
    return chars


def font_face_index(path, family_hint):
    """The face of a .ttc collection whose name contains family_hint ("SC"), else 0."""
    if not path.lower().endswith((".ttc", ".otc")):
        return 0
    from fontTools.ttLib import TTCollection
    for i, face in enumerate(TTCollection(path, lazy=True).fonts):
        name = face["name"].getDebugName(4) or ""
        if family_hint in name and "Mono" not in name:
            return i
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--font", required=True, help="source font (.otf/.ttf/.ttc)")
    ap.add_argument("--strings", required=True, nargs="+", help="engine/ui/i18n/strings.inc engine/core/messages.inc")
    ap.add_argument("--out", required=True, help="output .otf")
    ap.add_argument("--face", default="SC", help="face name hint inside a .ttc (default SC)")
    ap.add_argument("--common-hanzi", action="store_true",
                    help="also keep the 3755 most common Chinese characters (GB2312 level 1)")
    args = ap.parse_args()

    if not os.path.exists(args.font):
        sys.exit(f"subset-font: no font at {args.font} (install fonts-noto-cjk: tools/install-deps.sh)")
    try:
        from fontTools import subset
    except ImportError:
        sys.exit("subset-font: fontTools missing (install python3-fonttools; run with /usr/bin/python3)")

    codepoints = {ord(c) for path in args.strings for c in string_table_chars(path)}
    if args.common_hanzi:  # sentences students type: GB2312 level 1, the 3755 most common characters
        for hi in range(0xB0, 0xD8):
            for lo in range(0xA1, 0xFF):
                try:
                    codepoints.add(ord(bytes([hi, lo]).decode("gb2312")))
                except UnicodeDecodeError:
                    pass
    for first, last in FIXED_RANGES:
        codepoints.update(range(first, last + 1))

    options = subset.Options()
    options.font_number = font_face_index(args.font, args.face)
    # No GSUB / GPOS lookups: Dear ImGui 1.86 draws one glyph per character from the cmap, no
    # shaping or kerning. Keeping them ("*") also kept the ~3600 glyphs they reach (vertical
    # forms, alternates): 1.67 MB instead of 0.85 MB, with the same pixels on screen.
    options.layout_features = []
    options.name_IDs = ["*"]          # keep the licence and copyright names (SIL OFL)
    options.notdef_outline = True
    options.hinting = False           # stb_truetype ignores hints; smaller file
    options.desubroutinize = True     # simpler CFF for stb_truetype
    font = subset.load_font(args.font, options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codepoints)
    subsetter.subset(font)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    subset.save_font(font, args.out, options)
    kept = len(font.getBestCmap())
    print(f"subset-font: {kept} characters, {os.path.getsize(args.out) // 1024} KiB -> {args.out}")


if __name__ == "__main__":
    main()
