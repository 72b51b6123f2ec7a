"""The beam search: every stream of slots decoded at once, position by position.

Streams are searched independently (each with its own beam of BEAM states, keyed by
its last two LM words), but every step is a handful of numpy calls over all streams
together: numpy's per-call overhead, not arithmetic, is what a token costs here.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from vnocr.restore.ngram import TrigramLM
from vnocr.restore.streams import Slot

BEAM = 10
# A choice at least this sure has no runner-up worth offering: its slot gets no
# posteriors (slicing them for every token cost more than the rest of the yield).
SURE = 0.999


def decode_all(
    streams: list[list[Slot]], lm: TrigramLM, bos: int, w_lm: float
) -> Iterator[tuple[Slot, int, float]]:
    """Beam search over all streams at once (see the module): the same search as one
    stream at a time. Yields (slot, chosen out id, confidence); the confidence is the
    local posterior of the choice among its token's candidates given the chosen path's
    context (scores the search already computed). `bos`: the LM's sentence-start id;
    `w_lm`: the LM's weight against the slots' static scores."""
    streams = [s for s in streams if s]
    if not streams:
        return
    lengths = np.array([len(s) for s in streams])
    cands = StepCandidates(streams, int(lengths.max()))
    # Flattened beam: one entry per (stream, state), grouped by stream; f_ab: the log
    # count of each state's context bigram (a, b), carried from the step that made it.
    seg = np.arange(len(streams))
    a = np.full(len(streams), bos, dtype=np.int64)
    b = a.copy()
    f_ab = lm.context_logc(a, b)
    score = np.zeros(len(streams))
    # per step: (seg, parent, cand, local, each state's first combo and combo count,
    # state) of the states kept
    history = []
    live = seg  # the streams still running, whose token t's candidates a step extends
    stream_lengths = set(lengths.tolist())
    for t in range(int(lengths.max())):
        if t in stream_lengths:  # streams ended at the step before: their states go
            active = lengths[seg] > t
            seg, a, b, f_ab, score = seg[active], a[active], b[active], f_ab[active], score[active]
            parent_ids = np.flatnonzero(active)
            live = np.flatnonzero(lengths > t)
        else:  # each state is its own parent's index
            parent_ids = None
        n_live, first_cand, ends_live = cands.step(t)
        pos = np.searchsorted(live, seg)  # each state's stream among the live ones
        n = n_live[pos]
        state = np.repeat(np.arange(len(seg)), n)
        combos_first = np.cumsum(n) - n  # each state's first combo
        cand = np.arange(len(state)) - np.repeat(combos_first, n)
        combo_pos = pos[state]
        flat = first_cand[combo_pos] + cand
        cc = cands.lm_ids[flat]
        lm_score, f_bc = lm.extend(a, b, f_ab, cc, state)
        local = w_lm * lm_score + cands.static[flat]
        total = score[state] + local
        bb = b[state]
        if cands.any_ends[t]:  # a sentence end: the context it makes is (c, <s>)
            ends = ends_live[combo_pos]
            new_a = np.where(ends, cc, bb)
            new_b = np.where(ends, bos, cc)
        else:
            ends, new_a, new_b = None, bb, cc
        combo_seg = seg[state]
        # Best state per (stream, context), then the best BEAM per stream. Ordered by
        # stream, then best first: a stable sort of complex numbers orders by real part,
        # then imaginary part, in one pass (np.lexsort took 9x as long).
        order = np.argsort(combo_seg + 1j * -total, kind="stable")
        key = (combo_seg << 42) | (new_a << 21) | new_b
        kept = order[first_occurrences(key[order])]
        if len(live) == 1:  # one run: the first BEAM
            kept = kept[:BEAM]
        else:
            kept = kept[rank_in_runs(combo_seg[kept]) < BEAM]
        seg, kept_state = combo_seg[kept], state[kept]
        parents = kept_state if parent_ids is None else parent_ids[kept_state]
        history.append((seg, parents, cand[kept], local, combos_first, n, kept_state))
        a, b, score = new_a[kept], new_b[kept], total[kept]
        f_ab = f_bc[kept]
        if ends is not None:  # a restarted context's count is not the carried (b, c)'s
            restarted = np.flatnonzero(ends[kept])
            if len(restarted):
                f_ab[restarted] = lm.context_logc(a[restarted], b[restarted])
    first = np.cumsum(lengths) - lengths  # each stream's first token, streams concatenated
    choices, confidences, posteriors = backtrace(history, lengths, first)
    for s_idx, stream in enumerate(streams):
        at = int(first[s_idx])
        for tt, slot in enumerate(stream):
            conf = float(confidences[at + tt])
            if conf < SURE:  # the runners-up (see Slot.posteriors)
                values, start = posteriors[at + tt]
                slot.posteriors = values[start : start + len(slot.ids)]
            yield slot, int(slot.ids[choices[at + tt]]), conf


def first_occurrences(values: np.ndarray) -> np.ndarray:
    """Mask of each value's first occurrence in `values`: one stable sort and a
    scatter, where `np.unique`'s first indices took a second sort to come back in
    their order (3–5 × faster on a step's few thousand keys)."""
    by_value = np.argsort(values, kind="stable")
    mask = np.zeros(len(values), dtype=bool)
    mask[by_value[run_starts(values[by_value])]] = True
    return mask


def rank_in_runs(grouped: np.ndarray) -> np.ndarray:
    """Each element's index within its run of equal values (`grouped` holds each value
    in one run): one pass, where a `np.searchsorted` of the array into itself took
    2–3 × as long."""
    index = np.arange(len(grouped))
    return index - np.maximum.accumulate(np.where(run_starts(grouped), index, 0))


def run_starts(grouped: np.ndarray) -> np.ndarray:
    """Mask of the elements that differ from the one before: where each run of equal
    values begins."""
    starts = np.empty(len(grouped), dtype=bool)
    starts[:1] = True
    np.not_equal(grouped[1:], grouped[:-1], out=starts[1:])
    return starts


class StepCandidates:
    """The candidates of every stream's token t, for each step t of the search: built
    once per call as flat arrays (a per-step concatenation of the slots' arrays was a
    tenth of the search). Streams appear in their order, so a step's slots are those of
    the streams still running, in order."""

    def __init__(self, streams: list[list[Slot]], steps: int) -> None:
        by_step: list[list[Slot]] = [[] for _ in range(steps)]
        for stream in streams:
            for t, slot in enumerate(stream):
                by_step[t].append(slot)
        slots = [slot for step in by_step for slot in step]
        self.sizes = np.fromiter((len(x.ids) for x in slots), dtype=np.int64, count=len(slots))
        self.first = np.cumsum(self.sizes) - self.sizes  # each slot's first candidate
        self.lm_ids = np.concatenate([x.lm_ids for x in slots])
        self.static = np.concatenate([x.static for x in slots])
        self.ends = np.fromiter((x.ends for x in slots), dtype=bool, count=len(slots))
        self.step_first = np.cumsum([0] + [len(step) for step in by_step])
        # per step, whether any of its tokens ends a sentence (most do not)
        self.any_ends = np.logical_or.reduceat(self.ends, self.step_first[:-1]).tolist()

    def step(self, t: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per slot of step t: its candidate count, its first candidate's index into
        `lm_ids` and `static`, and whether it ends a sentence."""
        span = slice(self.step_first[t], self.step_first[t + 1])
        return self.sizes[span], self.first[span], self.ends[span]


def backtrace(
    history: list[tuple], lengths: np.ndarray, first: np.ndarray
) -> tuple[np.ndarray, np.ndarray, list[tuple[np.ndarray, int]]]:
    """The best path of every stream, followed back from its last token, all streams
    at each step together: per token (streams concatenated, stream s from first[s])
    the chosen candidate's index, its local posterior among the token's candidates,
    and where every candidate's posterior is: (array of its step, first index)."""
    choices = np.empty(int(lengths.sum()), dtype=np.int64)
    confidences = np.empty(int(lengths.sum()))
    posteriors: list[tuple[np.ndarray, int]] = [None] * int(lengths.sum())  # type: ignore
    k = np.zeros(len(lengths), dtype=np.int64)  # each stream's state at the step
    stream_lengths = set(lengths.tolist())
    live = first_live = np.empty(0, dtype=np.int64)  # set at the last step: a stream ends
    for tt in range(int(lengths.max()) - 1, -1, -1):
        kseg, parent, cand, local, offsets, n_cands, kstate = history[tt]
        if tt + 1 in stream_lengths:  # streams whose last token is tt join
            ending = np.flatnonzero(lengths == tt + 1)
            # a stream's best final state: the first of its segment at its last step
            k[ending] = np.searchsorted(kseg, ending)
            live = np.flatnonzero(lengths > tt)
            first_live = first[live]
        here = k[live]
        c = cand[here]
        here_state = kstate[here]
        rows, sizes = offsets[here_state], n_cands[here_state]
        starts = np.cumsum(sizes) - sizes
        values = local[np.arange(sizes.sum()) - np.repeat(starts - rows, sizes)]
        values = np.exp(values - np.repeat(np.maximum.reduceat(values, starts), sizes))
        values /= np.repeat(np.add.reduceat(values, starts), sizes)
        at = first_live + tt
        choices[at] = c
        confidences[at] = values[starts + c]
        for token, start in zip(at.tolist(), starts.tolist()):
            posteriors[token] = (values, start)
        k[live] = parent[here]
    return choices, confidences, posteriors
