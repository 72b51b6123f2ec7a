#!/usr/bin/env python3
"""One command that tells where vnocr stands: every regime, peers side by side.

    python scripts/benchmark.py                 # full run, writes its part of docs/benchmarks.md
    python scripts/benchmark.py --limit 200     # quick: 200 evenly spaced lines per regime

It writes only its own part of docs/benchmarks.md, between the `benchmark.py` markers,
keeping the sections other scripts measure around them; it also rewrites the summary
table between the benchmark markers of README.md, from the same rows, so the README
never shows figures other than those of docs/benchmarks.md.

Regimes: stripped, typed with only some marks (made from the stripped
set's truth), eng-OCR, vie-OCR on clean, photocopied and mixed pages
(dev sets `samples/dev/*.tsv.gz`: `noisy<TAB>truth<TAB>source`), out-of-source text
(public-domain literature and reportage that no corpus source holds) stripped and through
the learned eng-OCR noise, and the full pipeline on the rendered scans
`samples/admin_scan_*.jpg` with their `.gt.txt`. Peers on the same input: the input as
it is, pyvi's `ViUtils.add_accents` (stripped), a syllable-bigram Viterbi on vnocr's own
counts (stripped; scripts/bigram_baseline.py), raw Tesseract `vie` (scans), and vnocr.
On stripped text the SER-by-source table adds vnocr's SER over the bigram baseline's.

Each (regime, system) runs in its own subprocess so its peak memory (max RSS) is its
own and one system's load cannot help another's timing. Speed counts processing only;
loading the model is timed apart. Metrics are `vnocr.evaluate` (NFC, tone placement
folded; CER over graphemes, SER over word tokens).

Over 400 lines in one file: the workers re-run this script (`--worker`), so the
systems, the scoring and the rendering of their rows stay together.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from vnocr.evaluate import Scores


@dataclass(frozen=True)
class Regime:
    name: str
    title: str
    source: str  # a dev TSV under the dev dir, or "scans"
    systems: tuple[str, ...]


REGIMES: dict[str, Regime] = {
    r.name: r
    for r in (
        Regime("stripped", "stripped (no marks)", "strip.tsv.gz",
               ("input", "pyvi", "bigram", "vnocr")),
        Regime("partial", "typed with only some marks", "partial", ("input", "pyvi", "vnocr")),
        Regime("eng-ocr", "eng-OCR", "eng.tsv.gz", ("input", "vnocr", "vnocr-conf")),
        Regime("vie-clean", "vie-OCR, clean pages", "vie_clean.tsv.gz",
               ("input", "vnocr", "vnocr-conf")),
        Regime("vie-photo", "vie-OCR, photocopies", "vie_photo.tsv.gz",
               ("input", "vnocr", "vnocr-conf")),
        Regime("vie-mixed", "vie-OCR, mixed pages", "vie_mixed.tsv.gz",
               ("input", "vnocr", "vnocr-conf")),
        Regime("oos", "stripped, out-of-source literature", "oos.tsv.gz",
               ("input", "pyvi", "bigram", "vnocr")),
        Regime("oos-eng", "eng-OCR noise, out-of-source literature", "oos_eng.tsv.gz",
               ("input", "vnocr")),
        Regime(
            "scans",
            "full pipeline on rendered scans",
            "scans",
            ("tesseract-vie", "vnocr-ocr-only", "vnocr"),
        ),
    )
}

SYSTEM_TITLES = {
    "input": "input as is",
    "pyvi": "pyvi `ViUtils.add_accents`",
    "bigram": "syllable-bigram Viterbi (vnocr's counts)",
    "vnocr": "**vnocr**",
    "vnocr-conf": "**vnocr** + the OCR's word confidences",
    "tesseract-vie": "raw Tesseract `vie`",
    "vnocr-ocr-only": "vnocr OCR stage only",
}


# -- data -------------------------------------------------------------------------------


def spread(items: Sequence, limit: int | None) -> list:
    """`limit` items evenly spaced over the whole list: dev sets may be sorted by source."""
    if limit is None or limit >= len(items):
        return list(items)
    if limit <= 0:
        return []
    step = len(items) / limit
    return [items[int(k * step)] for k in range(limit)]


def dev_rows(dev_dir: Path, source: str) -> list[tuple[str, str, str]]:
    """(noisy, truth, source) rows of a dev set file (`strip.tsv.gz`, ...; rows without
    noisy and truth skipped) or, for `partial`, the stripped set's truth typed with only
    some marks (the same typing as scripts/bench_restore.py's `partial` regime, over all
    rows)."""
    from vnocr.data.devsets import load_devset, partially_typed_rows

    name = "strip" if source == "partial" else source.removesuffix(".tsv.gz")
    rows = load_devset(name, directory=dev_dir, strict=False)
    return [tuple(r) for r in (partially_typed_rows(rows) if source == "partial" else rows)]


def scan_pages(samples: Path) -> list[tuple[Path, str]]:
    from vnocr.evaluate import read_text_file

    out = []
    for img in sorted(samples.glob("admin_scan_*.jpg")):
        gt = img.with_suffix(".gt.txt")
        if gt.exists():
            out.append((img, read_text_file(gt)))
    return out


# -- systems (run inside the worker) -----------------------------------------------------


def _pyvi() -> Callable[[list[str]], list[str]]:
    from pyvi import ViUtils

    def run(lines: list[str]) -> list[str]:
        out = []
        for line in lines:
            try:
                out.append(ViUtils.add_accents(line))
            except KeyError:  # pyvi's CRF meets a label it never saw: keep the line
                out.append(line)
        return out

    run(["khoi dong"])  # loads the CRF model
    return run


def _bigram() -> Callable[[list[str]], list[str]]:
    """The bigram baseline (scripts/bigram_baseline.py) on the shipped model's counts."""
    scripts = str(Path(__file__).resolve().parent)
    if scripts not in sys.path:
        sys.path.insert(0, scripts)
    from bigram_baseline import BigramBaseline

    return BigramBaseline.from_model_dir(ROOT / "models" / "restore-v1").restore_lines


