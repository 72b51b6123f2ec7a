"""The review page's calibration: fitted on one half of the dev sets, reported on the other.

Per set, from what the page shows (`vnocr.review_rows`), against the reference text: of
changes shown with confidence >= 0.9, the share that are right; of the errors left in
the output, the share the page highlights (a change or a kept but doubtful token), i.e.
what a reviewer who checks only highlights would catch; and the share of all words the
page highlights, the reviewer's load. Output tokens are aligned to the reference tokens
with difflib; an error is an output token whose core differs from its reference
token's, or that the reference lacks.

The 40-line documents of each set are split in two, alternately. `--fit` fits the
table of `vnocr.calibration` on the fit half and writes it into the package: per text
kind (as restoration detected it), stage and OCR band, an isotonic map from the raw
confidence to the share right; per kind, the thresholds under which a kept word is
doubtful (`choose_thresholds`: the fewest words highlighted for FIT_CATCH of the fit
half's errors left, within a budget of words). The table printed is always the report
half, with the package's table (`--raw`: without one), never the lines it was fitted on.
`--cross` swaps the halves (a table fitted on the report half, in memory, scores the
fit half): the cross-validated view of whether the figures hold beyond one split.

usage: python scripts/review_calibration.py [--limit N] [--fit [--sweep] | --raw | --cross]
       [--cache FILE]
(from the repository root)
"""

from __future__ import annotations

import argparse
import difflib
import json
import math
import pickle
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from vnocr.calibration import (
    EMPTY,
    KEPT,
    TABLE_NAME,
    Calibration,
    change_key,
    fallback_keys,
    isotonic_step,
)
from vnocr.result import CorrectionResult
from vnocr.review_rows import Row, build_rows, change_ocr_confidence, ocr_per_output_token
from vnocr.text import Token, tokenize

SETS = ["strip", "eng", "vie_clean", "vie_photo", "vie_mixed"]
LABELS = {"strip": "stripped (no marks)", "eng": "eng-OCR", "vie_clean": "vie-OCR, clean pages",
          "vie_photo": "vie-OCR, photocopies", "vie_mixed": "vie-OCR, mixed pages"}
HIGH = 0.9
MIN_FIT = 40  # samples below which a key gets no map of its own (its kind/stage/any does)
FIT_CATCH = 0.92  # share of errors left the doubt thresholds aim at on the fit half
MAX_ADDED = 0.10  # ... flagging at most this share of the kind's words more than without
NEAR_BEST = 0.01  # out of reach: the cheapest pair within this of the best catch
LOWS = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999)
OCR_DOUBTS = (0.0, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97)
_ABOUT = ("vnocr.calibration's table, written by scripts/review_calibration.py --fit from "
          "the fit half of the dev sets: per kind/stage/band, starts and values of an "
          "isotonic step from raw to shown confidence; per kind, doubt thresholds")
_KINDS = ("plain", "eng_ocr", "accented", "")
# Nothing flagged by the thresholds: what the page highlights whatever they are.
_NO_THRESHOLDS = Calibration({}, dict.fromkeys(_KINDS, -1.0), dict.fromkeys(_KINDS, -1.0))


def _overlap(t: Token, s: int, e: int) -> bool:
    return t.start < max(e, s + 1) and s < t.start + len(t.text)


def _wrong(out_toks: list[Token], ref: str) -> list[bool]:
    """Per output token: does it differ from its aligned reference token?"""
    ref_toks = tokenize(ref)
    wrong = [True] * len(out_toks)
    sm = difflib.SequenceMatcher(None, [t.core for t in out_toks],
                                 [t.core for t in ref_toks], autojunk=False)
    for tag, i1, i2, _, _ in sm.get_opcodes():
        if tag == "equal":
            for i in range(i1, i2):
                wrong[i] = False
    return wrong


def _spans(row: Row) -> list[tuple[int, int, str, float]]:
    """(start, end, kind, shown confidence) of every highlight of the output line."""
    spans = []
    for pos, seg in row.placed():
        if seg.change is not None:
            spans.append((pos, pos + len(seg.text), "change", seg.conf))
        elif seg.unrecorded or seg.doubt:
            spans.append((pos, pos + len(seg.text), seg.doubt or "unrecorded", 0.0))
    return spans


def score_result(result: CorrectionResult, refs: list[str], tally: Counter,
                 calibration: Calibration | None = None) -> None:
    """Add one result's counts, as the page shows it, to `tally` (see the module)."""
    for row, ref in zip(build_rows(result, calibration=calibration), refs):
        out_toks = tokenize("".join(s.text for s in row.after))
        wrong = _wrong(out_toks, ref)
        spans = _spans(row)
        for s, e, kind, conf in spans:
            covered = [i for i, t in enumerate(out_toks) if _overlap(t, s, e)]
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
            lit = any(_overlap(t, s, e) for s, e, _, _ in spans)
            tally["tokens_lit"] += lit
            if wrong[i]:
                tally["errors"] += 1
                tally["errors_lit"] += lit


