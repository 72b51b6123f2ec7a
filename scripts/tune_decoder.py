"""Tune the decoder's channel and fusion weights on the dev sets (coordinate search).

    python scripts/tune_decoder.py --model models/restore-v1 --limit 40 --out runs/decode_weights.json

    python scripts/tune_decoder.py --model models/restore-v1 --regimes accented \
        --limit 300 --skip 200 --doc-lines 40 --rounds 2 --set accented.w_net=0.1

"plain" (stripped + eng-OCR text) is tuned on samples/dev/strip + eng; "accented"
(vie-OCR) on vie_photo, with vie_clean as a guard: a setting that makes clean pages
worse than Tesseract's own output is rejected. The result feeds scripts/export_model.py.

`--held-out N` tunes "plain" on text no measurement reads instead: N lines per source from
half of the corpus test split (never counted, never trained on; every dev line is read by
the benchmarks), stripped, partially typed and through the learned eng-OCR noise (`strip`,
`partial`, `eng`; the objective sums the three). The dev sets then stay a clean
measurement of the tuned weights:

    python scripts/tune_decoder.py --model runs/lit/model --regimes plain --held-out 400 \
        --doc-lines 40 --out runs/lit/decode_weights.json

`--eng-ocr` tunes the eng-OCR weight set (`decode_weights["eng_ocr"]`: the plain weights
Vietnamese read by Tesseract -l eng is decoded with differently; stripped and partly typed
text keep "plain") on real eng-OCR rows with their word confidences from text no dev set
reads and no model trains on: runs/tune_rows/tune_eng (scripts/make_devsets.py --only
tune_eng). The objective sums their SER restored as `vnocr ocr` restores a page, with
the confidences, and as `vnocr correct` restores OCR text, without them; in documents
(`--doc-lines 40`: under 20 words a text is not told from typed text, and the eng-OCR
weights would not apply), the regime detected. Only the weights that differ
from plain's are written:

    python scripts/tune_decoder.py --model models/restore-v1 --eng-ocr --doc-lines 40 \
        --out runs/decode_weights_eng.json

`--search NAME...` searches only these weights, in this order (the fusion weights alone,
say, where the others were set by their own measurements); `--reference MODEL_DIR`
rejects any setting that makes one of the sets worse than that model does.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_restore import load_devset, restorer_run, score
from make_devsets import STRIP_SOURCES, dev_line_keys, line_key

from vnocr.data.corpus import in_tuning_half, iter_paragraphs, split_lines
from vnocr.data.devsets import load_confidences
from vnocr.data.devsets import load_devset as load_dev_rows
from vnocr.data.noise import corrupt_tokens, partially_typed
from vnocr.evaluate import Scores
from vnocr.restore import Restorer
from vnocr.restore.restorer import DEFAULT_PARAMS, ENG_OCR
from vnocr.text import normalize_text_tones, strip_marks

SEARCH = {
    # digit_word stays out: the dev sets reward reading `6` as ở far more often than they
    # hold a real number in that place (`Quốc lộ 6`), and losing a number is the worse error
    "plain": ["unk_lm", "copy_word", "copy_debris", "char_w", "char_bias", "table",
              "change_marks", "keep_accented", "net_only", "w_net", "w_lm"],
    # what OCR debris and confidences bear on: the channel's fuzzy and character scores,
    # copying debris, the doubt of low-confidence words, and the fusion weights
    ENG_OCR: ["fuzzy", "copy_debris", "copy_word", "char_w", "char_bias", "conf_unsure",
              "net_only", "unk_lm", "change_marks", "w_channel", "w_net", "w_lm"],
    "accented": ["change_marks", "marks_channel", "add_marks", "table", "char_bias", "unk_lm",
                 "copy_debris", "net_only", "w_net", "w_lm", "conf_unsure"],
}
SETS = {"plain": ["strip", "eng"], "accented": ["vie_photo", "vie_clean"]}
TUNE_ROWS = Path(__file__).resolve().parents[1] / "runs" / "tune_rows"
# SER a set may lose to the --reference model before the guard bites: 1e-4, about four
# syllables of the ~40k in a set of --held-out 400 rows
REFERENCE_SLACK = 1e-4


def held_out_rows(per_source: int, seed: int = 0) -> dict[str, list[tuple[str, str, str]]]:
    """`strip`, `partial` and `eng` rows (noisy, truth, source) of the same truth lines:
    `per_source` lines of 5-40 syllables per strip-set source from `in_tuning_half`
    paragraphs, none of them the truth of a samples/dev row."""
    measured = dev_line_keys()
    rng = random.Random(seed)
    truths: list[tuple[str, str]] = []
    for source in STRIP_SOURCES:
        lines = [t for para in iter_paragraphs(source) if in_tuning_half(para)
                 for t in split_lines(normalize_text_tones(para, "old"))
                 if 5 <= len(t.split()) <= 40 and line_key(t) not in measured]
        if len(lines) > per_source:
            lines = [lines[i] for i in sorted(rng.sample(range(len(lines)), per_source))]
        truths += [(t, source) for t in lines]
        print(f"held-out {source}: {len(lines)} lines", flush=True)
    typed = partially_typed([t for t, _ in truths])
    noise_rng = random.Random(seed)
    eng = [" ".join(corrupt_tokens(t.split(), "eng", noise_rng)) for t, _ in truths]
    return {
        "strip": [(strip_marks(t), t, src) for t, src in truths],
        "partial": [(p, t, src) for p, (t, src) in zip(typed, truths)],
        "eng": [(e, t, src) for e, (t, src) in zip(eng, truths)],
    }


def eng_ocr_rows(directory: Path = TUNE_ROWS) -> dict[str, list[tuple]]:
    """The real eng-OCR tuning rows in page order (scripts/make_devsets.py --only
    tune_eng), twice: with Tesseract's word confidences (0..1 or None; `vnocr ocr`) and
    without them (`vnocr correct` on text OCR'd elsewhere, like the appendix): the
    weights serve both."""
    rows = load_dev_rows("tune_eng", directory=directory)
    conf = load_confidences("tune_eng", directory=directory)
    return {"tune_eng": [(*row, c) for row, c in zip(rows, conf, strict=True)],
            "tune_eng_text": [tuple(row) for row in rows]}


def written_weights(r: Restorer) -> dict[str, dict[str, float]]:
    """The weights as config.decode_weights holds them: each regime's in full, eng-OCR's
    only where they differ from plain's."""
    out = {k: rounded(r.params[k]) for k in DEFAULT_PARAMS}
    eng = rounded(r.params[ENG_OCR])
    overrides = {k: v for k, v in eng.items() if v != out["plain"][k]}
    if overrides:
        out[ENG_OCR] = overrides
    return out


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
    """SER of each set; eng-OCR text has no regime of its own, it is detected (plain)."""
    system = restorer_run(r, None if regime == ENG_OCR else regime)
    return {name: score(system, data, doc_lines)[0]["ALL"].ser for name, data in rows.items()}


def objective(
    regime: str, ser: dict[str, float], baseline: dict[str, float],
    reference: dict[str, float] | None = None,
) -> float:
    """The summed SER of the regime's sets, plus a steep penalty where a guard is broken:
    accented, clean pages worse than the input; with `reference` (another model's SER on
    the same rows), any set worse than it (a candidate must lose nowhere to ship)."""
    if regime in ("plain", ENG_OCR):
        total = sum(ser.values())  # strip + eng (+ partial on the held-out rows)
        if reference is None:
            return total
        worse = sum(max(0.0, ser[k] - reference[k] - REFERENCE_SLACK) for k in ser)
        return total + worse * 100
    # Never worse than the input on clean pages: a hard guard with a little slack.
    guard = max(0.0, ser["vie_clean"] - baseline["vie_clean"] - 0.0005) * 100
    return ser["vie_photo"] + ser["vie_clean"] + guard


def rounded(values: dict[str, float]) -> dict[str, float]:
    """Six decimals: `0.2 * 1.5` is stored as 0.3, not 0.30000000000000004."""
    return {k: round(v, 6) for k, v in values.items()}


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
    ap.add_argument("--held-out", type=int, default=0, metavar="N",
                    help="tune plain on N held-out corpus lines per source, not samples/dev")
    ap.add_argument("--seed", type=int, default=0, help="draw and noise of --held-out")
    ap.add_argument("--search", nargs="*", default=None, metavar="NAME",
                    help="weights searched, in this order (default: the regime's SEARCH list)")
    ap.add_argument("--reference", type=Path, default=None, metavar="MODEL_DIR",
                    help="plain: reject settings that make any set worse than this model's")
    ap.add_argument("--eng-ocr", action="store_true",
                    help=f"tune the eng-OCR weight set on {TUNE_ROWS.name}/tune_eng (real "
                    "eng-OCR rows with confidences, text no dev set reads)")
    ap.add_argument("--tune-rows", type=Path, default=TUNE_ROWS,
                    help="folder of tune_eng.tsv.gz and tune_eng.conf.gz (--eng-ocr)")
    args = ap.parse_args()
    if args.eng_ocr:
        if args.held_out or args.reference:
            ap.error("--eng-ocr tunes on the real eng-OCR rows: no --held-out, --reference")
        if args.doc_lines < 20:
            ap.error("--eng-ocr: eng-OCR text is told in documents (--doc-lines 40)")
        args.regimes = [ENG_OCR]
    if (args.held_out or args.reference) and args.regimes != ["plain"]:
        ap.error("--held-out and --reference tune the plain regime only (--regimes plain)")
    if args.search and len(args.regimes) != 1:
        ap.error("--search names the weights of one regime (one --regimes)")
    weights = DEFAULT_PARAMS["plain" if args.regimes[0] == ENG_OCR else args.regimes[0]]
    unknown = [n for n in args.search or [] if n not in weights]
    if unknown:
        ap.error(f"--search: no such decoding weight: {', '.join(unknown)}")

    r = Restorer.from_pretrained(args.model)
    for item in args.set:
        name, value = item.split("=")
        regime, weight = name.split(".")
        r.set_param(regime, weight, float(value))
    cache_network(r)
    for regime in args.regimes:
        if regime == ENG_OCR:
            rows = eng_ocr_rows(args.tune_rows)
        elif args.held_out:
            rows = held_out_rows(args.held_out, args.seed)
        else:
            rows = {name: load_devset(name, args.limit, args.skip, confidences=args.confidences)
                    for name in SETS[regime]}
        baseline = {name: Scores() for name in rows}
        for name, data in rows.items():
            for noisy, truth, *_ in data:
                baseline[name].add(noisy, truth)
        base = {k: v.ser for k, v in baseline.items()}
        reference = None
        if args.reference is not None:
            reference = evaluate(Restorer.from_pretrained(args.reference), regime, rows,
                                 args.doc_lines)
            print(f"{regime}: reference {args.reference} {rounded(reference)}", flush=True)
        params = r.params[regime]
        start = evaluate(r, regime, rows, args.doc_lines)
        best = objective(regime, start, base, reference)
        print(f"{regime}: start {best:.4f} {rounded(start)} (input {rounded(base)})",
              flush=True)
        for _ in range(args.rounds):
            for name in args.search or SEARCH[regime]:
                v0 = params[name]
                if name.startswith("w_") or name in ("char_w", "marks_channel"):
                    tries = [0.0, v0 * 0.5, v0 * 1.5] if name == "w_net" else [v0 * 0.5, v0 * 1.5]
                else:
                    tries = [v0 - 1.5, v0 + 1.5]
                for v in tries:
                    r.set_param(regime, name, v)
                    t0 = time.time()
                    score = objective(regime, evaluate(r, regime, rows, args.doc_lines), base,
                                      reference)
                    print(f"  {name}={v:.2f}: {score:.4f} ({time.time() - t0:.0f}s)", flush=True)
                    if score < best - 1e-6:
                        best, v0 = score, v
                r.set_param(regime, name, v0)
        final = evaluate(r, regime, rows, args.doc_lines)
        print(f"{regime}: best {best:.4f} {rounded(final)} {params}", flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(written_weights(r), indent=1))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
