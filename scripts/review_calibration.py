"""The review page's calibration: fitted on one half of the dev sets, reported on the other.

Per set, from what the page shows (`vnocr.review_rows`), against the reference text: of
changes shown with confidence >= 0.9, the share that are right; of the errors left in
the output, the share the page highlights (a change or a kept but doubtful token), i.e.
what a reviewer who checks only highlights would catch; and the share of all words the
page highlights, the reviewer's load. Output tokens are aligned to the reference tokens
with difflib; an error is an output token whose core differs from its reference
token's, or that the reference lacks.

The 40-line documents of each set are split in two, alternately. `--fit` fits the
table of `vnocr.calibration` and writes it into the package: from the fit half, per
text kind (as restoration detected it), stage and OCR band, an isotonic map from the
raw confidence to the share right; from every document, per kind, the thresholds under
which a kept word is doubtful (`choose_thresholds`: the fewest words highlighted at
which every set of the kind has DOUBT_TARGET of its errors left highlighted at the
share's lower bound across documents). The table printed is always the report half,
with the package's table (`--raw`: without one), never the lines its maps were fitted
on. `--cross` swaps the halves (maps fitted on the report half, in memory, score the
fit half). The thresholds see every document, so their out-of-sample check is
`--kfold K`: each document scored with thresholds chosen on the documents of the other
K-1 folds, beside the plain fit's (no bound), the cost of the bound in words
highlighted. (Over 400 lines: fitting, the k-fold check and the report share one
scoring of what the page shows, `samples`, and live together.)

usage: python scripts/review_calibration.py [--limit N] [--fit [--sweep] | --raw | --cross
       | --kfold K] [--cache FILE]
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
from itertools import zip_longest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np

from vnocr.calibration import (
    BOUND_Z,
    EMPTY,
    KEPT,
    TABLE_NAME,
    Calibration,
    change_key,
    clustered_lower_bound,
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
HALVES = ("fit", "report")
# Of each set's errors left, the share the page should highlight (at its lower bound).
DOUBT_TARGET = 0.90
LOWS = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999)
# Tesseract's word confidences are whole percents: from 0.9 on, every one.
OCR_DOUBTS = (0.0, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.91, 0.92, 0.93, 0.94, 0.95, 0.96, 0.97)
_ABOUT = ("vnocr.calibration's table, written by scripts/review_calibration.py --fit: per "
          "kind/stage/band, starts and values of an isotonic step from raw to shown "
          "confidence (fit half of the dev sets); per kind, doubt thresholds (every "
          "document, at the highlighted share's lower bound)")
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


def _pct(a: float, b: float) -> str:
    return f"{100 * a / max(b, 1):.1f} %"


def _flag_counts(docs: list[list], pairs: list[tuple[float, float]]) -> tuple:
    """Per document and pair (kept_low, ocr_doubt): errors highlighted, words
    highlighted; per document, errors left."""
    caught = np.zeros((len(docs), len(pairs)))
    lit = np.zeros((len(docs), len(pairs)))
    errors = np.zeros(len(docs))
    for d, words in enumerate(docs):
        raw = np.array([w[1] for w in words], dtype=float)
        ocr = np.array([np.inf if w[2] is None else w[2] for w in words], dtype=float)
        lit_anyway = np.array([w[3] for w in words], dtype=bool)
        wrong = np.array([w[4] for w in words], dtype=bool)
        errors[d] = wrong.sum()
        for p, (low, ocr_doubt) in enumerate(pairs):
            flagged = lit_anyway | (raw < low) | (ocr < ocr_doubt)  # NaN: never
            caught[d, p] = (flagged & wrong).sum()
            lit[d, p] = flagged.sum()
    return caught, lit, errors


def _by_kind(word_docs: dict[str, list[list]]) -> dict[str, dict[str, list[list]]]:
    """kind -> set -> its documents' words of that kind (documents without any left out)."""
    out: dict[str, dict[str, list[list]]] = defaultdict(dict)
    for name, docs in word_docs.items():
        for kind in sorted({w[0] for words in docs for w in words}):
            out[kind][name] = [d for d in ([w for w in words if w[0] == kind] for words in docs)
                               if d]
    return out


