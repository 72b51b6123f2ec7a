"""Words of administrative pages that Tesseract's English model reads in a way the
restorer used to misjudge: codes in capitals without a vowel, capitals whose marked I
came out as a small i, and capitalised words whose capital form the OCR tables saw
only a few times."""

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
                                             ("CHié", "title"), ("BiNH", "upper"),
                                             ("TiNH", "upper"), ("WiFi", "title"),
                                             ("TiN", "title")])
def test_capitals_with_a_small_i_after_an_initial_are_capitals(core, case):
    assert output_case(core) == case


@pytest.mark.parametrize(("line", "restored"), [("CHi THI", "CHỈ THỊ"),
                                                ("TINH BiNH DINH", "TỈNH BÌNH ĐỊNH")])
def test_heading_in_capitals_with_a_small_i_is_restored_in_capitals(pipeline, line, restored):
    assert pipeline.correct_lines([line]).text == restored


@pytest.mark.parametrize("line", [
    "Doc lap - tw do - Hanh phuc",
    "Ngay 5 thang 3, tw do nguoi dan duoc di lai.",
])
def test_a_capitalised_word_reads_as_its_small_form_does(pipeline, line):
    """Capitalising one word of an eng-OCR line changes its case, not its syllable: the
    OCR tables' rows of a capital (`Từ` read `Tw` 6 times of 21) are backed off to the
    small word's, so a capital seen a few times no longer outbids its same-key sibling
    whose capital was never seen (`tự`)."""
    small = pipeline.correct_lines([line]).text
    at = line.index("tw")
    titled = pipeline.correct_lines([line[:at] + "Tw" + line[at + 2:]]).text
    assert titled.lower() == small.lower()


def test_a_decree_code_gets_its_d_bar_back_in_eng_ocr_text(pipeline):
    """Inside a code the codes' spelling decides (`vnocr.lexicon.code_parts`): the
    corpus writes `ND` alone more often than `NĐ`, but `NĐ` in its codes."""
    out = pipeline.correct_lines(["theo Nghi dinh s6 71/2016/ND-CP ngay 01/7/2016"]).text
    assert "71/2016/NĐ-CP" in out


ENG_BODY = [  # an English-model OCR's reading of body lines: marks lost or printed as é
    "Nguéi dan dang séng tai Ha N6i va thanh phé H6 Chi Minh dé lam viéc, nhiéu",
    "ngudi tir néng thén cing dén day dé tim viéc 1am tai cac khu céng nghiép",
]


@pytest.mark.parametrize("heading", ["KE HOACH", "CHi THI"])
def test_the_line_under_a_heading_opens_a_sentence(pipeline, heading):
    """eng-OCR reads the capital of c o s v x as a small letter at random: the first
    word under a heading in capitals (blank lines between) takes its capital, the first
    word of a line that goes on with a sentence keeps its small letter."""
    lines = [heading, "", "ve viéc trién khai thuc hién chuong trinh", "", *ENG_BODY,
             "cac doanh nghiép trén dia ban"]
    out = pipeline.correct_lines(lines).text.split("\n")
    assert out[2].startswith("Về việc") and out[-1].startswith("các")
