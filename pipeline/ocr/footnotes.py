"""Footnote markers: small raised digits printed right after a word (`Thuấn¹`).

Tesseract's `vie` reads such a digit as a glyph glued to the word (`thời"`, `vị”`,
`Thuấnš`, `pho!`) or drops it. Both lose the marker, and a glued glyph also spoils the
word. The marker is found from the page's ink, not from the text: past the last column
where the word's ink comes down to its line's baseline, ink whose bottom sits well
above the baseline and that stands about as tall as a lowercase letter (accents,
horns and quotes are shorter or sit over the letters). Each such patch is read again
on its own as digits; one that reads as one to three digits becomes a word of its own
after the word (the convention of the transcribed pages: `Thuấn 1`), and the glyphs
Tesseract glued for it are taken off the word.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from itertools import groupby

import cv2
import numpy as np

from vnocr.ocr._tesseract import TsvWord
from vnocr.ocr.ink import dark_ink, ink_components
from vnocr.text import is_vietnamese_syllable

Box = tuple[int, int, int, int]  # left, top, width, height (image pixels)

# All sizes are in x-heights of the word's line. A marker's bottom lies at least this far
# above the baseline: the rendered book pages raise it by 0.7-0.9 (a photocopy's spread
# ink makes the line's x-height look taller); blobs joined to a letter (the horns of ư,
# ơ, the arm of y) reach down to the baseline and never qualify.
RAISE = 0.5
# Its ink is at least this tall: superscript digits 0.7-0.9, horns and hooks 0.2-0.5.
MIN_HEIGHT = 0.6
MAX_HEIGHT = 1.6
# It is looked for up to this far above the baseline (the line above begins past it)…
BAND = 2.1
# …and up to this far right of the word's box (the next word's box ends the search).
REACH = 1.5
# Ink this near the baseline (or below it) belongs to the word's letters.
BODY = 0.5
MIN_X_HEIGHT = 4  # pixels: lower blobs are dots, rules and dust, not letters
# Of the blobs standing on the baseline, this quantile of heights is the x-height: the
# taller ones are capitals, ascenders and letters merged with their accents.
X_QUANTILE = 0.25
# A line's x-height is at least this share of its words' median box height (book
# pages: 0.5-0.7); less means its letters were not found as blobs of their own.
MIN_X_SHARE = 0.35
# Specks of fewer pixels than this share of an x-height squared are dust.
SPECK = 0.02
# A marker is one to three digits, read with at least this confidence (0..100).
DIGITS_CONF = 60.0
# A patch is cut out with this many pixels of its surroundings, and set on the strip with
# this many pixels of white (before it is doubled) above and below.
EDGE = 2
PAD_Y = 6

# Punctuation a word may carry after and before its letters with no marker glued to it.
_TRAILING = ".,;:)]"
_LEADING = "([\"“‘'"

ReadDigits = Callable[[np.ndarray], Sequence[TsvWord]]


@dataclass(frozen=True, slots=True)
class Marker:
    """A raised patch of ink after `words[index]`, and how much of it lies inside that
    word's box (pixels of width; > 0 when Tesseract read it as part of the word)."""

    index: int
    box: Box
    inside: int


