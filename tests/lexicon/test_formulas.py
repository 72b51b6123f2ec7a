"""The national title and motto of an administrative header, written as the law spells
them (vnocr.lexicon.formulas)."""

from __future__ import annotations

import random

from vnocr.api import Pipeline
from vnocr.data.noise import NoiseModel, corrupt_line
from vnocr.lexicon import fix_formulas

TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


def _fix(inp: str, restored: str, **kw) -> tuple[str, list]:
    out, changes = fix_formulas([inp], [restored], **kw)
    return out[0], changes


def test_glued_and_broken_words_of_the_title_and_motto_are_written_as_the_formula():
    line, (change,) = _fix("CONG HOA XA HOICHU NGHIA VIET NAM", "CỘNG HÒA XÃ HOICHU NGHĨA VIỆT NAM")
    assert line == TITLE
    assert (change.token, change.ntokens, change.stage) == (0, 7, "dictionary")
    assert change.before == "CONG HOA XA HOICHU NGHIA VIET NAM" and change.after == TITLE
    assert change.extra["source"] == "formula"
    # a dash lost, a word the model read wrong: the motto's words and dashes
    assert _fix("Dg lap Tu do - Hanh phic:", "Để lập Tự do - Hạnh phúc:")[0] == MOTTO + ":"
    # its capital lost, the motto keeps a dash between its parts
    assert _fix("p6c lap - Tu do Hanh phuc", "độc lập - Tự do Hạnh phúc")[0] == MOTTO


def test_specks_and_the_other_column_of_the_header_stay():
    assert _fix("> Dclap - Tu do - Hanh phic", "> Dclap - Tự do - Hạnh phúc")[0] == "> " + MOTTO
    inp = "UY BAN NHAN DAN CONG HOA XA HOI CHU NGHIA VIET NeAM"
    restored = "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NeAM"
    line, (change,) = _fix(inp, restored)
    assert line == "ỦY BAN NHÂN DÂN " + TITLE
    assert inp[change.start : change.end] == "CONG HOA XA HOI CHU NGHIA VIET NeAM"


def test_the_same_words_in_a_sentence_are_the_writers():
    for inp, restored in [
        ("vi doc lap tu do hanh phuc cua dan toc", "vì độc lập tự do hạnh phúc của dân tộc"),
        ("Doc lap, tu do, hanh phuc la khat vong", "Độc lập, tự do, hạnh phúc là khát vọng"),
        ("Cong hoa xa hoi chu nghia Viet Nam", "Cộng hòa xã hội chủ nghĩa Việt Nam"),
        ("nuoc Cong hoa xa hoi chu nghia Viet Nam da", "nước Cộng hòa xã hội chủ nghĩa Việt Nam đã"),
    ]:
        assert _fix(inp, restored) == (restored, [])


def test_a_formula_already_right_records_no_change_and_others_are_kept():
    earlier = fix_formulas(["a"], ["a"])[1]
    assert _fix(TITLE, TITLE) == (TITLE, [])
    out, changes = fix_formulas(["Ha Noi", "CONG HOA XA HOI CHU NGHIA VIET NAN"],
                                ["Hà Nội", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAN"], earlier)
    assert out == ["Hà Nội", TITLE] and [c.line for c in changes] == [1]


def test_a_right_formula_keeps_the_writers_tone_style():
    line = "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert _fix(line, line, tone_style="old") == (line, [])


def test_the_formula_follows_the_texts_tone_style():
    line = _fix("CONG HOA XA HOICHU NGHIA VIET NAM", "CỘNG HÒA XÃ HOICHU NGHĨA VIỆT NAM",
                tone_style="new")[0]
    assert line == "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"


def test_eng_ocr_noise_on_the_header_is_mended_through_the_pipeline():
    # the learned eng-OCR noise on the two lines, 20 times each: nearly every formula
    # comes back whole (27 of the 40 without the pass)
    pipeline, noise, rng = Pipeline(), NoiseModel.load("eng"), random.Random(3)
    right = 0
    for _ in range(20):
        doc = ["UY BAN NHAN DAN", "TINH SON LA",
               corrupt_line(TITLE, "eng", rng, model=noise), corrupt_line(MOTTO, "eng", rng, model=noise),
               "Son La, ngay 5 thang 3 nam 2024"]
        out = pipeline.correct_lines(doc).lines
        right += (TITLE in out[2]) + (MOTTO in out[3])
    assert right >= 38


def test_a_line_longer_than_any_header_is_not_searched():
    # the span search is quadratic in a line's tokens: a header line is short
    from vnocr.lexicon.formulas import MAX_LINE

    broken = "CONG HOA XA HOICHU NGHIA VIET NAM"
    long_line = broken + " " + "X " * MAX_LINE
    assert fix_formulas([long_line], [long_line]) == ([long_line], [])
    assert fix_formulas([broken], [broken])[0] == [TITLE]
