"""Which output syllables a noisy token could stand for, and what the channel thinks.

Three sources, from cheap to broad: the token's de-accented key (exact for text typed
without marks), the network's top predictions (learned OCR noise), and a bounded edit-
distance search over keys (debris such as `dé)ng`, `d3`, `nhitng`). COPY keeps tokens
that are not Vietnamese syllables: numbers, codes, abbreviations, foreign words.

Over 400 lines: the token-class rules (codes, numbers, foreign words)
and the three candidate sources are one ordered decision per token, read top to bottom.
"""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Callable, Container, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from vnocr.channel import CharChannel
from vnocr.restore import shipped_searches
from vnocr.restore.glued import WEB
from vnocr.restore.network import COPY
from vnocr.restore.regime import LOST_MARKS_RATIO, marked_reading_margin
from vnocr.restore.tokenizer import RestoreTokenizer
from vnocr.restore.vocab import CLAUSE_ENDS
from vnocr.text import (
    SIZE_ONLY_LETTERS,
    Token,
    apply_case,
    case_pattern,
    is_vietnamese_syllable,
    key_of,
    normalize_tone,
    strip_marks,
)

# Codes and numbers: keep as they are (353-KL/TU, 20/20, ASEAN+3, 3.455, 202,5).
_CODE_CHARS = re.compile(r"[/\-+_@&=#%]")
_DIGIT = re.compile(r"\d")
_DIGIT_RUN = re.compile(r"\d{3}")
_DOCUMENT_NUMBER = re.compile(r"(\d+)/[^\W\d_]")  # 208/HĐND-KTNS: the number, then the code
_MARKED_VOWEL = re.compile(r"[^\W\d_a-zA-ZđĐ]")  # a letter beyond ASCII but đ: a marked vowel
# a capital and a number of two digits, or after a dot, is a code (U23, F16, Q.7); a
# capital and one digit stays possible debris (`T6` is eng-OCR's Tô)
_LETTER_NUMBER = re.compile(r"[A-ZĐ](?:\.\d+|\d{2,})")
# square and cubic units (`200 m2`, `5 m3`, `km2`): on every dev set such a token is the
# unit itself, never OCR debris of a word
_AREA_UNIT = re.compile(r"[kcdKCD]?[mM][23]")
_CAPITAL_DIGIT = re.compile(r"[A-ZĐ]\d")  # in eng-OCR text debris (`T6` is Tô), else a code
_LETTER = re.compile(r"[^\W\d_]")
_APOSTROPHES = re.compile(r"['’]")


FREQ_WEIGHT = 0.3  # frequent syllables first among equally distant fuzzy candidates
RARE_KEY = 5.0  # log count: a key whose every syllable is rarer (~150) is searched as debris
# log count: a capital word the corpus writes this often (~55) is a word or an
# abbreviation of its own (UBND 9.1, ASEAN 7.6, BQL 4.6), never searched as debris
KNOWN_CAPITALS = 4.0
# log-score of keeping such a word as written in a heading, where it is searched as
# debris too (eng-OCR prints các as `CDC`, hội as `HDI`): a syllable kept as written
# scores 0, so the LM must prefer the syllable by e^3 = 20x to change it. Chosen on
# bench_capitals (eng_caps_plain 4,571 → 4,193 syllable errors; at 0: 4,154) against
# the 2,948 non-syllable units the corpus writes this often, upper-cased in three
# stripped heading lines each: 13 of 8,844 changed when never searched, 46 at 3.0, 173 at 0.
KNOWN_CAPITAL_KEEP = 3.0
DOUBTED_NUMBER_KEEP = -2.0  # log-score of keeping a short number the OCR doubted (`14`: là)
DIGIT_WORD_MARKS = -2.0  # log-score: a table word's same-key syllable read as its digits
HEADING_SHARE = 0.6  # share of a line's words written in capitals: the line is a heading
# log-score: in accented text a capitalised word with marks is mostly a name, whose marks
# are the writer's (`Đổng`, `Quảng`, `Hứng`) and which the LM knows too little to re-tone;
# other marks cost this much more, unless the OCR doubted the word
NAME_CHANGE_MARKS = -3.0
# a syllable's print that makes it a candidate for a token spelling another syllable
# (`reverse_prints`): at 0.01 (the shipped searches' floor: 18,709 pairs) golden
# eng-OCR 1,779 and oos_eng 7,260 syllable errors, 3.6 % more CPU on the eng-OCR bench
# file; at 0.05 (7,983 pairs) 1,782 and 7,268 for 1 %; at 0.1 1,786 and 7,291
REVERSE_PRINT_FLOOR = 0.05
# ... and for a token that spells no syllable, whose fuzzy search finds most of them:
# only those the channel gives at least this probability (`théi` for thỏi, 45 %; not
# `lii` for lũ, 17 %: at 0.05 it joined too, for 4.8 % more CPU, docs/benchmarks.md)
UNSPELLED_PRINT_FLOOR = 0.2


@dataclass(frozen=True, slots=True)
class TokenCandidates:
    """What a token may become: out ids (0 = COPY), their LM ids and channel scores."""

    kept: bool  # no search: COPY (or, for a short number, the words OCR reads as it)
    ids: np.ndarray
    lm_ids: np.ndarray
    channel: np.ndarray


