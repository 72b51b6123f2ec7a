"""Received-stamps: ruled boxes pressed over the page, whose words are not the page's.

An office stamps each incoming document (`CV ĐẾN`, `Số: …`, `Ngày: …`, filled in by
hand) in black or blue ink, often over the first lines. Tesseract reads the stamp's
print and handwriting as garbage words and glues them to the text lines beside it. The
stamp is one connected stroke of ink: a frame far taller than a text line and far
narrower than the page, with ink along all four of its sides. Words whose centre lies
inside such a frame, and that read badly there (a small table of clean print reads
well), are left out of the text, but for the page's own words that the stamp was
pressed over, where their line runs on out of the frame.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypeVar

import numpy as np

from vnocr.ocr.margins import side_edges
from vnocr.ocr.rules import PageRules

Box = tuple[int, int, int, int]  # left, top, width, height


class _Word(Protocol):
    block: int
    par: int
    line: int
    left: int
    top: int
    width: int
    height: int
    conf: float


T = TypeVar("T", bound=_Word)

# A frame is at least this many text lines tall (a stamp has 3-4 rows of fields)…
MIN_LINES = 2.5
# …at most this share of the page's height and width (a table across the text is wider)…
MAX_HEIGHT = 0.25
MAX_WIDTH = 0.45
# …with rules across this share of its width above and below, and uprights over this
# share of its height on both sides.
LEVEL_COVER = 0.8
UPRIGHT_COVER = 0.5
# The words inside read worse than this on average (0..1) for the box to be a stamp:
# a stamp's print and handwriting read 0.3-0.7, a small table of print over 0.9.
STAMP_CONF = 0.8
# Or this many of them read under `SCRAWL_CONF` (clean print reads 0.8-0.97): handwriting,
# what a received-stamp is filled in with.
SCRAWL_CONF = 0.6
SCRAWL_WORDS = 2
# A word inside a stamp is the page's own where it continues a line of the page that runs
# out of the frame (a stamp pressed over the first words of the body): on that line's
# row, no further from its neighbour than this many line heights and within the page's
# text margins (a stamp's own field label beside the text lies in the margin; see
# _text_edges); of those, the words read at least this well (0..1) are kept.
CONTINUES_GAP = 2.0
CONTINUES_CONF = 0.5


def _is_frame(mask: np.ndarray) -> bool:
    """Whether a component of ruled strokes (its own box cut out) is a frame: a rule
    across nearly its whole width in its upper half and in its lower half, and an
    upright rule over at least half its height near each side (a stamp pressed unevenly
    loses stretches of its sides, and its uprights may overshoot the rules)."""
    h, w = mask.shape
    rows = mask.mean(axis=1)
    cols = mask.mean(axis=0)
    side = max(1, w // 4)
    return bool(rows[: h // 2].max(initial=0) >= LEVEL_COVER
                and rows[h // 2:].max(initial=0) >= LEVEL_COVER
                and cols[:side].max(initial=0) >= UPRIGHT_COVER
                and cols[-side:].max(initial=0) >= UPRIGHT_COVER)


def frame_boxes(rules: PageRules, line_height: float) -> list[Box]:
    """Boxes (in the page's pixels) of the ruled frames at most stamp-sized on the page
    whose ruled strokes are `rules` (`vnocr.ocr.rules.page_rules`)."""
    f = rules.scale
    n, labels, stats = rules.components
    sh, sw = rules.joined.shape
    found = []
    for k in range(1, n):
        x, y, bw, bh = (int(v) for v in stats[k, :4])
        if not (MIN_LINES * line_height * f <= bh <= MAX_HEIGHT * sh and bh <= bw <= MAX_WIDTH * sw):
            continue
        if not _is_frame(labels[y:y + bh, x:x + bw] == k):
            continue
        found.append((round(x / f), round(y / f), round(bw / f), round(bh / f)))
    return found


def _inside(box: Box, frame: Box) -> bool:
    cx, cy = box[0] + box[2] / 2, box[1] + box[3] / 2
    return frame[0] <= cx <= frame[0] + frame[2] and frame[1] <= cy <= frame[1] + frame[3]


def stamp_boxes(frames: Sequence[Box], words: Sequence[tuple[Box, float]]) -> list[Box]:
    """The `frames` whose words (box, confidence 0..1) read badly on average, or hold
    handwriting (a few words read as garbage): stamps."""
    out = []
    for frame in frames:
        confs = [c for box, c in words if _inside(box, frame)]
        scrawl = sum(c < SCRAWL_CONF for c in confs)
        if not confs or sum(confs) / len(confs) < STAMP_CONF or scrawl >= SCRAWL_WORDS:
            out.append(frame)
    return out


def split_stamped(words: Sequence[T], rules: PageRules | None, x_height: float | None
                  ) -> tuple[list[T], list[Box]]:
    """Tesseract's `words` (left/top/width/height/conf 0..100, in the page's pixels)
    without those inside a stamp, and the stamps' boxes; `rules`: the page's ruled
    strokes two x-heights long. A page without measured print (`x_height` None) has
    nothing to compare a frame's height with: left as read."""
    if not x_height or not words or rules is None:
        return list(words), []
    frames = frame_boxes(rules, 2.0 * x_height)
    if not frames:
        return list(words), []
    boxes = [((w.left, w.top, w.width, w.height), w.conf / 100.0) for w in words]
    stamps = stamp_boxes(frames, boxes)
    stamped = [any(_inside(box, s) for s in stamps) for box, _ in boxes]
    if any(stamped):
        for k in _continuing_lines(words, stamped):
            stamped[k] = False
    return [w for w, out in zip(words, stamped, strict=True) if not out], stamps


