"""Conversions between Unicode and each legacy encoding, with no guessing.

Legacy text reaches us two ways: as the file's own bytes, or as the characters another
tool showed for those bytes (a PDF text layer or a .doc export read with Windows-1252 or
Latin-1). `surface_bytes` turns the second back into the first, so one decoder per
encoding serves both.
"""

from __future__ import annotations

import re
import unicodedata

from vnocr.encodings.tables import (
    SINGLE_BYTE_TABLES,
    TCVN3_CAPITALS,
    TCVN3_TABLE,
    VNI_DECODE,
    VNI_ENCODE,
)
from vnocr.encodings.viqr import from_viqr, to_viqr

BYTE_ENCODINGS = ("tcvn3", "vni", "cp1258", "viscii", "vps")  # ties go to the first
ENCODING_NAMES = {
    "tcvn3": "TCVN3 (ABC)", "vni": "VNI Windows", "cp1258": "Windows-1258",
    "viscii": "VISCII", "vps": "VPS", "viqr": "VIQR",
}

# Byte → the character Windows-1252 shows for it (Latin-1 in its five holes), and back.
_SURFACE_TABLE = "".join(
    bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(256)
)
_SURFACE = {c: b for b, c in enumerate(_SURFACE_TABLE)} | {chr(b): b for b in range(256)}
# The same maps as `str.translate` tables over Latin-1 text (one character a byte): one
# C call a run where a Python step a character was a third of detecting eng-OCR text.
_NOT_SURFACE = re.compile("[^" + re.escape("".join(_SURFACE)) + "]")
_TO_LATIN1 = {ord(c): chr(b) for c, b in _SURFACE.items()}
_FROM_LATIN1 = {name: dict(enumerate(table))
                for name, table in (*SINGLE_BYTE_TABLES.items(), ("surface", _SURFACE_TABLE))}

_VNI_RE = re.compile("|".join(map(re.escape, sorted(VNI_DECODE, key=len, reverse=True))))
_VNI_ENCODE_CP1252 = {letter: spelling.encode("cp1252") for letter, spelling in VNI_ENCODE.items()}
# TCVN3 writes a toned capital with the small letter's byte: read alone it is small.
_TCVN3_SMALL_ONLY = frozenset(
    c for c in TCVN3_TABLE
    if c.islower() and not c.isascii() and c.upper() not in TCVN3_CAPITALS
)
_WORD = re.compile(r"\w+")
_SMALL_ONLY_WORD = re.compile(r"(?<!\w)\w*[" + re.escape("".join(sorted(_TCVN3_SMALL_ONLY))) + r"]\w*")
_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"
_SINGLE_BYTE_ENCODE = {
    name: {c: b for b, c in reversed(list(enumerate(table)))}
    for name, table in SINGLE_BYTE_TABLES.items()
}
# a sentence's last mark, closing quotes and brackets after it (TCVN3 capitals after it)
SENTENCE_END_MARK = r"[.!?…:]['\"”’)\]]*"
_SENTENCE_END = re.compile(SENTENCE_END_MARK + r"\s+$")  # before a word of a run


def _vietnamese_letters() -> frozenset[str]:
    letters = set("đĐ")
    for base in "aăâeêioôơuưy":
        for tone in ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"):
            letter = unicodedata.normalize("NFC", base + tone)
            letters |= {letter, letter.upper()}
    return frozenset(letters)


def _telltales(encoding: str) -> frozenset[str]:
    """Characters that, read as Windows-1252, betray `encoding`: they stand for a
    Vietnamese letter or mark there but are none themselves (TCVN3 `µ` is à, VNI `ä` the
    circumflex and dot). OCR output and Unicode Vietnamese use the others (é, ó, à) too."""
    if encoding == "vni":
        spelled = {c for spelling in VNI_DECODE for c in spelling if not c.isascii()}
    else:
        spelled = {_SURFACE_TABLE[b] for b in range(256)
                   if decode_legacy(bytes([b]), encoding) != _SURFACE_TABLE[b]}
    return frozenset(c for c in spelled if c not in _VIETNAMESE_LETTERS and not c.isascii())


def has_telltale(text: str, encoding: str) -> bool:
    """Whether `text` holds a character that betrays `encoding` (`_telltales`)."""
    return not _TELLTALES[encoding].isdisjoint(text)


def all_surface(text: str) -> bool:
    """Every character of `text` is one Windows-1252 or Latin-1 shows for some byte."""
    return _NOT_SURFACE.search(text) is None


