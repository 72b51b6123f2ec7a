"""Byte tables of the legacy Vietnamese encodings, as Python literals.

Sources, checked against each other when the tables were written:
- TCVN 5712:1993 (VN1, the full table) as glibc ships it (`charmaps/TCVN5712-1`); GNU
  recode 3.6 (`recode -lf TCVN`) agrees on every byte it lists. ABC documents use VN3,
  the subset without capitals that carry a tone mark; their `.VnTime` fonts put the
  Windows punctuation (“ ” ‘ ’ – …) at 0x80–0x9F, where VN1 has capitals, so
  `TCVN3_TABLE` reads those bytes as Windows-1252 does.
- VISCII 1.1 (RFC 1456) as glibc ships it (`charmaps/VISCII`); recode agrees byte for byte.
- VPS from recode (`recode -lf VPS`), which leaves 0x99 (Ỗ) unassigned; that byte comes
  from the Vietnamese Unicode project's VPS chart. Bytes VPS leaves to Latin-1 read as
  Latin-1.
- VNI Windows (VNI Software's font layout): a base letter followed by a mark byte, built
  below from its mark bytes. Every entry was checked by round trip through
  `recode VNI..UTF-8`; recode swaps the capitals Ắ and Ằ, against its own small letters
  and the other converters checked, and this table keeps the small letters' order.
- Windows-1258 is Python's `cp1258` codec (base letters plus combining tone marks).
"""

from __future__ import annotations

import unicodedata

_ASCII = "".join(map(chr, range(0x20, 0x80)))
# Bytes 0x80-0x9F as Windows-1252 shows them; its five holes read as Latin-1 controls.
_CP1252_80 = bytes(range(0x80, 0xA0)).decode("cp1252", errors="replace").replace(
    "\ufffd", ""
)
_CP1252_HOLES = (0x81, 0x8D, 0x8F, 0x90, 0x9D)

