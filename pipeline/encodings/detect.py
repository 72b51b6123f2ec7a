"""Which legacy encoding, if any, a run of text is in: the candidate whose conversion
yields the most real Vietnamese syllables wins, and only when it beats the text as read.

A word counts for a reading when it is a syllable the corpus uses (the shipped syllable
inventory, at least 20 occurrences), against it when it holds non-ASCII characters but is
no such syllable (`ViÖt`, `cafộ`), and not at all when it is ASCII, one letter long, or a
capitalised foreign name in Latin-1 letters (`Napoléon`, `Saborío`: two vowel groups, so
no syllable, and a wrong table rarely yields only Latin-1 letters).
Correct Vietnamese already scores every marked word, so no reading can beat it; French,
German or Spanish words with accents turn into non-syllables under every legacy table.
"""

from __future__ import annotations

import gzip
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from vnocr.encodings.common_syllables import COMMON_SYLLABLES
from vnocr.encodings.convert import (
    BYTE_ENCODINGS,
    all_surface,
    convert_bytes,
    convert_run,
    decode_legacy,
    has_telltale,
    reads_as_shown,
    surface_bytes,
)
from vnocr.encodings.tables import VNI_DECODE
from vnocr.text import normalize_tone

_SYLLABLES = Path(__file__).resolve().parent.parent / "lexicon" / "data" / "syllables.txt.gz"
_EDGE = "\"'`()[]{}<>,.;:!?«»“”‘’…–—*/\\|"
_PART_RE = re.compile(r"[^\s\-/_()\[\]{}<>,;:=+]+")  # words of `Tên_biến[(đầu`
_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"
MIN_RATIO = 3  # real syllables per non-syllable, at least, in an accepted reading
# Share of a run's words (two letters or more) that must be real marked syllables: about
# four in five Vietnamese syllables carry a mark, while a lone `ddi` or `THU'C` in an
# English-model OCR line of unmarked words (`cao chat lugng ... va ddo tao`) is no VIQR.
MIN_MARKED_SHARE = 0.3


_COMMON = frozenset(COMMON_SYLLABLES)
_VIQR_MARK = re.compile(r"(?<=[aeiouyAEIOUY])[\^(+]|(?<=[aeiouyAEIOUY^(+])['`?~.]|\b(?:dd|DD|Dd)")
_VOWEL_GROUPS = re.compile(r"[aeiouyàáâãèéêìíòóôõùúýăơư]+")
# ASCII characters some byte table reads as another (VISCII, VPS and TCVN3 put letters on
# control bytes); every other ASCII character each table reads as itself, and no VNI
# spelling is all ASCII, so a run of only those converts to itself in every byte
# encoding (TCVN3's capital recovery only upper-cases words without small ASCII letters)
_BYTE_TABLE_LETTERS = re.compile("[" + re.escape("".join(
    chr(b) for b in range(128)
    if any(decode_legacy(bytes([b]), e) != chr(b) for e in BYTE_ENCODINGS))) + "]")
assert not any(spelling.isascii() for spelling in VNI_DECODE)
# What VIQR may convert, in any text: an escape, a dd, a mark after an ASCII vowel (all
# viqr._VIQR_RE matches), so a run without one is never read as VIQR (eng-OCR lines: a
# third of their detection)
_VIQR_SIGNAL = re.compile(r"\\|[dD][dD]|[aeiouyAEIOUY][(^+'`?~.]")


@lru_cache(maxsize=1)
def _syllables() -> frozenset[str]:
    with gzip.open(_SYLLABLES, "rt", encoding="utf-8") as f:
        return frozenset(w for w in f.read().split("\n") if w and not w.startswith("#"))


def _is_word(core: str) -> bool:
    """A word the marked share counts: marked, small letters only (unmarked syllables and
    OCR debris like `trdi`), or a capitalised syllable; a name (`Pizarro`) does not count."""
    if len(core) < 2 or not core.isalpha():
        return False
    return not core.isascii() or core.islower() or core.lower() in _syllables()


def _tone_count(word: str) -> int:
    return sum(c in _TONE_MARKS for c in unicodedata.normalize("NFD", word))


