"""Vietnamese orthography shared by every stage: NFC, marks, tone placement, lookup
keys, the syllable grammar, tokens and letter case.

One torch-free module: the restorer and the dictionary pass both read text through it,
so a syllable, a key or a token means the same thing in each. Everything here works on
NFC strings; callers normalise once at the edge with `nfc`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import Literal, NamedTuple

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
_VOWELS = set("aăâeêioôơuưy")
# Letters whose capital and small forms differ only in size: an OCR confuses the two
SIZE_ONLY_LETTERS = frozenset("cosvxwz")


def nfc(s: str) -> str:
    """Unicode NFC: one code point per marked letter, as vnocr reads and writes text."""
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


# -- lookup keys --------------------------------------------------------------------------
@lru_cache(maxsize=1 << 16)  # every token, several times; words repeat
def key_of(syllable: str) -> str:
    """De-accented lowercase key of one token: all candidates of a stripped token share it.

    Exactly `strip_marks`, so marks of every script go (Cyrillic й → и). `span_key` is
    the dictionary's faster key; the two agree on Latin letters (tests/lexicon), but the
    restorer's candidate sets and input features were trained with this one and the
    shipped name index is keyed with that one, so neither replaces the other.
    """
    return unicodedata.normalize("NFC", strip_marks(syllable).lower())


# strip_marks as one str.translate over the Latin letters and the combining marks:
# loading 30k names would otherwise spend most of its time decomposing them. Same
# result as strip_marks on Latin text (checked in the tests); also the cheap test
# whether a word carries marks (`w.translate(STRIP_TABLE) != w`).
STRIP_TABLE = {
    cp: (strip_marks(chr(cp)) or None)
    for cp in list(range(0xC0, 0x250)) + list(range(0x1E00, 0x1F00))
    if strip_marks(chr(cp)) != chr(cp)
}
STRIP_TABLE.update({cp: None for cp in range(0x300, 0x370)})


@lru_cache(maxsize=200_000)
def span_key(text: str) -> str:
    """De-accented, lowercase, single-spaced: the key names and spans are looked up by."""
    return " ".join(text.translate(STRIP_TABLE).lower().split())


@lru_cache(maxsize=200_000)
def lower_old(text: str) -> str:
    """Lowercase, old tone style, single-spaced: the spelling lookup key (marks kept)."""
    return normalize_text_tones(nfc(" ".join(text.split()))).lower()


# -- syllable grammar ---------------------------------------------------------------------
_ONSET = r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?"
_NUCLEUS = (
    r"(?:uyê|uya|uyu|ươu|ươi|ươ|iêu|yêu|uôi|oai|oay|oao|oeo|uây|uâ|"
    r"iê|yê|uô|ưu|ưi|ưa|ưo|ia|ua|oa|oă|oe|uê|uy|ai|ao|au|ay|âu|ây|eo|êu|iu|oi|ôi|ơi|ui|"
    r"[aăâeêioôơuưy])"
)
_CODA = r"(?:ch|ng|nh|[cmnpt])?"
_SYLLABLE_RE = re.compile(f"^{_ONSET}{_NUCLEUS}{_CODA}$")


@lru_cache(maxsize=100_000)
def has_syllable_shape(word: str) -> bool:
    """Onset + nucleus + coda on the toneless spelling, any case; tones unchecked."""
    return bool(_SYLLABLE_RE.match(strip_tone(word.lower())))


def is_vietnamese_syllable(word: str) -> bool:
    """`has_syllable_shape`, and a stop coda (p t c ch) only with sắc, nặng or no tone.
    Rejects foreign words and OCR debris from the restorer's candidate vocabulary."""
    if not has_syllable_shape(word):
        return False
    w = word.lower()
    return not (strip_tone(w).endswith(("p", "t", "c", "ch")) and tone_of(w) not in (0, 2, 5))


# -- tokens -------------------------------------------------------------------------------
class Token(NamedTuple):
    """One whitespace-separated token: `lead` + `core` + `trail`, at `start` in its line.

    The core runs from the first to the last letter or digit, so OCR debris inside a
    word (`dé)ng`) stays in the core while quotes and commas around it do not. A tuple,
    not a dataclass: the dictionary pass makes and drops 40k of them per page.
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


SENTENCE_END = frozenset(".!?:;…")  # a word after one of these may open a sentence
_CLOSERS = "”\"'’»)"  # quotes and brackets a sentence's last mark may stand before


def closes_sentence(text: str) -> bool:
    """Whether `text` (a line, or a token's trailing punctuation) ends with a mark after
    which a sentence may open, closing quotes and brackets aside (`đi.”`, `(Điều 5.)`):
    the next word's capital then need not mark a name."""
    return text.rstrip().rstrip(_CLOSERS)[-1:] in SENTENCE_END


_SPACE_SPLIT = re.compile(r"\S+")
# `[\W_]` is exactly "not str.isalnum": the core runs from the first to the last letter
# or digit (the lazy middle group), the rest of the word is lead and trail. Raised digits
# right after a letter open the trail (`phố¹`, `km²`): a footnote number or a unit's
# power, which `str.isalnum` counts as a digit, is no part of the word.
RAISED_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_PARTS_RE = re.compile(
    rf"([\W_]*)(.*?)((?:(?<=[^\W\d_{RAISED_DIGITS}])[{RAISED_DIGITS}]+)?[\W_]*)", re.DOTALL)


def tokenize(line: str) -> list[Token]:
    """Split a line into tokens; `"".join` of tokens and the gaps between them is the line.

    A token's core runs from its first to its last letter or digit (`str.isalnum`),
    raised digits after a letter left to the trail (`phố¹`); a token without one is all
    lead. Regexes, not a loop over characters: every line is
    tokenised several times (tests/test_text.py checks them against that loop)."""
    return [Token(m.start(), *_word_parts(m.group())) for m in _SPACE_SPLIT.finditer(line)]


@lru_cache(maxsize=100_000)
def _word_parts(word: str) -> tuple[str, str, str]:
    """(leading punctuation, core, trailing punctuation): words repeat, so memoised."""
    return _PARTS_RE.fullmatch(word).groups()  # type: ignore[union-attr, return-value]


# -- letter case --------------------------------------------------------------------------
@lru_cache(maxsize=1 << 16)  # asked of every token by the network, decoder and casing
def case_pattern(word: str) -> Literal["lower", "title", "upper", "mixed"]:
    """How a word is capitalised, so a restored word can be written the same way
    (`apply_case`); a single capital letter counts as title."""
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
    """`word` in the case `case_pattern` found ("lower" and "mixed" keep it as it is)."""
    if pattern == "upper":
        return word.upper()
    if pattern == "title":
        return word[:1].upper() + word[1:]
    return word