def choose_thresholds(word_docs: dict[str, list[list]], *, z: float = BOUND_Z,
                      sweep: bool = False) -> dict[str, tuple[float, float]]:
    """Per kind: (kept_low, ocr_doubt), the pair highlighting fewest of the kind's words
    at which every set (`word_docs`: set -> documents -> `samples` words) has its share
    of errors left highlighted at DOUBT_TARGET or more at its lower bound across
    documents (`clustered_lower_bound` at `z`; 0: the share itself, the plain fit); if
    no pair gets there, the one whose worst set's bound is highest."""
    pairs = [(low, ocr_doubt) for low in LOWS for ocr_doubt in OCR_DOUBTS]
    chosen = {}
    for kind, sets in sorted(_by_kind(word_docs).items()):
        worst = np.full(len(pairs), np.inf)
        words_lit = np.zeros(len(pairs))
        for name, docs in sorted(sets.items()):
            caught, lit, errors = _flag_counts(docs, pairs)
            words_lit += lit.sum(axis=0)
            for p, pair in enumerate(pairs):
                bound = clustered_lower_bound(caught[:, p], errors, z=z)
                worst[p] = min(worst[p], bound)
                if sweep:
                    print(f"{kind} {name} kept_low {pair[0]} ocr_doubt {pair[1]}: errors "
                          f"highlighted {_pct(caught[:, p].sum(), errors.sum())} (bound "
                          f"{100 * bound:.1f} %) of {int(errors.sum())}, words "
                          f"{_pct(lit[:, p].sum(), sum(map(len, docs)))}", flush=True)
        goal = min(DOUBT_TARGET, float(worst.max()))
        chosen[kind] = min((words_lit[p], pair) for p, pair in enumerate(pairs)
                           if worst[p] >= goal)[1]
    return chosen


def sampled(halves: dict[str, dict[str, list]]) -> dict[str, dict[str, list[tuple]]]:
    """Per set and half, each document's `samples`."""
    return {name: {half: [samples(result, refs) for result, refs in h[half]] for half in HALVES}
            for name, h in halves.items()}


def fit(per_doc: dict[str, dict[str, list[tuple]]], *, sweep: bool) -> Calibration:
    """The table (`per_doc`: `sampled`): the maps from the fit half of every set, the
    doubt thresholds from every document (`choose_thresholds`)."""
    changes, words = [], []
    for sets in per_doc.values():
        for c, w in sets["fit"]:
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
    thresholds = choose_thresholds(word_docs(per_doc), sweep=sweep)
    return Calibration(steps, {k: v[0] for k, v in thresholds.items()},
                       {k: v[1] for k, v in thresholds.items()})


def word_docs(per_doc: dict[str, dict[str, list[tuple]]]) -> dict[str, list[list]]:
    """Per set, every document's `samples` words, in the documents' order (the halves
    alternate)."""
    out = {}
    for name, h in per_doc.items():
        docs = [[w for _, w in h[half]] for half in HALVES]
        out[name] = [d for pair in zip_longest(*docs) for d in pair if d is not None]
    return out


