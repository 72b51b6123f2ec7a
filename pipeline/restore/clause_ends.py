"""How often a syllable ends a clause: the punctuation the language model cannot see.

The LM counts syllables without punctuation, so before a comma it weighs đã and đá, để
and đề, cho and chó alike, yet the first of each takes a complement and almost never
stands there (đã 0.13 % of its uses, đá 4.4 %). The table (data/clause_ends.npz,
counted by scripts/build_clause_ends.py on the training split) holds, per LM unit, how
often it is followed by a clause's end (`CLAUSE_ENDS`). The decoder adds each
candidate's smoothed log-odds of that against the corpus's base rate, weighted by the
regime's `clause_end`, to the static score of a word in small letters right before such
a mark (a capitalised one is mostly a name: `Phiêng Khả,`). The same table counts how
often each unit opens a clause (right after such a mark): after a comma nhưng (but)
opens one, những (plural) seldom does; weighted by `clause_start`, those log-odds go to
a word in small letters right after the mark.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from vnocr.restore.name_context import smoothed_log_odds
from vnocr.restore.streams import Slot
from vnocr.restore.vocab import CLAUSE_ENDS
from vnocr.text import Token

TABLE_PATH = Path(__file__).resolve().parent / "data" / "clause_ends.npz"
SENTENCE_ENDS = frozenset(".!?")  # a capital after one opens a sentence, not a name


class ClauseEnds:
    """Per LM id, the log-odds that a clause ends after it, against the corpus's base
    rate; 0 for units the table lacks."""

    def __init__(self, lm_index: dict[str, int], path: Path = TABLE_PATH) -> None:
        self.log_odds = np.zeros(max(lm_index.values()) + 1, dtype=np.float64)
        self.start_log_odds = np.zeros_like(self.log_odds)  # ... of opening one
        if not path.is_file():
            return  # without the table the scores are 0: the decoder as before
        with np.load(path) as table:
            units = table["units"].tolist()
            total, ends = table["total"].astype(np.float64), table["ends"].astype(np.float64)
            starts = table["starts"].astype(np.float64) if "starts" in table else None
        rows = [(k, lm_index[u]) for k, u in enumerate(units) if u in lm_index]
        ids, ks = [i for _, i in rows], [k for k, _ in rows]
        self.log_odds[ids] = smoothed_log_odds(ends, total)[ks]
        if starts is not None:
            self.start_log_odds[ids] = smoothed_log_odds(starts, total)[ks]

    def add_scores(
        self, slots: list[Slot], weight: float, start_weight: float = 0.0,
        opening: Mapping[tuple[int, int], str] | None = None,
    ) -> None:
        """Add the weighted log-odds to the static scores of the slots in small letters
        right before a clause's end (`weight`) and right after one (`start_weight`;
        `opening`: the (line, token) places that follow a clause's end, with its mark,
        `clause_openings`: after a comma nhưng, not những, opens the clause; after a
        full stop, ! or ? a capitalised word is scored too). Slots with one candidate are
        left alone: a shift common to all candidates decides nothing."""
        if not weight and not start_weight:
            return
        for slot in slots:
            core = slot.token.core
            if len(slot.ids) < 2:
                continue
            if weight and slot.token.trail[:1] in CLAUSE_ENDS and core.islower():
                slot.static = slot.static + weight * self.log_odds[slot.lm_ids]
            after = opening.get((slot.line, slot.index)) if start_weight and opening else None
            # after a sentence's end a word opens with a capital; after a comma a
            # capital is mostly a name's
            if after is not None and not slot.token.lead and (
                    core.islower() or after in SENTENCE_ENDS and core[1:].islower()):
                slot.static = slot.static + start_weight * self.start_log_odds[slot.lm_ids]


def clause_openings(lines: Sequence[Sequence[Token]]) -> dict[tuple[int, int], str]:
    """(line, token) → the mark before it, for each token that follows a clause's end: a
    comma, full stop, colon, semicolon, ! or ? ending the token before it, or ending the
    last line with words before it (a sentence goes on across the OCR's line ends)."""
    found: dict[tuple[int, int], str] = {}
    mark = ""
    for li, tokens in enumerate(lines):
        for ti, token in enumerate(tokens):
            if mark:
                found[(li, ti)] = mark
            mark = token.trail[:1] if token.trail[:1] in CLAUSE_ENDS else ""
    return found
