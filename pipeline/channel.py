"""Character channel: log P(seen | syllable) from what Tesseract did to each letter.

The tables (`channel_tables/`, built by `vnocr.data.noise` from OCR'd training pages) count, for each truth character, the strings OCR
printed for it (`ữ` → `it`, `ủ` → `ii`, `Đ` → `P`, `ệ` → `é`). A small dynamic program
aligns a seen token with a candidate syllable through those strings, so `nhitng` scores
high for *những* and low for *nhưng* — the weighted edit distance that a plain
Levenshtein search cannot give.

Capitals are rare in the OCR'd training pages (eng: `Ộ` seen 4 times, all as `O`; `ộ`
2,189 times), so a capital's row borrows the small letter's readings, upper-cased, in
proportion to how little the capital itself was seen (`back_off_capitals`).
"""

# The alignment loop compares instead of calling max(): half its time (see _next_row).
# ruff: noqa: PLR1730

from __future__ import annotations

import gzip
import json
import logging
import math
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

log = logging.getLogger(__name__)

TABLES_DIR = Path(__file__).with_name("channel_tables")  # {regime}.json.gz, package data

UNSEEN = math.log(1e-4)  # any other substitution, deletion or insertion
CACHE_SIZE = 200_000  # (seen, truth) scores memoised per channel

# How many observations the small letter's row is worth in its capital's row (a Dirichlet
# prior): a capital seen 4 times reads mostly like its small letter, one seen 700 times
# (eng `Đ`, `B`) keeps its own row. Chosen on upper-cased dev sets (scripts/bench_capitals.py).
CAPITAL_PRIOR = 20.0


# A truth character's readings folded for the alignment (see CharChannel._moves): the
# best log-score of reading it as nothing, as each one seen character, and its readings
# of several characters by their first.
Moves = tuple[float, dict[str, float], dict[str, list[tuple[str, float]]]]


