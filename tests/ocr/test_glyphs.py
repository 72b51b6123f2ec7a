"""Tesseract's crossed-D slips are mended where its words enter the page."""

from __future__ import annotations

import pytest

from vnocr.ocr._tesseract import TsvWord
from vnocr.ocr.glyphs import mend_glyphs
from vnocr.ocr.layout import build_page


@pytest.mark.parametrize(
    ("read", "mended"),
    [
        ("HĐÐĐND", "HĐND"),  # one bold Đ read as Đ, Ð, Đ
        ("QĐÐ-UBND", "QĐ-UBND"),
        ("ÐĐ", "Đ"),
        ("Ðảng", "Đảng"),  # the legacy stand-in
        ("GĐĐH", "GĐĐH"),  # two printed Đs stay two
        ("Hà Nội", "Hà Nội"),
    ],
)
def test_mend_glyphs(read, mended):
    assert mend_glyphs(read) == mended


def test_build_page_mends_words():
    page = build_page(0, [TsvWord(1, 1, 1, 1, 0, 0, 40, 10, 90.0, "số 87/HĐÐĐND-KTNS")])
    assert page.text == "số 87/HĐND-KTNS"
    assert page.line_confidences == [[0.9, 0.9]]
