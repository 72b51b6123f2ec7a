"""A token's searched candidates are memoised by what the search depends on: the same
ids and channel scores whatever trails the word, and forgotten with the params."""

from __future__ import annotations

import numpy as np
import pytest


@pytest.mark.parametrize(("core", "trails"), [("nhitng", ("", ",", ".")),
                                              ("chét", ("", ";", ")")),
                                              ("d3", ("", ",", "..."))])
def test_a_word_met_with_other_trails_gets_the_candidates_of_a_fresh_search(
        restorer, core, trails):
    gen = restorer.generators["plain"]  # eng-OCR's channel
    gen.forget()
    found = [gen.for_token(core, trail, False) for trail in trails]
    gen.forget()
    for trail, cands in zip(trails, found):
        fresh = gen._token_candidates(core, trail, False)
        assert np.array_equal(cands.ids, fresh.ids)
        assert np.array_equal(cands.lm_ids, fresh.lm_ids)
        assert np.array_equal(cands.channel, fresh.channel)
    assert len(gen._searched) == 1  # the search ran once for all trails


def test_forget_drops_the_searches_too(restorer):
    gen = restorer.generators["plain"]
    gen.for_token("nhitng", "", False)
    assert gen._searched
    gen.forget()
    assert not gen._searched and not gen._cache


def test_the_other_readings_margin_says_how_much_likelier_the_marked_reading_is(restorer):
    from vnocr.restore.regime import marked_reading_margin

    tok, log_freq = restorer.tok, restorer.regimes._log_freq
    assert marked_reading_margin(tok, log_freq, "tong") > 3.0  # tổng, tông
    assert marked_reading_margin(tok, log_freq, "trong") < 0.0  # the word itself
    assert marked_reading_margin(tok, log_freq, "xyzq") is None  # no reading at all


def test_a_small_unmarked_syllable_whose_marks_seem_lost_is_searched_in_accented_text(
        restorer):
    """vie-OCR drops a letter from a real word and leaves another real word (`tong` for
    trong); in accented text the unmarked form, far rarer than its marked readings, is
    searched for near words even without the OCR's doubt (text handed to `correct`)."""
    gen = restorer.generators["accented"]
    found = gen.for_token("tong", "", True)
    assert restorer.tok.out_index["trong"] in found.ids.tolist()
    line = "Anh ấy luôn giữ vững niềm tin tong việc sẻ chia cho cộng đồng và xã hội."
    assert "niềm tin trong việc" in restorer.restore([line])[0].text


def test_an_unmarked_word_written_so_on_purpose_stays(restorer):
    """`noi theo` (follow an example) is right as written: searching `noi` for near
    words must not turn it into the likelier nơi."""
    line = "nữ hoàng Kim Chi như một biểu tượng để phụ nữ hiện đại ngày nay noi theo."
    assert restorer.restore([line])[0].text == line


@pytest.mark.parametrize("regime", ["plain", "accented", "eng_ocr"])
def test_no_candidate_of_a_plain_token_scores_above_the_ceiling(restorer, regime):
    """`plain_channel_ceiling` bounds every candidate but COPY of any form, read as
    plain text with no trail (run_on.py prunes its search with it): eng-OCR debris,
    digits for letters, capitals, real syllables and their keys."""
    import random

    from vnocr.restore.network import COPY

    gen = restorer.generators[regime]
    ceiling = gen.plain_channel_ceiling()
    rng = random.Random(7)
    letters = "aăâeêioôơuưyđbcdghklmnpqrstvxéóàíú0146&|'"
    forms = ["và", "ngudi", "nhitng", "6", "14", "BQ", "KH6NG", "chét", "tong", "1ap"]
    forms += ["".join(rng.choice(letters) for _ in range(rng.randint(1, 7)))
              for _ in range(400)]
    forms += [f.upper() for f in forms[:60]]
    top = -np.inf
    for form in forms:
        found = gen.for_token(form, "", False)
        scores = found.channel[found.ids != COPY]
        if len(scores):
            top = max(top, scores.max())
            assert scores.max() <= gen.plain_channel_ceiling(form) <= ceiling, form
    assert top <= ceiling
    if regime == "plain":  # where run_on.py uses it, it is near what forms reach
        assert top > ceiling - 1.0
        # and a form with only fuzzy readings has a lower one of its own
        assert gen.plain_channel_ceiling("ngu") == ceiling
        assert any(gen.plain_channel_ceiling(form) < ceiling for form in forms)