class CharChannel:
    """Scores how likely OCR printed a seen token for a candidate syllable, letter by letter.

    Built from one regime's character table (`char_channel`); the restorer's candidate
    search and casing ask it for `logp(seen, truth)` to rank readings of a misread word.
    `char_channel` builds one per regime per process, which memoises its scores.
    """

    def __init__(self, char_table: dict[str, list[list]]) -> None:
        self.outs: dict[str, list[tuple[str, float]]] = {}
        for truth, outs in char_table.items():
            total = sum(n for _, n in outs) or 1
            self.outs[truth] = [(o, math.log(n / total)) for o, n in outs if n > 0]
        # The alignment only tries the strings that start with the next seen character
        # (and the empty string, a dropped letter): a tenth of the tries of a full scan.
        self._by_first: dict[str, dict[str, list[tuple[str, float]]]] = {}
        for truth, outs in self.outs.items():
            index: dict[str, list[tuple[str, float]]] = {}
            for o, lp in outs:
                index.setdefault(o[:1], []).append((o, lp))
            self._by_first[truth] = index
        self._folded: dict[str, Moves] = {}  # see _moves
        self._memo: dict[tuple[str, str], float] = {}  # (seen, truth) → logp

    def likely_prints(self, truth: str, floor: float, most: int) -> list[str]:
        """What OCR likely printed for `truth`, likeliest first: distinct strings whose
        characters' readings (`outs`, a character the table never saw read as itself)
        multiply to at least exp(`floor`), by a beam of `most`. Reading each character
        on its own is what `logp` scores too, so these are the forms a search most
        often meets (see restore/shipped_searches.py)."""
        paths = [("", 0.0)]
        for t in truth:
            readings = self.outs.get(t) or [(t, 0.0)]
            longer = [(printed + o, lp + o_lp) for printed, lp in paths
                      for o, o_lp in readings if lp + o_lp >= floor]
            longer.sort(key=lambda path: -path[1])
            paths = longer[:most]
        return list(dict.fromkeys(printed for printed, _ in paths if printed))

    def logp(self, seen: str, truth: str) -> float:
        """Best alignment score of `seen` as an OCR reading of `truth` (same case),
        memoised (bounded: CACHE_SIZE pairs).

        Row by row over `truth`: row[j] is the best score of truth[:i] printed as
        seen[:j] (see `_next_row`)."""
        found = self._memo.get((seen, truth))
        return self.logp_many(seen, [truth])[0] if found is None else found

    def logp_many(self, seen: str, truths: list[str]) -> list[float]:
        """`logp(seen, truth)` for each of `truths`, the same floats: the truths are
        aligned in sorted order, each from the rows of the prefix it shares with the one
        before (a token's candidates share their first letters: `nhưng`, `những`,
        `nhung`), so a shared prefix's rows are computed once."""
        memo = self._memo
        if len(memo) > CACHE_SIZE:
            memo.clear()
        missing = sorted({t for t in truths if (seen, t) not in memo})
        rows = [self._first_row(len(seen))] if missing else []
        done = ""
        for truth in missing:
            shared = 0
            for x, y in zip(done, truth):
                if x != y:
                    break
                shared += 1
            del rows[shared + 1 :]
            for t in truth[shared:]:
                rows.append(self._next_row(rows[-1], seen, t))
            memo[seen, truth] = rows[-1][-1]
            done = truth
        return [memo[seen, t] for t in truths]

    @staticmethod
    def _first_row(m: int) -> list[float]:
        """The empty truth printed as seen[:j]: j insertions."""
        row = [0.0] * (m + 1)
        for j in range(1, m + 1):  # leading insertions
            row[j] = row[j - 1] + UNSEEN
        return row

    def _moves(self, t: str) -> Moves:
        """What truth character `t` may be read as, folded for the alignment: the best
        log-score of reading it as nothing (a dropped reading or a deletion), of one
        seen character c (its reading c, a substitution, or, where the table never
        saw t read as itself, t kept as it is), and its readings of several characters
        by their first. Folding readings into their best is exact: x + lp rounds
        monotonically in lp, so the best of the sums is the sum with the best lp."""
        found = self._folded.get(t)
        if found is not None:
            return found
        index = self._by_first.get(t) or {t: [(t, 0.0)]}
        drop = max([UNSEEN, *(lp for _, lp in index.get("", ()))])
        one: dict[str, float] = {}
        several: dict[str, list[tuple[str, float]]] = {}
        for first, readings in index.items():
            for o, lp in readings:
                if len(o) == 1:
                    one[o] = max(one.get(o, UNSEEN), lp)
                elif o:
                    several.setdefault(first, []).append((o, lp))
        if t not in one:
            one[t] = 0.0  # a character the table never saw changed
        found = self._folded[t] = (drop, one, several)
        return found

    def _next_row(self, row: list[float], seen: str, t: str) -> list[float]:
        """The row of truth[:i+1] from truth[:i]'s (`row`), t = truth[i]. Written with
        plain comparisons, not `max()`, over `_moves`' folded scores: this loop is most
        of the time a new eng-OCR word costs."""
        drop, one, several = self._moves(t)
        m = len(seen)
        neg = -1e9
        unseen = UNSEEN
        one_of = one.get
        nxt = [neg] * (m + 1)
        for j, c in enumerate(seen):
            here = row[j]
            if here <= neg:
                continue
            if here + drop > nxt[j]:
                nxt[j] = here + drop
            step = here + one_of(c, unseen)
            if step > nxt[j + 1]:
                nxt[j + 1] = step
            if c in several:
                for o, lp in several[c]:
                    if seen.startswith(o, j) and here + lp > nxt[j + len(o)]:
                        nxt[j + len(o)] = here + lp
        here = row[m]
        if here > neg and here + drop > nxt[m]:
            nxt[m] = here + drop
        for j in range(1, m + 1):  # insertions after this truth character
            if nxt[j - 1] + unseen > nxt[j]:
                nxt[j] = nxt[j - 1] + unseen
        return nxt


