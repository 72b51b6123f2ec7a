"""A dot below that Tesseract read as a word of its own (`CHỦ TICH` over a lone `l`)
goes back on the word over it; dashes, footnote numbers and words with another tone
are left alone."""

from __future__ import annotations

from vnocr.ocr.dots import dots_below
from vnocr.ocr.layout import OcrLine, OcrWord


def _word(text: str, box: tuple[int, int, int, int], marker: bool = False) -> OcrWord:
    return OcrWord(text, 0.9, box, marker)


SIGNER = OcrLine((_word("CHỦ", (1521, 1777, 121, 51)), _word("TICH", (1657, 1789, 140, 39))))
DOT = _word("l", (1699, 1831, 7, 7))  # under the I of TICH


def test_a_dot_on_a_line_of_its_own_goes_back_on_its_word():
    mended, gone = dots_below([SIGNER, OcrLine((DOT,))])
    assert mended[0].text == "CHỦ TỊCH" and gone == [1]
    assert [w.box for w in mended[0].words] == [w.box for w in SIGNER.words]


def test_a_dot_read_inside_the_next_row_leaves_that_row():
    """In a signature block the dot lands in the row under the signer's title, beside
    the left column's words."""
    row = OcrLine((_word("-", (356, 1850, 13, 3)), _word("Lưu:", (388, 1830, 90, 45)),
                   _word("VT.", (495, 1830, 70, 45)), DOT))
    mended, gone = dots_below([SIGNER, row])
    assert mended[0].text == "CHỦ TỊCH" and mended[1].text == "- Lưu: VT." and gone == []


def test_a_words_own_dot_read_twice_leaves_the_text():
    dotted = OcrLine((_word("TỊCH", (1657, 1789, 140, 39)),))
    mended, gone = dots_below([dotted, OcrLine((DOT,))])
    assert 0 not in mended and gone == [1]


def test_dashes_footnote_numbers_and_toned_words_stay():
    dash = _word("-", (1690, 1831, 20, 3))
    number = _word("3", (1699, 1831, 7, 9), marker=True)
    for speck in (dash, number):
        assert dots_below([SIGNER, OcrLine((speck,))]) == ({}, [])
    toned = OcrLine((_word("CHỦ", (1521, 1777, 121, 51)),))
    under_u = _word("l", (1600, 1831, 7, 7))
    assert dots_below([toned, OcrLine((under_u,))]) == ({}, [])


def test_a_rendered_signers_title_gets_its_dot_back():
    """Through Tesseract: a rendered page in the Nghị định 30 layout whose signer's
    TỊCH lost its dot to a line of its own."""
    from vnocr.data.admin_pages import render_admin_page
    from vnocr.ocr import ocr_image
    from vnocr.options import OcrOptions

    read = ocr_image(render_admin_page(seed=3).image, OcrOptions())
    assert "CHỦ TỊCH" in read.lines
    assert not any(line in ("l", ".", "i", "I") for line in read.lines)
