#!/usr/bin/env python3
"""Subset the CJK UI font for the web build, so the page stays small.

Keeps every character that appears in the UI string table (engine/ui/i18n/strings.inc) and the
engine's messages (engine/core/messages.inc) plus
the fixed ranges the app asks for (engine/ui/fonts.cpp, BuildGlyphRanges: keep in step).
Noto Sans CJK SC is ~19 MB for the whole collection; the subset (UI strings + the 3755 most common characters) is about 1.1 MB (0.7 MB gzipped).

  tools/subset-font.py --font NotoSansCJK-Regular.ttc --strings strings.inc messages.inc --out ui-font.ttf
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


def to_truetype(font):
    """Replace the CFF outlines with TrueType ones (quadratic curves, fontTools' cu2qu).

    stb_truetype (inside Dear ImGui) reads a glyf outline with a few table lookups, but a CFF
    glyph through its charstring interpreter, twice (box, then shape). The app's atlas (2784
    glyphs at two sizes) built by the same wasm in V8 (node, 5 runs, median): the first build
    162 -> 114 ms, a rebuild 52 -> 29 ms. The curves move by at most one font unit (1/1000 em:
    0.02 px at 17 px; screenshots differ only in edge pixels), the file grows 2 % gzipped."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable
    glyph_set = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = font.getGlyphOrder()
    glyf.glyphs = {}
    for name in glyf.glyphOrder:
        pen = TTGlyphPen(glyph_set)
        # CFF winds outer contours counter-clockwise, TrueType clockwise.
        glyph_set[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyf[name] = pen.glyph()
    for tag in ("CFF ", "VORG"):  # VORG only applies to CFF outlines
        if tag in font:
            del font[tag]
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    maxp = newTable("maxp")  # version 1.0; points and contours are counted on save (recalc_bounds)
    maxp.tableVersion = 0x00010000
    for field in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                  "maxStackElements", "maxSizeOfInstructions", "maxComponentElements", "maxComponentDepth"):
        setattr(maxp, field, 0)
    maxp.maxZones = 1
    font["maxp"] = maxp
    font["head"].glyphDataFormat = 0
    font["post"].formatType = 3.0  # no glyph names (CFF kept them in its own table)
    font.sfntVersion = "\x00\x01\x00\x00"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--font", required=True, help="source font (.otf/.ttf/.ttc)")
    ap.add_argument("--strings", required=True, nargs="+", help="engine/ui/i18n/strings.inc engine/core/messages.inc")
    ap.add_argument("--out", required=True, help="output .ttf")
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
    options.recalc_bounds = True      # the new glyf outlines' boxes, maxp's counts
    options.desubroutinize = True     # plain CFF charstrings for the TrueType conversion below
    font = subset.load_font(args.font, options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codepoints)
    subsetter.subset(font)
    to_truetype(font)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    subset.save_font(font, args.out, options)
    kept = len(font.getBestCmap())
    print(f"subset-font: {kept} characters, {os.path.getsize(args.out) // 1024} KiB -> {args.out}")


if __name__ == "__main__":
    main()