def samples(result: CorrectionResult, refs: list[str]) -> tuple[list, list]:
    """What fitting needs from one result: per change (key, raw confidence, right), and
    per word (kind, raw confidence, OCR confidence, lit whatever the thresholds, wrong),
    a changed word with no confidences (lit, the thresholds do not apply)."""
    changes, words = [], []
    for row, ref in zip(build_rows(result, calibration=_NO_THRESHOLDS), refs):
        k = row.number - 1
        kind = result.regimes[k] if k < len(result.regimes) else ""
        ocr = result.ocr_confidences[k] if k < len(result.ocr_confidences) else None
        out_line = "".join(s.text for s in row.after)
        out_toks = tokenize(out_line)
        wrong = _wrong(out_toks, ref)
        spans = _spans(row)
        for pos, seg in row.placed():
            if seg.change is None:
                continue
            covered = [i for i, t in enumerate(out_toks)
                       if _overlap(t, pos, pos + len(seg.text))]
            if covered:
                c = seg.change
                key = change_key(kind, c.stage, change_ocr_confidence(c, ocr), c.confidence)
                changes.append((key, c.confidence, not any(wrong[i] for i in covered)))
        confs = result.confidences[k] if k < len(result.confidences) else None
        aligned = confs is not None and len(confs) == len(out_toks)
        ocr_out = ocr_per_output_token(result.input_text.split("\n")[k], out_line, ocr)
        for i, t in enumerate(out_toks):
            if not t.core:
                continue
            lit = [sk for s, e, sk, _ in spans if _overlap(t, s, e)]
            if "change" in lit:
                words.append((kind, math.nan, None, True, wrong[i]))
                continue
            words.append((kind, confs[i] if aligned else math.nan,
                          ocr_out[i] if ocr_out is not None else None, bool(lit), wrong[i]))
    return changes, words


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


def _all_results(limit: int | None, cache: Path | None) -> dict[str, dict[str, list]]:
    """Every set's halves; with `cache`, read from it if it exists, else written there."""
    if cache is not None and cache.is_file():
        return pickle.loads(cache.read_bytes())
    from vnocr import Pipeline

    pipe = Pipeline()
    out = {name: _results(pipe, name, limit) for name in SETS}
    if cache is not None:
        cache.write_bytes(pickle.dumps(out))
    return out


def _pct(a: int, b: int) -> str:
    return f"{100 * a / max(b, 1):.1f} %"


def _load(words: list, low: float, ocr_doubt: float) -> tuple[int, int, int]:
    """(errors lit, words lit, errors) among `words` under these thresholds."""
    errors = errors_lit = lit_n = 0
    for _, raw, ocr, lit, wrong in words:
        flagged = lit or raw < low or (ocr is not None and ocr < ocr_doubt)  # NaN: never
        lit_n += flagged
        errors += wrong
        errors_lit += wrong and flagged
    return errors_lit, lit_n, errors


def choose_thresholds(words: list, *, sweep: bool = False) -> dict[str, tuple[float, float]]:
    """Per kind: (kept_low, ocr_doubt), the pair flagging fewest words that catches
    FIT_CATCH of the errors left, among pairs adding at most MAX_ADDED of the words to
    the highlights; out of reach, the cheapest within NEAR_BEST of the best catch."""
    by_kind: dict[str, list] = defaultdict(list)
    for w in words:
        by_kind[w[0]].append(w)
    chosen = {}
    for kind, rows in sorted(by_kind.items()):
        base = _load(rows, -1.0, -1.0)[1]
        options = []
        for low in LOWS:
            for ocr_doubt in OCR_DOUBTS:
                caught, lit, errors = _load(rows, low, ocr_doubt)
                if sweep:
                    print(f"fit {kind} kept_low {low} ocr_doubt {ocr_doubt}: errors "
                          f"highlighted {_pct(caught, errors)} of {errors}, words "
                          f"{_pct(lit, len(rows))}", flush=True)
                if lit - base <= MAX_ADDED * len(rows):
                    options.append((caught / max(errors, 1), lit, (low, ocr_doubt)))
        best = max(c for c, _, _ in options)
        goal = min(FIT_CATCH, best - NEAR_BEST)
        chosen[kind] = min((lit, pair) for c, lit, pair in options if c >= goal)[1]
    return chosen


