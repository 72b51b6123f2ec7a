"""VIQR (RFC 1456): Vietnamese in ASCII, each mark typed after its letter (`Vie^.t`).

Marks: ( breve, ^ circumflex, + horn, then ' ` ? ~ . for sắc, huyền, hỏi, ngã, nặng;
`dd`/`DD` is đ/Đ; a backslash makes the next mark character literal (`ba\\.`).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from vnocr.encodings.common_syllables import COMMON_SYLLABLES
from vnocr.text import normalize_tone

_QUALITY = {"(": "\u0306", "^": "\u0302", "+": "\u031b"}
_TONE = {"'": "\u0301", "`": "\u0300", "?": "\u0309", "~": "\u0303", ".": "\u0323"}
_QUALITY_MARK = {v: k for k, v in _QUALITY.items()}
_TONE_MARK = {v: k for k, v in _TONE.items()}

_VIQR_RE = re.compile(
    r"\\(?P<esc>[\\(^+'`?~.dD])"
    r"|(?<![A-Za-z])(?P<dd>dd|DD|Dd)(?=[A-Za-z]|\)\s)|(?<=[A-Z])(?P<DD>DD)"  # HDDND: HĐND, dd) item
    r"|(?P<base>[aAeEoO]\^|[aA]\(|[oOuU]\+|[aAeEiIoOuUyY](?=['`?~.]))(?P<tone>['`?~.])?"
)  # a bare vowel matches only before a tone mark: alone it would be written back as it is

_ESCAPED_END = re.compile(r"[aeiouyAEIOUY^(+'`?~]\\[.?]")
_OPENING = "\"'([{“‘«"
_COMMON = frozenset(COMMON_SYLLABLES)


@lru_cache(maxsize=1 << 14)
def _only_toned_is_common(word: str, mark: str) -> bool:
    """Whether `word` with `mark` as its tone is a common syllable and `word` is not
    (`Bo^` + `.` is bộ; `Nam` + `.` is no)."""
    plain = normalize_tone(from_viqr(word, escaped=True).lower(), "old")
    toned = normalize_tone(from_viqr(word + mark, escaped=True).lower(), "old")
    return toned in _COMMON and plain not in _COMMON


def _tone_is_punctuation(text: str, at: int) -> bool:
    """Whether a `.` or `?` at a word's end closes the sentence rather than marks a tone:
    yes when the word already has a tone (`No^.i.`), and three dots are an ellipsis; no
    when a word in small letters follows (`bi. no` is bị no) or both are in capitals
    (`CHU? NGHI~A`); else (the line ends, or a capitalised word follows) yes, unless only
    the toned reading is a common syllable (`Bo^. Ta`i chi'nh` is Bộ Tài chính, `o+?
    Davis` ở Davis; `Nam. Ha` stays)."""
    if text[at:at + 3] == "..." and text[at + 3:at + 4] != ".":
        return True  # an ellipsis
    if at + 1 < len(text) and not text[at + 1].isspace():
        return False
    word = text[:at].rsplit(None, 1)[-1] if text[:at].strip() else ""
    if any(c in word[1:] for c in "'`?~."):
        return True
    if text[at + 1:].strip():
        following = text[at + 1:].split(None, 1)[0]
        letters = [c for c in word + following if c.isalpha()]
        if following[0].islower() or (len(word) > 1 and all(c.isupper() for c in letters)):
            return False
    bare = word.lstrip(_OPENING)
    return not (re.fullmatch(r"[A-Za-z(^+]+", bare) and _only_toned_is_common(bare, text[at]))


def uses_escapes(text: str) -> bool:
    """RFC 1456 writers escape a literal `.` or `?` after a vowel (`Nam\\.`); in their
    text every unescaped mark is a tone, so no guessing is needed."""
    return bool(_ESCAPED_END.search(text))


def _replace(m: re.Match[str], *, escaped: bool) -> str:
    if m.group("esc"):
        return m.group("esc")
    if m.group("dd") or m.group("DD"):
        return "đ" if m.group("dd") == "dd" else "Đ"
    base, tone = m.group("base"), m.group("tone") or ""
    letter = base[0] + (_QUALITY[base[1]] if len(base) > 1 else "")
    if tone in ".?" and tone and not escaped and _tone_is_punctuation(m.string, m.end() - 1):
        return unicodedata.normalize("NFC", letter) + tone
    return unicodedata.normalize("NFC", letter + (_TONE[tone] if tone else ""))


def from_viqr(text: str, *, escaped: bool | None = None) -> str:
    """VIQR text as NFC Unicode. `escaped`: whether the document escapes literal marks
    (`uses_escapes` of the whole document; by default of `text` itself)."""
    escaped = uses_escapes(text) if escaped is None else escaped
    return _VIQR_RE.sub(lambda m: _replace(m, escaped=escaped), text)


def to_viqr(text: str) -> str:
    """NFC Vietnamese as VIQR, escaping a mark character that follows a vowel."""
    out: list[str] = []
    prev_vowel = False
    for ch in unicodedata.normalize("NFC", text):
        if ch in "đĐ":
            out.append("dd" if ch == "đ" else "DD")
            prev_vowel = False
            continue
        if prev_vowel and ch in "\\(^+'`?~.":
            out.append("\\" + ch)
            prev_vowel = False
            continue
        decomposed = unicodedata.normalize("NFD", ch)
        base, marks = decomposed[0], decomposed[1:]
        quality = "".join(_QUALITY_MARK[c] for c in marks if c in _QUALITY_MARK)
        tone = "".join(_TONE_MARK[c] for c in marks if c in _TONE_MARK)
        if base in "aAeEiIoOuUyY" and len(quality + tone) == len(marks):
            out.append(base + quality + tone)
            prev_vowel = True
        else:
            out.append(ch)
            prev_vowel = False
    return "".join(out)
