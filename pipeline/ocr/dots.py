"""Dots below a letter that Tesseract read as words of their own.

The tone mark nặng is a dot under the vowel (`TỊCH`, `HOẠCH`). In bold capitals
Tesseract sometimes reads the letter without it (`CHỦ TICH`) and the dot, a speck just
under the word's foot, as a word of its own (`l`, `.`): on a line alone, or at the end
of the row under it (a signature block's `- Lưu: VT. l`). Such a dot is put
back on the word, where the word carries no tone mark yet and the syllable with the
dot is Vietnamese; under a word that has its dot already, the speck is that dot read
twice. Either way the speck leaves the text (and its line, where nothing else is on it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from vnocr.ocr.layout import OcrLine, OcrWord
from vnocr.text import is_vietnamese_syllable, nfc, normalize_tone, strip_marks, tokenize, tone_of

# A dot is at most this share of the height of the word it sits under, each way…
DOT_SIZE = 0.35
# …its top at most this share of that height above the word's foot or below it.
NEAR_FOOT_ABOVE = 0.3
NEAR_FOOT_BELOW = 0.6
_DOT_BELOW = "\u0323"
# what Tesseract reads a lone dot as
DOT_READINGS = frozenset(".,'`·lIi1|")
_VOWELS = frozenset("aeiouy")


def _is_speck(word: OcrWord) -> bool:
    """A word read from a round speck: one of what Tesseract makes of a dot, in a box
    about as tall as wide (a dash or a raised footnote number, `3`, sits as close under
    the line above as a dot does)."""
    _, _, w, h = word.box
    return (not word.footnote_marker and 0 < len(word.text) <= 2
            and all(c in DOT_READINGS for c in word.text) and w <= 2 * h and h <= 2 * w)


def _with_dot(text: str) -> str | None:
    """`text` with the dot below on its syllable (where nặng goes), or None where the
    syllable already has a tone or would not be Vietnamese with it."""
    parts = tokenize(text)
    if len(parts) != 1:
        return None
    lead, core, trail = parts[0].lead, parts[0].core, parts[0].trail
    if not core.isalpha() or tone_of(core):
        return None
    first = next((k for k, c in enumerate(core) if strip_marks(c.lower()) in _VOWELS), None)
    if first is None:
        return None
    # on the first vowel, then moved where the syllable's tone goes (HOACH: HOẠCH)
    dotted = normalize_tone(nfc(core[: first + 1] + _DOT_BELOW + core[first + 1 :]))
    if not is_vietnamese_syllable(dotted.lower()):
        return None
    return lead + dotted + trail


def _has_dot(text: str) -> bool:
    """Whether the word carries the dot below (the tone nặng)."""
    return any(tone_of(c) == 5 for c in text)


def _word_over(dot: OcrWord, dot_line: int, placed: np.ndarray) -> tuple[int, int] | None:
    """(line, word) of the word in another line that `dot` sits under, if `dot` is a
    dot's size for it and lies under no other word. `placed`: one row (line, word, left,
    top, width, height) per word of the page outside tables (one pass over them per
    speck, in numpy: a dusty page may have hundreds of specks)."""
    dx, dy, dw, dh = dot.box
    centre = dx + dw / 2
    line, x, y, w, h = (placed[:, k] for k in (0, 2, 3, 4, 5))
    foot = y + h
    under = ((line != dot_line) & (x <= centre) & (centre <= x + w) & (max(dw, dh) <= DOT_SIZE * h)
             & (foot - NEAR_FOOT_ABOVE * h <= dy) & (dy <= foot + NEAR_FOOT_BELOW * h))
    found = np.flatnonzero(under)
    if len(found) != 1:
        return None  # under no word, or under two: no telling which
    return int(placed[found[0], 0]), int(placed[found[0], 1])


def dots_below(lines: Sequence[OcrLine]) -> tuple[dict[int, OcrLine], list[int]]:
    """The lines changed ({index: line}: a word that got its dot back, a dot taken
    out), and the indices of lines that held nothing but dots, which leave the text."""
    texts = {(li, wi): w.text for li, line in enumerate(lines) if not line.cells
             for wi, w in enumerate(line.words)}
    specks = [(li, wi) for li, wi in texts if _is_speck(lines[li].words[wi])]
    if not specks:
        return {}, []
    placed = np.array([(li, wi, *lines[li].words[wi].box) for li, wi in texts], dtype=np.int64)
    taken: set[tuple[int, int]] = set()
    for li, wi in specks:
        target = _word_over(lines[li].words[wi], li, placed)
        if target is None or target in taken:
            continue
        if texts[target] != lines[target[0]].words[target[1]].text:
            continue  # that word got its dot from another speck already
        if _has_dot(texts[target]):
            taken.add((li, wi))  # the word's own dot, read a second time
            continue
        dotted = _with_dot(texts[target])
        if dotted is None:
            continue
        texts[target] = dotted
        taken.add((li, wi))
    changed = {li for li, _ in taken} | {li for (li, wi), t in texts.items()
                                          if t != lines[li].words[wi].text}
    mended: dict[int, OcrLine] = {}
    gone = []
    for li in sorted(changed):
        words = tuple(replace(w, text=texts[li, wi]) for wi, w in enumerate(lines[li].words)
                      if (li, wi) not in taken)
        if words:
            mended[li] = replace(lines[li], words=words)
        else:
            gone.append(li)
    return mended, gone


__all__ = ["dots_below"]
