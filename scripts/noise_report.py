"""Sampled noise against real Tesseract output, on dev pages the noise model never saw.

    python scripts/noise_report.py                # markdown to stdout
    python scripts/noise_report.py --seed 1 --top 15

For each OCR regime the truth lines of the dev pages (runs/ocr_pages/dev_mixed, and for vie
also dev_photo: the print/scan conditions the tables were learned under, but dev-split
text) are corrupted by
`corrupt_line` and scored against the truth exactly as Tesseract's real reading of the
same lines is scored: CER and SER (vnocr.evaluate) and the whitespace-token
error rate (TER). The target is sampled within ±20 % (relative) of real. The comparison
uses the learned noise alone (`extras=False`); the synthetic extras, which rendered pages
cannot show, are reported apart.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from pathlib import Path

from rapidfuzz.distance import Levenshtein

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from vnocr.data.align import align_tokens
from vnocr.data.noise import corrupt_line
from vnocr.data.noise_tables import iter_page_pairs
from vnocr.evaluate import Scores
from vnocr.text import tokenize

# The same conditions as the tables' train pages (vnocr.data.pages), dev-split text.
PAGE_SETS = {"eng": ["dev_mixed"], "vie": ["dev_mixed", "dev_photo"]}
# In-sample check (--train): the pages the tables were counted on, to tell sampler bias
# apart from the difference between the train and dev page mixes.
TRAIN_SETS = {"eng": ["train_mixed"], "vie": ["train_mixed", "train_photo"]}
REFERENCE = {"vie": ["dev_clean", "dev_mixed", "dev_photo"]}  # real only, per condition


def dev_page_limits(pages: Path) -> dict[str, int | None]:
    """Dev pages per set in the proportion the train sets had, so vie's pooled tables are
    compared with a pool of the same mix (e.g. 160 mixed : 60 photo train pages)."""
    n = {
        s: len(list((pages / s).glob("*.json")))
        for s in ("train_mixed", "train_photo", "dev_mixed", "dev_photo")
    }
    if not n["train_mixed"]:
        return {}
    return {"dev_photo": round(n["dev_mixed"] * n["train_photo"] / n["train_mixed"])}


def load_pairs(
    pages: Path, page_set: str, lang: str, limit: int | None = None
) -> list[tuple[str, str]]:
    pairs = []
    for p in sorted((pages / page_set).glob("*.json"))[:limit]:
        page = json.loads(p.read_text(encoding="utf-8"))
        pairs += [(t, s) for t, s, _sim, _src in iter_page_pairs(page, lang)]
    return pairs


class Tally:
    def __init__(self) -> None:
        self.scores = Scores()
        self.tok_err = 0
        self.toks = 0
        self.conf: Counter[tuple[str, str]] = Counter()

    def add(self, seen: str, truth: str) -> None:
        self.scores.add(seen, truth)
        t, s = truth.split(), seen.split()
        self.tok_err += Levenshtein.distance(t, s)
        self.toks += len(t)
        for g in align_tokens(t, s):
            if g.kind == "sub":
                a, b = tokenize(g.truth[0]), tokenize(g.seen[0])
                ca = a[0].core if a else ""
                cb = b[0].core if b else g.seen[0]
                if ca and ca != cb:
                    self.conf[(ca, cb)] += 1

    @property
    def ter(self) -> float:
        return self.tok_err / max(1, self.toks)


def pct(x: float) -> str:
    return f"{100 * x:.2f} %"


def report(pages: Path, seed: int, top: int, *, train: bool = False) -> str:
    out = [
        (
            "| regime | lines | CER real | CER sampled | rel. diff | SER real | SER sampled "
            "| rel. diff | TER real | TER sampled | rel. diff |"
        ),
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    confusions = []
    with_extras = [
        (
            "\n**Sampled with the synthetic extras on (footnote marks, stray punctuation, "
            "hyphenated breaks), as training uses it**\n"
        ),
        "| regime | CER | SER | TER |",
        "|---|---|---|---|",
    ]
    for regime, sets in (TRAIN_SETS if train else PAGE_SETS).items():
        rng = random.Random(seed)
        real, fake, extra = Tally(), Tally(), Tally()
        rng_x = random.Random(seed + 1)
        limits = {} if train else dev_page_limits(pages)
        for page_set in sets:
            for truth, seen in load_pairs(pages, page_set, regime, limits.get(page_set)):
                real.add(seen, truth)
                fake.add(corrupt_line(truth, regime, rng, extras=False), truth)
                extra.add(corrupt_line(truth, regime, rng_x), truth)
        r, f = real.scores, fake.scores
        with_extras.append(
            f"| {regime} | {pct(extra.scores.cer)} | {pct(extra.scores.ser)} | {pct(extra.ter)} |"
        )

        def rel(a: float, b: float) -> str:
            return f"{100 * (b - a) / a:+.0f} %" if a else "n/a"

        out.append(
            f"| {regime} | {r.pairs} | {pct(r.cer)} | {pct(f.cer)} | {rel(r.cer, f.cer)} "
            f"| {pct(r.ser)} | {pct(f.ser)} | {rel(r.ser, f.ser)} | {pct(real.ter)} "
            f"| {pct(fake.ter)} | {rel(real.ter, fake.ter)} |"
        )
        rows = [
            (
                f"\n**{regime}: top {top} syllable confusions (truth → seen, count per "
                f"{r.pairs} lines)**\n"
            ),
            "| real | n | sampled | n |",
            "|---|---|---|---|",
        ]
        a, b = real.conf.most_common(top), fake.conf.most_common(top)
        for i in range(top):
            x = f"{a[i][0][0]} → {a[i][0][1]} | {a[i][1]}" if i < len(a) else " | "
            y = f"{b[i][0][0]} → {b[i][0][1]} | {b[i][1]}" if i < len(b) else " | "
            rows.append(f"| {x} | {y} |")
        confusions.append("\n".join(rows))
    ref = [
        "\n**Real Tesseract vie under other conditions (no sampled counterpart)**\n",
        "| page set | lines | CER | SER |",
        "|---|---|---|---|",
    ]
    for regime, sets in REFERENCE.items():
        for page_set in sets:
            t = Tally()
            for truth, seen in load_pairs(pages, page_set, regime):
                t.add(seen, truth)
            ref.append(
                f"| {page_set} ({regime}) | {t.scores.pairs} | {pct(t.scores.cer)} "
                f"| {pct(t.scores.ser)} |"
            )
    parts = ["\n".join(out), "\n".join(with_extras), *confusions, "\n".join(ref)]
    return "\n".join(parts) + "\n"


def speed(lines: list[str], seed: int, repeats: int = 3) -> str:
    """Lines per minute of `corrupt_line` on one core, median of `repeats` runs."""
    import statistics
    import time

    from vnocr.data.noise import corrupt_mixed

    out = ["| regime | lines | lines/min (median of 3) |", "|---|---|---|"]
    for regime in ("strip", "partial", "eng", "vie", "mixed"):
        rates = []
        for r in range(repeats):
            rng = random.Random(seed + r)
            t0 = time.perf_counter()
            for line in lines:
                if regime == "mixed":
                    corrupt_mixed(line, rng)
                else:
                    corrupt_line(line, regime, rng)
            rates.append(len(lines) / (time.perf_counter() - t0) * 60)
        out.append(f"| {regime} | {len(lines)} | {statistics.median(rates):,.0f} |")
    return "\n".join(out) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--pages", type=Path, default=ROOT / "runs" / "ocr_pages")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--top", type=int, default=15)
    ap.add_argument("--train", action="store_true", help="in-sample: compare on train pages")
    ap.add_argument(
        "--speed",
        action="store_true",
        help="only time corrupt_line on the truth lines of samples/dev/strip.tsv.gz",
    )
    args = ap.parse_args()
    if args.speed:
        import gzip

        with gzip.open(ROOT / "samples" / "dev" / "strip.tsv.gz", "rt", encoding="utf-8") as f:
            lines = [row.split("\t")[1] for row in f]
        sys.stdout.write(speed(lines, args.seed))
        return
    sys.stdout.write(report(args.pages, args.seed, args.top, train=args.train))


if __name__ == "__main__":
    main()
