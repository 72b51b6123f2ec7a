"""Received-stamps: ruled boxes pressed over the page, whose words are not the page's.

An office stamps each incoming document (`CV ĐẾN`, `Số: …`, `Ngày: …`, filled in by
hand) in black or blue ink, often over the first lines. Tesseract reads the stamp's
print and handwriting as garbage words and glues them to the text lines beside it. The
stamp is one connected stroke of ink: a frame far taller than a text line and far
narrower than the page, with ink along all four of its sides. Words whose centre lies
inside such a frame, and that read badly there (a small table of clean print reads
well), are left out of the text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypeVar

import cv2
import numpy as np

Box = tuple[int, int, int, int]  # left, top, width, height


class _Word(Protocol):
    left: int
    top: int
    width: int
    height: int
    conf: float


T = TypeVar("T", bound=_Word)

_WORK_WIDTH = 1200  # px: the frame search runs on a copy this wide
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


def page_ink(gray: np.ndarray, work_width: int = _WORK_WIDTH) -> tuple[np.ndarray, float]:
    """The page's ink (1) on a copy at most `work_width` wide, and that copy's scale:
    rules are found at this size, where an opening costs a fraction of the full page's."""
    h, w = gray.shape
    f = min(1.0, work_width / w)
    small = cv2.resize(gray, (round(w * f), round(h * f)), interpolation=cv2.INTER_AREA) \
        if f < 1.0 else gray
    _, ink = cv2.threshold(small, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return ink, f


def ruled_strokes(ink: np.ndarray, line_height: float) -> tuple[np.ndarray, np.ndarray]:
    """The level and the upright strokes of `ink` at least a line height long: rules of
    a frame or a table, never letters."""
    run = max(5, round(line_height))
    level = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, run), np.uint8))
    upright = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((run, 1), np.uint8))
    return level, upright


def _rules(ink: np.ndarray, line_height: float) -> np.ndarray:
    """The page's ruled strokes, level or upright, joined across the small breaks a
    worn stamp or a scan leaves in them. Text touching a frame is no part of it, so the
    frame keeps its own box."""
    level, upright = ruled_strokes(ink, line_height)
    return cv2.dilate(level | upright, np.ones((5, 5), np.uint8))


def frame_boxes(gray: np.ndarray, line_height: float) -> list[Box]:
    """Boxes (in `gray`'s pixels) of the ruled frames at most stamp-sized on the page."""
    ink, f = page_ink(gray)
    rules = _rules(ink, line_height * f)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(rules, connectivity=8)
    sh, sw = ink.shape
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


def split_stamped(image: np.ndarray, words: Sequence[T], x_height: float | None
                  ) -> tuple[list[T], list[Box]]:
    """Tesseract's `words` (left/top/width/height/conf 0..100, in `image`'s pixels)
    without those inside a stamp, and the stamps' boxes. A page without measured print
    (`x_height` None) has nothing to compare a frame's height with: left as read."""
    if not x_height or not words:
        return list(words), []
    frames = frame_boxes(image, 2.0 * x_height)
    if not frames:
        return list(words), []
    boxes = [((w.left, w.top, w.width, w.height), w.conf / 100.0) for w in words]
    stamps = stamp_boxes(frames, boxes)
    kept = [w for w, (box, _) in zip(words, boxes, strict=True)
            if not any(_inside(box, s) for s in stamps)]
    return kept, stamps


__all__ = ["frame_boxes", "page_ink", "ruled_strokes", "split_stamped", "stamp_boxes"]
