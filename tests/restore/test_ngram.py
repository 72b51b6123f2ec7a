"""The n-gram language model's scores stay probabilities, whatever the fingerprints do."""

from __future__ import annotations

import numpy as np

from vnocr.restore.ngram import NgramTable, TrigramLM, fingerprint, pack2, pack3


def _lm(bigrams: dict[tuple[int, int], int], trigrams: dict[tuple[int, int, int], int]):
    uni = np.log(np.array([10.0, 10.0, 10.0, 10.0], dtype=np.float32))

    def table(entries, pack, salt):
        if not entries:
            return NgramTable(np.zeros(0, np.uint32), np.zeros(0, np.float32))
        keys = np.array([list(k) for k in entries]).T
        return NgramTable.build(pack(*keys), np.array(list(entries.values())), salt)

    return TrigramLM(uni, table(bigrams, pack2, 2), table(trigrams, pack3, 3))


def _score(lm, a, b, c):
    return float(lm.score(np.array([a]), np.array([b]), np.array([c]))[0])


def test_seen_trigram_is_its_relative_frequency():
    lm = _lm({(1, 2): 4, (2, 3): 4}, {(1, 2, 3): 2})
    assert np.isclose(_score(lm, 1, 2, 3), np.log(2 / 4), atol=1e-3)


def test_unseen_trigram_backs_off_below_the_seen_one():
    lm = _lm({(1, 2): 4, (2, 3): 4, (2, 1): 4}, {(1, 2, 3): 2})
    assert _score(lm, 1, 2, 1) < _score(lm, 1, 2, 3) <= 0


def test_trigram_without_its_context_is_no_probability():
    # What a fingerprint false hit looks like: the trigram "exists", its context does not.
    # Before this guard such a candidate scored +inf and won every search.
    lm = _lm({(2, 3): 4}, {(1, 2, 3): 5})
    s = _score(lm, 1, 2, 3)
    assert np.isfinite(s) and s <= 0
    assert np.isclose(s, np.log(0.4) + np.log(4 / 10), atol=1e-3)  # the bigram back-off


def test_fingerprints_separate_orders():
    packed = pack2(np.array([1]), np.array([2]))
    assert fingerprint(packed, 2)[0] != fingerprint(packed, 3)[0]


def test_bucketed_lookup_finds_exactly_the_stored_keys():
    rng = np.random.default_rng(0)
    edges = np.array([0, 1, 65535, 65536, 65537, 2**32 - 1, 2**31], dtype=np.uint32)
    crowded = np.uint32(7 << 16) + rng.integers(0, 2**16, 300).astype(np.uint32)  # one bucket
    spread = rng.integers(0, 2**32, 5000, dtype=np.uint64).astype(np.uint32)
    keys = np.unique(np.concatenate([edges, crowded, spread]))
    table = NgramTable(keys, np.arange(len(keys), dtype=np.float32))
    stored = dict(zip(keys.tolist(), range(len(keys))))
    queries = np.concatenate([keys, keys + np.uint32(1), keys - np.uint32(1),
                              rng.integers(0, 2**32, 5000, dtype=np.uint64).astype(np.uint32)])
    got = table.lookup(queries)
    want = np.array([stored.get(q, -np.inf) for q in queries.tolist()], dtype=np.float32)
    assert np.array_equal(got, want)
    empty = NgramTable(np.zeros(0, np.uint32), np.zeros(0, np.float32))
    assert np.all(empty.lookup(queries[:10]) == -np.inf)


def test_pair_logc_is_the_bigram_count_or_minus_infinity():
    lm = _lm({(1, 2): 4}, {})
    assert np.isclose(lm.pair_logc(1, 2), np.log(4), atol=1e-2)
    assert lm.pair_logc(2, 1) == -np.inf


def test_scores_per_beam_state_equal_scores_per_candidate():
    # The decoder passes each state's context once (`state`); the scores must be those
    # of the contexts written out for every candidate, false-hit guard included.
    lm = _lm({(1, 2): 4, (2, 3): 4, (3, 1): 2, (0, 3): 1}, {(1, 2, 3): 2, (2, 3, 1): 1,
                                                            (0, 1, 3): 5})
    a, b = np.array([1, 2, 0, 3]), np.array([2, 3, 1, 3])
    state = np.array([0, 0, 1, 1, 2, 2, 2, 3])
    c = np.array([3, 1, 1, 2, 3, 0, 2, 3])
    per_state = lm.score(a, b, c, state)
    written_out = lm.score(a[state], b[state], c)
    assert np.array_equal(per_state, written_out)
    assert np.isclose(per_state[0], np.log(2 / 4), atol=1e-3)  # the seen trigram
    assert np.all(np.isfinite(per_state)) and np.all(per_state <= 0)
