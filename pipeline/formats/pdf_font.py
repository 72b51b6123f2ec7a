"""The font of the invisible text layer: glyphless, with a ToUnicode map.

A Type 0 font whose codes are the characters' Unicode code points (two bytes,
Identity-H): the ToUnicode map is then the identity and extraction returns exactly
the NFC text written, Vietnamese letters included. Every code shows glyph 1 of
`glyphless.ttf` (made by `scripts/make_glyphless_font.py`), empty and half an em wide:
the same construction as Tesseract's and OCRmyPDF's text layers.
"""

from __future__ import annotations

from importlib.resources import files

import pikepdf
from pikepdf import Name

FONT_NAME = Name("/f-vnocr")  # the name in each page's /Resources /Font
ASCENT, DESCENT = 800, -200  # per 1000 units of the font size, as in the font file
ADVANCE = 500  # every glyph's width per 1000 units
_BMP = 0x10000
_TO_UNICODE = b"""/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<0000> <FFFF>
endcodespacerange
1 beginbfrange
<0000> <FFFF> <0000>
endbfrange
endcmap
CMapName currentdict /CMap defineresource pop
end
end
"""


def encode_text(text: str) -> bytes:
    """`text` as the font's codes; a character beyond the BMP (never Vietnamese)
    becomes U+FFFD, as one two-byte code cannot hold it."""
    return b"".join((ord(c) if ord(c) < _BMP else 0xFFFD).to_bytes(2, "big") for c in text)


def glyphless_font(pdf: pikepdf.Pdf) -> pikepdf.Object:
    """The font's objects in `pdf`, as one indirect Type 0 font all pages share."""
    ttf = files("vnocr.formats").joinpath("glyphless.ttf").read_bytes()
    descriptor = pikepdf.Dictionary(
        Type=Name.FontDescriptor, FontName=Name.GlyphLessFont, Flags=5,
        FontBBox=[0, DESCENT, ADVANCE, ASCENT], ItalicAngle=0, Ascent=ASCENT,
        Descent=DESCENT, CapHeight=ASCENT, StemV=80,
        FontFile2=pikepdf.Stream(pdf, ttf),
    )
    gid_one = b"\x00\x01" * _BMP  # CIDToGIDMap: every code → glyph 1
    cid_font = pikepdf.Dictionary(
        Type=Name.Font, Subtype=Name.CIDFontType2, BaseFont=Name.GlyphLessFont,
        CIDSystemInfo=pikepdf.Dictionary(Registry=pikepdf.String("Adobe"),
                                         Ordering=pikepdf.String("Identity"), Supplement=0),
        FontDescriptor=pdf.make_indirect(descriptor), DW=ADVANCE,
        CIDToGIDMap=pikepdf.Stream(pdf, gid_one),
    )
    font = pikepdf.Dictionary(
        Type=Name.Font, Subtype=Name.Type0, BaseFont=Name.GlyphLessFont,
        Encoding=Name("/Identity-H"), DescendantFonts=[pdf.make_indirect(cid_font)],
        ToUnicode=pikepdf.Stream(pdf, _TO_UNICODE),
    )
    return pdf.make_indirect(font)


__all__ = ["ADVANCE", "ASCENT", "DESCENT", "FONT_NAME", "encode_text", "glyphless_font"]
