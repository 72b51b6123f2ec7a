"""Behaviour of the shipped restorer: alignment, pass-through, protection, quality."""

from __future__ import annotations

import gzip
import re
import socket
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vnocr import Pipeline
from vnocr.options import DEFAULT_MODEL_DIR, LexiconOptions, Options
from vnocr.restore.candidates import capitals_line, is_protected
from vnocr.restore.casing import doubled_letter_case
from vnocr.restore.glued import split_glued
from vnocr.text import is_vietnamese_syllable, nfc, strip_marks, tokenize

DEV = Path(__file__).resolve().parents[2] / "samples" / "dev"


def _rows(name: str, source: str | None = None, n: int = 60):
    out = []
    with gzip.open(DEV / f"{name}.tsv.gz", "rt", encoding="utf-8") as f:
        for line in f:
            noisy, truth, src = line.rstrip("\n").split("\t")[:3]
            if source is None or src == source:
                out.append((noisy, truth))
            if len(out) >= n:
                break
    return out


def test_model_loads_without_network(monkeypatch):
    """No hub, no sockets: everything loads from models/."""

    def no_network(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    from vnocr.restore import Restorer

    r = Restorer.from_pretrained(DEFAULT_MODEL_DIR)
    assert r.restore(["Dang bo"])[0].text.lower() != ""
    assert (DEFAULT_MODEL_DIR / "model.safetensors").stat().st_size < 40 * 2**20


_line = st.text(
    alphabet=st.sampled_from(list("abcdeghiklmnopqrstuvxyđáàảãạăâêôơư .,;:-/()0123456789\"'")),
    max_size=80,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_line, max_size=6))
def test_line_count_and_spacing_preserved(restorer, lines):
    out = restorer.restore(lines)
    assert len(out) == len(lines)
    for src, res in zip(lines, out):
        _assert_layout_kept(src, res)
        assert res.text == nfc(res.text)


def _assert_layout_kept(src: str, res) -> None:
    """Same whitespace between tokens, same token count: layout is kept by construction,
    except for specks cut at a line's edges (recorded, see test_specks.py) and merged
    words split in two (recorded, one space put back: see test_merged.py)."""
    for c in sorted(res.changes, key=lambda c: -c.start):
        if c.after == "":
            assert c.extra["rule"] == "speck" and src[c.start : c.end] == c.before
            src = src[: c.start] + src[c.end :]
        elif " " in c.after:
            assert " " not in c.before and len(c.after.split(" ")) == 2
            src = src[: c.start] + c.after + src[c.end :]
    assert re.split(r"\S+", src) == re.split(r"\S+", res.text)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_line, min_size=1, max_size=5), st.data())
def test_any_ocr_confidences_keep_the_layout(restorer, lines, data):
    """Confidences of any value, and lists of the wrong length (a caller's slip), neither
    crash the restorer nor change anything but words and recorded specks."""
    confs = [data.draw(st.one_of(st.none(), st.lists(st.floats(0, 1), max_size=12)))
             for _ in lines]
    out = restorer.restore(lines, confs)
    assert len(out) == len(lines)
    for src, res in zip(lines, out):
        _assert_layout_kept(src, res)


def test_numbers_and_codes_untouched(restorer):
    line = "thu ngan sach 3.455 ty dong, 202,5 ha/478 theo 353-KL/TU ngay 14/3/2016 QL6 ASEAN+3 UBND"
    out = restorer.restore([line])[0].text
    for keep in ("3.455", "202,5", "ha/478", "353-KL/TU", "14/3/2016", "QL6", "ASEAN+3", "UBND"):
        assert keep in out
    assert out.startswith("thu ngân sách")


# Quality floors (clean, stripped legal and news text, and the OCR regimes) are in
# tests/test_quality_floors.py.


def test_eng_ocr_debris_repaired(restorer):
    """Letters and marks change; the words' order and count do not."""
    line = "Pang bo thanh phé Son La d3 dat dugc nhitng két qua quan trong"
    out = restorer.restore([line])[0].text
    assert "đã đạt được những kết quả quan trọng" in out
    assert len(out.split()) == len(line.split())


def test_a_rare_syllable_in_ocr_text_may_be_a_misread_one(restorer):
    # `ting` is a syllable, but a rare one: eng-OCR's i for â makes it from tầng
    out = restorer.restore(["Dot pha vé phat trién két cau ha ting, dau tu xay dung ha ting."])
    assert out[0].text == "Đột phá về phát triển kết cấu hạ tầng, đầu tư xây dựng hạ tầng."
    # a marked word in OCR text carries the OCR's marks (its é prints ấ): chét is chất
    out = restorer.restore(["nang cao chét luong gido duc va co so vat chét"])
    assert out[0].text == "nâng cao chất lượng giáo dục và cơ sở vật chất"
    # typed Vietnamese keeps its rare words (the search is for plain text only)
    typed = "Tiếng chuông ting ting vang lên."
    assert restorer.restore([typed])[0].text == typed


def test_text_typed_with_only_some_marks_is_restored(restorer):
    # its marked words make it look like Vietnamese with trustworthy marks; its unmarked
    # words (`nha`, `viec`: nhà, việc far more frequent) say the marks were lost
    line = "Hôm nay tôi đang o nha va lam viec voi cac ban trong công ty"
    assert restorer.detect_regime([tokenize(line)]) == "plain"
    assert restorer.restore([line])[0].text == (
        "Hôm nay tôi đang ở nhà và làm việc với các bạn trong công ty")
    # one such word in a short accented line is no evidence: `la` (to shout) stays
    typed = "Em bé la lên khi thấy mẹ về."
    assert restorer.detect_regime([tokenize(typed)]) == "accented"
    assert restorer.restore([typed])[0].text == typed


def test_min_confidence_keeps_uncertain_tokens(restorer):
    """A token is restored only where the model is at least `min_confidence` sure of it."""
    line = "Ke hoach phat trien kinh te xa hoi nam 2025"
    sure = restorer.restore([line], min_confidence=0.0)[0]
    assert sure.text == "Kế hoạch phát triển kinh tế xã hội năm 2025"
    assert len(sure.confidences) == 10 and all(0.0 < c <= 1.0 for c in sure.confidences)
    assert restorer.restore([line], min_confidence=1.0)[0].text == line
    for threshold in (0.9, 0.99, 0.999):
        out = restorer.restore([line], min_confidence=threshold)[0].text.split()
        for before, restored, after, conf in zip(line.split(), sure.text.split(), out,
                                                 sure.confidences):
            assert after == (restored if conf >= threshold else before), (threshold, out)
    # (0.9 keeps `Ke` alone, 0.99 also `nam`, 0.999 five words)
    assert restorer.restore([line], min_confidence=0.9)[0].text.startswith("Ke hoạch")


def test_tone_style_auto_keeps_a_typed_documents_convention(restorer):
    new_style = "Uỷ ban nhân dân tỉnh đã phê duyệt kế hoạch hoá đơn điện tử và thuỷ lợi."
    assert restorer.restore([new_style])[0].text == new_style
    old_style = new_style.replace("Uỷ", "Ủy").replace("hoá", "hóa").replace("thuỷ", "thủy")
    assert restorer.restore([old_style])[0].text == old_style
    # plain input shows no convention of its own: the old one
    assert restorer.restore(["hien dai hoa"])[0].text == "hiện đại hóa"


