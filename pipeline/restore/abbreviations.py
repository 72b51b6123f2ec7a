"""Upper-case abbreviations whose Đ was lost: DH → ĐH, HDND → HĐND, 12/QD-UBND → 12/QĐ-UBND.

Stripped text and eng-OCR drop the bar of Đ, and in an abbreviation nothing else tells
D from Đ: the restorer keeps such a token as written (it is no syllable), so the corpus
decides. The language model's vocabulary holds lower-cased units with their counts; the
spelling with Đ replaces the written one when the corpus uses it `MARGIN` times as often.
Inside a document code a part is spelled as the corpus's codes spell it where they
decide (`vnocr.lexicon.code_parts`: `ND` is NĐ there, though the corpus writes `ND`
alone more often than `NĐ`).
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Mapping

import numpy as np

from vnocr.lexicon.code_parts import in_code

MARGIN = math.log(3.0)  # ĐH must be at least three times as frequent as DH
MAX_LETTERS = 8
MAX_DS = 4  # 2**4 spellings at most
# an abbreviation inside a document code: `QD` in 1234/QD-UBND, `ND` in 15/2020/ND-CP
_CODE_PART = re.compile(r"(?<![^\W\d_])[A-Z]{2,8}(?![^\W\d_])")


class AbbreviationSpeller:
    """Corpus spelling of upper-case abbreviations, from the LM's unigram counts."""

    def __init__(
        self, lm_index: Mapping[str, int], unigram_logc: np.ndarray,
        code_spellings: Mapping[str, str] | None = None,
    ) -> None:
        """`code_spellings`: a code part as written without bars → its spelling with Đ
        in the corpus's codes (`vnocr.lexicon.code_parts.code_part_spellings`)."""
        self.lm_index = lm_index
        self.logc = unigram_logc
        self.code_spellings = code_spellings or {}

    def _log_count(self, unit: str) -> float:
        i = self.lm_index.get(unit)
        return float(self.logc[i]) if i is not None else -math.inf

    def spell(self, core: str) -> str:
        """`core` with Đ where the corpus writes this abbreviation with it, else as is;
        in a document code (letters joined by - / or &), each abbreviation on its own."""
        if in_code(core) and "D" in core:
            return _CODE_PART.sub(lambda m: self._spell_code_part(m.group(0)), core)
        return self._spell_word(core)

    def _spell_code_part(self, part: str) -> str:
        return self.code_spellings.get(part) or self._spell_word(part)

    def _spell_word(self, core: str) -> str:
        if not (2 <= len(core) <= MAX_LETTERS and core.isalpha() and core.isupper()
                and core.isascii()):
            return core
        ds = [i for i, c in enumerate(core) if c == "D"]
        if not ds or len(ds) > MAX_DS:
            return core
        best, best_logc = core, self._log_count(core.lower())
        threshold = best_logc + MARGIN
        for bars in itertools.product((False, True), repeat=len(ds)):
            if not any(bars):
                continue
            chars = list(core)
            for i, bar in zip(ds, bars):
                if bar:
                    chars[i] = "Đ"
            spelled = "".join(chars)
            logc = self._log_count(spelled.lower())
            if logc >= threshold and logc > best_logc:
                best, best_logc = spelled, logc
        return best
