"""Specks at a line's edges (stray blots that OCR reads as letters) are cut, text is not."""

from __future__ import annotations

from pathlib import Path

import pytest

from vnocr import Pipeline
from vnocr.options import LexiconOptions, Options
from vnocr.text import tokenize

# Vietnamese context long enough to make the text "accented" (vie-OCR, typed).
CONTEXT = "Đây là báo cáo của Ủy ban nhân dân tỉnh về tình hình kinh tế và xã hội năm nay."


def _edges(restorer, line: str, accented: bool = True) -> tuple[int, int]:
    return restorer.specks.edges(tokenize(line), accented=accented)


@pytest.mark.parametrize(
    ("line", "edges"),
    [
        ("so với năm ngoái. l", (0, 1)),  # a letter after a sentence's end
        ("_ án phí, chi phí tố tụng", (1, 0)),  # a blot
        ("Hiệp Hoàng ñ", (0, 1)),  # no Vietnamese letter
        ("trường trên địa bàn, báo cáo Hội đồng nhân dân cùng cấp, l Ũ", (0, 2)),
        ("l thân, các cơ quan đã làm", (1, 0)),  # `l thân` was never seen
        ("l những câu chuyện buồn liên quan", (1, 0)),  # ... or seldom (3 times)
        ("Điều 48. ˆ", (0, 1)),
        ("ï HLV Phạm Long, Phạm Yến đều có mặt.", (1, 0)),  # ï is no Vietnamese letter
        ("Ũ a) Mạng lưới cấp, thoát nước", (1, 0)),  # never a word alone
        ("R Đến nay, tức là sau 5 ngày tập trung", (1, 0)),  # a capital before a capital
        ("I những câu chuyện buồn liên quan", (1, 0)),  # a margin's rule read as I
        ("Ẻ -__. Cùng chơi ở vị trí này", (2, 0)),  # before a blot
        # a page edge's shadow or a rule opening a line, read as underscores and dashes
        ("——_ Để tăng vẻ cho chiếc xe, hãng đã bổ sung", (1, 0)),
        ("-_____ Đặc biệt, hạnh phúc được nhân đôi", (1, 0)),
        ("___ không có ủy quyền đã bỏ ra để thực hiện", (1, 0)),
        ("(tương đương 1,41 tỷ đồng). 7 - sẻ ; ;", (0, 5)),  # scraps after a full stop
        ("Cô giáo nói gì? ie 8 of", (0, 3)),
        ("Cô giáo nói gì? ie lan 8 of", (0, 0)),  # `lan` is longer: no scrap run
        # a capital vowel with marks is no initial (no confidences needed)
        ("Sở Giao dịch chứng khoán TP HCM đã trao È", (0, 1)),
        ("Trưng, Hà Nội, cho biết: Â", (0, 1)),
        # a two-letter scrap with a dot is no sentence's end: the run goes on to one
        ('mặt đường khác nhau. mẽ "mẽ. . 1... : ...', (0, 6)),
        ("Nguyễn Hữu Thắng. - | . 7... ga. ...", (0, 6)),
        # a photocopy margin's dust whatever comes before: marks with a blot, scraps
        # trailing dots that are no word
        ("chiếc xe được coi là sự kết hợp giữa __ -", (0, 2)),
        ("SỞ HỮU CHUNG : 1...", (0, 2)),
        ("trừ trường hợp luật có quy định khác 1... : : mm...", (0, 4)),
        ('dựng đề cương các học phần, _. "_.... | 1m...', (0, 4)),
        ('cabin rộng hơn. `... - . "`. kẽ...', (0, 5)),
        # a column rule before a blot opening a line
        ("| _ Denis Shapovalov, tay vợt 17 tuổi", (2, 0)),
        ("| ___ Denis Shapovalov, tay vợt 17 tuổi", (2, 0)),
        ("|_ Hội nghị kết thúc lúc 11 giờ.", (1, 0)),  # ... read as one token
    ],
)
def test_specks_found(restorer, line, edges):
    assert _edges(restorer, line) == edges


