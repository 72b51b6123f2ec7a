"""Tesseract's English model reading Vietnamese prints a misread word as another
syllable (`dai` for đời, `long` for lương, `théi` for thỏi): where it gave word
confidences and doubted enough of the page, a word it doubted is searched for other
letters too, more widely than other words; its capitals stay as printed."""

from __future__ import annotations

import pytest

from vnocr import Pipeline
from vnocr.restore.casing import Position
from vnocr.text import tokenize

# eng-OCR lines of the eng dev set with their Tesseract word confidences (rounded)
LINES = [
    ("Ca xa hdi phai dau tranh gay gat dé loai bé bao luc ra khdi dai séng, néu ctr",
     [0.94, 0.87, 0.51, 0.9, 0.9, 0.91, 0.97, 0.79, 0.92, 0.89, 0.89, 0.96, 0.64, 0.76,
      0.76, 0.68, 0.69, 0.93, 0.6]),
    ("1.000 du khich lén néi ngim mat trdi mgc.",
     [0.94, 0.93, 0.11, 0.6, 0.79, 0.73, 0.65, 0.48, 0.81]),
    ("diéu hanh trung ong cia c4n bé lanh dao Dang, Nha nuc, su ting h6 cia nhan dan\", tan",
     [0.9, 0.92, 0.93, 0.1, 0.55, 0.22, 0.16, 0.81, 0.96, 0.96, 0.93, 0.64, 0.71, 0.83,
      0.4, 0.79, 0.71, 0.85, 0.67]),
    ("Khiéu nai hang hai vé tién long, chi phi hoi huong, chi phi dong gop bao",
     [0.92, 0.96, 0.96, 0.9, 0.91, 0.93, 0.02, 0.96, 0.94, 0.93, 0.87, 0.96, 0.96, 0.66,
      0.89, 0.96]),
    ("N6i bat, cy’c tay, cy’c hot, gid thanh vira phai, nhifng théi son nay da nhanh",
     [0.53, 0.93, 0.41, 0.7, 0.19, 0.96, 0.37, 0.92, 0.83, 0.91, 0.09, 0.42, 0.96, 0.94,
      0.47, 0.9]),
]
# the doubted words each line gets right only with the confidences (without them: đại,
# khích, ông, long); `théi son` (thỏi son) the channel's likeliest prints give either way
# (see candidates._add_reverse_prints)
FIXED = [["đời"], ["khách"], ["ương"], ["lương,"], []]
EITHER_WAY = [[], [], [], [], ["thỏi", "son"]]


@pytest.fixture(scope="module")
def pipeline(restorer) -> Pipeline:
    return Pipeline()


def test_doubted_syllables_of_an_eng_ocr_page_are_read_as_other_words(pipeline):
    lines, confidences = zip(*LINES)
    with_doubts = pipeline.correct_lines(list(lines), list(confidences)).text.split("\n")
    without = pipeline.correct_lines(list(lines), None).text.split("\n")
    for line, plain, words, either in zip(with_doubts, without, FIXED, EITHER_WAY):
        for word in words:
            assert word in line.split(), line
            assert word not in plain.split(), plain
        for word in either:
            assert word in line.split() and word in plain.split(), (line, plain)


def test_an_eng_ocr_page_with_many_doubts_is_damaged_and_typed_plain_text_is_not(restorer):
    lines, confidences = zip(*LINES)
    toks = [tokenize(line) for line in lines]
    facts = restorer.facts(list(lines), toks, list(confidences))
    assert facts.eng_ocr and facts.damaged
    sure = [[0.96] * len(c) for c in confidences]
    assert not restorer.facts(list(lines), toks, sure).damaged
    typed = ["Ca xa hoi phai dau tranh de loai bo bao luc ra khoi doi song."]
    typed_facts = restorer.facts(typed, [tokenize(typed[0])], [[0.2] * 13])
    assert not typed_facts.eng_ocr and not typed_facts.damaged


@pytest.mark.parametrize(("core", "meant"), [("dat", "đợt"), ("dai", "đời"),
                                             ("cém", "cám"), ("long", "lương")])
def test_a_doubted_word_of_plain_text_is_searched_wider(restorer, core, meant):
    gen = restorer.generators["plain"]
    vocab = gen.tok.vocab
    doubted = {vocab[i] for i in gen.for_token(core, "", False, True).ids.tolist() if i}
    assert meant in doubted
    # a word the OCR was sure of keeps the narrow search: its candidates are fewer
    sure = gen.for_token(core, "", False, False).ids
    assert len(sure) < len(doubted)


def test_eng_ocr_keeps_the_capital_of_a_word_it_doubted(restorer):
    """eng-OCR reads capitals reliably and doubts marks: a doubted `Sở` mid-sentence
    after a small word stays a capital (vie-OCR's doubted capital is often a misread)."""
    casing, tok = restorer.casing, restorer.tok
    out_id = tok.out_index["sở"]
    where = Position(mid=True, runs_on=False, prev_word="của", prev_choice=1,
                     doubted=True, damaged=True)
    assert casing.case("Sé", "sở", out_id, where, "title", "plain", ocr_text=True) == "title"
