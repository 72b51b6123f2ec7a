"""Correctly accented Vietnamese passes the whole Pipeline unchanged: every change to
right text is an error added to a clean page. Sentences of different kinds (names,
headings, numbers and codes, run-in headings whose next word keeps its capital), each
a document of its own; `scripts/bench_unchanged.py` measures the same on the dev sets'
truth."""

from __future__ import annotations

import pytest

from vnocr import Pipeline

CORRECT = [
    # names of people and places
    "Ông Trương Thế Thủy cố gắng leo đến chùa Hoa Yên để lễ cầu an.",
    "Bà Nguyễn Thị Hồng Nhung, Phó Chủ tịch UBND tỉnh Sơn La, dự hội nghị.",
    # a name's marks are the writer's, though the LM knows another name better
    "Ông Quảng cũng chia sẻ, mặc dù tuổi đã cao nhưng hai vợ chồng đều thích đi lễ chùa.",
    "Kim Hoàn Tam Kết đi đường giữa, Đổng Trà Na đi mé tả, A Hội Nam đi mé hữu.",
    # a name left unmarked, or marked otherwise than the gazetteer's, in running prose
    "Kim Hoàn Tam Kết tham gia vào chiến dịch của người Nam Man chống lại quân Thục Hán.",
    "Con trai thứ 2 của anh là Colin (tên thật Bằng Anh, sinh năm 2006).",
    "Lợi Trí là một trong những mỹ nhân nổi trội nhất của điện ảnh Hong Kong.",
    # headings, in capitals and in small letters
    "I. KẾT QUẢ THỰC HIỆN NGHỊ QUYẾT ĐẠI HỘI ĐẢNG BỘ THÀNH PHỐ",
    "II. NHIỆM VỤ, GIẢI PHÁP TRỌNG TÂM NĂM 2025",
    "1. Kết quả thực hiện các chỉ tiêu kinh tế - xã hội chủ yếu",
    # numbers, amounts and document codes
    "Thu ngân sách trên địa bàn đạt 3.455 tỷ đồng, tăng 3,4% so với năm 2020.",
    "Thực hiện Quyết định số 1234/QĐ-UBND ngày 07/9/2021 của UBND tỉnh.",
    # raised digits: a unit's power and footnote numbers after words and a name
    "Dự án chống ngập cho 570 km² với khoảng 6,5 triệu dân.",
    "Nước biển nặng 1.020 tới 1.030 kg/m³ ở bề mặt.",
    "Thành phố Sơn La² có 12 phường¹ và xã, diện tích 324,9 km².",
    # a one-letter word opening a line: ổ (`ổ mắt`), u (`u ám`), ủ (`ủ rũ`)
    "Ổ mắt lớn và được ngăn cách bởi một vách xương.",
    "U ám cả một vùng trời.",
    "Ủ rũ cả ngày vì mất việc.",
    # a foreign name with an apostrophe (the Chinese text around it made it *Trung*)
    ("Ngày 18 tháng 1 năm 2005, chính quyền Seoul chính thức sử dụng tên Shou'er (giản "
     "thể: 首尔; phồn thể: 首爾; bính âm: shǒu'ěr,"),
    # a letter's name opening a line before a small word
    "K là tên của một loại vitamin tan trong dầu.",
    # a run-in heading: the sentence after it opens with a capital c, o, s, v or x
    "Đường ruột Có hơn 400 loại vi khuẩn cư ngụ trong đường ruột.",
    "Bộ râu Các nhà vi sinh vật gần đây điều tra phát hiện điều này.",
]


@pytest.fixture(scope="module")
def pipeline(restorer) -> Pipeline:
    return Pipeline()


@pytest.mark.parametrize("line", CORRECT)
def test_correct_accented_line_is_left_alone(pipeline, line):
    assert pipeline.correct_lines([line]).text == line



# Short accented texts holding a common word without its marks, twice: too few words for
# the share of lost marks to say the text lost them, so they are judged accented and
# keep their marks; only the words listed may change (`da` → đã where the sentence
# wants it). Judged plain, the first had its second `da` re-toned.
SHORT_WITH_UNMARKED = [
    ("các loại dưỡng da 'tự chế' không rõ nguồn gốc sẽ khiến tình trạng da xấu đi hơn.",
     set()),
    ("Da mặt khô, da tay nứt nẻ: cần bôi kem dưỡng ẩm mỗi ngày.", set()),
    ("Ông thường được gọi là “Minh Him Lam”, chủ của Tập đoàn Him Lam.", set()),
    ("Thương hiệu cà phê sạch, nguyên chất 100% được rang xay từ những hạt cà phê",
     set()),
    (("Hôm qua chúng tôi da đến thăm bảo tàng lịch sử và da được hướng dẫn viên kể "
      "nhiều chuyện."), {"da"}),
]


@pytest.mark.parametrize(("line", "may_change"), SHORT_WITH_UNMARKED)
def test_short_accented_text_keeps_its_marks(pipeline, line, may_change):
    result = pipeline.correct_lines([line])
    assert result.regimes == ("accented",)
    got, given = result.text.split(" "), line.split(" ")
    assert len(got) == len(given)
    assert [g for g, w in zip(got, given) if w not in may_change] == [
        w for w in given if w not in may_change]


# A page the OCR doubted in places (a damaged page, `regime.damaged_page`): a capital c,
# o, s, v or x the OCR was sure of is the print's (a name: `Lê Thọ Vực`), not a flip.
DAMAGED_PAGE = [
    "Lê Lợi sai Thái úy Lê Thọ Vực cùng các tướng đem quân đánh dẹp phía Tây.",
    "Quân Minh thua to, phải rút về giữ thành Đông Quan.",
]


def test_a_sure_capital_on_a_damaged_page_keeps_its_case(pipeline):
    confidences = [[0.96] * len(line.split()) for line in DAMAGED_PAGE]
    confidences[1][2] = confidences[1][3] = 0.4  # doubted words: the page is damaged
    result = pipeline.correct_lines(DAMAGED_PAGE, confidences)
    assert result.text.split("\n")[0] == DAMAGED_PAGE[0]


def test_a_doubted_foreign_word_on_a_damaged_page_is_no_vietnamese_word(pipeline):
    """A photocopy's line `toán logic.`, the OCR doubting `logic` (0.83) on a page where
    it doubts many words: the network, proposing from context alone, read it *được*; a
    word of plain letters no syllable could be is foreign, and only the channel's
    search (near spellings) may change it."""
    lines = ["viết khó khăn;",
             ": Khó thành thục với các con số, phép tính hoặc tính toán; Khó khăn trong suy luận",
             "toán logic."]
    confs = [[0.96] * 3, [0.6, 0.95, 0.96, 0.96, 0.97, 0.97, 0.82, *[0.96] * 11], [0.96, 0.83]]
    assert pipeline.correct_lines(lines, confs).lines[2] == "toán logic."