@pytest.mark.parametrize(
    "line",
    [
        "vitamin A",  # a capital after a word: an initial, a label
        "vòng loại U23 châu Á",  # a capital vowel with marks where the pair is common
        "Xếp loại: B",  # a label after a colon
        "cho bệnh nhi Y",
        "uống 5 l",  # a unit after a number
        "điểm a, b",  # list labels the corpus has seen in a row
        "Ý kiến của ông Hùng.",  # a common word
        "Ở Columbia, Urey yêu cầu Cohen",  # a foreign neighbour: nothing to judge by
        "i ì ỉ ĩ í ị (iêu, iều, iểu...)",  # nothing but letters: a list of them
        "Họ và tên: ____",  # a form's fill-in line
        "Địa chỉ: —____",  # ... with a dash before it
        "Nơi cấp ______ ngày cấp",  # inside a line nothing is searched
        "hạng A và B đều được.",  # inside a line nothing is searched
        "a) Khám xét trái pháp luật",
        "b và c là hai phương án",  # a common pair: list labels in a sentence
        "giáo viên, chị S. đi",  # an initial is no full stop
        "ông làm việc tại TP. đó",  # nor is an abbreviation
        "tăng trưởng cao trong năm. Ở",  # a sentence may open at a line's end
        'Bạn đã hỏi: "Vì sao?" "',  # a quote belongs to the next line
        "Xem tiếp phần 2...",  # one dotted scrap: an ellipsis
        "| Tên | Tuổi |",  # a table's row
        "Anh nói: ừ...",  # a word trailing dots is no dust
        "theo quy định tại điểm a -",  # no blot
        "diện tích 12 ha. 45 ha.",  # a number without dots is no scrap
        'Họ và tên: "______"',  # a form's fill-in line in quotes
        "K là tên của một loại vitamin",  # a letter's name before a small word
        "Ổ mắt lớn và được ngăn cách",  # a one-letter word opening a line
    ],
)
def test_text_is_not_a_speck(restorer, line):
    assert _edges(restorer, line) == (0, 0)


def test_plain_text_loses_only_blots_and_letters_after_a_sentence(restorer):
    assert _edges(restorer, "lan. _ _. - . a", accented=False) == (0, 5)
    assert _edges(restorer, "S chiec xe chen chuc nhau", accented=False) == (0, 0)
    assert _edges(restorer, "diem a, b", accented=False) == (0, 0)


def test_cut_specks_are_recorded_changes_and_layout_stays(restorer):
    lines = [CONTEXT, "  l thân, các cơ quan tỉnh đã làm.", "so với năm ngoái. l", ""]
    out = restorer.restore(lines, regime="accented")
    assert out[1].text == "  thân, các cơ quan tỉnh đã làm."  # indentation kept
    assert out[2].text == "so với năm ngoái."
    for line, res in zip(lines, out):
        text = line
        for c in sorted(res.changes, key=lambda c: -c.start):
            assert line[c.start : c.end] == c.before
            text = text[: c.start] + c.after + text[c.end :]
        assert text == res.text  # replaying the changes gives the output
    cut = [c for r in out for c in r.changes if c.after == ""]
    assert [(c.before, c.extra["rule"]) for c in cut] == [("l ", "speck"), (" l", "speck")]
    assert len(out[1].confidences) == len(out[1].text.split())


def test_a_margins_dust_glued_before_a_lines_first_word_goes_with_its_change(restorer):
    lines = [CONTEXT, "_b) Chi phí hợp lý cho việc mai táng;", "  ——_-bộ đôi Hữu Thắng",
             "_Ghi chú_: không có", "__init__ là hàm khởi tạo", "_ _b) sai",
             "~30 người tham dự"]
    out = restorer.restore(lines, regime="accented")
    assert [r.text for r in out[1:]] == [
        "b) Chi phí hợp lý cho việc mai táng;", "  bộ đôi Hữu Thắng",
        "_Ghi chú_: không có",  # a blot the line closes is markup
        "__init__ là hàm khởi tạo", "b) sai", "~30 người tham dự"]
    assert [(c.before, c.after) for c in out[1].changes] == [("_b", "b")]
    for line, res in zip(lines, out):
        text = line
        for c in sorted(res.changes, key=lambda c: -c.start):
            assert line[c.start : c.end] == c.before
            text = text[: c.start] + c.after + text[c.end :]
        assert text == res.text


def test_dictionary_changes_after_a_cut_speck_point_into_the_input(tmp_path: Path):
    names = tmp_path / "names.txt"
    names.write_text("Nậm Păm Xỏm\n", encoding="utf-8")
    p = Pipeline(Options(lexicon=LexiconOptions(user_dicts=(names,))))
    text = "_ Bà con ở bản Nam Pam Xom đã về."
    r = p.correct_text(text)
    assert r.text == "Bà con ở bản Nậm Păm Xỏm đã về."
    (name,) = [c for c in r.changes if c.stage == "dictionary"]
    assert text[name.start : name.end] == name.before == "Nam Pam Xom"
    assert text.split()[name.token] == "Nam"


