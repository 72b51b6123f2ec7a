"""Digits inside the capital words of an eng-OCR'd heading: eng-OCR's print of a marked
capital (`B6` BỘ, `1E` LỆ, `E6NG` ÔNG, `TI8N` TIỀN) is restored, a code is kept."""

from __future__ import annotations

import pytest

from vnocr.restore.candidates import (
    capitals_line,
    heading_digit_debris,
    is_protected,
    letter_digits,
)
from vnocr.text import tokenize

RUNNING = "Cac co quan thuc hien theo quy dinh cua phap luat."


def test_a_one_letter_word_with_a_digit_for_a_capital_counts_as_a_capital_word():
    assert capitals_line(tokenize("B6 TRUENG B6 CONG"))
    assert capitals_line(tokenize("TY 1E"))
    assert not capitals_line(tokenize("Theo B6 trường B6 và 1E"))
    # a number's label before a code is no heading (`Số:`)
    assert not capitals_line(tokenize("S6: 2106/BC-UBND"))
    assert not capitals_line(tokenize("S6: 280 /BC-UBND"))


def test_the_digits_eng_ocr_prints_for_letters_come_from_its_channel(restorer):
    gen = restorer.generators["plain"]  # eng-OCR's channel
    assert letter_digits(gen.char_channel) == set("014568")  # ô 6, ã 4, l 1, ề 8 ...
    assert letter_digits(None) == set()


@pytest.mark.parametrize("debris", ["KH6NG", "S6M", "1E", "E6NG", "CU6EC", "CU6ÉC", "TI8N"])
def test_digits_for_marked_capitals_are_debris_in_a_heading(restorer, debris):
    keys, digits = restorer.tok.by_key, restorer.generators["plain"].letter_digits
    assert heading_digit_debris(debris, keys, digits)
    assert not is_protected(debris, accented=False, known_keys=keys, heading_debris=True,
                            digits=digits)


@pytest.mark.parametrize("code", ["ST25", "4GB", "QL6", "VF8", "CO2", "P20", "U23", "16MP",
                                  "353-KL/TU", "04/2016/TT-GDDT", "QĐ-UBND", "E350D"])
def test_codes_in_a_heading_are_kept(restorer, code):
    keys, digits = restorer.tok.by_key, restorer.generators["plain"].letter_digits
    assert is_protected(code, accented=False, known_keys=keys, heading_debris=True,
                        digits=digits)


@pytest.mark.parametrize(("heading", "restored"), [
    ("B6 TRUENG B6 CONG", "BỘ TRƯỞNG BỘ CÔNG"),
    ("VI. TY 1E CA PHE CHE BIEN", "VI. TỶ LỆ CÀ PHÊ CHẾ BIẾN"),
    ("VI. E6NG NGUYEN", "VI. ÔNG NGUYỄN"),
    ("TRA TI8N DICH VU", "TRẢ TIỀN DỊCH VỤ"),
])
def test_a_heading_with_digit_debris_is_restored(restorer, heading, restored):
    out = restorer.restore([RUNNING, heading, RUNNING], regime="plain")
    assert out[1].text == restored


def test_codes_and_numbers_in_a_heading_stay(restorer):
    heading = "CONG VAN SO 353-KL/TU VA QD-UBND VE NANG CAP QL6 VA QL1A"
    out = restorer.restore([RUNNING, heading, RUNNING], regime="plain")[1].text
    for code in ("353-KL/TU", "QĐ-UBND", "QL6", "QL1A"):
        assert code in out.split()