def test_tone_style_new(restorer):
    out = restorer.restore(["cong nghiep hoa va hien dai hoa"], tone_style="new")[0].text
    assert "hoá" in out and "hóa" not in out


def test_changes_report_positions(restorer):
    res = Pipeline(Options(lexicon=LexiconOptions(enabled=False))).correct_text(
        "Ket qua tot\n\n3.455 ty"
    )
    assert res.text == "Kết quả tốt\n\n3.455 tỷ"
    assert [(c.line, c.token, c.start, c.end, c.before, c.after) for c in res.changes] == [
        (0, 0, 0, 3, "Ket", "Kết"), (0, 1, 4, 7, "qua", "quả"), (0, 2, 8, 11, "tot", "tốt"),
        (2, 1, 6, 8, "ty", "tỷ"),
    ]
    for c in res.changes:
        line = res.input_text.split("\n")[c.line]
        assert line[c.start : c.end] == c.before
        assert res.text.split("\n")[c.line].split()[c.token].strip(".,") == c.after


@pytest.mark.parametrize("text", ["", "\n\n", "   ", "...", "123"])
def test_degenerate_inputs(restorer, text):
    lines = text.split("\n")
    out = restorer.restore(lines)
    assert [r.text for r in out] == lines


def test_upper_case_headings_restored_abbreviations_kept(restorer):
    line = "KET QUA THUC HIEN NGHI QUYET CUA UBND VA HDND"
    out = restorer.restore([line])[0].text
    assert out.startswith("KẾT QUẢ THỰC HIỆN NGHỊ QUYẾT")
    # abbreviations stay, except for the bar stripping took off Đ (test_abbreviations.py)
    assert out.endswith("UBND VÀ HĐND")
    # eng-OCR prints the horn of Ư as an apostrophe, in headings too; O'NEIL is a name
    assert restorer.restore(["KET QUA THU'C HIEN"])[0].text == "KẾT QUẢ THỰC HIỆN"
    assert is_protected("O'NEIL")


def test_capital_debris_in_a_plain_heading_is_restored(restorer):
    # eng-OCR's Q for Ộ and IT for Ữ in a heading: no abbreviation the corpus knows
    assert restorer.restore(["PANG BQ TINH SON LA"])[0].text == "ĐẢNG BỘ TỈNH SƠN LA"
    assert restorer.restore(["NHITNG KET QUA CHU YEU"])[0].text == "NHỮNG KẾT QUẢ CHỦ YẾU"
    # abbreviations the corpus knows stay in a heading; in running text every one does
    assert restorer.restore(["UBND TINH SON LA"])[0].text == "UBND TỈNH SƠN LA"
    assert restorer.restore(["BQL DU AN"])[0].text == "BQL DỰ ÁN"
    assert restorer.restore(["Theo BQ truong"])[0].text.startswith("Theo BQ ")


def test_capital_heading_in_eng_ocr_text_reads_as_its_small_letters(restorer):
    # capitals reach the network as small letters do: KHÁI QUÁT, not khai quật
    line = "KHAI QUAT KET QUA THU'C HIEN NGHI QUYET PAI HOI"
    assert restorer.restore([line])[0].text == (
        "KHÁI QUÁT KẾT QUẢ THỰC HIỆN NGHỊ QUYẾT ĐẠI HỘI")
    # eng-OCR's debris that the corpus also writes as a capital word (`CDC` các, `HDI`
    # hội) is read in a heading as in small letters
    line = "TINH HINH THUC HIEN CDC NHIEM VU TRONG TAM"
    assert restorer.restore([line])[0].text == restorer.restore([line.lower()])[0].text.upper()
    assert restorer.restore(["DAI HDI DANG BO TINH"])[0].text == "ĐẠI HỘI ĐẢNG BỘ TỈNH"
    # abbreviations a heading's context fits stay
    assert restorer.restore(["BAO CAO CUA UBND VA HDND TINH"])[0].text == (
        "BÁO CÁO CỦA UBND VÀ HĐND TỈNH")
    assert restorer.restore(["TANG TRUONG GDP CUA TINH NAM 2020"])[0].text == (
        "TĂNG TRƯỞNG GDP CỦA TỈNH NĂM 2020")


def test_digits_for_marked_capitals_in_a_plain_heading_are_read(restorer):
    # eng-OCR's 6 for Ô and 4 for Â in a heading, where the letters they stand for
    # spell a word of the corpus; one letter and a digit takes the heading's capitals
    line = "6NG NGUYEN VAN A LAM VIEC KH6NG C6 LOI TAI C4C CO QUAN"
    assert restorer.restore([line], regime="plain")[0].text == (
        "ÔNG NGUYỄN VĂN A LÀM VIỆC KHÔNG CÓ LỢI TẠI CÁC CƠ QUAN")
    keys = restorer.tok.by_key
    assert not is_protected("KH6NG", accented=False, known_keys=keys, heading_debris=True)
    # codes spell no word, and outside a heading's debris digits and capitals are codes
    for code in ("ST25", "4GB", "QL6", "16MP"):
        assert is_protected(code, accented=False, known_keys=keys, heading_debris=True)
    assert is_protected("KH6NG", accented=False, known_keys=keys)


def test_a_heading_is_a_line_mostly_in_capitals():
    from vnocr.text import tokenize

    assert capitals_line(tokenize("I. KHÁI QUÁT"))
    assert capitals_line(tokenize("PANG BQ"))
    assert not capitals_line(tokenize("Theo BQ trường BQ và NHITNG"))
    assert not capitals_line(tokenize("12/2025"))


@pytest.mark.parametrize(
    ("text", "regime"),
    [
        ("Thu Huyền", "accented"),  # typed Vietnamese with no ă ơ ư đ, hook, tilde or dot
        ("khác.", "accented"),
        ("Sở Tư pháp", "accented"),
        ("Chiéng Sinh", "plain"),  # é is what eng-OCR prints; chiéng is no syllable
        ("kinh té thanh phé", "plain"),  # é on real syllables is still eng-OCR's mark
        ("Son La", "plain"),
        ("thu...", "plain"),  # nothing to tell: stripped text is the likelier reading
    ],
)
def test_short_text_regime(restorer, text, regime):
    from vnocr.text import tokenize

    assert restorer.detect_regime([tokenize(text)]) == regime


def test_short_typed_line_keeps_its_marks(restorer):
    # one typed line without Vietnamese-only marks was once restored as stripped text
    for text in ["Thu Huyền", "khác.", "hàng"]:
        assert restorer.restore([text])[0].text == text


def test_ocr_capital_on_a_case_blind_letter_is_lowered(restorer):
    # vie-OCR cannot tell v from V by shape: a common word capitalised mid-sentence is
    # its misreading; names and sentence or line starts keep their capitals
    assert restorer.network.config.case_counts
    out = restorer.restore(
        ["Quy hoạch phải căn cứ Vào chiến lược phát triển của khu Vực này.",
         "Vào ngày 5 tháng 3, ông Văn đến Sơn La.",
         "a) Vào ngày đó; Công ty và Sở Tư pháp"]
    )
    assert [x.text for x in out] == [
        "Quy hoạch phải căn cứ vào chiến lược phát triển của khu vực này.",
        "Vào ngày 5 tháng 3, ông Văn đến Sơn La.",
        "a) Vào ngày đó; Công ty và Sở Tư pháp",
    ]


