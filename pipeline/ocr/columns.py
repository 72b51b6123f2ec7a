"""Two-column blocks at the top and bottom of a page, read column by column.

Vietnamese administrative documents (Nghị định 30/2020/NĐ-CP) open with two columns
side by side, the issuing body and the number on the left, the national motto and the
place and date on the right, and often close with two more (`Nơi nhận:` on the left,
the signer on the right). Tesseract joins each row of both columns into one line
(`ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI …`). A run of consecutive lines that share one wide
vertical gap, with text on both sides in at least two of them, is such a block: its
lines are cut at the gap and the left column is emitted before the right.

The header's first row often leaves no gap at all: the bold motto is wider than its
half of the page and comes to within a word space of the issuing body (`HỘI ĐỒNG NHÂN
DÂN CỘNG HÒA …`, on 5 of 9 rendered pages). Each line of a header column is centred on
the column, so such a row is cut at the word space that leaves its two parts centred
on the columns the rows below have measured (`_rows_above`), or inside the one word
Tesseract glued across the two (`DÂN2ỘNG`).

Only the block that starts among the first lines and the one that ends the page are
taken: a two-column table in the body is read row by row, as printed.
"""

from __future__ import annotations

import math
import statistics
import unicodedata
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
# A "word" made only of these is a printed rule (the lines under the issuing body and
# the motto) that Tesseract's English model reads as `___` or `_` with a box as tall as
# the text: it may sit in the column gap too. A hyphen is not one: it is the motto's.
RULE_CHARS = frozenset("_~—–=¯")
# The widest a letter of a line's words is, in line heights (a bold capital M about
# 0.9): eng-OCR boxed `TM.` 425-522 px wide at a line height of 50-60 on 3 of 9
# rendered signature blocks, a signature's strokes boxed with it.
CHAR_WIDTH = 1.0
# A row above a header block joins it when each part of it is centred on its column
# within this many line heights: on the 9 rendered and 2 real header blocks every
# column line but the real chỉ thị's date (2.1) lies within 0.75 of its column's median
# centre, most within 0.1. A full body line can often be cut that close to the centres
# too (0.2-5.6 on the same pages), which is why only rows above the block, where
# `header_block` allows nothing but short lines, are tried.
CENTRE_SLACK = 1.0
# A word Tesseract is this unsure of does not count where a column's centre is measured:
# dust beside a header row reads as a word (`ic` at 0.13 after the motto's `NAM`, a
# glued `___-:~dDéc` at 0.0 with the rule's dust in its box) and moved its part's
# centre by 1-2.5 line heights. Most header words of the 9 rendered and 2 real pages
# were read at 0.3 or more, not all (a `NAM` at 0.15), so a row is cut with and
# without such words (`_centred_cut`).
DEBRIS_CONF = 0.2
# A word cut by a header row's cut is shared between the columns from this many letters
# (`_split_glued`: two glued words, `DANCONG`, `PHÁP2ỘNG`, have five or more)
GLUED_LETTERS = 5


@dataclass(frozen=True, slots=True)
class ColumnBlock:
    """Lines `start`..`stop`-1 of the page, split at x in (`lo`, `hi`)."""

    start: int
    stop: int
    lo: int
    hi: int
    two_sided: int  # lines with words on both sides of the gap
    # Rows that leave no gap of their own, each with the x it is cut at (`_rows_above`).
    cuts: tuple[tuple[int, float], ...] = ()

    def left_and_right(self, lines: Sequence[OcrLine]) -> tuple[list[OcrLine], list[OcrLine]]:
        """The block's lines cut at the gap, or a row at its own cut (a word goes by the
        centre of its letters, `_trimmed`): left parts and right parts, top to bottom."""
        own_cut = dict(self.cuts)
        left: list[OcrLine] = []
        right: list[OcrLine] = []
        for k in range(self.start, self.stop):
            line = lines[k]
            mid = own_cut.get(k, (self.lo + self.hi) / 2)
            if k in own_cut:
                line = _split_glued(line, mid)
            # trimmed left to right, as `_solid` does for the gap: a box is cut on the side
            # of its nearer neighbour on the page, whatever the words' order in the line
            order = sorted(range(len(line.words)), key=lambda i: line.words[i].box[0])
            trimmed = _trimmed([line.words[i] for i in order], _height(line))
            on_left = {i: t.box[0] + t.box[2] / 2 < mid for i, t in zip(order, trimmed)}
            lw = tuple(w for i, w in enumerate(line.words) if on_left[i])
            rw = tuple(w for i, w in enumerate(line.words) if not on_left[i])
            if lw:
                left.append(OcrLine(lw))
            if rw:
                right.append(OcrLine(rw))
        return left, right


