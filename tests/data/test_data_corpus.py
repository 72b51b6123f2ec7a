"""Corpus reader: splits are disjoint and stable, lines are NFC, old tone style, short."""

from __future__ import annotations

import gzip
import hashlib
import unicodedata
from pathlib import Path

import pytest

from vnocr.data.corpus import (
    WeightedSampler,
    iter_lines,
    split_lines,
    split_of,
)
from vnocr.errors import BadOptionsError, InputError


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    """A small corpus with paragraphs in every split, including new-style tones and NFD."""
    paras = [
        f"Đoạn văn số {i} nói về hoà bình và thuỷ lợi. Câu thứ hai của đoạn {i}."
        for i in range(600)
    ]
    paras.append(unicodedata.normalize("NFD", "Văn bản viết kiểu NFD có dấu hỏi ngã."))
    with gzip.open(tmp_path / "admin_docs.txt.gz", "wt", encoding="utf-8") as f:
        f.write("\n".join(paras) + "\n\n")
    with gzip.open(tmp_path / "legal_codes_vlc.txt.gz", "wt", encoding="utf-8") as f:
        f.write("\n".join(f"Điều {i}. Luật số {i} quy định về khỏe mạnh." for i in range(300)))
    return tmp_path


def test_split_rule_is_md5_mod_100():
    for p in ["a", "Điều 1.", "xyz" * 10]:
        h = int(hashlib.md5(p.encode()).hexdigest(), 16) % 100
        assert split_of(p) == {0: "dev", 1: "test"}.get(h, "train")


def test_splits_are_disjoint_and_cover_everything(corpus: Path):
    seen = {s: {line for _, line in iter_lines(s, root=corpus)} for s in ("train", "dev", "test")}
    assert seen["dev"] and seen["test"] and seen["train"]
    assert not seen["dev"] & seen["train"]
    assert not seen["test"] & seen["train"]
    assert not seen["dev"] & seen["test"]
    # Roughly 1 % each, as the rule says (600 + 300 paragraphs).
    n_train = sum(1 for _ in iter_lines("train", root=corpus))
    assert sum(1 for _ in iter_lines("dev", root=corpus)) < n_train / 20


def test_lines_are_nfc_and_old_tone_style(corpus: Path):
    lines = [line for _, line in iter_lines("train", ["admin_docs"], root=corpus)]
    assert all(unicodedata.is_normalized("NFC", x) for x in lines)
    text = " ".join(lines)
    assert "hòa bình" in text and "thủy lợi" in text
    assert "hoà" not in text and "thuỷ" not in text


def test_sources_are_checked(corpus: Path):
    with pytest.raises(BadOptionsError):
        list(iter_lines("train", ["no_such_source"], root=corpus))
    with pytest.raises(BadOptionsError):
        list(iter_lines("validation", root=corpus))
    with pytest.raises(InputError):
        list(iter_lines("train", ["wiki_vi_2017"], root=corpus))


def test_split_lines_sentence_then_clause_then_hard():
    para = "Ông A nói: “Xong.” Bà B đồng ý. Một hai ba bốn, " + "một hai ba bốn, " * 24 + "hết."
    lines = split_lines(para, max_syllables=40)
    assert lines[0] == "Ông A nói: “Xong.”"
    assert lines[1] == "Bà B đồng ý."
    assert all(len(x.split()) <= 40 for x in lines)
    assert all(x.endswith((",", ".")) for x in lines[2:])  # cut at commas
    assert " ".join(lines).split() == para.split()
    long = " ".join(["chữ"] * 95)
    assert [len(x.split()) for x in split_lines(long, 40)] == [40, 40, 15]
    # A lowercase word after a full stop (an abbreviation) does not end the sentence.
    assert split_lines("Theo TS. nguyễn văn A thì đúng.") == ["Theo TS. nguyễn văn A thì đúng."]


def test_weighted_sampler_is_seeded_and_oversamples_by_weight(corpus: Path):
    a = WeightedSampler("train", root=corpus, seed=3)
    b = WeightedSampler("train", root=corpus, seed=3)
    draws = [a.sample() for _ in range(400)]
    assert draws == [b.sample() for _ in range(400)]
    n_admin = sum(s == "admin_docs" for s, _ in draws)
    # admin has ~2.4× legal's lines here and 7.5× its weight: almost every draw is admin.
    assert n_admin > 0.9 * len(draws)
    c = WeightedSampler("train", root=corpus, seed=3, weights={"admin_docs": 0.0})
    assert {c.sample()[0] for _ in range(50)} == {"legal_codes_vlc"}
