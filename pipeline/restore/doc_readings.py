"""The document's own readings: a second opinion on the homographs a sentence leaves open.

The search decides each sentence alone, so a key that its sentence cannot settle
(`dien tu`: điện từ or điện tử, `bd thanh pho`: bỏ or bộ) is read from the counts'
general preference, even where the rest of the document reads that key, beside the
same neighbour, one way with confidence. After a group of streams is decoded, its
confident choices are counted per key and neighbour (`DocumentReadings.observe`), each
with its line. A doubtful slot's candidates then earn a bonus: the log ratio of their
share of the confident readings of their key beside the slot's neighbours on the lines
near it (LINES_AROUND; a file of many articles is many documents) to their share
of the corpus's readings of the key, capped (a reading the counts hardly know, seen
twice, must not outweigh its sentence) and weighted. Only where that bonus could
overturn a choice's local lead is anything decoded again, and then only a window
(`windows`): the slot (and any such slot within the trigram's reach of it) free, the
trigram's reach of chosen words on each side held fixed. Decoding whole streams again
cost 12–24 % more CPU; the windows cost 1–2 % (`vnocr correct -j 1`, stripped and
eng-OCR bench files).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

import numpy as np

from vnocr.restore.decoding import SURE
from vnocr.restore.streams import Slot
from vnocr.restore.tokenizer import RestoreTokenizer

# A choice at least this sure is one of the document's readings of its key; one less
# sure is doubtful and may be re-decided with them (never both: no slot backs itself).
# Below decoding.SURE, so a doubtful slot carries its candidates' posteriors. At 0.8 the
# appendix's `hằng năm` became hàng (the document's two surer hàng năm).
CONFIDENT = 0.9
# Pseudo-count of the corpus's readings of a key mixed into the document's: a reading
# seen once with confidence earns little, many readings earn their full weight.
PRIOR = 2.0
# A candidate whose local posterior is below this is not worth a second search.
WITHIN_REACH = 0.05
# Slots each side of a re-decided one held at their choices: the trigram's reach.
REACH = 2
NO_KEY = -1  # the key index of <copy>, which no document reading stands for
# A slot counts only the confident readings on lines within this many of its own: a file
# of many unrelated articles read as one document must behave like many short ones.
# Chosen with the weight (restorer.DEFAULT_PARAMS) on the stripped, partly typed and
# eng-OCR dev sets and on held-out corpus lines (scripts/tune_decoder.py's
# `held_out_rows`), each read as one document and in 40-line documents, where no set may
# end worse than without the readings; the counts in docs/benchmarks.md. Stripped dev
# set as one document, syllable errors without the readings 4,685; at weight 2.0:
# counted everywhere 4,765, within 80 lines 4,686, within 5 lines 4,676 (at the shipped
# 3.0: 4,670). One reading counts: asking for two (10 lines) lost eng-OCR's gains.
LINES_AROUND = 5
LINE_SPAN = 1 << 32  # lines a document may have: a tally's code is code × LINE_SPAN + line

assert CONFIDENT < SURE

Choice = tuple[Slot, int, float]  # (slot, chosen out id, confidence): the search's yield
Decoder = Callable[[list[list[Slot]]], Iterator[Choice]]


def key_index(tok: RestoreTokenizer) -> np.ndarray:
    """Per output id, the index of its key (letters without marks); NO_KEY for <copy>."""
    keys = np.full(len(tok.vocab), NO_KEY, dtype=np.int64)
    for k, ids in enumerate(tok.by_key.values()):
        keys[ids] = k
    return keys


def key_shares(keys: np.ndarray, log_freq: Iterable[float]) -> np.ndarray:
    """Per output id, its share of the corpus's readings of its key (from the unigram
    log counts `log_freq` per out id): what the document's own share is measured
    against."""
    freq = np.exp(np.nan_to_num(np.asarray(list(log_freq), dtype=float), neginf=-50.0))
    has_key = keys != NO_KEY
    totals = np.zeros(int(keys.max()) + 1)
    np.add.at(totals, keys[has_key], freq[has_key])
    share = np.ones(len(keys))
    share[has_key] = freq[has_key] / np.maximum(totals[keys[has_key]], 1e-300)
    return np.maximum(share, 1e-9)


class DocumentReadings:
    """One document's confident choices, each counted in the contexts it was read in
    (`neighbour_contexts`): the key of the word before, and the key of the word after.
    Counted per context, not per key alone: a reading the document prefers in general
    (tại) must not take over a phrase it reads otherwise (tài khoản); per key alone,
    the appendix lost 4 right words for the eng dev set's 14 fewer errors.

    Only readings within `around` lines of a slot count for it (LINES_AROUND). The
    counts are sorted arrays of codes (context × out id, context × key, each with its
    line), merged once per group and rid of the lines no later slot can reach, so a
    group's look-ups are a few `np.searchsorted` calls."""

    def __init__(self, keys: np.ndarray, corpus: np.ndarray, *, weight: float,
                 cap: float, around: int = LINES_AROUND) -> None:
        self.keys = keys
        self.corpus = corpus
        self.weight = weight
        self.cap = cap
        self.n_ids = len(keys)
        self.n_keys = int(keys.max()) + 1
        self.readings = NearbyTally(around)  # context × out id codes
        self.keyed = NearbyTally(around)  # context × key codes

    def observe(self, choices: np.ndarray, contexts: np.ndarray, lines: np.ndarray) -> None:
        """Count `choices` (confident out ids) in their `contexts` (rows of codes) on
        their `lines`."""
        keys = self.keys[choices]
        known = (contexts >= 0) & (keys != NO_KEY)[:, None]
        rows = np.nonzero(known)
        at = lines[rows[0]]
        self.readings = self.readings.plus(contexts[rows] * self.n_ids + choices[rows[0]], at)
        self.keyed = self.keyed.plus(contexts[rows] * self.n_keys + keys[rows[0]], at)

    def forget_before(self, line: int) -> None:
        """Drop the readings that no slot on `line` or after can count."""
        self.readings = self.readings.forget_before(line)
        self.keyed = self.keyed.forget_before(line)

    def bonus(self, ids: np.ndarray, contexts: np.ndarray, lines: np.ndarray) -> np.ndarray:
        """Per candidate id (`contexts`: the rows of its slot's context codes; `lines`:
        its slot's line), `weight` × how much more of the document's nearby confident
        readings of its key in those contexts it is than of the corpus's readings of
        the key (the log ratio of the two shares, the document's mixed with PRIOR
        readings in the corpus's proportions), between 0 and `cap`; 0 for <copy> and
        where the document did not read it there with confidence."""
        keys = self.keys[ids]
        known = (contexts >= 0) & (keys != NO_KEY)[:, None]
        near = lines[:, None]
        seen = np.where(known, self.readings.count(contexts * self.n_ids + ids[:, None],
                                                   near), 0)
        total = np.where(known, self.keyed.count(contexts * self.n_keys + keys[:, None],
                                                 near), 0)
        seen, total = seen.sum(axis=1), total.sum(axis=1)
        corpus = self.corpus[ids]
        document = (seen + PRIOR * corpus) / (total + PRIOR)
        return self.weight * np.clip(np.log(document / corpus), 0.0, self.cap)

    def reread(self, streams: list[list[Slot]], decided: list[Choice],
               decode: Decoder) -> list[Choice]:
        """`decided` (the search's choices for `streams`, in their order) with the
        doubtful slots that this group's and earlier groups' confident readings nearby
        may overturn decoded again in windows (see the module); the group's confident
        choices are counted first. Groups come in the order of their lines."""
        slots = [slot for slot, _, _ in decided]
        lines = np.fromiter((slot.line for slot in slots), dtype=np.int64, count=len(slots))
        choices = np.fromiter((c for _, c, _ in decided), dtype=np.int64, count=len(decided))
        confidences = np.fromiter((f for _, _, f in decided), dtype=float, count=len(decided))
        lengths = [len(stream) for stream in streams if stream]
        contexts = neighbour_contexts(self.keys[choices], lengths)
        sure = confidences >= CONFIDENT
        if len(lines):
            self.forget_before(int(lines.min()) - self.readings.around)
        self.observe(choices[sure], contexts[sure], lines[sure])
        doubtful = [i for i in np.flatnonzero(~sure).tolist()
                    if slots[i].posteriors is not None]
        if not doubtful or not len(self.readings.codes):
            return decided
        free = self._changeable([slots[i] for i in doubtful], choices[doubtful],
                                contexts[doubtful], lines[doubtful])
        if not free:
            return decided
        free = {doubtful[i]: bonus for i, bonus in free.items()}
        runs = windows(lengths, sorted(free))
        window_slots = [[_freed(slots[i], free[i]) if i in free
                         else _held(slots[i], int(choices[i])) for i in run] for run in runs]
        out = list(decided)
        flat = (i for run in runs for i in run)
        for i, (copy, choice, conf) in zip(flat, decode(window_slots)):
            if i in free:
                slots[i].posteriors = copy.posteriors
                out[i] = (slots[i], choice, conf)
        return out

    def _changeable(self, slots: list[Slot], choices: np.ndarray, contexts: np.ndarray,
                    lines: np.ndarray) -> dict[int, np.ndarray]:
        """Index in `slots` → bonus, for the slots whose bonus favours another
        candidate, within reach, by more than the chosen one's local lead (its log
        posterior ratio): all doubtful slots of a group at once. Bonuses are looked up
        only for candidates that the largest bonus could lift above the choice, and
        the choice itself."""
        sizes = np.fromiter((len(s.ids) for s in slots), dtype=np.int64, count=len(slots))
        firsts = np.cumsum(sizes) - sizes
        owner = np.repeat(np.arange(len(slots)), sizes)
        ids = np.concatenate([s.ids for s in slots])
        posteriors = np.maximum(np.concatenate([s.posteriors for s in slots]), 1e-300)
        is_chosen = ids == choices[owner]
        chosen_at = np.flatnonzero(is_chosen)  # one per slot, in slot order
        chosen = posteriors[chosen_at][owner]
        # `lead` may be negative where the best path chose a candidate its slot alone
        # ranks lower: such a slot is left to the search unless a bonus speaks for it
        lead = np.log(chosen) - np.log(posteriors)
        reach = ~is_chosen & (posteriors >= WITHIN_REACH) & (lead < self.weight * self.cap)
        rows = np.flatnonzero((reach | is_chosen) & (np.add.reduceat(reach, firsts) > 0)[owner])
        if not len(rows):
            return {}
        bonus = np.zeros(len(ids))
        bonus[rows] = self.bonus(ids[rows], contexts[owner[rows]], lines[owner[rows]])
        looked_up = np.zeros(len(ids), dtype=bool)
        looked_up[rows] = True
        gains = bonus - bonus[chosen_at][owner]
        wins = reach & (gains > 0) & (gains > lead)
        hit = np.flatnonzero(np.add.reduceat(wins, firsts) > 0)
        # the other candidates of the slots hit, whose bonus the search needs too
        rows = np.flatnonzero(np.isin(owner, hit) & ~looked_up)
        if len(rows):
            bonus[rows] = self.bonus(ids[rows], contexts[owner[rows]], lines[owner[rows]])
        return {i: bonus[firsts[i] : firsts[i] + sizes[i]] for i in hit.tolist()}


