"""The case of a small word: `small_stays` answers without a `Position` for most words,
and must never keep small a word `CaseChooser.case` would capitalise."""

from __future__ import annotations

import random

from vnocr.restore.casing import CASE_BLIND_LETTERS, Position, small_stays
from vnocr.text import key_of


def test_a_small_word_that_small_stays_keeps_is_kept_small_by_the_case_rule(restorer):
    """On random decoded words, input spellings and positions: wherever `small_stays`
    says a small word stays small, `case` (which asks it first) says so too, and every
    word that may become a capital (`viet Nam`: a case-blind initial, mid-sentence or
    under a heading in eng-OCR text) goes on to the rule."""
    casing, vocab = restorer.casing, restorer.tok.vocab
    rng = random.Random(7)
    ids = [i for i in range(1, len(vocab)) if vocab[i][:1].isalpha()]
    blind_ids = [i for i in ids if key_of(vocab[i][0]) in CASE_BLIND_LETTERS]
    for _ in range(5_000):
        out_id = rng.choice(blind_ids if rng.random() < 0.5 else ids)
        word = vocab[out_id]
        core = rng.choice([word, key_of(word), rng.choice("cosvxadt") + key_of(word)[1:]])
        mid, opens, ocr_text = (rng.random() < 0.5 for _ in range(3))
        where = Position(mid=mid, runs_on=rng.random() < 0.2, prev_word=rng.choice(
            [None, "của", "Nam"]), prev_choice=rng.choice([-1, 0, 1]), opens=opens)
        stays = small_stays(core, word, "lower", mid=mid, ocr_text=ocr_text, opens=opens)
        decided = casing.case(core, word, out_id, where, "lower", rng.choice(
            ["plain", "accented"]), ocr_text)
        if stays:
            assert decided == "lower", (core, word, where, ocr_text)
        blind = key_of(word[0]) in CASE_BLIND_LETTERS and key_of(word[0]) == key_of(core[0])
        assert stays == (not ((mid or opens) and ocr_text and blind)), (core, word)


def test_eng_ocr_small_words_mid_sentence_are_raised_only_with_a_case_blind_initial(restorer):
    casing, tok = restorer.casing, restorer.tok
    where = Position(mid=True, runs_on=False, prev_word="tỉnh", prev_choice=1)
    # `viet Nam`: v is case-blind, the corpus writes Việt with a capital
    assert not small_stays("viet", "việt", "lower", mid=True, ocr_text=True)
    assert casing.case("viet", "việt", tok.out_index["việt"], where, "lower", "plain",
                       ocr_text=True) == "title"
    # `ha Noi`: h is not, the small letter is the print's
    assert small_stays("ha", "hà", "lower", mid=True, ocr_text=True)
    assert small_stays("viet", "việt", "lower", mid=True, ocr_text=False)


def test_the_one_title_word_among_heading_syllables_in_capitals():
    from vnocr.restore.casing import title_among_capitals
    from vnocr.text import tokenize

    assert title_among_capitals(tokenize("Uy BAN NHAN DAN:")) == [True, False, False, False]
    # abbreviations are no heading words; two words not in capitals are no slip
    assert not any(title_among_capitals(tokenize("- Luu: VT, KT.")))
    assert not any(title_among_capitals(tokenize("VIET HU'NG (Theo AFP, CNN)")))
    assert not any(title_among_capitals(tokenize("Kính gửi: UBND TỈNH SƠN LA")))


def test_capitals_after_a_size_only_small_letter_are_capitals():
    from vnocr.restore.candidates import output_case

    assert output_case("cHU") == "upper"  # eng-OCR's c for the C of CHỦ
    assert output_case("lỚN") == "lower"  # vie-OCR: marked small vowels read tall
    assert output_case("gIỚI") == "lower"


# eng-OCR text enough to be told from typed text (see regime.looks_like_ocr)
ENG_OCR_CONTEXT = [
    "Trong nhi€ém ky vira qua, mac du chiu nhiéu anh hudng boi tinh hinh dich",
    "bénh Covid-19 dién bién phic tap, cac yéu t6 bat loi vé thoi tiét va tinh hinh kinh",
    "té chung ctia ca nudc. Song voi sy quyét tim cao ciia ca hé thong chinh tri tir thanh",
]


def test_an_eng_ocr_signature_block_is_written_in_capitals(restorer):
    lines = [*ENG_OCR_CONTEXT, "", "Uy BAN NHAN DAN", "TM. UY BAN NHAN DAN", "cHU TICH", "",
             "- Luu: VT, KT."]
    out = [r.text for r in restorer.restore(lines)]
    assert out[4:] == ["ỦY BAN NHÂN DÂN", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "", "- Lưu: VT, KT."]


def test_words_in_title_case_side_by_side_make_a_name_run():
    from vnocr.restore.casing import in_name_runs
    from vnocr.text import tokenize

    # beside another title-case word, nothing but a space between
    assert in_name_runs(tokenize("cửa khẩu quốc gia Nà Cài.")) == [
        False, False, False, False, True, True]
    # alone, or parted by a comma from the next capital, a word is no run
    assert not any(in_name_runs(tokenize("ba vụ án Tạng xảy ra")))
    assert not any(in_name_runs(tokenize("lán Nà, Lừa và hang")))
    assert in_name_runs(tokenize("Ông Lò Văn Giá")) == [True, True, True, True]


def test_a_syllable_in_a_name_run_of_accented_text_keeps_its_letters(restorer):
    # vie-OCR prints V as N (`Nà` for Và), so the OCR's token table offers và for nà; in
    # a name's run the writer's letters stay, alone the misread small word is read
    def restored(line: str) -> str:
        return " ".join(x.text for x in restorer.restore([line]))

    assert restored("cửa khẩu quốc gia Nà Cài và lán Nà Lừa.") == (
        "cửa khẩu quốc gia Nà Cài và lán Nà Lừa.")
    assert restored("giải quyết ba vụ án Tạng xảy ra trên địa bàn") == (
        "giải quyết ba vụ án mạng xảy ra trên địa bàn")