def fit(halves: dict[str, dict[str, list]], *, sweep: bool) -> Calibration:
    """The table from the fit half of every set."""
    changes, words = [], []
    for sets in halves.values():
        for result, refs in sets["fit"]:
            c, w = samples(result, refs)
            changes += c
            words += w
    by_key: dict[str, list] = defaultdict(list)
    for key, raw, right in changes:
        kind, stage, band = key.split("/")
        by_key[key].append((raw, right))
        if band != "certain":  # a population of its own (see change_key)
            for k in fallback_keys(kind, stage):
                by_key[k].append((raw, right))
    for kind, raw, ocr, lit, wrong in words:
        if math.isfinite(raw):  # a kept word: its restorer's confidence
            for k in (change_key(kind, KEPT, ocr, raw), *fallback_keys(kind, KEPT)):
                by_key[k].append((raw, not wrong))
    steps = {key: isotonic_step([r for r, _ in pts], [float(y) for _, y in pts])
             for key, pts in by_key.items() if len(pts) >= MIN_FIT}
    thresholds = choose_thresholds(words, sweep=sweep)
    return Calibration(steps, {k: v[0] for k, v in thresholds.items()},
                       {k: v[1] for k, v in thresholds.items()})


def _table_text(calibration: Calibration) -> str:
    """The table as JSON, one map or threshold set a line (reviewable diffs)."""
    d = calibration.as_dict()
    steps = ",\n".join(f"  {json.dumps(k)}: {json.dumps(v)}" for k, v in d["changes"].items())
    return (f'{{"about": {json.dumps(_ABOUT)},\n "changes": {{\n{steps}\n }},\n'
            f' "kept_low": {json.dumps(d["kept_low"], sort_keys=True)},\n'
            f' "ocr_doubt": {json.dumps(d["ocr_doubt"], sort_keys=True)}}}\n')


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int, default=None, help="rows per source")
    ap.add_argument("--fit", action="store_true",
                    help=f"fit the table on the fit half and write pipeline/{TABLE_NAME}")
    ap.add_argument("--sweep", action="store_true",
                    help="with --fit, print errors caught and words highlighted for "
                    "each pair of thresholds, per kind, on the fit half")
    ap.add_argument("--cache", type=Path, default=None,
                    help="pipeline results: read from this pickle (--limit then has no "
                    "effect), or run and write it")
    ap.add_argument("--raw", action="store_true",
                    help="report with raw confidences and default thresholds (no table)")
    ap.add_argument("--cross", action="store_true",
                    help="the halves swapped: fit a table on the report half (kept in "
                    "memory, never written) and report on the fit half, to see whether "
                    "the figures hold on both")
    args = ap.parse_args()
    if args.cross and (args.fit or args.raw):
        ap.error("--cross fits its own table: not with --fit or --raw")
    halves = _all_results(args.limit, args.cache)
    calibration = None
    if args.fit:
        calibration = fit(halves, sweep=args.sweep)
        path = Path(__file__).resolve().parent.parent / "pipeline" / TABLE_NAME
        path.write_text(_table_text(calibration), encoding="utf-8")
        print(f"wrote {path}: kept_low {calibration.kept_low}, ocr_doubt "
              f"{calibration.ocr_doubt}", file=sys.stderr)
    if args.raw:
        calibration = EMPTY
    if args.cross:
        halves = {name: {"fit": h["report"], "report": h["fit"]} for name, h in halves.items()}
        calibration = fit(halves, sweep=False)
    print(report_table(halves, calibration))


def report_table(halves: dict[str, dict[str, list]], calibration: Calibration | None) -> str:
    """The markdown table of every set's report half as the page shows it with
    `calibration` (None: the package's table); each row echoed to stderr as it comes."""
    table = []
    for name in SETS:
        t: Counter = Counter()
        for result, refs in halves[name]["report"]:
            score_result(result, refs, t, calibration)
        right = _pct(t["high_right"], t["high_changes"]) if t["high_changes"] else "–"
        table.append(
            f"| {LABELS[name]} | {t['high_changes']} | {right} | "
            f"{t['errors']} | {_pct(t['errors_lit'], t['errors'])} | "
            f"{_pct(t['tokens_lit'], t['tokens'])} | {t['doubts']} | {t['doubts_wrong']} |")
        print(table[-1], file=sys.stderr, flush=True)
    return "\n".join([
        ("| set | changes shown ≥ 0.9 | right | errors left | highlighted | words highlighted "
         "| doubtful tokens shown | of them wrong |"),
        "|---|---:|---:|---:|---:|---:|---:|---:|",
        *table,
    ])

if __name__ == "__main__":
    main()