def _x1(word: OcrWord) -> int:
    return word.box[0] + word.box[2]


def _split_glued(line: OcrLine, x: float) -> OcrLine:
    """`line` with the word Tesseract glued across the columns (`DANCONG` for DÂN +
    CỘNG) cut in two at `x`, its letters shared in proportion to its box: whole, it went
    to one side and the other column lost its word (admin08: `DÂN` missing on the left,
    `DANCONG` read as *CỘNG* on the right). Capitals of one font are near enough one
    width that the share lands on the letter (`DAN|CONG` at 3.0 of 7 letters). A row
    may be cut inside a word that is no glued one too, where that centres its parts
    best (vie admin04's `CỘNG`, cut after its C): only a word of `GLUED_LETTERS` or more
    is shared, two letters at least to each side."""
    words: list[OcrWord] = []
    for w in line.words:
        x0, y, width, h = w.box
        k = round(len(w.text) * (x - x0) / width) if x0 < x < x0 + width else 0
        if (len(w.text) >= GLUED_LETTERS and 2 <= k <= len(w.text) - 2
                and not unicodedata.combining(w.text[k])):
            cut = round(x) - x0
            words += [OcrWord(w.text[:k], w.conf, (x0, y, cut, h)),
                      OcrWord(w.text[k:], w.conf, (x0 + cut, y, width - cut, h))]
        else:
            words.append(w)
    return OcrLine(tuple(words))


def _height(line: OcrLine) -> float:
    return float(statistics.median(w.box[3] for w in line.words))


def _is_rule(word: OcrWord) -> bool:
    return set(word.text) <= RULE_CHARS


def _trimmed(words: list[OcrWord], height: float) -> list[OcrWord]:
    """`words` (left to right) with each box wider than its letters can be (`CHAR_WIDTH`
    line heights a letter) cut down to that width on the side of its nearer neighbour:
    the letters sit next to the words they are read with, the rest is the strokes of a
    signature or stamp that Tesseract boxed with them."""
    out = []
    for k, w in enumerate(words):
        x, y, width, h = w.box
        most = round(CHAR_WIDTH * height * len(w.text))
        if width > most:
            left_gap = x - _x1(words[k - 1]) if k else math.inf
            right_gap = words[k + 1].box[0] - (x + width) if k + 1 < len(words) else math.inf
            if right_gap < left_gap:
                x += width - most
            w = OcrWord(w.text, w.conf, (x, y, most, h))
        out.append(w)
    return out


def _solid(line: OcrLine) -> list[OcrWord]:
    """The line's words without specks and rules, left to right, boxes no wider than
    their letters."""
    height = _height(line)
    least = SPECK * height
    return _trimmed(sorted((w for w in line.words
                            if (w.box[2] >= least or w.box[3] >= least) and not _is_rule(w)),
                           key=lambda w: w.box[0]), height)


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


def _centre(words: Sequence[OcrWord]) -> float:
    return (words[0].box[0] + _x1(words[-1])) / 2


def _sure(words: Sequence[OcrWord]) -> list[OcrWord]:
    """`words` without those read from dust (`DEBRIS_CONF`), or all when none is sure."""
    return [w for w in words if w.conf >= DEBRIS_CONF] or list(words)


