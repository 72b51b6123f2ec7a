"""Run-on words: eng-OCR lines read without their spaces are cut into syllables."""

from __future__ import annotations

import itertools

import pytest


def _parts(restorer, core: str) -> list[str]:
    cuts = restorer.run_on.cuts(core, restorer.generators["plain"])
    bounds = (0, *cuts, len(core)) if cuts else ()
    return [core[a:b] for a, b in itertools.pairwise(bounds)]


@pytest.mark.parametrize(
    ("core", "parts"),
    [
        ("hopdongmuaban", ["hop", "dong", "mua", "ban"]),
        ("phattriénkinhté", ["phat", "trién", "kinh", "té"]),  # eng-OCR's é for ê
        ("nhandanthanhph6", ["nhan", "dan", "thanh", "ph6"]),  # ... and 6 for ô
        ("BANNHANDAN", ["BAN", "NHAN", "DAN"]),  # a heading's bold capitals
        ("buéisang", ["buéi", "sang"]),  # eight letters: two syllables, one misread
        # words glued at their capitals: a capital after a small letter opens a part
        # (without WORD_START_COST the cut is Nguyen|Va|nAn)
        ("NguyenVanAn", ["Nguyen", "Van", "An"]),
        ("TrungQuéc", ["Trung", "Quéc"]),
        # ... unless it is the OCR's capital for a marked vowel (U for ủ): every cut
        # holds it, and the run is still cut
        ("dUnghiavu", ["dU", "nghia", "vu"]),
        # a number, or a number and a code, glued after the run stays one part
        ("xoancucdai400Nm", ["xoan", "cuc", "dai", "400Nm"]),
        ("tiétchocachocphan2TC", ["tiét", "cho", "cac", "hoc", "phan", "2TC"]),
        ("théngsautétSang6", ["théng", "sau", "tét", "Sang", "6"]),
    ],
)
def test_a_run_of_syllables_is_cut(restorer, core, parts):
    assert _parts(restorer, core) == parts


@pytest.mark.parametrize(
    "core",
    [
        "crossover",  # a word the language model knows
        "bancassurance",  # no string of syllables reads it well
        "Mercedesbenz",  # a capital: a name
        "Haleakala",  # a name in title case, though its parts would read as syllables
        "VinaPhone",  # glued at a capital, but a word the language model knows
        "MICROSOFTWORD",  # capitals that no string of syllables reads
        "hopdong",  # short: merged.py's two syllables
        "nghiéng",  # seven letters can be one syllable
        "password",  # eight letters whose parts read badly
        "so1234567890",  # an amount or a code
        "bancassurance2",  # a number after letters that are no run
        "Windows10",  # ... or fewer than eight letters
    ],
)
def test_words_that_are_no_run_stay_whole(restorer, core):
    assert _parts(restorer, core) == []


def test_a_run_on_line_of_eng_ocr_is_restored_word_by_word():
    from vnocr import Pipeline

    lines = [
        "Theo ké hoach, Uy ban nhan dan tinh sé trién khai cac du an trong nam nay,",
        "trong d6 c6 viéc x4y dung duong giao théng néi cac huyén mién nui.",
        "Cac don vi can phéi hop chat ché dé dam bao tién d6 va chatluongcongtrinh.",
    ]
    text = Pipeline().correct_lines(lines).text
    assert "chất lượng công trình." in text


def test_a_token_longer_than_a_line_is_not_searched(restorer):
    assert _parts(restorer, "hopdongmuaban" * 10) == []


def _exhaustive_cut(n, part_score):
    """Every start of every end tried, left to right (what `_best_cut` must equal): the
    best score and the bounds of its parts."""
    import math

    from vnocr.restore.run_on import MAX_PART

    best, back = [-math.inf] * (n + 1), [0] * (n + 1)
    best[0] = 0.0
    for end in range(1, n + 1):
        for start in range(max(0, end - MAX_PART), end):
            if best[start] == -math.inf:
                continue
            score = best[start] + part_score(start, end)
            if score > best[end]:
                best[end], back[end] = score, start
    bounds = [n]
    while bounds[-1] > 0:
        bounds.append(back[bounds[-1]])
    return best[n], bounds[::-1]


@pytest.mark.parametrize("seed", range(40))
def test_the_pruned_cut_search_finds_the_exhaustive_one(seed):
    """Branch and bound gives the score and the parts of the exhaustive scan, ties and
    unreadable parts (-inf) included, whether the ceiling is tight or loose, one for
    every part or each part's own, or no bound at all."""
    import math
    import random

    from vnocr.restore.run_on import _best_cut

    rng = random.Random(seed)
    n = rng.randint(1, 40)
    # few distinct values, so that ties are common
    values = [-math.inf, -1.75, -2.5, -2.25, -3.0, -4.5, -9.0]
    scores = {(a, b): rng.choice(values) for b in range(n + 1) for a in range(b)}
    asked = []

    def part_score(a, b):
        asked.append((a, b))
        return scores[a, b]

    expected = _exhaustive_cut(n, lambda a, b: scores[a, b])
    # each part's own ceiling: its score (tight), or a little above it, often tying
    own = {part: score + rng.choice([0.0, 0.0, 0.25, 1.0]) for part, score in scores.items()}
    ceilings = [lambda a, b, c=c: c for c in (-1.75, -1.0, 0.0)]
    ceilings += [lambda a, b: own[a, b], lambda a, b: scores[a, b], lambda a, b: math.inf]
    for ceiling in ceilings:
        asked.clear()
        assert _best_cut(n, part_score, ceiling) == expected
        assert len(asked) == len(set(asked))  # each part searched once at most