_TCVN3_C0 = (
    "\u0000\u00da\u1ee4\u0003\u1eea\u1eec\u1eee\u0007\u0008\u0009\u000a\u000b\u000c\u000d\u000e\u000f"  # 0x00
    "\u0010\u1ee8\u1ef0\u1ef2\u1ef6\u1ef8\u00dd\u1ef4\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f"  # 0x10
)
_TCVN3_HIGH = (
    "\u00c0\u1ea2\u00c3\u00c1\u1ea0\u1eb6\u1eac\u00c8\u1eba\u1ebc\u00c9\u1eb8\u1ec6\u00cc\u1ec8\u0128"  # 0x80
    "\u00cd\u1eca\u00d2\u1ece\u00d5\u00d3\u1ecc\u1ed8\u1edc\u1ede\u1ee0\u1eda\u1ee2\u00d9\u1ee6\u0168"  # 0x90
    "\u00a0\u0102\u00c2\u00ca\u00d4\u01a0\u01af\u0110\u0103\u00e2\u00ea\u00f4\u01a1\u01b0\u0111\u1eb0"  # 0xa0
    "\u0300\u0309\u0303\u0301\u0323\u00e0\u1ea3\u00e3\u00e1\u1ea1\u1eb2\u1eb1\u1eb3\u1eb5\u1eaf\u1eb4"  # 0xb0
    "\u1eae\u1ea6\u1ea8\u1eaa\u1ea4\u1ec0\u1eb7\u1ea7\u1ea9\u1eab\u1ea5\u1ead\u00e8\u1ec2\u1ebb\u1ebd"  # 0xc0
    "\u00e9\u1eb9\u1ec1\u1ec3\u1ec5\u1ebf\u1ec7\u00ec\u1ec9\u1ec4\u1ebe\u1ed2\u0129\u00ed\u1ecb\u00f2"  # 0xd0
    "\u1ed4\u1ecf\u00f5\u00f3\u1ecd\u1ed3\u1ed5\u1ed7\u1ed1\u1ed9\u1edd\u1edf\u1ee1\u1edb\u1ee3\u00f9"  # 0xe0
    "\u1ed6\u1ee7\u0169\u00fa\u1ee5\u1eeb\u1eed\u1eef\u1ee9\u1ef1\u1ef3\u1ef7\u1ef9\u00fd\u1ef5\u1ed0"  # 0xf0
)
_VISCII_C0 = (
    "\u0000\u0001\u1eb2\u0003\u0004\u1eb4\u1eaa\u0007\u0008\u0009\u000a\u000b\u000c\u000d\u000e\u000f"  # 0x00
    "\u0010\u0011\u0012\u0013\u1ef6\u0015\u0016\u0017\u0018\u1ef8\u001a\u001b\u001c\u001d\u1ef4\u001f"  # 0x10
)
_VISCII_HIGH = (
    "\u1ea0\u1eae\u1eb0\u1eb6\u1ea4\u1ea6\u1ea8\u1eac\u1ebc\u1eb8\u1ebe\u1ec0\u1ec2\u1ec4\u1ec6\u1ed0"  # 0x80
    "\u1ed2\u1ed4\u1ed6\u1ed8\u1ee2\u1eda\u1edc\u1ede\u1eca\u1ece\u1ecc\u1ec8\u1ee6\u0168\u1ee4\u1ef2"  # 0x90
    "\u00d5\u1eaf\u1eb1\u1eb7\u1ea5\u1ea7\u1ea9\u1ead\u1ebd\u1eb9\u1ebf\u1ec1\u1ec3\u1ec5\u1ec7\u1ed1"  # 0xa0
    "\u1ed3\u1ed5\u1ed7\u1ee0\u01a0\u1ed9\u1edd\u1edf\u1ecb\u1ef0\u1ee8\u1eea\u1eec\u01a1\u1edb\u01af"  # 0xb0
    "\u00c0\u00c1\u00c2\u00c3\u1ea2\u0102\u1eb3\u1eb5\u00c8\u00c9\u00ca\u1eba\u00cc\u00cd\u0128\u1ef3"  # 0xc0
    "\u0110\u1ee9\u00d2\u00d3\u00d4\u1ea1\u1ef7\u1eeb\u1eed\u00d9\u00da\u1ef9\u1ef5\u00dd\u1ee1\u01b0"  # 0xd0
    "\u00e0\u00e1\u00e2\u00e3\u1ea3\u0103\u1eef\u1eab\u00e8\u00e9\u00ea\u1ebb\u00ec\u00ed\u0129\u1ec9"  # 0xe0
    "\u0111\u1ef1\u00f2\u00f3\u00f4\u00f5\u1ecf\u1ecd\u1ee5\u00f9\u00fa\u0169\u1ee7\u00fd\u1ee3\u1eee"  # 0xf0
)
_VPS_C0 = (
    "\u0000\u0001\u1ea0\u1eac\u1eb6\u1eb8\u1ec6\u0007\u0008\u0009\u000a\u000b\u000c\u000d\u000e\u000f"  # 0x00
    "\u1eca\u1ecc\u1ed8\u1ee2\u1ee4\u1ef0\u0016\u0017\u0018\u1ef4\u001a\u001b\u1eaa\u1eee\u001e\u001f"  # 0x10
)
_VPS_HIGH = (
    "\u00c0\u1ea2\u00c3\u1ea4\u1ea6\u1ea8\u1ecd\u1ed7\u0102\u1ebf\u1ec1\u1ec3\u1ec7\u1eae\u1eb0\u1eb2"  # 0x80
    "\u1ebe\u0091\u0092\u1ec0\u1ec2\u1ec4\u1ed0\u1ed2\u1ed4\u1ed6\u00fd\u1ef7\u1ef5\u1eda\u1edc\u1ede"  # 0x90
    "\u00a0\u1eaf\u1eb1\u1eb3\u1eb5\u1eb7\u1ee0\u1edb\u00d9\u1edd\u1edf\u1ee1\u0168\u1ee8\u1ee3\u1eea"  # 0xa0
    "\u1ed5\u1eec\u1ef2\u1ef8\u00cd\u00cc\u1ed9\u1ec8\u0128\u00d3\u1eed\u1eef\u00d2\u1ece\u00d5\u1ef1"  # 0xb0
    "\u1ea7\u00c1\u00c2\u1ea5\u1ea9\u1eab\u1ead\u0111\u1ebb\u00c9\u00ca\u1eb9\u1ec9\u1ec5\u1ecb\u1ef9"  # 0xc0
    "\u01af\u1ee6\u1ed3\u1ed1\u00d4\u1ecf\u01a1\u00c8\u1eeb\u1ee9\u00da\u0169\u01b0\u00dd\u1eba\u00df"  # 0xd0
    "\u00e0\u00e1\u00e2\u00e3\u1ea3\u1ea1\u0103\u00e7\u00e8\u00e9\u00ea\u1ebd\u00ec\u00ed\u00ee\u0129"  # 0xe0
    "\u1eb4\u0110\u00f2\u00f3\u00f4\u00f5\u00f6\u01a0\u1ee5\u00f9\u00fa\u1ee7\u00fc\u1ef6\u1ebc\u1ef3"  # 0xf0
)


def _cp1252_punctuation(high: str) -> str:
    """`high` (bytes 0x80-0xFF) with 0x80-0x9F as Windows-1252 shows them."""
    chars = list(high)
    it = iter(_CP1252_80)
    for b in range(0x80, 0xA0):
        if b not in _CP1252_HOLES:
            chars[b - 0x80] = next(it)
    return "".join(chars)


