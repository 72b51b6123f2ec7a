"""How often the restorer's regime decision is wrong, on documents short and long.

A document judged "plain" is re-toned throughout, so accented text judged plain is
damaged everywhere; text judged "accented" keeps its marks, so stripped or eng-OCR text
judged so is left unrestored. The dev sets are cut into documents of 1, 3 and 40 lines
(as a user may paste one line or a page); each column has its right answer: every
truth column and the vie-OCR sets are accented; stripped, partly typed (`partial`, made
from the stripped set's truth) and eng-OCR text is plain. A document without letters,
or expected accented without a single mark (`Instagram.`, an English title), could be
either and is left out.

    python scripts/bench_regime.py                        # every set, 1/3/40 lines
    python scripts/bench_regime.py --sets strip --lines 1 --show 10

Prints, per set, column and document length, the documents judged wrongly out of all;
`--show N` also prints N wrongly judged documents.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_restore import load_devset

from vnocr.text import strip_marks, tokenize

SETS = ["strip", "partial", "eng", "vie_clean", "vie_photo", "vie_mixed"]
PLAIN_INPUT = {"strip", "partial", "eng"}
DOC_LINES = [1, 3, 40]


def misjudged(detect, lines: list[str], doc_lines: int, expected: str) -> tuple[list, int]:
    """(documents of `doc_lines` lines of `lines` not judged `expected`, documents)."""
    wrong, docs = [], 0
    for i in range(0, len(lines), doc_lines):
        doc = [line for line in lines[i : i + doc_lines] if line.strip()]
        text = " ".join(doc)
        if not any(c.isalpha() for c in text) or expected == "accented" and (
                strip_marks(text) == text):
            continue
        docs += 1
        if detect([tokenize(line) for line in doc]) != expected:
            wrong.append(doc)
    return wrong, docs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", nargs="*", default=SETS, choices=SETS)
    ap.add_argument("--lines", nargs="*", type=int, default=DOC_LINES,
                    help="lines per document")
    ap.add_argument("--limit", type=int, default=None, help="rows per source")
    ap.add_argument("--show", type=int, default=0, help="wrongly judged documents shown")
    args = ap.parse_args()
    from vnocr.options import DEFAULT_MODEL_DIR
    from vnocr.restore import load_restorer

    detect = load_restorer(DEFAULT_MODEL_DIR).detect_regime
    for name in args.sets:
        rows = load_devset(name, args.limit if name != "partial" else args.limit or 200)
        columns = [("input", [r[0] for r in rows],
                    "plain" if name in PLAIN_INPUT else "accented")]
        if name in ("strip", "eng"):  # the vie sets share the eng set's truth
            columns.append(("truth", [r[1] for r in rows], "accented"))
        for column, lines, expected in columns:
            for doc_lines in args.lines:
                wrong, docs = misjudged(detect, lines, doc_lines, expected)
                print(f"{name:10s} {column:5s} {doc_lines:3d} lines: {len(wrong):5d} of "
                      f"{docs:6d} not {expected} ({100 * len(wrong) / max(docs, 1):.2f} %)",
                      flush=True)
                for doc in wrong[: args.show]:
                    print("    | " + "\n    | ".join(doc))


if __name__ == "__main__":
    main()
