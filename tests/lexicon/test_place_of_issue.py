"""The place an administrative document is issued at, which opens its date line
(`Sơn La, ngày 15 tháng 3 năm 2024`): read as a unit of the register, in OCR'd text
fuzzily, whatever common words the model made of it (vnocr.lexicon.spans.place_of_issue
and the line pass's use of it)."""

from __future__ import annotations

from vnocr.lexicon import Gazetteer, Name, fix_names
from vnocr.lexicon.spans import place_of_issue
from vnocr.lexicon.types import PLACE_OF_ISSUE
from vnocr.text import span_key, tokenize

ENG_DEBRIS = "Ho d3 dén v& nh&n tién"  # a line of eng-OCR debris: the text reads as OCR'd


def _name(text: str, weight: float, source: str, types: set[str]) -> Name:
    return Name(text, span_key(text), weight, (source,), frozenset(types))


def _gazetteer() -> Gazetteer:
    from vnocr.channel import char_channel

    return Gazetteer([
        _name("Ba Đình", 300, "admin-legacy", {"quận"}),
        _name("Cao Bằng", 900, "admin-2025", {"tỉnh"}),
        _name("Bá Định", 400, "names", set()),  # a person, not a place
    ], ocr_channel=char_channel("eng").logp)  # the learned eng-OCR character channel


GAZ = _gazetteer()


def _is_place(line: str, i: int, j: int) -> bool:
    toks = tokenize(line)
    return place_of_issue(toks, toks, i, j)


def test_the_words_before_a_comma_and_ngay_opening_a_line_are_the_place():
    assert _is_place("Dé Lat, ngay 15 thang 3 nam 2024", 0, 1)
    assert _is_place("Sơn La, ngày 15 tháng 3 năm 2024", 0, 1)
    assert _is_place("- Sơn La, ngày    tháng 3 năm 2024", 1, 2)  # debris before, no date yet


def test_other_words_are_no_place_of_issue():
    assert not _is_place("Dé Lat, ngay 15 thang 3", 0, 0)  # the span must reach the comma
    assert not _is_place("Sơn La ngày 15 tháng 3", 0, 1)  # no comma
    assert not _is_place("Sơn La, nay 15 tháng 3", 0, 1)  # not `ngày`
    assert not _is_place("Hôm qua tại Sơn La, ngày 15 tháng 3", 3, 4)  # words before it
    assert not _is_place("Sơn La,", 0, 1)  # nothing after


def test_any_unit_of_the_register_fits_the_place_of_issue_and_nothing_else_does():
    unit, person = GAZ.by_lower["ba đình"], GAZ.by_lower["bá định"]
    assert unit.fits(PLACE_OF_ISSUE) and unit.fits("quận") and not unit.fits("xã")
    assert not person.fits(PLACE_OF_ISSUE)


def _fix_ocr(inp: str, restored: str) -> str:
    return fix_names(GAZ, [ENG_DEBRIS, inp], [ENG_DEBRIS, restored])[0][1]


def test_in_ocr_text_the_place_of_issue_is_read_as_a_unit():
    # the model read the misprinted place as common words, valid syllables both
    assert _fix_ocr("Cae Bang, ngay 21 thang 10 nam 2024",
                    "Các Bang, ngày 21 tháng 10 năm 2024") == "Cao Bằng, ngày 21 tháng 10 năm 2024"


def test_the_same_words_elsewhere_are_left_to_the_model():
    for inp, restored in [("Cae Bang da den Ha Noi", "Các Bang đã đến Hà Nội"),
                          ("Hom nay Cae Bang, ngay 21", "Hôm nay Các Bang, ngày 21")]:
        assert _fix_ocr(inp, restored) == restored


def test_a_unit_the_ocr_channel_cannot_read_the_input_from_is_not_written():
    # `Dinh` may be Đình, but the channel reads no `Be` from Ba: the model's words stay
    restored = "Bé Định, ngày 21 tháng 10 năm 2024"
    assert _fix_ocr("Be Dinh, ngay 21 thang 10 nam 2024", restored) == restored


def test_stripped_text_keeps_its_letters_at_the_place_of_issue():
    # no OCR: the letters are the writer's, and a name one letter away is another name
    line = "Các Bang, ngày 21 tháng 10 năm 2024"
    assert fix_names(GAZ, ["Cae Bang, ngay 21 thang 10 nam 2024"], [line])[0] == [line]