TCVN3_TABLE = _TCVN3_C0 + _ASCII + _cp1252_punctuation(_TCVN3_HIGH)
VISCII_TABLE = _VISCII_C0 + _ASCII + _VISCII_HIGH
VPS_TABLE = _VPS_C0 + _ASCII + _VPS_HIGH
SINGLE_BYTE_TABLES = {"tcvn3": TCVN3_TABLE, "viscii": VISCII_TABLE, "vps": VPS_TABLE}

# TCVN3 (VN3) has capitals only for these; a capital with a tone mark is written with
# the small letter's byte (the `.VnTimeH` capital fonts draw it as a capital).
TCVN3_CAPITALS = frozenset("ĂÂÊÔƠƯĐ")

# --- VNI Windows ---------------------------------------------------------------------
# Tone marks in the order sắc, huyền, hỏi, ngã, nặng, as bytes shown by Windows-1252:
# small-letter marks, then the capital-letter marks of the same font.
_TONES = "\u0301\u0300\u0309\u0303\u0323"
_VNI_TONE = ("ùøûõï", "ÙØÛÕÏ")
_VNI_CIRCUMFLEX = ("â", "Â")
_VNI_CIRCUMFLEX_TONE = ("áàåãä", "ÁÀÅÃÄ")  # â ê ô with a tone: one byte for both marks
_VNI_BREVE = ("ê", "Ê")
_VNI_BREVE_TONE = ("éèúüë", "ÉÈÚÜË")
# Letters VNI writes as one byte: đ, ơ, ư (then + tone mark), and the toned i (and ỵ),
# which Windows-1252 has no bare base for.
_VNI_SINGLE = {
    "đ": ("ñ", "Ñ"), "ơ": ("ô", "Ô"), "ư": ("ö", "Ö"),
    "í": ("í", "Í"), "ì": ("ì", "Ì"), "ỉ": ("æ", "Æ"), "ĩ": ("ó", "Ó"), "ị": ("ò", "Ò"),
    "ỵ": ("î", "Î"),
}


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def _vni_letters() -> dict[str, str]:
    """Unicode small letter → its VNI spelling (small marks); capitals derive from it."""
    table: dict[str, str] = {}
    for base in "aeiouy":
        for tone, mark in zip(_TONES, _VNI_TONE[0]):
            table[_nfc(base + tone)] = base + mark
    for base in "aeo":
        table[_nfc(base + "\u0302")] = base + _VNI_CIRCUMFLEX[0]
        for tone, mark in zip(_TONES, _VNI_CIRCUMFLEX_TONE[0]):
            table[_nfc(base + "\u0302" + tone)] = base + mark
    table["ă"] = "a" + _VNI_BREVE[0]
    for tone, mark in zip(_TONES, _VNI_BREVE_TONE[0]):
        table[_nfc("a\u0306" + tone)] = "a" + mark
    for horned in "ơư":
        for tone, mark in zip(_TONES, _VNI_TONE[0]):
            table[_nfc(horned + tone)] = _VNI_SINGLE[horned][0] + mark
    for letter, (small, _) in _VNI_SINGLE.items():
        table[letter] = small
    return table


_SMALL_MARKS = "".join(pair[0] for pair in (_VNI_TONE, _VNI_CIRCUMFLEX, _VNI_CIRCUMFLEX_TONE,
                                              _VNI_BREVE, _VNI_BREVE_TONE))
_CAPITAL_MARKS = "".join(pair[1] for pair in (_VNI_TONE, _VNI_CIRCUMFLEX, _VNI_CIRCUMFLEX_TONE,
                                                _VNI_BREVE, _VNI_BREVE_TONE))
_SWAP_MARK_CASE = dict(zip(_SMALL_MARKS + _CAPITAL_MARKS, _CAPITAL_MARKS + _SMALL_MARKS))
_CAPITAL_SINGLES = {small: capital for small, capital in _VNI_SINGLE.values()}


def _vni_capital(spelling: str) -> str:
    """The capital letter's VNI spelling: capital base and the capital font's mark."""
    return "".join(
        _CAPITAL_SINGLES.get(c) or (c.upper() if c.isascii() else _SWAP_MARK_CASE[c])
        for c in spelling
    )


def _vni_tables() -> tuple[dict[str, str], dict[str, str]]:
    """(letter → VNI spelling, VNI spelling → letter). Reading also accepts the other
    font's mark after a base (`Aù`, `aÙ`): the letter takes the base's case."""
    encode: dict[str, str] = {}
    for letter, spelling in _vni_letters().items():
        encode[letter] = spelling
        encode[letter.upper()] = _vni_capital(spelling)
    decode = {spelling: letter for letter, spelling in encode.items()}
    for spelling, letter in list(decode.items()):
        if len(spelling) == 2 and spelling[1] in _SWAP_MARK_CASE:
            decode.setdefault(spelling[0] + _SWAP_MARK_CASE[spelling[1]], letter)
    return encode, decode


VNI_ENCODE, VNI_DECODE = _vni_tables()
