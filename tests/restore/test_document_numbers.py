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