def reads_as_shown(text: str, encoding: str) -> bool:
    """Whether `convert_run(text, encoding)` is `text` itself, known without converting:
    NFC `text` with no character the encoding's table reads as another, no VNI spelling
    and (TCVN3) no small-only letter whose case capital recovery could change. Most
    byte readings of English-model OCR text (`trén`, `phién`: é is é in VNI, VISCII,
    VPS and Windows-1258) end here. `text` must pass `all_surface`."""
    return _READ_OTHERWISE[encoding].search(text) is None and unicodedata.is_normalized("NFC", text)


def surface_bytes(text: str) -> bytes:
    """The bytes behind text that was read as Windows-1252 (or Latin-1); every character
    must pass `all_surface` (any other raises UnicodeEncodeError)."""
    return text.translate(_TO_LATIN1).encode("latin-1")


def decode_legacy(data: bytes, encoding: str) -> str:
    """`data` in a legacy byte encoding as NFC text; a byte the encoding leaves undefined
    becomes U+FFFD. TCVN3 capitals come back small here (see `recover_tcvn3_capitals`)."""
    if encoding in SINGLE_BYTE_TABLES:
        text = data.decode("latin-1").translate(_FROM_LATIN1[encoding])
    elif encoding == "vni":
        surface = data.decode("latin-1").translate(_FROM_LATIN1["surface"])
        text = _VNI_RE.sub(lambda m: VNI_DECODE[m.group()], surface)
    elif encoding == "cp1258":
        text = data.decode("cp1258", errors="replace")
    else:
        raise ValueError(f"unknown legacy encoding {encoding!r}")
    return unicodedata.normalize("NFC", text)


