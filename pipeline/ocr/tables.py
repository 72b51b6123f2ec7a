"""Ruled tables, read cell by cell, each row one line.

Administrative reports and appendices are full of ruled tables (`STT | Nội dung | Đơn
vị tính | Số lượng …`). Tesseract's page segmentation reads them across the cells: it
reads the rules as `|` glued to the words beside them (`SLT|`), splits a cell set on
two lines into two text lines far apart, and joins the cells of one row with the
second line of another. A table is found from its rules (level and upright strokes
longer than a text line, `vnocr.ocr.rules`): rules across most of a ruled
region's width and height cut it into a grid, and a grid of at least 2 x 2 cells, most
of them closed on all four sides, is a table. A received-stamp's frame is ruled too,
but its fields are open on one side (a title strip over a split box): it is no grid.

Each word Tesseract read goes to the cell holding its centre, and a table's words are
written row by row, each row's cells left to right (`tabulate`); a rule read as `|`
beside a word is cut off. No extra Tesseract call. Whitening the rules before Tesseract
reads the page was measured and left out: on the six rendered table pages it helped
the clean ones (10 → 5 errors) but cost the scanned and photocopied ones far more
(98 → 147), whose speckle Tesseract then reads as text in the open cells.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace

import cv2
import numpy as np

from vnocr.ocr._tesseract import TsvWord
from vnocr.ocr.rules import PageRules

log = logging.getLogger(__name__)

Box = tuple[int, int, int, int]  # left, top, width, height

# A level rule runs across at least this share of its region's width, an upright one
# down this share of its height (a header cell spanning two columns breaks an upright).
RULE_COVER = 0.6
# A cell is closed when rules run along this share of each of its four sides…
SIDE_COVER = 0.8
# …and a grid is a table when this share of its cells are closed.
CLOSED_SHARE = 0.75
# Each row at least this many text lines tall (a rule under a word is no row).
MIN_ROW_LINES = 1.0
# What Tesseract reads an upright rule as, glued to a cell's word (`SLT|`) or alone.
RULE_MARKS = "|_"
# Block numbers of table rows in the words `tabulate` writes: above any of Tesseract's.
TABLE_BLOCK = 100_000


@dataclass(frozen=True, slots=True)
class Table:
    """A ruled table: the x of its upright rules and the y of its level rules, left to
    right and top to bottom, in the pixels of the page it was found on."""

    xs: tuple[int, ...]
    ys: tuple[int, ...]

    @property
    def box(self) -> Box:
        return (self.xs[0], self.ys[0], self.xs[-1] - self.xs[0], self.ys[-1] - self.ys[0])

    @property
    def shape(self) -> tuple[int, int]:
        """(rows, columns)."""
        return len(self.ys) - 1, len(self.xs) - 1

    def cell_box(self, row: int, col: int) -> Box:
        return (self.xs[col], self.ys[row], self.xs[col + 1] - self.xs[col],
                self.ys[row + 1] - self.ys[row])

    def cell_boxes(self) -> tuple[tuple[Box, ...], ...]:
        """Every cell's box, row by row, left to right."""
        rows, cols = self.shape
        return tuple(tuple(self.cell_box(r, c) for c in range(cols)) for r in range(rows))

    def cell_at(self, x: float, y: float) -> tuple[int, int] | None:
        """(row, column) of the cell holding (x, y); None outside the table."""
        if not (self.xs[0] <= x < self.xs[-1] and self.ys[0] <= y < self.ys[-1]):
            return None
        return (int(np.searchsorted(self.ys, y, side="right")) - 1,
                int(np.searchsorted(self.xs, x, side="right")) - 1)


def _rule_centres(cover: np.ndarray, least: float) -> list[int]:
    """Centres of the runs of positions whose `cover` (0..1) reaches `least`."""
    hit = np.flatnonzero(cover >= least)
    if not len(hit):
        return []
    runs = np.split(hit, np.flatnonzero(np.diff(hit) > 1) + 1)
    return [round(float(r.mean())) for r in runs]