def _text_edges(
    words: Sequence[T], stamped: list[bool], lines: dict[tuple[int, int, int], list[int]]
) -> tuple[float, float]:
    """`margins.side_edges` of the page's lines as read, less their stamped words."""
    spans = []
    for members in lines.values():
        kept = [words[k] for k in members if not stamped[k]]
        if len(kept) >= 3:
            spans.append((min(w.left for w in kept), max(w.left + w.width for w in kept)))
    return side_edges(spans)


def _continuing_lines(words: Sequence[T], stamped: list[bool]) -> set[int]:
    """The stamped words (indexes into `words`) that continue a line of the page out of
    the frame (see CONTINUES_GAP): chained from the line's words outside, each near the
    one before, on their row, within the text margins, and read well enough."""
    lines: dict[tuple[int, int, int], list[int]] = {}
    for k, w in enumerate(words):
        lines.setdefault((w.block, w.par, w.line), []).append(k)
    found: set[int] = set()
    left, right = _text_edges(words, stamped, lines)
    for members in lines.values():
        outside = [k for k in members if not stamped[k]]
        if not outside or len(outside) == len(members):
            continue
        members.sort(key=lambda k: words[k].left)
        height = float(np.median([words[k].height for k in outside]))
        limit = CONTINUES_GAP * height
        row = float(np.median([words[k].top + words[k].height / 2 for k in outside]))
        for rightwards in (True, False):
            near: T | None = None  # the last word of the chain
            for k in members if rightwards else reversed(members):
                w = words[k]
                if not stamped[k]:
                    near = w
                    continue
                if near is None:
                    continue
                gap = (w.left - near.left - near.width if rightwards
                       else near.left - w.left - w.width)
                if (gap <= limit and left - height <= w.left
                        and w.left + w.width <= right + height
                        and abs(w.top + w.height / 2 - row) <= 0.5 * height):
                    if w.conf / 100.0 >= CONTINUES_CONF:  # one crossed by a rule reads
                        found.add(k)                      # as garbage: left out, passed
                    near = w
                else:
                    near = None  # the chain ends; the rest of this run is the stamp's
    return found


__all__ = ["frame_boxes", "split_stamped", "stamp_boxes"]
