"""Write `pipeline/formats/glyphless.ttf`, the font of the searchable PDF's invisible
text layer: two empty glyphs half an em wide, nothing to draw.

Every character of the text layer is shown with glyph 1 (the PDF's CIDToGIDMap maps
every code to it), so the font needs no outlines and no character map beyond the
space; extraction reads the PDF's ToUnicode map, not the font. Fixed timestamps keep
the file byte-identical from run to run. Needs fontTools (`pip install vnocr[train]`).

    python scripts/make_glyphless_font.py
"""

from __future__ import annotations

from pathlib import Path

from fontTools.fontBuilder import FontBuilder
from fontTools.ttLib.tables._g_l_y_f import Glyph

OUT = Path(__file__).resolve().parents[1] / "pipeline" / "formats" / "glyphless.ttf"
EM, ASCENT, DESCENT, ADVANCE = 1000, 800, -200, 500
EPOCH_2024 = 3786825600  # 2024-01-01 in the font format's seconds since 1904


def main() -> None:
    names = [".notdef", "blank"]
    fb = FontBuilder(EM, isTTF=True)
    fb.setupGlyphOrder(names)
    empty = Glyph()
    empty.numberOfContours = 0
    fb.setupGlyf({n: empty for n in names})
    fb.setupHorizontalMetrics({n: (ADVANCE, 0) for n in names})
    fb.setupCharacterMap({0x20: "blank"})
    fb.setupHorizontalHeader(ascent=ASCENT, descent=DESCENT)
    fb.setupOS2(sTypoAscender=ASCENT, sTypoDescender=DESCENT, sTypoLineGap=0,
                usWinAscent=ASCENT, usWinDescent=-DESCENT)
    fb.setupHead(unitsPerEm=EM, created=EPOCH_2024, modified=EPOCH_2024)
    fb.setupPost()
    fb.setupNameTable({"familyName": "GlyphLessFont", "styleName": "Regular",
                       "psName": "GlyphLessFont"})
    fb.font.recalcTimestamp = False
    fb.save(str(OUT))
    print(f"{OUT}: {OUT.stat().st_size} bytes")


if __name__ == "__main__":
    main()