def _vnocr_text(confidences: bool = False) -> Callable[[list], list[str]]:
    """vnocr on text lines; with `confidences`, each input is a (line, Tesseract's word
    confidences) pair, restored as `vnocr ocr` restores its own reading."""
    from vnocr import Pipeline

    p = Pipeline()
    p.correct_text("khoi dong")  # loads model and gazetteer

    def run(items: list) -> list[str]:
        if confidences:
            lines, confs = [line for line, _ in items], [c for _, c in items]
            return p.correct_lines(lines, confs).text.split("\n")
        return p.correct_lines(items).text.split("\n")

    return run


def _tesseract_raw() -> Callable[[list[Path]], list[str]]:
    import pytesseract
    from PIL import Image

    # One OpenMP thread, as vnocr's own Tesseract calls use: on a busy 2-core machine
    # Tesseract's default threads only fight each other, and the peers stay comparable.
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")

    def run(paths: list[Path]) -> list[str]:
        out = []
        for path in paths:
            with Image.open(path) as im:
                out.append(pytesseract.image_to_string(im, lang="vie"))
        return out

    return run


def _vnocr_read(correct: bool) -> Callable[[list[Path]], list[str]]:
    from vnocr import LexiconOptions, Options, Pipeline, RestoreOptions

    opts = Options()
    if not correct:
        opts = Options(restore=RestoreOptions(enabled=False), lexicon=LexiconOptions(enabled=False))
    p = Pipeline(opts)
    if correct:
        p.correct_text("khoi dong")

    def run(paths: list[Path]) -> list[str]:
        return [p.read(path).text for path in paths]

    return run


SYSTEMS: dict[str, Callable[[], Callable]] = {
    "input": lambda: lambda xs: list(xs),
    "pyvi": _pyvi,
    "bigram": _bigram,
    "vnocr": _vnocr_text,
    "vnocr-conf": lambda: _vnocr_text(confidences=True),
    "tesseract-vie": _tesseract_raw,
    "vnocr-ocr-only": lambda: _vnocr_read(False),
    "vnocr-scans": lambda: _vnocr_read(True),
}


