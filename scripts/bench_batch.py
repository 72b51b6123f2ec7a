#!/usr/bin/env python
"""Pages per minute of `vnocr batch` with -j 1 and -j 2 on the same rendered pages.

    nice -n 10 .venv/bin/python scripts/bench_batch.py --pages 12 --jobs 1 2

Renders `--pages` A4-wide pages of held-out (dev split) corpus text, degraded as in the
'mixed' condition of the training-data pages (150–300 DPI, blur, speckle, rotation,
JPEG), half as single-page JPEG/PNG scans and half as 3-page PDFs; then runs the real
command (`python -m vnocr batch IN OUT -j N`) on them and times it from start to
exit, start-up and model load included. Prints a markdown table.

    .venv/bin/python scripts/bench_batch.py --pages 24 --jobs 1 2 --tesseract

`--tesseract` adds plain `tesseract PAGE - -l vie` on every page (each page also saved
as a PNG for it), one page after another, and both it and `-j 1` run single-threaded
(OMP_THREAD_LIMIT=1): the time per page against plain Tesseract's. CPU time (user +
system, of the whole process tree) is the figure to compare on a shared machine; wall
time grows with the load. `--repeat N` runs everything N times, interleaved, and
reports medians.

    .venv/bin/python scripts/bench_batch.py --scans ../shared/samples/real --copies 6 \
        --jobs 1 --tesseract --repeat 3

`--scans DIR` times real scans instead of rendered pages: every image in DIR, each
copied `--copies` times (under other names, so none is skipped as done), read by both.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from vnocr.data.corpus import iter_paragraphs, split_of
from vnocr.data.pages import sample_spec, wrap
from vnocr.data.render import find_fonts, render_page
from vnocr.text import normalize_text_tones

SOURCES = ("admin_docs", "legal_codes_vlc")


def dev_paragraphs(limit: int) -> list[str]:
    """Held-out paragraphs (the dev split, never trained on), admin text first."""
    out: list[str] = []
    for source in SOURCES:
        for para in iter_paragraphs(source):
            if split_of(para) == "dev" and len(para) > 80:
                out.append(normalize_text_tones(para, "old"))
                if len(out) >= limit:
                    return out
    return out


def render_inputs(root: Path, n_pages: int, lines_per_page: int, seed: int,
                  plain: Path | None = None) -> int:
    """Write the benchmark tree (and every page as a PNG into `plain`, for plain
    Tesseract); returns the number of pages written."""
    from PIL import Image

    rng = random.Random(seed)
    fonts = find_fonts()
    paras = iter(dev_paragraphs(20 * n_pages))
    pages = []
    for k in range(n_pages):
        spec = sample_spec("mixed", rng, fonts)
        lines: list[str] = []
        while len(lines) < lines_per_page:
            lines.extend(wrap(next(paras), spec))
        img = render_page(lines[:lines_per_page], spec, seed=seed + k)
        img = Image.frombytes(img.mode, img.size, img.tobytes())  # plain copy, no save hints
        pages.append((img, spec.dpi))
    if plain is not None:
        plain.mkdir(parents=True)
        for k, (img, dpi) in enumerate(pages):
            img.save(plain / f"page{k:03d}.png", dpi=(dpi, dpi))
    singles = n_pages // 2
    (root / "scans").mkdir(parents=True)
    for k, (img, dpi) in enumerate(pages[:singles]):
        ext = "jpg" if k % 2 else "png"
        img.save(root / "scans" / f"page{k:03d}.{ext}", dpi=(dpi, dpi))
    (root / "pdf").mkdir()
    rest = pages[singles:]
    for n in range(0, len(rest), 3):
        chunk = [im for im, _ in rest[n : n + 3]]
        chunk[0].save(
            root / "pdf" / f"report{n // 3:03d}.pdf",
            save_all=True,
            append_images=chunk[1:],
            resolution=rest[n][1],
        )
    return n_pages


SCAN_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")


def copy_scans(src: Path, root: Path, copies: int, plain: Path | None = None) -> int:
    """Each image of `src`, `copies` times, into `root/scans` (and into `plain`, for
    plain Tesseract); returns the number of pages written."""
    images = sorted(p for p in src.iterdir() if p.suffix.lower() in SCAN_SUFFIXES)
    if not images:
        raise SystemExit(f"no scans ({', '.join(SCAN_SUFFIXES)}) in {src}")
    targets = [root / "scans"] + ([plain] if plain is not None else [])
    for target in targets:
        target.mkdir(parents=True)
        for k in range(copies):
            for image in images:
                shutil.copyfile(image, target / f"copy{k}_{image.name}")
    return copies * len(images)


SINGLE_THREAD = {"OMP_THREAD_LIMIT": "1"}


def run_tesseract(plain: Path) -> dict:
    """Plain `tesseract PAGE - -l vie` on every page, one after another, single-threaded."""
    pages = sorted(p for p in plain.iterdir() if p.suffix.lower() in SCAN_SUFFIXES)
    ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    for page in pages:
        subprocess.run(["tesseract", str(page), "-", "-l", "vie"], check=True,
                       capture_output=True, env={**os.environ, **SINGLE_THREAD})
    wall = time.perf_counter() - t0
    ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime)
    return {"wall_s": wall, "batch_s": wall, "pages": len(pages),
            "ppm": 60.0 * len(pages) / wall, "cpu_s": cpu}


def run_once(in_dir: Path, out_dir: Path, jobs: int, extra: list[str],
             env: dict[str, str] | None = None) -> dict:
    cmd = [
        sys.executable,
        "-m",
        "vnocr",
        "batch",
        str(in_dir),
        str(out_dir),
        "-j",
        str(jobs),
        "--no-progress",
        *extra,
    ]
    shutil.rmtree(out_dir, ignore_errors=True)  # a kept one would be resumed: nothing to do
    ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    res = subprocess.run(cmd, check=False, cwd=REPO, capture_output=True, text=True,
                         env={**os.environ, **(env or {})})
    wall = time.perf_counter() - t0
    ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    # CPU of the whole tree (workers and Tesseract included): what the work costs,
    # whatever else the machine is doing.
    cpu = (ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime)
    if res.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({res.returncode}):\n{res.stderr[-2000:]}")
    report = json.loads((out_dir / "vnocr-report.json").read_text())
    pages = report["counts"]["pages"]
    return {
        "wall_s": wall,
        "batch_s": report["elapsed_s"],
        "pages": pages,
        "ppm": 60.0 * pages / wall,
        "cpu_s": cpu,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=12)
    ap.add_argument("--lines", type=int, default=25, help="text lines per page")
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument(
        "--correct",
        choices=["auto", "yes", "no"],
        default="auto",
        help="run restoration too (auto: when models/restore-v1 exists)",
    )
    ap.add_argument("--scans", type=Path, help="time these real scans, not rendered pages")
    ap.add_argument("--copies", type=int, default=1, help="copies of each of --scans")
    ap.add_argument("--keep", type=Path, help="keep inputs and outputs in this folder")
    ap.add_argument("--json", action="store_true", help="print JSON instead of markdown")
    ap.add_argument("--tesseract", action="store_true",
                    help="also plain Tesseract per page; -j 1 and it single-threaded")
    args = ap.parse_args()

    correct = args.correct == "yes" or (
        args.correct == "auto" and (REPO / "models" / "restore-v1" / "config.json").exists()
    )
    extra = [] if correct else ["--no-correct"]
    work = args.keep or Path(tempfile.mkdtemp(prefix="vnocr-bench-batch-"))
    in_dir = work / "in"
    plain = work / "plain"
    if not in_dir.exists() and args.scans:
        copy_scans(args.scans, in_dir, args.copies, plain if args.tesseract else None)
    elif not in_dir.exists():
        render_inputs(in_dir, args.pages, args.lines, args.seed,
                      plain if args.tesseract else None)
    load_before = os.getloadavg()[0]
    runs: dict[int, list[dict]] = {j: [] for j in args.jobs}
    tesseract: list[dict] = []
    for r in range(args.repeat):  # interleaved, so a change in machine load hits all alike
        if args.tesseract:
            tesseract.append(run_tesseract(plain))
        for jobs in args.jobs:
            env = SINGLE_THREAD if args.tesseract and jobs == 1 else None
            runs[jobs].append(run_once(in_dir, work / f"out-j{jobs}-{r}", jobs, extra, env))
    load_after = os.getloadavg()[0]
    rows = []
    for jobs, rs in runs.items():
        med = {
            k: statistics.median(r[k] for r in rs) for k in ("wall_s", "batch_s", "ppm", "cpu_s")
        }
        rows.append({"jobs": jobs, "pages": rs[0]["pages"], **med, "runs": len(rs)})
    plain_row = None
    if tesseract:
        plain_row = {k: statistics.median(r[k] for r in tesseract)
                     for k in ("wall_s", "batch_s", "ppm", "cpu_s")}
        plain_row |= {"pages": tesseract[0]["pages"], "runs": len(tesseract)}
    outs = [work / f"out-j{j}-0" for j in args.jobs]
    same = len({_tree_digest(o) for o in outs}) == 1
    if args.json:
        print(
            json.dumps(
                {
                    "correct": correct,
                    "identical_outputs": same,
                    "rows": rows,
                    "plain_tesseract": plain_row,
                    "cpus": os.cpu_count(),
                    "loadavg_1min": [load_before, load_after],
                },
                indent=2,
            )
        )
        return
    mode = "OCR + restoration" if correct else "OCR only (--no-correct)"
    print(
        f"vnocr batch, {rows[0]['pages']} {'scanned' if args.scans else 'rendered'} pages, {mode}, {os.cpu_count()} CPUs; "
        f"outputs identical across -j: {same}; 1-min load average {load_before:.1f} before, "
        f"{load_after:.1f} after"
    )
    print()
    print(
        f"| -j | pages | wall s (median of {args.repeat}) | pages/min | speed-up | CPU s per page |"
    )
    print("|---:|---:|---:|---:|---:|---:|")
    base = rows[0]["ppm"]
    for r in rows:
        print(
            f"| {r['jobs']} | {r['pages']} | {r['wall_s']:.1f} | {r['ppm']:.1f} | "
            f"{r['ppm'] / base:.2f}x | {r['cpu_s'] / r['pages']:.2f} |"
        )
    if plain_row is not None:
        p = plain_row
        print(f"| plain `tesseract -l vie` | {p['pages']} | {p['wall_s']:.1f} | {p['ppm']:.1f} "
              f"| — | {p['cpu_s'] / p['pages']:.2f} |")
        print()
        print(f"`vnocr batch -j 1` per page: {rows[0]['cpu_s'] / p['cpu_s']:.2f} × plain "
              f"Tesseract's CPU time, {p['ppm'] / rows[0]['ppm']:.2f} × its wall time "
              f"(both single-threaded, OMP_THREAD_LIMIT=1).")


def _tree_digest(out: Path) -> str:
    import hashlib

    h = hashlib.sha256()
    for p in sorted(out.rglob("*")):
        if p.is_file() and not p.name.startswith((".vnocr", "vnocr-report")):
            h.update(p.relative_to(out).as_posix().encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


if __name__ == "__main__":
    main()