@lru_cache(maxsize=1 << 16)
def _word_vote(core: str) -> int:
    """+1 a real syllable, -1 a non-ASCII non-syllable, 0 neither (ASCII, one letter)."""
    if "\ufffd" in core:
        return -1
    if core.isascii():
        return 0
    if core.isalpha():
        if len(core) < 2:
            return 0
        if not (core.islower() or core.isupper() or core.istitle()):
            return -1  # `chuyỀn`: VPS bytes read as VISCII
        if _is_foreign_name(core):
            return 0
        if _tone_count(core) > 1:  # `ngòải`: normalize_tone would keep one of them
            return -1
        return 1 if normalize_tone(core.lower(), "old") in _syllables() else -1
    return -1 if any(not c.isascii() and not c.isdigit() for c in core) else 0


def _is_foreign_name(core: str) -> bool:
    """`Napoléon`, `Álvaro`: capitalised, Latin-1 letters only, two vowel groups (no
    Vietnamese syllable has two). Vietnamese text names foreigners so; a wrong table's
    reading of French or German brings letters beyond Latin-1 (`cafộ`, `Kừln`)."""
    return (core[0].isupper() and core[1:].islower() and all(ord(c) < 0x100 for c in core)
            and len(_VOWEL_GROUPS.findall(core.lower())) >= 2)


@dataclass(frozen=True)
class Score:
    """How well one reading of some bytes reads as Vietnamese, for the encoding detector to compare.

    `good` counts words that are real syllables, `bad` non-ASCII words that are none;
    the properties are the bars a reading must clear to be chosen over another.
    """

    good: int
    bad: int
    words: int = 0  # words `_is_word` counts
    syllables: frozenset[str] = frozenset()  # the real syllables, lowercase
    words_alone: frozenset[str] = frozenset()  # the real syllables that are a whole
    # whitespace-separated word (but for punctuation), lowercase: not `cô` of `ằ-cô-Argument`

    @property
    def common(self) -> int:
        """How many of the real syllables are among the corpus's most frequent."""
        return len(self.syllables & _COMMON)

    @property
    def net(self) -> int:
        return self.good - self.bad

    @property
    def plausible(self) -> bool:
        """Enough real syllables, and few enough non-syllables, to re-read valid Unicode."""
        return self.good >= 1 and self.good >= MIN_RATIO * self.bad

    @property
    def readable(self) -> bool:
        """More real syllables than not: the bar for a file that is not UTF-8, which has
        no reading but a legacy one (foreign names in short lines: `Napoléon ... Pháp`)."""
        return self.good >= 1 and self.good >= self.bad

    @property
    def mostly_marked(self) -> bool:
        """Enough of the words are real marked syllables for text that is valid Unicode
        to be re-read as legacy (a file that is not UTF-8 has no such alternative)."""
        return self.good >= MIN_MARKED_SHARE * self.words


def score(text: str) -> Score:
    """How Vietnamese `text` reads as decoded: its words that are real syllables and its
    non-ASCII words that are none, to compare readings of the same bytes."""
    return _scored(text, *_votes(text))


def plausible_score(text: str) -> Score | None:
    """`score(text)`, or None where it is not `plausible` (the first thing `_accepts`
    asks): known from the votes alone, before the sets that took most of the time are
    built. Most readings of an eng-OCR line (its é and ô make every line be read in
    every byte encoding) end there."""
    cores, votes = _votes(text)
    if not Score(good=votes.count(1), bad=votes.count(-1)).plausible:
        return None
    return _scored(text, cores, votes)


def _votes(text: str) -> tuple[list[str], list[int]]:
    """The words of `text` (edge punctuation stripped) and their `_word_vote`s."""
    cores = [part.strip(_EDGE) for part in _PART_RE.findall(text)]
    return cores, list(map(_word_vote, cores))


def _scored(text: str, cores: list[str], votes: list[int]) -> Score:
    syllables = frozenset(c.lower() for c, v in zip(cores, votes) if v == 1)
    alone = frozenset(w.strip(_EDGE).lower() for w in text.split()) & syllables
    return Score(good=votes.count(1), bad=votes.count(-1), words=sum(map(_is_word, cores)),
                 syllables=syllables, words_alone=alone)