GLUED_MARKS = frozenset("¢€&@")  # eng-OCR's print of a mark it could not place, after a word
SYMBOL_WORDS = frozenset("&@")  # alone, eng-OCR's print of ở (`sống & Hà Nội`)
# eng-OCR's digits, bar and bracket for small letters (`1a`, `|é`, `[an`: là, lễ, lần)
_DIGIT_LETTERS = str.maketrans("10|[", "loll")
# eng-OCR's digits for capitals: 6 and 0 for Ô/Ơ/O, 4 for Â/Ă/A, 1 for L (`KH6NG`, `C4C`,
# `1EN`: KHÔNG, CÁC, LÊN in eng-OCR'd headings)
_DIGIT_CAPITALS = str.maketrans("6041", "OOAL")
# one digit among capitals with a vowel (`E6NG`, `CU6EC`: ÔNG, CUỘC), where the OCR
# channel prints that digit for a letter (`letter_digits`)
_ONE_DIGIT_WORD = re.compile(r"[A-ZĐ]*\d[A-ZĐ]*")
_CAPITAL_VOWELS = re.compile(r"[AEIOUY]")
# share of a letter's readings: the channel prints that digit for it (eng: 6 for ô 21 %,
# 4 for ã 6 %, 1 for l 10 %, 8 for ễ 2 %, 5 for ỗ and 0 for ở 0.8 %; 2, 3, 7, 9 never)
LETTER_DIGIT_SHARE = 0.005
_LOT_LETTERS = frozenset("abcdđegh")  # the letters of lot and road codes: 3a, 4b, 1e
_DIGIT_LED = re.compile(r"\d+[^\W\d_]{1,2}$")
_NO_COMPLEMENT = CLAUSE_ENDS | {")"}  # after a word: nothing follows it in its clause
_VOWEL_GROUPS = re.compile(r"[aeiouy]+")
_OPEN_RHYME = re.compile(r"[aeiouy]{1,2}")  # what follows an initial in an open syllable
# eng-OCR's print of a mark it could not place, inside a short word of small letters
# but maybe its first (`m&i` for mới, `th@r` for thứ, `4&n` for án, `N&m` for Năm,
# `Nguw%i` for Người); codes have more capitals (`B&T`, `AT&T`)
_MARK_SYMBOL_INSIDE = re.compile(r"[A-ZĐa-zđ0-9][a-zđ0-9]{0,3}[&@%][a-zđ0-9]{1,3}")


# Vietnamese initials of two letters or more, in capitals.
_CAPITAL_INITIALS = frozenset({"CH", "GH", "KH", "NG", "NGH", "NH", "PH", "TH", "TR"})


def _capitals_but_small_i(core: str) -> bool:
    """A two-letter initial in capitals, then an i and capitals only (`CHi`, `THiEN`),
    or a one-letter initial, then an i and two capitals or more (`BiNH`, `TiNH`: a
    title-case word has no capital after its i; `MiB`, `WiFi` one): not `VGi` or `DOi`,
    whose capitals are marked vowels eng-OCR reads tall (Với, Đối)."""
    first = core.find("i")
    if not all(c == "i" or c.isupper() for c in core[first:]):
        return False
    initial = core[:first]
    return initial in _CAPITAL_INITIALS or (
        len(initial) == 1 and initial.isupper()
        and sum(c.isupper() for c in core[first + 1:]) >= 2)


def _small_then_capitals(core: str) -> bool:
    """A small letter whose capital is the same letter made tall, then capitals only,
    two or more (`cHU` for CHỦ); not another small letter (`lỚN`, `gIỚI`: vie-OCR's
    capitals are its marked small vowels read tall)."""
    letters = [c for c in core if c.isalpha()]
    return (letters[0] in SIZE_ONLY_LETTERS and len(letters) >= 3
            and all(c.isupper() for c in letters[1:]))


def output_case(core: str) -> str:
    """The case a restored syllable takes from its input: OCR case flips (`béang`,
    `Xuét`) count as lower or Title by their first letter; capitals but for an i after
    a two-letter initial are capitals (`CHi` for CHỈ: eng-OCR reads a marked capital I,
    its mark where a dot would be, as a small i), and so are capitals after a small
    first letter (`cHU`)."""
    pattern = case_pattern(core)
    if pattern == "mixed":
        if _capitals_but_small_i(core) or _small_then_capitals(core):
            return "upper"
        return "title" if core[:1].isupper() else "lower"
    return pattern


def _lm_form(core: str) -> str:
    """What the language model sees of a kept token: a unit and its number joined by a
    slash (`ha/478`, `đồng/1.573`) is the number the next word follows (`478 hộ`); a
    document's number and code (`208/HĐND-KTNS`) stands where its number would (`số 208`)."""
    head, slash, tail = core.rpartition("/")
    if slash and head and tail[:1].isdigit():
        return tail
    number = _DOCUMENT_NUMBER.match(core)
    return number.group(1) if number else core


def _read_back(query: str, core: str = "") -> str:
    """eng-OCR's symbols and digits for letters read back: `1` l, `0` o, a bar or a
    bracket l before the letters (`|é`, `[a`: lễ, là) and a bar i after them (`b|`:
    bị); and its capital I for a small l opening a word that is not in capitals (`Idi`
    lối, `Ida` lúa, `IGn` lớn: as written the search meets only keys that start with i)."""
    if query.endswith("|"):
        query = query[:-1] + "i"
    if core[:1] == "I" and len(core) > 1 and not core.isupper():
        query = "l" + query[1:]
    return "".join(c for c in query.translate(_DIGIT_LETTERS) if c.isalnum())


def capitals_line(tokens: Sequence[Token]) -> bool:
    """The line is a heading in capitals: most of its words (`HEADING_SHARE`) are
    written in capitals of two letters or more (`I. KHÁI QUÁT`, `PANG BQ`), eng-OCR's
    small i for a marked capital I counted as one (`CHi THI`, see `output_case`). Where
    a word of letters alone is in capitals, eng-OCR's digits for capitals are read as
    letters too (`B6 TRUENG B6 CONG`, `TY 1E`: a one-letter word and a digit is BỘ or
    LỆ); not in a line of codes and numbers (`S6: 280 /BC-UBND`, whose Số is no heading)."""
    words = [t.core for t in tokens if _LETTER.search(t.core)]
    written = [_capital_word(w) for w in words]
    if any(capital and w.isalpha() for capital, w in zip(written, words)):
        written = [_capital_word(w.translate(_DIGIT_CAPITALS)) for w in words]
    return bool(words) and sum(written) >= HEADING_SHARE * len(words)


