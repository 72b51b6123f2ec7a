"""Properties of `Pipeline.correct_lines` on generated text: it never fails, keeps every
line, writes NFC, deletes no Vietnamese word, and a second pass barely changes it.

10,000 generated lines per run (20 examples of 500 lines, one call each, so the model's
batching makes it quick); `derandomize` keeps CI runs reproducible.
"""

from __future__ import annotations

import gzip
import random
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vnocr.lexicon.sources import shipped_syllables
from vnocr.text import strip_marks

REPO = Path(__file__).resolve().parents[1]
SYLLABLES = [s for s in shipped_syllables() if len(s) >= 2][:4000]



def _token_pool(n: int = 20_000) -> list[str]:
    """Tokens of every kind the pipeline meets, drawn once (hypothesis then picks from
    them: generating 10,000 lines token by token with regexes took minutes)."""
    rng = random.Random(7)
    marks = [chr(c) for c in range(0x300, 0x370)]
    letters = [chr(c) for c in (*range(0x41, 0x7B), *range(0xC0, 0x250), *range(0x1EA0, 0x1EFA))]
    pool = []
    for k in range(n):
        word = rng.choice(SYLLABLES)
        kind = k % 10
        if kind < 3:
            pool.append(word)                                   # accented Vietnamese
        elif kind < 5:
            pool.append(strip_marks(word))                      # typed without marks
        elif kind == 5:
            pool.append(word.capitalize())
        elif kind == 6:
            n = rng.randint(1, 999)
            pool.append(rng.choice([f"{n}", f"{n}.{rng.randint(0, 999):03d}",
                                    f"{n}/QĐ-UBND", f"{n},5%", f"{n}ha"]))
        elif kind == 7:
            pool.append(rng.choice(",.;:-()…%&!?\"'"))
        else:                                                   # debris: any letters, marks
            pool.append("".join(rng.choice(letters + marks) for _ in range(rng.randint(1, 6))))
    return pool


token = st.sampled_from(_token_pool())
line = st.lists(token, max_size=14).map(" ".join)


@pytest.fixture(scope="module")
def pipeline():
    from vnocr import Pipeline

    return Pipeline()


@settings(max_examples=20, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(line, min_size=500, max_size=500))
def test_correct_lines_keeps_lines_words_and_nfc(pipeline, lines):
    lines = [unicodedata.normalize("NFC", x).replace("\n", " ").replace("\r", " ")
             for x in lines]
    result = pipeline.correct_lines(lines)
    out = result.lines
    assert len(out) == len(lines)
    for before, after in zip(lines, out):
        assert unicodedata.is_normalized("NFC", after), ascii(after)
        words = [t for t in before.split() if t.lower() in _SYLLABLE_SET]
        assert len(after.split()) >= len(words), (before, after)


_SYLLABLE_SET = frozenset(SYLLABLES)


def test_a_second_pass_over_correct_text_changes_almost_nothing(pipeline):
    """Real sentences (the truth of the stripped dev set, 600 lines): the first pass
    changes at most 0.1 % of their tokens, the second pass at most 0.1 % of the first's."""
    with gzip.open(REPO / "samples" / "dev" / "strip.tsv.gz", "rt", encoding="utf-8") as f:
        truths = [row.split("\t")[1] for row in f.read().split("\n")[:600] if "\t" in row]
    first = pipeline.correct_lines(truths).lines
    second = pipeline.correct_lines(first).lines

    def changed(a: list[str], b: list[str]) -> float:
        pairs = [(x, y) for la, lb in zip(a, b) for x, y in zip(la.split(), lb.split())]
        return sum(x != y for x, y in pairs) / len(pairs)

    assert changed(truths, first) <= 0.001
    assert changed(first, second) <= 0.001