class NearbyTally:
    """How often each code occurs within `around` lines of a given line, looked up
    many at a time: every occurrence as code × LINE_SPAN + its line, sorted, so the
    occurrences of a code near a line are one range of the array."""

    def __init__(self, around: int, codes: np.ndarray | None = None) -> None:
        self.around = around
        self.codes = np.zeros(0, dtype=np.int64) if codes is None else codes

    def plus(self, codes: np.ndarray, lines: np.ndarray) -> NearbyTally:
        """This tally with `codes` counted too, each read on its line of `lines`."""
        if not len(codes):
            return self
        return NearbyTally(self.around, np.sort(np.concatenate(
            [self.codes, codes * LINE_SPAN + lines]), kind="stable"))

    def forget_before(self, line: int) -> NearbyTally:
        """This tally without the occurrences on lines before `line`."""
        return NearbyTally(self.around, self.codes[self.codes % LINE_SPAN >= line])

    def count(self, codes: np.ndarray, lines: np.ndarray) -> np.ndarray:
        """Per code of `codes`, how often it occurs within `around` lines of its line
        of `lines` (broadcast against `codes`)."""
        first = codes * LINE_SPAN + np.maximum(lines - self.around, 0)
        last = codes * LINE_SPAN + lines + self.around
        return (np.searchsorted(self.codes, last, side="right")
                - np.searchsorted(self.codes, first, side="left"))