def test_ocr_capital_ending_a_compound_is_lowered(restorer):
    # `hy vọng`, `đơn vị`: the word follows the small word before it often and is seldom
    # capitalised, so its capital is the OCR's, also across a line break in OCR'd text;
    # `tỉnh Sơn La`, `Giám đốc Sở` and a typed line's start keep theirs
    doc = ["Huấn luyện viên hy Vọng giành chiến thắng, các đơn Vị đều đồng ý với tỉnh Sơn La.",
           "Các nội dung về kinh tế - xã hội, nhiệm",
           "Vụ quốc phòng của Giám đốc Sở Tư pháp."]
    out = [x.text for x in restorer.restore(doc, regime="accented")]
    assert out == [
        "Huấn luyện viên hy vọng giành chiến thắng, các đơn vị đều đồng ý với tỉnh Sơn La.",
        "Các nội dung về kinh tế - xã hội, nhiệm",
        "vụ quốc phòng của Giám đốc Sở Tư pháp.",
    ]
    plain = [x.text for x in restorer.restore(["Kinh te xa hoi, nhiem", "Vu quoc phong"],
                                              regime="plain")]
    assert plain[1].startswith("Vụ")


def test_ocr_case_flip_on_a_doubled_letter_is_undone(restorer):
    # `ClasS`: the second of two s the OCR judged a capital by its size; camel case
    # (`PlayStation`, `SARS-CoV-2`) and `McCain` keep theirs
    assert doubled_letter_case("E-ClasS") == "E-Class"
    assert doubled_letter_case("EzZor") == "Ezzor"
    for word in ("PlayStation", "SARS-CoV-2", "McCain", "iOS", "HoSE", "MasterCard"):
        assert doubled_letter_case(word) == word
    line = ("Dựa trên phiên bản E-ClasS Wagon đã ra mắt trước đây, Mercedes E-ClasS "
            "All-Terrain là phiên bản mới của PlayStation.")
    assert restorer.restore([line])[0].text == line.replace("ClasS", "Class")


def test_a_marked_vowel_read_as_a_capital_is_small_again(restorer):
    # eng-OCR prints Bộ as `BO`, Mỹ as `MY`: alone in a line of small letters such a
    # word is title case; headings, runs of capitals and abbreviations keep theirs
    lines = ["Theo quy dinh cua BO luat nay thi nguoi co toi",
             "Hai quan MY bi danh chim do trung ngu loi",
             "BO Y TE THONG BAO",
             "Anh: HA PHUONG Mot khau sung ban dan bi",
             "Sinh vien DH Bach khoa da den"]
    out = [restorer.restore([line])[0].text for line in lines]
    assert "của Bộ luật này" in out[0]
    assert out[1].startswith("Hải quân Mỹ bị")
    assert out[2].startswith("BỘ Y TẾ")
    assert "HÀ PH" in out[3]
    assert "ĐH Bách khoa" in out[4]


_ENG_OCR_DOC = [
    "Liéu cé phai vi ching ta d& quen vdi Idi Ung xtr dé cao bao luc trong cudc séng,",
    "va di World Cup U20 citing la m6t phuong An khéng tdi cho gia tri san",
    "Xuat cay chu luc trén 1 ha dién tich dat canh tac.",
]
_TYPED_DOC = [
    "Lieu co phai vi chung ta da quen voi loi Ung xu de cao bao luc trong cuoc song,",
    "va di World Cup U20 cung la mot phuong An khong toi cho gia tri san",
    "Xuat cay chu luc tren 1 ha dien tich dat canh tac.",
]


def test_eng_ocr_text_is_told_from_typed_plain_text():
    from vnocr.restore.regime import looks_like_ocr

    def toks(lines):
        return [tokenize(line) for line in lines]

    def syllable(w):
        return w.lower() in {"la", "va", "di", "dé", "cé"}

    assert looks_like_ocr(toks(_ENG_OCR_DOC), syllable)
    assert not looks_like_ocr(toks(_TYPED_DOC), syllable)
    assert not looks_like_ocr(toks(_ENG_OCR_DOC[:1]), syllable)  # too short to tell


def test_eng_ocr_capitals_from_marked_vowels_and_line_breaks(restorer):
    # eng-OCR prints ứ, á as the capitals U, A (`lối Ung xử`), and a line may run on
    # inside a compound (`sản / Xuat`); a typist's capitals stay
    ocr = [x.text for x in restorer.restore(_ENG_OCR_DOC)]
    assert "ứng xử" in ocr[0] and "phương án" in ocr[1] and ocr[2].startswith("xuất")
    typed = [x.text for x in restorer.restore(_TYPED_DOC)]
    assert "Ứng xử" in typed[0] and "phương Án" in typed[1] and typed[2].startswith("Xuất")


def test_eng_ocr_digit_debris_read_as_words_real_numbers_kept(restorer):
    # eng-OCR prints ở as `6`: in context the word wins, elsewhere the number stays
    out = restorer.restore(
        ["Doan céng tac lam viéc 6 Son La tir ngay 6 thang 3 nam 2021, c6 16 nguoi."]
    )[0].text
    assert out == "Đoàn công tác làm việc ở Sơn La từ ngày 6 tháng 3 năm 2021, có 16 người."
    # stripped text (no OCR) keeps every number
    assert restorer.restore(["co 6 nguoi va 14 xa, 16 ha dat"])[0].text == (
        "có 6 người và 14 xã, 16 ha đất"
    )


def test_a_small_letter_ending_a_sentence_after_a_word_is_restored(restorer):
    # `chú y.` is chú ý; a letter and a full stop opening a line is a list's label, and
    # a capital one may be an initial: both kept
    assert is_protected("y", ".") and not is_protected("y", ".", opens_line=False)
    assert is_protected("Y", ".", opens_line=False) and is_protected("c", ")", opens_line=False)
    out = [x.text for x in restorer.restore(["nhung ho da gay su chu y.", "a. Noi dung",
                                             "ho khong dong y."])]
    assert out == ["nhưng họ đã gây sự chú ý.", "a. Nội dung", "họ không đồng ý."]


def test_digit_debris_and_codes_told_apart():
    assert not is_protected("d3") and not is_protected("16n")
    # a capital and one digit: eng-OCR's debris (`T6` is Tô), a code in other text
    assert not is_protected("T6", accented=False) and is_protected("K2") and is_protected("D1")
    assert is_protected("E350d") and is_protected("A320") and is_protected("QL6")
    assert is_protected("U23") and is_protected("Q.7") and is_protected("F16")
    assert split_glued("05.người") == [(0, "05"), (3, "người")]
    assert split_glued("3.455") == [(0, "3.455")] and split_glued("2,5ha") == [(0, "2,5ha")]
    # an ellipsis of any length glued between two words: each is restored, the dots stay
    assert split_glued("Pét....co") == [(0, "Pét"), (7, "co")]
    assert split_glued("Quyết..Các") == [(0, "Quyết"), (7, "Các")]
    assert split_glued("U.20") == [(0, "U.20")]


