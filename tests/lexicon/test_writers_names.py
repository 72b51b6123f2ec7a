"""The dictionary pass in text whose marks restoration found trustworthy (`accented`):
a name the writer marked, or left wholly unmarked, is the writer's; only an unmarked
word beside marked ones in one name has lost its marks. A type word before the span
still lets the gazetteer's name in. The restored lines are fed directly: no model."""

from __future__ import annotations

import pytest

from vnocr.lexicon import Gazetteer, Name, fix_names
from vnocr.text import span_key


def _gaz(*entries: tuple[str, set[str]]) -> Gazetteer:
    return Gazetteer([Name(text, span_key(text), 50.0, ("names",), frozenset(types))
                      for text, types in entries])


GAZ = _gaz(("Bảng Anh", set()), ("Hồng Kông", {"đảo"}), ("Nậm Mằn", {"xã"}),
           ("Ất Tỵ", set()), ("Song Joong Ki", set()))


def fixed(line: str, *, accented: bool) -> str:
    return fix_names(GAZ, [line], [line], accented=accented)[0][0]


@pytest.mark.parametrize("line", [
    "Con trai thứ hai là Colin (tên thật Bằng Anh, sinh năm 2006).",  # marks: the writer's
    "Lợi Trí là một trong những mỹ nhân của điện ảnh Hong Kong những năm cuối 80.",
    "Kim Hoàn Tam Kết tham gia vào chiến dịch của người Nam Man chống lại quân Thục.",
])
def test_a_name_as_the_writer_wrote_it_stays_in_accented_text(line):
    assert fixed(line, accented=True) == line


def test_the_same_spans_are_still_names_where_marks_are_not_trusted():
    # plain text (stripped, eng-OCR): the model's unmarked reading may be a lost name
    assert "Hồng Kông" in fixed("điện ảnh Hong Kong những năm cuối 80.", accented=False)


def test_an_unmarked_word_beside_a_marked_one_gets_its_marks():
    # vie-OCR drops a dot below (`Ty`); `Ất` shows the writer marks this name
    assert fixed("Khi Nhật bành trướng năm Ất Ty, họ để lại nhiều dấu tích.",
                 accented=True) == "Khi Nhật bành trướng năm Ất Tỵ, họ để lại nhiều dấu tích."


def test_marks_on_no_syllable_are_a_misreading_not_the_writers():
    # `Joong` is no Vietnamese syllable: the span is no reading a writer chose
    assert fixed("ly hôn Song Joong Kí vào năm ngoái.", accented=True) == (
        "ly hôn Song Joong Ki vào năm ngoái.")


def test_a_type_word_before_the_span_lets_the_name_in():
    assert fixed("Đoàn công tác về xã Nam Man kiểm tra.", accented=True) == (
        "Đoàn công tác về xã Nậm Mằn kiểm tra.")
