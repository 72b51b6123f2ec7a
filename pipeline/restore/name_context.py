"""How strongly a syllable announces a name: the evidence the language model cannot see.

The LM counts syllables without case and reads an unknown name as <unk>, so before
`Pét` in `ban Pét` it weighs bán (sell) and bản (hamlet) as if any word followed. Yet a
capitalised word in mid-sentence is mostly a name, and the words before names are few
(xã, phường, tỉnh, ông, bà …), as are those after a surname (Văn, Thị). The table
(data/name_context.npz, counted by scripts/build_name_context.py on the training split)
holds, per LM unit, how often the word after it and the word before it in mid-sentence
is capitalised, a capital after it counted apart by whether its letters spell a word
the LM knows well (`Ban Thường vụ`) or not, as most names (`bản Pét`). The decoder adds
each candidate's smoothed log-odds against the corpus's base rate, weighted by
`name_before` and `name_after` (decode weights of the plain regime, tuned on held-out
corpus text), to the static score of a small-letter slot before such a capital and of
the capital itself. Added work: one test per pair of neighbouring slots, and one table
look-up per candidate beside a capital.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import numpy as np

from vnocr.restore.streams import Slot
from vnocr.restore.vocab import mid_sentence
from vnocr.text import key_of

TABLE_PATH = Path(__file__).resolve().parent / "data" / "name_context.npz"
# pseudo-count of the base rate mixed into each unit's share: a unit seen a few times
# beside a capital (or a clause's end, clause_ends.py) is not taken for one on that alone
PRIOR_COUNT = 20.0
# Words almost never seen before a capital (đã -5.9, chưa -5.1) are held at this: an
# eng-OCR capital in mid-sentence is often a case flip (`đã Té chức` for tổ chức), not a
# name, and the full penalty turned đã into di there (held-out plain SER the same)
LOG_ODDS_FLOOR = -2.0
# log count: a capital whose letters spell a word the LM counts this often (~3,000) is
# a common word, not a name it hardly knows (scripts/build_name_context.py stores the
# keys so chosen with the counts)
COMMON_LOG_COUNT = 8.0
_LEADING_LETTERS = re.compile(r"[^\W\d_]+")


def smoothed_log_odds(hits: np.ndarray, total: np.ndarray) -> np.ndarray:
    """Per unit, the log-odds of a hit (a capital beside it, a clause's end after it)
    smoothed towards the base rate by PRIOR_COUNT, minus the base rate's."""
    base = hits.sum() / max(total.sum(), 1)
    share = (hits + PRIOR_COUNT * base) / (total + PRIOR_COUNT)
    return np.log(share / (1 - share)) - np.log(base / (1 - base))


def _log_odds(capital: np.ndarray, total: np.ndarray) -> np.ndarray:
    """Smoothed log-odds of a capital beside each unit, held at LOG_ODDS_FLOOR."""
    return np.maximum(smoothed_log_odds(capital, total), LOG_ODDS_FLOOR)


class NameContext:
    """Per LM id: the log-odds that the word after (`before_name`) or before
    (`after_name`) it is capitalised; 0 for units the table lacks."""

    def __init__(self, lm_index: dict[str, int], path: Path = TABLE_PATH) -> None:
        size = max(lm_index.values()) + 1
        self.before_common = np.zeros(size, dtype=np.float64)
        self.before_rare = np.zeros(size, dtype=np.float64)
        self.after_name = np.zeros(size, dtype=np.float64)
        self.common_keys: frozenset[str] = frozenset()
        if not path.is_file():
            return  # without the table the scores are 0: the decoder as before
        with np.load(path) as table:
            units = table["units"].tolist()
            self.common_keys = frozenset(table["common_keys"].tolist())
            columns = {
                "before_common": _log_odds(table["before_capital_common"], table["before"]),
                "before_rare": _log_odds(table["before_capital_rare"], table["before"]),
                "after_name": _log_odds(table["after_capital"], table["after"]),
            }
        rows = [(k, lm_index[u]) for k, u in enumerate(units) if u in lm_index]
        at = np.array([k for k, _ in rows], dtype=np.int64)
        ids = np.array([i for _, i in rows], dtype=np.int64)
        for name, values in columns.items():
            getattr(self, name)[ids] = values[at]

    def before_name(self, name: str) -> np.ndarray:
        """Per LM id, the log-odds of the capitalised word `name` after it: capitals the
        LM knows as common words (`Ban Thường vụ`) and rare ones, mostly names it hardly
        knows (`bản Pét`), follow different words. The key is read off the letters that
        open the token (`Pét....co`: pet)."""
        letters = _LEADING_LETTERS.match(name)
        common = letters is not None and key_of(letters.group()) in self.common_keys
        return self.before_common if common else self.before_rare

    def add_scores(self, streams: list[list[Slot]], w_before: float, w_after: float) -> None:
        """Add the weighted log-odds to the static scores of the slots before and after
        a capitalised word in mid-sentence (`names_follow`). Slots with one candidate
        are left alone: a shift common to all candidates decides nothing."""
        if not (w_before or w_after):
            return
        for stream in streams:
            for slot, nxt in itertools.pairwise(stream):
                # most words are in small letters: `names_follow`'s first test, inlined
                if not nxt.token.core[:1].isupper() or not names_follow(slot, nxt):
                    continue
                # a capitalised word before a name is mostly part of it (a surname:
                # `Trinh Ban` read Trịnh for Trình), not a type word
                if w_before and len(slot.ids) > 1 and slot.token.core[:1].islower():
                    scores = self.before_name(nxt.token.core)
                    slot.static = slot.static + w_before * scores[slot.lm_ids]
                if w_after and len(nxt.ids) > 1:
                    nxt.static = nxt.static + w_after * self.after_name[nxt.lm_ids]


def names_follow(slot: Slot, nxt: Slot) -> bool:
    """`nxt` opens a capitalised word in mid-sentence right after `slot` (the test the
    table's counts used, `vocab.mid_sentence`), in running text: in a heading in
    capitals, or for a lone word in capitals, a capital tells nothing of a name."""
    core = nxt.token.core
    # most words are in small letters: their test ends at the first check. Two letters
    # open a name, whatever OCR debris follows them (`Pét....co`); a capital and a
    # digit or a dot is a code (`Q.7`, `T6`)
    return (core[:1].isupper() and core[1:2].isalpha()
            and nxt.line == slot.line and nxt.index - slot.index in (0, 1)
            and mid_sentence(slot.token.trail, nxt.token.lead)
            and not (nxt.heading or nxt.lone_caps or slot.heading))
