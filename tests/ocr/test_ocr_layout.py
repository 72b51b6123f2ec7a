"""Layout without Tesseract: words grouped by Tesseract's numbering, text and JSON views."""

from __future__ import annotations

import unicodedata

import pytest

from vnocr.ocr._tesseract import TsvWord, _parse_tsv
from vnocr.ocr.layout import OcrWord, build_page


def _w(block, par, line, text, conf=90.0, x=0):
    return TsvWord(block, par, line, 1, x, 10 * line, 20, 8, conf, text)


def test_lines_and_paragraphs_are_rebuilt():
    words = [
        _w(1, 1, 1, "Ủy"),
        _w(1, 1, 1, "ban"),
        _w(1, 1, 2, "nhân"),
        _w(1, 2, 1, "dân", 40.0),
        _w(2, 1, 1, "xã"),
    ]
    page = build_page(0, words)
    assert page.text == "Ủy ban\nnhân\n\ndân\n\nxã"
    assert page.lines == ["Ủy ban", "nhân", "", "dân", "", "xã"]
    assert page.line_confidences == [[0.9, 0.9], [0.9], None, [0.4], None, [0.9]]
    d = page.as_dict()
    assert [len(p["lines"]) for p in d["paragraphs"]] == [2, 1, 1]
    assert d["paragraphs"][0]["lines"][0]["words"][1] == {
        "text": "ban",
        "conf": 0.9,
        "box": [0, 10, 20, 8],
    }


def test_text_is_nfc_and_tokens_match_confidences():
    nfd = unicodedata.normalize("NFD", "Việt Nam")
    page = build_page(0, [_w(1, 1, 1, nfd), _w(1, 1, 1, "  "), _w(1, 1, 1, "ok", 200.0)])
    assert page.text == "Việt Nam ok"
    assert page.line_confidences == [[0.9, 0.9, 1.0]]  # the spaced word counts twice, conf clipped
    with pytest.raises(ValueError):
        OcrWord(nfd, 0.5, (0, 0, 1, 1))


def test_empty_page():
    page = build_page(3, [])
    assert (page.index, page.text, page.lines, page.line_confidences) == (3, "", [], [])


def test_tsv_parsing_keeps_fractional_confidence_and_skips_non_words():
    tsv = (
        "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
        "1\t1\t0\t0\t0\t0\t0\t0\t100\t50\t-1\t\n"
        "5\t1\t1\t1\t1\t1\t5\t6\t7\t8\t96.521\tĐà\n"
        "5\t1\t1\t1\t1\t2\t15\t6\t7\t8\t95\t \n"
    )
    (w,) = _parse_tsv(tsv)
    assert (w.block, w.par, w.line, w.left, w.conf, w.text) == (1, 1, 1, 5, 96.521, "Đà")