def test_a_lone_letter_or_mark_the_ocr_all_but_ruled_out_is_a_speck(restorer):
    """On a damaged page, a one-character token at a line's edge that Tesseract gave a
    confidence under 0.5 goes; words, and doubted letters inside the line, stay."""
    line = "i các câu chuyện buồn liên quan đến hành vi ứng xử của người Việt E"
    toks = tokenize(line)
    doubted = [True] + [False] * (len(toks) - 2) + [True]
    assert restorer.specks.edges(toks, accented=True) == (0, 0)
    assert restorer.specks.edges(toks, accented=True, doubted=doubted) == (1, 1)
    inside = [False, False, True] + [False] * (len(toks) - 3)  # `câu`: a word, inside
    assert restorer.specks.edges(toks, accented=True, doubted=inside) == (0, 0)
    word_at_end = tokenize("những câu chuyện buồn liên quan đến người Việt")
    assert restorer.specks.edges(word_at_end, accented=True,
                                 doubted=[False] * 8 + [True]) == (0, 0)


def test_doubted_specks_go_only_on_a_damaged_page(restorer):
    # `i các` is common enough in the corpus to stay from the text alone
    lines = [CONTEXT] * 3 + ["i các câu chuyện buồn liên quan đến người Việt"]
    well_read = [[0.96] * len(x.split()) for x in lines]
    well_read[-1][0] = 0.0  # one doubted token of 60: under 2 %
    assert restorer.restore(lines, well_read)[-1].text.startswith("i ")
    damaged = [[0.96] * len(x.split()) for x in lines]
    damaged[-1][:3] = [0.0, 0.6, 0.7]
    assert restorer.restore(lines, damaged)[-1].text.startswith("các")


@pytest.mark.parametrize(
    ("line", "trail"),
    [
        ("mạ chrome to bản và tấm chắn chống - ô", 2),  # a margin after a lone dash
        ("chi phí hợp lý cho việc mai táng; 7 — : |", 3),
        ("hướng tới mục tiêu - q ;", 3),
        ("thực hiện rằng việc - 2", 2),
        ("đề cương các học phần, - Fe ; —", 2),  # `Fe` is a word the corpus knows
        ("khối lượng học tập từ 2 - 3", 0),  # a range
        ("(vẫn được đưa vào danh sách - PV),", 0),  # closes the bracket it opened
        ("thu hút hàng trăm ngàn lượt khách", 0),
        ("- a", 0),  # nothing else on the line
        ("gop phan phat trien kinh te - xa", 0),  # wraps: `kinh tế - xã / hội`
        ("giai phong tinh Son La (22/11/1952 -", 0),  # wraps: `1952 - / 22/11/2022)`
    ],
)
def test_eng_ocr_margin_scraps_after_a_lone_dash(restorer, line, trail):
    toks = tokenize(line)
    assert restorer.specks.edges(toks, accented=False, ocr=True) == (0, trail)
    if trail:  # typed plain text keeps them: its dashes are the writer's
        assert restorer.specks.edges(toks, accented=False)[1] < trail


@pytest.mark.parametrize(
    ("line", "trail"),
    [
        ("khoảng sáng gầm xe được nâng thêm oe", 1),  # round letters read off dots
        ("giúp cho sinh viên hiểu rõ hơn oo :", 2),
        ("trên những đoạn đường khác nhau, oo ae 8 ee", 4),
        ("bám sát mục tiêu của chương trình eS", 1),
        ("quyền nhận lại tài sản, . eae", 2),
        ("xe cấp cứu đến nơi rất nhanh co", 0),  # `co` is a common syllable's letters
        ("bộ phận lưu trữ và bảo quản hồ sơ SS", 0),  # capitals: maybe an abbreviation
        ("tổng số học phần là 7", 0),  # a number alone may be text
        ("một nhóm khác từ năm 2020 ao", 0),
        ("oe", 0),  # nothing else on the line
    ],
)
def test_eng_ocr_speck_shaped_scraps_end_a_line(restorer, line, trail):
    toks = tokenize(line)
    assert restorer.specks.edges(toks, accented=False, ocr=True) == (0, trail)
    if trail:  # typed plain text keeps them
        assert restorer.specks.edges(toks, accented=False)[1] < trail


