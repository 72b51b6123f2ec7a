"""Headings in capitals: the OCR dev sets upper-cased, restored by the full Pipeline.

Capital letters are rare in the OCR'd training pages, so the character channel knows
them from a handful of observations; this bench measures how all-caps text is restored.
The sets are built here from samples/dev, never shipped:

- `eng_upper`, `vie_*_upper`: truth and OCR output both upper-cased. Faithful for vie-OCR
  (it reads capitals' marks as it reads small ones'); for eng-OCR it assumes a capital
  is misread like its small letter (`ộ` → `é` becomes `Ộ` → `É`).
- `eng_caps_plain`: truth upper-cased, OCR output upper-cased with its marks stripped,
  as real eng-OCR headings come out (`KHAI QUAT KET QUA THU'C HIEN`, `PANG BQ`).

    python scripts/bench_capitals.py runs/caps_before.pkl [--limit 400]
    python scripts/bench_capitals.py --diff runs/caps_before.pkl runs/caps_after.pkl

Saving prints syllable errors per set; `--diff` prints errors before/after, then
scripts/compare_outputs.py's fixed and broken counts and the lines that got worse.
"""

from __future__ import annotations

import argparse
import pickle
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import compare_outputs
from bench_restore import load_devset

from vnocr.evaluate import syllable_errors
from vnocr.text import strip_marks

DOC_LINES = 40
BASES = {"eng_upper": "eng", "eng_caps_plain": "eng", "vie_clean_upper": "vie_clean",
         "vie_photo_upper": "vie_photo", "vie_mixed_upper": "vie_mixed"}


def capital_rows(name: str, limit: int | None) -> tuple[list[tuple], list]:
    """(noisy, truth, source) rows of set `name`, upper-cased as its name says, and
    their OCR confidences."""
    rows = load_devset(BASES[name], limit, confidences=True)
    plain = name == "eng_caps_plain"
    upper = [((strip_marks(noisy) if plain else noisy).upper(), truth.upper(), source)
             for noisy, truth, source, _ in rows]
    return upper, [conf for *_, conf in rows]


def save(path: Path, names: list[str], limit: int | None) -> None:
    from vnocr import Pipeline

    pipe = Pipeline()
    saved = {}
    for name in names:
        rows, confidences = capital_rows(name, limit)
        out: list[str] = []
        for i in range(0, len(rows), DOC_LINES):
            confs = confidences[i : i + DOC_LINES]
            result = pipe.correct_lines([noisy for noisy, _, _ in rows[i : i + DOC_LINES]],
                                        confs if any(c is not None for c in confs) else None)
            out.extend(result.text.split("\n"))
        saved[name] = (rows, out)
        errors, total = _errors(rows, out)
        print(f"{name}: {len(rows)} lines, {errors}/{total} syllable errors", flush=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(saved))


def _errors(rows: list[tuple], out: list[str]) -> tuple[int, int]:
    errors = total = 0
    for (_, truth, _), text in zip(rows, out):
        e, n = syllable_errors(text, truth)
        errors += e
        total += n
    return errors, total


def diff(before_path: Path, after_path: Path, show: int) -> None:
    """Errors per set before and after, then `compare_outputs.diff`'s fixed/broken lines."""
    before = pickle.loads(before_path.read_bytes())
    after = pickle.loads(after_path.read_bytes())
    for name, (rows, old) in before.items():
        if name in after:
            print(f"{name}: syllable errors {_errors(rows, old)[0]} -> {_errors(rows, after[name][1])[0]}")
    compare_outputs.diff(before_path, after_path, show)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pkl", type=Path, nargs="+", help="OUT.pkl to save, or BEFORE AFTER with --diff")
    ap.add_argument("--diff", action="store_true", help="compare two saved runs")
    ap.add_argument("--sets", nargs="*", default=list(BASES), choices=list(BASES))
    ap.add_argument("--limit", type=int, default=None, help="rows per source")
    ap.add_argument("--show", type=int, default=10, help="worse lines printed per set")
    args = ap.parse_args()
    if args.diff:
        diff(*args.pkl, args.show)
    else:
        save(args.pkl[0], args.sets, args.limit)


if __name__ == "__main__":
    main()
