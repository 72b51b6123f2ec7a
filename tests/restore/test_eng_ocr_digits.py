"""Tesseract's English model prints some words as digits or symbols (`14` là, `16` lộ,
`6` ở, `18` lễ) and a small l opening a word as a capital I (`Idi` lối, `Ida` lúa):
such a number may be the word, more likely where the OCR doubted it, and a word its
table saw printed so brings its same-key syllables (`tỷ 18` is tỷ lệ, though the table
saw `18` only for lễ)."""

from __future__ import annotations

import pytest

from vnocr import Pipeline
from vnocr.restore.candidates import DOUBTED_NUMBER_KEEP
from vnocr.restore.network import COPY


@pytest.fixture(scope="module")
def pipeline(restorer) -> Pipeline:
    return Pipeline()


def _scores(gen, core: str, unsure: bool = False) -> dict[str, float]:
    found = gen.for_token(core, "", False, unsure)
    return {("COPY" if i == COPY else gen.tok.vocab[i]): s
            for i, s in zip(found.ids.tolist(), found.channel.tolist())}


def test_a_number_read_for_a_word_brings_its_same_key_syllables(restorer):
    gen = restorer.generators["plain"]
    scores = _scores(gen, "18")
    assert "lệ" not in {gen.tok.vocab[i] for i in gen.seen_as["18"]}
    assert "lệ" in scores and scores["lệ"] < scores["lễ"]


def test_a_short_number_the_ocr_doubted_is_kept_less_surely(restorer):
    gen = restorer.generators["plain"]
    sure, doubted = _scores(gen, "14"), _scores(gen, "14", unsure=True)
    assert sure["COPY"] == 0.0 and doubted["COPY"] == DOUBTED_NUMBER_KEEP
    assert doubted["là"] == sure["là"]


def test_a_capital_i_opening_a_small_word_is_searched_as_l(restorer):
    gen = restorer.generators["plain"]
    assert {"lối", "lỗi"} <= set(_scores(gen, "Idi"))
    assert "lúa" in _scores(gen, "Ida")
    assert not any(w.startswith("l") for w in _scores(gen, "INT"))  # capitals: a code


@pytest.mark.parametrize("line", [
    "ty 18 giai ngan vén dau tu cong dat 90%",
    "ty déng/1.573 ty dong ké hoach vén giao (dat 87,7%); ty 18 giai ngan vbn dau tu",
])
def test_tỷ_18_is_tỷ_lệ(pipeline, line):
    assert "tỷ lệ giải ngân" in pipeline.correct_text(line).text


def test_a_number_with_a_capital_is_a_code_unless_the_text_is_ocr_output(restorer, pipeline):
    """eng-OCR prints là as `1A` now and then, so in its text the form may be the word;
    typed text has no such misreads, and there `1A` is a road or lot code."""
    plain, ocr = restorer.generators["plain"], restorer.generators["eng_ocr"]
    assert set(_scores(plain, "1A")) == {"COPY"}
    assert "là" in _scores(ocr, "1A")
    assert "là" in _scores(plain, "1a")  # small letters: eng-OCR's commonest print of là
    text = pipeline.correct_text("Hoan thien tuyen giao thong so 1A, vuon hoa Quang truong").text
    assert "số 1A," in text


def _scores_before(gen, core: str, trail: str) -> dict[str, float]:
    found = gen.for_token(core, trail, False)
    return {("COPY" if i == COPY else gen.tok.vocab[i]): s
            for i, s in zip(found.ids.tolist(), found.channel.tolist())}


def test_in_ocr_text_1A_before_a_comma_is_a_code(restorer, pipeline):
    """là always takes a complement: before a comma or a full stop eng-OCR's `1A` is the
    code it looks like (`khu dân cư 1A, 6C`); before a word it may still be là."""
    ocr = restorer.generators["eng_ocr"]
    for trail in (",", ".", ";", ")"):
        assert set(_scores_before(ocr, "1A", trail)) == {"COPY"}
    assert "là" in _scores_before(ocr, "1A", "")
    assert "là" in _scores_before(restorer.generators["plain"], "1a", ",")  # small: là
    text = pipeline.correct_text(
        "Hoan thién tuyén giao thong s6 1A, cac ké hoach cia UBND tinh\n"
        "khu dan cu 1A, 6C, Vuon hoa Té Hiéu va dau tu ciing nhu cac céng trinh").text
    assert "số 1A," in text and "khu dân cư 1A, 6C" in text
