"""The punctuation the language model cannot see: a word that takes a complement (đã,
để, cho) seldom stands before a comma or a full stop, its same-key neighbours (đá, đề,
chó) often do (vnocr.restore.clause_ends)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from vnocr.restore.clause_ends import TABLE_PATH, ClauseEnds
from vnocr.text import Token


@pytest.fixture(scope="module")
def table(restorer) -> ClauseEnds:
    return restorer.clause_ends


def _odds(restorer, table: ClauseEnds, word: str) -> float:
    return float(table.log_odds[restorer.tok.lm_id(word)])


@pytest.mark.parametrize(("seldom", "often"), [
    ("đã", "đá"), ("để", "đề"), ("cho", "chó"), ("có", "cỏ"), ("của", "cua")])
def test_words_taking_a_complement_seldom_end_a_clause(restorer, table, seldom, often):
    assert _odds(restorer, table, seldom) < min(0.0, _odds(restorer, table, often) - 2.0)


def test_without_the_table_every_score_is_zero(restorer, tmp_path):
    empty = ClauseEnds(restorer.tok.lm_index, tmp_path / "missing.npz")
    assert not np.any(empty.log_odds)
    assert TABLE_PATH.is_file()  # the shipped one


@pytest.mark.parametrize(("noisy", "right"), [
    ("nuoc dung ham tu xuong va tom, them ca chua", "nước dùng hầm từ xương và tôm, thêm cà chua"),
    ("cac vung trung, ao, ho.", "các vùng trũng, ao, hồ."),
    ("mot nguoi tren the gioi tu tu.", "một người trên thế giới tự tử."),
])
def test_the_word_before_a_comma_is_read_as_one_that_ends_a_clause(restorer, noisy, right):
    # without the counts: *tóm,* (grab), *trung,* and *từ từ.* (slowly), which never
    # stand there
    assert restorer.restore([noisy])[0].text == right


def _slot(restorer, core: str, trail: str, words: list[str]) -> SimpleNamespace:
    ids = np.array([restorer.tok.lm_id(w) for w in words])
    return SimpleNamespace(token=Token(0, "", core, trail), ids=ids, lm_ids=ids,
                           static=np.zeros(len(words)))


def test_only_small_words_before_a_clause_end_with_a_choice_are_scored(restorer, table):
    before_comma = _slot(restorer, "da", ",", ["đã", "đá"])
    name = _slot(restorer, "Kha", ",", ["Khả", "Kha"])  # a capital: mostly a name
    mid = _slot(restorer, "da", "", ["đã", "đá"])  # no clause ends after it
    alone = _slot(restorer, "da", ",", ["đá"])  # one candidate: nothing to decide
    table.add_scores([before_comma, name, mid, alone], 0.4)
    assert before_comma.static[0] < before_comma.static[1]
    assert not name.static.any() and not mid.static.any() and not alone.static.any()
