"""Where a heading's edges end a sentence: a heading is read apart from the text around it.

Streams (`vnocr.restore.streams`) let context cross line ends, so a heading without a
blank line around it was read with its neighbours: the language model and the network
read `PHỤ LỤC , KHAI QUAT …` as phụ lục khai quật, and a heading on into the first
sentence under it. Measured with `scripts/bench_capitals.py`'s headings sets (dev
running text with heading lines put in): errors in headings and in the lines after them
fall when a heading is a sentence of its own, and running text keeps its errors.

Three kinds of line are headings here:

* a heading in capitals (`vnocr.restore.candidates.capitals_line`); two such lines in a row are one heading
  wrapped, except a label of at most LABEL_WORDS words over a longer one (`PHỤ LỤC`
  over `KHÁI QUÁT KẾT QUẢ …`, `CHƯƠNG II` over its title);
* a numbered heading in small letters (`1.1. Thực hiện các chỉ tiêu`): a section number,
  no sentence end, shorter than NUMBERED_WIDTH of the text's longest line (a wrapped
  list item fills its line) and over a line that opens with a capital.

And a sentence ends before a line that opens with a field's label (`Kính gửi:`, `Nơi
nhận:`: a capitalised word, its colon after it or the word after): the subject line
over it (`Về việc … năm 2024`) ends without a full stop, and read on into it the label's
first word became a name (`Kinh`, the people).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from vnocr.restore.vocab import ends_sentence
from vnocr.text import Token

LABEL_WORDS = 2  # words at most of a label line in capitals
NUMBERED_WIDTH = 0.75  # a numbered heading's width at most, of the longest line's
_SECTION_NUMBER = re.compile(r"\d{1,2}(?:\.\d{1,2})*")
_LABEL, _CAPITALS, _NUMBERED, _FIELD = "label", "capitals", "numbered", "field"


def heading_breaks(toks: Sequence[Sequence[Token]], capitals: Sequence[bool]) -> list[bool]:
    """Per line: a sentence ends after it, at a heading's edge (see the module).
    `capitals`: per line, `capitals_line` of it (the caller has it already: it takes
    some 16 µs a line)."""
    widest = max(map(_width, toks), default=0)
    kinds = [_kind(toks, li, capitals[li], widest) for li in range(len(toks))]
    return [_edge(this, after) or after == _FIELD
            for this, after in zip(kinds, [*kinds[1:], ""])]


def _kind(toks: Sequence[Sequence[Token]], li: int, capitals: bool, widest: int) -> str:
    """Line `li`'s heading kind (see the module); "" for no heading."""
    words = [t for t in toks[li] if t.core]
    if capitals:
        letters = sum(any(c.isalpha() for c in t.core) for t in words)
        return _LABEL if letters <= LABEL_WORDS else _CAPITALS
    below = [t for t in toks[li + 1] if t.core] if li + 1 < len(toks) else []
    numbered = (len(words) > 1 and _SECTION_NUMBER.fullmatch(words[0].core)
                and words[0].trail.startswith(".") and not ends_sentence(words[-1].trail)
                and bool(below) and below[0].core[:1].isupper()
                and _width(toks[li]) < NUMBERED_WIDTH * widest)
    if numbered:
        return _NUMBERED
    field = (words and words[0].core[:1].isupper() and not words[0].lead
             and any(t.trail.startswith(":") for t in words[:LABEL_WORDS]))
    return _FIELD if field else ""


def _edge(this: str, after: str) -> bool:
    """Does a heading start or end between a line of kind `this` and one of `after`?"""
    if this == _NUMBERED:
        return True
    capitals = this in (_LABEL, _CAPITALS)
    return capitals != (after in (_LABEL, _CAPITALS)) or this == _LABEL and after == _CAPITALS


def _width(line_toks: Sequence[Token]) -> int:
    """Characters from the line's first token to the end of its last."""
    if not line_toks:
        return 0
    last = line_toks[-1]
    return last.start + len(last.lead) + len(last.core) + len(last.trail) - line_toks[0].start
