"""How far the review page's highlights can be trusted, on the dev sets.

Two numbers per set, from what the page shows (`vnocr.review_rows`), against the
reference text: of changes shown with confidence >= 0.9, the share that are right; and
of the errors left in the output, the share the page highlights (a change or a kept but
doubtful token), i.e. what a reviewer who checks only highlights would catch.
Output tokens are aligned to the reference tokens with difflib; an error is an output
token whose core differs from its reference token's, or that the reference lacks.

usage: python scripts/review_calibration.py [--limit N]   (run from the repository root)
"""

from __future__ import annotations

import argparse
import difflib
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from vnocr.result import CorrectionResult
from vnocr.review_rows import build_rows
from vnocr.text import tokenize

SETS = ["strip", "eng", "vie_clean", "vie_photo", "vie_mixed"]
HIGH = 0.9


def score_result(result: CorrectionResult, refs: list[str], tally: Counter) -> None:
    """Add one result's counts to `tally` (see the module)."""
    for row, ref in zip(build_rows(result), refs):
        out_line = "".join(s.text for s in row.after)
        out_toks, ref_toks = tokenize(out_line), tokenize(ref)
        wrong = [True] * len(out_toks)
        sm = difflib.SequenceMatcher(None, [t.core for t in out_toks],
                                     [t.core for t in ref_toks], autojunk=False)
        for tag, i1, i2, _, _ in sm.get_opcodes():
            if tag == "equal":
                for i in range(i1, i2):
                    wrong[i] = False
        spans = []  # (start, end, kind, confidence) of every highlight
        for pos, seg in row.placed():
            if seg.change is not None:
                spans.append((pos, pos + len(seg.text), "change", seg.change.confidence))
            elif seg.unrecorded or seg.doubt:
                spans.append((pos, pos + len(seg.text), seg.doubt or "unrecorded", 0.0))
        for s, e, kind, conf in spans:
            covered = [i for i, t in enumerate(out_toks)
                       if t.start < max(e, s + 1) and s < t.start + len(t.text)]
            if kind == "change" and conf >= HIGH and covered:
                tally["high_changes"] += 1
                tally["high_right"] += not any(wrong[i] for i in covered)
            if kind != "change":
                tally["doubts"] += 1
                tally["doubts_wrong"] += any(wrong[i] for i in covered)
        for i, t in enumerate(out_toks):
            if not t.core:
                continue
            tally["tokens"] += 1
            if not wrong[i]:
                continue
            tally["errors"] += 1
            lit = [kind for s, e, kind, _ in spans
                   if t.start < max(e, s + 1) and s < t.start + len(t.text)]
            if lit:
                tally["errors_lit"] += 1
                tally["errors_lit_by_change" if "change" in lit else "errors_lit_by_doubt"] += 1


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int, default=None, help="rows per source")
    args = ap.parse_args()
    from bench_restore import load_devset

    from vnocr import Pipeline

    pipe = Pipeline()
    print("| set | changes ≥ 0.9 | right | errors left | highlighted | "
          "doubtful tokens shown | of them wrong |")
    print("|---|---|---|---|---|---|---|")
    for name in SETS:
        rows = load_devset(name, args.limit, confidences=True)
        tally: Counter = Counter()
        for i in range(0, len(rows), 40):
            chunk = rows[i : i + 40]
            confs = [r[3] for r in chunk]
            result = pipe.correct_lines(
                [r[0] for r in chunk], confs if any(c is not None for c in confs) else None
            )
            score_result(result, [r[1] for r in chunk], tally)
        print(f"| {name} | {tally['high_changes']} | "
              f"{100 * tally['high_right'] / max(tally['high_changes'], 1):.1f} % | "
              f"{tally['errors']} | {100 * tally['errors_lit'] / max(tally['errors'], 1):.1f} % | "
              f"{tally['doubts']} | {tally['doubts_wrong']} |", flush=True)


if __name__ == "__main__":
    main()