def _capital_word(word: str) -> bool:
    """Written in capitals, of two letters or more (see `capitals_line`)."""
    return len(_LETTER.findall(word)) >= 2 and (
        word.isupper() or word[:1].isupper() and "i" in word and _capitals_but_small_i(word))


def letter_digits(channel: CharChannel | None) -> frozenset[str]:
    """The digits the OCR `channel` prints for some letter in at least
    `LETTER_DIGIT_SHARE` of its readings: in a heading such a digit among capitals is
    the print of a letter, any other digit a code's."""
    if channel is None:
        return frozenset()
    floor = math.log(LETTER_DIGIT_SHARE)
    return frozenset(seen for truth, outs in channel.outs.items()
                     if truth.isalpha() and key_of(truth.lower()).isascii()  # not `鸭`
                     for seen, lp in outs if len(seen) == 1 and seen.isdigit() and lp >= floor)


def heading_digit_debris(
    core: str, known_keys: Container[str], digits: Container[str] = frozenset()
) -> bool:
    """A capital word of a heading in plain text whose digits are eng-OCR's print of
    letters, not a code's number: read with its digits as capitals it spells a key of
    the corpus (`KH6NG`, `S6M`, `1E`: KHÔNG, SỚM, LỆ), or it has one digit of `digits`
    (`letter_digits`) among capitals with a vowel (`E6NG`, `CU6EC`: ÔNG, CUỘC), which
    the search then reads with the character channel. Codes spell no key and have
    other digits, or more, or no vowel (`ST25`, `4GB`, `CO2`, `QL6`)."""
    if key_of(core.translate(_DIGIT_CAPITALS).lower()) in known_keys:
        return True
    plain = strip_marks(core)
    return bool(_ONE_DIGIT_WORD.fullmatch(plain) and len(plain) >= 3
                and _DIGIT.search(plain).group() in digits and _CAPITAL_VOWELS.search(plain))


def is_protected(
    core: str, trail: str = "", *, accented: bool = True,
    known_keys: Container[str] | None = None, heading_debris: bool = False,
    digits: Container[str] = frozenset(), opens_line: bool = True,
) -> bool:
    """Tokens restoration must never touch: numbers, codes, units (`m2`), abbreviations,
    list markers (`c)`), and words no Vietnamese syllable could be: longer than seven
    letters, or with several vowel groups (Hêrôin) — in plain text two groups may be OCR
    debris of one syllable (`ngudi` for người), so there it takes three; in accented text
    a short small word with two is vie-OCR's debris too (`bảri`, `âmi`: its ri for n, an
    i for a speck; all dev photocopies +3, nothing broken), and it keeps its own form as
    a candidate (`video`, `email`: no syllable is near enough to compete).
    `heading_debris`: the token stands in a heading in capitals of plain text and the
    corpus knows no such word, so a capital word that is no syllable is OCR debris of
    one (`BQ` for BỘ, `NHITNG` for NHỮNG), not an abbreviation (see `CandidateGenerator`);
    `digits`: the ones the OCR prints for letters (`letter_digits`). A letter and a full
    stop is a list's label or an initial (`a.`, `Y.`) where it opens its line
    (`opens_line`) or is a capital; after a word a small one ends a sentence (`chú y.`:
    chú ý)."""
    if not _LETTER.search(core):
        return True  # numbers, dates, amounts
    if len(core) == 1 and (trail[:1] == ")" or trail[:1] == "." and (
            opens_line or not core.islower())):
        return True
    letters_only = "".join(c for c in strip_marks(core).lower() if c.isalpha())
    groups = len(_VOWEL_GROUPS.findall(letters_only))
    if len(letters_only) > 7 or groups >= 3 or groups == 2 and accented and not (
            core.islower() and core.isalpha() and len(letters_only) <= 6):
        return True
    if (_CODE_CHARS.search(core) or WEB.search(core)) and (
            accented or not _MARK_SYMBOL_INSIDE.fullmatch(core)):
        return True
    letters = _LETTER.findall(core)
    if _LETTER_NUMBER.fullmatch(core) or _AREA_UNIT.fullmatch(core):
        return True
    if accented and _CAPITAL_DIGIT.fullmatch(core):
        return True  # vie-OCR prints no digit for a letter: `K2`, `D1`, `S7` are codes
    if _DIGIT.search(core):
        # Digits inside a short word are OCR debris (d3, 1a, T6, 16n); several capitals
        # with digits, or three digits in a row, are a code (QL6, COVID19, E350d) —
        # except in a heading's debris (`heading_digit_debris`: `KH6NG`, `E6NG`) and
        # where a vowel carries a mark: codes are written without them (`2ỘNG`: CỘNG).
        if heading_debris and known_keys is not None and (
                heading_digit_debris(core, known_keys, digits)):
            return False
        if _MARKED_VOWEL.search(core):
            return False
        return sum(c.isupper() for c in letters) >= 2 or bool(_DIGIT_RUN.search(core))
    if len(letters) >= 2 and core.isupper():
        if heading_debris and trail[:1] == "." and not _VOWEL_GROUPS.search(letters_only):
            return True  # an abbreviation with its dot, no debris of a syllable (`TM.`, `KT.`)
        # Headings are upper case too: keep only what cannot be a Vietnamese syllable,
        # marked (NGHỊ) or not (QUYET, whose key some syllable has); UBND has neither.
        # An apostrophe inside is eng-OCR's horn (THU'C for THỰC), not a letter.
        lower = normalize_tone(_APOSTROPHES.sub("", core.lower()))
        return not heading_debris and not is_vietnamese_syllable(lower) and (
            known_keys is None or key_of(lower) not in known_keys
        )
    return False