@lru_cache(maxsize=4)
def noise_tables(regime: str) -> dict:
    """Token and character confusion counts of real Tesseract runs of `regime` (eng or
    vie; {} when the shipped table is missing)."""
    path = TABLES_DIR / f"{regime}.json.gz"
    if not path.is_file():
        log.warning("no OCR confusion table %s; channel uses edit distance only", path)
        return {}
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return json.load(f)


def back_off_capitals(
    char_table: dict[str, list[list]], prior: float = CAPITAL_PRIOR
) -> dict[str, list[list]]:
    """`char_table` with each capital's counts blended with its small letter's readings,
    upper-cased (`ộ` → `é`, `G` becomes `Ộ` → `É`, `G`): count(o) = own(o) + prior · P_small(o).

    Additive back-off, not a threshold, so a well-seen capital (eng `Đ` → `P`, a reading
    its small letter never has) barely moves while an unseen one (`Ó`) takes the small
    letter's row whole. Only letters whose case maps one to one are blended."""
    table = {truth: list(outs) for truth, outs in char_table.items()}
    for small, small_outs in char_table.items():
        capital = small.upper()
        if capital == small or len(capital) != 1 or capital.lower() != small:
            continue
        if sum(n for _, n in small_outs):
            table[capital] = _blended(table.get(capital, ()), small_outs, prior, str.upper)
    return table


def _blended(
    own: Iterable[list], small: list[list], prior: float, cased: Callable[[str], str]
) -> list[list]:
    """A capital's readings `own` plus `prior` observations spread as the small form's
    readings `small` (not empty), each written in the capital's case by `cased`."""
    total = sum(n for _, n in small)
    blended: dict[str, float] = {}
    for reading, n in own:
        blended[reading] = blended.get(reading, 0.0) + n
    for reading, n in small:
        key = cased(reading)
        blended[key] = blended.get(key, 0.0) + prior * n / total
    return [[reading, n] for reading, n in blended.items()]


def back_off_capital_tokens(
    token_table: dict[str, list[list]], prior: float = CAPITAL_PRIOR
) -> dict[str, list[list]]:
    """`token_table` with each capitalised word's row (`Từ`, `TỪ`) blended with its small
    word's readings in its case, as `back_off_capitals` does for characters: count(o) =
    own(o) + prior · P_small(o).

    The candidates read a seen form case-blind and take each word's best row, and a row
    is saved only once its word was seen a few times in that case: a rarely seen
    capital's ratio (`Từ`, read `Tw` 6 times of 21) outbid its same-key sibling, whose
    capital row went unsaved (`tự`: `tw` 3 of 77), whatever the context: eng-OCR's
    `Tw do` in the motto came out `Từ do`. Backed off, a capital row keeps what it has
    seen often (`Đ` read `B`) and a few readings no longer decide alone."""
    table = {truth: list(readings) for truth, readings in token_table.items()}
    for truth, readings in token_table.items():
        small = token_table.get(truth.lower())
        if truth == truth.lower() or not small or not sum(n for _, n in small):
            continue
        cased = str.upper if truth.isupper() else _capitalised
        table[truth] = _blended(readings, small, prior, cased)
    return table


def _capitalised(reading: str) -> str:
    return reading[:1].upper() + reading[1:]


@lru_cache(maxsize=4)
def token_confusions(regime: str) -> dict[str, list[list]] | None:
    """The token table of `regime` with its capital rows backed off
    (`back_off_capital_tokens`); None without a table."""
    tokens = noise_tables(regime).get("tokens")
    return back_off_capital_tokens(tokens) if tokens else None


@lru_cache(maxsize=4)
def char_channel(regime: str) -> CharChannel | None:
    """The character channel of `regime`, built once per process (None without a table);
    capitals backed off to their small letters."""
    chars = noise_tables(regime).get("chars")
    return CharChannel(back_off_capitals(chars)) if chars else None
