"""Words of administrative pages that Tesseract's English model reads in a way the
restorer used to misjudge: codes in capitals without a vowel, and capitals whose
marked I came out as a small i."""

from __future__ import annotations

import pytest

from vnocr import Pipeline
from vnocr.restore.candidates import output_case


@pytest.fixture(scope="module")
def pipeline(restorer) -> Pipeline:
    return Pipeline()


@pytest.mark.parametrize(("line", "restored"), [
    ("- Luu: VT, KT.", "- Lưu: VT, KT."),
    ("- Chu tich, cac PCT UBND tinh; HDND, CTDT", "- Chủ tịch, các PCT UBND tỉnh; HĐND, CTĐT"),
])
def test_codes_in_capitals_without_a_vowel_stay_codes_in_plain_text(pipeline, line, restored):
    assert pipeline.correct_lines([line]).text == restored


@pytest.mark.parametrize(("core", "case"), [("CHi", "upper"), ("THiEN", "upper"),
                                             ("MiB", "title"), ("iOS", "lower"), ("VGi", "title"), ("DOi", "title"),
                                             ("CHié", "title")])
def test_capitals_with_a_small_i_after_an_initial_are_capitals(core, case):
    assert output_case(core) == case


def test_heading_in_capitals_with_a_small_i_is_restored_in_capitals(pipeline):
    assert pipeline.correct_lines(["CHi THI"]).text == "CHỈ THỊ"
