"""Merged words: syllables the OCR read without the space between them.

A Vietnamese OCR sometimes loses a narrow space and prints two words as one token:
`kết hợpgiữa`, `nhà vườn ởmiền`, `ĐinhLa`, `ĐỒNGGIA`. The token is no syllable, so the
decoder could only leave it or read it as some other word; split, each half is an
ordinary syllable again and is decoded with its neighbours.

A token is split only where the evidence is plain:

* it is letters only, carries a Vietnamese mark, and is no syllable, not even with
  other marks (`vụi` is vui misread, not `vụ i`), and no word the language model knows
  (`Kitco`, `BlancBright`, `crossover` stay);
* both halves are output syllables as written, marks included, in a case pattern a
  text can have (`biểnAnh`, `ĐinhLa`, `ĐỒNGGIA`; not `hoPle`);
* the corpus has seen the two halves in that order (a bigram of the language model),
  often if one half is a single letter (`ở miền`, not `a cá` for Spanish `acá`); of
  several such splits the most frequent pair wins.

A token may hold more syllables: the small bold capitals of an administrative heading
(`TỈNHPHÚYÊN`, `ỦY BANNHÂNDÂN`), a photocopy's tight line (`trongkếhoạch`, `tớitốiđa`).
It is cut into up to `MAX_PARTS` syllables, each neighbouring pair seen as above; the
fewest parts that explain it win, then the cut whose rarest pair is the most frequent
(vie-OCR photocopy dev pages with margins: 632 → 596 syllable errors where small
letters were cut in two at most). The LM looks the parts up in small letters; the
output keeps the capitals. Abbreviations and words the corpus knows
(`UBND`, `HĐND`, `VIỆTNAM`) and capitals without marks (`CTUBND`, `MICROSOFT`) stay.

Hashtags and handles (`#tìnhyêu`, `@nguoidung`) are written without spaces on purpose
and stay.

eng-OCR text loses spaces too (`thiétké`, `diaban`, `quanly`), but its marks say
nothing, so there the halves are matched by their letters, must each have two letters
or more, must make a common pair (`MIN_PLAIN_PAIR_LOGC`), and the token must have no
reading as one syllable (the restorer checks that: `gido` is giáo misread, not gi đó).
Plain text that is no OCR output (typed without marks) is left as written; in typed text
with marks a merged pair is a typo, split like the OCR's.
"""

from __future__ import annotations

import itertools
import math
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

import numpy as np

from vnocr.restore.ngram import TrigramLM, fingerprint, pack2
from vnocr.restore.tokenizer import RestoreTokenizer
from vnocr.text import case_pattern, key_of, strip_marks

MIN_PAIR_LOGC = 1.0  # log count: the pair seen at least e^1 ≈ 3 times in the corpus
# ... and in eng-OCR text, where only the letters are known, e^4.5 ≈ 90 times (eng dev:
# merged pairs down to 4.7; debris of one syllable, `Ilén`, `Ianh`, below 3)
MIN_PLAIN_PAIR_LOGC = 4.5
# parts of a token: a heading's small bold capitals and a photocopy's tight lines lose
# several spaces in a row (`TỈNHPHÚYÊN`, `khókhăncơnhỡ`)
MAX_PARTS = 4
_CASE_PAIRS = frozenset({
    ("lower", "lower"), ("title", "lower"), ("lower", "title"), ("title", "title"),
    ("upper", "upper"),
})
_ON_PURPOSE = frozenset("#@")  # hashtags and handles are written as one word


