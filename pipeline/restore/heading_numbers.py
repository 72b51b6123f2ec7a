"""Roman numerals of headings that the OCR read as digits: `1.` for I., `11.` for II.

Reports and plans number their sections in capitals with Roman numerals (`I. KẾT QUẢ
ĐẠT ĐƯỢC`, `II. NHIỆM VỤ`) and their points in small letters with Arabic ones (`1. Về
kinh tế`). OCR reads I as `1` (eng-OCR also as `l`), so a section reads `1.`, `11.`,
`111.`, `1V.` or `V1.`. A heading in capitals (`capitals_line`) opening with such a
marker is given its Roman numeral back when

* the marker mixes V with ones (`1V`, `V1`): no number is written so;
* or it is all ones, no heading of the document is numbered with another digit (`2.`,
  `10.`: an Arabic list of headings), and either it is `11.` or `111.` (eleven sections
  in capitals are rare) or another heading's marker is Roman or all ones too. A lone
  `1.` heading is as often an Arabic point written in capitals, so it stays as read.

Lines in small letters are never touched: `1. Kết quả` is an Arabic point.

A section marker written as a Roman numeral that also spells a syllable (`VI.`: vì, vị)
is kept as written where a capitalised word follows it, in capitals or not: restored as
a word it came out `VÌ.` (`bench_capitals.py`'s headings sets: 52 of 362 errors in
stripped headings), and no dev line or corpus line opens with `VÌ.` or `VỊ.`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from vnocr.restore.candidates import capitals_line
from vnocr.text import Token, is_vietnamese_syllable

ROMAN_SECTIONS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")
# numerals the search would read as words (`VI` as vì): kept as written (see the module)
SYLLABLE_NUMERALS = frozenset(r for r in ROMAN_SECTIONS if is_vietnamese_syllable(r.lower()))
_READ_ONES = str.maketrans("1l", "II")  # what OCR prints for a Roman I
_MARKER = re.compile(r"[1lIVX]{1,4}|\d{1,3}")  # Arabic ones too: the evidence against
_ONES = re.compile(r"[1l]+")


def _heading_marker(tokens: Sequence[Token]) -> str | None:
    """The core of the line's first token when it is a section marker (`IV.`, `11.`,
    `12.`) opening a heading in capitals; else None."""
    if len(tokens) < 2:
        return None
    first = tokens[0]
    if first.lead or not first.trail.startswith(".") or not _MARKER.fullmatch(first.core):
        return None
    return first.core if capitals_line(tokens[1:]) else None


def _written_numeral(tokens: Sequence[Token]) -> str | None:
    """The line's first token when it is a section marker written as a Roman numeral
    that spells a syllable (`VI.`), before a capitalised word; else None."""
    if len(tokens) < 2:
        return None
    first = tokens[0]
    if first.lead or not first.trail.startswith(".") or first.core not in SYLLABLE_NUMERALS:
        return None
    return first.core if tokens[1].core[:1].isupper() else None


def roman_headings(lines: Sequence[Sequence[Token]]) -> dict[tuple[int, int], str]:
    """(line, 0) → the Roman numeral a heading's section marker stands for, where it
    was misread as digits or would be read as a word."""
    fixes: dict[tuple[int, int], str] = {
        (li, 0): m for li, tokens in enumerate(lines)
        if (m := _written_numeral(tokens)) is not None}
    markers = {li: m for li, tokens in enumerate(lines)
               if (m := _heading_marker(tokens)) is not None}
    read = {li: m.translate(_READ_ONES) for li, m in markers.items()}
    roman_seen = any(m in ROMAN_SECTIONS for m in markers.values())
    # a heading numbered with another digit than 1 (`2.`, `10.`): the headings are Arabic
    arabic_seen = any(m.isdigit() and not _ONES.fullmatch(m) for m in markers.values())
    for li, marker in markers.items():
        roman = read[li]
        if roman == marker or roman not in ROMAN_SECTIONS:
            continue
        if not _ONES.fullmatch(marker):
            fixes[(li, 0)] = roman  # `1V`, `V1`: ones mixed with V
            continue
        if arabic_seen:
            continue
        ones_beside = any(_ONES.fullmatch(m) and m != marker for m in markers.values())
        if len(marker) > 1 or roman_seen or ones_beside:
            fixes[(li, 0)] = roman
    return fixes
