"""Metrics of DESIGN §6: CER and SER after NFC and tone-placement folding.

Each metric returns `(rate, n)` — errors over truth length and the truth length — so
corpus totals can be weighted (dinglehopper's habit). An empty truth gives `inf`
when there is any prediction, 0.0 otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from pipeline.text import normalize_text_tones

_WS = re.compile(r"\s+")
_WORD = re.compile(r"\w+")


def fold(text: str) -> str:
    """NFC + one tone convention, so hoá and hóa score the same."""
    return normalize_text_tones(text, "old")


def _rate(errors: int, n: int) -> float:
    if n == 0:
        return 0.0 if errors == 0 else float("inf")
    return errors / n


def char_errors(pred: str, gold: str) -> tuple[int, int]:
    """Character edit distance with whitespace folded to single spaces."""
    p = _WS.sub(" ", fold(pred)).strip()
    g = _WS.sub(" ", fold(gold)).strip()
    return Levenshtein.distance(p, g), len(g)


def syllable_tokens(text: str, *, ignore_case: bool = False) -> list[str]:
    words = _WORD.findall(fold(text))
    return [w.lower() for w in words] if ignore_case else words


def syllable_errors(pred: str, gold: str, *, ignore_case: bool = False) -> tuple[int, int]:
    """Edit distance over word tokens (`\\w+`), punctuation ignored."""
    p = syllable_tokens(pred, ignore_case=ignore_case)
    g = syllable_tokens(gold, ignore_case=ignore_case)
    return Levenshtein.distance(p, g), len(g)


def cer(pred: str, gold: str) -> tuple[float, int]:
    e, n = char_errors(pred, gold)
    return _rate(e, n), n


def ser(pred: str, gold: str, *, ignore_case: bool = False) -> tuple[float, int]:
    e, n = syllable_errors(pred, gold, ignore_case=ignore_case)
    return _rate(e, n), n


@dataclass
class Scores:
    """Running totals over many (pred, gold) pairs."""

    char_err: int = 0
    chars: int = 0
    syl_err: int = 0
    syl_err_nocase: int = 0
    syllables: int = 0

    def add(self, pred: str, gold: str) -> None:
        e, n = char_errors(pred, gold)
        self.char_err += e
        self.chars += n
        e, n = syllable_errors(pred, gold)
        self.syl_err += e
        self.syllables += n
        self.syl_err_nocase += syllable_errors(pred, gold, ignore_case=True)[0]

    @property
    def cer(self) -> float:
        return _rate(self.char_err, self.chars)

    @property
    def ser(self) -> float:
        return _rate(self.syl_err, self.syllables)

    @property
    def ser_nocase(self) -> float:
        return _rate(self.syl_err_nocase, self.syllables)

    def as_dict(self) -> dict[str, float | int]:
        return {
            "cer": self.cer,
            "ser": self.ser,
            "ser_nocase": self.ser_nocase,
            "chars": self.chars,
            "syllables": self.syllables,
        }
