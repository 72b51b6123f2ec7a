"""Vietnamese text primitives shared by every stage: NFC, tone placement, marks, tokens.

Everything here works on NFC strings; callers normalise once at the edge with `nfc`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

ToneStyle = Literal["old", "new"]

# Combining tone marks (the five Vietnamese tones other than level).
_TONE_MARKS = {
    "\u0300": 1,  # huyền  à
    "\u0301": 2,  # sắc    á
    "\u0303": 3,  # ngã    ã
    "\u0309": 4,  # hỏi    ả
    "\u0323": 5,  # nặng   ạ
}
_TONE_CHARS = {v: k for k, v in _TONE_MARKS.items()}
# Vowel-quality marks: breve (ă), circumflex (â ê ô), horn (ơ ư).
_QUALITY_MARKS = {"\u0306", "\u0302", "\u031b"}
_VOWELS = set("aăâeêioôơuưy")
# Letters whose capital and small forms differ only in size: an OCR confuses the two
SIZE_ONLY_LETTERS = frozenset("cosvxwz")


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


@lru_cache(maxsize=1 << 16)  # the decoder strips every word several times; words repeat
def strip_marks(s: str) -> str:
    """Remove every diacritic and turn đ/Đ into d/D: what 'typed without marks' looks like."""
    decomposed = unicodedata.normalize("NFD", s)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    return base.replace("đ", "d").replace("Đ", "D")


def strip_tone(s: str) -> str:
    """Remove only the tone marks, keeping ă â ê ô ơ ư đ."""
    decomposed = unicodedata.normalize("NFD", s)
    return nfc("".join(c for c in decomposed if c not in _TONE_MARKS))


def tone_of(syllable: str) -> int:
    """Tone index 0..5 (0 = level) of one syllable."""
    for c in unicodedata.normalize("NFD", syllable):
        if c in _TONE_MARKS:
            return _TONE_MARKS[c]
    return 0


def _vowel_span(base: str) -> tuple[int, int]:
    """Start/end of the vowel nucleus in a toneless lowercase syllable; (-1, -1) if none."""
    start = 0
    # 'qu' and 'gi' (when followed by another vowel) belong to the onset.
    if base.startswith("qu") and len(base) > 2 or base.startswith("gi") and len(base) > 2 and base[2] in _VOWELS:
        start = 2
    i = start
    while i < len(base) and base[i] not in _VOWELS:
        i += 1
    if i == len(base):
        return -1, -1
    j = i
    while j < len(base) and base[j] in _VOWELS:
        j += 1
    return i, j


def _tone_index(base_lower: str, style: ToneStyle) -> int:
    """Position in the toneless syllable where the tone mark belongs."""
    i, j = _vowel_span(base_lower)
    if i < 0:
        return -1
    nucleus = base_lower[i:j]
    # A vowel with a quality mark carries the tone (ươ: the ơ).
    for k in range(len(nucleus) - 1, -1, -1):
        if nucleus[k] in "ăâêôơư":
            if nucleus[k] == "ư" and k + 1 < len(nucleus) and nucleus[k + 1] == "ơ":
                return i + k + 1
            return i + k
    if len(nucleus) == 1:
        return i
    closed = j < len(base_lower)
    if closed:
        return i + len(nucleus) - 1
    if len(nucleus) >= 3:
        return i + 1
    if style == "new" and nucleus in ("oa", "oe", "uy"):
        return i + 1
    return i


@lru_cache(maxsize=200_000)
def normalize_tone(word: str, style: ToneStyle = "old") -> str:
    """Put the tone mark where `style` wants it: old hóa/thủy/khỏe, new hoá/thuỷ/khoẻ.

    Words that are not one Vietnamese syllable pass through unchanged.
    """
    tone = tone_of(word)
    if tone == 0 or not word.isalpha():
        return word
    base = strip_tone(word)
    pos = _tone_index(base.lower(), style)
    if pos < 0:
        return word
    decomposed_char = unicodedata.normalize("NFD", base[pos]) + _TONE_CHARS[tone]
    return nfc(base[:pos] + nfc(decomposed_char) + base[pos + 1 :])


_WORD_RE = re.compile(r"\w+")
# the tone on the second vowel of oa/oe/uy (hoá, thuỷ) or on the first (hóa, thủy), at a
# syllable's end
_NEW_STYLE = re.compile(r"(?i)(?:o[àáảãạ]|o[èéẻẽẹ]|u[ỳýỷỹỵ])(?![a-zđ])")
_OLD_STYLE = re.compile(r"(?i)(?:[òóỏõọ]a|[òóỏõọ]e|[ùúủũụ]y)(?![a-zđ])")


def detect_tone_style(lines: Iterable[str]) -> ToneStyle:
    """The convention a text follows (hoá or hóa): new only where it outnumbers old."""
    text = "\n".join(lines)
    return "new" if len(_NEW_STYLE.findall(text)) > len(_OLD_STYLE.findall(text)) else "old"


def normalize_text_tones(text: str, style: ToneStyle = "old") -> str:
    """NFC and one tone convention for every word of `text`; layout untouched."""
    return _WORD_RE.sub(lambda m: normalize_tone(m.group(0), style), nfc(text))


@dataclass(frozen=True, slots=True)
class Token:
    """One whitespace-separated token: `lead` + `core` + `trail`, at `start` in its line.

    The core runs from the first to the last letter or digit, so OCR debris inside a
    word (`dé)ng`) stays in the core while quotes and commas around it do not.
    """

    start: int
    lead: str
    core: str
    trail: str

    @property
    def text(self) -> str:
        return self.lead + self.core + self.trail

    @property
    def core_start(self) -> int:
        return self.start + len(self.lead)


_SPACE_SPLIT = re.compile(r"\S+")


def tokenize(line: str) -> list[Token]:
    """Split a line into tokens; `"".join` of tokens and the gaps between them is the line.

    A token's core runs from its first to its last letter or digit (`str.isalnum`)."""
    tokens = []
    for m in _SPACE_SPLIT.finditer(line):
        s = m.group(0)
        a = 0
        while a < len(s) and not s[a].isalnum():
            a += 1
        if a == len(s):
            tokens.append(Token(m.start(), s, "", ""))
            continue
        b = len(s)
        while not s[b - 1].isalnum():
            b -= 1
        tokens.append(Token(m.start(), s[:a], s[a:b], s[b:]))
    return tokens


@lru_cache(maxsize=1 << 16)  # asked of every token by the network, decoder and casing
def case_pattern(word: str) -> Literal["lower", "title", "upper", "mixed"]:
    letters = [c for c in word if c.isalpha()]
    if not letters:
        return "lower"
    if all(c.isupper() for c in letters):
        return "upper" if len(letters) > 1 else "title"
    if letters[0].isupper() and all(c.islower() for c in letters[1:]):
        return "title"
    if all(c.islower() for c in letters):
        return "lower"
    return "mixed"


def apply_case(word: str, pattern: str) -> str:
    if pattern == "upper":
        return word.upper()
    if pattern == "title":
        return word[:1].upper() + word[1:]
    return word