def test_a_speck_read_as_a_dot_or_colon_between_ocr_words_becomes_their_space(restorer):
    line = ("Thăm khám cho.bệnh nhi, người dân phát:hiện xác, lỗi...Riêng, nghệ thuật,xã hội,"
            " mục 1.các")
    confs = [0.95] * len(line.split())
    res = restorer.restore([line], [confs])[0]
    # a full stop before a small letter ends no sentence; an ellipsis, a comma and the
    # dot of a list number stay
    assert res.text == ("Thăm khám cho bệnh nhi, người dân phát hiện xác, lỗi...Riêng,"
                        " nghệ thuật,xã hội, mục 1.các")
    assert any(c.before == "cho.bệnh" and c.after == "cho bệnh" for c in res.changes)
    # eng-OCR text is OCR'd; typed text (no confidences) and web addresses keep theirs
    eng = restorer.restore(["Pang bo thanh phé Son La d3 dat dugc nhiéu két qua",
                            "qua thiét:ké phan dau cua xe cao.thém 2 cm"])[1].text
    assert "thiết kế" in eng and "cao thêm" in eng
    files = "gửi tệp baocao.pdf và ghi.chú"  # a file name: no syllable after its dot
    assert restorer.restore([files], [[0.95] * 5])[0].text == "gửi tệp baocao.pdf và ghi chú"
    typed = "Thăm khám cho.bệnh nhi tại Eva.vn, số 05.người"
    assert restorer.restore([typed])[0].text == typed
    assert "Eva.vn" in restorer.restore([typed], [[0.95] * 8])[0].text


def test_a_full_stop_an_ocr_read_before_a_word_in_small_letters_is_a_speck(restorer):
    line = "Xe không được bổ sung bất kỳ. phiên bản nào, theo mục a. b) và v.v. các loại"
    confs = [0.95] * len(line.split())
    out = restorer.restore([line], [confs])[0]
    # a list's letter and an abbreviation keep theirs; typed text keeps everything
    assert out.text == line.replace("kỳ. phiên", "kỳ phiên")
    assert any(c.before == "kỳ." and c.after == "kỳ" for c in out.changes)
    assert restorer.restore([line])[0].text == line


def test_eng_ocr_specks_read_as_an_apostrophe_or_hyphen_between_words_become_spaces(
    restorer,
):
    # eng-OCR prints a speck in a narrow space as an apostrophe or a hyphen; a hyphen
    # between two syllables the corpus often has side by side is such a speck, a loan
    # word's (xi-lanh, sơ-mi) and a word of three syllables (cà-phê-sữa) stay, and so does
    # the apostrophe of a name (d'Ivoire)
    eng = restorer.restore(["Pang bo thanh phé Son La d3 dat dugc nhiéu két qua",
                            "chinh sach ché-d6 va khai-thac mo, moi'co chat’thai, Céte d'Ivoire",
                            "xi-lanh va so-mi, ki-lo-mét, ca-phe-sua"])
    assert eng[1].text.startswith("chính sách chế độ và khai thác mỏ, mới có chất thải, ")
    assert eng[1].text.endswith(" d'Ivoire")
    assert eng[2].text == "xi-lanh và sơ-mi, ki-lô-mét, cà-phê-sữa"
    assert any(c.before == "ché-d6" and c.after == "chế độ" for c in eng[1].changes)
    # vie-OCR prints real hyphens as often as it invents them: they stay; typed text
    # keeps its marks too, as no OCR read it
    hyphens = "Chế-độ mới và động cơ 6 xi-lanh"
    assert restorer.restore([hyphens], [[0.95] * 6])[0].text == hyphens
    typed = "Ông mới'có chế-độ"
    assert restorer.restore([typed])[0].text == typed


def test_ocr_colons_between_thousands_become_dots(restorer):
    line = "Giá 28:000 đồng và 500:000 đồng, bản đồ tỷ lệ 1:500, lúc 10:30, TCVN 10179:1996."
    out = restorer.restore([line])[0]
    assert out.text == line.replace("28:000", "28.000").replace("500:000", "500.000")
    assert [(c.before, c.after) for c in out.changes] == [("28:000", "28.000"),
                                                          ("500:000", "500.000")]


def test_circled_or_barred_c_opening_a_line_is_the_list_label_c(restorer):
    lines = ["©) Phạm tội 02 lần trở lên;", "€) Gây thương tích cho 02 người trở lên.",
             "Giá vé 100€) và 5 € một người."]
    out = restorer.restore(lines)
    assert [x.text for x in out] == ["c) Phạm tội 02 lần trở lên;",
                                     "c) Gây thương tích cho 02 người trở lên.", lines[2]]
    assert out[0].changes[0].before == "©" and out[0].changes[0].after == "c"


def test_a_unit_and_its_number_give_the_next_word_its_context(restorer):
    # `ha/478 ho`: the language model sees the number, and 478 hộ (households) follow
    out = restorer.restore(["Hoan thanh giai phong mat bang 51 ha/589 ho bi anh huong"])
    assert out[0].text == "Hoàn thành giải phóng mặt bằng 51 ha/589 hộ bị ảnh hưởng"


def test_an_amount_and_a_word_joined_by_a_slash_are_restored_apart(restorer):
    assert split_glued("20%/nam") == [(0, "20%"), (4, "nam")]
    assert split_glued("déng/1.573") == [(0, "déng"), (5, "1.573")]
    for code in ("20/20", "1/2021", "353-KL/TU", "km/h", "N.V.D", "Kitco.com", "3.455"):
        assert split_glued(code) == [(0, code)]
    # a code and a word, an initial and a word, words glued by an ellipsis
    assert split_glued("USD/thung") == [(0, "USD"), (4, "thung")]
    assert split_glued("Hai/TTXVN") == [(0, "Hai"), (4, "TTXVN")]
    assert split_glued("Q.Binh") == [(0, "Q"), (2, "Binh")]
    assert split_glued("loi...Rieng") == [(0, "loi"), (6, "Rieng")]
    out = restorer.restore(["Gia dau 70,42 USD/thung, tai Q.Binh Thanh, xin loi...Rieng"])
    assert out[0].text == "Giá dầu 70,42 USD/thùng, tại Q.Bình Thạnh, xin lỗi...Riêng"
    out = restorer.restore(["ty le giam ngheo giam tren 20%/nam, von 1.372 ty dong/1.573 ty"])
    assert out[0].text == "tỷ lệ giảm nghèo giảm trên 20%/năm, vốn 1.372 tỷ đồng/1.573 tỷ"
    # the word may open with the OCR's 1 for l (`30.000/1ượt`: a price per lượt)
    assert split_glued("30.000/1ượt") == [(0, "30.000"), (7, "1ượt")]
    out = restorer.restore(["Giá gửi xe tại điểm trông giữ tư nhân ở chân cầu là 30.000/1ượt."])
    assert out[0].text.endswith("là 30.000/lượt.")
    # in text with trustworthy marks an unmarked word after the slash is a unit
    assert split_glued("USD/oz", accented=True) == [(0, "USD/oz")]
    assert split_glued("30.000/1ượt", accented=True) == [(0, "30.000"), (7, "1ượt")]
    line = "Giá vàng thế giới tăng lên 1.229,06 USD/oz, cao nhất trong tuần."
    assert restorer.restore([line])[0].text == line


