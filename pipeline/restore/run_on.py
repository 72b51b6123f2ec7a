"""Run-on words: a line of eng-OCR text read without its spaces, several syllables long.

eng-OCR loses the narrow spaces of some lines or parts of lines whole
(`tintuéngvauachu6ng`, `moinammacduvan`: tin tưởng và ưa chuộng, mọi năm mặc dù vẫn).
Such a token is no word, so the decoder keeps it as written; merged.py parts only two
syllables whose letters are exact. Here the token is cut into syllable-sized parts by
dynamic programming over the candidate generator's own readings (each part scored by
its best channel reading, so a part with the OCR's noise, `tuéng`, counts as tưởng),
and the decoder then restores the parts with their neighbours as it does any words.

Only long tokens in eng-OCR text are tried (`MIN_LETTERS`): of small letters, of
capitals (a heading's bold `BANNHANDAN`, read as small letters), or with a capital
right after a small letter, where words were glued (`TrungQuéc`, `NguyenVanAn`) or the
OCR printed a capital for a marked vowel (`dUnghiavu`: đủ nghĩa vụ); never a word the
language model knows (`crossover`, `quattro`, `VinaPhone`), nor a name in title case
(`Haleakala`, whose parts would read as syllables). A capital after a small letter
opens a part rather than sitting inside one (`WORD_START_COST`), and a cut is kept
only when its parts read well on average (`MIN_PART_SCORE`): foreign words and names,
which no string of syllables explains, stay whole. A number glued after the run, alone
or before a code (`xoancucdai400Nm`, `cachocphan2TC`), is cut off as one part where the
letters before it are a run (eng dev 1,805 → 1,796 syllable errors, no line worse).
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable

from vnocr.restore.candidates import CandidateGenerator
from vnocr.restore.network import COPY
from vnocr.restore.tokenizer import RestoreTokenizer
from vnocr.text import strip_marks

# tokens of at least this many letters are searched: no syllable has more than 7
# (nghiêng), though one misread may (at 7, `thưởng` was cut into thư dùng: oos_eng +8
# errors, the appendix one word worse); at 8 two misread syllables are parted, which
# merged.py cannot do, as it needs their letters exact (`buéisang`: buổi sáng)
MIN_LETTERS = 8
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
# a part holding a capital right after a small letter (other than as its first letter):
# such a capital opens a word (`NguyenVanAn` is Nguyen|Van|An, not Nguyen|Va|nAn);
# where every cut holds one (the OCR's capital for a mark, `dUnghiavu`), all pay alike.
# Not counted in MIN_PART_SCORE's mean.
WORD_START_COST = 2.0
# a number ending a token, alone or before a code or unit in capitals (`400Nm`, `2TC`,
# `6`); not a digit for a letter inside a word (`chu6ng`)
_NUMBER_TAIL = re.compile(r"(?<=[^\W\d_])\d+(?:[A-Z][A-Za-z]*)?$")
# a syllable's vowel, or eng-OCR's digit for one (6 and 0 for ô, ơ, o)
_VOWEL = re.compile(r"[aeiouy60]")


class RunOnSplitter:
    """Cuts a token of several syllables run together into its syllables."""

    def __init__(self, tok: RestoreTokenizer, log_freq: list[float]) -> None:
        self._tok = tok
        self._log_freq = log_freq
        self._top_log_freq = max(log_freq, default=0.0)

    def cuts(self, core: str, gen: CandidateGenerator) -> tuple[int, ...]:
        """Offsets in `core` where its second, third... syllables start; empty when it
        is no run of syllables."""
        if not MIN_LETTERS <= len(core) <= MAX_LETTERS or not core.isalnum():
            return ()
        found = self._cuts(core, gen)
        if found:
            return found
        tail = _NUMBER_TAIL.search(core)
        if tail is None or tail.start() < MIN_LETTERS:
            return ()
        # a number or code glued after the run (`xoancucdai400Nm`, `cachocphan2TC`):
        # the letters before it are searched on their own, the number stays a part
        head = self._cuts(core[: tail.start()], gen)
        return (*head, tail.start()) if head else ()

    def _cuts(self, core: str, gen: CandidateGenerator) -> tuple[int, ...]:
        """The search of `cuts` on `core` as it stands (a number glued after the run is
        left to `cuts`)."""
        tok = self._tok
        # where a capital follows a small letter (a word start or the OCR's capital for a
        # marked vowel)
        word_starts = [k for k in range(1, len(core))
                       if core[k].isupper() and core[k - 1].islower()]
        if (not (core.islower() or core.isupper() or word_starts)
                or sum(c.isdigit() for c in core) > MAX_DIGITS or tok.lm_id(core) != tok.lm_unk):
            return ()
        # capitals are read as small letters: the offsets are the same (`BANNHANDAN`)
        letters = core.lower()

        def start_cost(start: int, end: int) -> float:
            return WORD_START_COST if any(start < k < end for k in word_starts) else 0.0

        def part_score(start: int, end: int) -> float:  # each asked once
            return self._part_score(letters[start:end], gen) - start_cost(start, end)

        # no part scores above its ceiling, so a cut whose best case cannot beat what is
        # already found is never searched (see `_best_cut`); a part with no reading but
        # the fuzzy search's has a lower one (2,049 → 1,501 searches on the eng-OCR
        # bench file, the same cuts)
        lift = FREQ_WEIGHT * self._top_log_freq - PART_COST

        def part_ceiling(start: int, end: int) -> float:
            part = letters[start:end]
            if not _VOWEL.search(strip_marks(part)):
                return -math.inf  # as `_part_score`
            return gen.plain_channel_ceiling(part) + lift - start_cost(start, end)

        best, bounds = _best_cut(len(core), part_score, part_ceiling)
        parts = len(bounds) - 1
        if word_starts:
            best += sum(itertools.starmap(start_cost, itertools.pairwise(bounds)))
        if parts < 2 or best / parts < MIN_PART_SCORE:
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


def _best_cut(
    n: int, part_score: Callable[[int, int], float], ceiling: Callable[[int, int], float]
) -> tuple[float, list[int]]:
    """The best score of cutting `n` letters into parts of at most MAX_PART letters (a
    sum of `part_score(start, end)`), and the bounds of its parts (0, ..., n): what a
    left-to-right scan over every end and start finds, which of equal scores for an end
    keeps the smallest start.

    Branch and bound, from the last end back: `ceiling(start, end)` is at least
    `part_score(start, end)`, so the ceilings' best sum up to each end bounds that
    end's best score, and the starts of an end are tried by their best case (bound
    plus ceiling) best first. A start whose best case falls short of the end's best so
    far ends the tries; an end's own best is worked out only when one of its parts may
    still win, so ends inside a syllable are seldom searched at all (1,501 → 1,164
    searches on the eng-OCR bench file, the same cuts). Sums round monotonically, so a
    part skipped so could not have won; one whose best case only ties is skipped when a
    smaller start holds the tie, as the scan settles ties (tests/restore/test_run_on.py
    compares the two)."""
    starts = {end: range(max(0, end - MAX_PART), end) for end in range(1, n + 1)}
    ceilings = {(start, end): ceiling(start, end) for end in starts for start in starts[end]}
    bound = [-math.inf] * (n + 1)
    bound[0] = 0.0
    for end in range(1, n + 1):
        bound[end] = max((bound[start] + ceilings[start, end] for start in starts[end]
                          if bound[start] > -math.inf), default=-math.inf)
    best: dict[int, float] = {0: 0.0}
    back: dict[int, int] = {0: 0}

    def solve(end: int) -> float:  # best[end], found once
        if end in best:
            return best[end]
        score, last = -math.inf, 0
        # stable: among equal best cases the smaller start first
        reaches = sorted(((bound[s] + ceilings[s, end], s) for s in starts[end]
                          if bound[s] > -math.inf), key=lambda reach_start: -reach_start[0])
        for reach, start in reaches:
            if reach < score:
                break  # and so would every later start
            if reach == score and start > last:
                continue
            before = solve(start)
            if (before == -math.inf or before + ceilings[start, end] < score
                    or before + ceilings[start, end] == score and start > last):
                continue
            here = before + part_score(start, end)
            if here > score or here == score and start < last:
                score, last = here, start
        best[end], back[end] = score, last
        return score

    total = solve(n)
    bounds = [n]
    while bounds[-1] > 0:
        bounds.append(back[bounds[-1]])
    return total, bounds[::-1]
