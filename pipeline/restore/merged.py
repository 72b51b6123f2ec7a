"""Merged words: two syllables the OCR read without the space between them.

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
* the corpus has seen the two halves in that order (a bigram of the language model);
  of several such splits the most frequent pair wins.

Hashtags and handles (`#tìnhyêu`, `@nguoidung`) are written without spaces on purpose
and stay.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Container
from functools import lru_cache

from pipeline.restore.ngram import TrigramLM
from pipeline.restore.vocab import key_of
from pipeline.text import case_pattern, strip_marks

MIN_PAIR_LOGC = 1.0  # log count: the pair seen at least e^1 ≈ 3 times in the corpus
_CASE_PAIRS = frozenset({
    ("lower", "lower"), ("title", "lower"), ("lower", "title"), ("title", "title"),
    ("upper", "upper"),
})
_ON_PURPOSE = frozenset("#@")  # hashtags and handles are written as one word


class MergedWordSplitter:
    """Finds where to put the space back in a token of two merged syllables."""

    def __init__(
        self,
        is_syllable: Callable[[str], bool],
        syllable_keys: Container[str],
        lm_id: Callable[[str], int],
        lm_unk: int,
        lm: TrigramLM,
    ) -> None:
        self._is_syllable = is_syllable
        self._syllable_keys = syllable_keys
        self._lm_id = lm_id
        self._lm_unk = lm_unk
        self._lm = lm
        self.split = lru_cache(maxsize=65_536)(self._split)

    def _split(self, core: str, lead: str = "") -> int | None:
        """Offset of the second syllable in `core`, None when it is no merged pair."""
        if (len(core) < 3 or not core.isalpha() or _ON_PURPOSE.intersection(lead)
                or strip_marks(core) == core or self._is_syllable(core)
                or key_of(core) in self._syllable_keys
                or self._lm_id(core) != self._lm_unk):
            return None
        best, best_logc = None, MIN_PAIR_LOGC
        for k in range(1, len(core)):
            left, right = core[:k], core[k:]
            if unicodedata.combining(right[0]):
                continue  # never between a letter and its mark (input may be NFD)
            if not (left.isupper() and right.isupper()) and (
                    (case_pattern(left), case_pattern(right)) not in _CASE_PAIRS):
                continue  # (`ỞMIỀN`: a lone capital counts as title case)
            if not (self._is_syllable(left) and self._is_syllable(right)):
                continue
            logc = self._lm.pair_logc(self._lm_id(left), self._lm_id(right))
            if logc >= best_logc:
                best, best_logc = k, logc
        return best
