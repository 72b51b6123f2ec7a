"""The page's lines in the order a reader takes them, debris and page numbers set aside.

Tesseract's order is kept everywhere except where the page's layout says otherwise:
a paragraph it reads after one lying wholly below it, in the same stretch of the page's
width, is read first (`top_down`: Tesseract sometimes finds a centred subtitle block
after the first body block under it); detached accent lines (`debris`) are dropped,
and a dot below read as a line of its own goes back on its word (`dots`);
page numbers (`margins`) leave the text for the page's data, and the two-column header
and signature blocks (`columns`) are read column by column. Paragraphs Tesseract found
stay as they were outside those blocks. The rows of a ruled table (`tables`) stay as
they are: they are neither debris nor page numbers, and a header or signature block
never reaches into a table (its cells leave the same wide gaps a two-column block does).
"""

from __future__ import annotations

import heapq
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from vnocr.ocr.columns import ColumnBlock, closing_block, header_block, split_paragraphs
from vnocr.ocr.debris import debris_lines
from vnocr.ocr.dots import dots_below
from vnocr.ocr.layout import Box, OcrLine, OcrParagraph
from vnocr.ocr.margins import margin_specks, page_number_lines

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Arranged:
    """Paragraphs in reading order, and what was taken out of the text."""

    paragraphs: tuple[OcrParagraph, ...]
    page_numbers: tuple[OcrLine, ...]
    debris: tuple[OcrLine, ...]


# A paragraph is read before an earlier one when its bottom is at most this many of its
# own line heights below the other's top (boxes of adjacent lines touch or overlap a
# little), and the two share at least this part of the narrower one's width.
ABOVE_SLACK = 0.5
MIN_SHARED_WIDTH = 0.5


def _reads_before(upper: tuple[Box, float], lower: tuple[Box, float]) -> bool:
    """Whether the paragraph `upper` lies wholly above `lower` in a shared stretch of the
    page's width; each given as (box, line height)."""
    (ux, uy, uw, uh), line_height = upper
    (lx, ly, lw, _), _ = lower
    if uy + uh - ly > ABOVE_SLACK * line_height:
        return False
    shared = min(ux + uw, lx + lw) - max(ux, lx)
    return shared >= MIN_SHARED_WIDTH * min(uw, lw) > 0


def top_down(paragraphs: Sequence[OcrParagraph]) -> list[OcrParagraph]:
    """`paragraphs` in Tesseract's order, except that one lying wholly above an earlier
    one it shares the width with comes before it (a topological order that keeps
    Tesseract's wherever it is free to: its columns stay as they are)."""
    boxes = [p.box for p in paragraphs]
    placed = [(box, box[3] / len(p.lines)) for box, p in zip(boxes, paragraphs, strict=True)]
    n = len(paragraphs)
    waits_for = [0] * n
    frees: list[list[int]] = [[] for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            if _reads_before(placed[j], placed[i]):
                waits_for[i] += 1
                frees[j].append(i)
    if not any(waits_for):
        return list(paragraphs)
    ready = [i for i in range(n) if not waits_for[i]]
    heapq.heapify(ready)
    order = []
    while ready:
        i = heapq.heappop(ready)
        order.append(i)
        for k in frees[i]:
            waits_for[k] -= 1
            if not waits_for[k]:
                heapq.heappush(ready, k)
    return [paragraphs[i] for i in order]


def arrange(paragraphs: tuple[OcrParagraph, ...]) -> Arranged:
    """Reading order of a page's paragraphs (see the module docstring)."""
    paragraphs = tuple(top_down(paragraphs))
    lines: list[OcrLine] = []
    par_of: list[int] = []
    for k, par in enumerate(paragraphs):
        lines.extend(par.lines)
        par_of.extend([k] * len(par.lines))
    mended, dots = dots_below(lines)
    for i, line in mended.items():
        lines[i] = line
    rows = {i for i, ln in enumerate(lines) if ln.cells}
    junk = (set(debris_lines(lines)) | set(dots) | set(margin_specks(lines))) - rows
    numbers = set(page_number_lines([ln for i, ln in enumerate(lines) if i not in junk]))
    kept_idx = [i for i in range(len(lines)) if i not in junk]
    numbers = {kept_idx[j] for j in numbers} - rows
    keep = [i for i in kept_idx if i not in numbers]
    body = [lines[i] for i in keep]
    in_table = [k for k, ln in enumerate(body) if ln.cells]
    # Each output group: a tag (Tesseract's paragraph, or a column of a block) and lines.
    groups: list[tuple[object, list[OcrLine]]] = []

    def add(tag: object, line: OcrLine) -> None:
        if groups and groups[-1][0] == tag:
            groups[-1][1].append(line)
        else:
            groups.append((tag, [line]))

    def add_block(block: ColumnBlock, name: str) -> None:
        left, right = block.left_and_right(body)
        for side, column in (("left", left), ("right", right)):
            for n, par in enumerate(split_paragraphs(column)):
                for line in par:
                    add((name, side, n), line)

    head = header_block(body[:in_table[0]] if in_table else body)
    tail = closing_block(body, max(head.stop if head else 0, in_table[-1] + 1 if in_table else 0))
    i = 0
    while i < len(body):
        if head is not None and i == head.start:
            add_block(head, "header")
            i = head.stop
        elif tail is not None and i == tail.start:
            add_block(tail, "closing")
            i = tail.stop
        else:
            add(par_of[keep[i]], body[i])
            i += 1
    if junk or numbers or head or tail:
        log.debug("reading order: %d debris lines, %d page numbers, header %s, closing %s",
                  len(junk), len(numbers), head, tail)
    return Arranged(
        tuple(OcrParagraph(tuple(ls)) for _, ls in groups),
        tuple(lines[i] for i in sorted(numbers)),
        tuple(lines[i] for i in sorted(junk)),
    )


__all__ = ["Arranged", "arrange", "top_down"]
