"""Run-on words: a line of eng-OCR text read without its spaces, several syllables long.

eng-OCR loses the narrow spaces of some lines or parts of lines whole
(`tintuéngvauachu6ng`, `moinammacduvan`: tin tưởng và ưa chuộng, mọi năm mặc dù vẫn).
Such a token is no word, so the decoder keeps it as written; merged.py parts only two
syllables whose letters are exact. Here the token is cut into syllable-sized parts by
dynamic programming over the candidate generator's own readings (each part scored by
its best channel reading, so a part with the OCR's noise, `tuéng`, counts as tưởng),
and the decoder then restores the parts with their neighbours as it does any words.

Only long tokens of small letters or of capitals (a heading's bold `BANNHANDAN`, read
as small letters) in eng-OCR text are tried (`MIN_LETTERS`), never a
word the language model knows (`crossover`, `quattro`), and a cut is kept only when
its parts read well on average (`MIN_PART_SCORE`): foreign words and names, which no
string of syllables explains, stay whole.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from vnocr.restore.candidates import CandidateGenerator
from vnocr.restore.network import COPY
from vnocr.restore.tokenizer import RestoreTokenizer
from vnocr.text import strip_marks

MIN_LETTERS = 9  # shorter tokens are one or two syllables: merged.py and the decoder
# a printed line at most; each part is searched like a token, so a token of thousands of
# letters (a base64 blob, a long URL) is left whole rather than searched for seconds
MAX_LETTERS = 80
MAX_PART = 7  # letters of the longest Vietnamese syllable (nghiêng)
PART_COST = 3.0  # per part: of two cuts that read as well, the one with fewer parts
FREQ_WEIGHT = 0.1  # per log count of a part's best reading: common syllables first
# mean score of a kept cut's parts, PART_COST included (eng dev: runs of syllables
# -1.9 to -2.9; the English `bancassurance` -3.25)
MIN_PART_SCORE = -3.0
MAX_DIGITS = 2  # eng-OCR's digits for letters (`chu6ng`); more make a code or an amount
# a syllable's vowel, or eng-OCR's digit for one (6 and 0 for ô, ơ, o)
_VOWEL = re.compile(r"[aeiouy60]")


class RunOnSplitter:
    """Cuts a token of several syllables run together into its syllables."""

    def __init__(self, tok: RestoreTokenizer, log_freq: list[float]) -> None:
        self._tok = tok
        self._log_freq = log_freq

    def cuts(self, core: str, gen: CandidateGenerator) -> tuple[int, ...]:
        """Offsets in `core` where its second, third... syllables start; empty when it
        is no run of syllables."""
        tok = self._tok
        if (not MIN_LETTERS <= len(core) <= MAX_LETTERS or not core.isalnum() or not (core.islower() or core.isupper())
                or sum(c.isdigit() for c in core) > MAX_DIGITS or tok.lm_id(core) != tok.lm_unk):
            return ()
        # capitals are read as small letters: the offsets are the same (`BANNHANDAN`)
        letters = core.lower()
        part_score = lru_cache(maxsize=None)(lambda a, b: self._part_score(letters[a:b], gen))
        n = len(core)
        best = [-math.inf] * (n + 1)
        back = [0] * (n + 1)
        best[0] = 0.0
        for end in range(1, n + 1):
            for start in range(max(0, end - MAX_PART), end):
                if best[start] == -math.inf:
                    continue
                score = best[start] + part_score(start, end)
                if score > best[end]:
                    best[end], back[end] = score, start
        bounds = [n]
        while bounds[-1] > 0:
            bounds.append(back[bounds[-1]])
        bounds.reverse()
        parts = len(bounds) - 1
        if parts < 2 or best[n] / parts < MIN_PART_SCORE:
            return ()
        return tuple(bounds[1:-1])

    def _part_score(self, part: str, gen: CandidateGenerator) -> float:
        """The best reading of `part` as one syllable (channel and frequency), less
        PART_COST; -inf where the generator finds none."""
        if not _VOWEL.search(strip_marks(part)):
            return -math.inf  # `ng`, `ct`: every syllable has a vowel
        found = gen.for_token(part, "", False)
        scores = [float(c) + FREQ_WEIGHT * self._log_freq[i]
                  for i, c in zip(found.ids.tolist(), found.channel) if i != COPY]
        return max(scores, default=-math.inf) - PART_COST