def neighbour_contexts(word_keys: np.ndarray, lengths: list[int]) -> np.ndarray:
    """Per slot (streams of `lengths` laid end to end, `word_keys` the keys of their
    choices), the codes of its contexts in two columns, -1 where it has none: 2 × the
    key of the word before, 2 × the key of the word after + 1."""
    starts = np.zeros(len(word_keys), dtype=bool)
    starts[np.cumsum(lengths[:-1], dtype=np.int64)] = True
    starts[:1] = True
    before = np.roll(word_keys, 1)
    after = np.roll(word_keys, -1)
    return np.stack([
        np.where(starts | (before == NO_KEY), -1, 2 * before),
        np.where(np.roll(starts, -1) | (after == NO_KEY), -1, 2 * after + 1),
    ], axis=1)


def windows(lengths: list[int], free: list[int]) -> list[list[int]]:
    """The slots to decode again, as runs of indices into the streams laid end to end
    (`lengths`), one run per group of free slots (`free`, ascending; a group: free slots
    within REACH of each other in one stream), with REACH slots of their stream before
    and after it: the free slots are decided again, the others are context."""
    ends = np.cumsum(lengths)
    stream_of = np.searchsorted(ends, free, side="right").tolist()
    starts = (ends - np.asarray(lengths)).tolist()
    ends = ends.tolist()
    runs: list[list[int]] = []
    last = last_stream = -1
    for at, stream in zip(free, stream_of):
        if stream == last_stream and at - last <= REACH:
            runs[-1].extend(range(runs[-1][-1] + 1, min(at + REACH + 1, ends[stream])))
        else:
            runs.append(list(range(max(at - REACH, starts[stream]),
                                   min(at + REACH + 1, ends[stream]))))
        last, last_stream = at, stream
    return runs


def _freed(slot: Slot, bonus: np.ndarray) -> Slot:
    """A copy of `slot` to decide again, its candidates' bonus added."""
    return Slot(slot.line, slot.index, slot.token, slot.conf, ends=slot.ends,
                ids=slot.ids, lm_ids=slot.lm_ids, static=slot.static + bonus)


def _held(slot: Slot, choice: int) -> Slot:
    """A copy of `slot` with its chosen candidate alone: context, not a decision."""
    at = int(np.flatnonzero(slot.ids == choice)[0])
    return Slot(slot.line, slot.index, slot.token, slot.conf, ends=slot.ends,
                ids=slot.ids[at : at + 1], lm_ids=slot.lm_ids[at : at + 1],
                static=np.zeros(1))
