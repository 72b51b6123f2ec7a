"""Quality floors near today's level on small, fixed slices of the committed dev sets.

Outputs are deterministic, so the only noise is an intended change that moves a few
syllables: a floor allows 1.3 × today's syllable errors, and at least 3 errors more
than today (`allowed`). A real drop fails: greedy decoding (beam 1) gives 2.8 × today's
errors on stripped legal text, the n-gram LM at a tenth of its weight 1.4-1.8 ×
(`scripts/mutation_check.py`). The full benchmark stays in `scripts/benchmark.py`.

TODAY was measured with `.venv/bin/python tests/test_quality_floors.py` (prints each
slice's errors and syllables); after an intended quality change, rerun it and update
TODAY in the same commit.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable

import pytest

from vnocr import Pipeline
from vnocr.data.devsets import DevLine, load_confidences, load_devset, partially_typed_rows
from vnocr.evaluate import Scores
from vnocr.options import DEFAULT_MODEL_DIR

DOC_LINES = 40  # dev lines per document, as the benchmark and the golden runs cut them

# slice → (syllable errors, syllables) today
TODAY = {
    "clean legal+news passes through": (3, 3800),
    "stripped legal, line by line": (17, 3325),
    "stripped news, line by line": (60, 2500),
    "eng-OCR documents": (161, 2845),
    "vie-OCR photocopies + confidences": (66, 5503),
    "vie-OCR mixed pages + confidences": (140, 5579),
    "vie-OCR clean pages + confidences": (12, 5475),
    "wiki typed with some marks": (36, 3411),
}


def allowed(errors: int) -> int:
    return max(math.floor(1.3 * errors), errors + 3)


def _rows(name: str, source: str | None, n: int) -> list[DevLine]:
    return load_devset(name, sources=None if source is None else [source])[:n]


def _restorer():
    from vnocr.restore import load_restorer

    return load_restorer(DEFAULT_MODEL_DIR)


def clean_passes_through() -> Scores:
    """Correctly accented text, one 160-line document: the restorer should keep it."""
    truths = [r.truth for r in _rows("strip", "legal_codes_vlc", 80)]
    truths += [r.truth for r in _rows("strip", "news_dantri_2021", 80)]
    s = Scores()
    for truth, res in zip(truths, _restorer().restore(truths)):
        s.add(res.text, truth)
    return s


def _line_by_line(source: str, n: int) -> Scores:
    restorer, s = _restorer(), Scores()
    for noisy, truth, _ in _rows("strip", source, n):
        s.add(restorer.restore([noisy])[0].text, truth)
    return s


def _documents(rows: list[DevLine], confidences: list | None = None) -> Scores:
    """The whole pipeline (restorer and dictionary) on 40-line documents."""
    pipeline, s = Pipeline(), Scores()
    for k in range(0, len(rows), DOC_LINES):
        doc = rows[k : k + DOC_LINES]
        confs = confidences[k : k + DOC_LINES] if confidences is not None else None
        out = pipeline.correct_lines([r.noisy for r in doc], confs).text.split("\n")
        for pred, row in zip(out, doc):
            s.add(pred, row.truth)
    return s


def _ocr_documents(name: str, n: int = 400) -> Scores:
    return _documents(load_devset(name)[:n], load_confidences(name)[:n])


SLICES: dict[str, Callable[[], Scores]] = {
    "clean legal+news passes through": clean_passes_through,
    "stripped legal, line by line": lambda: _line_by_line("legal_codes_vlc", 150),
    "stripped news, line by line": lambda: _line_by_line("news_dantri_2021", 100),
    "eng-OCR documents": lambda: _documents(load_devset("eng")[:200]),
    "vie-OCR photocopies + confidences": lambda: _ocr_documents("vie_photo"),
    "vie-OCR mixed pages + confidences": lambda: _ocr_documents("vie_mixed"),
    "vie-OCR clean pages + confidences": lambda: _ocr_documents("vie_clean"),
    "wiki typed with some marks": lambda: _documents(
        partially_typed_rows(_rows("strip", "wiki_vi_2017", 200))),
}


@functools.cache
def measured(name: str) -> Scores:
    return SLICES[name]()


@pytest.mark.parametrize("name", list(TODAY))
def test_quality_stays_near_todays_level(name):
    errors, syllables = TODAY[name]
    s = measured(name)
    assert s.syllables == syllables, "the slice changed: remeasure TODAY"
    message = (f"{name}: {s.syl_err} syllable errors of {s.syllables}, today {errors} "
               f"(allowed {allowed(errors)})")
    assert s.syl_err <= allowed(errors), (message, s.as_dict())


def test_vie_ocr_clean_pages_are_not_made_worse():
    """Clean vie-OCR is nearly right already: correction must not add errors."""
    rows = load_devset("vie_clean")[:400]
    before = Scores()
    for row in rows:
        before.add(row.noisy, row.truth)
    assert measured("vie-OCR clean pages + confidences").syl_err < before.syl_err


if __name__ == "__main__":
    for name, measure in SLICES.items():
        s = measure()
        print(f"{name!r}: ({s.syl_err}, {s.syllables}),  # SER {s.ser:.4%}")