def test_square_and_cubic_units_are_no_debris(restorer):
    # `m2` once became `mở` in vie-OCR text and `m3` became `mã` in stripped text
    assert all(is_protected(u) for u in ("m2", "m3", "km2", "cm3", "M2"))
    out = restorer.restore(["Dien tich 200 m2 dat o, 5 m3 nuoc va 3 km2 rung."])
    assert out[0].text == "Diện tích 200 m2 đất ở, 5 m3 nước và 3 km2 rừng."


def test_addresses_are_one_kept_token():
    for core in ("thu:giaoduc@dantri.com.vn", "Kitco.com", "www.baomoi.vn"):
        assert split_glued(core) == [(0, core)] and is_protected(core)
    assert split_glued("XZ.Trong") == [(0, "XZ"), (3, "Trong")]  # glued words still split


def test_model_codes_and_numbers_glued_to_words_survive(restorer):
    # OCR'd page: the model name is no misread syllable, the number glued to the next
    # word stays a number
    lines = ["Sau đó, chiếc xe sẽ có thêm phiên bản E350d động cơ 6 xi-lanh lớn hơn.",
             "a) Giam, giữ trái pháp luật từ 02 người đến 05.người;",
             "Ở lần tham dự gần nhất, U23 Việt Nam đã vào vòng chung kết (Q.7 - TP.HCM)."]
    out = [r.text for r in restorer.restore(lines)]
    assert out == lines


def test_accented_text_keeps_loanwords_and_repairs_misread_syllables(restorer):
    typed = "Cô ấy là fan của game show này, mua hàng trên web, shop online và chơi golf."
    assert restorer.restore([typed])[0].text == typed
    # lower-case and no syllable, but one letter from a common one: OCR's, not English
    out = restorer.restore(["Chúng tôi làm việc trons điều kiện khó khăn nhưng vẫn cố gắng."])
    assert out[0].text == "Chúng tôi làm việc trong điều kiện khó khăn nhưng vẫn cố gắng."
    # vie-OCR's `ri` for n makes two vowel groups of one syllable; small loanwords with
    # two (video, radio, email) stay as written
    out = restorer.restore(["Thủ tục cấp giấy phép xuất bảri đặc san theo quy định sau đây."])
    assert "xuất bản đặc san" in out[0].text
    typed = "Họ xem video, nghe radio, gửi email và đi taxi về nhà."
    assert restorer.restore([typed])[0].text == typed


def test_a_digit_before_marked_letters_is_debris_not_a_lot_code(restorer):
    out = restorer.restore(["Nước 1ũ dâng cao ở các tỉnh miền Trung, lô 3a và 4b bị ngập."])
    assert out[0].text == "Nước lũ dâng cao ở các tỉnh miền Trung, lô 3a và 4b bị ngập."


def test_mark_symbol_inside_a_small_word_is_debris_in_plain_text_only(restorer):
    # eng-OCR prints a mark it cannot place as & or @, also inside a word; codes with
    # capitals (P&T, AT&T) and addresses stay, and accented text keeps every symbol
    assert not is_protected("th@r", accented=False) and not is_protected("4&n", accented=False)
    assert is_protected("th@r") and is_protected("P&T", accented=False)
    assert is_protected("AT&T", accented=False) and is_protected("a@b.vn", accented=False)
    assert not is_protected("N&m", accented=False) and not is_protected("Nguw%i", accented=False)
    line = "Hoi nghi 1an th@r hai, khu thuong mai P&T va Dy 4&n Khu do thi An Phu."
    out = restorer.restore([line])[0].text
    assert out == "Hội nghị lần thứ hai, khu thương mại P&T và Dự án Khu đô thị An Phú."


def test_symbols_eng_ocr_prints_for_letters_are_restored(restorer):
    # eng-OCR prints ở as `&` (or `@`); typed text keeps its ampersand
    doc = ["Ngudi dan dang sinh séng & Ha Noi va thanh phé H6 Chi Minh dé lam viéc,",
           "nhiéu nguéi @ néng thén cing dén day dé tim viéc 1am va hoc tap."]
    out = [x.text for x in restorer.restore(doc)]
    assert "sống ở Hà Nội" in out[0] and out[1].startswith("nhiều người ở nông thôn")
    # a bar glued to letters is its l before them and i after them
    bars = ["Ngudi dan dang sinh séng & Ha Noi va thanh phé H6 Chi Minh dé lam viéc, ho",
            "di |é chua va b| phat vi vi pham |uat giao théng trén duéng."]
    out = [x.text for x in restorer.restore(bars)]
    assert "đi lễ chùa và bị phạt" in out[1] and "luật giao thông" in out[1]
    # so is an opening bracket glued before small letters and never closed: its l
    brackets = ["Ngudi dan dang sinh séng & Ha Noi va thanh phé H6 Chi Minh dé lam viéc,",
                "cha [a tién si y khoa, khu dam [ay trén dao, xem muc [a] va [b]."]
    out = [x.text for x in restorer.restore(brackets)]
    assert "cha là tiến sĩ" in out[1] and "đầm lầy" in out[1]
    assert out[1].endswith(" [a] và [b].")
    typed = "Cong ty TNHH Smith & Sons tai Ha Noi"
    assert restorer.restore([typed])[0].text == "Công ty TNHH Smith & Sons tại Hà Nội"


def test_a_short_number_with_a_mark_glued_after_it_is_a_word(restorer):
    # eng-OCR's `1¢`, `1€` for lệ: numbers carry no marks; amounts stay amounts
    line = "Ty 1¢ dich vu cong truc tuyen dat 94%; ty 1€ thuc hien so hoa, chi phi 100€."
    out = restorer.restore([line])[0].text
    assert out == "Tỷ lệ dịch vụ công trực tuyến đạt 94%; tỷ lệ thực hiện số hóa, chi phí 100€."


def test_mark_debris_glued_to_words_goes_in_ocr_text_only(restorer):
    line = ("ty 1¢ do thi hoa dat 70,5%, thao g& kip thoi, tru s@, xt’ Thanh,"
            " d& dat duoc 100€ va AT&T, truong TH& THCS.")
    res = restorer.restore([line])[0]
    # a word left without a mark keeps the symbol after it (`TH& THCS`: an abbreviation)
    assert res.text == ("tỷ lệ đô thị hóa đạt 70,5%, tháo gỡ kịp thời, trụ sở, xứ Thanh,"
                        " đã đạt được 100€ và AT&T, trường TH& THCS.")
    # the change record spans the debris too, so --format json tells what went
    assert any(c.before == "g&" and c.after == "gỡ" and c.end - c.start == 2
               for c in res.changes)
    quoted = "Cau ‘xu’ la gi"  # a closing quote with its opening one is punctuation
    assert restorer.restore([quoted])[0].text.endswith("’ là gì")
    typed = "Ông nói tỷ lệ¢ cao."  # accented text: not an English OCR's output
    assert restorer.restore([typed])[0].text == typed


