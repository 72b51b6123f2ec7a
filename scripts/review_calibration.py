"""How far the review page's highlights can be trusted, on the dev sets.

Per set, from what the page shows (`vnocr.review_rows`), against the reference text: of
changes shown with confidence >= 0.9, the share that are right; of the errors left in
the output, the share the page highlights (a change or a kept but doubtful token), i.e.
what a reviewer who checks only highlights would catch; and the share of all words the
page highlights, the reviewer's load. Output tokens are aligned to the reference tokens
with difflib; an error is an output token whose core differs from its reference
token's, or that the reference lacks.

The 40-line documents of each set are split in two, alternately: the page's thresholds
(OCR_DOUBT) are chosen on the fit half (`--sweep` prints the trade-off there) and the
table is reported on the other half, never on the lines they were chosen on.

usage: python scripts/review_calibration.py [--limit N] [--sweep]   (from the repository root)
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
        for i, t in enumerate(out_toks):
            if t.core and any(t.start < max(e, s + 1) and s < t.start + len(t.text)
                              for s, e, _, _ in spans):
                tally["tokens_lit"] += 1
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


def _results(pipe, name: str, limit: int | None) -> dict[str, list]:
    """Each half's (result, reference lines) per 40-line document: "fit" and "report"."""
    from bench_restore import load_devset

    rows = load_devset(name, limit, confidences=True)
    halves: dict[str, list] = {"fit": [], "report": []}
    for k, i in enumerate(range(0, len(rows), 40)):
        chunk = rows[i : i + 40]
        confs = [r[3] for r in chunk]
        result = pipe.correct_lines(
            [r[0] for r in chunk], confs if any(c is not None for c in confs) else None
        )
        halves["fit" if k % 2 == 0 else "report"].append((result, [r[1] for r in chunk]))
    return halves


def _tally(docs: list) -> Counter:
    tally: Counter = Counter()
    for result, refs in docs:
        score_result(result, refs, tally)
    return tally


def _pct(a: int, b: int) -> str:
    return f"{100 * a / max(b, 1):.1f} %"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int, default=None, help="rows per source")
    ap.add_argument("--sweep", action="store_true",
                    help="also print, on the fit half, errors caught and words highlighted "
                    "for each OCR_DOUBT")
    args = ap.parse_args()
    from vnocr import Pipeline, review_rows

    pipe = Pipeline()
    table = []
    for name in SETS:
        halves = _results(pipe, name, args.limit)
        if args.sweep:
            chosen = review_rows.OCR_DOUBT
            for threshold in (0.0, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9):
                review_rows.OCR_DOUBT = threshold
                t = _tally(halves["fit"])
                print(f"fit {name} OCR_DOUBT {threshold}: highlighted "
                      f"{_pct(t['errors_lit'], t['errors'])} of {t['errors']} errors, "
                      f"{_pct(t['tokens_lit'], t['tokens'])} of words", flush=True)
            review_rows.OCR_DOUBT = chosen
        t = _tally(halves["report"])
        table.append(
            f"| {name} | {t['high_changes']} | {_pct(t['high_right'], t['high_changes'])} | "
            f"{t['errors']} | {_pct(t['errors_lit'], t['errors'])} | "
            f"{_pct(t['tokens_lit'], t['tokens'])} | {t['doubts']} | {t['doubts_wrong']} |")
        print(table[-1], file=sys.stderr, flush=True)
    print("| set | changes ≥ 0.9 | right | errors left | highlighted | words highlighted | "
          "doubtful tokens shown | of them wrong |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    print("\n".join(table))


if __name__ == "__main__":
    main()
