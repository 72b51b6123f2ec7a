"""Page numbers, and specks in the side margins.

Page numbers — a lone number centred in the top or bottom margin — are page furniture,
not text: in the text stream they land between the last line of one page and the first
of the next, inside a sentence. They are taken out of the stream and kept with the
page's data. A lone mark in a side margin, away from every line of text (a stamp's
stroke, a punch hole's rim, dust read as `q` or `T`), is no text at all.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from vnocr.ocr.layout import OcrLine

# `3`, `- 3 -`, `– 12 –`, `3.`: the ways a page number is printed.
_PAGE_NUMBER = re.compile(r"^[-–—.(\s]*\d{1,4}[-–—.)\s]*$")
# How far from the centre of the text a page number may sit, as a share of the text width.
CENTRE_TOLERANCE = 0.1
# How far from its neighbour a page number stands, in its own heights, at the least.
ISOLATION = 1.5


def _centre_x(line: OcrLine) -> float:
    return line.box[0] + line.box[2] / 2


def page_number_lines(lines: Sequence[OcrLine]) -> list[int]:
    """Indices (into `lines`) of the page numbers: the topmost or bottommost line of the
    page when it is a lone number, centred on the text and set apart from the rest."""
    if len(lines) < 3:
        return []
    by_top = sorted(range(len(lines)), key=lambda i: lines[i].box[1])
    x0 = min(ln.box[0] for ln in lines)
    x1 = max(ln.box[0] + ln.box[2] for ln in lines)
    centre, width = (x0 + x1) / 2, x1 - x0
    found = []
    for idx, neighbour in ((by_top[0], by_top[1]), (by_top[-1], by_top[-2])):
        line, other = lines[idx], lines[neighbour]
        if not _PAGE_NUMBER.match(line.text):
            continue
        if abs(_centre_x(line) - centre) > CENTRE_TOLERANCE * width:
            continue
        top, bottom = line.box[1], line.box[1] + line.box[3]
        gap = (other.box[1] - bottom) if idx == by_top[0] else (top - other.box[1] - other.box[3])
        if gap >= ISOLATION * line.box[3]:
            found.append(idx)
    return found


def side_edges(spans: Sequence[tuple[float, float]]) -> tuple[float, float]:
    """Where a page's lines begin and end, from the (start, end) of its lines of three
    words or more: the 10th percentile of the starts and the 90th of the ends (centred
    headings and indented first lines lie inside); unbounded without such lines."""
    if not spans:
        return -np.inf, np.inf
    starts, ends = zip(*spans)
    return float(np.percentile(starts, 10)), float(np.percentile(ends, 90))


def margin_specks(lines: Sequence[OcrLine]) -> list[int]:
    """Indices (into `lines`) of the lines of at most one letter, no digit, lying wholly
    outside the text's side edges (`side_edges`) by more than their own height. A list
    label (`a)`) stands at the edge, not beyond it."""
    boxes = [ln.box for ln in lines]  # each a union of its words' boxes: taken once
    spans = [(x, x + w) for (x, _, w, _), ln in zip(boxes, lines) if len(ln.words) >= 3]
    if len(spans) < 3:
        return []
    left, right = side_edges(spans)
    found = []
    for i, (line, (x, _, w, h)) in enumerate(zip(lines, boxes)):
        marks = "".join(ch for ch in line.text if ch.isalnum())
        if len(marks) <= 1 and not marks.isdigit() and (x + w < left - h or x > right + h):
            found.append(i)
    return found


__all__ = ["margin_specks", "page_number_lines", "side_edges"]