def _line_marker(ink: np.ndarray, line: Sequence[TsvWord], k: int, baseline: float,
                 xh: float) -> Box | None:
    """The raised patch after `line[k]`, if there is one."""
    w = line[k]
    end = w.left + w.width
    limit = line[k + 1].left if k + 1 < len(line) else end + round(2 * xh)
    x0, x1 = w.left, max(end, min(limit, end + round(REACH * xh)))
    y0, y1 = max(0, round(baseline - BAND * xh)), round(baseline + 0.2 * xh)
    crop = ink[y0:y1, x0:x1]
    body_rows = crop[max(0, round(baseline - BODY * xh) - y0):, :]
    if body_rows.size == 0:
        return None
    # the rightmost column with ink in the body rows (one OpenCV call: this runs per word)
    body_left, _, body_width, _ = cv2.boundingRect(body_rows)
    if body_width == 0:
        return None
    body_right = body_left + body_width - 1
    # A marker lies wholly above `baseline - RAISE * xh`, off the crop's top row, and
    # reaches right of `body_right` (its centre lies past it): without ink there,
    # labelling the crop finds nothing, and most words have none.
    if not crop[1:max(1, math.ceil(baseline - RAISE * xh) - y0), body_right:].any():
        return None
    n, _, stats = ink_components(crop)
    parts = []
    for left, top, width, height, area in stats[1:n]:
        if area < SPECK * xh * xh or top == 0:  # dust, or reaching up from the line above
            continue
        if left + width / 2 <= body_right:  # over the letters: an accent, a horn
            continue
        if y0 + top + height > baseline - RAISE * xh:
            continue
        if height < MIN_HEIGHT * xh:  # an accent, a quote, dust: each digit is this tall
            continue
        parts.append((left, top, width, height))
    if not parts:
        return None
    left = min(p[0] for p in parts)
    top = min(p[1] for p in parts)
    right = max(p[0] + p[2] for p in parts)
    bottom = max(p[1] + p[3] for p in parts)
    if bottom - top > MAX_HEIGHT * xh or right - left > 3 * xh:
        return None
    return (x0 + left, y0 + top, right - left, bottom - top)


def _line_metrics(letters: np.ndarray, line: Sequence[TsvWord]) -> tuple[float, float] | None:
    """The line's baseline (image row) and x-height (pixels) from its ink blobs
    (`letters`: left, top, width, height of each): most blobs are letters standing on
    the baseline, and most of those are as tall as an `x`. Measured per line because
    print sizes differ on one page (footnotes are smaller) and because the page's own
    estimate is thrown off by photocopy toner. None for a line without letters."""
    left = min(w.left for w in line)
    top = min(w.top for w in line)
    right = max(w.left + w.width for w in line)
    bottom = max(w.top + w.height for w in line)
    cx = letters[:, 0] + letters[:, 2] / 2
    cy = letters[:, 1] + letters[:, 3] / 2
    mine = letters[(cx >= left) & (cx < right) & (cy >= top) & (cy < bottom)
                   & (letters[:, 3] >= MIN_X_HEIGHT)]
    if len(mine) == 0:
        return None
    feet = mine[:, 1] + mine[:, 3]
    baseline = float(np.median(feet))
    standing = mine[np.abs(feet - baseline) <= max(2.0, 0.1 * (bottom - top))]
    if len(standing) == 0:  # an even count of blobs, their feet far apart: no baseline
        return None
    x_height = float(np.quantile(standing[:, 3], X_QUANTILE))
    # Letters merged into larger blobs (touching the line above or below) leave only
    # accents and dots: a "baseline" high in the words' boxes and a tiny x-height.
    word_top = statistics.median(w.top for w in line)
    word_height = statistics.median(w.height for w in line)
    if baseline < word_top + 0.5 * word_height or x_height < MIN_X_SHARE * word_height:
        return None
    return baseline, x_height


def _blobs(ink: np.ndarray) -> np.ndarray:
    """Boxes (left, top, width, height) of the page's connected ink blobs."""
    n, _, stats = ink_components(ink)
    return stats[1:n, :4].astype(np.int64)


def find_markers(image: np.ndarray, words: Sequence[TsvWord],
                 blobs: np.ndarray | None = None, ink: np.ndarray | None = None,
                 ) -> list[Marker]:
    """Raised patches of ink right after words (see the module docstring), in word
    order. `blobs`, `ink`: the boxes of `image`'s `dark_ink` blobs and that mask,
    where preprocessing made them already (`Preprocessed.ink_blobs`, `.ink_mask`)."""
    if ink is None:
        ink = dark_ink(image)  # grey, as Tesseract gets it
    letters = _blobs(ink) if blobs is None else blobs
    found = []
    index = 0
    for _, grouped in groupby(words, key=lambda w: (w.block, w.par, w.line)):
        line = list(grouped)
        metrics = _line_metrics(letters, line)
        for k, w in enumerate(line if metrics else ()):
            box = _line_marker(ink, line, k, *metrics)
            if box is not None:
                inside = max(0, w.left + w.width - box[0])
                found.append(Marker(index + k, box, inside))
        index += len(line)
    return found


