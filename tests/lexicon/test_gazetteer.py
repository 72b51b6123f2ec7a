"""The dictionary pass: lookups, decisions, layout and casing, user lists, shipped data.

Most tests build a small Gazetteer from explicit names so that each decision is visible;
`restored_lines` are fed directly, so nothing here needs the restoration model.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vnocr.errors import InputError
from vnocr.lexicon import Gazetteer, Name, fix_names, load_gazetteer, read_user_dict
from vnocr.text import nfc, span_key, strip_marks, tokenize


def gaz(*entries: tuple[str, float] | tuple[str, float, str] | tuple[str, float, str, set]):
    names = []
    for e in entries:
        text, weight = e[0], e[1]
        source = e[2] if len(e) > 2 else "admin-2025"
        types = frozenset(e[3]) if len(e) > 3 else frozenset({"xã"})
        names.append(Name(text, span_key(text), weight, (source,), types))
    return Gazetteer(names)


SMALL = gaz(
    ("Chiềng Sinh", 40),
    ("Tô Hiệu", 40, "admin-legacy", {"phường", "đường"}),
    ("Sơn La", 1000, "admin-2025", {"tỉnh", "thành phố"}),
    ("Mòng", 5, "names", {"bản"}),
    ("Mông", 5, "names", {"dân tộc"}),
)


def fix1(g: Gazetteer, inp: str, restored: str | None = None):
    out, changes = fix_names(g, [inp], [inp if restored is None else restored])
    return out[0], changes


def test_exact_key_hit_repairs_tones_and_records_the_change():
    line, changes = fix1(SMALL, "Thoat lu Chieng Sinh ve suoi", "Thoát lũ Chiêng Sinh về suối")
    assert line == "Thoát lũ Chiềng Sinh về suối"
    (c,) = changes
    assert (c.line, c.token, c.ntokens) == (0, 2, 2)
    assert "Thoat lu Chieng Sinh ve suoi"[c.start : c.end] == c.before == "Chieng Sinh"
    assert c.after == "Chiềng Sinh" and c.stage == "dictionary"
    assert c.extra["source"] == "admin-2025" and c.extra["restored"] == "Chiêng Sinh"
    assert c.extra["sources"] == ["admin-2025"]  # every list that holds the name
    assert 0.8 <= c.confidence <= 1.0 and c.extra["score"] >= 80
    assert c.as_dict()["ntokens"] == 2


def test_fuzzy_hit_on_ocr_debris():
    # eng-OCR digits and wrong marks that the model left alone
    line, changes = fix1(SMALL, "tuyến đường T6 Hiéu, phường", "tuyến đường T6 Hiéu, phường")
    assert line == "tuyến đường Tô Hiệu, phường"
    assert changes[0].before == "T6 Hiéu" and changes[0].extra["source"] == "admin-legacy"


def test_eng_ocr_double_i_for_u_finds_the_name():
    # eng-OCR prints ú, ù, ũ as `ii` (and é for many vowels): one letter more than the name
    g = gaz(("Krông Búk", 85, "admin-2025", {"huyện"}), ("Krông Pắc", 85, "admin-2025", {"huyện"}))
    line = "Cong an huyén Kréng Biik cho biét"
    assert fix1(g, line, "Công an huyện Kréng Biik cho biết")[0] == (
        "Công an huyện Krông Búk cho biết")


def test_single_syllable_only_after_a_type_word_it_is_known_with():
    assert fix1(SMALL, "Ho ban Mong da xong", "Hồ bản Mong đã xong")[0] == "Hồ bản Mòng đã xong"
    # same letters without the type word: left alone (one syllable is too little evidence)
    assert fix1(SMALL, "ong Mong da den", "ông Mong đã đến")[0] == "ông Mong đã đến"


def test_near_tie_is_left_alone():
    g = gaz(("Chiềng Đen", 40), ("Chiềng En", 40))
    # `P` could be a misread Đ or an invented letter: both names are one edit away
    line, changes = fix1(g, "xa Chiéng Pen", "xã Chiêng Pen")
    assert line == "xã Chiêng Pen" and changes == []
    # a clear winner is taken
    assert fix1(g, "xa Chieng Den", "xã Chiêng Den")[0] == "xã Chiềng Đen"


def test_same_key_names_decided_by_weight_or_left_alone():
    g = gaz(("Tân An", 400), ("Tấn An", 1))
    assert fix1(g, "xa Tan An", "xã Tần An")[0] == "xã Tân An"
    even = gaz(("Tân An", 40), ("Tấn An", 40))
    assert fix1(even, "xa Tan An", "xã Tần An")[0] == "xã Tần An"


def test_restored_name_already_in_the_gazetteer_is_kept():
    g = gaz(("Tân An", 400), ("Tấn An", 1))
    line, changes = fix1(g, "xa Tan An", "xã Tấn An")
    assert line == "xã Tấn An" and changes == []


def test_unknown_but_valid_name_is_not_pulled_to_a_neighbour():
    g = gaz(("Nguyễn Văn An", 500))
    line, changes = fix1(g, "ông Nguyen Van A phát biểu", "ông Nguyễn Văn A phát biểu")
    assert line == "ông Nguyễn Văn A phát biểu" and changes == []


def test_casing_pattern_of_the_document_is_kept():
    assert fix1(SMALL, "THANH PHO SON LA", "THÀNH PHỐ SƠN LÁ")[0] == "THÀNH PHỐ SƠN LA"
    # heading capitals are not names by themselves: only after a type word
    assert fix1(SMALL, "CHIENG SINH", "CHIÊNG SINH")[0] == "CHIÊNG SINH"


def test_layout_and_punctuation_are_kept():
    inp = "  (Chieng Sinh),  va Son La;\tT6 Hiéu."
    res = "  (Chiêng Sinh),  và Sơn Lá;\tT6 Hiéu."
    line, changes = fix1(SMALL, inp, res)
    assert line == "  (Chiềng Sinh),  và Sơn La;\tTô Hiệu."
    assert [t.start for t in tokenize(line)] == [t.start for t in tokenize(res)]
    for c in changes:
        assert inp[c.start : c.end] == c.before


def test_sentence_initial_capital_does_not_pull_a_common_word_into_a_name():
    g = gaz(("Trọng Sơn", 3), ("Sơn La", 1000, "admin-2025", {"tỉnh"}))
    line, _ = fix1(g, "Trong Son La co", "Trong Sơn Lá có")
    assert line == "Trong Sơn La có"


def test_a_name_the_model_wrote_at_a_sentence_start_is_not_rewritten_for_a_piece_of_it():
    g = gaz(("Lê Văn Phúc", 13), ("Vạn Phúc", 143, "admin-legacy", {"phường"}))
    line, _ = fix1(g, "Le Van Phuc cho biet", "Lê Văn Phúc cho biết")
    assert line == "Lê Văn Phúc cho biết"
    # elsewhere the commune is still found
    line, _ = fix1(g, "tai Van Phuc co", "tại Văn Phúc có")
    assert line == "tại Vạn Phúc có"


def test_new_tone_style_document_gets_new_style_names():
    g = gaz(("Hòa Bình", 400))
    line, _ = fix1(g, "xa Hoa Binh, hoa thuan thuy", "xã Hoá Bính, hoà thuận thuỷ")
    assert line == "xã Hoà Bình, hoà thuận thuỷ"


TEXT_WITHOUT_NAMES = [
    "Trong nhiệm kỳ vừa qua, mặc dù chịu nhiều ảnh hưởng bởi tình hình dịch bệnh,",
    "Các chỉ tiêu kinh tế - xã hội chủ yếu đều đạt và vượt kế hoạch đề ra.",
    "Số hộ nghèo giảm từ 145 hộ (2021) xuống còn 63 hộ (2024); UBND, HĐND.",
    "Hoàn thành công tác giải phóng mặt bằng 202,5 ha/478 hộ bị ảnh hưởng.",
    "BÁO CÁO KẾT QUẢ THỰC HIỆN NGHỊ QUYẾT",
    "",
]


def test_nothing_changes_in_text_without_names():
    g = load_gazetteer()
    out, changes = fix_names(g, TEXT_WITHOUT_NAMES, TEXT_WITHOUT_NAMES)
    assert out == TEXT_WITHOUT_NAMES and changes == []


WORDS = [
    "nhiệm",
    "kỳ",
    "vừa",
    "qua",
    "mặc",
    "dù",
    "chịu",
    "nhiều",
    "ảnh",
    "hưởng",
    "tình",
    "hình",
    "kinh",
    "tế",
    "xã",
    "hội",
    "phát",
    "triển",
]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(WORDS + [",", "2025", "(1)", "UBND"]), max_size=20), st.booleans())
def test_lowercase_text_passes_untouched(words, capitalise):
    line = " ".join(words)
    if capitalise and line:
        line = line[0].upper() + line[1:]
    out, changes = fix_names(SMALL, [line], [line])
    assert out == [line] and changes == []


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(WORDS + ["Chiềng Sinh", "Sơn La", "xã", "Tô Hiệu"]), max_size=15))
def test_correct_text_is_a_fixed_point_and_token_count_kept(words):
    line = " ".join(words)
    out, changes = fix_names(SMALL, [line], [line])
    assert out == [line] and changes == []
    noisy = strip_marks(line)
    out, _ = fix_names(SMALL, [noisy], [noisy])
    assert len(out[0].split()) == len(noisy.split())


def test_user_dictionary_wins_and_parses_weights(tmp_path: Path):
    shipped = [Name("Chiềng En", span_key("Chiềng En"), 40, ("admin-2025",), frozenset({"xã"}))]
    f = tmp_path / "names.txt"
    f.write_text("# my province\nChiềng Đen\nHuổi Sài\t5\n\n", encoding="utf-8")
    user = read_user_dict(f)
    assert [(n.text, n.weight, n.source) for n in user] == [
        ("Chiềng Đen", 100.0, "user:names.txt"),
        ("Huổi Sài", 5.0, "user:names.txt"),
    ]
    g = Gazetteer(shipped + user)
    line, changes = fix1(g, "xa Chiéng Pen", "xã Chiêng Pen")
    assert line == "xã Chiềng Đen" and changes[0].extra["source"] == "user:names.txt"
    # without the user list the same input is a tie and stays as it was
    assert (
        fix1(
            Gazetteer(
                shipped
                + [Name("Chiềng Đen", span_key("Chiềng Đen"), 40, ("admin-2025",), frozenset({"xã"}))]
            ),
            "xa Chiéng Pen",
            "xã Chiêng Pen",
        )[0]
        == "xã Chiêng Pen"
    )


def test_user_dictionary_errors_are_clear(tmp_path: Path):
    with pytest.raises(InputError, match="no such file"):
        read_user_dict(tmp_path / "missing.txt")
    bad = tmp_path / "bad.txt"
    bad.write_text("Sơn La\tmany\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.txt:1: weight 'many'"):
        read_user_dict(bad)
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("Sơn".encode()[:2] + b"\xff\n")
    with pytest.raises(InputError, match="not UTF-8"):
        read_user_dict(latin1)


def test_load_gazetteer_reads_user_lists_and_the_default_location(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    (tmp_path / "vnocr").mkdir()
    (tmp_path / "vnocr" / "names.txt").write_text("Bản Xyzơ Khúm\n", encoding="utf-8")
    extra = tmp_path / "more.txt"
    extra.write_text("Phà Đin Qwé\n", encoding="utf-8")
    g = load_gazetteer((extra,))
    assert "Bản Xyzơ Khúm" in g and "Phà Đin Qwé" in g
    assert load_gazetteer((extra,)) is g  # built once per process
    assert g.by_lower["phà đin qwé"].source == "user:more.txt"


def _unique_key_names(g: Gazetteer, source: str, other: str) -> list[str]:
    out = []
    for nm in g.by_lower.values():
        if (
            nm.sources == (source,)
            and other not in nm.sources
            and nm.nsyl >= 2
            and all(w.isalpha() for w in nm.text.split())
            and len(g.by_key[nm.key]) == 1
            and strip_marks(nm.text) != nm.text
            and strip_marks(nm.text).lower() not in g.by_lower
        ):
            out.append(nm.text)
    return sorted(out)


@pytest.mark.parametrize(
    "source,other", [("admin-2025", "admin-legacy"), ("admin-legacy", "admin-2025")]
)
def test_old_and_new_unit_names_are_both_known(source, other):
    g = load_gazetteer()
    names = _unique_key_names(g, source, other)
    assert len(names) > 20, f"too few {source}-only names shipped"
    for name in random.Random(0).sample(names, 20):
        typ = min(g.by_lower[name.lower()].types)
        noisy = f"{strip_marks(typ)} {strip_marks(name)}"
        out, changes = fix_names(g, [noisy], [noisy])
        assert out[0] == f"{strip_marks(typ)} {name}", (name, out[0])
        assert changes[-1].extra["source"] == source


def test_shipped_data_is_nfc_and_covers_both_maps():
    g = load_gazetteer()
    sources = {s for nm in g.by_lower.values() for s in nm.sources}
    assert {"admin-2025", "admin-legacy", "names"} <= sources
    assert all(nfc(t) == t for t in list(g.by_lower)[:5000])
    assert not any(re.search(r"\d", t) for t in g.by_lower)


def test_pipeline_runs_the_dictionary_pass_without_the_model():
    from vnocr import Pipeline
    from vnocr.options import LexiconOptions, Options, RestoreOptions

    p = Pipeline(Options(restore=RestoreOptions(enabled=False), lexicon=LexiconOptions()))
    r = p.correct_text("Dự án thủy lợi xa Chieng Sinh, tinh Son La\nkhông có tên")
    assert r.lines == ["Dự án thủy lợi xa Chiềng Sinh, tinh Sơn La", "không có tên"]
    assert [c.stage for c in r.changes] == ["dictionary", "dictionary"]
    assert r.as_dict()["changes"][0]["source"] in ("admin-2025", "admin-legacy", "names")


def test_stripped_input_that_spells_a_name_wins_over_a_model_that_changed_letters():
    g = gaz(("Hyde Park", 30, "names", set()), ("Nam Bộ", 900, "names", set()))
    line, changes = fix1(g, "cong vien Hyde Park.", "công viên Nam Bộ.")
    assert line == "công viên Hyde Park." and changes[0].before == "Hyde Park"


def test_foreign_words_in_clean_text_are_not_treated_as_ocr_debris():
    from vnocr.lexicon.sources import shipped_syllables

    names = [Name("Jenifer Lopez", span_key("Jenifer Lopez"), 30, ("names",))]
    g = Gazetteer(names, syllables=shipped_syllables())
    text = "Ca sĩ Jennifer Lopez có mặt tại Hà Nội."
    assert fix1(g, text, text) == (text, [])
    # the same word in a page full of OCR debris is suspect, and repaired
    ocr = ["Ca si Jennifer Lopez c6 mit tai Ha N6i d3 1a"]
    assert fix_names(g, ocr, ocr)[0][0].startswith("Ca si Jenifer Lopez")


def test_a_known_non_name_phrase_blocks_a_lookalike_name():
    names = [Name("Ba Vân", span_key("Ba Vân"), 20, ("admin-2025",), frozenset({"xã"}))]
    with_phrase = Gazetteer(names, phrases={"Bộ Văn": 40})
    without = Gazetteer(names)
    inp, res = "cho phép B6 Van hóa", "cho phép Sử Văn hóa"
    assert fix1(without, inp, res)[0] == "cho phép Ba Vân hóa"
    assert fix1(with_phrase, inp, res)[0] == res


def test_ocr_debris_glued_inside_a_name_goes_and_the_token_count_stays():
    from vnocr.lexicon.sources import shipped_syllables

    names = [Name("Võ Nguyên Giáp", span_key("Võ Nguyên Giáp"), 300, ("names",), frozenset())]
    g = Gazetteer(names, syllables=shipped_syllables())
    inp = "tuyén duong V& Nguyén Giap; (ii)"
    line, changes = fix1(g, inp, "tuyến đường V& Nguyên Giáp; (ii)")
    assert line == "tuyến đường Võ Nguyên Giáp; (ii)"
    assert len(line.split()) == len(inp.split())
    assert changes[0].before == "V& Nguyén Giap" and changes[0].after == "Võ Nguyên Giáp"


def test_a_one_syllable_name_counts_only_after_its_own_type_word():
    g = gaz(("Bộ", 50, "names", {"đảo"}), ("Bo Kẹo", 7, "names", {"tỉnh"}))
    assert fix1(g, "tinh Bo Keo.", "tỉnh Bộ Kéo.")[0] == "tỉnh Bo Kẹo."


def test_ocr_text_is_told_from_stripped_and_clean_text():
    g = load_gazetteer()
    assert g.is_ocr_text(["Trong nhi€ém ky vira qua, mac du chiu nhiéu anh hudng boi tinh hinh"])
    assert g.is_ocr_text(["d3 nd lyc thyc hién 10 Dé an va 03 khau do6t pha déu dat dugc"])
    assert not g.is_ocr_text(["Trong nhiem ky vua qua, mac du chiu nhieu anh huong boi tinh hinh"])
    assert not g.is_ocr_text(["Trong nhiệm kỳ vừa qua, Jennifer Lopez đã đến Hà Nội 3 lần."])


def test_a_capitalised_word_that_starts_a_common_compound_ends_no_name():
    names = [Name("Lê Vinh", span_key("Lê Vinh"), 40, ("names",))]
    inp, res = "thanh cong Le Vinh danh thanh pho", "thành công Lễ Vinh danh thành phố"
    assert fix1(Gazetteer(names), inp, res)[0] == "thành công Lê Vinh danh thành phố"
    g = Gazetteer(names, collocations=["vinh danh"])
    assert fix1(g, inp, res) == (res, [])


def test_ocr_capitals_inside_a_known_name_take_the_names_case():
    g = gaz(("Hoa Kỳ", 500, "names", set()), ("Bắc Mỹ", 200, "names", set()))
    # eng-OCR read the marked small letter as its capital; the model kept the capitals
    lines, changes = fix_names(g, ["phong thu Hoa KY tai"], ["phòng thủ Hoa KỲ tại"])
    assert lines == ["phòng thủ Hoa Kỳ tại"]
    assert [(c.before, c.after) for c in changes] == [("Hoa KY", "Hoa Kỳ")]
    # unmarked capitals are an abbreviation, and a name wholly in capitals is emphasis
    for text in ["cho HA Gia Lai", "ở HOA KỲ năm", "ở Bắc Mỹ năm"]:
        assert fix_names(g, [text], [text])[0] == [text]


def test_ocr_channel_lets_a_name_explain_misread_vowels():
    from vnocr.channel import char_channel

    names = [Name("Liên Xô", span_key("Liên Xô"), 300, ("names",), frozenset())]
    # an eng-OCR page: debris like `d3` and `v&` around the name
    debris = "Ho d3 dén v& nh&n tién"
    inp, res = [debris, "quoc gia Lién Xé cũ"], [debris, "quốc gia Liên Xe cũ"]
    # eng-OCR prints é for ô: with the learned channel the name explains the input as
    # well as the model's letters do, and its frequency decides
    with_channel = Gazetteer(names, ocr_channel=char_channel("eng").logp)
    assert fix_names(with_channel, inp, res)[0][1] == "quốc gia Liên Xô cũ"
    # without it, a name further from the input than the model's letters never wins
    assert fix_names(Gazetteer(names), inp, res)[0] == res
    # letters OCR does not confuse keep the model's word
    other = [debris, "quốc gia Liên Xa cũ"]
    assert fix_names(with_channel, [debris, "quoc gia Lién Xa cũ"], other)[0] == other


def test_corpus_casing_beats_the_registers():
    # the 2025 register writes `KRông Búk`; documents (the mined names) write `Krông Búk`
    names = [
        Name("KRông Búk", span_key("Krông Búk"), 40, ("admin-2025",), frozenset({"huyện"})),
        Name("Krông Búk", span_key("Krông Búk"), 45, ("names",), frozenset()),
    ]
    (entry,) = Gazetteer(names).by_key["krong buk"]
    assert entry.text == "Krông Búk" and entry.weight == 85
    assert set(entry.sources) == {"admin-2025", "names"} and "huyện" in entry.types


ENG_DEBRIS = "Ho d3 dén v& nh&n tién"  # a line of eng-OCR debris: the text reads as OCR'd


def ocr_gaz(entries, source="names", types=(), syllables=()) -> Gazetteer:
    """A small gazetteer with the learned eng-OCR character channel."""
    from vnocr.channel import char_channel

    return Gazetteer(
        [Name(t, span_key(t), w, (source,), frozenset(types)) for t, w in entries],
        syllables=syllables,
        ocr_channel=char_channel("eng").logp,
    )


def fix_ocr(g: Gazetteer, inp: str, restored: str) -> str:
    return fix_names(g, [ENG_DEBRIS, inp], [ENG_DEBRIS, restored])[0][1]


def test_a_name_the_model_lowered_gets_its_capitals_back():
    g = ocr_gaz([("Đại Chính", 30), ("Ấn Độ", 5000), ("Liên Xô", 300)])
    # the input had the capital (the restorer lowered a word whose first letter it changed)
    assert fix_ocr(g, "Thdi ky Bai Chinh", "Thời kỳ đại Chính") == "Thời kỳ Đại Chính"
    # the input had no letter there at all: `6` read for Độ
    assert fix_ocr(g, "tir An 6 sang", "từ Ấn độ sang") == "từ Ấn Độ sang"
    # a fuzzy match takes the input's capital too
    assert fix_ocr(g, "quoc gia Lién Xé cũ", "quốc gia Liên xe cũ") == "quốc gia Liên Xô cũ"
    # a lowercase word the input wrote in lowercase stays lowercase
    assert fix_ocr(g, "tir An do sang", "từ Ấn độ sang") == "từ Ấn độ sang"
    # a letterless token does not start a name
    assert fix_ocr(g, "6 Chinh quyen", "ở Chính quyền") == "ở Chính quyền"


def test_a_common_name_whose_debris_the_model_made_a_small_word_gets_its_capital():
    g = ocr_gaz([("Hà Lan", 2800), ("Việt Nam Với", 5), ("Việt Nam", 59000)])
    # `oe` is no reading of `lan`: its small letter says nothing of the word's case
    assert fix_ocr(g, "tuéng Ha oe sang", "tướng Hà lan sang") == "tướng Hà Lan sang"
    # a rare "name" (a mined phrase) does not recase a common word
    assert fix_ocr(g, "Viet Nam vdi Nhat", "Việt Nam với Nhật") == "Việt Nam với Nhật"
    # the model's small word read from the input's letters keeps its case
    assert fix_ocr(g, "tuéng Ha lan sang", "tướng Hà lan sang") == "tướng Hà lan sang"


def test_a_name_written_with_marks_stays_as_written_outside_eng_ocr_text():
    g = ocr_gaz([("Trần Văn Quang", 300), ("Phạm Cương", 200), ("Văn Quảng", 3)])
    # typed or vie-OCR text: every word marked, and the model kept it: the writer's marks
    # (clean vie-OCR dev pages: `Trần Văn Quảng` and `Phạm Cường` had been made these)
    for line in ("Vợ chồng ông Trần Văn Quảng có mặt tại chùa Yên Tử",
                 "Không chỉ Thu Hà, Phạm Cường, Vân Dung mà diễn viên Đức Trung"):
        assert fix_names(g, [line], [line])[0][0] == line
    # a word without marks may have lost them: the names decide, against the model's marks
    assert fix_names(g, ["ông Tran Van Quang"], ["ông Trần Văn Quảng"])[0][0] == (
        "ông Trần Văn Quang")
    assert fix_names(g, ["ông Pham Cuong"], ["ông Phạm Cường"])[0][0] == "ông Phạm Cương"


def test_a_small_size_only_letter_after_a_name_may_continue_it():
    # an OCR reads the capital O of `Oai` as a small o (the two differ only in size)
    g = ocr_gaz([("Thanh Oai", 159), ("Thanh Sơn", 40)])
    assert fix_ocr(g, "huyén Thanh oai", "huyện Thanh oai") == "huyện Thanh Oai"
    # only a common name is written so (`Thanh Sơn`, 40, is not: `Thanh sơn` stays)
    assert fix_ocr(g, "Thanh son tudng", "Thanh sơn tường") == "Thanh sơn tường"
    # other small letters are no misread capitals
    assert fix_ocr(g, "Thanh lai", "Thanh lại") == "Thanh lại"


def test_input_letters_that_spell_a_name_have_a_claim_against_the_models_name():
    g = ocr_gaz([("Vị Thanh", 600), ("Vũ Thanh", 20)])
    assert fix_ocr(g, "Khu tru mat Vi Thanh", "Khu trù mật Vũ Thanh") == "Khu trù mật Vị Thanh"
    # (as in typed or stripped text, where the letters are the typist's)
    assert fix_names(g, ["khu Vi Thanh"], ["khu Vũ Thanh"])[0] == ["khu Vị Thanh"]
    # an input that spells no name leaves the model's name alone
    assert fix_ocr(g, "Khu tru mat Vii Thanh", "Khu trù mật Vũ Thanh") == "Khu trù mật Vũ Thanh"


def test_eng_ocr_e_acute_stands_for_other_vowels():
    g = ocr_gaz([("Bồ Đào Nha", 2600)])
    # every word a real syllable, yet é is eng-OCR's print of ồ: the name is searched
    assert fix_ocr(g, "21/6 Bé Dao Nha 1-3", "21/6 Bé Đào Nha 1-3") == "21/6 Bồ Đào Nha 1-3"
    # text that is not OCR'd keeps its é
    assert fix_names(g, ["21/6 Bé Dao Nha 1-3"], ["21/6 Bé Đào Nha 1-3"])[0] == [
        "21/6 Bé Đào Nha 1-3"
    ]


def test_a_foreign_word_beside_a_name_makes_no_longer_name():
    g = gaz(("Vân Nha", 40, "admin-2025", set()), ("Bồ Đào Nha", 2000, "names", set()))
    # a Vietnamese syllable before it: a person (`Hoàng Văn Nha`), not the commune
    assert fix1(g, "ong Hoang Van Nha noi", "ông Hoàng Văn Nha nói")[0] == "ông Hoàng Văn Nha nói"
    # a foreign word after it does not make the name a piece of a longer one
    assert fix1(g, "nguoi Bo Dao Nha Ferdinand", "người Bố Đào Nha Ferdinand")[0] == (
        "người Bồ Đào Nha Ferdinand"
    )


def test_a_word_the_model_kept_is_foreign_unless_ocr_explains_it():
    from vnocr.lexicon.sources import shipped_syllables

    # the syllable inventory is what makes `Biik` debris rather than a word
    g = ocr_gaz([("Trấn Yên", 60), ("Krông Búk", 85)], "admin-2025", {"huyện"},
                syllables=shipped_syllables())
    # `Lens` is no OCR reading of Yên: the model kept a foreign word
    assert fix_ocr(g, "Tran Lens 1648", "Trận Lens 1648") == "Trận Lens 1648"
    # `Biik` is how eng-OCR prints Búk (ú → ii)
    assert fix_ocr(g, "huyén Krong Biik", "huyện Krong Biik") == "huyện Krông Búk"


def test_an_official_unmarked_name_the_model_wrote_stands():
    # `Nha Trang` (a city) and `Nhà Trắng` (the White House) share a key; the corpus
    # writes the second more often, so the unmarked spelling leaves the index, but where
    # the model wrote it from context it is not overruled
    g = gaz(("Nha Trang", 40, "admin-legacy", {"thành phố"}), ("Nhà Trắng", 1471, "names", set()))
    assert "nha trang" not in g.by_lower
    line, changes = fix1(g, "du lich tai Nha Trang (Khanh Hoa)", "du lịch tại Nha Trang (Khánh Hòa)")
    assert line == "du lịch tại Nha Trang (Khánh Hòa)" and changes == []
    # the model's marks stand too, and a model that left the letters alone is still helped
    assert fix1(g, "chuyen tham Nha Trang", "chuyến thăm Nhà Trắng")[0] == "chuyến thăm Nhà Trắng"
    assert fix1(g, "chuyen tham Nha Trang", "chuyến thăm Nhả Trang")[0] == "chuyến thăm Nhà Trắng"
    # a mined unmarked spelling has no such standing: `Viet Nam` is Việt Nam
    g2 = gaz(("Viet Nam", 30, "names", set()), ("Việt Nam", 5000, "names", set()))
    assert fix1(g2, "tai Viet Nam", "tại Viet Nam")[0] == "tại Việt Nam"


def test_a_capital_the_model_lowered_makes_no_longer_run():
    g = ocr_gaz([("Diệu Hiền", 6)])
    # eng-OCR lost the period before `Cuối`; the model read it as a small word, so
    # `Diéu Hién` is a whole name, not a piece of `Diệu Hiền Cuối`
    assert fix_ocr(g, "thuy san Diéu Hién Cudi thang 12", "thủy sản Điều Hiện cuối tháng 12") == (
        "thủy sản Diệu Hiền cuối tháng 12")
    # where the model kept the capital, the run stands and so do the model's marks
    assert fix_ocr(g, "thuy san Diéu Hién Cudi thang 12", "thủy sản Điều Hiện Cuối tháng 12") == (
        "thủy sản Điều Hiện Cuối tháng 12")


def test_in_ocr_text_a_piece_of_a_run_the_model_left_unmarked_stays():
    g = ocr_gaz([("Minh Tâm", 78)])
    # `Tam` is a word the model chose to leave unmarked inside `Chiếu Minh Tam Thanh`
    assert fix_ocr(g, "Cao Dai Chiéu Minh Tam Thanh Vé Vi", "Cao Đài Chiếu Minh Tam Thanh Vô Vi") == (
        "Cao Đài Chiếu Minh Tam Thanh Vô Vi")
    # a whole name is still repaired
    assert fix_ocr(g, "6ng Minh Tam néi", "ông Minh Tam nói") == "ông Minh Tâm nói"


def test_in_ocr_text_a_digit_for_a_names_last_letter_is_debris():
    g = ocr_gaz([("Aleix Vidal", 6), ("Super League", 435)])
    assert fix_ocr(g, "Barcelona: Aleix Vida1, Rafinha", "Barcelona: Aleix Vida1, Rafinha") == (
        "Barcelona: Aleix Vidal, Rafinha")
    assert fix_ocr(g, "phan déi European Supe6 League", "phản đối European Supe6 League") == (
        "phản đối European Super League")
    # in typed text a word ending in a digit is a code (`Note7`) and stays
    assert fix_names(g, ["Aleix Vida1 ra mắt"], ["Aleix Vida1 ra mắt"])[0] == ["Aleix Vida1 ra mắt"]


def test_a_frequent_name_may_explain_ocr_a_little_worse_than_the_models_letters():
    line, restored = "gao nép Ti Lé ngon", "gạo nếp Tỉ Lệ ngon"
    # eng-OCR reads `Ti` from Tỉ more readily than from Tú; the commune's frequency
    # makes up the difference, a name seen once does not
    assert fix_ocr(ocr_gaz([("Tú Lệ", 52)]), line, restored) == "gạo nếp Tú Lệ ngon"
    assert fix_ocr(ocr_gaz([("Tú Lệ", 1)]), line, restored) == restored


def test_a_small_word_read_from_its_own_first_letter_keeps_the_ocrs_case():
    g = ocr_gaz([("Hàn Quốc", 3000), ("Hà Lan", 2800)])
    # eng-OCR read the q as written: `quốc` stays small (the writer's `Hàn quốc`)
    assert fix_ocr(g, "phai doan Han quéc tham gia", "phái đoàn Hàn quốc tham gia") == (
        "phái đoàn Hàn quốc tham gia")
    # another first letter (`oe` for lan) says nothing of the word's case
    assert fix_ocr(g, "tuéng Ha oe sang", "tướng Hà lan sang") == "tướng Hà Lan sang"


def test_a_span_the_model_read_as_common_words_takes_no_fuzzy_name():
    g = ocr_gaz([("An Biên", 200)])
    # eng-OCR capitals on `án lớn`; the model wrote both as common words
    assert fix_ocr(g, "cac du An Ién 6 Can Gié", "các dự án lớn ở Cần Giờ") == (
        "các dự án lớn ở Cần Giờ")


def test_a_fuzzy_name_farther_from_the_input_than_the_model_is_found_where_the_channel_reads_it():
    syllables = ["phan", "thanh", "tân", "tòn", "biển", "điện", "đen", "bộ", "giáo", "dục"]
    g = ocr_gaz([("Phan Thanh Tòn", 20), ("Biển Đen", 300), ("Bộ Giao", 300)],
                syllables=syllables)
    # the model's clean letters are closer to the input than the name (`Tân` for `Tdn`;
    # `Điện` for `Dien`, letter for letter), but eng-OCR reads the input from the name
    assert fix_ocr(g, "ong Phan Thanh Tdn noi", "ông Phan Thanh Tân nói") == (
        "ông Phan Thanh Tòn nói")
    assert fix_ocr(g, "bién Bién Dien va", "biển Biển Điện và") == "biển Biển Đen và"
    # a name one syllable from the model's reading, two from the input's debris
    g2 = ocr_gaz([("Củng Lợi", 70)], syllables=["củng", "cộng", "lợi", "xã"])
    assert fix_ocr(g2, "xa Cdng Lgi", "xã Cộng Lợi") == "xã Củng Lợi"


def test_debris_the_model_could_not_read_gives_way_to_a_name_more_easily():
    g = ocr_gaz([("Đốn Sơn", 9), ("Bản Sơn", 9)], syllables=["đốn", "bản", "sơn", "núi", "nổi"])
    # `Dudn` is no syllable and the model kept it: a name the channel reads it from
    # replaces it at a score under the usual cutoff (78.5: two letters off, a rare name)
    assert fix_ocr(g, "nui Dudn Son noi", "núi Dudn Sơn nổi") == "núi Đốn Sơn nổi"
    # one it does not read it from does not
    assert fix_ocr(g, "nui Dwxn Son noi", "núi Dwxn Sơn nổi") == "núi Dwxn Sơn nổi"
    # nor does a name that changes a word the model did read: a foreign word kept beside
    # it (`Trump`) is no debris (at a sentence start the name scores 80: under the cutoff)
    g = ocr_gaz([("Trump Jr", 67)], syllables=["lần", "đầu"])
    inp, res = [ENG_DEBRIS + ".", "Trump Jan dau"], [ENG_DEBRIS + ".", "Trump lần đầu"]
    assert fix_names(g, inp, res)[0] == res
    # a name the channel does not read the input from leaves the model's letters alone:
    # `Bé` may be eng-OCR's print of `Bế`, `B6` is not
    g = ocr_gaz([("Bế Giao Đức", 50)], syllables=["bộ", "giáo", "dục"])
    assert fix_ocr(g, "Bé Giao Duc", "Bộ Giáo Dục") == "Bế Giao Đức"
    assert fix_ocr(g, "B6 Giao Duc", "Bộ Giáo Dục") == "Bộ Giáo Dục"


def test_the_ocr_channel_reads_the_input_as_printed_not_as_a_spelling_key():
    # `Khué` keeps its mark on the e for the channel (the key's old style would move it to
    # `khúe`, which the channel reads badly from every name alike, letting any through)
    g = ocr_gaz([("Việt Khê", 20)], syllables=["việt", "khuê", "khê", "như"])
    assert fix_ocr(g, "nhw Viét Khué, Lang", "như Việt Khuê, Làng") == "như Việt Khuê, Làng"


def test_a_one_syllable_name_after_a_type_word_gives_way_to_the_longer_name_there():
    # a one-syllable name known after `xã` (mined from a longer name cut short) against
    # the two-syllable commune the line names: the longer name of the same letters wins,
    # whether the model wrote it (kept) or left a mark wrong (repaired)
    g = gaz(("Nâm", 60, "names", {"xã"}), ("Nam Trực", 40, "admin-2025", {"xã", "huyện"}),
            ("Đắk", 50, "names", {"tỉnh"}), ("Đắk Nông", 400, "admin-legacy", {"tỉnh"}))
    res = ["Ủy ban nhân dân xã Nam Trực"]
    assert fix_names(g, ["Uy ban nhan dan xa Nam Truc"], res)[0] == res
    out, changes = fix_names(g, ["Tinh Dak Nong co nhieu ho dan."],
                             ["Tỉnh Dak Nóng có nhiều hộ dân."])
    assert out == ["Tỉnh Đắk Nông có nhiều hộ dân."]
    assert [(c.before, c.after) for c in changes] == [("Dak Nong", "Đắk Nông")]
    # alone after its type word, the one-syllable name still counts
    assert fix_names(g, ["xa Nam, huyen X"], ["xã Nam, huyện X"])[0] == ["xã Nâm, huyện X"]
