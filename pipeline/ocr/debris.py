"""Detached accents: a line of marks and specks right above a line of bigger print.

On bold centred titles Tesseract sometimes cuts the row of accents off the letters and
reads it as a line of its own (`À .^A .À k4 # ˆ , ° ˆ`): one or no letter per "word"
(or, read by the English model, tiny words it doubts: `TA en x`), far shorter than the
print below, touching it. Such a line carries no word of the page
and is left out of the text.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence

from vnocr.ocr.layout import OcrLine

# Share of a line's words with at most one letter or digit for it to be debris: real
# Vietnamese lines have a few one-letter words (`ở`, `ý`; `và` has two), never half.
# (Tesseract reads some accent clusters as two-letter words: `Là`, `ký`.)
MARK_SHARE = 0.5
# Debris is at most this share of the height of the print below it.
HEIGHT_RATIO = 0.7
# And its bottom reaches within this many heights of that print's top.
TOUCH = 0.6
# Or, read as words of two letters (Tesseract's English model: `TA en x`, `nw oa ex gs`),
# at most this share of the print's height below, and read this badly on average (0..1):
# a row of accents, no line of small print (which reads well).
TINY_RATIO = 0.4
TINY_CONF = 0.75


def _height(line: OcrLine) -> float:
    return float(statistics.median(w.box[3] for w in line.words))


def _is_marks(text: str) -> bool:
    return sum(ch.isalnum() for ch in text) <= 1


def debris_lines(lines: Sequence[OcrLine]) -> list[int]:
    """Indices (into `lines`) of the lines that are only detached marks: most words
    one letter or none, small, directly above the nearest line below."""
    # Each line's box once: a line's box is the union of its words', and every line
    # looks at every other.
    boxes = [line.box for line in lines]
    found = []
    for here, line in enumerate(lines):
        h = _height(line)
        top = boxes[here][1]
        below = [k for k, box in enumerate(boxes) if box[1] >= top + h / 2]
        if not below:
            continue
        # The nearest line under it, not a piece of the same row beside it.
        under = min(below, key=lambda k: boxes[k][1])
        under_height = _height(lines[under])
        if h > HEIGHT_RATIO * under_height:
            continue
        marks = sum(_is_marks(w.text) for w in line.words)
        if marks < MARK_SHARE * len(line.words) and not (
                h <= TINY_RATIO * under_height
                and statistics.fmean(w.conf for w in line.words) < TINY_CONF):
            continue
        if top + boxes[here][3] >= boxes[under][1] - TOUCH * under_height:
            found.append(here)
    return found


__all__ = ["debris_lines"]
