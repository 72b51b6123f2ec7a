"""The `tune_mixed` page set, which eng-OCR decoding weights are tuned on, prints only
text of the tuning half of the corpus test split: no dev set reads it, no model trains on
it."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from vnocr.data.corpus import in_tuning_half, split_of
from vnocr.data.pages import DEV_SOURCES, PAGE_SETS, SET_LANGS, plan_pages


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch) -> dict[str, list[str]]:
    """A small corpus of the dev sources whose every word names its paragraph, so a
    printed line tells which paragraph it came from."""
    paragraphs = {}
    for s, source in enumerate(DEV_SOURCES):
        paras = [" ".join(f"w{s}x{i}y{j}" for j in range(25)) + "." for i in range(4000)]
        with gzip.open(tmp_path / f"{source}.txt.gz", "wt", encoding="utf-8") as f:
            f.write("\n".join(paras) + "\n")
        paragraphs[source] = paras
    monkeypatch.setenv("VNOCR_CORPUS", str(tmp_path))
    return paragraphs


def test_tune_mixed_reads_the_tuning_half_of_the_test_split_only(corpus):
    assert PAGE_SETS["tune_mixed"][0] == "test"
    by_word = {p.split()[0]: p for paras in corpus.values() for p in paras}
    jobs = plan_pages("tune_mixed", 3)
    assert jobs
    drawn = set()
    for job in jobs:
        assert job.langs == SET_LANGS["tune_mixed"]
        for line in job.lines:
            para = by_word[line.split()[0].split("y")[0] + "y0"]
            assert line in para
            drawn.add(para)
    assert drawn and all(in_tuning_half(p) and split_of(p) == "test" for p in drawn)
    # the test split's other half is there to be drawn, and is not
    other = [p for paras in corpus.values() for p in paras
             if split_of(p) == "test" and not in_tuning_half(p)]
    assert other