@pytest.mark.parametrize("mark", ["'", "|", "¬", "£", "©", "„"])
def test_a_lone_mark_ending_an_ocr_read_line_is_a_speck(restorer, mark):
    line = f"biết cô đang xây dựng một thương hiệu cà phê sạch, {mark}"
    toks = tokenize(line)
    assert restorer.specks.edges(toks, accented=True, read_by_ocr=True) == (0, 1)
    # a typed line keeps it (a table's bar), and one ending in a word keeps its words
    assert restorer.specks.edges(toks, accented=True) == (0, 0)
    assert restorer.specks.edges(tokenize("| Tên | Tuổi |"), accented=True) == (0, 0)
    confs = [0.95] * len(toks)
    assert restorer.restore([line], [confs])[0].text == line[:-2]
    assert restorer.restore([line])[0].text == line


@pytest.mark.parametrize(("mark", "edges"), [("|", (1, 0)), ("„", (1, 0)), ("¬", (1, 0)),
                                             ("'", (0, 0)), ("©", (0, 0))])
def test_a_lone_mark_opening_an_ocr_read_line(restorer, mark, edges):
    # an apostrophe may be eng-OCR's print of a footnote's number; © opens a credit line
    toks = tokenize(f"{mark} Hội nghị tổng kết công tác năm của tỉnh")
    assert restorer.specks.edges(toks, accented=True, read_by_ocr=True) == edges
    assert restorer.specks.edges(toks, accented=True) == (0, 0)


def test_an_em_dash_ending_an_eng_ocr_line_is_a_speck(restorer):
    # eng-OCR reads the margin as an em dash after the line's last word; a vie-OCR line's
    # is a printed en dash more often (`Bùi Tiến Dũng –`): it stays, as a typed one does
    toks = tokenize("phù hợp với từng điều kiện —")
    assert restorer.specks.edges(toks, accented=False, ocr=True, read_by_ocr=True) == (0, 1)
    assert restorer.specks.edges(toks, accented=True, read_by_ocr=True) == (0, 0)
    assert restorer.specks.edges(toks, accented=False) == (0, 0)
    eng = restorer.restore(["Pang bo thanh phé Son La d3 dat dugc nhiéu két qua quan trong",
                            "hoan thanh vugt muc, phu hop véi timg diéu kién —"])
    assert eng[1].text == "hoàn thành vượt mức, phù hợp với từng điều kiện"


@pytest.mark.parametrize(
    ("line", "lead"),
    [
        ("— tiết của học phần (tương ứng 6 tiết)", 1),
        ("- — bình minh và hoàng hôn.", 2),
        ("- Cụ thể, nữ ca sĩ chia sẻ về việc", 0),  # a list item opens with a capital
        ("— Anh đi đâu đấy?", 0),  # so does a line of dialogue
        ("- \"Người hùng\" GrabBike", 0),  # a quote before the word: maybe a list item
        ("- 5 người bị thương", 0),  # a number
        ("—", 0),
    ],
)
def test_a_dash_opening_an_ocr_read_line_before_small_letters_is_a_speck(restorer, line, lead):
    toks = tokenize(line)
    assert restorer.specks.edges(toks, accented=True, read_by_ocr=True)[0] == lead
    assert restorer.specks.edges(toks, accented=True) == (0, 0)  # typed: the writer's


@pytest.mark.parametrize(
    ("line", "conf", "trail"),
    [
        ("phục vụ cho nhu cầu đi lại của nhân dân :", 0.6, 1),  # dust the OCR doubted
        ("tiếp tục hút tiền \"", 0.3, 1),
        ("tiếp tục hút tiền \"", 0.0, 1),
        ("Kế hoạch triển khai như sau :", 0.93, 0),  # read with confidence: text
        ("Anh có đi không ?", 0.75, 0),  # a question's mark stays
        ("Nơi nhận: ./.", 0.6, 0),  # a document's closing mark
        ("ghi nhận tại Hà Nội (),", 0.4, 0),  # brackets held what the OCR lost
        ("tiếp tục hút tiền", 0.3, 0),  # a word
    ],
)
def test_a_lone_mark_the_ocr_doubted_ending_a_line_is_a_speck(restorer, line, conf, trail):
    toks = tokenize(line)
    confs = [0.95] * (len(toks) - 1) + [conf]
    assert restorer.specks.edges(toks, accented=True, read_by_ocr=True, confs=confs) == (0, trail)
    assert restorer.specks.edges(toks, accented=True) == (0, 0)  # no confidences: kept
    assert restorer.restore([line], [confs])[0].text == " ".join(line.split()[: len(toks) - trail])


