"""Tesseract replaced by a page of known words and confidences, so a test decides which
word the OCR doubted: everything else (loading, preprocessing, layout, correction) is
the real pipeline. Tesseract's own binary is still asked whether it is installed."""

from __future__ import annotations

import pytesseract
import pytest

_HEADER = ("level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight"
           "\tconf\ttext")


def tsv(lines: list[list[tuple[str, float]]]) -> str:
    """Tesseract's TSV for one paragraph of `lines` of (word, confidence 0..100)."""
    rows = [_HEADER]
    for n, words in enumerate(lines, 1):
        for k, (word, conf) in enumerate(words, 1):
            left, top = 100 + 60 * k, 100 + 50 * n
            rows.append(f"5\t1\t1\t1\t{n}\t{k}\t{left}\t{top}\t50\t30\t{conf}\t{word}")
    return "\n".join(rows) + "\n"


def fake_tesseract(monkeypatch: pytest.MonkeyPatch,
                   lines: list[list[tuple[str, float]]]) -> None:
    """Every page read in this test reads as `lines`."""
    page = tsv(lines)
    monkeypatch.setattr(pytesseract, "image_to_data", lambda *a, **k: page)


def read_as(line: str, doubted: dict[str, float] | None = None,
            conf: float = 96.0) -> list[tuple[str, float]]:
    """The words of `line`, each read at confidence `conf` (0..100) except those in
    `doubted`, read at theirs."""
    doubted = doubted or {}
    return [(w, doubted.get(w, conf)) for w in line.split()]
