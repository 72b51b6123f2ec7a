"""Section markers of headings in capitals that the OCR read as digits get their Roman
numeral back; Arabic points and headings numbered in Arabic keep theirs."""

from __future__ import annotations

import pytest

from vnocr.restore.heading_numbers import roman_headings
from vnocr.text import tokenize


def _fixed(lines: list[str]) -> dict[int, str]:
    return {li: roman for (li, _), roman in roman_headings([tokenize(x) for x in lines]).items()}


def test_misread_sections_of_a_report_read_as_roman():
    lines = ["1. KẾT QUẢ ĐẠT ĐƯỢC", "Trong năm qua, tỉnh đạt nhiều kết quả.", "1. Về kinh tế",
             "2. Về xã hội", "11. NHIỆM VỤ NĂM 2025", "111. KIẾN NGHỊ", "1V. TỔ CHỨC THỰC HIỆN",
             "V1. KHEN THƯỞNG"]
    assert _fixed(lines) == {0: "I", 4: "II", 5: "III", 6: "IV", 7: "VI"}


@pytest.mark.parametrize("lines", [
    ["1. KẾT QUẢ ĐẠT ĐƯỢC", "Nội dung."],  # one `1.` heading: as often an Arabic point
    ["1. KẾT QUẢ", "2. NHIỆM VỤ", "11. KIẾN NGHỊ"],  # headings numbered in Arabic
    ["10. KẾT QUẢ", "11. NHIỆM VỤ"],
    ["1. Kết quả đạt được", "11. Nhiệm vụ năm 2025"],  # small letters: Arabic points
    ["II. KẾT QUẢ", "III. NHIỆM VỤ"],  # read right
])
def test_arabic_numbers_and_right_readings_stay(lines):
    assert _fixed(lines) == {}


@pytest.mark.parametrize("line", ["VI. TỔ CHỨC THỰC HIỆN", "VI. Tổ chức thực hiện", "I. KẾT QUẢ"])
def test_a_numeral_that_spells_a_syllable_is_kept_as_written(line):
    assert _fixed([line]) == {0: line.split(".")[0]}


@pytest.mark.parametrize("line", ["VI. tổ chức", "VI", "Vi. Tổ chức", "(VI). TỔ CHỨC"])
def test_no_marker_before_a_capitalised_word_is_no_numeral(line):
    assert _fixed([line]) == {}


def test_a_lone_one_is_roman_beside_roman_sections():
    assert _fixed(["1. KẾT QUẢ", "Nội dung.", "II. NHIỆM VỤ"]) == {0: "I"}


def test_pipeline_writes_the_numeral(restorer):
    from vnocr import Pipeline

    text = Pipeline().correct_lines(["11. NHIEM VU NAM 2025", "1V. TO CHUC THUC HIEN",
                                     "VI. KHEN THUONG"]).text
    assert [line.split(" ")[0] for line in text.split("\n")] == ["II.", "IV.", "VI."]