@pytest.mark.parametrize(
    ("line", "conf", "lead"),
    [
        ("— Sau đó, chiếc xe sẽ có thêm phiên bản", 0.3, 1),
        ("..... Quyền đối với bất động sản liền kề", 0.6, 1),
        ("“ Thị trường đã có những tín hiệu", 0.2, 1),
        ("— Anh đi đâu đấy?", 0.95, 0),  # dialogue read with confidence
        ("- Nội dung kế hoạch", 0.34, 0),  # a list item's mark, however doubted
        ("* Ghi chú của bảng", 0.5, 0),
        ("(  ) nội dung", 0.2, 0),
    ],
)
def test_a_lone_mark_the_ocr_doubted_opening_a_line_is_a_speck(restorer, line, conf, lead):
    toks = tokenize(line)
    confs = [conf] + [0.95] * (len(toks) - 1)
    assert restorer.specks.edges(toks, accented=True, read_by_ocr=True, confs=confs)[0] == lead
    assert restorer.specks.edges(toks, accented=True) == (0, 0)  # no confidences: kept


def test_a_lone_mark_the_ocr_all_but_ruled_out_between_words_is_a_speck(restorer):
    from vnocr.restore.specks import inner_specks

    line = "nhiều bất cập . : \" ¬ Người lái sẽ kinh tế - xã hội"
    toks = tokenize(line)
    confs = [0.9, 0.9, 0.9, 0.95, 0.3, 0.1, 0.2, 0.9, 0.9, 0.9, 0.9, 0.9, 0.4, 0.9, 0.9]
    # `:`, `"`, `¬` go, and so would the dash of `kinh tế - xã hội` read at 0.4; a full
    # stop stays whatever its confidence, and a dash read with confidence stays
    assert inner_specks(toks, (0, 0), confs) == frozenset({4, 5, 6, 12})
    assert inner_specks(toks, (0, 0), None) == frozenset()
    confs[12] = 0.9
    out = restorer.restore([line], [confs])[0]
    assert out.text == "nhiều bất cập . Người lái sẽ kinh tế - xã hội"
    cut = [c for c in out.changes if c.extra.get("rule") == "speck"]
    assert [(c.token, c.before, c.after) for c in cut] == [(4, " :", ""), (5, ' "', ""),
                                                           (6, " ¬", "")]
    assert restorer.restore([line])[0].text == line  # typed: no confidences, all kept


def test_a_single_quote_nothing_closes_before_an_ocr_read_word_is_a_speck(restorer):
    from vnocr.restore.specks import unclosed_quote

    def quote(line: str, k: int) -> str:
        return unclosed_quote(line, tokenize(line)[k])

    assert quote("Những ‘Những sự kiện khiến tên tuổi", 1) == "‘"
    assert quote("đồng loạt 'lùi bước nhanh", 2) == "'"
    assert quote("trong trang phục ‘quê hương quan họ’ mới", 3) == ""  # closed
    assert quote("đồng loạt 'lùi bước\" nhanh", 2) == ""  # closed by the OCR's `"`
    assert quote("nói “Những điều", 1) == ""  # double quotes span lines
    assert quote("giá ‘100 đồng", 1) == ""  # not before a letter
    line = "Theo đó ‘những sự kiện khiến tên tuổi bà nổi bật"
    out = restorer.restore([line], [[0.95] * len(line.split())])[0]
    assert out.text == line.replace("‘", "")
    assert any(c.before == "‘những" and c.after == "những" for c in out.changes)
    assert restorer.restore([line])[0].text == line  # typed: the writer's quote


@pytest.mark.parametrize(
    ("line", "conf", "trail"),
    [
        ("giám sát quá trình 7", 0.3, 1),  # a margin's mark read as a digit
        ("quy định tại khoản 1", 0.96, 0),  # a number read with confidence
        ("quy định tại khoản 1", 0.6, 0),  # ... or only doubted
        ("giám sát quá trình 123", 0.1, 0),  # three digits: an amount, kept
        ("giám sát quá trình 7.", 0.1, 0),  # punctuated: text
    ],
)
def test_a_number_the_ocr_all_but_ruled_out_ending_a_line_is_a_speck(restorer, line, conf,
                                                                       trail):
    toks = tokenize(line)
    confs = [0.95] * (len(toks) - 1) + [conf]
    assert restorer.specks.edges(toks, accented=True, read_by_ocr=True, confs=confs) == (0, trail)
    assert restorer.specks.edges(toks, accented=True) == (0, 0)
