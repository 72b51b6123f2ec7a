"""The label of an administrative document's number field, where the OCR misread it.

An administrative document states its number at the head of the page, after the label
`Số` and a colon: `Số: 280/BC-UBND`, `Số: 12/2020/NĐ-CP` (the number, then after a
slash the kind of document and the issuing body in capitals, joined by hyphens; the
layout of Decree 30/2020/NĐ-CP). eng-OCR prints that label with its ố as a digit or
another vowel and its S now and then as `$` or `8`: `S6:`, `S06:`, `$6:`, `86:`. A
language model cannot tell `86` from a number, but the line can: a line opening with a
token of that shape closed by a colon, with such a code after it, is a number field,
and its label is Số.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from vnocr.text import Token

LABEL = "Số"
# S as printed (`$`, `8`, `5` too), then ố as printed: a digit (6, 0, 06), another
# vowel, or the letter d (eng-OCR's character table reads ố as é, 6, o, d, O, 6é)
_MISREAD_LABEL = re.compile(r"[Ss$58](?:06|6é|[06oOdéêôốó])")
# the document's code after the number: a slash, then capitals joined by hyphens
_DOCUMENT_CODE = re.compile(r"/\s*[A-ZĐ]{1,8}(?:-[A-ZĐ0-9]{1,12})+")


def with_number_label(tokens: list[Token]) -> list[Token]:
    """The line's tokens, a first token `$6:` (a `$` the tokenizer leaves out of the
    core) given its `$` in the core, so that the label can be written over it."""
    first = tokens[0] if tokens else None
    if first is None or first.lead != "$" or not first.trail.startswith(":"):
        return tokens
    return [Token(first.start, "", "$" + first.core, first.trail), *tokens[1:]]


def _misread_label(line: Sequence[Token]) -> bool:
    """Whether the line opens with a misread `Số:` before a document's code."""
    if len(line) < 2:
        return False
    first = line[0]
    if (first.lead or not first.trail.startswith(":") or first.core == LABEL
            or not _MISREAD_LABEL.fullmatch(first.core)):
        return False
    return bool(_DOCUMENT_CODE.search(" ".join(t.text for t in line[1:])))


def number_labels(lines: Sequence[Sequence[Token]]) -> dict[tuple[int, int], str]:
    """(line, 0) → Số for each number field whose label was misread."""
    return {(li, 0): LABEL for li, line in enumerate(lines) if _misread_label(line)}


__all__ = ["LABEL", "number_labels", "with_number_label"]
