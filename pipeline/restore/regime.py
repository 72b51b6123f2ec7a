"""What kind of text a document is, decided once before decoding.

* the regime: are its marks trustworthy ("accented": vie-OCR, typed Vietnamese) or
  absent or unreliable ("plain": stripped, eng-OCR, typed with only some marks)?
* in plain text, is it an English-model OCR's output (debris in its words) or typed?
* which tone convention (hoá or hóa) to write;
* did the OCR doubt enough of the page that its doubts mark misreads (a damaged page)?

Each decides weights, candidates or rules further on; here is the one place each is
decided (`RegimeDetector.facts`).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence

from vnocr.document import TextFacts
from vnocr.restore.tokenizer import RestoreTokenizer
from vnocr.text import Token, detect_tone_style, key_of, strip_marks

# Share of words with Vietnamese-only marks: about 45 % in Vietnamese text (at least
# 40 % in documents of 40 dev lines, 10 % in single lines of 20 words or more), 0 in
# stripped text and in eng-OCR output, at every document length.
ACCENTED_THRESHOLD = 0.1
SHORT_TEXT = 20  # words; below this the ratio of marked words says little
LOST_MARKS_SHARE = 0.1  # words that lost their marks (see _lost_marks): plain text
LOST_MARKS_MIN = 2  # ... and at least this many: one `la` in a short line says little
LOST_MARKS_RATIO = 3.0  # log counts: a marked reading e^3 = 20x as frequent as the unmarked
# Lost marks weighed against the marks present: correct text holding a real unmarked
# word twice (`da ... da`, `rang xay`) has 0.18-0.36 lost per word with Vietnamese-only
# marks in single dev lines, text typed with only some marks over 0.44 in 90 % of single
# lines, over 0.85 in 40-line documents. Of its single lines under 0.4, all but 1 in 46
# hold a word whose marked reading is at least e^5 = 150x as frequent (`cua`, `duoc`;
# `da`, `la` are 30x), which is enough alone (scripts/bench_regime.py).
LOST_PER_MARKED = 0.4
LOST_SURELY_RATIO = 5.0
OCR_DEBRIS_SHARE = 0.06  # debris words in 40-line documents: eng-OCR ≥ 11.6 %, typed ≤ 3 %
OCR_MIN_WORDS = 20
# An OCR word confidence at least this high marks a word Tesseract is sure of: on the
# photocopy dev pages 1.2 % of such words are wrong, 37 % of the others.
CONF_SURE = 0.85
DOUBTED_SHARE = 0.02  # ... of a page's words: a damaged page, whose doubts mean misreads
DOUBTED_SPECK = 0.5  # a lone letter or mark at a line's edge doubted this much: a speck
_LETTERS = re.compile(r"[^\W\d_]+")
_VIETNAMESE_ONLY = re.compile("[\u0306\u031b\u0309\u0303\u0323đĐ]")
_CODE = re.compile(r"[A-ZĐ0-9./\-]+")  # `U23`, `QĐ-UBND`, `3.455`: codes, no debris


class RegimeDetector:
    """Decides `TextFacts` with the model's vocabulary and its words' frequencies."""

    def __init__(self, tok: RestoreTokenizer, log_freq: list[float]) -> None:
        self.tok = tok
        self._log_freq = log_freq  # per output id: log corpus count

    def facts(
        self,
        lines: Sequence[str],
        toks: list[list[Token]],
        confidences: Sequence[Sequence[float] | None] | None,
        *,
        tone_style: str = "auto",
        regime: str | None = None,
    ) -> TextFacts:
        """The document's facts; `regime` forces one (the tuner, benchmarks). `tone_style`
        "auto" keeps the convention of accented input (a document typed in hoá/thuỷ stays
        so) and writes the old one (hóa/thủy) for plain input, whose marks are missing or
        OCR's."""
        regime = regime or self.detect(toks)
        eng_ocr = regime == "plain" and looks_like_ocr(toks, self.tok.is_syllable)
        if tone_style == "auto":
            tone_style = detect_tone_style(lines) if regime == "accented" else "old"
        # eng-OCR's doubts mark words it misread too: with them a word that is itself a
        # syllable is searched for others (`dat` for đợt; eng dev set 2,064 → 1,921
        # syllable errors); typed plain text has no confidences
        damaged = (regime == "accented" or eng_ocr) and damaged_page(confidences)
        return TextFacts(regime, eng_ocr, tone_style, damaged)  # type: ignore[arg-type]

    def detect(self, toks: list[list[Token]]) -> str:
        """'accented' when marks look trustworthy, else 'plain' (stripped, eng-OCR, or
        typed with only some marks: see `_lost_marks`). Lost marks are weighed against
        the marks present, so that a short correct text with one real unmarked word
        written twice (`da ... da`) is not re-toned throughout.

        Counts only marks an English-model OCR does not produce (ă ơ ư đ, hook, tilde,
        dot below): eng-OCR text is full of é but almost never has these. A short text
        (a title, one line) may have none of them: there marks other than é, all on real
        syllables, mean typed Vietnamese (`Thu Huyền`, `khác.`)."""
        words = [w for line in toks for t in line for w in _LETTERS.findall(t.core)]
        if not words:
            return "accented"
        # each distinct word is judged once: a document repeats most of its words
        counts = Counter(words)
        marked = sum(n for w, n in counts.items()
                     if _VIETNAMESE_ONLY.search(unicodedata.normalize("NFD", w)))
        lost, surely_lost = self._lost_marks(counts)
        if (lost >= LOST_MARKS_MIN and lost >= LOST_MARKS_SHARE * len(words)
                and (surely_lost or lost >= LOST_PER_MARKED * marked)):
            return "plain"  # typed with only some marks: the rest must be restored
        if len(words) < SHORT_TEXT:
            with_marks = [w for w in words if strip_marks(w) != w]
            # é is the one mark Tesseract's English model prints (measured on the eng
            # dev pages); any other, on real syllables only, is typed Vietnamese
            other_marks = any(strip_marks(w) != w.replace("é", "e").replace("É", "E")
                              for w in with_marks)
            if marked or other_marks and all(self.tok.is_syllable(w) for w in with_marks):
                return "accented"
            return "plain"
        return "accented" if marked / len(words) >= ACCENTED_THRESHOLD else "plain"

    def _lost_marks(self, counts: Counter[str]) -> tuple[int, int]:
        """How many words are written without marks where the corpus writes their letters
        with marks far more often (`duoc`, `cua`, `la`: được, của, là): the marks were
        lost; and how many of them surely (LOST_SURELY_RATIO: `duoc`, `cua`, not the
        real words `da`, `la`). As a share of the words, in documents of 40 lines: at
        most 1.6 % in Vietnamese text, clean or OCR'd, over 20 % in text typed with only
        some marks, over 50 % stripped (dev sets). `counts`: each word's occurrences."""
        lost = surely = 0
        for w, n in counts.items():
            if strip_marks(w) != w:
                continue
            margin = marked_reading_margin(self.tok, self._log_freq, w.lower())
            if margin is not None and margin > LOST_MARKS_RATIO:
                lost += n
                surely += n * (margin > LOST_SURELY_RATIO)
        return lost, surely


