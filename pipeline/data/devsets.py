"""The committed dev sets (samples/dev/*.tsv.gz): every later change is measured on them."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import NamedTuple

from vnocr.errors import InputError

DEV_DIR = Path(__file__).resolve().parents[2] / "samples" / "dev"
DEV_SETS = ("strip", "eng", "vie_mixed", "vie_clean", "vie_photo")


class DevLine(NamedTuple):
    """One dev-set row: a noisy line, the text it should correct to, and its corpus source.

    The benchmark scripts (`scripts/benchmark.py`, `bench_*.py`) score a correction of
    `noisy` against `truth`; `source` lets `load_devset` keep only some corpora.
    """

    noisy: str
    truth: str
    source: str


def load_devset(
    name: str,
    *,
    sources: list[str] | None = None,
    directory: Path | None = None,
    strict: bool = True,
) -> list[DevLine]:
    """Rows of one dev set, in file order, optionally only from some corpus sources.

    A malformed row raises InputError; with `strict=False` (the benchmark, which also
    reads sets a user built) a row without noisy and truth is skipped and one without a
    source gets an empty one."""
    path = (directory or DEV_DIR) / f"{name}.tsv.gz"
    if not path.is_file():
        raise InputError(f"dev set not found: {path} (known: {', '.join(DEV_SETS)})")
    rows = []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            parts = raw.rstrip("\n").split("\t")
            if len(parts) != 3:
                if strict:
                    raise InputError(f"{path}:{n}: expected noisy<TAB>truth<TAB>source")
                if len(parts) < 2:
                    continue
                parts = [*parts[:2], parts[2] if len(parts) > 2 else ""]
            if sources is None or parts[2] in sources:
                rows.append(DevLine(*parts))
    return rows


def partially_typed_rows(rows: list[DevLine]) -> list[DevLine]:
    """The rows' truths typed with only some marks (`vnocr.data.noise.partially_typed`,
    seed 7): the `partial` regime of the benchmarks, made from the stripped set's rows.
    The typing depends on the rows given, so callers choose them first."""
    from vnocr.data.noise import partially_typed

    typed = partially_typed([row.truth for row in rows])
    return [DevLine(t, row.truth, row.source) for t, row in zip(typed, rows)]


def load_confidences(name: str, *, directory: Path | None = None) -> list[list[float] | None]:
    """Tesseract's word confidences (0..1) of every row of an OCR dev set, in file order
    (`<name>.conf.gz`, written by scripts/make_devsets.py beside the rows); None for a
    row without them. Raises InputError where the set has no such file."""
    path = (directory or DEV_DIR) / f"{name}.conf.gz"
    if not path.is_file():
        raise InputError(f"no OCR confidences for dev set {name!r}: {path}")
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [[float(c) / 100 for c in raw.split()] or None for raw in f]
