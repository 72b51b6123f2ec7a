"""How often a syllable ends a clause: the punctuation the language model cannot see.

The LM counts syllables without punctuation, so before a comma it weighs đã and đá, để
and đề, cho and chó alike, yet the first of each takes a complement and almost never
stands there (đã 0.13 % of its uses, đá 4.4 %). The table (data/clause_ends.npz,
counted by scripts/build_clause_ends.py on the training split) holds, per LM unit, how
often it is followed by a clause's end (`CLAUSE_ENDS`). The decoder adds each
candidate's smoothed log-odds of that against the corpus's base rate, weighted by the
regime's `clause_end`, to the static score of a word in small letters right before such
a mark (a capitalised one is mostly a name: `Phiêng Khả,`).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from vnocr.restore.name_context import smoothed_log_odds
from vnocr.restore.streams import Slot
from vnocr.restore.vocab import CLAUSE_ENDS

TABLE_PATH = Path(__file__).resolve().parent / "data" / "clause_ends.npz"


class ClauseEnds:
    """Per LM id, the log-odds that a clause ends after it, against the corpus's base
    rate; 0 for units the table lacks."""

    def __init__(self, lm_index: dict[str, int], path: Path = TABLE_PATH) -> None:
        self.log_odds = np.zeros(max(lm_index.values()) + 1, dtype=np.float64)
        if not path.is_file():
            return  # without the table the scores are 0: the decoder as before
        with np.load(path) as table:
            units = table["units"].tolist()
            total, ends = table["total"].astype(np.float64), table["ends"].astype(np.float64)
        odds = smoothed_log_odds(ends, total)
        rows = [(k, lm_index[u]) for k, u in enumerate(units) if u in lm_index]
        self.log_odds[[i for _, i in rows]] = odds[[k for k, _ in rows]]

    def add_scores(self, slots: list[Slot], weight: float) -> None:
        """Add the weighted log-odds to the static scores of the slots in small letters
        right before a clause's end. Slots with one candidate are left alone: a shift
        common to all candidates decides nothing."""
        if not weight:
            return
        for slot in slots:
            if (slot.token.trail[:1] in CLAUSE_ENDS and len(slot.ids) > 1
                    and slot.token.core.islower()):
                slot.static = slot.static + weight * self.log_odds[slot.lm_ids]
