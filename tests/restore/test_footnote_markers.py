"""Footnote markers the OCR glued to a word (`phố'`, `tích®`, `tập*`, `trọng®.` where
the print has a superscript digit) never turn the word into a different word: the
marker may stay or go, the word's letters stay. Whole-pipeline guard with the shipped
model, in each regime the markers were seen in (eng-OCR, stripped, accented)."""

from __future__ import annotations

import re

import pytest

from vnocr import Pipeline

# (line with a glued marker, the word the marker sits on)
MARKED = [
    ("kéo dài nhiều năm trên địa bàn thành phố'; đến tháng 05/2025, đã hoàn", "phố"),
    ("học sinh tham dự các cuộc thi đạt nhiều thành tích®,", "tích"),
    ("diện tích® đất canh tác từ 170-200 triệu/ha", "tích"),
    ("tuyển tập* các bài viết của tác giả", "tập"),
    ("các sự kiện chính trị quan trọng®. Năm 2023, tổ chức thành công", "trọng"),
]
# eng-OCR prints of the same lines: the document reads as eng-OCR (debris regime)
ENG_OCR = [
    "kéo dai nhiéu nam trén dia ban thanh phé'; dén thang 05/2025, da hoan",
    "hoc sinh tham du cac cudc thi dat nhiéu thanh tich®,",
    "dién tich® dat canh tac tir 170-200 triéu/ha",
    "tuyén tap* cac bai viét cua tac gia",
    "cac su kién chinh tri quan trong®. Nam 2023, t6 chirc thanh cong",
]
_STRIP = str.maketrans("", "", "'®*")


def _word_at(line: str, word_index: int) -> str:
    """The letters of the line's word_index-th whitespace token (markers dropped)."""
    return re.sub(r"[^\w]|\d", "", line.split()[word_index])


def _index_of(line: str, word: str) -> int:
    return next(k for k, tok in enumerate(line.split()) if tok.translate(_STRIP).strip(",.;") == word)


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline()


@pytest.mark.parametrize("regime", ["accented", "stripped", "eng-ocr"])
def test_a_glued_footnote_marker_never_changes_its_word(pipeline: Pipeline, regime: str) -> None:
    from vnocr.text import strip_marks

    lines = {
        "accented": [line for line, _ in MARKED],
        "stripped": [strip_marks(line) for line, _ in MARKED],
        "eng-ocr": ENG_OCR,
    }[regime]
    out = pipeline.correct_lines(lines).lines
    for (truth_line, word), got in zip(MARKED, out):
        k = _index_of(truth_line, word)
        assert _word_at(got, k).lower() == word, (regime, got)


@pytest.mark.parametrize("regime", ["accented", "stripped"])
def test_a_raised_footnote_number_stays_after_its_restored_word(
        pipeline: Pipeline, regime: str) -> None:
    # typed or born-digital text prints the number itself (`phố¹`): the word is restored
    # or repaired as any word, names by the dictionary pass too, and the number stays
    from vnocr.text import strip_marks

    truth = "Thành phố¹ Sơn La² đạt nhiều thành tích³ trong năm 2024."
    line = truth if regime == "accented" else strip_marks(truth)
    assert pipeline.correct_lines([line]).text == truth


def test_a_footnote_number_in_plain_digits_stays_in_accented_text(pipeline: Pipeline) -> None:
    # exported text loses the raising (`phố1`); vie-OCR prints no digit for a letter, so
    # in accented text the number is the writer's: kept, never dropped with the word
    # restored; a letter and digits is a code (`A3`)
    for line in ("Thành phố1 lớn nhất của tỉnh Sơn La3 là khu vực A3.",
                 "Tiểu mục3. Các khoản chi khác"):
        assert pipeline.correct_lines([line]).text == line
