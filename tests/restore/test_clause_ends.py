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


def test_a_conjunction_opens_clauses_its_same_key_neighbour_seldom_does(restorer, table):
    def opens(word: str) -> float:
        return float(table.start_log_odds[restorer.tok.lm_id(word)])

    assert opens("nhưng") > opens("những") + 1.0
    assert opens("của") < -2.0  # takes what comes before it


def test_clause_openings_follow_a_mark_within_and_across_lines():
    from vnocr.restore.clause_ends import clause_openings
    from vnocr.text import tokenize

    lines = [tokenize("gặp nhiều khó khăn, nhưng thành công"), tokenize("sẽ đến;"), [],
             tokenize("cùng đào tạo. Nhưng")]
    assert clause_openings(lines) == {(0, 4): ",", (3, 0): ";", (3, 3): "."}


def test_the_word_after_a_comma_is_read_as_one_that_opens_a_clause(restorer):
    line = "VNG chac chan se gap nhieu kho khan, nhung thanh cong se den."
    assert "khó khăn, nhưng thành công" in restorer.restore([line])[0].text
    slot = SimpleNamespace(token=Token(0, "", "nhung", ""), line=0, index=1,
                           ids=np.array([1, 2]), lm_ids=np.array(
                               [restorer.tok.lm_id("những"), restorer.tok.lm_id("nhưng")]),
                           static=np.zeros(2))
    restorer.clause_ends.add_scores([slot], 0.0, 0.4, opening={(0, 1): ","})
    assert slot.static[1] > slot.static[0]
    elsewhere = SimpleNamespace(**{**vars(slot), "index": 2, "static": np.zeros(2)})
    restorer.clause_ends.add_scores([elsewhere], 0.0, 0.4, opening={(0, 1): ","})
    assert not elsewhere.static.any()
    # a capital after a full stop opens a sentence; after a comma it is mostly a name's
    capital = SimpleNamespace(**{**vars(slot), "token": Token(0, "", "Nhung", ""),
                                 "static": np.zeros(2)})
    restorer.clause_ends.add_scores([capital], 0.0, 0.4, opening={(0, 1): ","})
    assert not capital.static.any()
    restorer.clause_ends.add_scores([capital], 0.0, 0.4, opening={(0, 1): "."})
    assert capital.static[1] > capital.static[0]
    doc = ["Xe chay nhanh.",
           "Nhung tang thiet giap trong cuoc chien duong pho lan dau tien hoan toan bi ha."]
    assert restorer.restore(doc)[1].text.startswith("Nhưng tăng thiết giáp")
