"""The words before and after a capitalised word in mid-sentence: type words that
introduce names (bản, xã, phường, ông) and a surname's middle names (Văn, Thị) score
above the common words with the same letters, and only slots beside such a capital
get the score."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest

from vnocr.restore.name_context import NameContext, names_follow
from vnocr.restore.streams import build_streams
from vnocr.text import tokenize

# (word that introduces a name, a common word with the same letters)
BEFORE_NAMES = [("bản", "bán"), ("xã", "xa"), ("phường", "phương"), ("tỉnh", "tính"),
                ("ông", "ống"), ("huyện", "huyền"), ("lò", "lo")]
# (a middle name after a surname, a common word with the same letters)
AFTER_NAMES = [("văn", "vấn"), ("thị", "thì")]


@pytest.fixture(scope="module")
def names(restorer) -> NameContext:
    return restorer.names


@pytest.mark.parametrize(("name_word", "common"), BEFORE_NAMES)
def test_type_words_announce_names(restorer, names, name_word, common):
    ids = restorer.tok.lm_index
    before = names.before_name("Pét")  # a name the LM hardly knows
    assert before[ids[name_word]] > before[ids[common]] + 0.5


def test_capitals_split_by_how_well_the_lm_knows_them(restorer, names):
    """`Ban Thường vụ`, `Ban Chỉ đạo`: ban comes before common words in capitals; bản
    before the names of hamlets, which the LM hardly knows."""
    ids = restorer.tok.lm_index
    assert names.before_name("Thuong") is names.before_common
    assert names.before_name("Pét....co") is names.before_rare
    assert names.before_common[ids["ban"]] > names.before_common[ids["bản"]]
    assert names.before_rare[ids["bản"]] > names.before_rare[ids["ban"]]


@pytest.mark.parametrize(("name_word", "common"), AFTER_NAMES)
def test_middle_names_follow_surnames(restorer, names, name_word, common):
    ids = restorer.tok.lm_index
    assert names.after_name[ids[name_word]] > names.after_name[ids[common]] + 0.5


def test_missing_table_scores_nothing(restorer, tmp_path: Path):
    empty = NameContext(restorer.tok.lm_index, tmp_path / "absent.npz")
    assert not (empty.before_common.any() or empty.before_rare.any()
                or empty.after_name.any())


def _streams(lines: list[str]):
    toks = [tokenize(line) for line in lines]
    return build_streams(toks, None, [(0, 0)] * len(toks))


def _pairs(lines: list[str]) -> list[tuple[str, str]]:
    return [(slot.token.core, nxt.token.core)
            for stream in _streams(lines) for slot, nxt in itertools.pairwise(stream)
            if names_follow(slot, nxt)]


def test_only_a_capital_in_mid_sentence_is_a_name():
    assert _pairs(["nguoi dan ban Pet va xa Muong Bu."]) == [
        ("ban", "Pet"), ("xa", "Muong"), ("Muong", "Bu")]  # a name's own words too
    assert _pairs(["Ban Pet. Xa nay."]) == [("Ban", "Pet")]  # sentence starts are not
    assert _pairs(["KHU DAN CU BAN PET"]) == []  # a heading in capitals
    # a bracket opens before Ban: its capital may be the bracket's, not a name's
    assert _pairs(["cac don vi (Ban Buon) moi"]) == [("Ban", "Buon")]


def test_scores_only_slots_beside_a_capital(restorer):
    streams = _streams(["khu do thi ban Pet va ban pet moi"])
    gen, params = restorer.generators["plain"], restorer.params["plain"]
    slots = [slot for stream in streams for slot in stream]
    restorer.scorer.score_network(streams, 16)
    for slot in slots:
        restorer.scorer.candidates(slot, gen, params, accented=False)
    before = [slot.static.copy() for slot in slots]
    restorer.names.add_scores(streams, 0.0, 0.0)
    assert all(np.array_equal(a, s.static) for a, s in zip(before, slots))
    restorer.names.add_scores(streams, 1.0, 1.0)
    changed = [s.token.core for a, s in zip(before, slots) if not np.array_equal(a, s.static)]
    assert changed == ["ban", "Pet"]
    ban = slots[3]
    vocab = [restorer.tok.vocab[i] for i in ban.ids]
    gain = dict(zip(vocab, ban.static - before[3]))
    assert gain["bản"] > gain["bán"]