def _closed_share(level: np.ndarray, upright: np.ndarray, xs: list[int], ys: list[int]) -> float:
    """The share of the grid's cells with rules along all four sides (masks cut to
    the grid's region, rules thickened so a rule a pixel off still counts)."""
    level = cv2.dilate(level, np.ones((5, 1), np.uint8))
    upright = cv2.dilate(upright, np.ones((1, 5), np.uint8))
    closed = 0
    for top, bottom in itertools.pairwise(ys):
        for left, right in itertools.pairwise(xs):
            sides = (level[top, left:right].mean(), level[bottom, left:right].mean(),
                     upright[top:bottom, left].mean(), upright[top:bottom, right].mean())
            closed += min(sides) >= SIDE_COVER
    return closed / ((len(xs) - 1) * (len(ys) - 1))


def find_tables(rules: PageRules, line_height: float) -> list[Table]:
    """The ruled tables of the page whose ruled strokes (`line_height` page pixels long
    at least) are `rules`, top to bottom, in the page's pixels."""
    level, upright, f = rules.level, rules.upright, rules.scale
    n, _, stats = rules.components
    found = []
    for k in range(1, n):
        x, y, w, h = (int(v) for v in stats[k, :4])
        if w < 4 * line_height * f or h < 2 * MIN_ROW_LINES * line_height * f:
            continue
        lv, up = level[y:y + h, x:x + w], upright[y:y + h, x:x + w]
        ys = _rule_centres(cv2.dilate(lv, np.ones((3, 1), np.uint8)).mean(axis=1), RULE_COVER)
        xs = _rule_centres(cv2.dilate(up, np.ones((1, 3), np.uint8)).mean(axis=0), RULE_COVER)
        # rows too close together are one rule drawn double (or a rule and its shadow)
        ys = [v for i, v in enumerate(ys) if i == 0 or v - ys[i - 1] >= MIN_ROW_LINES * line_height * f]
        if len(xs) < 3 or len(ys) < 3 or _closed_share(lv, up, xs, ys) < CLOSED_SHARE:
            continue
        found.append(Table(tuple(round((x + v) / f) for v in xs),
                           tuple(round((y + v) / f) for v in ys)))
    found.sort(key=lambda t: t.ys[0])
    if found:
        log.debug("tables: %s", [t.shape for t in found])
    return found


def tabulate(words: Sequence[TsvWord], tables: Sequence[Table]) -> list[TsvWord]:
    """`words` (Tesseract's order) with each table's words moved together to where its
    first word was read: one text line per table row (a block of its own per table,
    `TABLE_BLOCK` up), its cells left to right (`cell` set), a cell's words in
    Tesseract's order. A word goes to the cell holding its centre; `RULE_MARKS` at its
    ends are a rule read with it, cut off. A word of nothing else is a rule when it
    lies within a quarter of its height of an upright rule (dropped), else a glyph read so (a
    `1` read as `|` in the STT column stays)."""
    if not tables:
        return list(words)
    placed: list[tuple[int, int, int] | None] = []
    for w in words:
        cx, cy = w.left + w.width / 2, w.top + w.height / 2
        placed.append(next(((t, *cell) for t, table in enumerate(tables)
                            if (cell := table.cell_at(cx, cy)) is not None), None))
    out: list[TsvWord] = []
    emitted: set[int] = set()
    for w, where in zip(words, placed, strict=True):
        if where is None:
            out.append(w)
            continue
        if where[0] in emitted:
            continue
        emitted.add(where[0])
        inside = sorted((p[1], p[2], k) for k, p in enumerate(placed) if p and p[0] == where[0])
        table = tables[where[0]]
        for row, col, k in inside:
            w = words[k]
            text = w.text.strip(RULE_MARKS)
            if not text and min(abs(w.left + w.width / 2 - x) for x in table.xs) < w.height / 4:
                continue
            out.append(replace(w, text=text or w.text, block=TABLE_BLOCK + where[0], par=0,
                               line=row, cell=col))
    return out


__all__ = ["Table", "find_tables", "tabulate"]
