"""The fixed formulas at the head of an administrative document, written as the law spells them.

Every Vietnamese administrative document opens with the national title and motto
(`CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM` / `Độc lập - Tự do - Hạnh phúc`; a party
document with `ĐẢNG CỘNG SẢN VIỆT NAM`), always in the same words (Decree
30/2020/NĐ-CP). The corpus has few such headers, so the language model knows them
little, and eng-OCR reads them with glued or broken words (`HOICHU`, `Dg lap`, `Tw do`)
that restoration cannot mend word by word. A line that holds one of them is matched on
its letters without marks (the input's or the restored line's, whichever is nearer)
and the words are written as the formula has them, in the text's tone style. Only where
the line holds nothing else but specks and capitals (a header's other column): the same
words inside a sentence (`vì độc lập, tự do, hạnh phúc`) are the writer's.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from vnocr.result import Change
from vnocr.text import Token, ToneStyle, normalize_text_tones, span_key, tokenize


def _letters(text: str) -> str:
    """The letters of `text` without marks, small (đ as d): what the match compares."""
    return "".join(c for c in span_key(text) if c.isalpha())


@dataclass(frozen=True, slots=True)
class Formula:
    """A fixed formula, the case its words must have on the page to be it (`upper`: a
    title in capitals; `title`: its first word capitalised) and its letters without
    marks (`_letters`)."""

    text: str
    case: Literal["upper", "title"]
    letters: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "letters", _letters(self.text))


FORMULAS: tuple[Formula, ...] = (
    Formula("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "upper"),
    Formula("Độc lập - Tự do - Hạnh phúc", "title"),
    Formula("ĐẢNG CỘNG SẢN VIỆT NAM", "upper"),
)
# the letters of a matched span against the formula's: 1 - edits / the longer length
# (the motto's 18 letters allow two edits, the title's 27 four)
MIN_SIMILARITY = 0.85
SLACK_TOKENS = 3  # a span may have this many tokens more or fewer than the formula's words
SPECK_LETTERS = 2  # a token of at most this many letters beside the formula is a speck
# the cheap test first, over a whole line's letters: its best-matching part is at least
# this near the formula (rapidfuzz's partial ratio, 0-100; above what MIN_SIMILARITY lets through)
LINE_RATIO = 80.0
MAX_SMALL = 30  # small letters on a line that may hold a formula (the motto has 15)
MAX_LINE = 300  # characters: a header line with its other column has far fewer
MIN_CAPITALS = 0.6  # a title's capitals on its line, against its letters
_DASHES = frozenset({"-", "–", "—"})  # between the motto's parts


def fix_formulas(
    input_lines: Sequence[str], lines: Sequence[str], changes: Sequence[Change] = (), *,
    tone_style: ToneStyle = "old", input_tokens: Sequence[Sequence[Token]] | None = None,
) -> tuple[list[str], list[Change]]:
    """`lines` (token-aligned with `input_lines`) with each formula written as the law
    spells it, and `changes` (the dictionary pass's so far) with one `Change` per
    rewritten span (offsets in `input_lines`) in place of those on its tokens."""
    out = list(lines)
    written: list[Change] = []
    for li, (inp, line) in enumerate(zip(input_lines, lines)):
        formulas = _near(inp, line)
        if not formulas:
            continue
        in_toks = list(input_tokens[li]) if input_tokens is not None else tokenize(inp)
        toks = tokenize(line)
        if len(toks) != len(in_toks):
            continue
        found = _formula_span(in_toks, toks, formulas)
        if found is None:
            continue
        formula, i, j = found
        start, end = toks[i].core_start, toks[j].core_start + len(toks[j].core)
        if normalize_text_tones(line[start:end], "old") == formula.text:
            continue  # right already, in whichever tone style (`HOÀ` is the writer's)
        after = normalize_text_tones(formula.text, tone_style)
        in_start, in_end = in_toks[i].core_start, in_toks[j].core_start + len(in_toks[j].core)
        out[li] = line[:start] + after + line[end:]
        written.append(Change(
            line=li, token=i, start=in_start, end=in_end, before=inp[in_start:in_end],
            after=after, confidence=1.0, stage="dictionary", ntokens=j - i + 1,
            extra={"source": "formula", "restored": line[start:end]},
        ))
    covered = {(c.line, c.token + k) for c in written for k in range(c.ntokens)}
    kept = [c for c in changes
            if not any((c.line, c.token + k) in covered for k in range(c.ntokens))]
    return out, sorted([*kept, *written], key=lambda c: (c.line, c.token))


def _near(inp: str, line: str) -> list[Formula]:
    """The formulas some part of the line's letters (restored, else input) is near: the
    cheap tests, which nearly every line fails. A line of running text has more small
    letters than a formula and its specks (`MAX_SMALL`); a title in capitals needs as
    many capitals as it has letters, less the OCR's slips (`MIN_CAPITALS`)."""
    if len(line) > MAX_LINE or sum(map(str.islower, line)) > MAX_SMALL:
        return []
    capitals = sum(map(str.isupper, line))
    formulas = [f for f in FORMULAS
                if capitals >= (MIN_CAPITALS * len(f.letters) if f.case == "upper" else 1)]
    if not formulas:
        return []
    letters = [_letters(line), _letters(inp)]
    return [f for f in formulas if any(
        len(x) >= MIN_SIMILARITY * len(f.letters)
        and fuzz.partial_ratio(f.letters, x, score_cutoff=LINE_RATIO) for x in letters)]


def _formula_span(
    in_toks: list[Token], toks: list[Token], formulas: list[Formula]
) -> tuple[Formula, int, int] | None:
    """(formula, first, last token) of the span of the line that is one of `formulas`,
    the nearest if several fit; None where none does."""
    best: tuple[float, Formula, int, int] | None = None
    for formula, i, j in _spans(toks, formulas):
        if not (_in_case(toks[i : j + 1], formula) and _alone(toks, i, j)):
            continue
        similarity = max(Levenshtein.normalized_similarity(_span_letters(t[i : j + 1]),
                                                           formula.letters)
                         for t in (in_toks, toks))
        if similarity >= MIN_SIMILARITY and (best is None or similarity > best[0]):
            best = (similarity, formula, i, j)
    return None if best is None else best[1:]


def _spans(toks: list[Token], formulas: list[Formula]) -> Iterator[tuple[Formula, int, int]]:
    """Each formula with each span of words (first and last tokens with letters) of
    about its number of words."""
    worded = [k for k, t in enumerate(toks) if _letters(t.core)]
    for formula in formulas:
        words = formula.text.count(" ") + 1 - formula.text.count(" - ")
        for a, i in enumerate(worded):
            for j in worded[a + max(0, words - SLACK_TOKENS - 1) : a + words + SLACK_TOKENS]:
                yield formula, i, j


def _in_case(span: list[Token], formula: Formula) -> bool:
    """The restored span is written as the formula is: mostly in capitals for a title;
    for the motto, a capital first or the dash between its parts (the OCR's `p6c lap -
    Tu do` lost the capital, a sentence has commas there)."""
    letters = [c for t in span for c in t.core if c.isalpha()]
    if formula.case == "upper":
        return sum(c.isupper() for c in letters) >= 0.8 * len(letters)
    return bool(letters) and (letters[0].isupper() or any(
        t.lead.strip() in _DASHES or t.trail.strip() in _DASHES for t in span[1:-1]))


def _alone(toks: list[Token], i: int, j: int) -> bool:
    """Nothing else on the line but specks, numbers and words in capitals (a header's
    other column, `ỦY BAN NHÂN DÂN`): a sentence around the words makes them the writer's."""
    return all(len(_letters(t.core)) <= SPECK_LETTERS or t.core.isupper()
               for t in (*toks[:i], *toks[j + 1 :]))


def _span_letters(span: list[Token]) -> str:
    return "".join(_letters(t.core) for t in span)
