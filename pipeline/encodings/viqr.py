"""VIQR (RFC 1456): Vietnamese in ASCII, each mark typed after its letter (`Vie^.t`).

Marks: ( breve, ^ circumflex, + horn, then ' ` ? ~ . for sắc, huyền, hỏi, ngã, nặng;
`dd`/`DD` is đ/Đ; a backslash makes the next mark character literal (`ba\\.`).
"""

from __future__ import annotations

import re
import unicodedata

_QUALITY = {"(": "\u0306", "^": "\u0302", "+": "\u031b"}
_TONE = {"'": "\u0301", "`": "\u0300", "?": "\u0309", "~": "\u0303", ".": "\u0323"}
_QUALITY_MARK = {v: k for k, v in _QUALITY.items()}
_TONE_MARK = {v: k for k, v in _TONE.items()}

_VIQR_RE = re.compile(
    r"\\(?P<esc>[\\(^+'`?~.dD])"
    r"|(?<![A-Za-z])(?P<dd>dd|DD|Dd)(?=[A-Za-z])|(?<=[A-Z])(?P<DD>DD)"  # HDDND: HĐND
    r"|(?P<base>[aAeEoO]\^|[aA]\(|[oOuU]\+|[aAeEiIoOuUyY])(?P<tone>['`?~.])?"
)

_ESCAPED_END = re.compile(r"[aeiouyAEIOUY^(+'`?~]\\[.?]")


def _tone_is_punctuation(text: str, at: int) -> bool:
    """Whether a `.` or `?` at a word's end closes the sentence rather than marks a tone:
    yes when the word already has a tone (`No^.i.`) or the line ends, or a word that does
    not start in small letters follows (`Nam. Ha`), unless both are in capitals (`CHU?
    NGHI~A`), and three dots are an ellipsis. `bi. no` is bị no."""
    if text[at:at + 3] == "..." and text[at + 3:at + 4] != ".":
        return True  # an ellipsis
    if at + 1 < len(text) and not text[at + 1].isspace():
        return False
    word = text[:at].rsplit(None, 1)[-1] if text[:at].strip() else ""
    if any(c in word[1:] for c in "'`?~.") or not text[at + 1:].strip():
        return True
    following = text[at + 1:].split(None, 1)[0]
    letters = [c for c in word + following if c.isalpha()]
    if len(word) > 1 and all(c.isupper() for c in letters):
        return False
    return not following[0].islower()


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
