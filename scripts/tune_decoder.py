"""Tune the decoder's channel and fusion weights on the dev sets (coordinate search).

    python scripts/tune_decoder.py --model models/restore-v1 --limit 40 --out runs/decode_weights.json

    python scripts/tune_decoder.py --model models/restore-v1 --regimes accented \
        --limit 300 --skip 200 --doc-lines 40 --rounds 2 --set accented.w_net=0.1

"plain" (stripped + eng-OCR text) is tuned on samples/dev/strip + eng; "accented"
(vie-OCR) on vie_photo, with vie_clean as a guard: a setting that makes clean pages
worse than Tesseract's own output is rejected. The result feeds scripts/export_model.py.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_restore import load_devset, restorer_run, score

from vnocr.evaluate import Scores
from vnocr.restore import Restorer

SEARCH = {
    # digit_word stays out: the dev sets reward reading `6` as ở far more often than they
    # hold a real number in that place (`Quốc lộ 6`), and losing a number is the worse error
    "plain": ["unk_lm", "copy_word", "copy_debris", "char_w", "char_bias", "table",
              "change_marks", "keep_accented", "net_only", "w_net", "w_lm"],
    "accented": ["change_marks", "marks_channel", "add_marks", "table", "char_bias", "unk_lm",
                 "copy_debris", "net_only", "w_net", "w_lm", "conf_unsure"],
}
SETS = {"plain": ["strip", "eng"], "accented": ["vie_photo", "vie_clean"]}


def cache_network(r: Restorer) -> None:
    """Network scores do not depend on the tuned weights: compute each line once."""
    cache: dict[tuple, list] = {}
    score_network = r._score_network

    def cached(streams, batch_size):
        key = tuple((s.line, s.token.core_start, s.token.core) for st in streams for s in st)
        if key not in cache:
            score_network(streams, batch_size)
            cache[key] = [s.net for st in streams for s in st]
        else:
            it = iter(cache[key])
            for st in streams:
                for s in st:
                    s.net = next(it)

    r._score_network = cached


def evaluate(
    r: Restorer, regime: str, rows: dict[str, list], doc_lines: int = 1
) -> dict[str, float]:
    system = restorer_run(r, regime)
    return {name: score(system, data, doc_lines)[0]["ALL"].ser for name, data in rows.items()}


def objective(regime: str, ser: dict[str, float], baseline: dict[str, float]) -> float:
    if regime == "plain":
        return ser["strip"] + ser["eng"]
    # Never worse than the input on clean pages: a hard guard with a little slack.
    guard = max(0.0, ser["vie_clean"] - baseline["vie_clean"] - 0.0005) * 100
    return ser["vie_photo"] + ser["vie_clean"] + guard


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--model", type=Path, required=True)
    ap.add_argument("--limit", type=int, default=40, help="dev rows per source")
    ap.add_argument("--skip", type=int, default=0,
                    help="skip each source's first rows (e.g. 200: bench_restore's report rows)")
    ap.add_argument("--regimes", nargs="*", default=["plain", "accented"])
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--out", type=Path, default=Path("runs/decode_weights.json"))
    ap.add_argument("--set", nargs="*", default=[], metavar="REGIME.NAME=VALUE",
                    help="start from this weight (a search cannot leave 0 by scaling)")
    ap.add_argument("--doc-lines", type=int, default=1,
                    help="lines decoded together (1: every line alone, the strictest case)")
    ap.add_argument("--confidences", action="store_true",
                    help="OCR sets with their word confidences, as `vnocr ocr` restores them")
    args = ap.parse_args()

    r = Restorer.from_pretrained(args.model)
    for item in args.set:
        name, value = item.split("=")
        regime, weight = name.split(".")
        r.set_param(regime, weight, float(value))
    cache_network(r)
    result = {k: dict(v) for k, v in r.params.items()}
    for regime in args.regimes:
        rows = {name: load_devset(name, args.limit, args.skip, confidences=args.confidences)
                for name in SETS[regime]}
        baseline = {name: Scores() for name in rows}
        for name, data in rows.items():
            for noisy, truth, *_ in data:
                baseline[name].add(noisy, truth)
        base = {k: v.ser for k, v in baseline.items()}
        params = r.params[regime]
        best = objective(regime, evaluate(r, regime, rows, args.doc_lines), base)
        print(f"{regime}: start {best:.4f} (input {base})", flush=True)
        for _ in range(args.rounds):
            for name in SEARCH[regime]:
                v0 = params[name]
                if name.startswith("w_") or name in ("char_w", "marks_channel"):
                    tries = [0.0, v0 * 0.5, v0 * 1.5] if name == "w_net" else [v0 * 0.5, v0 * 1.5]
                else:
                    tries = [v0 - 1.5, v0 + 1.5]
                for v in tries:
                    r.set_param(regime, name, v)
                    t0 = time.time()
                    score = objective(regime, evaluate(r, regime, rows, args.doc_lines), base)
                    print(f"  {name}={v:.2f}: {score:.4f} ({time.time() - t0:.0f}s)", flush=True)
                    if score < best - 1e-6:
                        best, v0 = score, v
                r.set_param(regime, name, v0)
        print(f"{regime}: best {best:.4f} {params}", flush=True)
        result[regime] = dict(params)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
