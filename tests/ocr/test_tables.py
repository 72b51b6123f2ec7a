"""Ruled tables: found from their rules (not a received-stamp's frame), their words
set row by row with cells tab-separated (rules read as `|` cut off), and their rows
left alone by the reading order."""

from __future__ import annotations

import cv2
import numpy as np

from vnocr.ocr._tesseract import TsvWord
from vnocr.ocr.layout import OcrLine, OcrParagraph, OcrWord, build_page
from vnocr.ocr.reading_order import arrange
from vnocr.ocr.rules import page_rules
from vnocr.ocr.tables import Table, find_tables, tabulate

LINE = 60.0  # text line height, px


def _grid(xs: list[int], ys: list[int], size: tuple[int, int] = (2400, 3000)) -> np.ndarray:
    page = np.full(size[::-1], 255, np.uint8)
    for x in xs:
        cv2.line(page, (x, ys[0]), (x, ys[-1]), 0, 3)
    for y in ys:
        cv2.line(page, (xs[0], y), (xs[-1], y), 0, 3)
    return page


def test_a_ruled_grid_is_a_table_with_its_rules():
    xs, ys = [300, 450, 1300, 1700, 2100], [500, 620, 760, 880, 1020]
    page = _grid(xs, ys)
    cv2.putText(page, "STT Noi dung", (320, 580), cv2.FONT_HERSHEY_SIMPLEX, 1.5, 0, 3)
    (table,) = find_tables(page_rules(page, LINE), LINE)
    assert table.shape == (4, 4)
    assert all(abs(a - b) <= 3 for a, b in zip(table.xs, xs, strict=True))
    assert all(abs(a - b) <= 3 for a, b in zip(table.ys, ys, strict=True))


def test_a_received_stamp_frame_is_no_table():
    """A title strip over a box split in two: its upper fields are open on one side."""
    page = np.full((3000, 2400), 255, np.uint8)
    x0, y0, x1, y1 = 200, 600, 750, 900
    cv2.rectangle(page, (x0, y0), (x1, y1), 0, 3)
    cv2.line(page, (x0, 660), (x1, 660), 0, 3)
    cv2.line(page, (340, 660), (340, y1), 0, 3)
    assert find_tables(page_rules(page, LINE), LINE) == []


def test_plain_text_has_no_table():
    page = np.full((3000, 2400), 255, np.uint8)
    for k in range(20):
        cv2.putText(page, "Cong hoa xa hoi chu nghia", (300, 400 + 80 * k),
                    cv2.FONT_HERSHEY_SIMPLEX, 1.5, 0, 3)
    assert find_tables(page_rules(page, LINE), LINE) == []


def _word(text: str, x: int, y: int, block: int, line: int, w: int = 100) -> TsvWord:
    return TsvWord(block, 1, line, 1, x, y, w, 40, 95.0, text)


def test_words_are_set_row_by_row_cells_left_to_right():
    """Tesseract read across the cells and split a two-line cell: the rows come back
    whole, a cell's lines joined, the cells tab-separated."""
    table = Table((100, 300, 1000, 1400), (500, 650, 800))
    words = [
        _word("Trước", 100, 300, 1, 1),
        _word("STT|", 120, 520, 2, 1), _word("|", 290, 520, 2, 1, w=10),
        _word("Nội", 320, 520, 2, 1),
        _word("dung", 440, 520, 2, 1), _word("Số", 1020, 520, 2, 1),
        _word("lượng", 1140, 520, 2, 1),
        _word("1", 120, 670, 3, 1), _word("Xây", 320, 670, 3, 1), _word("dựng", 440, 670, 3, 1),
        _word("3.455", 1020, 670, 3, 1),
        _word("trường", 320, 730, 4, 1), _word("học", 460, 730, 4, 1),
        _word("Sau", 100, 900, 5, 1),
    ]
    page = build_page(0, tabulate(words, [table]))
    assert page.text == "Trước\n\nSTT\tNội dung\tSố lượng\n1\tXây dựng trường học\t3.455\n\nSau"
    # one confidence per whitespace token: a tab is whitespace
    assert [len(c) if c else 0 for c in page.line_confidences] == [1, 0, 5, 6, 0, 1]
    row = page.paragraphs[1].lines[1]
    assert row.cells == (0, 1, 1, 1, 1, 2)
    assert row.as_dict()["cells"] == [0, 1, 1, 1, 1, 2]
    assert "cells" not in page.paragraphs[0].lines[0].as_dict()