@cache
def _telltale_pairs(encoding: str) -> frozenset[str]:
    """Base letter + mark spellings that betray VNI (`aù`, `eä`) or Windows-1258 (`êÌ`)
    though both characters are Vietnamese letters: pairs no syllable in the inventory
    contains (VNI `oà` is also Unicode hoà, so it betrays nothing)."""
    if encoding == "vni":
        pairs = {s for s in VNI_DECODE if len(s) == 2}
    elif encoding == "cp1258":
        pairs = {v + m for v in "aeiouyâêôãõýAEIOUYÂÊÔÃÕÝ" for m in "ÌìÒòÞ"}  # ã õ ý: ă ơ ư
    else:
        return frozenset()
    inventory = _syllables()
    return frozenset(p for p in pairs if not any(p.lower() in s for s in inventory))


def _has_telltale_pair(run: str, encoding: str) -> bool:
    pairs = _telltale_pairs(encoding)
    return bool(pairs) and any(run[i:i + 2] in pairs for i in range(len(run) - 1))


def best_reading(
    run: str, *, escaped_viqr: bool, sentence_start: bool, whole_line: bool,
    found_elsewhere: frozenset[str] = frozenset(),
) -> tuple[str, str] | None:
    """(encoding, converted text) of the best accepted reading that beats `run` as it
    is, or None; ties go to the reading with more common syllables (VPS `sĩ Mỹ` over
    VISCII `sỉ Mỳ`). `run` holds only characters `all_surface` accepts;
    `found_elsewhere`: encodings `_accepts` found on its own in other runs of the
    document, which lower the bar for this one (see `_accepts`)."""
    viqr = ("viqr",) if _VIQR_SIGNAL.search(run) else ()
    if run.isascii() and not _BYTE_TABLE_LETTERS.search(run):
        encodings: tuple[str, ...] = viqr  # every byte reading is the run itself
    else:
        encodings = (*(e for e in BYTE_ENCODINGS if not reads_as_shown(run, e)), *viqr)
    if not encodings:
        return None  # every reading is the run itself (the common case: ASCII text)
    as_read: Score | None = None  # scored once a reading is plausible
    data = surface_bytes(run) if encodings != viqr else b""  # the bytes every table reads
    best: tuple[tuple[int, int], str, str] | None = None
    for encoding in encodings:
        if encoding == "tcvn3" and _tcvn3_refused(run, data):
            continue
        converted = (
            convert_run(run, "viqr", escaped=escaped_viqr) if encoding == "viqr"
            else convert_bytes(data, encoding, sentence_start=sentence_start)
        )
        if converted == run:
            continue
        reading = plausible_score(converted)
        if reading is None:
            continue  # `_accepts` refuses it first
        if as_read is None:
            as_read = score(run)
        if not _accepts(run, encoding, reading, as_read, whole_line=whole_line,
                        found_elsewhere=encoding in found_elsewhere):
            continue
        key = (reading.net, reading.common)
        if reading.net > as_read.net and (best is None or key > best[0]):
            best = (key, encoding, converted)
    return None if best is None else (best[1], best[2])


def _tcvn3_refused(run: str, data: bytes) -> bool:
    """Whether `_accepts` refuses TCVN3's reading of `data` whatever case its capital
    recovery gives each word, known before recovering them: with no TCVN3 telltale in
    `run` it takes only a reading with no non-syllable, and a word that votes -1 in small
    letters votes -1 in every case if it is no foreign name in any (a letter beyond
    Latin-1, or not letters only). Recovery changes only case, which keeps word
    boundaries, lower(), marks and those kinds (tests/encodings/test_reading_shortcuts.py).
    Nearly every eng-OCR line (`phién` → phiộn) ends here."""
    if has_telltale(run, "tcvn3"):
        return False
    return any(map(_against_in_any_case, _PART_RE.findall(decode_legacy(data, "tcvn3"))))


@lru_cache(maxsize=1 << 16)
def _against_in_any_case(part: str) -> bool:
    """Whether the word of `part` votes -1 in whatever case its letters are (see
    `_tcvn3_refused`)."""
    core = part.strip(_EDGE)
    return _word_vote(core.lower()) == -1 and (not core.isalpha() or max(core) > "\xff")


