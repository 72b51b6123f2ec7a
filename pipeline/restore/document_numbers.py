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

from vnocr.text import Token, closes_sentence

LABEL = "Số"
CURRENCY_SIGNS = frozenset("$€£¥₫")
# S as printed (`$`, `8`, `5` too), then ố as printed: a digit (6, 0, 06), another
# vowel, or the letter d (eng-OCR's character table reads ố as é, 6, o, d, O, 6é)
_MISREAD_LABEL = re.compile(r"[Ss$58](?:06|6é|[06oOdéêôốó])")
# the document's code after the number: a slash, then capitals joined by hyphens
_DOCUMENT_CODE = re.compile(r"/\s*[A-ZĐ]{1,8}(?:-[A-ZĐ0-9]{1,12})+")
_NUMBER_AND_CODE = re.compile(r"\d+" + _DOCUMENT_CODE.pattern)  # 418/QĐ-UBND


def with_number_label(tokens: list[Token]) -> list[Token]:
    """The line's tokens, each misread label that opens with a `$` (which the tokenizer
    leaves out of the core: `$6:`, `$6 418/QĐ-UBND`) given its `$` in the core, so that
    the label can be written over it."""
    if not any(t.lead == "$" for t in tokens):
        return tokens
    moved = [Token(t.start, "", "$" + t.core, t.trail) if t.lead == "$" else t
             for t in tokens]
    labelled = _labelled(moved)
    return [moved[k] if k in labelled else t for k, t in enumerate(tokens)]


def with_amounts(tokens: list[Token]) -> list[Token]:
    """The line's tokens, a number after a currency sign (`$6`, `€12`) given its sign in
    the core: an amount, which no search may read as a word (eng-OCR's `6` for ở)."""
    return [Token(t.start, t.lead[:-1], t.lead[-1] + t.core, t.trail)
            if t.lead[-1:] in CURRENCY_SIGNS and t.core.isdigit() else t for t in tokens]


def _labelled(line: Sequence[Token]) -> dict[int, str]:
    """Token index → the label written over it: a line opening with a misread `Số:`
    before a document's code, and anywhere a `$` for the S of số straight before the
    document's number and code (`Quyết định $6 418/QĐ-UBND`; a `$` is no letter, so no
    search reads it), in small letters in mid-sentence."""
    found: dict[int, str] = {}
    for k, tok in enumerate(line):
        if (k and tok.core[:1] != "$" or tok.lead or tok.core == LABEL
                or not _MISREAD_LABEL.fullmatch(tok.core)):
            continue  # a label opens the line or is a `$` word
        rest = " ".join(t.text for t in line[k + 1:])
        if k == 0 and tok.trail.startswith(":") and _DOCUMENT_CODE.search(rest):
            found[k] = LABEL
        elif tok.core[0] == "$" and not tok.trail and _NUMBER_AND_CODE.match(rest):
            opens = k == 0 or closes_sentence(line[k - 1].trail)
            found[k] = LABEL if opens else LABEL.lower()
    return found


def number_labels(lines: Sequence[Sequence[Token]]) -> dict[tuple[int, int], str]:
    """(line, token) → Số (số) for each number field whose label was misread."""
    return {(li, k): label for li, line in enumerate(lines) for k, label in _labelled(line).items()}


__all__ = ["LABEL", "number_labels", "with_amounts", "with_number_label"]