class MergedWordSplitter:
    """Finds where to put the spaces back in a token of merged syllables."""

    def __init__(self, tok: RestoreTokenizer, lm: TrigramLM) -> None:
        self._tok = tok
        self._lm = lm
        self.cuts = lru_cache(maxsize=65_536)(self._cuts)
        self.split_plain = lru_cache(maxsize=65_536)(self._split_plain)
        # No part can be longer than the longest syllable (three code points a letter
        # where the input is NFD): longer tokens are not tried at every offset, which
        # made one long token quadratic.
        self._max_part = 3 * max(map(len, tok.out_index))

    def _cuts(self, core: str, lead: str = "") -> tuple[int, ...]:
        """Offsets in `core` where its second, third... syllables start; empty when it
        is no run of merged syllables. Of the ways to cut it, the one with the fewest
        parts wins, then the one whose rarest pair is the most frequent (for two parts,
        the most frequent pair), the last one on a tie."""
        tok = self._tok
        if (not 3 <= len(core) <= MAX_PARTS * self._max_part or not core.isalpha()
                or _ON_PURPOSE.intersection(lead)
                or strip_marks(core) == core or tok.is_syllable(core)
                or key_of(core) in tok.by_key or tok.lm_id(core) != tok.lm_unk):
            return ()
        best: tuple[int, ...] = ()
        best_key: tuple[int, float] | None = None
        for bounds in self._syllable_runs(core, 0, MAX_PARTS):
            parts = [core[a:b] for a, b in itertools.pairwise((0, *bounds))]
            if len(parts) < 2:
                continue
            weakest = min(map(self._pair_logc, parts, parts[1:]))
            if weakest < MIN_PAIR_LOGC:
                continue  # the corpus has seen each pair: at least e^1 ≈ 3 times
            key = (-len(parts), weakest)
            if best_key is None or key >= best_key:
                best, best_key = bounds[:-1], key
        return best

    def _syllable_runs(self, core: str, start: int, max_parts: int) -> Iterator[tuple[int, ...]]:
        """Every way to cut `core[start:]` into at most `max_parts` output syllables as
        written, as the end offsets of its parts, cuts nearer the start first. Never
        between a letter and its mark (the input may be NFD)."""
        tok = self._tok
        for end in range(start + 1, min(len(core), start + self._max_part) + 1):
            if end < len(core) and unicodedata.combining(core[end]):
                continue
            if not tok.is_syllable(core[start:end]):
                continue
            if end == len(core):
                yield (end,)
            elif max_parts > 1:
                for rest in self._syllable_runs(core, end, max_parts - 1):
                    yield (end, *rest)

    def _pair_logc(self, left: str, right: str) -> float:
        """Log count of two neighbouring parts as a pair; -inf where their case pattern is
        one no text has (`hoPle`; a lone capital counts as title case: `ỞMIỀN`) or where
        a lone letter makes a rare pair (`ởmiền`, not Spanish `acá`)."""
        if not (left.isupper() and right.isupper()) and (
                (case_pattern(left), case_pattern(right)) not in _CASE_PAIRS):
            return -math.inf
        tok = self._tok
        logc = self._lm.pair_logc(tok.lm_id(left), tok.lm_id(right))
        if min(len(left), len(right)) == 1 and logc < MIN_PLAIN_PAIR_LOGC:
            return -math.inf
        return logc

    def _split_plain(self, core: str) -> int | None:
        """The same for eng-OCR text, whose marks say nothing (`thiétké`, `diaban`): the
        halves, of two letters or more, are matched by their letters (keys), and the
        pair must be a common one. The caller checks first that the token has no
        reading as one syllable (`gido`, `cudi` are giáo, cười misread, not gi đó, cu đi)."""
        tok = self._tok
        low = core.lower()
        if (not 4 <= len(core) <= 2 * self._max_part or not core.isalpha()
                or key_of(low) in tok.by_key or tok.lm_id(core) != tok.lm_unk):
            return None
        best, best_logc = None, MIN_PLAIN_PAIR_LOGC
        for k in range(2, len(core) - 1):
            if unicodedata.combining(core[k]):
                continue
            left, right = key_of(low[:k]), key_of(low[k:])
            if left not in tok.by_key or right not in tok.by_key:
                continue
            logc = self._best_pair(left, right)
            if logc >= best_logc:
                best, best_logc = k, logc
        return best

    def _best_pair(self, left: str, right: str) -> float:
        """Log count of the most frequent syllable pair with these keys."""
        tok = self._tok
        a = tok.out_to_lm[tok.by_key[left]]
        b = tok.out_to_lm[tok.by_key[right]]
        fp = fingerprint(pack2(np.repeat(a, len(b)), np.tile(b, len(a))), 2)
        return float(self._lm.bigrams.lookup(fp).max())
