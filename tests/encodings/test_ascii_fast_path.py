"""Runs skip the readings that cannot change them or cannot be accepted (ASCII runs,
runs with no VIQR signal, readings that are not plausible): the same result as the
full detection, on the dev sets' noisy text and on text made to look like VIQR or
legacy bytes."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from vnocr.data import devsets
from vnocr.encodings import detect, encode_run

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


def _every_reading(run: str, *, escaped_viqr: bool, sentence_start: bool, whole_line: bool,
                   found_elsewhere: frozenset[str] = frozenset()) -> tuple[str, str] | None:
    """`best_reading` without a shortcut: every encoding converted and scored in full,
    the first of the best accepted readings kept."""
    from vnocr.encodings.convert import BYTE_ENCODINGS, convert_run

    as_read = detect.score(run)
    readings = [(e, convert_run(run, e, sentence_start=sentence_start, escaped=escaped_viqr))
                for e in (*BYTE_ENCODINGS, "viqr")]
    scored = [(e, text, detect.score(text)) for e, text in readings if text != run]
    accepted = [((r.net, r.common), e, text) for e, text, r in scored
                if detect._accepts(run, e, r, as_read, whole_line=whole_line,
                                   found_elsewhere=e in found_elsewhere)
                and r.net > as_read.net]
    if not accepted:
        return None
    _, encoding, text = max(accepted, key=lambda a: a[0])  # the first of equal keys
    return encoding, text


def _legacy_like(rng: random.Random) -> str:
    alphabet = "aeiouydnghtcAEIOUYDN  'é^(óôµ¸¹©¾ÕÖÒ§òìåâð"
    words = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 6)))
             for _ in range(rng.randint(1, 8))]
    return " ".join(words).strip()


@pytest.mark.parametrize("name", ["eng", "strip"])
def test_the_shortcuts_read_as_every_reading_in_full(name):
    rng = random.Random(11)
    runs = [line[a:b] for line in _dev_lines(name, 800) for a, b in detect.surface_runs(line)]
    runs += [_legacy_like(rng) for _ in range(1500)] + [_viqr_like(rng).strip() for _ in range(500)]
    # and real legacy text, some runs read right (`detect` accepts them), some not
    truths = [row.truth for row in devsets.load_devset("strip", directory=DEV)[:60]]
    runs += [encode_run(t[: rng.randint(5, 60)], rng.choice(("tcvn3", "vni", "cp1258", "viscii",
                                                             "vps", "viqr"))).strip()
             for t in truths]
    for run in filter(None, runs):
        for opens, elsewhere in ((False, frozenset()), (True, frozenset({"tcvn3", "viqr"}))):
            kwargs = {"escaped_viqr": False, "sentence_start": opens, "whole_line": True,
                      "found_elsewhere": elsewhere}
            assert detect.best_reading(run, **kwargs) == _every_reading(run, **kwargs), run


def test_surface_runs_are_the_word_by_word_runs():
    rng = random.Random(3)
    lines = _dev_lines("eng", 800)
    for _ in range(2000):
        gap = rng.choice([" ", "  ", "\t", "\u00a0", "\u202f"])
        lines.append(_legacy_like(rng) + gap + rng.choice(["", "việt ", "ệ"]) + _legacy_like(rng))
    for line in lines:
        assert detect.surface_runs(line) == detect._runs_word_by_word(line), line