def _column_centres(lines: Sequence[OcrLine], block: ColumnBlock) -> tuple[float, float]:
    """The median centre of the block's left parts and of its right parts."""
    left, right = block.left_and_right(lines)
    return (statistics.median(_centre(_sure(ln.words)) for ln in left),
            statistics.median(_centre(_sure(ln.words)) for ln in right))


def _centred_cut(line: OcrLine, centres: tuple[float, float]) -> float | None:
    """The x that cuts `line` into a left part centred on the left column and a right
    part centred on the right one (within `CENTRE_SLACK` line heights); None when none
    does. The cut is a word space, or a point inside the one word Tesseract glued
    across the columns (`DÂN2ỘNG` for `DÂN` + `CỘNG`): the point that centres the left
    part, the glued word then going to the side that holds its centre. The parts are
    measured with and without the words read from dust (`_sure`): dust may end a row
    (`ic` after the motto's `NAM`), and a real word may be read as unsure (`NAM` at
    0.15 on another page)."""
    solid = _solid(line)
    slack = CENTRE_SLACK * _height(line)
    best: tuple[float, float] | None = None
    for words in (solid, _sure(solid)):
        for x, left, right in _cuts(words, centres):
            miss = max(abs(left - centres[0]), abs(right - centres[1]))
            if miss <= slack and (best is None or miss < best[0]):
                best = (miss, x)
    return best[1] if best else None


def _cuts(
    words: Sequence[OcrWord], centres: tuple[float, float]
) -> list[tuple[float, float, float]]:
    """(x, centre of the left part, centre of the right part) of each way to cut
    `words` in two (`_centred_cut`). Inside a glued word the cut is the middle of the
    space between where the left part ends centred on its column and where the right
    part starts centred on its own (`_split_glued` shares the word's letters there)."""
    if not words:
        return []
    x0, x1 = words[0].box[0], _x1(words[-1])
    cuts = [((_x1(words[k - 1]) + words[k].box[0]) / 2, _centre(words[:k]), _centre(words[k:]))
            for k in range(1, len(words))]
    inside = 2 * centres[0] - x0
    glued = next((w for w in words if w.box[0] < inside < _x1(w)), None)
    if glued is not None:
        space = min(max((inside + 2 * centres[1] - x1) / 2, inside), _x1(glued) - 1)
        cuts.append((space, centres[0], (inside + x1) / 2))
    return cuts


def _rows_above(lines: Sequence[OcrLine], block: ColumnBlock) -> ColumnBlock:
    """`block` grown upwards by the rows just above it that can be cut into two parts
    centred on its columns (the module docstring says why they have no gap)."""
    centres = _column_centres(lines, block)
    cuts = list(block.cuts)
    start = block.start
    while start > 0 and (cut := _centred_cut(lines[start - 1], centres)) is not None:
        start -= 1
        cuts.insert(0, (start, cut))
    if start == block.start:
        return block
    return ColumnBlock(start, block.stop, block.lo, block.hi,
                       block.two_sided + block.start - start, tuple(cuts))


def header_block(lines: Sequence[OcrLine]) -> ColumnBlock | None:
    """The two-column header: the block with the most two-sided lines (at least two,
    earliest first on a tie) starting among the page's first lines, rows without a gap
    above it joined to it, with only short lines (a form number in a corner) before it:
    a block under a full body line is part of the body."""
    if not lines:
        return None
    x0 = min(ln.box[0] for ln in lines)
    width = max(ln.box[0] + ln.box[2] for ln in lines) - x0
    best: ColumnBlock | None = None
    for start in range(min(HEADER_START_LINES, len(lines))):
        for lo, hi in wide_gaps(lines[start]):
            block = _grow(lines, start, lo, hi)
            if block.two_sided < 2:
                continue
            block = _rows_above(lines, block)
            if any(ln.box[2] > SHORT_LINE * width for ln in lines[:block.start]):
                continue
            if best is None or block.two_sided > best.two_sided:
                best = block
    return best


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


__all__ = ["ColumnBlock", "closing_block", "header_block", "split_paragraphs", "wide_gaps"]