def test_a_lone_initial_with_a_glued_mark_becomes_a_word(restorer):
    # eng-OCR prints a marked vowel it cannot place as & @ ¢ €: `d&` is đỡ or đã, never
    # the bare consonant that was written once the mark was cut as debris
    lines = ["gitip d& ho nghéo, cac c@ nho", "ching ta d& quen vdi né"]
    out = [x.text for x in restorer.restore(lines)]
    assert out[0] == "giúp đỡ hộ nghèo, các cỡ nhỏ"
    assert out[1].startswith("chúng ta đã quen")
    for initial in ("b", "c", "d", "k", "l", "m", "n", "ng", "nh", "s", "t", "th", "tr", "v"):
        for mark in "&@¢€":
            word = restorer.restore([f"cac {initial}{mark} nay"])[0].text.split()[1]
            assert is_vietnamese_syllable(word.lower()) and strip_marks(word) != word, (
                initial, mark, word)


def test_numbers_and_codes_beside_eng_ocr_debris_stay(restorer):
    line = ("Quéc 16 6, ngay 14/3/2016, s6 18 va 3.455 h6, 202,5 ha/478 h6 va 353-KL/TU"
            " cia d& 18 d& ")
    out = restorer.restore([line])[0].text
    for number in ("6,", "14/3/2016", "18", "3.455", "202,5", "ha/478", "353-KL/TU"):
        assert f" {number}" in out, (number, out)


def test_lot_and_road_codes_survive_eng_ocr_text(restorer):
    line = "Cac tuyén duong 2a, s6 3 va 3b; 4b, 4c thudc du 4n Quéc 16 6 cua tinh."
    out = restorer.restore([line])[0].text
    assert "2a" in out and "3b; 4b, 4c" in out
    assert "Quốc lộ 6" in out  # the highway's number is no misread ở


def test_eng_ocr_ones_and_zeros_for_small_letters_are_words_not_codes(restorer):
    # `1ap`, `1y`, `10ng`: eng-OCR's 1 for l and 0 for o; a number with one letter of
    # a-h stays a lot code (`1e`, `10a`)
    line = ("Ban Thuong vu da thanh 1ap Ban chi dao, quan 1y nha nuoc va 1o trinh trien khai"
            " o khu vuc 10ng ho, cac 16 10a va 1e.")
    out = restorer.restore([line])[0].text
    assert "thành lập Ban chỉ đạo, quản lý nhà nước và lộ trình triển khai" in out
    assert "khu vực lòng hồ" in out and out.endswith(" 10a và 1e.")


def test_misread_first_letter_takes_the_words_usual_case(restorer):
    # eng-OCR prints l as I: the capital is the misreading's, not the writer's
    out = restorer.restore(["Ngudi dan Iam viéc tai xa va Ién ké hoach.", "Iam viéc tai xa."])
    assert [x.text for x in out] == [
        "Người dân làm việc tại xã và lên kế hoạch.",
        "Làm việc tại xã.",  # a sentence's first word keeps its capital
    ]
    # ... but its P is a capital Đ misread (a small đ prints as d): the writer's capital
    out = restorer.restore(["Thuc hien Nghi quyet Pai hoi Pang bo lan thu XIX va dai hoi"])
    assert out[0].text == "Thực hiện Nghị quyết Đại hội Đảng bộ lần thứ XIX và đại hội"


def test_set_param_drops_memoised_candidates(restorer):
    # the tuner changes weights between runs on the same text: memoised candidates
    # (which carry channel weights) must not keep the old ones
    line = ["Doan céng tac lam viéc 6 Son La."]
    old = restorer.params["plain"]["digit_word"]
    assert " ở " in restorer.restore(line)[0].text
    try:
        restorer.set_param("plain", "digit_word", -50.0)
        assert " 6 " in restorer.restore(line)[0].text
    finally:
        restorer.set_param("plain", "digit_word", old)
    assert " ở " in restorer.restore(line)[0].text


@pytest.mark.parametrize("regime", ["eng", "strip", "vie_photo"])
def test_hopeless_candidates_leave_the_search_without_changing_it(restorer, monkeypatch, regime):
    """Candidates far below their token's best channel + network score are dropped before
    the beam search (speed, `static_margin`): where the search without the margin chooses
    none of them, it must choose every token's word as it does with the margin."""
    lines = [noisy for noisy, _ in _rows(regime, None, 80)]
    decode = restorer._decode_all

    def choices(
        record_gaps: list[float] | None = None,
    ) -> tuple[list[tuple[int, int, int]], list[str]]:
        chosen = []

        def spy(streams, p):
            for slot, choice, conf in decode(streams, p):
                if record_gaps is not None:
                    record_gaps.append(float(slot.static.max()
                                             - slot.static[list(slot.ids).index(choice)]))
                chosen.append((slot.line, slot.index, choice))
                yield slot, choice, conf

        monkeypatch.setattr(restorer, "_decode_all", spy)
        texts = [x.text for x in restorer.restore(lines)]
        return chosen, texts

    pruned, pruned_texts = choices()
    margins = {r: p["static_margin"] for r, p in restorer.params.items()}
    gaps: list[float] = []
    try:
        for r in margins:
            restorer.set_param(r, "static_margin", float("inf"))
        unpruned, unpruned_texts = choices(gaps)
    finally:
        for r, margin in margins.items():
            restorer.set_param(r, "static_margin", margin)
    regime_margin = margins[restorer.detect_regime([tokenize(line) for line in lines])]
    assert max(gaps) <= regime_margin  # no choice lies beyond the margin here
    assert pruned == unpruned and pruned_texts == unpruned_texts


@pytest.mark.parametrize("regime", ["eng", "vie_photo"])
def test_a_long_document_decoded_in_groups_reads_as_decoded_at_once(
        restorer, monkeypatch, regime):
    """Long documents are decoded a group of streams at a time (bounded memory); the
    groups must not change a word, sentence contexts and casing links included."""
    import vnocr.restore.streams as streams_module

    lines = [noisy for noisy, _ in _rows(regime, None, 80)]
    whole = [x.text for x in restorer.restore(lines)]
    monkeypatch.setattr(streams_module, "GROUP_SLOTS", 50)
    assert [x.text for x in restorer.restore(lines)] == whole


def test_a_stream_without_sentence_ends_is_cut(restorer, monkeypatch):
    """Text without full stops (tables, lists) becomes streams of bounded length, cut at
    line ends (the search takes one step per token of the longest stream)."""
    import vnocr.restore.streams as streams_module

    monkeypatch.setattr(streams_module, "STREAM_CUT", 20)
    lines = ["cong tac quan ly nha nuoc ve dat dai va tai nguyen tren dia ban"] * 12
    seen: list[list[int]] = []
    decode = restorer._decode_all

    def spy(streams, p):
        seen.append([len(s) for s in streams])
        return decode(streams, p)

    monkeypatch.setattr(restorer, "_decode_all", spy)
    out = restorer.restore(lines + ["x " * 50])
    lengths = [n for group in seen for n in group]
    assert max(lengths) <= 40 and sum(lengths) == 12 * 15 + 50
    assert lengths[:2] == [30, 30]  # two lines of 15 words, cut at the line's end
    assert out[0].text.startswith("công tác quản lý nhà nước")
    assert len(out) == 13


