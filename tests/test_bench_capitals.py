"""scripts/bench_capitals.py's headings sets: headings stand where real ones do, after a
sentence's end, and every line is scored in its role around them."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"


@pytest.fixture
def bench(monkeypatch):
    monkeypatch.syspath_prepend(str(SCRIPTS))
    return importlib.import_module("bench_capitals")


@pytest.mark.parametrize("name", ["strip_headings", "eng_headings"])
def test_headings_follow_sentence_ends_with_their_neighbours_marked(bench, name):
    rows, confidences = bench.heading_rows(name, 40)
    assert len(rows) == len(confidences)
    roles = [source.rsplit(":", 1)[1] for _, _, source in rows]
    assert set(roles) == set(bench.ROLES)
    for i, role in enumerate(roles):
        if role == "heading":
            assert confidences[i] is None
            assert roles[i - 1] == "before" and bench._SENTENCE_END.search(rows[i - 1][1])
            assert i + 1 == len(roles) or roles[i + 1] == "after"


def test_a_heading_input_is_its_truth_without_marks_in_stripped_text(bench):
    rows, _ = bench.heading_rows("strip_headings", 40)
    headings = [(noisy, truth) for noisy, truth, source in rows if source.endswith(":heading")]
    assert headings and all(noisy == bench.strip_marks(truth) for noisy, truth in headings)