def _deletions(word: str, most: int) -> set[str]:
    """`word` with at most `most` of its characters deleted, itself included."""
    found = layer = {word}
    for _ in range(most):
        layer = {w[:i] + w[i + 1:] for w in layer for i in range(len(w))}
        found = found | layer
    return found


MARKS_PIVOT = 6.0  # nats: a mark change the vie-OCR channel rates at -6 costs change_marks


class CandidateGenerator:
    """Candidate syllables for one token core, with channel log-scores."""

    RESCORE = 16  # fuzzy candidates rescored by the character channel
    NEAR_KEYS = 12  # keys a query's fuzzy search keeps, nearest first
    # ... for a word the OCR doubted in plain text: one edit from a short key reaches
    # dozens of keys (`dat`: da, dau, dan, ..., dot), so the twelve first in key order
    # missed the word meant (đợt, cám for `cém`); only doubted words pay for the wider cut.
    # eng dev set with confidences: 2,038 syllable errors narrow, 1,957 at 48 and 40,
    # 1,977 at 32 and 24; 20 keys do as well as 40 (with the digit readings: 1,908 and
    # 1,909), for less of the search's time.
    WIDE_RESCORE = 48
    WIDE_NEAR_KEYS = 20
    CACHE_SIZE = 40_000  # memoised token forms; at 200,000 a 10 MB input peaked 1.35 x a 1 MB one

    def __init__(
        self,
        tok: RestoreTokenizer,
        params: dict[str, float],
        confusions: dict[str, list[list]] | None = None,
        char_channel: CharChannel | None = None,
        log_freq: list[float] | None = None,
        copy_form: Callable[[str], str] | None = None,
        unit_log_counts: np.ndarray | None = None,
    ) -> None:
        """`confusions`: truth syllable → [[seen form, count], ...] read off real
        Tesseract output (`vnocr.channel` tables); inverted here into a channel
        seen → {syllable: log P(seen | syllable)}. `copy_form`: what a token kept as
        it is will read as in the output (an abbreviation gets its Đ back), which the
        language model should see. `unit_log_counts`: the corpus log count of each
        language-model unit, which tells abbreviations from debris in headings; without
        it every capital word that is no syllable is kept."""
        self.tok = tok
        # Text known to be OCR output: a number with capitals (`1A`) may be a word the
        # OCR misread (eng-OCR prints là so); in other text it is a code (`Quốc lộ 1A`).
        # And a spelled syllable may be another's print (see _add_reverse_prints).
        self.reads_ocr = False
        self.copy_form = copy_form or (lambda core: core)
        self.unit_log_counts = unit_log_counts
        self.p = params
        self.char_channel = char_channel
        self.letter_digits = letter_digits(char_channel)  # see heading_digit_debris
        self.log_freq = log_freq if log_freq is not None else [0.0] * len(tok.vocab)
        self._freq_scores = [FREQ_WEIGHT * f for f in self.log_freq]  # see _fuzzy_scores
        self.keys = list(tok.by_key)
        self._deletion_index: dict[int, dict[str, list[int]]] = {}  # see _keys_by_deletion
        self.fuzzy_keys = lru_cache(maxsize=100_000)(self._fuzzy_keys)
        self._open_by_onset: dict[str, tuple[str, ...]] = {}  # see _open_keys
        self._syllables_of: dict[str, tuple[tuple[int, str, float], ...]] = {}
        # Text repeats its words: a token's candidates are computed once per process
        # (`forget` drops them when the params change).
        self._cache: dict[tuple[str, str, bool, bool, bool], TokenCandidates] = {}
        # The search's result depends on fewer things than the token's (not on the
        # character after it, nor on a heading): a word met with another trail or
        # punctuation reuses it (a quarter of eng-OCR's searches were repeats).
        self._searched: dict[tuple[str, bool, bool], tuple[np.ndarray, np.ndarray]] = {}
        # searches computed ahead for common forms (see shipped_searches.py): a file to
        # read at the first search, and what it gave (None: not read yet)
        self._shipped_file: Path | None = None
        self._shipped: Mapping[tuple[str, bool, bool], tuple[np.ndarray, np.ndarray]] | None = {}
        self._printed_as: Mapping[str, tuple[int, ...]] | None = None  # see reverse_prints
        self.seen_as: dict[str, dict[int, float]] = {}
        for truth, seen_counts in (confusions or {}).items():
            out_id = tok.out_index.get(normalize_tone(truth.lower()))
            if not out_id:
                continue
            total = sum(c for _, c in seen_counts)
            for seen, count in seen_counts:
                entry = self.seen_as.setdefault(normalize_tone(seen.lower()), {})
                entry[out_id] = max(entry.get(out_id, -1e9), math.log(count / total))

    def _fuzzy_keys(self, query: str, wide: bool = False) -> tuple[tuple[str, int], ...]:
        """The keys within `limit` edits of `query`, nearest first (at most `NEAR_KEYS`,
        `WIDE_NEAR_KEYS` when `wide`).

        Searched among the keys that, with at most `limit` letters deleted, meet the query
        with at most `limit` deleted (`_keys_by_deletion`): any two strings that near do
        (a substitution is a deletion on both sides, an insertion one on the other), and
        most keys of the same length do not; kept in key order, so ties rank as among all
        keys. Set look-ups instead of a dozen numpy calls a query over the ~1,400 keys
        of near length: 0.22–0.30 → 0.17 s main-thread CPU on the eng-OCR bench file's
        3,462 queries, in the whole process."""
        limit = 1 if len(query) <= 3 else 2
        index = self._keys_by_deletion(limit)
        near: set[int] = set()
        for form in _deletions(query, limit):
            near.update(index.get(form, ()))
        keys = self.keys
        hits = process.extract(query, [keys[i] for i in sorted(near)],
                               scorer=Levenshtein.distance, score_cutoff=limit,
                               limit=self.WIDE_NEAR_KEYS if wide else self.NEAR_KEYS)
        return tuple((k, int(d)) for k, d, _ in hits)

    def _keys_by_deletion(self, most: int) -> dict[str, list[int]]:
        """Each form a key takes with at most `most` letters deleted → the positions in
        `keys` of the keys that take it, ascending (built at the first search: only
        debris and plain text are searched)."""
        found = self._deletion_index.get(most)
        if found is None:
            found = self._deletion_index[most] = {}
            for position, key in enumerate(self.keys):
                for form in _deletions(key, most):
                    found.setdefault(form, []).append(position)
        return found

    def for_token(
        self, core: str, trail: str, accented_doc: bool, ocr_unsure: bool = False, *,
        heading: bool = False, opens_line: bool = True,
    ) -> TokenCandidates:
        """The candidates of a token, memoised (see `forget`). `ocr_unsure`: the OCR
        gave the word a low confidence, so a valid syllable may be a misread one too.
        `heading`: the token's line is a heading in capitals (`capitals_line`).
        `opens_line`: the token is its line's first (see `is_protected`)."""
        if len(self._cache) > self.CACHE_SIZE:
            self._cache.clear()
            self._searched.clear()
        # only a capital word of plain text reads differently in a heading: one memo
        # entry for every other token
        heading = heading and not accented_doc and core.isupper()
        # only a letter before a full stop reads differently after a word
        opens_line = opens_line or len(core) != 1 or trail[:1] != "."
        key = (core, trail[:1], accented_doc, ocr_unsure, heading, opens_line)
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = self._token_candidates(
                core, trail, accented_doc, ocr_unsure, heading, opens_line)
        return found

    def plain_channel_ceiling(self, core: str | None = None) -> float:
        """A bound on the channel score of every candidate but COPY that
        `for_token(core, "", False)` gives (plain text, no trail, no OCR doubt, no
        heading): the highest of the scores its sources start from, since what they add
        is a log-probability (at most 0) or a penalty. Whatever `core` when it is None;
        for `core` itself lower where the form is no syllable, no syllable has its
        letters and the token table never saw it, so that only the fuzzy search's
        readings start from `char_bias`. Lets a search over many token forms (run_on.py)
        skip forms that could not win; tests/restore/test_candidates.py checks it on
        random forms."""
        p = self.p
        if self.char_channel is not None and p["char_w"] >= 0:
            fuzzy = p["char_bias"]  # char_bias + char_w * log P
        elif p["fuzzy"] <= 0 and p["fuzzy_marks"] <= 0:
            fuzzy = FREQ_WEIGHT * max(self.log_freq, default=0.0)  # see _fuzzy_scores
        else:
            return math.inf
        if core is not None and not self._read_directly(core):
            return fuzzy + max(p["unk_lm"], 0.0)
        starts = (p["keep_plain"], p["keep_accented"], p["strip"], p["change_marks"],
                  p["table"], p["table"] + p["digit_word"], fuzzy)
        return max(starts) + max(p["unk_lm"], 0.0)

    def _read_directly(self, core: str) -> bool:
        """Whether `core` has readings other than the fuzzy search's: it is a syllable,
        syllables have its letters, or the token table saw it."""
        lower = normalize_tone(core.lower())
        return (lower in self.tok.out_index or key_of(core) in self.tok.by_key
                or self._table_form(lower) in self.seen_as)

    @staticmethod
    def _table_form(lower: str) -> str:
        """The form the OCR's token table is asked for: the token as written, one
        opening with eng-OCR's bracket for l (`[a`) by its l, as the table saw the word
        (`la` for là)."""
        return "l" + lower[1:] if lower[:1] == "[" else lower

    def with_params(
        self, params: dict[str, float], *, reads_ocr: bool | None = None
    ) -> CandidateGenerator:
        """A generator over the same tables and channel that scores with `params`: the
        eng-OCR weight set shares plain text's confusions and key index (built once) and
        keeps its own memos, which carry its weights. `reads_ocr`: its text is known to
        be OCR output (see `reads_ocr` in __init__); by default as this one's."""
        twin = copy.copy(self)
        twin.p = params
        twin.reads_ocr = self.reads_ocr if reads_ocr is None else reads_ocr
        twin._cache = {}
        twin._searched = {}
        twin._shipped_file, twin._shipped = None, {}
        return twin

    def use_shipped_searches(self, path: Path) -> None:
        """Take the searches of common forms from `path` (see shipped_searches.py),
        read at the first search, where they were computed with this generator's weights."""
        self._shipped_file, self._shipped = path, None

    def _read_shipped(self) -> Mapping[tuple[str, bool, bool], tuple[np.ndarray, np.ndarray]]:
        """The shipped file's searches, where they hold for this generator (empty where
        not). Its reverse prints, checked on their own, are taken first: the file's probe
        searches then read them instead of building them (see `reverse_prints`)."""
        stored = shipped_searches.load(self._shipped_file, self)
        if stored is None:
            return {}
        if self._printed_as is None and stored.reverse_prints is not None:
            self._printed_as = stored.reverse_prints
        return stored.searches if shipped_searches.searches_agree(stored.searches, self) else {}

    def forget(self) -> None:
        """Drop the memos: `params` changed (Restorer.set_param calls this); a shipped
        file is checked against the new weights at the next search."""
        self._cache.clear()
        self._searched.clear()
        if self._shipped_file is not None:
            self._shipped = None

    def _token_candidates(
        self, core: str, trail: str, accented_doc: bool, ocr_unsure: bool = False,
        heading: bool = False, opens_line: bool = True,
    ) -> TokenCandidates:
        tok, p = self.tok, self.p
        known = tok.is_syllable(core)
        # In accented text an unmarked non-syllable with a capital is a foreign word or an
        # abbreviation (Queen, HAP, Shou'er): kept like numbers and codes. A lower-case one may be
        # a misread syllable (`trons` for trong): the channel and the LM weigh it.
        foreign = (accented_doc and _APOSTROPHES.sub("", core).isalpha()
                   and key_of(core) == core.lower() and not known and not core.islower())
        # `3a`, `4b`, `12A`: lot and road codes, unless real OCR output shows this very
        # form as a misread word (`1a` is là in eng-OCR; `1A` too, but only where the
        # text is known to be OCR output, and not before a comma or a full stop, where
        # là, which always takes a complement, cannot stand: `khu dân cư 1A, 6C`) or the
        # letters carry marks (`1ũ` is lũ: codes are written without them), or it is a
        # heading's debris (`TY 1E`: TỶ LỆ, see `heading_digit_debris`)
        misread = normalize_tone(core.lower()) in self.seen_as and (
            core.islower() or self.reads_ocr and trail[:1] not in _NO_COMPLEMENT)
        code = (bool(_DIGIT_LED.match(core)) and strip_marks(core) == core and not misread
                and (accented_doc or not self._letters_as_digits(core))
                and not (heading and heading_digit_debris(core, tok.by_key, self.letter_digits)))
        # a heading's capital word the corpus writes as a word or an abbreviation of its
        # own (`_known_capitals`) is searched like other capital debris, its written form
        # kept likelier (KNOWN_CAPITAL_KEEP); digits beside it make it a code (`QL6`)
        known = heading and self._known_capitals(core)
        known_word = known and core.isalpha() and len(core) >= 2
        kept = foreign or code or is_protected(
            core, trail, accented=accented_doc, known_keys=tok.by_key,
            heading_debris=heading and (known_word or not known), digits=self.letter_digits,
            opens_line=opens_line)
        if kept and not accented_doc and (
            core.isdigit() and len(core) <= 2 or core in SYMBOL_WORDS
        ) and core in self.seen_as:
            # eng-OCR prints ở as `6`, `&` or `@` and là as `14`: in plain text a short
            # number or such a symbol may be a word it misread; the language model weighs
            # that against the number or symbol
            words = self._digit_words(core)
            ids = np.array([COPY, *words], dtype=np.int64)
            # a mark printed after it (`tỷ 1¢`, `1€`: lệ) says it was a word, no number
            keep = p["copy_debris"] if trail[:1] in GLUED_MARKS else (
                DOUBTED_NUMBER_KEEP if ocr_unsure else 0.0)
            channel = np.array([keep, *words.values()])
        elif kept:
            ids, channel = np.array([COPY]), np.array([0.0])
        else:
            ids, channel = self._search(core, accented_doc, ocr_unsure)
            if not accented_doc and trail[:1] in GLUED_MARKS:
                ids, channel = self._with_marked_vowels(ids, channel, core, trail[0])
            if known_word:
                channel = np.where(ids == COPY, np.maximum(channel, KNOWN_CAPITAL_KEEP), channel)
        lm_ids = tok.out_to_lm[ids].copy()
        lm_ids[ids == COPY] = tok.lm_id(_lm_form(self.copy_form(core)))
        # <unk> stands for every rare word at once, so the LM rates it far above what
        # one particular unknown string deserves: charge the difference.
        channel = channel + np.where(lm_ids == tok.lm_unk, p["unk_lm"], 0.0)
        return TokenCandidates(kept, ids, lm_ids, channel)

    def _digit_words(self, core: str) -> dict[int, float]:
        """The words eng-OCR printed as the number or symbol `core` (its token table),
        and their same-key syllables a little less likely (`DIGIT_WORD_MARKS`): the
        table saw `18` for lễ, never for lệ, yet `tỷ 18` is tỷ lệ."""
        p, by_key, vocab = self.p, self.tok.by_key, self.tok.vocab
        words = {i: p["table"] + p["digit_word"] + lp for i, lp in self.seen_as[core].items()}
        for i, score in list(words.items()):
            for j in by_key[key_of(vocab[i])]:
                if score + DIGIT_WORD_MARKS > words.get(j, -1e9):
                    words[j] = score + DIGIT_WORD_MARKS
        return words

    def _search(
        self, core: str, accented_doc: bool, ocr_unsure: bool
    ) -> tuple[np.ndarray, np.ndarray]:
        """`generate`'s candidates as (out ids, channel scores), memoised by what they
        depend on (see `_searched`); the arrays are shared, so callers only read them."""
        key = (core, accented_doc, ocr_unsure)
        found = self._searched.get(key)
        if found is None:
            if self._shipped is None:
                self._shipped = self._read_shipped()
            found = self._shipped.get(key)
            if found is None:
                cands = self.generate(core, accented_doc, ocr_unsure)
                found = (np.fromiter(cands, dtype=np.int64, count=len(cands)),
                         np.fromiter(cands.values(), dtype=np.float64, count=len(cands)))
            self._searched[key] = found
        return found

    def _with_marked_vowels(
        self, ids: np.ndarray, channel: np.ndarray, core: str, mark: str
    ) -> tuple[np.ndarray, np.ndarray]:
        """`ids`/`channel` with the syllables a lone initial consonant and eng-OCR's glued
        mark may stand for (`c@` cỡ, `m@` mờ, `k@` kể, `d&` đỡ): the mark is its print
        of a marked vowel, so every open syllable with marks on that initial is a
        candidate, scored by the character channel on the token as printed. Without
        them the search (which never reads the mark) offered the consonant alone, and
        the mark, cut as debris, left a bare `c` in the text."""
        found = self._marked_vowels(core, mark)
        if not found:
            return ids, channel
        # the consonant as written is a fragment of a word, never a word: no COPY
        scores = {i: s for i, s in zip(ids.tolist(), channel.tolist()) if i != COPY}
        for i, score in found:
            if score > scores.get(i, -1e9):
                scores[i] = score
        return (np.fromiter(scores, dtype=np.int64, count=len(scores)),
                np.fromiter(scores.values(), dtype=np.float64, count=len(scores)))

    def _marked_vowels(self, core: str, mark: str) -> list[tuple[int, float]]:
        """(out id, channel score) of every marked open syllable on the initial `core` (a
        key without a vowel: c, ng, tr), seen as `core + mark`. All of them, not the
        channel's best few: it has seen too little of these marks to rank them (`d&` is
        equally likely đã, đỡ or dữ to it), so the language model chooses (`giúp đỡ`)."""
        onset = key_of(core)
        if not core.isalpha() or _VOWEL_GROUPS.search(onset) or self.char_channel is None:
            return []
        vocab, by_key = self.tok.vocab, self.tok.by_key
        ids = [i for k in self._open_keys(onset) for i in by_key[k] if vocab[i] != k]
        case = output_case(core)
        seen = self.char_channel.logp_many(core + mark, [apply_case(vocab[i], case) for i in ids])
        return [(i, self.p["char_bias"] + self.p["char_w"] * lp) for i, lp in zip(ids, seen)]

    def _open_keys(self, onset: str) -> tuple[str, ...]:
        """Keys of the open syllables on an initial: the initial and one or two vowels
        (memoised: a few dozen initials)."""
        found = self._open_by_onset.get(onset)
        if found is None:
            found = self._open_by_onset[onset] = tuple(
                k for k in self.keys
                if k.startswith(onset) and _OPEN_RHYME.fullmatch(k, len(onset)))
        return found

    def _fuzzy_scores(
        self, queries: list[str], written: str, wide: bool = False
    ) -> dict[int, float]:
        """Each syllable whose key is near one of `queries` (`fuzzy_keys`), scored by
        that key's distance, the distance of the written word to the syllable itself
        and its frequency; its best score over the queries, in the order of first
        sight (the order breaks ties in the cut to `RESCORE`).

        A syllable has one key, so its best score is its key's at the key's best
        distance over the queries (the score falls as the distance grows: `fuzzy` is
        not positive), and each key's syllables are scored once; their ids, spellings
        and frequency shares are laid out per key (`_key_syllables`), and the sum is
        added left to right as before, so the floats are the same. It runs some 60
        times a new token."""
        w_fuzzy, w_marks = self.p["fuzzy"], self.p["fuzzy_marks"]
        nearest: dict[str, int] = {}  # key → its best distance, in the order first met
        for q in queries:
            for k, d in self.fuzzy_keys(q, wide):
                if k not in nearest or (d < nearest[k] if w_fuzzy <= 0 else d > nearest[k]):
                    nearest[k] = d
        distance = Levenshtein.distance
        fuzzy: dict[int, float] = {}
        for k, d in nearest.items():
            key_score = w_fuzzy * d
            for i, syllable, freq_score in self._key_syllables(k):
                fuzzy[i] = key_score + w_marks * distance(written, syllable) + freq_score
        return fuzzy

    def _key_syllables(self, key: str) -> tuple[tuple[int, str, float], ...]:
        """(out id, spelling, frequency share of the fuzzy score) of each syllable of
        `key` (memoised: the keys near new tokens recur)."""
        found = self._syllables_of.get(key)
        if found is None:
            vocab, freq_scores = self.tok.vocab, self._freq_scores
            found = self._syllables_of[key] = tuple(
                (i, vocab[i], freq_scores[i]) for i in self.tok.by_key[key])
        return found

    def _known_capitals(self, core: str) -> bool:
        """The corpus writes this capital word (as spelled in the output: HDND as HĐND)
        often enough to be a word or an abbreviation of its own (`KNOWN_CAPITALS`); so
        is every word where the counts are not given."""
        if self.unit_log_counts is None:
            return True
        unit = self.tok.lm_id(self.copy_form(core))
        return unit != self.tok.lm_unk and self.unit_log_counts[unit] >= KNOWN_CAPITALS

    def _letters_as_digits(self, core: str) -> bool:
        """`1ap`, `10ng`, `1y`: eng-OCR's 1 for l and 0 for o, before small letters, spell
        a syllable (lập, lòng, lý). A lot or road code is a number and one letter of a–h
        (`1e`, `10a`, `3b`), or has a capital (`12A`)."""
        letters = core.lstrip("0123456789")
        return (core.islower() and not (len(letters) == 1 and letters in _LOT_LETTERS)
                and core.translate(_DIGIT_LETTERS) in self.tok.by_key)

    def generate(self, core: str, accented_doc: bool, ocr_unsure: bool = False) -> dict[int, float]:
        """The token's readings: output syllable id (COPY, 0: the token kept as written) →
        how likely the OCR printed the token for it, in the order found (the order breaks
        ties later); the decoder adds the language model's score."""
        tok, p = self.tok, self.p
        lower = normalize_tone(core.lower())
        own = tok.out_index.get(lower, 0)
        key = key_of(core)
        has_marks = key != core.lower()
        cands: dict[int, float] = {}
        if own:
            # A valid syllable as written: in accented text it is most likely right.
            cands[own] = p["keep_accented"] if (has_marks or accented_doc) else p["keep_plain"]
        else:
            cands[0] = p["copy_word"] if core.isalpha() else p["copy_debris"]
        same_key = tok.by_key.get(key, ())
        # Which marks the OCR confuses matters where marks are trusted: vie-OCR prints đ
        # for d far more often than u for ư (its channel: -3.8 against -8.7 nats), so a
        # change of marks costs more or less than change_marks by the channel's odds
        # around a typical confusion (MARKS_PIVOT), weighted by `marks_channel`.
        by_channel = accented_doc and p["marks_channel"] and self.char_channel is not None
        for i in same_key:
            if i != own:
                if not has_marks and not accented_doc:
                    cands[i] = p["strip"]
                elif not has_marks:
                    cands[i] = p["add_marks"]
                else:
                    cands[i] = p["change_marks"]
                    if accented_doc and not ocr_unsure and output_case(core) == "title":
                        cands[i] += NAME_CHANGE_MARKS
                    if by_channel:
                        seen = self.char_channel.logp(core, apply_case(tok.vocab[i], output_case(core)))
                        cands[i] += p["marks_channel"] * (seen + MARKS_PIVOT)
        # In accented text an unmarked non-syllable is a foreign word (Air, Omaha), not
        # OCR debris: only plain text searches further. An unmarked syllable the OCR
        # doubted may have lost a letter (`linh hot`, `mạng gay`: hoạt, ngay): all dev
        # photocopies with confidences, 411 → 408 syllable errors, none broken. So may
        # one in small letters whose letters the corpus writes with marks far more often
        # (`tong`: tổng; trong), doubted or not: text without confidences is searched too.
        lost = (accented_doc and own and not has_marks and core.islower()
                and (marked_reading_margin(tok, self.log_freq, lower) or 0.0) > LOST_MARKS_RATIO)
        searchable = (not accented_doc or has_marks or not core.isalpha()
                      or (ocr_unsure or lost) and own)
        # An all-capitals word without a vowel is a code in plain text too (VT, KT, HĐND
        # in `Lưu: VT, KT.`, read VẬT on every eng-OCR administrative page; no dev set's
        # output changed); small letters may be a syllable whose vowel eng-OCR lost (nd: nỗ).
        if (accented_doc or core.isupper()) and core.isalpha() and not _VOWEL_GROUPS.search(key):
            searchable = False  # cm, kg, TP: no vowel, so no syllable
        # In plain text (marks absent or unreliable) two kinds of written syllables are
        # searched as debris too: marked ones, whose marks are the OCR's (its é prints ê,
        # ế, ồ, ơ, ấ: `chét` is chất), and keys that only rare syllables strip to (`ting`:
        # its i for â in tầng). In any text, so is a word the OCR doubted (`ocr_unsure`:
        # vie-OCR misreads real words as other real words, `thông mình` for minh).
        unsure = ocr_unsure or lost or not accented_doc and (
            has_marks or all(self.log_freq[i] < RARE_KEY for i in same_key))
        if (len(core) > 1 and searchable and (not own or unsure)
                and (not same_key or not core.isalpha() or unsure)):
            query = strip_marks(core).lower()
            query_letters = "".join(c for c in query if c.isalnum())
            # and with eng-OCR's digits for letters read back (`1o` → lo: lộ); in this order,
            # not a set's (hash order would make ties in the cut below differ between runs)
            queries = [q for q in dict.fromkeys(
                (query, query_letters, _read_back(query, core))) if q]
            # a word the OCR doubted in plain text is searched wider (`WIDE_RESCORE`)
            wide = ocr_unsure and not accented_doc
            fuzzy = self._fuzzy_scores(queries, core.lower(), wide)
            if self.char_channel is not None:
                # Rescore the best few by what OCR really does to letters.
                fuzzy.update({i: -1e9 for i in cands if i})
                top = sorted(fuzzy, key=fuzzy.get, reverse=True)[
                    : self.WIDE_RESCORE if wide else self.RESCORE]
                case = output_case(core)
                seen = self.char_channel.logp_many(
                    core, [apply_case(tok.vocab[i], case) for i in top])
                fuzzy = {i: p["char_bias"] + p["char_w"] * lp for i, lp in zip(top, seen)}
            for i, score in fuzzy.items():
                if score > cands.get(i, -1e9) or self.char_channel is not None and i:
                    cands[i] = score
        table = self.seen_as.get(self._table_form(lower), {})  # the OCR's token table
        for i, logp in table.items():
            score = p["table"] + logp
            if score > cands.get(i, -1e9):
                cands[i] = score
        if self.reads_ocr and not accented_doc and self.char_channel is not None:
            self._add_reverse_prints(
                core, cands, -math.inf if same_key else math.log(UNSPELLED_PRINT_FLOOR))
        return cands

    def _add_reverse_prints(self, core: str, cands: dict[int, float], least: float) -> None:
        """OCR output may be a syllable's likely print that the search above does not
        reach: one whose letters spell another syllable (`Sip xép` for sắp xếp: the
        search never looks past a spelled key), or whose fuzzy neighbours crowd it out
        (`théi` for thỏi). The syllables the character channel most often prints as `core`
        (`reverse_prints`) join where the channel gives `core` a log-probability of at
        least `least`, scored by it as the fuzzy ones are. Only in text known to be OCR
        output (eng-OCR): elsewhere a spelled syllable is what was typed."""
        p, vocab = self.p, self.tok.vocab
        case = output_case(core)
        for i in self.reverse_prints().get(core.lower(), ()):
            if i not in cands:
                seen = self.char_channel.logp(core, apply_case(vocab[i], case))
                if seen >= least:
                    cands[i] = p["char_bias"] + p["char_w"] * seen

    def reverse_prints(self) -> Mapping[str, tuple[int, ...]]:
        """Print → the output syllables of other keys that print so (`prints_elsewhere`),
        so every form with such candidates is among the shipped searches. The shipped
        file's where it holds them (`_read_shipped`), else built on first use (0.07 s)."""
        if self._printed_as is None:
            found: dict[str, list[int]] = {}
            for i in range(1, len(self.tok.vocab)):
                for printed in self.prints_elsewhere(i):
                    found.setdefault(printed, []).append(i)
            self._printed_as = {form: tuple(ids) for form, ids in found.items()}
        return self._printed_as

    def prints_elsewhere(self, i: int) -> list[str]:
        """Output syllable `i`'s likeliest prints (`shipped_searches.PRINT_BEAM` of them,
        as the shipped searches are chosen) of probability at least REVERSE_PRINT_FLOOR
        that spell another key than its own."""
        word = self.tok.vocab[i]
        key = key_of(word)
        return [printed for printed in self.char_channel.likely_prints(
                    word, math.log(REVERSE_PRINT_FLOOR), shipped_searches.PRINT_BEAM)
                if key_of(printed) != key]
