"""Two syllables an OCR read without their space are split; words written as one stay."""

from __future__ import annotations

import itertools
import random

import pytest

from vnocr import Pipeline
from vnocr.options import LexiconOptions, Options
from vnocr.restore.streams import merged_cut, merged_cuts, no_single_reading

# Vietnamese context long enough to make the text "accented" (vie-OCR, typed).
CONTEXT = "Đây là báo cáo của Ủy ban nhân dân tỉnh về tình hình kinh tế và xã hội năm nay."


@pytest.mark.parametrize(
    ("merged", "split"),
    [
        ("hợpgiữa", "hợp giữa"),
        ("ởmiền", "ở miền"),  # a one-letter word
        ("rộnghơn", "rộng hơn"),
        ("ĐinhLa", "Đinh La"),  # a name's two capitals
        ("ĐỒNGGIA", "ĐỒNG GIA"),
        ("ỞMIỀN", "Ở MIỀN"),
    ],
)
def test_finds_the_space_between_merged_syllables(restorer, merged, split):
    (cut,) = restorer.merged.cuts(merged)
    assert f"{merged[:cut]} {merged[cut:]}" == split


@pytest.mark.parametrize(
    ("core", "lead"),
    [
        ("BlancBright", ""),  # foreign brand: its halves are no syllables
        ("crossover", ""),
        ("hopgiua", ""),  # no marks: no evidence that a Vietnamese OCR read it
        ("người", ""),  # one syllable
        ("tìnhyêu", "#"),  # a hashtag is written as one word on purpose
        ("hoPle", ""),  # a case pattern no text has
        ("Hêrôin", ""),  # a loanword: `rôin` is no syllable
        ("acá", ""),  # Spanish: `a cá` is too rare a pair for a lone letter
    ],
)
def test_leaves_words_that_are_not_two_merged_syllables(restorer, core, lead):
    assert restorer.merged.cuts(core, lead) == ()


def test_merged_words_are_split_and_restored_in_their_line(restorer):
    lines = [CONTEXT, "chiếc xe được coi là sự kết hợpgiữa hai dòng, của nhà vườn ởmiền Tây."]
    out = restorer.restore(lines)
    assert out[1].text == "chiếc xe được coi là sự kết hợp giữa hai dòng, của nhà vườn ở miền Tây."
    change = next(c for c in out[1].changes if c.before == "hợpgiữa")
    assert change.after == "hợp giữa"
    assert lines[1][change.start : change.end] == "hợpgiữa"


def test_text_without_marks_is_never_split(restorer):
    # stripped text and eng-OCR: the halves' marks are not known, nor is the space
    line = "Cong ty ket hopgiua hai dong xe va nha vuon omien Tay."
    out = restorer.restore([line])[0]
    assert len(out.text.split()) == len(line.split())


def test_one_letter_word_in_a_line_of_capitals_stays_a_capital(restorer):
    out = restorer.restore(["NHÀ VƯỜN Ở MIỀN TÂY CÓ NHIỀU CÂY ĂN QUẢ"])
    assert out[0].text == "NHÀ VƯỜN Ở MIỀN TÂY CÓ NHIỀU CÂY ĂN QUẢ"


def test_pipeline_json_records_the_split(tmp_path):
    pipe = Pipeline(Options(lexicon=LexiconOptions(enabled=False)))
    res = pipe.correct_text(CONTEXT + "\nnhiều người ởmiền núi")
    assert res.text.endswith("nhiều người ở miền núi")
    assert any(c.before == "ởmiền" and c.after == "ở miền" for c in res.changes)


ENG_OCR = [  # an English-model OCR's reading: marks lost or printed as é, debris inside words
    "Nguéi dan dang séng tai Ha N6i va thanh phé H6 Chi Minh dé lam viéc, nhiéu",
    "ngudi tir néng thén cing dén day dé tim viéc 1am, quanly va thiétké nha cita",
    "trén diaban cua tinh. Ho gido duc con cdi rat t6t.",
]


@pytest.mark.parametrize(
    ("merged", "split"),
    [
        ("TỈNHPHÚYÊN", "TỈNH PHÚ YÊN"),
        ("BANNHÂNDÂN", "BAN NHÂN DÂN"),
        ("NGHĨAVIỆTNAM", "NGHĨA VIỆT NAM"),
        ("HÀNỘI", "HÀ NỘI"),
        # a photocopy's tight line, in small letters
        ("tỉnhphúyên", "tỉnh phú yên"),
        ("trongkếhoạch", "trong kế hoạch"),
        ("khókhăncơnhỡ", "khó khăn cơ nhỡ"),
    ],
)
def test_a_token_is_cut_into_each_of_its_syllables(restorer, merged, split):
    cuts = restorer.merged.cuts(merged)
    bounds = (0, *cuts, len(merged))
    assert " ".join(merged[a:b] for a, b in itertools.pairwise(bounds)) == split


@pytest.mark.parametrize(
    "core",
    [
        "UBND", "HĐND", "TP",  # abbreviations the corpus knows
        "CTUBND",  # no marks: nothing says a Vietnamese OCR glued it
        "VIỆTNAM",  # written as one word often enough for the LM to know it
        "Hàlộiphú",  # a pair the corpus never saw (`lội phú`)
    ],
)
def test_abbreviations_and_known_words_in_capitals_stay_whole(restorer, core):
    assert restorer.merged.cuts(core) == ()