def run_system(
    regime: Regime, system: str, *, dev_dir: Path, samples: Path, limit: int | None, runs: int
) -> dict:
    """Score one system on one regime in this process; the worker's whole job."""
    if regime.source == "scans":
        items = scan_pages(samples)
        if not items:
            return {"error": f"no admin_scan_*.jpg with .gt.txt in {samples}"}
        inputs: list = [p for p, _ in items]
        truths = [t for _, t in items]
        sources = [p.stem.removeprefix("admin_scan_") for p in inputs]
        unit = "pages"
        key = "vnocr-scans" if system == "vnocr" else system
    else:
        path = dev_dir / ("strip.tsv.gz" if regime.source == "partial" else regime.source)
        if not path.exists():
            return {
                "error": f"dev set {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path} not built yet"
            }
        rows = dev_rows(dev_dir, regime.source)
        if system == "vnocr-conf":
            from vnocr.data.devsets import load_confidences

            confs = load_confidences(regime.source.removesuffix(".tsv.gz"), directory=dev_dir)
            rows = [(row, conf) for row, conf in zip(rows, confs, strict=True)]
        pairs = spread(rows, limit)
        if not pairs:
            return {"error": f"{path.name} is empty"}
        if system == "vnocr-conf":
            inputs = [(row[0], conf) for row, conf in pairs]
            pairs = [row for row, _ in pairs]
        else:
            inputs = [n for n, _, _ in pairs]
        truths = [t for _, t, _ in pairs]
        sources = [s for _, _, s in pairs]
        unit = "syllables"
        key = system
    t0 = time.perf_counter()
    fn = SYSTEMS[key]()
    load_s = time.perf_counter() - t0
    times = []
    preds: list[str] = []
    for _ in range(max(runs, 1)):
        t0 = time.perf_counter()
        preds = fn(inputs)
        times.append(time.perf_counter() - t0)
    if len(preds) != len(truths):
        return {"error": f"{system} returned {len(preds)} outputs for {len(truths)} inputs"}
    scores = Scores()
    by_source: dict[str, Scores] = {}
    for pred, truth, source in zip(preds, truths, sources, strict=True):
        one = Scores()
        one.add(pred, truth)
        scores.merge(one)
        by_source.setdefault(source or "-", Scores()).merge(one)
    seconds = statistics.median(times)
    amount = len(items) if unit == "pages" else scores.syllables
    return {
        "n": len(truths),
        "unit": unit,
        "amount": amount,
        "seconds": seconds,
        "load_s": load_s,
        "scores": scores.as_json(),
        "by_source": {k: {"n": v.pairs, **v.as_json()} for k, v in sorted(by_source.items())},
        "max_rss_mib": max(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
        )
        / 1024,
    }


# -- parent -------------------------------------------------------------------------------


def run_worker(regime: str, system: str, args: argparse.Namespace) -> dict:
    """Run one system in a fresh interpreter; errors come back as a row, not a crash."""
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--worker",
        regime,
        system,
        "--dev-dir",
        str(args.dev_dir),
        "--samples",
        str(args.samples),
        "--runs",
        str(args.runs),
    ]
    if args.limit is not None:
        cmd += ["--limit", str(args.limit)]
    try:
        proc = subprocess.run(
            cmd, capture_output=True, text=True, timeout=args.timeout, cwd=ROOT, check=False
        )
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {args.timeout} s"}
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
    return {"error": f"exit {proc.returncode}: {tail[:200]}"}


def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{100 * x:.2f} %"


def _items(r: dict) -> str:
    return f"{r['n']} {'pages' if r['unit'] == 'pages' else 'lines'}"


def _speed(r: dict, system: str) -> str:
    if system == "input" or not r.get("seconds"):
        return "—"
    if r["unit"] == "pages":
        return f"{r['seconds'] / r['amount']:.2f} s/page"
    return f"{r['amount'] / r['seconds']:,.0f} syl/s"


