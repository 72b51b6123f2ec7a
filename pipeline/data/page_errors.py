"""Sort the syllable errors of one page's reading into classes of page furniture, to see
which part of a page's layout the remaining errors come from.

Each error of the minimal alignment (`vnocr.evaluate.align_syllables`) goes to the first
class whose rule it meets, in this order:

- **stamp**: the read word sits inside a stamp or seal box (a missed truth word takes the
  place of the read word before it);
- **junk**: the read word is debris: made only of `_`, or on a read line where fewer than
  half the words hold two letters (detached accents, speckle read as text);
- **footnote**: the truth syllable is a raised footnote number, the word it is printed
  after, or part of a footnote at the foot of the page;
- **header**: the truth syllable lies in the two-column header block (issuing body,
  number, motto, place and date);
- **diacritics**: the same letters with other marks;
- **other**: everything else (letters misread, words lost or split, case).

A word read where the truth has none (an insertion) takes the truth position of the
syllable before it. The classes count errors; they change no output. Their total is
`syllable_errors` of the page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from vnocr.evaluate import DIACRITIC, OK, align_syllables, syllable_tokens

Box = tuple[int, int, int, int]  # left, top, width, height in page pixels

CLASSES = ("stamp", "junk", "footnote", "header", "diacritics", "other")
# A stamp box is widened by this many pixels each way: degradation tilts the page by
# up to ~0.7°, which moves a rendered stamp by up to ~20 px.
STAMP_MARGIN = 20
# The header ends with the place-and-date line, among the page's first lines.
_DATE_LINE = re.compile(r"\bngày\b.*\btháng\b.*\bnăm\b")
HEADER_MAX_LINES = 12


@dataclass(frozen=True)
class Furniture:
    """Where a page's furniture lies: truth syllables (indices into
    `syllable_tokens(truth)`) of the header and of the footnotes, and stamp boxes."""

    header: frozenset[int] = frozenset()
    footnotes: frozenset[int] = frozenset()
    stamps: tuple[Box, ...] = ()


@dataclass(frozen=True, slots=True)
class PlacedToken:
    """A read syllable token, where it was read (None: unknown) and whether its line is
    debris."""

    text: str
    box: Box | None = None
    junk_line: bool = field(default=False)


def header_tokens(truth: str) -> frozenset[int]:
    """Truth syllables of an administrative page's header: every line up to the first
    place-and-date line (`…, ngày … tháng … năm …`) among the first `HEADER_MAX_LINES`;
    none when there is no such line."""
    lines = truth.split("\n")
    n = 0
    for k, line in enumerate(lines[:HEADER_MAX_LINES]):
        n += len(syllable_tokens(line))
        if _DATE_LINE.search(line):
            return frozenset(range(n))
    return frozenset()


def _is_junk_line(words: Sequence[str]) -> bool:
    wordy = sum(sum(ch.isalpha() for ch in w) >= 2 for w in words)
    return wordy < len(words) / 2


def place_words(lines: Iterable[Sequence[tuple[str, Box | None]]]) -> list[PlacedToken]:
    """The syllable tokens of read lines of (word, box), each with its word's box."""
    out: list[PlacedToken] = []
    for line in lines:
        junk = _is_junk_line([w for w, _ in line])
        for word, box in line:
            out += [PlacedToken(t, box, junk) for t in syllable_tokens(word)]
    return out


def _inside(box: Box | None, stamps: Sequence[Box]) -> bool:
    if box is None:
        return False
    cx, cy = box[0] + box[2] / 2, box[1] + box[3] / 2
    return any(s[0] - STAMP_MARGIN <= cx <= s[0] + s[2] + STAMP_MARGIN
               and s[1] - STAMP_MARGIN <= cy <= s[1] + s[3] + STAMP_MARGIN for s in stamps)


def classify_errors(read: Sequence[PlacedToken], truth: str, furniture: Furniture
                    ) -> dict[str, int]:
    """Counts of the errors of `read` against `truth` per class (see the module
    docstring), every class present."""
    counts = dict.fromkeys(CLASSES, 0)
    gold_at, read_at = -1, -1  # the last truth and read tokens passed
    for gold, pred, kind in align_syllables(" ".join(t.text for t in read), truth):
        if gold is not None:
            gold_at += 1
        if pred is not None:
            read_at += 1
        if kind == OK:
            continue
        token = read[read_at] if read_at >= 0 else (read[0] if read else None)
        if token is not None and _inside(token.box, furniture.stamps):
            cls = "stamp"
        elif pred is not None and token is not None and (
                token.junk_line or not token.text.strip("_")):
            cls = "junk"
        elif gold_at in furniture.footnotes:
            cls = "footnote"
        elif gold_at in furniture.header:
            cls = "header"
        elif kind == DIACRITIC:
            cls = "diacritics"
        else:
            cls = "other"
        counts[cls] += 1
    return counts


__all__ = ["CLASSES", "Furniture", "PlacedToken", "classify_errors", "header_tokens",
           "place_words"]
