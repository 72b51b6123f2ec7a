"""Two-column blocks at the top and bottom of a page, read column by column.

Vietnamese administrative documents (Nghị định 30/2020/NĐ-CP) open with two columns
side by side, the issuing body and the number on the left, the national motto and the
place and date on the right, and often close with two more (`Nơi nhận:` on the left,
the signer on the right). Tesseract joins each row of both columns into one line
(`ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI …`). A run of consecutive lines that share one wide
vertical gap, with text on both sides in at least two of them, is such a block: its
lines are cut at the gap and the left column is emitted before the right.

Only the block that starts among the first lines and the one that ends the page are
taken: a two-column table in the body is read row by row, as printed.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from vnocr.ocr.layout import OcrLine, OcrWord

# A gap between two words of one line at least this many times the line's median word
# height opens a column gap: word spaces are ~0.3-0.5 of it, even justified ones stay
# under 1; the header gaps of the real and rendered pages measured 1.6-7.
WIDE_GAP = 1.0
# Lines at the page's start that may come before the header block (a form number, a
# page number that was not recognised as one).
HEADER_START_LINES = 4
# A line before the header is short: at most this share of the page's text width.
SHORT_LINE = 0.5
# Consecutive lines of one column further apart than this many line heights start a
# new paragraph (the number under the issuing body, the date under the motto).
PARAGRAPH_GAP = 0.8


# The gap the block's lines share must stay at least this many line heights wide.
MIN_SHARED = 0.6
# A "word" smaller than this share of the line height both ways is a speck or a mark;
# it may sit in the column gap (noise, a stray accent) without closing the block.
SPECK = 0.5


@dataclass(frozen=True, slots=True)
class ColumnBlock:
    """Lines `start`..`stop`-1 of the page, split at x in (`lo`, `hi`)."""

    start: int
    stop: int
    lo: int
    hi: int
    two_sided: int  # lines with words on both sides of the gap

    def left_and_right(self, lines: Sequence[OcrLine]) -> tuple[list[OcrLine], list[OcrLine]]:
        """The block's lines cut at the gap (a word goes by its centre): left parts and
        right parts, top to bottom."""
        mid = (self.lo + self.hi) / 2
        left: list[OcrLine] = []
        right: list[OcrLine] = []
        for line in lines[self.start:self.stop]:
            lw = tuple(w for w in line.words if w.box[0] + w.box[2] / 2 < mid)
            rw = tuple(w for w in line.words if w.box[0] + w.box[2] / 2 >= mid)
            if lw:
                left.append(OcrLine(lw))
            if rw:
                right.append(OcrLine(rw))
        return left, right


def _x1(word: OcrWord) -> int:
    return word.box[0] + word.box[2]


def _height(line: OcrLine) -> float:
    return float(statistics.median(w.box[3] for w in line.words))


def _solid(line: OcrLine) -> list[OcrWord]:
    """The line's words without specks, left to right."""
    least = SPECK * _height(line)
    return sorted((w for w in line.words if w.box[2] >= least or w.box[3] >= least),
                  key=lambda w: w.box[0])


def _free(line: OcrLine) -> list[tuple[float, float]]:
    """The stretches of x that no solid word of `line` covers, left to right."""
    words = _solid(line)
    edges = [-math.inf, *(x for w in words for x in (w.box[0], _x1(w))), math.inf]
    return [(a, b) for a, b in zip(edges[::2], edges[1::2], strict=True) if b > a]


def wide_gaps(line: OcrLine) -> list[tuple[int, int]]:
    """(end of the word before, start of the word after) of each gap in `line` at least
    `WIDE_GAP` median word heights wide."""
    least = WIDE_GAP * _height(line)
    return [(int(a), int(b)) for a, b in _free(line)[1:-1] if b - a >= least]


def _grow(lines: Sequence[OcrLine], start: int, lo: float, hi: float) -> ColumnBlock:
    """The longest run from `start` whose lines all leave a stretch of (lo, hi) free,
    at least `MIN_SHARED` line heights wide; the shared gap narrows to that stretch. A
    line with words on both sides must have a wide gap of its own there."""
    two_sided = 0
    stop = start
    for line in lines[start:]:
        h = _height(line)
        pieces = [(max(a, lo), min(b, hi), b - a, a, b) for a, b in _free(line)]
        a, b, own, own_lo, own_hi = max(pieces, key=lambda p: p[1] - p[0])
        if b - a < MIN_SHARED * h:
            break
        if own_lo > -math.inf and own_hi < math.inf:
            if own < WIDE_GAP * h:
                break
            two_sided += 1
        lo, hi = a, b
        stop += 1
    return ColumnBlock(start, stop, round(lo), round(hi), two_sided)


def find_block(lines: Sequence[OcrLine], starts: range) -> ColumnBlock | None:
    """The two-column block with the most two-sided lines (at least two) that starts at
    one of `starts`, earliest first on a tie; None when there is none."""
    best: ColumnBlock | None = None
    for start in starts:
        for lo, hi in wide_gaps(lines[start]):
            block = _grow(lines, start, lo, hi)
            if block.two_sided >= 2 and (best is None or block.two_sided > best.two_sided):
                best = block
    return best


def header_block(lines: Sequence[OcrLine]) -> ColumnBlock | None:
    """The two-column header: a block starting among the page's first lines, with only
    short lines (a form number in a corner) before it: a block under a full body line
    is part of the body."""
    if not lines:
        return None
    x0 = min(ln.box[0] for ln in lines)
    width = max(ln.box[0] + ln.box[2] for ln in lines) - x0
    n = 0
    while n < min(HEADER_START_LINES, len(lines)):
        n += 1
        if lines[n - 1].box[2] > SHORT_LINE * width:
            break
    return find_block(lines, range(n))


def closing_block(lines: Sequence[OcrLine], after: int = 0) -> ColumnBlock | None:
    """The two-column signature block: the earliest block (from line `after` on) that
    runs to the page's last line."""
    for start in range(after, len(lines)):
        for lo, hi in wide_gaps(lines[start]):
            block = _grow(lines, start, lo, hi)
            if block.two_sided >= 2 and block.stop == len(lines):
                return block
    return None


def split_paragraphs(lines: Sequence[OcrLine]) -> list[list[OcrLine]]:
    """Lines of one column grouped into paragraphs at vertical gaps wider than
    `PARAGRAPH_GAP` line heights."""
    groups: list[list[OcrLine]] = []
    for line in lines:
        if groups:
            prev = groups[-1][-1]
            gap = line.box[1] - (prev.box[1] + prev.box[3])
            if gap <= PARAGRAPH_GAP * min(_height(prev), _height(line)):
                groups[-1].append(line)
                continue
        groups.append([line])
    return groups


__all__ = ["ColumnBlock", "closing_block", "find_block", "header_block", "split_paragraphs",
           "wide_gaps"]