@pytest.mark.parametrize(("line", "misread", "meant"), [
    ("Người tuổi Mão thường thông mình và biết cách kiềm chế cảm xúc.", "thông mình", "thông minh"),
    ("Ngành công thương đề ra 5 nhóm giải pháp trọng tôm trong năm nay.", "trọng tôm",
     "trọng tâm"),
    # an unmarked word that lost a letter: a real syllable, so only a doubt searches
    ("Các nước vẫn duy trì chính sách tài chính linh hot trong năm nay.", "linh hot",
     "linh hoạt"),
    ("Bệnh viện cứu mạng gay trong những ngày Tết vừa qua.", "mạng gay", "mạng ngay"),
])
def test_a_word_the_ocr_was_unsure_of_may_be_another_word(restorer, line, misread, meant):
    """vie-OCR misreads real words as other real words (`thông mình`); only the OCR's
    low confidence tells them from words written so on purpose."""
    words = line.split()
    unsure = misread.split()[1]
    sure_conf = [[0.96] * len(words)]
    unsure_conf = [[0.5 if w == unsure else 0.96 for w in words]]
    assert misread in restorer.restore([line])[0].text  # text alone: kept
    assert misread in restorer.restore([line], sure_conf)[0].text
    assert meant in restorer.restore([line], unsure_conf)[0].text


def test_marks_vie_ocr_confuses_often_are_cheaper_to_change(restorer):
    """vie-OCR prints đ for d far more often than it drops a horn: in accented text a
    d/đ change needs less of the language model's evidence than other mark changes."""
    misread = ("Theo báo cáo, các địa phương đang có điện tích đất trồng lúa đủ nước tưới "
               "thấp hơn năm ngoái.")
    assert "có diện tích đất" in restorer.restore([misread])[0].text
    right = "Kỹ thuật viên dùng máy đo lực kéo của dây cáp trước khi lắp đặt cho công trình."
    assert restorer.restore([right])[0].text == right
    old = dict(restorer.params["accented"])
    try:  # the flat price of any change of marks, as before
        restorer.set_param("accented", "marks_channel", 0.0)
        restorer.set_param("accented", "change_marks", -3.5)
        assert "có điện tích đất" in restorer.restore([misread])[0].text
    finally:
        for name in ("marks_channel", "change_marks"):
            restorer.set_param("accented", name, old[name])


def test_a_misread_foreign_word_one_letter_off_is_the_corpus_word(restorer):
    """A foreign name one letter off a common corpus word is that word (`lbrahimovic`:
    the OCR's l for a capital I); a small foreign word only where the OCR doubted it."""
    line = "Tiền đạo lbrahimovic đã ghi hai bàn thắng cho đội bóng trong trận đấu tối qua"
    assert "Tiền đạo Ibrahimovic đã" in restorer.restore([line])[0].text
    typed = "Nhiều gia đình Việt Nam đã đăng ký dịch vụ xem phim của Netfix trong năm nay."
    assert "của Netflix trong" in restorer.restore([typed])[0].text
    long = "Điện thoại này sử dụng chipsct mới của hãng và có giá bán khá cao so với đối thủ"
    assert "dụng chipset mới" in restorer.restore([long])[0].text  # six letters or more
    # a rare name that no OCR misreading makes of a common one stays (K is no P)
    rare = "Tiền vệ Karis đã có trận ra mắt ấn tượng trong màu áo đội bóng mới của anh."
    assert restorer.restore([rare])[0].text == rare
    small = "Khách sạn có mạng wifj miễn phí cho mọi phòng và bữa sáng tại nhà hàng tầng một"
    words = small.split()
    doubted = [[0.5 if w == "wifj" else 0.96 for w in words]]
    assert "mạng wifi miễn" in restorer.restore([small], doubted)[0].text
    assert "mạng wifj miễn" in restorer.restore([small])[0].text


def test_a_doubted_case_blind_capital_is_lowered(restorer):
    """On a damaged page a mid-sentence capital c/o/s/v/x the OCR doubted is its case
    flip unless the corpus mostly capitalises the word (`động Vật`); read with
    confidence, the capital stays (`Vật` may open a subject's name)."""
    line = "Dựa vào dấu hiệu động Vật, trong phong thủy chia 12 con giáp ra làm 4 nhóm"
    words = line.split()
    sure = [[0.96] * len(words)]
    doubted = [[0.5 if w == "Vật," else 0.96 for w in words]]
    assert "động Vật," in restorer.restore([line], sure)[0].text
    assert "động vật," in restorer.restore([line], doubted)[0].text
    name = "Ông ấy làm việc ở tỉnh Sơn La từ năm 2010 đến nay"
    doubted = [[0.5 if w == "Sơn" else 0.96 for w in name.split()]]
    assert "tỉnh Sơn La" in restorer.restore([name], doubted)[0].text


def test_confidences_do_not_change_plain_text_restoration(restorer):
    line = "Dang bo thanh pho Son La da dat duoc nhieu ket qua quan trong"
    low = [[0.5] * len(line.split())]
    assert restorer.restore([line], low)[0].text == restorer.restore([line])[0].text


def test_a_well_read_page_keeps_the_words_the_ocr_doubted(restorer):
    """On a page whose OCR doubts under 2 % of its words, the doubts fall on words it read
    right (names, foreign words): they are no reason to change a real word."""
    lines = [noisy for noisy, _ in _rows("vie_clean", None, 6)]
    lines.append("Người tuổi Mão thường thông mình và biết cách kiềm chế cảm xúc.")
    confs = [[0.96] * len(line.split()) for line in lines]
    confs[-1] = [0.5 if w == "mình" else 0.96 for w in lines[-1].split()]
    assert sum(len(c) for c in confs) > 50  # one doubted word of them: under 2 %
    assert "thông mình" in restorer.restore(lines, confs)[-1].text
    assert "thông minh" in restorer.restore(lines[-1:], confs[-1:])[0].text


def test_misread_list_labels_are_put_back_in_sequence(restorer):
    # vie-OCR's `e)` for c), a lost bar of đ, eng-OCR's `(1)` for (i): the neighbours pin
    # the label; a numbered list and labels without both neighbours stay as read
    doc = ["b) Phạm tội 02 lần trở lên;", "e) Gây thương tích cho 02 người;",
           "d) Gây thiệt hại từ 300.000.000 đồng;", "d) Gây thiệt hại về tài sản;",
           "e) Xuất bản, in hoặc phát hành.", "4) Khám xét trái pháp luật;",
           "b) Giam giữ trái pháp luật, các dự án: (1) Hồ bản Mòng; (ii) tuyến đường;",
           "(1) Hỗ trợ; (1) Chỉ đạo; (2) Kiểm tra; e) Kết luận."]
    out = [x.text.split()[0] for x in restorer.restore(doc)]
    assert out == ["b)", "c)", "d)", "đ)", "e)", "a)", "b)", "(1)"]
    assert "(i) Hồ bản Mòng" in restorer.restore(doc)[6].text
    assert restorer.restore(doc)[7].text.endswith("(2) Kiểm tra; e) Kết luận.")


def test_a_list_ending_in_a_repeated_d_ends_in_d_with_its_bar(restorer):
    doc = ["c) Gay thiet hai tu 300.000.000 dong;", "d) Gay thiet hai ve tai san;",
           "d) Xuat ban, in hoac phat hanh."]
    assert [x.text.split()[0] for x in restorer.restore(doc)] == ["c)", "d)", "đ)"]
    # a repeated label that no misreading explains stays; so does a list of one
    doc = ["b) Pham toi 02 lan;", "b) Gay thuong tich."]
    assert [x.text.split()[0] for x in restorer.restore(doc)] == ["b)", "b)"]
    assert restorer.restore(["d) Xuat ban, in hoac phat hanh."])[0].text.startswith("d)")


