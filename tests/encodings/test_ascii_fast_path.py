"""ASCII runs skip the readings that cannot change them: the same result as the full
detection, on the dev sets' noisy text and on ASCII made to look like VIQR."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from vnocr.data import devsets
from vnocr.encodings import detect

DEV = Path(__file__).resolve().parents[2] / "samples" / "dev"


class _Unicode(str):
    """A str that claims to hold non-ASCII characters: takes the full detection path."""

    def isascii(self) -> bool:
        return False


def _dev_lines(name: str, limit: int = 1500) -> list[str]:
    return [row.noisy for row in devsets.load_devset(name, directory=DEV)[:limit]]


def _viqr_like(rng: random.Random) -> str:
    alphabet = "aeiouyAEIOUYdDnghtc  '`?~.^(+\\\t\x02\x05"
    words = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 6)))
             for _ in range(rng.randint(1, 8))]
    return " ".join(words)


@pytest.mark.parametrize("name", ["strip", "eng"])
def test_dev_lines_read_as_by_the_full_detection(name):
    for line in _dev_lines(name):
        assert detect.surface_runs(line) == detect.surface_runs(_Unicode(line))
        for start, end in detect.surface_runs(line):
            run = line[start:end]
            for opens in (False, True):
                fast = detect.best_reading(run, escaped_viqr=False, sentence_start=opens,
                                           whole_line=True)
                full = detect.best_reading(_Unicode(run), escaped_viqr=False,
                                           sentence_start=opens, whole_line=True)
                assert fast == full, run


def test_viqr_like_ascii_reads_as_by_the_full_detection():
    rng = random.Random(7)
    for _ in range(3000):
        line = _viqr_like(rng)
        assert detect.surface_runs(line) == detect.surface_runs(_Unicode(line))
        for escaped in (False, True):
            fast = detect.best_reading(line.strip(), escaped_viqr=escaped,
                                       sentence_start=True, whole_line=True)
            full = detect.best_reading(_Unicode(line.strip()), escaped_viqr=escaped,
                                       sentence_start=True, whole_line=True)
            assert fast == full, line