def test_fuzzy_scores_are_each_syllables_best_over_every_query_and_key(restorer):
    """Each key scored once at its best distance gives the floats, and the order, of
    scoring every syllable of every key of every query and keeping each one's best."""
    import random

    from rapidfuzz.distance import Levenshtein

    gen = restorer.generators["plain"]
    p, vocab = gen.p, gen.tok.vocab
    rng = random.Random(2)
    letters = "abcdeghiklmnopqrstuvxy0146"
    for _ in range(300):
        written = "".join(rng.choice(letters) for _ in range(rng.randint(1, 7)))
        queries = list(dict.fromkeys(
            [written, written.translate(str.maketrans("0146", "oola")), written[:-1] or "a"]))
        wide = rng.random() < 0.3
        pairs = [(i, p["fuzzy"] * d + p["fuzzy_marks"] * Levenshtein.distance(written, vocab[i])
                  + gen._freq_scores[i])
                 for q in queries for k, d in gen.fuzzy_keys(q, wide) for i in gen.tok.by_key[k]]
        expected: dict[int, float] = {}
        for i, score in pairs:
            expected[i] = max(score, expected.get(i, score))
        assert list(gen._fuzzy_scores(queries, written, wide).items()) == list(expected.items())


def test_the_fuzzy_key_search_finds_what_a_scan_of_every_key_finds(restorer):
    """The deletion index only narrows the keys the edit distance is computed for: the
    same keys, distances and order as `process.extract` over every key."""
    import random

    from rapidfuzz import process
    from rapidfuzz.distance import Levenshtein

    gen = restorer.generators["plain"]
    rng = random.Random(4)
    letters = "abcdeghiklmnopqrstuvxy0146"
    queries = ["a", "ba", "nhung", "nguoi", "ngudi", "tren", "khong", "dat", "cem"]
    queries += ["".join(rng.choice(letters) for _ in range(rng.randint(1, 9)))
                for _ in range(1500)]
    for query in queries:
        for wide in (False, True):
            limit = 1 if len(query) <= 3 else 2
            scan = process.extract(query, gen.keys, scorer=Levenshtein.distance,
                                   score_cutoff=limit,
                                   limit=gen.WIDE_NEAR_KEYS if wide else gen.NEAR_KEYS)
            assert gen._fuzzy_keys(query, wide) == tuple((k, int(d)) for k, d, _ in scan)


def test_eng_ocr_text_offers_the_syllables_a_spelled_form_is_a_likely_print_of(restorer):
    """`Sip` spells a syllable (síp), yet eng-OCR prints sắp so: in text known to be OCR
    output the syllables of other keys that likely print as the form are candidates
    too; in stripped text the letters are what was typed."""
    vocab = restorer.tok.vocab

    def readings(regime: str, form: str) -> set[str]:
        found = restorer.generators[regime].for_token(form, "", False)
        return {vocab[i] for i in found.ids.tolist() if i}

    assert "sắp" in readings("eng_ocr", "Sip") and "sắp" not in readings("plain", "Sip")
    assert "sắp" in readings("eng_ocr", "sip") and readings("accented", "sip") <= {"síp", "sip"}
    lines = ["Pang bo thanh phé Son La d3 dat dugc nhiéu két qua quan trong",
             "cong tac Sip xép bd may can bd duoc thuc hién dam bao dung quy dinh"]
    assert "sắp xếp bộ máy" in restorer.restore(lines)[1].text.lower()


def test_a_reverse_print_joins_only_above_its_floor(restorer):
    """A token that spells no syllable has a fuzzy search of its own: only the
    likeliest of the syllables that print as it join (UNSPELLED_PRINT_FLOOR)."""
    import math

    from vnocr.restore.candidates import UNSPELLED_PRINT_FLOOR

    gen, vocab = restorer.generators["eng_ocr"], restorer.tok.vocab
    printed_as = {vocab[i] for i in gen.reverse_prints()["véi"]}
    cands: dict[int, float] = {}
    gen._add_reverse_prints("véi", cands, math.log(0.5))
    assert {vocab[i] for i in cands} == {w for w in printed_as
                                         if gen.char_channel.logp("véi", w) >= math.log(0.5)}
    assert "vối" in {vocab[i] for i in cands} and "với" not in {vocab[i] for i in cands}
    found = {vocab[i] for i in gen.for_token("véi", "", False).ids.tolist() if i}
    assert {w for w in printed_as
            if gen.char_channel.logp("véi", w) >= math.log(UNSPELLED_PRINT_FLOOR)} <= found