def markdown(rows: list[tuple[Regime, str, dict]], meta: dict) -> str:
    """The table (and how it was made) that docs/benchmarks.md holds."""
    out = [
        "# vnocr benchmarks",
        "",
        (
            f"Generated by `{meta['command']}` on {meta['date']} "
            f"(commit `{meta['commit']}`, {meta['machine']})."
        ),
        "",
        (
            "SER: syllable (word-token) error rate, punctuation ignored; SER-nc: the same, "
            "case-insensitive; CER: grapheme error rate, whitespace folded; DER: syllables "
            "wrong only in their diacritics. All after NFC and tone-placement folding "
            "(hoá = hóa), weighted by truth length. Speed counts processing only (model "
            "loading is the *load* column; median of the runs); peak RSS is the larger of a "
            "fresh Python process running that one system and its largest child (Tesseract)."
        ),
        "",
        "| regime | system | items | SER | SER-nc | CER | DER | speed | load | peak RSS | note |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for regime, system, r in rows:
        name = SYSTEM_TITLES.get(system, system)
        if "error" in r:
            err = r["error"].replace("|", "/")
            out.append(f"| {regime.title} | {name} | — | — | — | — | — | — | — | — | {err} |")
            continue
        s = r["scores"]
        items = _items(r)
        load = "—" if system == "input" else f"{r['load_s']:.1f} s"
        out.append(
            f"| {regime.title} | {name} | {items} | {_pct(s['ser'])} | {_pct(s['ser_nocase'])} "
            f"| {_pct(s['cer'])} | {_pct(s['der'])} | {_speed(r, system)} | {load} "
            f"| {r['max_rss_mib']:.0f} MiB | |"
        )
    out += _by_source(rows)
    out += ["", meta["notes"], ""]
    return "\n".join(out)


def _by_source(rows: list[tuple[Regime, str, dict]]) -> list[str]:
    """SER per source (admin, legal, news, wiki …): the target documents are admin text."""
    out: list[str] = []
    for regime in dict.fromkeys(r for r, _, _ in rows):
        done = [(s, r) for rg, s, r in rows if rg is regime and "by_source" in r]
        sources = sorted({k for _, r in done for k in r["by_source"]})
        if not done or len(sources) < 2 and regime.source != "scans":
            continue
        n = {k: max(r["by_source"].get(k, {}).get("n", 0) for _, r in done) for k in sources}
        out += [
            "",
            f"**{regime.title}: SER by source** (items per source in brackets)",
            "",
            "| system | " + " | ".join(f"{k} ({n[k]})" for k in sources) + " |",
            "|---|" + "---:|" * len(sources),
        ]
        for system, r in done:
            cells = [
                _pct(r["by_source"][k]["ser"]) if k in r["by_source"] else "—" for k in sources
            ]
            out.append(f"| {SYSTEM_TITLES.get(system, system)} | " + " | ".join(cells) + " |")
        runs = dict(done)
        if "vnocr" in runs and "bigram" in runs:
            cells = [_ratio(runs["vnocr"]["by_source"].get(k), runs["bigram"]["by_source"].get(k))
                     for k in sources]
            out.append("| vnocr SER ÷ bigram SER | " + " | ".join(cells) + " |")
    return out


def _ratio(vnocr: dict | None, baseline: dict | None) -> str:
    """vnocr's SER as a multiple of the baseline's on one source: the figure the targets
    for held-out text are stated in."""
    if not vnocr or not baseline or not baseline.get("ser"):
        return "—"
    return f"{vnocr['ser'] / baseline['ser']:.2f} ×"


README_START = "<!-- benchmark:start -->"
README_END = "<!-- benchmark:end -->"


def readme_summary(rows: list[tuple[Regime, str, dict]], meta: dict) -> str:
    """The README's one results table: SER per regime before vnocr, with pyvi where it
    was measured, and after vnocr, from the rows docs/benchmarks.md is written from."""
    out = [
        (
            f"SER on the held-out dev sets, generated by `{meta['command']}` on "
            f"{meta['date']} (commit `{meta['commit']}`). Every metric, speed and peak "
            "memory: [docs/benchmarks.md](docs/benchmarks.md)."
        ),
        "",
        "| input | items | before¹ | pyvi | **vnocr** |",
        "|---|---:|---:|---:|---:|",
    ]
    for regime in dict.fromkeys(r for r, _, _ in rows):
        done = {s: r for rg, s, r in rows if rg is regime and "scores" in r}
        before = done.get("input") or done.get("tesseract-vie")
        if "vnocr" not in done or before is None:
            continue
        pyvi = _pct(done["pyvi"]["scores"]["ser"]) if "pyvi" in done else "—"
        out.append(
            f"| {regime.title} | {_items(done['vnocr'])} | {_pct(before['scores']['ser'])} "
            f"| {pyvi} | **{_pct(done['vnocr']['scores']['ser'])}** |"
        )
    out += ["", "¹ the input as given; for scans, plain Tesseract `vie`."]
    return "\n".join(out)


# docs/benchmarks.md: this script's part lies between these markers; the sections other
# scripts measure (encodings, review calibration) follow them and are kept.
DOC_START = "<!-- benchmark.py:start -->"
DOC_END = "<!-- benchmark.py:end -->"


def replace_marked_block(path: Path, body: str, start_marker: str, end_marker: str) -> bool:
    """Put `body` between the markers of `path`, keeping the rest of the file; False
    (file untouched) where the file or its markers are missing."""
    if not path.is_file():
        return False
    text = path.read_text(encoding="utf-8")
    start, end = text.find(start_marker), text.find(end_marker)
    if start < 0 or end < start:
        return False
    head = text[: start + len(start_marker)]
    path.write_text(f"{head}\n{body}\n{text[end:]}", encoding="utf-8")
    return True


def update_readme(path: Path, summary: str) -> bool:
    """Put `summary` between the benchmark markers of README.md (`replace_marked_block`)."""
    return replace_marked_block(path, summary, README_START, README_END)


def write_benchmarks(path: Path, table: str) -> bool:
    """Write `table` as this script's part of docs/benchmarks.md, keeping the sections
    around it; a new file gets the markers. False (file untouched): an existing file
    without them, whose hand-written sections a whole rewrite would drop."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"{DOC_START}\n{DOC_END}\n", encoding="utf-8")
    return replace_marked_block(path, table, DOC_START, DOC_END)


def _commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def _notes(args: argparse.Namespace) -> str:
    model = ROOT / "models" / "restore-v1"
    limit = "all" if args.limit is None else f"{args.limit} (evenly spaced)"
    present = (model / "config.json").exists()
    lines = [
        f"- Lines per regime: {limit}; timing runs per system: {args.runs}.",
        f"- Model: `{model.relative_to(ROOT)}` "
        + ("present." if present else "**absent** at run time."),
        (
            "- Dev sets are held out from training (built by the data scripts); the scans "
            "are `samples/admin_scan_{clean,photocopy}.jpg` against their `.gt.txt`."
        ),
        (
            "- Tesseract runs with `OMP_THREAD_LIMIT=1` in both the raw peer and vnocr; the "
            "rendered scans are A4 at 200 DPI, Tesseract 5 `vie`, page segmentation mode 3."
        ),
        (
            "- pyvi's `add_accents` is the one offline Vietnamese accent restorer on PyPI; "
            "lines where it raises KeyError are scored as given. Published anchors for "
            "stripped text: about 97–98.5 % syllable accuracy (SER 1.5–3 %)."
        ),
    ]
    return "\n".join(lines)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--limit", type=int, default=None, help="lines per text regime (spread)")
    ap.add_argument("--runs", type=int, default=1, help="timing runs per system (median)")
    ap.add_argument("--regimes", nargs="+", choices=list(REGIMES), default=list(REGIMES))
    ap.add_argument("--systems", nargs="+", default=None, help="only these systems")
    ap.add_argument("--dev-dir", type=Path, default=ROOT / "samples" / "dev")
    ap.add_argument("--samples", type=Path, default=ROOT / "samples")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    ap.add_argument("--readme", type=Path, default=ROOT / "README.md",
                    help="file whose benchmark block gets the summary table")
    ap.add_argument("--no-write", action="store_true", help="print the table only")
    ap.add_argument("--timeout", type=int, default=3600, help="seconds per system")
    ap.add_argument("--worker", nargs=2, metavar=("REGIME", "SYSTEM"), help=argparse.SUPPRESS)
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.worker:
        regime, system = args.worker
        r = run_system(
            REGIMES[regime],
            system,
            dev_dir=args.dev_dir,
            samples=args.samples,
            limit=args.limit,
            runs=args.runs,
        )
        print(json.dumps(r))
        return 0
    rows = []
    for name in args.regimes:
        regime = REGIMES[name]
        for system in regime.systems:
            if args.systems and system not in args.systems:
                continue
            print(f"[benchmark] {name} / {system} …", file=sys.stderr, flush=True)
            r = run_worker(name, system, args)
            rows.append((regime, system, r))
            print(f"[benchmark]   {json.dumps(r)[:300]}", file=sys.stderr, flush=True)
    shown = " ".join(a for a in (argv if argv is not None else sys.argv[1:]))
    meta = {
        "command": f"python scripts/benchmark.py {shown}".strip(),
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": _commit(),
        "machine": f"{os.cpu_count()} CPUs, {platform.machine()}, Python "
        f"{platform.python_version()}",
        "notes": _notes(args),
    }
    table = markdown(rows, meta)
    print(table)
    if not args.no_write:
        if write_benchmarks(args.out, table):
            print(f"[benchmark] wrote its part of {args.out}", file=sys.stderr)
        else:
            print(f"[benchmark] no {DOC_START} block in {args.out}: not written", file=sys.stderr)
        if update_readme(args.readme, readme_summary(rows, meta)):
            print(f"[benchmark] updated the summary in {args.readme}", file=sys.stderr)
        else:
            print(f"[benchmark] no {README_START} block in {args.readme}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