def test_heading_in_capitals_gets_its_spaces_back_and_keeps_its_abbreviations(restorer):
    lines = ["ỦY BANNHÂNDÂN", "TỈNHPHÚYÊN", "Số: 353-KL/TU", "",
             "UBND tỉnh giao HĐND và các sở, ngành thực hiện kế hoạch trong năm nay."]
    restored = restorer.restore(lines)
    out = [x.text for x in restored]
    assert out[:3] == ["ỦY BAN NHÂN DÂN", "TỈNH PHÚ YÊN", "Số: 353-KL/TU"]
    assert out[4] == lines[4]
    change = next(c for c in restored[1].changes if c.before == "TỈNHPHÚYÊN")
    assert change.after == "TỈNH PHÚ YÊN"


def test_eng_ocr_merged_words_are_split_by_their_letters(restorer):
    assert restorer.merged.split_plain("thiétké") == 5
    assert restorer.merged.split_plain("diaban") == 3
    assert restorer.merged.split_plain("quanly") == 4
    out = [x.text for x in restorer.restore(ENG_OCR)]
    assert "quản lý và thiết kế" in out[1] and "trên địa bàn của tỉnh" in out[2]


def test_eng_ocr_merged_capitals_of_two_syllables_are_split_too(restorer):
    """Too short for the run-on splitter (9 letters or more): a heading's `QUANGNAM`
    is cut by its letters as small merged words are; abbreviations the corpus knows,
    or whose parts are no syllables, stay whole."""
    assert restorer.merged.split_plain("QUANGNAM") == 5
    for code in ("UBND", "HDND", "CTUBND", "COVID"):
        assert restorer.merged.split_plain(code) is None
    # debris of one syllable in capitals reads as one, as in small letters (`GIDO`: giáo)
    gen = restorer.generators["plain"]
    assert not no_single_reading("GIDO", gen) and no_single_reading("QUANGNAM", gen)
    out = [x.text for x in restorer.restore(["UY BAN NHAN DAN", "TINH QUANGNAM", "",
                                             *ENG_OCR])]
    assert out[1] == "TỈNH QUẢNG NAM"


def test_eng_ocr_debris_of_one_syllable_is_not_split(restorer):
    # `gido` splits into two keys (gi, do) but reads as one syllable, giáo
    gen = restorer.generators["plain"]
    assert not no_single_reading("gido", gen)
    assert no_single_reading("thiétké", gen)
    out = [x.text for x in restorer.restore(ENG_OCR)]
    assert "giáo dục" in out[2]


def test_stripped_text_is_never_split_by_letters(restorer):
    # typed without marks, a merged pair is the writer's: left as written
    lines = ["Cong ty da quanly va thietke nha cua tren diaban tinh trong nhieu nam qua,",
             "nguoi dan rat hai long ve chat luong cong trinh va dich vu sau ban hang."]
    out = [x.text for x in restorer.restore(lines)]
    assert len(out[0].split()) == len(lines[0].split())


def test_memoised_cuts_are_the_cuts_of_a_fresh_search(restorer):
    """`merged_cuts` (one text's memo) answers each token form and lead, met again in
    any order and in every kind of text, as `merged_cut` computes it afresh."""
    rng = random.Random(3)
    forms = ["hợpgiữa", "ởmiền", "ĐinhLa", "TỈNHPHÚYÊN", "thiétké", "diaban", "quanly",
             "gido", "QUANGNAM", "UBND", "hopdongmuaban", "phattriénkinhté", "BANNHANDAN",
             "crossover", "tinh", "Việt", "#tìnhyêu"]
    letters = "aăâbcdđeêghiklmnoôơpqrstuưvxyáàạéếờủ6"
    forms += ["".join(rng.choice(letters) for _ in range(rng.randint(2, 14)))
              for _ in range(60)]
    forms += [f.upper() for f in forms[:20]]
    asked = [(rng.choice(forms), rng.choice(["", "(", "#", "@"])) for _ in range(400)]
    for regime, ocr_text in (("accented", False), ("plain", True), ("plain", False)):
        gen = restorer.generators["plain"]
        kwargs = {"regime": regime, "ocr_text": ocr_text, "run_on": restorer.run_on}
        split = merged_cuts(restorer.merged, gen, **kwargs)
        for core, lead in asked:
            assert split(core, lead) == merged_cut(restorer.merged, gen, core, lead,
                                                   **kwargs), (regime, core, lead)


def test_the_restorers_kept_cuts_are_made_afresh_when_a_weight_changes(restorer):
    """The restorer keeps its memo of cuts from one text to the next, and makes a new
    one when the generator's weights change: `gido` (giáo misread) is one syllable's
    debris until the readings are made too dear to explain it (a merged pair then)."""
    gen = restorer.generators["plain"]
    split = restorer._merged_cuts("plain", gen, "plain", True)
    assert restorer._merged_cuts("plain", gen, "plain", True) is split
    assert split("gido", "") == ()
    names = ("keep_plain", "keep_accented", "strip", "add_marks", "change_marks", "fuzzy",
             "table", "char_bias")
    kept = {name: restorer.params["plain"][name] for name in names}
    try:
        for name in names:
            restorer.set_param("plain", name, kept[name] - 30.0)
        dearer = restorer._merged_cuts("plain", gen, "plain", True)
        assert dearer("gido", "") == merged_cut(restorer.merged, gen, "gido", "",
                                                regime="plain", ocr_text=True,
                                                run_on=restorer.run_on) == (2,)
    finally:
        for name in names:
            restorer.set_param("plain", name, kept[name])
    assert restorer._merged_cuts("plain", gen, "plain", True)("gido", "") == ()