def _strip(image: np.ndarray, boxes: Sequence[Box]) -> tuple[np.ndarray, list[int]]:
    """The patches at `boxes` side by side on white, at twice their size (Tesseract's
    models expect letters taller than a superscript), far enough apart to be read as
    words of their own, and the x-centre of each on the strip: one Tesseract call reads
    all the markers of a page, and each word read is the patch under it."""
    height = 2 * (max(b[3] for b in boxes) + 2 * EDGE + 2 * PAD_Y)
    pieces, centres, x = [], [], 0
    for left, top, width, h in boxes:
        crop = image[max(0, top - EDGE):top + h + EDGE, max(0, left - EDGE):left + width + EDGE]
        crop = cv2.resize(crop, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)
        gap = height  # narrower gaps (under ~2.5 digit heights) read as one number
        piece = np.full((height, crop.shape[1] + 2 * gap), 255, dtype=np.uint8)
        y = (height - crop.shape[0]) // 2
        piece[y:y + crop.shape[0], gap:gap + crop.shape[1]] = crop
        pieces.append(piece)
        centres.append(x + piece.shape[1] // 2)
        x += piece.shape[1]
    return np.hstack(pieces), centres


def _read(image: np.ndarray, markers: Sequence[Marker], read_digits: ReadDigits
          ) -> list[tuple[str, float] | None]:
    """Per marker, the digits read there and their lowest confidence (None: no digits,
    or not confidently)."""
    strip, centres = _strip(image, [m.box for m in markers])
    found: list[list[TsvWord]] = [[] for _ in markers]
    for w in read_digits(strip):
        middle = w.left + w.width / 2
        nearest = min(range(len(centres)), key=lambda i: abs(centres[i] - middle))
        found[nearest].append(w)
    out: list[tuple[str, float] | None] = []
    for words in found:
        text = "".join(w.text for w in words)
        conf = min((w.conf for w in words), default=0.0)
        ok = text.isdigit() and len(text) <= 3 and conf >= DIGITS_CONF
        out.append((text, conf) if ok else None)
    return out


def _is_whole(text: str) -> bool:
    """A Vietnamese syllable ending in a letter (or in ordinary punctuation after one):
    nothing of a marker glued to it."""
    core = text.rstrip(_TRAILING).lstrip(_LEADING)
    return bool(core) and core[-1].isalpha() and is_vietnamese_syllable(core)


def _without_glued(text: str, inside: int, width: int) -> str:
    """`text` less what Tesseract made of a marker whose `inside` pixels lie in the
    word's box of `width`. A whole syllable lost nothing (Tesseract dropped the marker
    and only its box spans it); else the shortest cut that leaves a whole syllable
    (`Thuấnš`, `thời"`), at most the share of characters the marker's width takes;
    failing that (a name, a foreign word) that share, at least one, never all."""
    if inside <= 0 or _is_whole(text):
        return text
    most = min(len(text) - 1, max(1, round(len(text) * inside / max(width, 1))))
    for cut in range(1, most + 1):
        if _is_whole(text[:-cut]):
            return text[:-cut]
    return text[:-most] if most > 0 else text


def split_markers(image: np.ndarray, words: Sequence[TsvWord], read_digits: ReadDigits,
                  blobs: np.ndarray | None = None, ink: np.ndarray | None = None,
                  ) -> list[TsvWord]:
    """`words` with each footnote marker a word of its own after the word it follows,
    and the glyphs Tesseract glued for it taken off that word. `read_digits` reads a
    one-line image as digits (`_tesseract.read_digits`); `blobs`, `ink`: see
    `find_markers`."""
    markers = find_markers(image, words, blobs, ink) if words else []
    if not markers:
        return list(words)
    out = list(words)
    for marker, reading in reversed(list(zip(markers, _read(image, markers, read_digits),
                                             strict=True))):
        if reading is None:
            continue
        digits, conf = reading
        word = words[marker.index]
        left, top, width, height = marker.box
        out[marker.index] = replace(word, text=_without_glued(word.text, marker.inside,
                                                              word.width),
                                    width=min(word.width, max(1, left - word.left)))
        out.insert(marker.index + 1, replace(word, left=left, top=top, width=width,
                                             height=height, conf=conf, text=digits,
                                             footnote_marker=True))
    return out


__all__ = ["Marker", "find_markers", "split_markers"]
