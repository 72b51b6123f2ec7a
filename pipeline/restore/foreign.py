"""Foreign words the OCR misread by one letter: `Eiorentina` → Fiorentina, `Netfix` → Netflix.

The restorer keeps a word that no Vietnamese syllable can be (a name, a loanword) as it is
written, and Vietnamese OCR misreads such words like any other (`lbrahimovic`, `Royoe`).
Where the corpus never writes the word so but often writes a word one letter away, that
word is meant: where Tesseract doubted the word on a damaged page, after any one edit;
elsewhere only names (a first capital) and words of six letters or more, and only after
an edit the OCR makes (`_ocr_edit`). The language model's vocabulary (lower-cased units
seen at least three times, with their counts) is the dictionary; it is indexed by single
deletions (SymSpell's trick), built on first use.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
from rapidfuzz.distance import Levenshtein

from vnocr.text import apply_case

# Letters the OCR takes for one another (lower-cased), and thin letters it drops or
# invents: a misreading not made of these is more likely another, rarer name (`Karis` is
# no `Paris`, `Kiera` no `Kieran`), and is only trusted where the OCR doubted the word.
# (The learned vie-OCR channel, vnocr.channel, cannot judge these: counted on
# Vietnamese syllables, it scores `Royoe` for Royce and `Karis` for Paris alike, at its
# floor for an unseen edit, about -9.2 nats.)
_CONFUSED = (frozenset("ceo"), frozenset("iljtf1"), frozenset("mn"), frozenset("uv"),
             frozenset("cg"), frozenset("ef"))
_THIN = frozenset("iljtf1r")
MIN_LETTERS = 4  # shorter words have too many neighbours one letter away (wal: wall, was)
LONG_WORD = 6  # letters: a small word this long is respelt without a doubt
MIN_LOG_COUNT = math.log(20.0)  # the meant word is seen at least 20 times
MARGIN = math.log(5.0)  # ... five times as often as any other word one letter away


class ForeignSpeller:
    """Respell a doubted foreign word as the corpus's word one edit away, if one stands out."""

    def __init__(self, lm_index: Mapping[str, int], unigram_logc: np.ndarray) -> None:
        self.lm_index = lm_index
        self.logc = unigram_logc
        self._by_deletion: dict[str, list[str]] | None = None

    def _index(self) -> dict[str, list[str]]:
        if self._by_deletion is None:
            index: dict[str, list[str]] = {}
            for unit, i in self.lm_index.items():
                if len(unit) < MIN_LETTERS - 1 or not unit.isalpha() or not unit.isascii():
                    continue
                if self.logc[i] < MIN_LOG_COUNT:
                    continue
                for key in _deletions(unit) | {unit}:
                    index.setdefault(key, []).append(unit)
            self._by_deletion = index
        return self._by_deletion

    def respell(self, word: str, doubted: bool = True) -> str | None:
        """The corpus word `word` misspells by one letter (its case pattern kept), or None:
        `word` must be letters (Latin, no marks), unknown to the corpus, and one word one
        edit away must be seen far more often than any other. Unless the OCR `doubted`
        the word, it must also be a name or a long word, and the edit one the OCR makes."""
        low = word.lower()
        if len(low) < MIN_LETTERS or not low.isalpha() or not low.isascii():
            return None
        if low in self.lm_index:
            return None
        index = self._index()
        near: set[str] = set()
        for key in _deletions(low) | {low}:
            near.update(u for u in index.get(key, ()) if Levenshtein.distance(u, low) == 1)
        # a letter lost or invented before the first is another word, not a misreading
        # (`Hinoki` is no `Inoki`, `WBnews` no `Bnews`); a misread first letter is one
        near = {u for u in near if len(u) == len(low) or u[0] == low[0]}
        if not near:
            return None
        ranked = sorted(near, key=lambda u: -float(self.logc[self.lm_index[u]]))
        best = ranked[0]
        best_logc = float(self.logc[self.lm_index[best]])
        if len(ranked) > 1 and best_logc - float(self.logc[self.lm_index[ranked[1]]]) < MARGIN:
            return None
        respelt = _with_case(best, word)
        if not doubted and not (
            (respelt[:1].isupper() or len(low) >= LONG_WORD) and _ocr_edit(low, best)
        ):
            return None
        return respelt


def _ocr_edit(seen: str, word: str) -> bool:
    """Is the one edit from `word` to `seen` one the OCR makes: a letter read as one it
    resembles (`Royoe`, `Giovamni`, `lbrahimovic`), or a thin letter lost or invented
    (`Netfix`, `Hawail` for Hawaii, `Webi`)?"""
    (op, i, j), = Levenshtein.editops(word, seen)
    if op == "replace":
        return any(word[i] in group and seen[j] in group for group in _CONFUSED)
    return (word[i] if op == "delete" else seen[j]) in _THIN


def _deletions(word: str) -> set[str]:
    return {word[:k] + word[k + 1 :] for k in range(len(word))}


def _with_case(word: str, like: str) -> str:
    """`word` in the case pattern of `like`: capitals, a first capital, or small."""
    if like.isupper():
        return word.upper()
    if like[:1].isupper() or like[:1] == "l" and word[:1] == "i":  # `lbrahimovic`: l for I
        return apply_case(word, "title")
    return word
