"""Reading order from word boxes alone: two-column header and signature blocks read
column by column, body and two-column body rows left alone, page numbers and detached
accent lines out of the text."""

from __future__ import annotations

from vnocr.ocr.columns import _split_glued, wide_gaps
from vnocr.ocr.layout import OcrLine, OcrParagraph, OcrWord
from vnocr.ocr.reading_order import arrange

H = 50  # word height, px
SPACE = 18  # word space, px


def _line(y: int, *runs: tuple[int, str], h: int = H) -> OcrLine:
    """Words of `runs` ((x of the first word, "words …"), …) on one row at `y`."""
    words = []
    for x, text in runs:
        for t in text.split():
            width = 25 * len(t)
            words.append(OcrWord(t, 0.95, (x, y, width, h)))
            x += width + SPACE
    return OcrLine(tuple(words))


def _page(*lines: OcrLine) -> tuple[OcrParagraph, ...]:
    return (OcrParagraph(tuple(lines)),)


def _text(paragraphs: tuple[OcrParagraph, ...]) -> str:
    return "\n\n".join("\n".join(ln.text for ln in p.lines) for p in paragraphs)


HEADER = (
    _line(100, (200, "ỦY BAN NHÂN DÂN"), (1000, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")),
    _line(160, (200, "TỈNH QUẢNG NGÃI"), (1100, "Độc lập - Tự do - Hạnh phúc")),
    _line(290, (240, "Số: 280/BC-UBND"), (1050, "Quảng Ngãi, ngày 2 tháng 11 năm 2024")),
    _line(400, (1000, "BÁO CÁO")),
)
BODY = (
    _line(520, (150, "Thực hiện quy định tại khoản 3 Điều 52 Luật Ngân sách nhà nước ngày")),
    _line(580, (100, "nay, Ủy ban nhân dân tỉnh báo cáo như sau:")),
)


def test_header_columns_are_read_left_then_right():
    out = arrange(_page(*HEADER, *BODY))
    assert _text(out.paragraphs) == (
        "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI\n\nSố: 280/BC-UBND\n\n"
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\n"
        "Quảng Ngãi, ngày 2 tháng 11 năm 2024\n\nBÁO CÁO\n\n"
        "Thực hiện quy định tại khoản 3 Điều 52 Luật Ngân sách nhà nước ngày\n"
        "nay, Ủy ban nhân dân tỉnh báo cáo như sau:"
    )
    # Words keep their boxes: the structure is only regrouped.
    words = [w for p in out.paragraphs for ln in p.lines for w in ln.words]
    assert sorted(w.box for w in words) == sorted(
        w.box for ln in (*HEADER, *BODY) for w in ln.words)


def test_header_whose_number_line_reaches_into_the_first_rows_gap():
    """The left column is centred: a longer `Số:` line protrudes into the gap of the
    rows above; the gap they all share is narrower but still there."""
    lines = (HEADER[0], HEADER[1],
             _line(290, (240, "Số: 2800/BC-UBND-VP"), (1050, "Quảng Ngãi, ngày 2")), *BODY)
    text = _text(arrange(_page(*lines)).paragraphs)
    assert text.startswith("ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI\n\nSố: 2800/BC-UBND-VP\n\nCỘNG")


def _centred(y: int, *runs: tuple[float, str]) -> OcrLine:
    """Words of `runs` ((centre x, "words …"), …) on one row at `y`, each run centred
    on its x as header columns are."""
    words: list[OcrWord] = []
    for centre, text in runs:
        width = sum(25 * len(t) for t in text.split()) + SPACE * (len(text.split()) - 1)
        words += _line(y, (round(centre - width / 2), text)).words
    return OcrLine(tuple(words))


def test_header_row_without_a_gap_is_cut_at_its_columns_centres():
    """The motto is wider than its half: the first row comes within a word space of
    the issuing body and has no gap of its own; the rows below tell where it splits."""
    left, right = 400, 1020
    rows = (
        _centred(100, (left, "HỘI ĐỒNG NHÂN DÂN"), (right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")),
        _centred(160, (left, "TỈNH QUẢNG NGÃI"), (right, "Độc lập - Tự do - Hạnh phúc")),
        _centred(290, (left, "Số: 280/BC-UBND"), (right, "Quảng Ngãi, ngày 2 tháng 11")),
    )
    first = rows[0].words
    assert first[4].box[0] - (first[3].box[0] + first[3].box[2]) <= SPACE + 2
    assert wide_gaps(rows[0]) == []
    text = _text(arrange(_page(*rows, *BODY)).paragraphs)
    assert text.startswith(
        "HỘI ĐỒNG NHÂN DÂN\nTỈNH QUẢNG NGÃI\n\nSố: 280/BC-UBND\n\n"
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\n"
        "Quảng Ngãi, ngày 2 tháng 11\n\nThực hiện")


def test_header_row_with_a_word_glued_across_the_columns_is_cut_inside_it():
    """Tesseract may glue the issuing body's last word to the motto's first
    (`PHÁP2ỘNG`): no word space centres both parts, so the row is cut inside the glued
    word, between where each part sits centred on its column, and the word's letters
    are shared in proportion to its box: each column keeps its own."""
    left, right = 400, 960  # the motto 40 px from `PHÁP`
    row = _centred(100, (left, "SỞ TƯ PHÁP"), (right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"))
    phap, cong = row.words[2], row.words[3]
    glued = OcrWord("PHÁP2ỘNG", 0.6, (phap.box[0], phap.box[1],
                                       cong.box[0] + cong.box[2] - phap.box[0], H))
    rows = (
        OcrLine((*row.words[:2], glued, *row.words[4:])),
        _centred(160, (left, "TỈNH QUẢNG NGÃI"), (right, "Độc lập - Tự do - Hạnh phúc")),
        _centred(290, (left, "Số: 280/BC-UBND"), (right, "Quảng Ngãi, ngày 2 tháng 11")),
    )
    paragraphs = arrange(_page(*rows, *BODY)).paragraphs
    left_column = [ln.text for ln in paragraphs[0].lines]
    assert left_column == ["SỞ TƯ PHÁP", "TỈNH QUẢNG NGÃI"]
    assert "\n2ỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc" in _text(paragraphs)


def _with_dust(line: OcrLine, at: int, text: str, conf: float) -> OcrLine:
    """`line` with a word read from dust, boxed 60 px wide at x `at` (conf `conf`)."""
    y = line.words[0].box[1]
    dust = OcrWord(text, conf, (at, y, 60, H))
    return OcrLine(tuple(sorted((*line.words, dust), key=lambda w: w.box[0])))


def test_header_row_ending_in_dust_is_cut_at_its_columns_centres():
    """Dust after the motto's last word, read as an unsure word (`ic` at 0.13), moved the
    row's right part off its column's centre, and dust glued before the motto's second
    row moved the column's: unsure words do not count where centres are measured."""
    left, right = 400, 1020
    rows = (
        _centred(100, (left, "HỘI ĐỒNG NHÂN DÂN"), (right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")),
        _centred(160, (left, "TỈNH QUẢNG NGÃI"), (right, "Độc lập - Tự do - Hạnh phúc")),
        _centred(290, (left, "Số: 280/BC-UBND"), (right, "Quảng Ngãi, ngày 2 tháng 11")),
    )
    last = rows[0].words[-1]
    dusty = (_with_dust(rows[0], last.box[0] + last.box[2] + 90, "ic", 0.13),
             _with_dust(rows[1], rows[1].words[3].box[0] - 80, "~", 0.0), rows[2])
    text = _text(arrange(_page(*dusty, *BODY)).paragraphs)
    assert text.startswith("HỘI ĐỒNG NHÂN DÂN\nTỈNH QUẢNG NGÃI\n\nSố: 280/BC-UBND\n\nCỘNG")


def test_only_a_long_word_under_a_rows_cut_is_shared_between_the_columns():
    """Letters go by the share of the box on each side (`DAN|CONG`); a short word the
    cut falls in near its edge (`CỘNG` after its C) is left whole, to go by its centre."""
    glued = OcrLine((OcrWord("DANCONG", 0.9, (934, 276, 288, 69)),))
    assert [w.text for w in _split_glued(glued, 1046).words] == ["DAN", "CONG"]
    assert [w.box[0] for w in _split_glued(glued, 1046).words] == [934, 1046]
    word = OcrLine((OcrWord("CỘNG", 0.96, (1087, 273, 158, 64)),))
    assert _split_glued(word, 1117.5) == word


def test_full_line_above_a_two_column_block_is_not_joined_to_it():
    """A body line cut anywhere leaves parts that miss the columns' centres: it stays a
    line, and a block under it stays rows."""
    table = (
        _centred(160, (400, "1. Sở Tài chính"), (1020, "120 triệu đồng")),
        _centred(220, (400, "2. Sở Xây dựng"), (1020, "80 triệu đồng")),
    )
    lines = (BODY[0], *table, BODY[1])
    assert _text(arrange(_page(*lines)).paragraphs) == _text(_page(*lines))


CLOSING = (
    _line(900, (100, "Nơi nhận:"), (1100, "TM. ỦY BAN NHÂN DÂN")),
    _line(950, (100, "- Như trên;"), (1250, "CHỦ TỊCH")),
    _line(1000, (100, "- Lưu: VT, KT.")),
    _line(1200, (1150, "Nguyễn Văn Hùng")),
)
CLOSING_READ = ("Nơi nhận:\n- Như trên;\n- Lưu: VT, KT.\n\nTM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n\n"
                "Nguyễn Văn Hùng")


def test_signature_block_is_read_left_then_right():
    assert _text(arrange(_page(*BODY, *CLOSING)).paragraphs).endswith(CLOSING_READ)


def test_body_rows_with_a_shared_gap_stay_rows():
    """Two-column rows in the middle of the page (a table) are not a header or a
    signature block: they are read row by row, as printed."""
    table = (
        _line(700, (100, "1. Sở Tài chính"), (1100, "120 triệu đồng")),
        _line(760, (100, "2. Sở Xây dựng"), (1100, "80 triệu đồng")),
    )
    lines = (*BODY, *table, _line(900, (100, "Tổng cộng hai đơn vị trên đây đã được phê duyệt")))
    assert _text(arrange(_page(*lines)).paragraphs) == _text(_page(*lines))


def test_ordinary_lines_have_no_wide_gap():
    assert wide_gaps(BODY[0]) == []
    assert len(wide_gaps(HEADER[0])) == 1


def test_page_number_leaves_the_text_and_stays_in_the_page_data():
    number = _line(20, (1000, "2"))
    out = arrange(_page(number, *BODY, _line(640, (100, "đúng quy định."))))
    assert [ln.text for ln in out.page_numbers] == ["2"]
    assert not _text(out.paragraphs).startswith("2")
    # A number inside the body (a numbered item's digit on its own line) stays.
    item = _line(600, (100, "3"))
    assert arrange(_page(*BODY, item, _line(660, (100, "đúng quy định.")))).page_numbers == ()


def test_detached_accent_line_above_a_bold_line_is_dropped():
    marks = _line(480, (300, "À .^A .À k4 # ˆ , ° ˆ"), h=20)
    title = _line(500, (300, "Về việc điều chỉnh dự toán ngân sách năm 2024"))
    out = arrange(_page(*BODY[:0], marks, title, *BODY))
    assert [ln.text for ln in out.debris] == [marks.text]
    assert _text(out.paragraphs).startswith("Về việc điều chỉnh")


def test_an_accent_row_read_as_doubted_tiny_words_is_dropped():
    # Tesseract's English model reads the row as two-letter words (`TA en x`), doubted
    doubted = OcrLine(tuple(OcrWord(w.text, 0.55, w.box) for w in
                            _line(482, (300, "TA en x"), (800, "nw oa ex gs ne A N"), h=18).words))
    title = _line(500, (300, "Về việc phòng, chống thiên tai và tìm kiếm cứu nạn"))
    out = arrange(_page(doubted, title, *BODY))
    assert [ln.text for ln in out.debris] == [doubted.text]
    # the same tiny row read well is print, not accents
    sure = _line(482, (300, "TA en x"), (800, "nw oa ex gs ne A N"), h=18)
    assert arrange(_page(sure, title, *BODY)).debris == ()


def test_small_print_line_above_a_title_is_kept():
    small = _line(440, (300, "(Kèm theo Quyết định số 12/QĐ-UBND)"), h=30)
    title = _line(500, (300, "QUY CHẾ LÀM VIỆC"))
    out = arrange(_page(small, title, *BODY))
    assert out.debris == ()


def _index(lines: list[str], start: str) -> int:
    return next(i for i, ln in enumerate(lines) if ln.startswith(start))


def test_rendered_administrative_page_is_read_in_order():
    """Through Tesseract: a page in the Nghị định 30 layout, rendered here."""
    from PIL import Image

    from vnocr.data.admin_pages import render_admin_page
    from vnocr.ocr import ocr_image
    from vnocr.options import OcrOptions

    page = render_admin_page(seed=0, dpi=200, stamp=False, page_number=3)
    image = page.image
    assert isinstance(image, Image.Image)
    read = ocr_image(image, OcrOptions())
    lines = read.lines
    truth = [ln for ln in page.truth.splitlines() if ln]
    # The issuing body and the number come before the motto and the date.
    assert _index(lines, truth[0]) < _index(lines, truth[2][:4]) < _index(lines, "CỘNG HÒA")
    assert _index(lines, "CỘNG HÒA") < _index(lines, "Độc lập")
    # Recipients before the signer.
    assert _index(lines, "- Lưu") < _index(lines, "TM. ỦY BAN")
    # Tesseract may not read a lone digit in the margin at all; read or not, it is
    # not text.
    assert "3" not in lines
    assert [ln["text"] for ln in read.as_dict()["page_numbers"]] in ([], ["3"])


def test_received_stamp_words_are_left_out():
    """A black ruled stamp with print and handwriting over the first body words: its
    words leave the text, its box stays in the page data."""
    from vnocr.data.admin_pages import render_admin_page
    from vnocr.ocr import ocr_image
    from vnocr.options import OcrOptions

    page = render_admin_page(seed=0, dpi=200, degrade_spec={"blur": 0.6})
    read = ocr_image(page.image, OcrOptions())
    assert len(read.stamps) == 1
    x, y, w, h = read.stamps[0]
    sx, sy, sw, sh = page.stamp_box
    assert abs(x - sx) < 20 and abs(y - sy) < 20 and abs(w - sw) < 40 and abs(h - sh) < 40
    assert "TRUNG" not in read.text and "Chuyển" not in read.text
    assert read.as_dict()["stamps"] == [list(read.stamps[0])]


def test_accent_row_cut_in_two_pieces_is_dropped_whole():
    """Tesseract may split the detached row in two lines side by side; each piece is
    compared with the print under it, not with the other piece."""
    left = _line(480, (300, ".` .^A ,À k4 £"), h=20)
    right = _line(478, (1200, "Là bầu ˆ A ° La »"), h=20)
    title = _line(500, (300, "Về việc điều chỉnh dự toán ngân sách của một số đơn vị năm 2024"))
    out = arrange(_page(left, right, title, *BODY))
    assert len(out.debris) == 2
    assert _text(out.paragraphs).startswith("Về việc")


def test_header_rules_read_as_underscores_do_not_close_the_column_gap():
    # eng-OCR reads the rules under the issuing body and the motto as `___` and `_`,
    # with boxes as tall as the text, in the gap between the columns.
    rule = OcrWord("___", 0.4, (580, 160, 500, H))
    mark = OcrWord("_", 0.4, (650, 290, 350, H))
    header = (
        HEADER[0],
        OcrLine(tuple(sorted((*HEADER[1].words, rule), key=lambda w: w.box[0]))),
        OcrLine(tuple(sorted((*HEADER[2].words, mark), key=lambda w: w.box[0]))),
        HEADER[3],
    )
    out = _text(arrange(_page(*header, *BODY)).paragraphs)
    assert out.index("Số: 280/BC-UBND") < out.index("CỘNG HÒA")
    assert out.index("TỈNH QUẢNG NGÃI") < out.index("Số: 280/BC-UBND")


def test_signature_block_word_boxed_with_a_signature_is_trimmed_to_its_letters():
    # eng-OCR boxes `TM.` with the strokes to its left, up to the left column's words.
    words = CLOSING[0].words
    stretched = OcrWord("TM.", 0.5, (345, 900, words[2].box[0] + words[2].box[2] - 345, H))
    closing = (OcrLine((*words[:2], stretched, *words[3:])), *CLOSING[1:])
    assert _text(arrange(_page(*BODY, *closing)).paragraphs).endswith(CLOSING_READ)


SUBTITLE = (_line(400, (1000, "CHỈ THỊ")),
            _line(460, (700, "Về việc tăng cường công tác thi hành án")))
FIRST = (_line(560, (150, "Thời gian qua, công tác triển khai thi hành Luật tố tụng hành chính")),
         _line(620, (100, "đã đạt những kết quả tích cực.")))
SECOND = (_line(720, (150, "Để khắc phục tình trạng trên, Chủ tịch Ủy ban nhân dân tỉnh yêu cầu:")),)


def test_paragraph_read_after_one_below_it_comes_first():
    """Tesseract sometimes finds a centred subtitle block after the body block under it."""
    found = (OcrParagraph(FIRST), OcrParagraph(SUBTITLE), OcrParagraph(SECOND))
    assert _text(arrange(found).paragraphs) == _text(
        (OcrParagraph(SUBTITLE), OcrParagraph(FIRST), OcrParagraph(SECOND)))


def test_columns_keep_tesseracts_order():
    """The right column's first paragraph lies above the left column's last one, in
    another stretch of the width: Tesseract's column-by-column order stays."""
    left = (OcrParagraph((_line(500, (100, "Cột trái dòng một")),)),
            OcrParagraph((_line(900, (100, "Cột trái dòng hai")),)))
    right = (OcrParagraph((_line(500, (1300, "Cột phải dòng một")),)),
             OcrParagraph((_line(900, (1300, "Cột phải dòng hai")),)))
    assert _text(arrange((*left, *right)).paragraphs) == _text((*left, *right))


def test_paragraphs_touching_by_less_than_half_a_line_count_as_above():
    """Boxes of neighbouring paragraphs overlap by a descender; more than half a line
    of overlap is not 'above'."""
    upper = OcrParagraph((_line(500, (100, "Đoạn trên")),))
    touching = OcrParagraph((_line(500 + H - H // 3, (100, "Đoạn dưới")),))
    overlapping = OcrParagraph((_line(500 + H // 3, (100, "Đoạn chồng")),))
    assert _text(arrange((touching, upper)).paragraphs) == _text((upper, touching))
    assert _text(arrange((overlapping, upper)).paragraphs) == _text((overlapping, upper))


def test_a_lone_mark_in_a_side_margin_leaves_the_text_a_label_at_the_edge_stays():
    body = [_line(700 + 60 * k, (300, "các cơ quan nhà nước thực hiện theo quy định")) for k in range(4)]
    speck = _line(760, (40, "q"))  # a stamp's stroke or dust, far left of every line
    label = _line(940, (300, "a)"))  # a list label where the lines begin
    number = _line(1000, (40, "7"))  # digits are never taken for specks
    out = arrange(_page(*body[:2], speck, *body[2:], label, number))
    assert [ln.text for ln in out.debris] == ["q"]
    assert "a)" in _text(out.paragraphs) and "7" in _text(out.paragraphs)