def test_an_empty_cell_keeps_its_column():
    """A row whose first and third cells are empty still puts its words under their
    columns: one tab per column boundary crossed."""
    words = tuple(OcrWord(t, 0.95, (x, 0, 50, 40)) for t, x in
                  (("Tổng", 300), ("cộng", 360), ("3.455", 1020)))
    assert OcrLine(words, cells=(1, 1, 3)).text == "\tTổng cộng\t\t3.455"


def test_table_rows_are_not_read_as_a_signature_block():
    """A table ending the page leaves wide gaps between its cells, as a two-column
    signature block does: its rows stay rows."""
    def row(y: int, *cells: tuple[int, str]) -> OcrLine:
        words, cols = [], []
        for col, (x, text) in enumerate(cells):
            for t in text.split():
                words.append(OcrWord(t, 0.95, (x, y, 25 * len(t), 50)))
                cols.append(col)
                x += 25 * len(t) + 18
        return OcrLine(tuple(words), tuple(cols))

    body = OcrParagraph((OcrLine((OcrWord("Bảng", 0.95, (100, 100, 100, 50)),)),))
    table = OcrParagraph((row(300, (120, "1"), (400, "Trồng rừng"), (1400, "202,5")),
                          row(400, (120, "2"), (400, "Nâng cấp"), (1400, "3.455"))))
    out = arrange((body, table))
    assert [ln.text for p in out.paragraphs for ln in p.lines] == [
        "Bảng", "1\tTrồng rừng\t202,5", "2\tNâng cấp\t3.455"]


def test_a_rendered_table_page_reads_row_by_row():
    """Tesseract on a rendered table (multi-line cells, `3.455`-style numbers): one line
    per row, as many cells as the truth's, and the page's JSON gives the grid."""
    from vnocr.data.table_pages import render_table_page
    from vnocr.ocr import ocr_image
    from vnocr.options import OcrOptions

    rendered = render_table_page(seed=0)
    page = ocr_image(rendered.image, OcrOptions())
    truth_rows = [ln for ln in rendered.truth.splitlines() if "\t" in ln]
    read_rows = [ln for ln in page.lines if "\t" in ln]
    assert len(read_rows) == len(truth_rows)
    assert [r.count("\t") for r in read_rows] == [r.count("\t") for r in truth_rows]
    assert read_rows[1].split("\t")[2:] == truth_rows[1].split("\t")[2:]
    (table,) = page.as_dict()["tables"]
    assert (table["rows"], table["columns"]) == (len(truth_rows), truth_rows[0].count("\t") + 1)


def test_a_tilted_scanned_table_in_large_print_is_still_found():
    """A scan's slight tilt and blur, print brought down to 22 px: the page is resampled
    by area before it is turned, so the thin rules stay whole and the grid is found."""
    from vnocr.data.table_pages import render_table_page
    from vnocr.ocr.preprocess import preprocess
    from vnocr.ocr.rules import page_rules
    from vnocr.ocr.tables import find_tables
    from vnocr.options import PreprocessOptions

    rendered = render_table_page(seed=1, degrade_spec={"blur": 0.7, "speckle": 0.0005,
                                                       "jpeg_quality": 80, "rotate_deg": 0.3})
    prep = preprocess(rendered.image, PreprocessOptions())
    assert prep.scale < 0.8 and prep.skew_deg != 0.0
    line = 2.0 * prep.x_height * prep.scale
    assert len(find_tables(page_rules(prep.image, line), line)) == 1
