"""A page's ruled strokes: the rules of received-stamps' frames and of tables.

Both look for level and upright strokes at least two x-heights long, which no letter
has (`vnocr.ocr.stamps` for frames, `vnocr.ocr.tables` for grids). They are found once
a page, on a copy at most `WORK_WIDTH` wide, where an opening costs a fraction of the
full page's. At 1,200 px the rendered table and administrative pages
(`scripts/bench_layout.py --kind table`, `--kind admin`) read as with tables searched
at 1,600; at 1,600 the frame of a real scan's stamp breaks apart (its gaps outgrow the
5 x 5 join).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import cv2
import numpy as np

from vnocr.ocr.ink import dark_ink, ink_components

WORK_WIDTH = 1200  # px


@dataclass(frozen=True)
class PageRules:
    """The ruled strokes of a page at `scale` (work copy pixels per page pixel): level
    and upright ones (1), and both thickened so a rule's small breaks (a worn stamp,
    a scan) are joined (`joined`)."""

    level: np.ndarray
    upright: np.ndarray
    joined: np.ndarray
    scale: float

    @cached_property
    def components(self) -> tuple[int, np.ndarray, np.ndarray]:
        """(count, labels, stats) of `joined`'s connected strokes, labelled once for the
        frame search and the table search (`vnocr.ocr.ink.ink_components`)."""
        return ink_components(self.joined)


def page_rules(gray: np.ndarray, line_height: float, work_width: int = WORK_WIDTH) -> PageRules:
    """The ruled strokes of the page `gray` at least `line_height` page pixels long."""
    h, w = gray.shape
    f = min(1.0, work_width / w)
    small = cv2.resize(gray, (round(w * f), round(h * f)), interpolation=cv2.INTER_AREA) \
        if f < 1.0 else gray
    ink = dark_ink(small)
    run = max(5, round(line_height * f))
    level = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, run), np.uint8))
    upright = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((run, 1), np.uint8))
    joined = cv2.dilate(level | upright, np.ones((5, 5), np.uint8))
    return PageRules(level, upright, joined, f)
