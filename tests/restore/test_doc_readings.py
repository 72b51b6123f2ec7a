"""The document's confident readings of a key beside a neighbour decide a doubtful slot
beside the same neighbour, only where they outweigh its own context, and only windows
around such slots are decoded again."""

from __future__ import annotations

import itertools
import math
from functools import partial
from types import SimpleNamespace

import numpy as np

from vnocr.restore.decoding import decode_all
from vnocr.restore.doc_readings import (
    LINES_AROUND,
    NO_KEY,
    DocumentReadings,
    NearbyTally,
    key_index,
    key_shares,
    neighbour_contexts,
    windows,
)
from vnocr.restore.ngram import NgramTable, TrigramLM, pack2, pack3
from vnocr.restore.streams import Slot

# out ids: 0 <copy>; 1 tính, 2 tỉnh, 3 tình (key tinh); 4 sơn; 5 hình
VOCAB = ["<copy>", "tính", "tỉnh", "tình", "sơn", "hình"]
BY_KEY = {"tinh": [1, 2, 3], "son": [4], "hinh": [5]}
# corpus log counts: tính 6, tỉnh 2, tình 2 of every 10 tinh
LOG_FREQ = [0.0, math.log(6), math.log(2), math.log(2), 0.0, 0.0]
TINH, TINH_PROVINCE, SON, HINH = 1, 2, 4, 5


def _readings() -> DocumentReadings:
    keys = key_index(SimpleNamespace(vocab=VOCAB, by_key=BY_KEY))
    return DocumentReadings(keys, key_shares(keys, LOG_FREQ), weight=2.0, cap=0.5)


def _slot(ids: list[int], static: list[float], posteriors: list[float] | None = None) -> Slot:
    return Slot(0, 0, None, None, ids=np.array(ids), lm_ids=np.array(ids),
                static=np.array(static, dtype=float),
                posteriors=None if posteriors is None else np.array(posteriors))


def _uniform_lm() -> TrigramLM:
    """Every bigram and trigram of the six LM ids seen equally often: only the
    slots' static scores decide."""
    pairs = np.array(list(itertools.product(range(6), repeat=2))).T
    triples = np.array(list(itertools.product(range(6), repeat=3))).T
    return TrigramLM(np.zeros(6, dtype=np.float32),
                     NgramTable.build(pack2(*pairs), np.full(pairs.shape[1], 10), 2),
                     NgramTable.build(pack3(*triples), np.full(triples.shape[1], 10), 3))


def test_keys_and_corpus_shares():
    keys = key_index(SimpleNamespace(vocab=VOCAB, by_key=BY_KEY))
    assert keys[0] == NO_KEY and keys[1] == keys[2] == keys[3] != keys[4]
    assert np.allclose(key_shares(keys, LOG_FREQ)[1:4], [0.6, 0.2, 0.2])


def test_tally_counts_codes_added_group_by_group_on_nearby_lines():
    tally = NearbyTally(2).plus(np.array([7, 3, 7]), np.array([0, 1, 2]))
    tally = tally.plus(np.array([3, 9]), np.array([5, 6]))
    near = tally.count(np.array([[3, 7], [9, 4]]), np.array([[3], [4]]))
    assert near.tolist() == [[2, 1], [1, 0]]  # 7 on line 0 is 3 lines from line 3
    assert tally.forget_before(2).count(np.array([7]), np.array([1])).tolist() == [1]
    assert NearbyTally(2).count(np.array([1]), np.array([0])).tolist() == [0]


def test_contexts_are_the_neighbours_keys_within_a_stream():
    # two streams, [tinh son] and [<copy> tinh]: no context across them or from <copy>
    contexts = neighbour_contexts(np.array([0, 1, NO_KEY, 0]), [2, 2])
    assert contexts.tolist() == [[-1, 3], [0, -1], [-1, 1], [-1, -1]]


def test_windows_hold_two_slots_each_side_within_the_stream():
    # streams of 6 and 5 slots; free: 2 and 4 (one run), 7 (the second stream's 2nd)
    assert windows([6, 5], [2, 4, 7]) == [[0, 1, 2, 3, 4, 5], [6, 7, 8, 9]]


