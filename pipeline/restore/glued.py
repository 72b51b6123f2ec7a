"""Words the OCR glued together, and numbers it wrote with colons.

OCR loses the space between words where punctuation sits between them (`thiét:ké`,
`05.người`, `Pét....co`), joins words with a slash or hyphen (`dong/luot`, `20%/nam`),
and eng-OCR prints a narrow space as an apostrophe (`doanh’nghiép`). `split_glued`
parts such a token so that each piece is restored on its own and the punctuation stays;
codes, amounts, web addresses and foreign names stay whole. vie-OCR writes the dot
between thousands as a colon (`28:000`): `colon_thousands` writes it back.
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache

from vnocr.text import is_vietnamese_syllable, strip_marks

# vie-OCR reads the dot between thousands as a colon (`28:000`, `500:000`): groups of
# three digits after a colon are thousands (a scale, `1:500`, and a time, `10:30`, stay)
_COLON_THOUSANDS = re.compile(r"(?!1:)\d{1,3}(?::\d{3})+")
# words (or a number and a word: `05.người`, an initial and a word: `Q.Bình`) that OCR
# glued with punctuation, an ellipsis too (`lỗi...Riêng`)
# Each alternative starts where its run starts (the look-behinds): `search` finds the same
# tokens, in linear time (unanchored, a 60k-letter token took 40 s).
_GLUED_WORDS = re.compile(
    r"(?:(?<![^\W\d_])[^\W\d_]{2,}|(?<!\d)\d+|\b[A-ZĐ])(?:\.{2,}|[.,:;!?]|…)[^\W\d_]{2,}")
# e-mail addresses, URLs and domain names (giaoduc@dantri.com.vn, Kitco.com): kept whole
WEB = re.compile(r"@|://|www\.|\.(?:com|net|org|gov|edu|info|vn)\b", re.IGNORECASE)
_GLUED_SPLIT = re.compile(r"[^.,:;!?…]+")
# a word and a footnote number typed or exported after it in plain digits (`phố1`,
# `La3`): in accented text, where digits are never a letter's print (vie-OCR's token
# table has none), the word is restored and the number stays; a letter and digits is a
# code (`A3`, `I2`)
_NUMBERED_WORD = re.compile(r"([^\W\d_]+)(\d{1,2})")
_APOSTROPHE = re.compile(r"(?<=[^\W_])['’](?=[^\W_])")
_HORN_CARRIERS = frozenset("uoUO")
_CONTRACTIONS = re.compile(r"(?:re|ve|ll)\b", re.IGNORECASE)  # English: we're, I've, it'll
_JOINED = re.compile(r"^[^\W_]+(?:[/-][^\W_]+)+$")
_JOINED_PART = re.compile(r"[^/-]+")
# no Vietnamese word starts with f, j, w or z, or with a q not followed by u: a
# hyphenated word with such a part is a foreign name (`Won-hong`, `Jae-in`,
# `Al-Qassem`), kept whole as written
_FOREIGN_PART = re.compile(r"(?:^|-)(?:[fjwzFJWZ]|[qQ](?![uU]))")
_AMOUNT_PER_WORD = re.compile(
    r"^(?:(\d[\d.,]*%?|[A-ZĐ]{2,})/(1?[A-ZĐ]?[^\W\d_A-ZĐ]{2,})"
    r"|([A-ZĐ]?[^\W\d_A-ZĐ]{2,})/(\d[\d.,]*|[A-ZĐ]{2,}))$")


def colon_thousands(core: str) -> str:
    """A number whose thousands the OCR parted with colons, written with dots."""
    return core.replace(":", ".") if _COLON_THOUSANDS.fullmatch(core) else core


@lru_cache(maxsize=50_000)
def split_glued(
    core: str, ocr_gaps: bool = False, accented: bool = False
) -> list[tuple[int, str]]:
    """(offset, part) pieces of a core where OCR glued words with punctuation
    (`thiét:ké`, `XZ.Trong`, `05.người`): each piece is restored on its own, the
    punctuation stays; in accented text a word's footnote number in digits is no part
    (`phố1`). `ocr_gaps`: the text is eng-OCR output (see `apostrophe_gaps`);
    `accented`: its marks are trustworthy, so a word without any after an amount's
    slash is a unit, not a word that lost them (`USD/oz`; `30.000/1ượt` is split).

    Memoised by token text (the same words recur through a document: 4 % of a stripped
    run's main thread went here); the list returned is shared, so callers only read it."""
    numbered = _NUMBERED_WORD.fullmatch(core) if accented else None
    if numbered and len(numbered[1]) > 1 and is_vietnamese_syllable(numbered[1].lower()):
        return [(0, numbered[1])]  # the word, not its footnote number
    gaps = apostrophe_gaps(core, ocr_gaps)
    if gaps:
        return _parts_between(core, gaps)
    if _GLUED_WORDS.search(core) and not WEB.search(core):
        return [(m.start(), m.group(0)) for m in _GLUED_SPLIT.finditer(core)]
    if _JOINED.match(core) and not (accented and strip_marks(core) == core):
        # `dong/luot`, `so-mi`: words joined by a slash or hyphen; codes (KL/TU, 20/20,
        # E-Class) have a part without lower-case letters or of one character, foreign
        # names a part no Vietnamese word starts so (`Won-hong`). In accented text such
        # a word without a single mark is a transcribed foreign name (`Bai-ni-ma-rama`,
        # `Xten-li`, `Tiki-taka`) or a unit (`km/h`), kept whole.
        parts = [(m.start(), m.group(0)) for m in _JOINED_PART.finditer(core)]
        if all(len(x) >= 2 and any(c.islower() for c in x) for _, x in parts) and not (
                "-" in core and _FOREIGN_PART.search(core)):
            return parts
    m = _AMOUNT_PER_WORD.match(core)
    word = m and (m.group(2) or m.group(3))  # the word beside the amount or code
    if m and not (accented and strip_marks(word) == word):
        # `20%/nam`, `déng/1.573`, `USD/thung`, `Hai/TTXVN`: an amount or a code and a
        # word joined by a slash (the word maybe with the OCR's 1 for l: `30.000/1ượt`);
        # the amount or code stays, the word is restored (`ha/478` keeps its unit)
        return [(m.start(g), m.group(g)) for g in range(1, 5) if m.group(g)]
    return [(0, core)]


def apostrophe_gaps(core: str, ocr_gaps: bool = False) -> list[int]:
    """Offsets of apostrophes in `core` that stand for a space, between parts of two
    letters or digits or more each: in any text between a small letter and a capital
    (`ty'TNHH`); in eng-OCR text (`ocr_gaps`), which prints a narrow space so, between
    any two (`doanh’nghiép`, `cac’co`). Never after u or o, where it is eng-OCR's horn
    (`thu’c` for thực, `du'Gi` for dưới: see `is_protected`). A name keeps its own
    (`O'Neil`, `d'Ivoire`: one letter before it), English its contractions (`they're`,
    `we've`, `it'll`; `don't` has one letter after it)."""
    found = [i for i in (m.start() for m in _APOSTROPHE.finditer(core))
             if strip_marks(core[i - 1]) not in _HORN_CARRIERS
             and not _CONTRACTIONS.match(core, i + 1)
             and (ocr_gaps or core[i - 1].islower() and core[i + 1].isupper())]
    if found and all(sum(c.isalnum() for c in part) >= 2
                     for _, part in _parts_between(core, found)):
        return found
    return []


def _parts_between(core: str, cuts: list[int]) -> list[tuple[int, str]]:
    """(offset, part) pieces of `core` around the one-character separators at `cuts`."""
    bounds = [-1, *cuts, len(core)]
    return [(a + 1, core[a + 1 : b]) for a, b in itertools.pairwise(bounds)]
