"""How text is cut into the streams the search reads: a table row's cells and a heading
in capitals are texts of their own, so no word's context comes from the cell beside it
or from the text around the heading."""

from __future__ import annotations

import vnocr.restore.streams as streams_module
from vnocr.restore.streams import build_streams, groups, table_cells
from vnocr.text import tokenize


def _streams(lines: list[str]) -> list[list[str]]:
    toks = [tokenize(line) for line in lines]
    cells = [table_cells(line, t) for line, t in zip(lines, toks, strict=True)]
    streams = build_streams(toks, None, [(0, 0)] * len(toks), cell_starts=cells)
    return [[slot.token.core for slot in stream] for stream in streams]


def test_a_tab_between_cells_starts_a_new_stream():
    row = "1\tTrong rung phong ho\t\tha\t202,5"
    assert table_cells(row, tokenize(row)) == frozenset({1, 5, 6})
    assert _streams([row]) == [["1"], ["Trong", "rung", "phong", "ho"], ["ha"], ["202,5"]]


def test_running_text_crosses_spaces_and_line_ends():
    lines = ["Ubnd tinh da phe duyet", "ke hoach nam nay"]
    assert table_cells(lines[0], tokenize(lines[0])) == frozenset()
    assert _streams(lines) == [["Ubnd", "tinh", "da", "phe", "duyet", "ke", "hoach", "nam",
                                "nay"]]


def test_a_sentence_runs_on_across_blank_lines_a_paragraph_does_not():
    # OCR puts blank lines where a page, a column or a footnote block breaks a sentence
    lines = ["giai phap va dinh huong quan", "", "", "trong de xay dung van hoa.", "",
             "Nam 2024 thanh pho", "", "TONG KET", "", "da dat duoc"]
    assert _streams(lines) == [["giai", "phap", "va", "dinh", "huong", "quan", "trong", "de",
                                "xay", "dung", "van", "hoa"],
                               ["Nam", "2024", "thanh", "pho"], ["TONG", "KET"],
                               ["da", "dat", "duoc"]]


def test_a_line_opening_with_a_fields_label_starts_a_sentence(restorer):
    lines = ["Ve viec dieu chinh du toan cua cac don vi", "Kinh gui: Hoi dong nhan dan tinh",
             "Noi nhan:", "- Nhu tren"]
    assert _streams(lines) == [["Ve", "viec", "dieu", "chinh", "du", "toan", "cua", "cac",
                                "don", "vi"], ["Kinh", "gui"],
                               ["Hoi", "dong", "nhan", "dan", "tinh"], ["Noi", "nhan"],
                               ["Nhu", "tren"]]
    # read on into the subject line, its first word was a name (the Kinh people)
    out = restorer.restore(lines)
    assert out[1].text == "Kính gửi: Hội đồng nhân dân tỉnh"


def test_a_heading_in_capitals_is_a_stream_of_its_own():
    lines = ["ket qua dat duoc nhu sau", "KHAI QUAT KET QUA THUC HIEN", "DANG BO THANH PHO",
             "Trong nhiem ky vua qua"]
    assert _streams(lines) == [["ket", "qua", "dat", "duoc", "nhu", "sau"],
                               ["KHAI", "QUAT", "KET", "QUA", "THUC", "HIEN", "DANG", "BO",
                                "THANH", "PHO"],
                               ["Trong", "nhiem", "ky", "vua", "qua"]]


def test_a_label_line_over_a_heading_is_a_stream_of_its_own():
    lines = ["PHU LUC ,", "KHAI QUAT KET QUA THUC HIEN", "UY BAN NHAN DAN", "TINH GIA LAI"]
    assert _streams(lines) == [["PHU", "LUC"],
                               ["KHAI", "QUAT", "KET", "QUA", "THUC", "HIEN", "UY", "BAN",
                                "NHAN", "DAN", "TINH", "GIA", "LAI"]]


def test_a_numbered_heading_in_small_letters_ends_its_sentence():
    lines = ["1.1. Thuc hien cac chi tieu kinh te", "Sau 5 nam thuc hien nghi quyet, thanh pho",
             "da dat duoc nhieu ket qua quan trong tren cac linh vuc"]
    assert _streams(lines)[1:3] == [["Thuc", "hien", "cac", "chi", "tieu", "kinh", "te"],
                                    ["Sau", "5", "nam", "thuc", "hien", "nghi", "quyet",
                                     "thanh", "pho", "da", "dat", "duoc", "nhieu", "ket",
                                     "qua", "quan", "trong", "tren", "cac", "linh", "vuc"]]


def test_a_numbered_point_wrapped_before_a_name_reads_on():
    """Its first line fills the text's width: a point wrapped before `Sở`, no heading."""
    lines = ["2. Giao cho Uy ban nhan dan tinh chu tri, phoi hop voi", "So Tai chinh thuc hien"]
    assert len(_streams(lines)) == 2  # `2.` and one sentence


def test_groups_start_small_and_double_up_to_the_group_size(monkeypatch):
    """Nothing is decoded while the first group is scored, so it is small; every stream
    lands in exactly one group, in order."""
    monkeypatch.setattr(streams_module, "FIRST_GROUP_SLOTS", 10)
    monkeypatch.setattr(streams_module, "GROUP_SLOTS", 40)
    streams = [[object()] * 5 for _ in range(40)]  # 200 slots in streams of 5
    found = list(groups(streams))
    assert [sum(map(len, g)) for g in found] == [10, 20, 40, 40, 40, 40, 10]
    assert [s for g in found for s in g] == streams


def test_a_heading_under_a_label_is_restored_as_read_alone(restorer):
    """Read on from `PHỤ LỤC`, the language model chose khai quật."""
    from vnocr import Pipeline

    text = Pipeline().correct_lines(["' PHY LUC ,",
                                     "KHAI QUAT KET QUA THU'C HIEN NGHI QUYET PAI HOI"]).text
    assert text.split("\n")[1] == "KHÁI QUÁT KẾT QUẢ THỰC HIỆN NGHỊ QUYẾT ĐẠI HỘI"
