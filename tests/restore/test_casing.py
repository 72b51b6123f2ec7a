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