def encode_legacy(text: str, encoding: str) -> bytes:
    """NFC Vietnamese in a legacy byte encoding, as the period's software wrote it (TCVN3
    toned capitals with the small letter's byte); `ValueError` names a character the
    encoding cannot hold. Builds test and benchmark corpora."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += _encode_char(ch, encoding)
        except (KeyError, UnicodeEncodeError):
            raise ValueError(f"{ch!r} (U+{ord(ch):04X}) has no {encoding} byte") from None
    return bytes(out)


def _encode_char(ch: str, encoding: str) -> bytes:
    if ch.isascii():
        return ch.encode("ascii")
    if encoding in SINGLE_BYTE_TABLES:
        if encoding == "tcvn3" and ch.lower() in _TCVN3_SMALL_ONLY:
            ch = ch.lower()
        return bytes([_SINGLE_BYTE_ENCODE[encoding][ch]])
    if encoding == "vni":
        return _VNI_ENCODE_CP1252.get(ch) or ch.encode("cp1252")
    if encoding == "cp1258":
        try:
            return ch.encode("cp1258")
        except UnicodeEncodeError:  # base letter + combining tone, as Windows writes it
            decomposed = unicodedata.normalize("NFD", ch)
            tone = "".join(c for c in decomposed if c in _TONE_MARKS)
            base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in tone))
            return base.encode("cp1258") + tone.encode("cp1258")
    raise ValueError(f"unknown legacy encoding {encoding!r}")


def recover_tcvn3_capitals(text: str, *, sentence_start: bool) -> str:
    """Capitals TCVN3 wrote with small letters' bytes: a word otherwise in capitals
    (`CéNG` → CỘNG; `Hµ` only beside such a word), and a sentence's first letter
    (`ë nhµ` → Ở nhà). A toned capital inside a sentence (`Ấn Độ`) stays small.
    `text`: a TCVN3 reading (`decode_legacy`)."""
    # Only a word holding a small-only letter can change: a word in capitals has no other
    # small letter (`_capitals`), so without one its upper() is itself (every character a
    # TCVN3 reading holds changes only in case: tests/encodings/test_reading_shortcuts.py),
    # and the sentence rule needs one first. With no heading word among them (a word in
    # capitals with a small-only letter) no word is beside one either, and only the
    # sentence rule is left:
    # nearly every TCVN3 reading of other text (eng-OCR `trén` → trộn) ends there.
    candidates = list(_SMALL_ONLY_WORD.finditer(text))
    if not candidates:
        return text
    if any(not m.group().islower() and _capitals(m.group()) >= 2 for m in candidates):
        return _recover_beside_headings(text, sentence_start=sentence_start)
    out, last = [], 0
    for m in candidates:
        if _opens_sentence_at(text, m, sentence_start):
            out += [text[last:m.start()], m.group()[0].upper()]
            last = m.start() + 1
    return "".join(out) + text[last:] if out else text


def _capitals(word: str) -> int:
    """How many capitals `word` holds, or 0 where it holds a small letter TCVN3 has a
    capital byte for (then its small letters are small indeed)."""
    if any(c.islower() and c not in _TCVN3_SMALL_ONLY for c in word):
        return 0
    return sum(c.isupper() for c in word)


def _opens_sentence_at(text: str, m: re.Match[str], sentence_start: bool) -> bool:
    """Whether word `m` starts with a small-only letter that opens a sentence."""
    return m.group()[0] in _TCVN3_SMALL_ONLY and (
        (sentence_start and not text[:m.start()].strip())
        or _SENTENCE_END.search(text, 0, m.start()) is not None)


def _recover_beside_headings(text: str, *, sentence_start: bool) -> str:
    """`recover_tcvn3_capitals` of text with a heading word, word by word."""
    words = list(_WORD.finditer(text))
    caps = [_capitals(m.group()) for m in words]
    # a heading word: in capitals but for a small-only letter (not an acronym like UBND)
    heading = [n >= 2 and any(c in _TCVN3_SMALL_ONLY for c in m.group()) for n, m in zip(caps, words)]
    out, last = [], 0
    for i, m in enumerate(words):
        word = m.group()
        beside_caps = (i > 0 and heading[i - 1]) or (i + 1 < len(caps) and heading[i + 1])
        if caps[i] >= 2 or (caps[i] == 1 and beside_caps):
            word = word.upper()
        elif _opens_sentence_at(text, m, sentence_start):
            word = word[0].upper() + word[1:]
        out += [text[last:m.start()], word]
        last = m.end()
    return "".join(out) + text[last:]


def convert_run(
    text: str, encoding: str, *, sentence_start: bool = False, escaped: bool | None = None
) -> str:
    """Legacy text read as Windows-1252 (or VIQR) converted to NFC Unicode.
    `sentence_start`: the run opens a sentence (TCVN3 capitals); `escaped`: the VIQR
    document escapes its literal marks (`viqr.uses_escapes`)."""
    if encoding == "viqr":
        return from_viqr(text, escaped=escaped)
    return convert_bytes(surface_bytes(text), encoding, sentence_start=sentence_start)


def convert_bytes(data: bytes, encoding: str, *, sentence_start: bool) -> str:
    """`decode_legacy`, with TCVN3's capitals recovered (`recover_tcvn3_capitals`)."""
    text = decode_legacy(data, encoding)
    if encoding == "tcvn3":
        text = recover_tcvn3_capitals(text, sentence_start=sentence_start)
    return text


def encode_run(text: str, encoding: str) -> str:
    """NFC Vietnamese as the characters a Windows-1252 reader shows for its legacy
    bytes (or as VIQR): the mojibake PDF text layers and .doc exports carry."""
    if encoding == "viqr":
        return to_viqr(text)
    return "".join(_SURFACE_TABLE[b] for b in encode_legacy(text, encoding))


def _read_otherwise(encoding: str) -> re.Pattern[str]:
    """What `reads_as_shown` looks for: each surface character whose byte `encoding`
    decodes to something else, TCVN3's small-only letters, and for VNI any pair of a
    spelling's first and second characters (wider than its spellings, and a character
    class pair is searched ten times faster than their alternation)."""
    chars = {c for c, b in _SURFACE.items() if decode_legacy(bytes([b]), encoding) != c}
    if encoding == "tcvn3":
        chars |= _TCVN3_SMALL_ONLY
    pairs = []
    if encoding == "vni":
        assert {len(s) for s in VNI_DECODE} == {1, 2}
        chars |= {s for s in VNI_DECODE if len(s) == 1}
        pairs = ["".join(_char_class({s[i] for s in VNI_DECODE if len(s) == 2}) for i in (0, 1))]
    return re.compile("|".join([*pairs, _char_class(chars)]))


def _char_class(chars: set[str]) -> str:
    return "[" + re.escape("".join(sorted(chars))) + "]"


_VIETNAMESE_LETTERS = _vietnamese_letters()
_READ_OTHERWISE = {encoding: _read_otherwise(encoding) for encoding in BYTE_ENCODINGS}
_TELLTALES = {encoding: _telltales(encoding) for encoding in BYTE_ENCODINGS}
