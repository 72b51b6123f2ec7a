"""Correct text must pass unchanged: each dev set's accented truth fed to the Pipeline.

Every change the Pipeline makes to text that is already right is an error it adds to a
clean page, so this measures what the restorer and the dictionary pass do where there
is nothing to fix: the truth column of each dev set (stripped, eng-OCR and the vie-OCR
pages draw on different documents), restored as documents of 40 lines like the
benchmark rows (`--doc-lines 1`: each line a text of its own, as a user pastes one),
without OCR confidences (the truth was never OCR'd).

    python scripts/bench_unchanged.py                     # every dev set
    python scripts/bench_unchanged.py --sets vie_clean --show 40
    python scripts/bench_unchanged.py --sets vie_clean --doc-lines 1

Prints, per set, the syllables changed (the syllable edit distance of the output to
its input) out of all; `--show N` also prints N changed lines per set (input, output).
An Icelandic `Ð` (U+00D0) written as the Vietnamese `Đ` (U+0110) is the same letter to
a reader, and the one the pipeline writes (`vnocr.ocr.glyphs`): such syllables are
counted apart, as look-alikes, not as changes.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_restore import load_devset

from vnocr.evaluate import syllable_errors
from vnocr.ocr.glyphs import mend_glyphs

SETS = ["strip", "eng", "vie_clean", "vie_photo", "vie_mixed"]
DOC_LINES = 40


def changed_lines(
    pipe, truth: list[str], doc_lines: int = DOC_LINES
) -> list[tuple[str, str, int, int, int]]:
    """(input, output, syllables changed, look-alike letters replaced, syllables) per
    line of `truth`, restored in documents of `doc_lines` lines."""
    rows = []
    for i in range(0, len(truth), doc_lines):
        lines = truth[i : i + doc_lines]
        out = pipe.correct_lines(lines).text.split("\n")
        for given, got in zip(lines, out):
            changed, syllables = syllable_errors(got, given)
            mended = mend_glyphs(given)
            damage = min(changed, syllable_errors(got, mended)[0]) if mended != given else changed
            rows.append((given, got, damage, changed - damage, syllables))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", nargs="*", default=SETS, choices=SETS)
    ap.add_argument("--limit", type=int, default=None, help="rows per source")
    ap.add_argument("--show", type=int, default=0, help="changed lines printed per set")
    ap.add_argument("--doc-lines", type=int, default=DOC_LINES, help="lines per document")
    args = ap.parse_args()
    from vnocr import Pipeline

    pipe = Pipeline()
    for name in args.sets:
        truth = [row[1] for row in load_devset(name, args.limit)]
        rows = changed_lines(pipe, truth, args.doc_lines)
        changed = sum(row[2] for row in rows)
        lookalike = sum(row[3] for row in rows)
        total = sum(row[4] for row in rows)
        print(f"{name:10s} {changed:4d} of {total:6d} syllables changed "
              f"({100 * changed / max(total, 1):.3f} %), {lookalike} look-alike Ð written Đ",
              flush=True)
        for given, got, _, _, _ in [row for row in rows if row[2]][: args.show]:
            print(f"    < {given}\n    > {got}")


if __name__ == "__main__":
    main()