def kfold_table(docs: dict[str, list[list]], k: int) -> str:
    """Each set's errors left highlighted and words highlighted, every document scored
    with thresholds chosen on the other k-1 folds (document i in fold i % k), by the
    rule (`choose_thresholds`) and by the plain fit (z = 0): what the bound costs.
    `docs`: `word_docs`."""
    chosen = {(fold, z): choose_thresholds(
                  {s: [d for i, d in enumerate(ds) if i % k != fold] for s, ds in docs.items()},
                  z=z)
              for fold in range(k) for z in (BOUND_Z, 0.0)}
    rows = []
    for name in SETS:
        per_fold = {key: Counter() for key in chosen}
        for i, words in enumerate(docs[name]):
            for z in (BOUND_Z, 0.0):
                for kind, sets in _by_kind({name: [words]}).items():
                    pair = chosen[i % k, z].get(kind, (-1.0, -1.0))
                    caught, lit, errors = _flag_counts(sets[name], [pair])
                    per_fold[i % k, z].update(caught=int(caught.sum()), lit=int(lit.sum()),
                                              errors=int(errors.sum()), words=len(sets[name][0]))
        for (fold, z), t in per_fold.items():
            print(f"{name} fold {fold} (z {z}, thresholds {chosen[fold, z]}): highlighted "
                  f"{_pct(t['caught'], t['errors'])} of {t['errors']}, words "
                  f"{_pct(t['lit'], t['words'])}", file=sys.stderr)
        b = sum((t for (_, z), t in per_fold.items() if z), Counter())
        p = sum((t for (_, z), t in per_fold.items() if not z), Counter())
        rows.append(f"| {LABELS[name]} | {b['errors']} | {_pct(b['caught'], b['errors'])} | "
                    f"{_pct(b['lit'], b['words'])} | {_pct(p['caught'], p['errors'])} | "
                    f"{_pct(p['lit'], p['words'])} |")
        print(rows[-1], file=sys.stderr, flush=True)
    return _markdown(["errors left", "highlighted", "words highlighted",
                      "highlighted, plain fit", "words highlighted, plain fit"], rows)


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
                    help="with --fit, print errors caught (and its lower bound) and words "
                    "highlighted for each pair of thresholds, per kind and set, on every "
                    "document")
    ap.add_argument("--cache", type=Path, default=None,
                    help="pipeline results: read from this pickle (--limit then has no "
                    "effect), or run and write it")
    ap.add_argument("--raw", action="store_true",
                    help="report with raw confidences and default thresholds (no table)")
    ap.add_argument("--cross", action="store_true",
                    help="the halves swapped: fit a table on the report half (kept in "
                    "memory, never written) and report on the fit half, to see whether "
                    "the figures hold on both")
    ap.add_argument("--kfold", type=int, default=0, metavar="K",
                    help="instead of the table: each set's errors highlighted and words "
                    "highlighted, each document scored with doubt thresholds chosen on "
                    "the other K-1 folds of documents (2: the halves, each fitted on the "
                    "other)")
    args = ap.parse_args()
    if args.cross and (args.fit or args.raw):
        ap.error("--cross fits its own table: not with --fit or --raw")
    if args.kfold == 1 or args.kfold < 0:
        ap.error("--kfold needs 2 folds or more")
    halves = _all_results(args.limit, args.cache)
    if args.kfold:
        print(kfold_table(word_docs(sampled(halves)), args.kfold))
        return
    calibration = None
    if args.fit:
        calibration = fit(sampled(halves), sweep=args.sweep)
        path = Path(__file__).resolve().parent.parent / "pipeline" / TABLE_NAME
        path.write_text(_table_text(calibration), encoding="utf-8")
        print(f"wrote {path}: kept_low {calibration.kept_low}, ocr_doubt "
              f"{calibration.ocr_doubt}", file=sys.stderr)
    if args.raw:
        calibration = EMPTY
    if args.cross:
        halves = {name: {"fit": h["report"], "report": h["fit"]} for name, h in halves.items()}
        calibration = fit(sampled(halves), sweep=False)
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
    return _markdown(["changes shown ≥ 0.9", "right", "errors left", "highlighted",
                      "words highlighted", "doubtful tokens shown", "of them wrong"], table)


def _markdown(columns: list[str], rows: list[str]) -> str:
    """A table of rows already written, under a `set` column and `columns` of numbers."""
    return "\n".join([f"| set | {' | '.join(columns)} |",
                      "|---|" + "---:|" * len(columns), *rows])

if __name__ == "__main__":
    main()