def marked_reading_margin(
    tok: RestoreTokenizer, log_freq: Sequence[float], word: str
) -> float | None:
    """How much likelier (log corpus counts) the likeliest other reading of the small
    letters `word` is than `word` itself (`la`: là, e^6 as often): infinite where `word`
    is no syllable, None where its letters have no other reading."""
    own = tok.out_index.get(word, 0)
    best = max((log_freq[i] for i in tok.by_key.get(key_of(word), ()) if i != own),
               default=None)
    if best is None:
        return None
    return best - log_freq[own] if own else math.inf


def looks_like_ocr(lines: list[list[Token]], is_syllable: Callable[[str], bool]) -> bool:
    """Plain text with eng-OCR debris in at least 6 % of its words: marks on no syllable
    (`tién`, `dé)ng`) or symbols and digits inside words. In documents of 40 dev lines
    eng-OCR text has 11.6–24.4 %, stripped and partly typed text at most 3.0 %; under
    20 words there is too little to tell, and the text counts as typed."""
    words = debris = 0
    for line in lines:
        for t in line:
            core = t.core
            if not _LETTERS.search(core):
                continue
            words += 1
            marked_junk = strip_marks(core) != core and not is_syllable(core)
            debris += marked_junk or not core.isalpha() and not _CODE.fullmatch(core)
    return words >= OCR_MIN_WORDS and debris >= OCR_DEBRIS_SHARE * words


def damaged_page(confidences: Sequence[Sequence[float] | None] | None) -> bool:
    """Does the OCR doubt at least DOUBTED_SHARE of the words it gave confidences for?
    On a well-read page its doubts fall mostly on words it read right (names, foreign
    words); on a damaged one they mark its misreads. Documents of 40 dev lines: clean
    pages 0-2.0 % of words under CONF_SURE, photocopies 0.7-33.5 % (median 3.1 %)."""
    rated = [c for line in confidences or () for c in line or ()]
    return bool(rated) and sum(c < CONF_SURE for c in rated) >= DOUBTED_SHARE * len(rated)


def doubted_specks(line: Sequence[float] | None) -> list[bool] | None:
    """Per token of a line (its `line_confidences`): did the OCR all but rule it out
    (< DOUBTED_SPECK)? None without confidences."""
    return None if line is None else [c < DOUBTED_SPECK for c in line]


def line_confidences(
    confidences: Sequence[Sequence[float] | None], li: int, n: int
) -> Sequence[float] | None:
    """The OCR's confidences in line `li`'s `n` tokens; None without one per token."""
    line = confidences[li] if li < len(confidences) else None
    return line if line and len(line) == n else None


def ocr_unsure(conf: float | None) -> bool:
    """The OCR gave the word a confidence under CONF_SURE."""
    return conf is not None and conf < CONF_SURE
