"""How the dictionary pass reads a line: its tokens, their letter case, which words look
like names, where sentences start, and which type word (`xã`, `đường`) stands before a
span. Plain string work, no gazetteer: `vnocr.lexicon.gazetteer` decides with it.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from functools import lru_cache

from vnocr.lexicon.types import MAX_TYPE_TOKENS, TYPE_WORDS
from vnocr.text import (
    SENTENCE_END,
    Token,
    case_pattern,
    closes_sentence,
    has_syllable_shape,
    normalize_text_tones,
    span_key,
    tokenize,
)


class LineTokens:
    """`tokenize` of each of `lines`, on first use and once: the restored lines are read
    by the line pass (lines with a capital) and by the paragraphs a unit name is checked
    in (`hierarchy.ParagraphPlaces`), most by neither or one."""

    def __init__(self, lines: Sequence[str]) -> None:
        self._lines = lines
        self._tokens: list[list[Token] | None] = [None] * len(lines)

    def __len__(self) -> int:
        return len(self._lines)

    def __getitem__(self, k: int) -> list[Token]:
        toks = self._tokens[k]
        if toks is None:
            toks = self._tokens[k] = tokenize(self._lines[k])
        return toks


@lru_cache(maxsize=1 << 16)  # asked of every word of every line with a capital
def letters_case(core: str) -> str:
    """`vnocr.text.case_pattern`, or "none" for a core without letters (`12`, `-`)."""
    if not any(c.isalpha() for c in core):
        return "none"
    return case_pattern(core)


def apply_name_case(name_tok: str, pattern: str) -> str:
    """A gazetteer name word in the case the text wrote it (`pattern`), the name's own
    spelling otherwise."""
    if pattern == "upper":
        return name_tok.upper()
    if pattern == "lower":
        return name_tok.lower()
    if pattern == "title" and letters_case(name_tok) == "mixed":
        return name_tok[:1].upper() + name_tok[1:].lower()  # the data's `KRông` → Krông
    return name_tok  # the gazetteer's own spelling (Đắk Lắk, H'leo)


_TYPE_KEYS: dict[str, str] = {}
for _t in TYPE_WORDS:
    _TYPE_KEYS.setdefault(span_key(_t), _t)
# last syllable of every type word, accented and not: a cheap test before the real one
_TYPE_LAST = frozenset(t.split()[-1] for t in TYPE_WORDS) | frozenset(
    k.split()[-1] for k in _TYPE_KEYS
)


def inside_run(rt: list[Token], namey: list[bool], starts: list[bool], i: int, j: int) -> bool:
    """Tokens i..j are part of a longer Vietnamese name: a capitalised syllable joins them
    with no punctuation between (`Hoàng Văn Nha`). A foreign word beside a name
    (`Bồ Đào Nha Ferdinand`, `Quốc Thắng VnExpress`) makes no longer name of it, nor
    does a capital the model lowered (`Diệu Hiền cuối tháng`: OCR lost the period)."""
    if (i > 0 and namey[i - 1] and not starts[i - 1] and joins(rt[i - 1], rt[i])
            and has_syllable_shape(rt[i - 1].core) and rt[i - 1].core[:1].isupper()):
        return True
    return (j + 1 < len(rt) and namey[j + 1] and joins(rt[j], rt[j + 1])
            and has_syllable_shape(rt[j + 1].core) and rt[j + 1].core[:1].isupper())


# OCR debris and footnote marks glued to a word (`V& Nguyén Giap`, `phd'`) do not end a
# name the way a comma or a bracket does
_DEBRIS = frozenset("&¢€@#$%^*~`|\\'’°¹²³")


def joins(a: Token, b: Token) -> bool:
    """No punctuation between two neighbouring tokens, debris aside."""
    gap = a.trail + b.lead
    return not gap or all(c in _DEBRIS for c in gap)


# codes (`A32`), abbreviations and compounds glued on (`TP.Thanh`, `Jae-in`); a lone
# digit inside a short word is OCR debris (`T6`, `H6i`) and stays name-like; a word
# ending in one digit is a code in typed text (`Fold2`), debris in OCR'd text (`Vida1`)
_OCR_CODE = re.compile(r"\d\d|[./-]")
# (the letters before the final digit are a look-behind: an unanchored `[^\W\d_]{2,}\d$`
# is searched from every position, quadratic in a long token)
_CODE = re.compile(_OCR_CODE.pattern + r"|(?<=[^\W\d_]{2})\d$")
_ABBREVIATIONS = frozenset({"tp", "tx", "tt", "q", "p"})  # thành phố, thị xã, …


def name_like(core: str, heading: bool, ocr: bool = False) -> bool:
    """Title case (`Sơn`, OCR's `T6`), or capitals inside a heading; not codes (`A32`,
    `TP.Thanh`). In OCR'd text a word's last letter read as a digit (`Vida1`, `New3`)
    is debris too, not a code."""
    if not core or not core[0].isupper() or (_OCR_CODE if ocr else _CODE).search(core):
        return False
    if core.lower() in _ABBREVIATIONS:
        return False
    if len(core) == 1 or core[1:].islower():
        return True
    pat = letters_case(core)
    # mixed: OCR flips case inside words (`DonaId`, `GaIaxy`); the first capital counts
    return pat in ("title", "mixed") or (heading and pat == "upper")


def ocr_capitals(toks: list[Token]) -> bool:
    """A capitalised name with an all-capitals word inside (`Hoa KỲ`, `Bắc MỸ`): eng-OCR
    reads a marked small letter as its capital (ỳ → Y). A name wholly in capitals is
    emphasis or a heading and stays."""
    cases = [letters_case(t.core) for t in toks]
    return "upper" in cases and "title" in cases


def case_of(restored_core: str, input_core: str) -> str:
    """The casing a name token takes: the model's, else the input's. A capital the model
    lowered (its case rules: `Lién Xé` → `Liên xe`) comes back inside a name."""
    pat = letters_case(restored_core)
    seen = letters_case(input_core)
    if pat in ("none", "mixed") or (pat == "lower" and seen == "title"):
        pat = seen
    return pat


def letterless(core: str) -> bool:
    """A core without letters (`6`, `-`): where an OCR lost a whole name word."""
    return bool(core) and not any(c.isalpha() for c in core)


def lowered_by_model(name: str, restored: list[Token], seen: list[Token], lost_case: list[bool]) -> bool:
    """The model wrote a capitalised name word in lowercase where the input had a capital
    (`Bai Chinh` → `đại Chính`: the restorer's case rule for a changed first letter) or
    no letter at all (`An 6` → `Ấn độ`)."""
    words = name.split()
    return len(words) == len(restored) and any(
        letters_case(r.core) == "lower"
        and letters_case(w) != "lower"
        and (lost or name_like(s.core, False))
        for w, r, s, lost in zip(words, restored, seen, lost_case)
    )


def is_heading(toks: list[Token]) -> bool:
    """A line mostly in capitals (over 80 % of at least 4 letters): there a capital does
    not mark a name."""
    letters = [c for t in toks for c in t.core if c.isalpha()]
    return len(letters) >= 4 and sum(c.isupper() for c in letters) > 0.8 * len(letters)


def sentence_starts(toks: list[Token], line_start: bool) -> list[bool]:
    """Per token, whether it opens a sentence (there a capital does not mark a name);
    `line_start`: the line opens one."""
    out = []
    prev = line_start
    for t in toks:
        out.append(prev or any(c in "“\"'‘«" for c in t.lead))
        prev = bool(t.trail) and closes_sentence(t.trail)
        if not t.core and t.lead:
            prev = prev or not SENTENCE_END.isdisjoint(t.lead)
    return out


def place_of_issue(rt: list[Token], it: list[Token], i: int, j: int) -> bool:
    """Are tokens i..j the place a document is issued at, which opens its date line
    (`Sơn La, ngày 15 tháng 3 năm 2024`, `Đà Lạt, ngày ...`)? Nothing with letters
    before them on the line, a comma after them, then `ngày` (by key, in output or
    input: eng-OCR's `ngay`)."""
    if j + 1 >= len(rt) or not (rt[j].trail.startswith(",") or it[j].trail.startswith(",")):
        return False
    if not any(span_key(t.core) == "ngay" for t in (rt[j + 1], it[j + 1])):
        return False
    return not any(c.isalpha() for t in itertools.islice(rt, i) for c in t.core)


def type_before(rt: list[Token], it: list[Token], i: int, plain: bool) -> str | None:
    """The type word (`xã`, `thành phố`) right before token i, from output or input.

    By key (`xa`, `ban`) only in a `plain` line: where the model wrote `Ban` (committee),
    it is not `bản` (village).
    """
    if i == 0 or (
        rt[i - 1].core.lower() not in _TYPE_LAST and it[i - 1].core.lower() not in _TYPE_LAST
    ):
        return None
    for m in range(min(MAX_TYPE_TOKENS, i), 0, -1):
        toks_r, toks_i = rt[i - m : i], it[i - m : i]
        if any(t.lead or t.trail for t in toks_r[1:]) or toks_r[-1].trail:
            continue
        if any(t.trail for t in toks_r[:-1]):
            continue
        for toks in (toks_r, toks_i):
            cand = normalize_text_tones(" ".join(t.core for t in toks)).lower()
            if cand in TYPE_WORDS:
                return cand
        if not plain:
            continue
        k = span_key(" ".join(t.core for t in toks_r))
        if k in _TYPE_KEYS and k == span_key(" ".join(t.core for t in toks_i)):
            return _TYPE_KEYS[k]  # marks stripped in both: `xa Chieng Sinh`
    return None
