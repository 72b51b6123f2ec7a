"""The network proposes words only for tokens that are not kept as written: the same
candidates and scores as proposing for every token that is no syllable."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pytest

from vnocr.restore.streams import build_streams
from vnocr.text import nfc, tokenize

DEV = Path(__file__).resolve().parents[2] / "samples" / "dev"


def _lines(name: str, n: int = 300) -> list[str]:
    with gzip.open(DEV / f"{name}.tsv.gz", "rt", encoding="utf-8") as f:
        return [nfc(line.split("\t")[0]) for line, _ in zip(f, range(n))]


def _scored(restorer, lines: list[str], *, written_first: bool, margin: float | None = None):
    toks = [tokenize(line) for line in lines]
    facts = restorer.facts(lines, toks)
    accented = facts.regime == "accented"
    gen, params = restorer.generators[facts.regime], restorer.params[facts.regime]
    streams = build_streams(toks, None, [(0, 0)] * len(toks), accented=accented)
    slots = [slot for stream in streams for slot in stream]
    if written_first:
        for slot in slots:
            restorer.scorer.written_candidates(slot, gen, accented=accented)
    restorer.scorer.score_network(streams, 16)
    proposed = [len(slot.net[1]) > 0 for slot in slots]
    for slot in slots:
        restorer.scorer.candidates(slot, gen, params, accented=accented)
    margin = params["static_margin"] if margin is None else margin
    restorer.scorer.finish_scores(slots, params["w_net"], margin)
    return slots, proposed


@pytest.mark.parametrize("name", ["eng", "strip", "vie_photo"])
def test_proposals_only_for_tokens_not_kept_change_nothing(restorer, name):
    lines = _lines(name) + ["353-KL/TU ASEAN+3 20/20 giaoduc@dantri.com.vn Kitco.com"]
    every, proposed_every = _scored(restorer, lines, written_first=False)
    fewer, proposed_fewer = _scored(restorer, lines, written_first=True)
    for a, b in zip(every, fewer):
        assert np.array_equal(a.ids, b.ids) and np.array_equal(a.lm_ids, b.lm_ids)
        assert np.array_equal(a.static, b.static)
    assert not any(p and slot.written.kept for slot, p in zip(fewer, proposed_fewer))
    assert sum(proposed_fewer) < sum(proposed_every)


@pytest.mark.parametrize("name", ["eng", "strip", "vie_photo"])
def test_the_margin_drops_exactly_the_candidates_that_far_below_the_best(restorer, name):
    """`finish_scores` keeps a token's candidates within `margin` of its best static
    score, in their order and with the same scores; the rest leave before the search."""
    lines = _lines(name, 200)
    whole, _ = _scored(restorer, lines, written_first=True, margin=float("inf"))
    pruned, _ = _scored(restorer, lines, written_first=True, margin=8.0)
    dropped = 0
    for a, b in zip(whole, pruned):
        keep = a.static >= a.static.max() - 8.0
        assert np.array_equal(a.ids[keep], b.ids) and np.array_equal(a.lm_ids[keep], b.lm_ids)
        assert np.array_equal(a.static[keep], b.static)
        dropped += int((~keep).sum())
    assert dropped > 0


def test_a_heading_reaches_the_network_in_small_letters():
    from vnocr.restore.slot_scores import network_form

    heading = build_streams([tokenize("KHAI QUAT KET QUA")], None, [(0, 0)])[0]
    running = build_streams([tokenize("Theo UBND tỉnh")], None, [(0, 0)])[0]
    assert [network_form(slot) for slot in heading] == ["khai", "quat", "ket", "qua"]
    # in running text a capital word keeps its capitals: mostly an abbreviation there
    assert [network_form(slot) for slot in running] == ["Theo", "UBND", "tỉnh"]


def _restored_with_doubted(restorer, lines: list[str], word: str) -> list[str]:
    """`lines` restored with every word read sure but `word`, which the OCR doubted."""
    confidences = [[0.5 if w == word else 0.95 for w in line.split()] for line in lines]
    return [r.text for r in restorer.restore(lines, confidences)]


def test_a_one_word_table_cell_of_accented_text_stays_as_written(restorer):
    # the unit column's `ha`, doubted by the OCR: no context speaks for another reading
    table = ["STT\tNội dung\tĐơn vị tính\tKhối lượng",
             "1\tCấp giấy chứng nhận quyền sử dụng đất\tha\t76.482",
             "2\tTrồng rừng tập trung\tha\t540"]
    assert _restored_with_doubted(restorer, table, "ha") == table
    # in a sentence the same doubted word is read from its neighbours
    line = "Gia đình ông có ha người con đang đi học ở thành phố."
    assert _restored_with_doubted(restorer, [line], "ha") == [line.replace(" ha ", " hai ")]
