"""The label of an administrative document's number field (`Số: 280/BC-UBND`) that
eng-OCR misread is written Số; numbers before a colon elsewhere stay."""

from __future__ import annotations

import pytest

from vnocr.restore.document_numbers import number_labels, with_number_label
from vnocr.text import tokenize


def _fixed(line: str) -> bool:
    return number_labels([with_number_label(tokenize(line))]) == {(0, 0): "Số"}


@pytest.mark.parametrize("line", ["S6: 280 /BC-UBND", "S06: 646/KH-UBND", "$6: 2206/CT-UBND",
                                  "86: 6% /CT-UBND", "Sé: 12/2020/NĐ-CP", "So: 15/QĐ-UBND"])
def test_misread_labels_before_a_documents_code(line):
    assert _fixed(line)


@pytest.mark.parametrize("line", [
    "Số: 280/BC-UBND",  # read right
    "86: 6% tổng số",  # no document's code after: a number
    "$6: giá bán lẻ",  # an amount
    "Điều 86: 12/CT-UBND",  # not the line's first token
    "S6 280/BC-UBND",  # no colon
    "S6: 280/bc-ubnd",  # no code in capitals
    "SOS: 12/CT-UBND",
])
def test_other_lines_stay(line):
    assert not _fixed(line)


def test_pipeline_writes_the_label_and_keeps_the_number(restorer):
    from vnocr import Pipeline

    text = Pipeline().correct_lines(["S06: 646/KH-UBND", "$6: 2206/CT-UBND", "86: 6% /CT-UBND",
                                     "86: 6% tổng số"]).text
    assert text.split("\n") == ["Số: 646/KH-UBND", "Số: 2206/CT-UBND", "Số: 6% /CT-UBND",
                                "86: 6% tổng số"]


def test_a_dollar_for_the_s_of_số_before_a_documents_number_anywhere_in_the_line():
    line = tokenize("đã ban hành các Quyết định: $6 418/QĐ-UBND, theo Quyết định $6 12/CT-UBND")
    assert number_labels([with_number_label(line)]) == {(0, 6): "Số", (0, 11): "số"}
    # an amount, or a `$6` before anything but a document's number, is no label
    assert number_labels([with_number_label(tokenize("giá $6 418 đồng, $6 /CT"))]) == {}


def test_an_amount_keeps_its_number(restorer):
    from vnocr import Pipeline

    text = Pipeline().correct_lines(["gia $6 mot cai, €12 mot ve va 6 nguoi",
                                     "theo Quyet dinh $6 418/QD-UBND ngay 30/5/2024"]).text
    assert text.split("\n") == ["giá $6 một cái, €12 một vé và 6 người",
                                "theo Quyết định số 418/QĐ-UBND ngày 30/5/2024"]


def test_the_word_before_a_documents_number_reads_it_as_a_number(restorer):
    """The language model sees `208/HĐND-KTNS` where `208` would stand: `sé` before it is
    số (số 208), not sở, which eng-OCR prints the same."""
    from vnocr import Pipeline

    text = Pipeline().correct_lines(
        ["déi véi Van phong UBND tinh, sé 208/HDND-KTNS ngay 12/5/2024"]).text
    assert text == "đối với Văn phòng UBND tỉnh, số 208/HĐND-KTNS ngày 12/5/2024"