def _accepts(run: str, encoding: str, reading: Score, as_read: Score, *,
             whole_line: bool, found_elsewhere: bool) -> bool:
    """Whether valid Unicode `run` may be re-read in `encoding` as `reading`.

    Only on strong evidence, because OCR output looks like mojibake: English-model OCR
    writes `cé mét` for có một, which TCVN3 reads `cộ một`. The reading must be
    plausible and mostly marked, and gain syllables the text as read lacks: two; or one,
    for a run whose encoding other runs of the document showed on their own; or one for
    a line alone that holds another, or whose one gain is a common syllable written as
    a word of its own, with no non-syllable left (`§iÒu 53.` → Điều 53.; not German
    `»-c«-Argument` → `ằ-cô-Argument`), in VIQR only a word with two marks or more. A byte encoding must also see a character that
    betrays it (`has_telltale`), unless the reading leaves no non-syllable and turns
    non-syllables into two or more common syllables (`KÕt thóc cuéc` → Kết thúc cuộc,
    all Vietnamese letters; not `Hmong Dô` → `Dụ`), or into one while keeping every
    syllable the text had as read, if it had one (Windows-1258 `Tháng 9 nãm` → năm),
    or into any syllables so where the encoding was found elsewhere (TCVN3 `Anh Tó`)."""
    if not (reading.plausible and reading.mostly_marked):
        return False
    gained = reading.syllables - as_read.syllables  # `n° … n°` → `nổ … nổ` is one
    clean = reading.bad == 0
    if encoding != "viqr" and not (has_telltale(run, encoding) or _has_telltale_pair(run, encoding)):
        repairs = clean and as_read.bad >= 1
        keeps = bool(gained) and as_read.syllables <= reading.syllables
        one_more = keeps and (found_elsewhere or (as_read.good >= 1 and bool(gained & _COMMON)))
        return repairs and (len(gained & _COMMON) >= 2 or one_more)
    if len(gained) >= 2 or (len(gained) == 1 and found_elsewhere and clean):
        return True
    if not whole_line or len(gained) != 1:
        return False
    common_word = clean and gained <= _COMMON and gained <= reading.words_alone
    if encoding == "viqr":  # one VIQR mark is too easily an OCR slip (`thu.`)
        return common_word and _most_viqr_marks(run) >= 2
    return len(reading.syllables) >= 2 or common_word


def _most_viqr_marks(run: str) -> int:
    """The most VIQR marks one word of `run` carries (`DDie^`u` three, `tha'ng` one)."""
    return max((len(_VIQR_MARK.findall(word)) for word in run.split()), default=0)


def surface_runs(line: str) -> list[tuple[int, int]]:
    """(start, end) of the stretches a legacy reading may convert: maximal runs of words
    made only of Windows-1252 characters. A word with any other character (ệ, a combining
    mark) is Unicode already and splits runs, so a legacy heading font mixed into Unicode
    text converts on its own."""
    if line.isascii() or all_surface(line):  # nothing splits it: one run (eng-OCR's é, ô
        # are surface characters too: nearly all its lines); str.strip and the regex \s
        # strip the same characters (both ask str.isspace)
        end = len(line.rstrip())
        return [(len(line) - len(line.lstrip()), end)] if end else []
    return _runs_word_by_word(line)


def _runs_word_by_word(line: str) -> list[tuple[int, int]]:
    """`surface_runs` with each word and gap tested."""
    spans: list[tuple[int, int]] = []
    start = end = None
    for m in re.finditer(r"\S+", line):
        if start is not None and not all_surface(line[end:m.start()]):
            spans.append((start, end))  # a space no legacy byte stands for (U+202F)
            start = None
        if all_surface(m.group()):
            start = m.start() if start is None else start
            end = m.end()
        elif start is not None:
            spans.append((start, end))
            start = None
    if start is not None:
        spans.append((start, end))
    return spans


def rank_byte_encodings(lines: list[bytes]) -> list[tuple[str, Score]]:
    """Every legacy byte encoding with its score over `lines`, best first: by net
    syllables, then by common ones (VPS `sĩ Mỹ` over VISCII `sỉ Mỳ`), then in
    `BYTE_ENCODINGS` order."""
    totals = []
    for encoding in BYTE_ENCODINGS:
        scores = [score(convert_bytes(line, encoding, sentence_start=True)) for line in lines]
        totals.append((encoding, Score(good=sum(s.good for s in scores),
                                       bad=sum(s.bad for s in scores),
                                       words=sum(s.words for s in scores),
                                       syllables=frozenset().union(*(s.syllables for s in scores)))))
    return sorted(totals, key=lambda t: (-t[1].net, -t[1].common))
