"""Restoration benchmark: one table per regime — input as is, pyvi, a syllable-bigram
baseline (same counts, bigram only, no network), and vnocr — SER, CER, syllables/s.

    python scripts/bench_restore.py                      # all dev sets in samples/dev/
    python scripts/bench_restore.py --limit 300 --regimes strip

Dev sets are gzip TSV `noisy<TAB>truth<TAB>source` (scripts/make_devsets.py). The
`partial` regime (text typed with only some marks) is made here from the stripped set's
truth with the training noise's `partial` corruption (each line keeps 10-80 % of its
words' marks, seed 7): `--regimes partial --limit 200 --doc-lines 40`.

`--confidences` gives vnocr Tesseract's word confidences of the OCR sets
(`samples/dev/<set>.conf.gz`), as `vnocr ocr` does with its own reading:
`--regimes vie_clean vie_photo --limit 200 --doc-lines 40 --systems input vnocr --confidences`.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

from vnocr.evaluate import Scores
from vnocr.options import DEFAULT_MODEL_DIR

DEV_DIR = Path(__file__).resolve().parent.parent / "samples" / "dev"
REGIMES = ("strip", "eng", "vie_clean", "vie_photo")


def load_devset(
    name: str, limit: int | None = None, skip: int = 0, *, confidences: bool = False
) -> list[tuple]:
    """(noisy, truth, source) rows; `limit` rows per source after its first `skip`
    (`vnocr.data.devsets` reads the files). With `confidences`, a fourth field: the
    OCR's word confidences of the row (0..1, one per whitespace-separated token), None
    where the set has none (stripped text, the `partial` regime)."""
    from vnocr.data import devsets

    base = "strip" if name == "partial" else name
    rows = devsets.load_devset(base, directory=DEV_DIR)
    conf_of = None
    if confidences and name != "partial" and (DEV_DIR / f"{name}.conf.gz").is_file():
        conf_of = devsets.load_confidences(name, directory=DEV_DIR)
    picked, kept_conf, per_source = [], [], defaultdict(int)
    for index, row in enumerate(rows):
        per_source[row.source] += 1
        if per_source[row.source] <= skip or (limit and per_source[row.source] > skip + limit):
            continue
        picked.append(row)
        kept_conf.append(conf_of[index] if conf_of else None)
    if name == "partial":
        picked = devsets.partially_typed_rows(picked)
    if confidences:
        return [(*row, conf) for row, conf in zip(picked, kept_conf)]
    return [tuple(row) for row in picked]


def pyvi_system():
    from pyvi import ViUtils

    def run(lines: list[str], confidences: list | None = None) -> list[str]:
        out = []
        for line in lines:
            try:
                out.append(ViUtils.add_accents(line))
            except (KeyError, IndexError, ValueError):  # rare labels crash pyvi
                out.append(line)
        return out

    return run


def restorer_system(
    model_dir: Path, *, bigram_only: bool = False, net: bool = True, regime: str | None = None
):
    from vnocr.restore import Restorer

    r = Restorer.from_pretrained(model_dir)
    if bigram_only:
        r.lm.trigrams = type(r.lm.trigrams)(r.lm.trigrams.keys[:0], r.lm.trigrams.logc[:0])
    if not net:
        for regime_name in r.params:
            r.set_param(regime_name, "w_net", 0.0)
            r.set_param(regime_name, "net_only", -1e9)

    return restorer_run(r, regime)


def restorer_run(r, regime: str | None = None):
    """A system (`score`'s kind) that restores with `r`, in `regime` when given."""

    def run(lines: list[str], confidences: list | None = None) -> list[str]:
        return [x.text for x in r.restore(lines, confidences, regime=regime)]

    return run


def score(system, rows, doc_lines: int = 1) -> tuple[dict[str, Scores], float, int]:
    """Rows are decoded as documents of `doc_lines` lines (1: no cross-row context); rows
    with a fourth field (OCR confidences, see `load_devset`) pass it to the system."""
    by_source: dict[str, Scores] = defaultdict(Scores)
    t0 = time.perf_counter()
    outputs = []
    for i in range(0, len(rows), doc_lines):
        doc = rows[i : i + doc_lines]
        lines = [row[0] for row in doc]
        if len(doc[0]) > 3:
            outputs.extend(system(lines, [row[3] for row in doc]))
        else:
            outputs.extend(system(lines))
    dt = time.perf_counter() - t0
    total = Scores()
    for out, (_, truth, source, *_) in zip(outputs, rows):
        by_source[source].add(out, truth)
        total.add(out, truth)
    by_source["ALL"] = total
    return by_source, dt, total.syllables


def speed(model_dir: Path, rows, repeats: int = 3) -> None:
    """Throughput on documents of 100 lines: the first pass over text the restorer has
    not seen (after a warm-up on other dev pages, so the model and tables are loaded and
    common words memoised), then the median of `repeats` passes over the same text again
    (steady state for repeated text: every token's candidates are memoised by then)."""
    import resource

    from vnocr.restore import Restorer

    r = Restorer.from_pretrained(model_dir)
    lines = [noisy for noisy, _, _ in rows]
    docs = [lines[i : i + 100] for i in range(0, len(lines), 100)]
    # warm-up on pages of another set (the mixed vie pages), never on the measured ones
    warm = [noisy for noisy, _, _ in load_devset("vie_mixed", 40)]
    for i in range(0, len(warm), 100):
        r.restore(warm[i : i + 100])
    n = sum(len(line.split()) for line in lines)
    times = []
    for _ in range(repeats + 1):
        t0 = time.perf_counter()
        for doc in docs:
            r.restore(doc)
        times.append(time.perf_counter() - t0)
    first, again = times[0], sorted(times[1:])[len(times[1:]) // 2]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"speed: {n} syllables; new text {first:.2f}s → {n / first:,.0f} syllables/s; "
          f"repeated (median of {repeats}) {again:.2f}s → {n / again:,.0f} syllables/s; "
          f"peak RSS {peak:.0f} MB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--model", type=Path, default=DEFAULT_MODEL_DIR)
    ap.add_argument("--regimes", nargs="*", default=list(REGIMES))
    ap.add_argument("--limit", type=int, default=None, help="rows per source")
    ap.add_argument("--systems", nargs="*", default=["input", "pyvi", "bigram", "vnocr"])
    ap.add_argument("--speed", action="store_true",
                    help="only measure throughput: new text, then repeated")
    ap.add_argument("--confidences", action="store_true",
                    help="give vnocr the OCR word confidences of the OCR sets, as `vnocr ocr` "
                    "does (samples/dev/<set>.conf.gz)")
    ap.add_argument("--doc-lines", type=int, default=1,
                    help="lines per document (1: every line alone, the strictest case)")
    args = ap.parse_args()
    if args.speed:
        speed(args.model, load_devset(args.regimes[0], args.limit))
        return

    factories = {
        "input": lambda: lambda lines, confidences=None: lines,
        "pyvi": pyvi_system,
        "bigram": lambda: restorer_system(args.model, bigram_only=True, net=False, regime="plain"),
        "vnocr": lambda: restorer_system(args.model),
        "vnocr-nonet": lambda: restorer_system(args.model, net=False),
    }
    systems = {name: factories[name]() for name in args.systems}
    for regime in args.regimes:
        if regime != "partial" and not (DEV_DIR / f"{regime}.tsv.gz").exists():
            print(f"## {regime}: no dev set", file=sys.stderr)
            continue
        rows = load_devset(regime, args.limit, confidences=args.confidences)
        print(f"\n## {regime} ({len(rows)} lines)\n")
        print("| system | source | SER | SER (no case) | CER | syllables/s |")
        print("|---|---|---|---|---|---|")
        for name in args.systems:
            if regime != "strip" and name in ("pyvi", "bigram"):
                continue
            by_source, dt, n = score(systems[name], rows, args.doc_lines)
            for source, s in sorted(by_source.items(), key=lambda kv: kv[0] == "ALL"):
                rate = f"{n / dt:,.0f}" if source == "ALL" and dt > 0 else ""
                print(
                    f"| {name} | {source} | {s.ser:.2%} | {s.ser_nocase:.2%} | {s.cer:.2%} "
                    f"| {rate} |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
