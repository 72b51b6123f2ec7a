"""Glyph slips of Tesseract's `vie` model that no Vietnamese text contains, mended
where its words enter the pipeline.

`vie` knows two codes for one shape, the crossed capital D: Vietnamese `Đ` (U+0110) and
Icelandic `Ð` (U+00D0). On bold or heavy capitals its LSTM sometimes emits both for one
printed letter (`HĐÐĐND`, `QĐÐ` on a real 2024 báo cáo, in every preprocessing variant
tried: rotated, blurred, shifted, median-filtered). CTC merges repeats of one code only,
so the mixed run survives. Vietnamese writes `Ð` only as a legacy stand-in for `Đ`
(`Ðảng`, `Ðức` in the wiki corpus), so an `Ð` next to a `Đ` is the same letter read
twice, and a lone one is an `Đ`. A true double `ĐĐ` (`GĐĐH`) is two `Đ`s and is kept.
"""

from __future__ import annotations

import re

_ETH = "\u00d0"
_D_BAR = "\u0110"
# Any run of crossed Ds that mixes the two codes: one printed letter read twice.
_MIXED_RUN = re.compile(f"(?:{_D_BAR}+{_ETH}[{_D_BAR}{_ETH}]*|{_ETH}+{_D_BAR}[{_D_BAR}{_ETH}]*)")


def mend_glyphs(text: str) -> str:
    """`text` with each mixed `Đ`/`Ð` run made one `Đ` and every other `Ð` an `Đ`."""
    if _ETH not in text:
        return text
    return _MIXED_RUN.sub(_D_BAR, text).replace(_ETH, _D_BAR)


__all__ = ["mend_glyphs"]