def _document(doubtful: Slot, after: int, line: int = 0,
              sure_readings: int = 3) -> tuple[list[list[Slot]], list[tuple]]:
    """`sure_readings` sentences on `line` reading `tinh son` as tỉnh Sơn with
    confidence, then `doubtful` (chosen tính, at 0.55 or more, on line 0) before
    `after`."""
    streams, decided = [], []
    for _ in range(sure_readings):
        sure, son = _slot([TINH, TINH_PROVINCE], [0.0, 2.0]), _slot([SON], [0.0])
        sure.line = son.line = line
        streams.append([sure, son])
        decided += [(sure, TINH_PROVINCE, 0.99), (son, SON, 1.0)]
    nxt = _slot([after], [0.0])
    streams.append([doubtful, nxt])
    decided += [(doubtful, TINH, float(doubtful.posteriors[0])), (nxt, after, 1.0)]
    return streams, decided


def _reread(doubtful: Slot, after: int, line: int = 0, sure_readings: int = 3) -> int:
    streams, decided = _document(doubtful, after, line, sure_readings)
    decode = partial(decode_all, lm=_uniform_lm(), bos=0, w_lm=0.5)
    return _readings().reread(streams, decided, decode)[-2][1]


def test_a_doubtful_slot_takes_the_reading_the_document_gives_its_key_there():
    doubtful = _slot([TINH, TINH_PROVINCE], [0.2, 0.0], [0.55, 0.45])
    assert _reread(doubtful, SON) == TINH_PROVINCE
    assert doubtful.posteriors[1] > 0.5  # its runners-up come from the second search


def test_its_own_context_wins_where_it_leads_by_more_than_the_capped_bonus():
    # lead log(0.85 / 0.15) = 1.7 > the largest bonus, 2.0 × 0.5
    assert _reread(_slot([TINH, TINH_PROVINCE], [1.7, 0.0], [0.85, 0.15]), SON) == TINH


def test_readings_beside_another_neighbour_give_no_bonus():
    assert _reread(_slot([TINH, TINH_PROVINCE], [0.2, 0.0], [0.55, 0.45]), HINH) == TINH


def test_readings_far_away_in_a_long_document_give_no_bonus():
    """A file of many unrelated articles: readings beyond LINES_AROUND lines do not
    count for a slot."""
    near = _slot([TINH, TINH_PROVINCE], [0.2, 0.0], [0.55, 0.45])
    assert _reread(near, SON, line=LINES_AROUND) == TINH_PROVINCE
    far = _slot([TINH, TINH_PROVINCE], [0.2, 0.0], [0.55, 0.45])
    assert _reread(far, SON, line=LINES_AROUND + 1) == TINH


def test_one_nearby_reading_is_enough():
    doubtful = _slot([TINH, TINH_PROVINCE], [0.2, 0.0], [0.55, 0.45])
    assert _reread(doubtful, SON, line=LINES_AROUND, sure_readings=1) == TINH_PROVINCE


def test_readings_from_an_earlier_group_count_only_near_the_slot():
    """Groups come in the order of their lines: a group's tally keeps the earlier
    groups' readings still within LINES_AROUND lines of its slots."""
    decode = partial(decode_all, lm=_uniform_lm(), bos=0, w_lm=0.5)
    for line, expected in ((LINES_AROUND, TINH_PROVINCE), (LINES_AROUND + 1, TINH)):
        readings = _readings()
        streams, decided = _document(_slot([TINH, TINH_PROVINCE], [0.2, 0.0], [0.55, 0.45]),
                                     SON)
        readings.reread(streams[:-1], decided[:-2], decode)  # the sure readings, line 0
        doubtful = _slot([TINH, TINH_PROVINCE], [0.2, 0.0], [0.55, 0.45])
        nxt = _slot([SON], [0.0])
        doubtful.line = nxt.line = line
        later = [(doubtful, TINH, 0.55), (nxt, SON, 1.0)]
        assert readings.reread([[doubtful, nxt]], later, decode)[0][1] == expected


def test_accented_text_is_not_reread(restorer):
    """Marks that decide are kept: the readings apply to plain text only."""
    assert restorer.params["accented"]["w_document"] == 0.0
    assert restorer.params["plain"]["w_document"] > 0.0