def test_a_second_d_in_a_run_of_points_is_d_with_its_bar(restorer):
    # stripped text names points a, b, c, d, đ, e: a run after `điểm` names each once
    doc = ["Quyen va nghia vu quy dinh tai cac diem a, c, d, d, g, h, i va k khoan 1",
           "quy dinh tai diem d va d khoan 1 Dieu 5, diem c, d va e khoan 2",
           "gia 5 d, d 6 va cac muc a a b c d d e"]
    out = [x.text for x in restorer.restore(doc)]
    assert "các điểm a, c, d, đ, g, h, i và k khoản 1" in out[0]
    assert "điểm d và đ khoản 1" in out[1] and "điểm c, d và e khoản 2" in out[1]
    assert out[2].endswith("a a b c d d e")  # no run after `điểm`: as read


def test_an_apostrophe_the_ocr_printed_for_a_space_parts_two_words(restorer):
    # between a small letter and a capital in any text; between small letters only in
    # eng-OCR text, and never after u or o, where eng-OCR prints the horn so (thu’c)
    assert split_glued("ty'TNHH") == [(0, "ty"), (3, "TNHH")]
    assert split_glued("doanh’nghiép") == [(0, "doanh’nghiép")]
    assert split_glued("doanh’nghiép", ocr_gaps=True) == [(0, "doanh"), (6, "nghiép")]
    assert split_glued("ch&t'thai", ocr_gaps=True) == [(0, "ch&t"), (5, "thai")]
    for word in ("thu’c", "du'Gi", "O'Neil", "d'Ivoire", "THU'C", "they're", "don't", "it'll"):
        assert split_glued(word, ocr_gaps=True) == [(0, word)]
    out = restorer.restore([
        "Thur nhat, giam sat déi vdi cac’co quan nha nuGc dé thu’c thi cac chinh sach dé lam",
        "Pang bo thanh phé Son La d3 dat dugc nhiéu két qua quan trong trong doanh’nghiép.",
    ])
    # each part restored, and the apostrophe becomes the space it was read from
    assert out[0].text == ("Thứ nhất, giám sát đối với các cơ quan nhà nước để thực thi "
                           "các chính sách để làm")
    assert out[1].text.endswith("trong doanh nghiệp.")
    # vie-OCR text: the company type stays beside its word (it was once read as `ty`)
    line = "giá vàng SJC 1kg của Công ty'TNHH một thành viên"
    assert restorer.restore([line])[0].text == line


def test_a_network_proposal_never_drops_a_glued_word(restorer):
    from vnocr.restore.streams import Slot

    tok = restorer.tok
    gen, params = restorer.generators["accented"], restorer.params["accented"]
    proposals = np.array([tok.out_id(w) for w in ("ty", "tỷ", "đã")])
    for core, kept, dropped in (("ty'TNHH", set(), {"ty", "tỷ"}), ("d3", {"đã"}, set())):
        slot = Slot(0, 0, tokenize(core)[0], None)
        slot.net = (None, proposals)
        restorer.scorer.candidates(slot, gen, params, accented=True)
        words = {tok.vocab[i] for i in slot.ids.tolist()}
        assert kept <= words and not dropped & words, (core, words)


def test_an_eng_ocr_small_case_blind_letter_opens_a_word_the_corpus_capitalises(restorer):
    # eng-OCR reads V as v (they differ only in size): Việt is capitalised mid-sentence
    # 99 % of the time in the corpus, sơn (paint, and a name) 92 %: only the first is raised
    lines = ["Pang bo thanh phé Son La d3 dat dugc nhiéu két qua quan trong cho nhan dan viet Nam,",
             "tham chi mau son xanh cing duoc dat hang bdi doanh nghiép tai thanh phé Hd Chi Minh."]
    out = [x.text for x in restorer.restore(lines)]
    assert out[0].endswith("cho nhân dân Việt Nam,")
    assert out[1].startswith("thậm chí màu sơn xanh")
    # typed text without marks keeps its writer's case
    assert restorer.restore(["nhan dan viet Nam"])[0].text == "nhân dân việt Nam"


def test_a_hyphenated_foreign_name_is_kept_whole(restorer):
    # no Vietnamese word starts with f, j, w or z: `Won-hong` is a name, not `Won-hồng`
    assert split_glued("Won-hong") == [(0, "Won-hong")]
    # nor with a q that no u follows: `Al-Qassem` is a name (not `Ai-Qassem`)
    assert split_glued("Al-Qassem") == [(0, "Al-Qassem")]
    assert split_glued("quan-ly") == [(0, "quan"), (5, "ly")]
    assert split_glued("so-mi") == [(0, "so"), (3, "mi")]
    out = restorer.restore(["Ong Won-hong noi, Kim Jong-un va Moon Jae-in gap nhau"])
    assert out[0].text == "Ông Won-hong nói, Kim Jong-un và Moon Jae-in gặp nhau"
    # a Vietnamese hyphenated word is still restored part by part
    assert restorer.restore(["chiec ao so-mi moi"])[0].text == "chiếc áo sơ-mi mới"


def test_an_unmarked_hyphenated_word_in_accented_text_is_kept_whole(restorer):
    # a transcribed foreign name: its parts are no Vietnamese words that lost marks
    assert split_glued("Bai-ni-ma-rama", accented=True) == [(0, "Bai-ni-ma-rama")]
    assert split_glued("Đạo-sĩ", accented=True) == [(0, "Đạo"), (4, "sĩ")]
    line = "Tư lệnh quân đội, tướng Bai-ni-ma-rama, nắm quyền từ năm 2006."
    assert restorer.restore([line])[0].text == line


def test_fuzzy_keys_among_keys_of_near_length_are_those_of_all_keys(restorer):
    import random

    from rapidfuzz import process
    from rapidfuzz.distance import Levenshtein

    gen = restorer.generators["plain"]
    rng = random.Random(11)
    for _ in range(300):
        query = "".join(rng.choice("abcdeghiklmnopqrstuvxy1&'") for _ in range(rng.randint(1, 8)))
        limit = 1 if len(query) <= 3 else 2
        everywhere = process.extract(query, gen.keys, scorer=Levenshtein.distance,
                                     score_cutoff=limit, limit=12)
        assert gen._fuzzy_keys(query) == tuple((k, int(d)) for k, d, _ in everywhere), query


def test_a_digit_in_a_marked_capital_word_is_a_misread_letter_not_a_code(restorer):
    # vie-OCR read the C of CỘNG as 2; codes carry no Vietnamese marks (QL6, K2 stay)
    assert not is_protected("2ỘNG")
    assert is_protected("QL6") and is_protected("QĐ1")
    lines = ["2ỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
             "Theo QL6 và khu K2, trạm B12."]
    out = [r.text for r in restorer.restore(lines)]
    assert out[0] == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert out[2] == lines[2]


def test_an_abbreviation_with_its_dot_in_a_heading_is_kept(restorer):
    keys = restorer.tok.by_key
    assert is_protected("TM", ".", accented=False, known_keys=keys, heading_debris=True)
    assert not is_protected("BQ", "", accented=False, known_keys=keys, heading_debris=True)
