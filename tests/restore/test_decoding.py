"""The beam search finds the best path of every stream, all streams at once as alone."""

from __future__ import annotations

import itertools
from types import SimpleNamespace

import numpy as np

from vnocr.restore.decoding import decode_all, first_occurrences, rank_in_runs
from vnocr.restore.ngram import NgramTable, TrigramLM, pack2, pack3

BOS = 0
VOCAB = 6  # LM ids 1..5 are words, 0 the sentence start


def _lm(seed: int) -> TrigramLM:
    """A small LM with random counts over every bigram and half the trigrams."""
    rng = np.random.default_rng(seed)
    pairs = np.array(list(itertools.product(range(VOCAB), repeat=2))).T
    triples = np.array(list(itertools.product(range(VOCAB), repeat=3))).T
    some = rng.random(triples.shape[1]) < 0.5
    uni = np.log(rng.integers(50, 100, VOCAB).astype(np.float32))
    return TrigramLM(
        uni,
        NgramTable.build(pack2(*pairs), rng.integers(5, 40, pairs.shape[1]), 2),
        NgramTable.build(pack3(*triples[:, some]), rng.integers(1, 5, int(some.sum())), 3),
    )


def _stream(rng: np.random.Generator, length: int) -> list[SimpleNamespace]:
    slots = []
    for t in range(length):
        n = int(rng.integers(1, 4))
        lm_ids = rng.choice(np.arange(1, VOCAB), n, replace=False).astype(np.int64)
        slots.append(SimpleNamespace(ids=lm_ids + 100, lm_ids=lm_ids,
                                     static=rng.normal(size=n), ends=t == length - 1))
    return slots


def _best_path(stream, lm: TrigramLM, w_lm: float) -> list[int]:
    """Every path scored in full: the search's answer where its beam loses nothing."""
    best, best_score = None, -np.inf
    for path in itertools.product(*(range(len(s.ids)) for s in stream)):
        a, b, score = BOS, BOS, 0.0
        for slot, k in zip(stream, path):
            c = int(slot.lm_ids[k])
            lm_score = lm.score(np.array([a]), np.array([b]), np.array([c]))[0]
            score += w_lm * lm_score + slot.static[k]
            a, b = b, c
        if score > best_score:
            best, best_score = [int(s.ids[k]) for s, k in zip(stream, path)], score
    return best


def test_each_stream_gets_its_best_path():
    rng = np.random.default_rng(3)
    lm = _lm(3)
    # 3 candidates at most and 4 tokens: 81 paths, and a beam of 10 keeps every
    # context (the last two words) that can still win, so the search is exact
    streams = [_stream(rng, int(rng.integers(1, 5))) for _ in range(12)]
    got = list(decode_all(streams, lm, BOS, 0.5))
    for stream in streams:
        chosen = [choice for slot, choice, _ in got if any(slot is s for s in stream)]
        assert chosen == _best_path(stream, lm, 0.5)


def test_streams_searched_together_as_alone():
    rng = np.random.default_rng(5)
    lm = _lm(5)
    streams = [_stream(rng, int(rng.integers(1, 30))) for _ in range(20)]
    together = [(choice, conf) for _, choice, conf in decode_all(streams, lm, BOS, 0.5)]
    alone = [(choice, conf) for stream in streams
             for _, choice, conf in decode_all([stream], lm, BOS, 0.5)]
    assert together == alone
    confidences = np.array([conf for _, conf in together])
    assert np.all((confidences > 0) & (confidences <= 1))


def test_first_occurrences_and_run_ranks_match_numpys_unique_and_searchsorted():
    rng = np.random.default_rng(7)
    for size in (0, 1, 5, 300):
        values = rng.integers(0, 20, size)
        first = np.sort(np.unique(values, return_index=True)[1])
        assert np.array_equal(np.flatnonzero(first_occurrences(values)), first)
        grouped = np.sort(values)
        assert np.array_equal(rank_in_runs(grouped),
                              np.arange(size) - np.searchsorted(grouped, grouped))


def test_steps_of_a_lone_stream_decide_as_shared_steps():
    # Mid-stream sentence ends, up to 8 candidates (the beam prunes), streams of unlike
    # lengths: searched alone, every step has one stream left (its own shortcuts);
    # beside a longer stream, none has. Choices, confidences and posteriors equal to
    # the bit.
    rng = np.random.default_rng(11)
    lm = _lm(11)
    streams = []
    for _ in range(8):
        stream = []
        for t in range(int(rng.integers(1, 40))):
            n = int(rng.integers(1, 9))
            lm_ids = rng.integers(0, VOCAB, n).astype(np.int64)
            stream.append(SimpleNamespace(ids=np.arange(n) + 100, lm_ids=lm_ids,
                                          static=rng.normal(size=n), ends=rng.random() < 0.2))
        streams.append(stream)

    def decided(groups):
        out = []
        for group in groups:
            for slot in (s for stream in group for s in stream):
                slot.posteriors = None
            for slot, choice, conf in decode_all(group, lm, BOS, 0.7):
                posteriors = None if slot.posteriors is None else slot.posteriors.tobytes()
                out.append((id(slot), choice, conf, posteriors))
        return sorted(out)

    # a longer stream beside each keeps two running at every step of the shared search
    longest = max(len(stream) for stream in streams)
    company = [_stream(rng, longest + 1) for _ in streams]
    alone = decided([[stream] for stream in streams])
    assert alone == decided([streams])
    shared = decided([[stream, other] for stream, other in zip(streams, company)])
    assert alone == [row for row in shared if row[0] in {r[0] for r in alone}]
