#!/usr/bin/env python3
"""Benchmark the OCR stage against plain `tesseract IMG - -l vie` on pages rendered here.

Pages are printed from held-out corpus text (the dev split of admin_docs and
legal_codes_vlc: md5(paragraph) % 100 == 0, never trained on) in two conditions:

* clean: 300 DPI, level, lossless;
* photocopy: 150–200 DPI, rotated up to 3°, blurred, dusty, JPEG;
* (for --ablate) clean-lowres: 150–200 DPI undamaged; lowres and fax: photocopy damage
  at 100–130 and at 72–100 DPI; hires: 600 DPI undamaged; shadow: clean-lowres pages
  darkened towards the left edge, to ~35 % there (a book's spine shadow) and towards
  the corners (a phone photo's vignette); seals: clean-lowres pages with two red seals
  stamped over the text (RGB); turned: clean-lowres pages lying turned by 90° (even
  pages) or 180° (odd), as a sideways landscape sheet or one fed upside down; crooked:
  clean-lowres pages tilted by 8–14°, as a phone photo may be.

Both systems read the same page files and are scored with `vnocr.evaluate` (CER,
SER). Tesseract runs with OMP_THREAD_LIMIT=1 for both (see README_ocr.md:
its OpenMP threads only spin on a loaded 2-core machine), so times compare like for like.

    python scripts/bench_ocr.py --pages 8             # the README table
    python scripts/bench_ocr.py --pages 4 --ablate    # one row per preprocessing variant
    python scripts/bench_ocr.py --pages 6 --conditions photocopy,fax,lowres --correct

`--correct` scores the whole pipeline instead: each page read once by vnocr's OCR stage,
then restored from its text alone and with Tesseract's word confidences (what `vnocr ocr`
does).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from vnocr.data.corpus import corpus_dir, split_of
from vnocr.data.render import RenderSpec, find_fonts, line_fits, render_page
from vnocr.evaluate import Scores
from vnocr.ocr import read_document
from vnocr.ocr.preprocess import estimate_skew, text_stats
from vnocr.options import OcrOptions, PreprocessOptions

SOURCES = ("admin_docs", "legal_codes_vlc")
LINES_PER_PAGE = 34
CONDITIONS = ("clean", "photocopy")
# Extra conditions for --ablate: clean print at low resolution (does a step hurt good
# pages?), photocopy damage at 100-130 and 72-100 DPI (does upscaling pay there?), and
# 600 DPI scans (does downscaling cost accuracy?).
EXTRA_CONDITIONS = ("clean-lowres", "lowres", "fax", "hires", "shadow", "seals", "turned",
                    "crooked")
_DPI = {"lowres": [100, 115, 130], "fax": [72, 85, 100]}


@dataclass
class Page:
    path: Path
    truth: str
    spec: RenderSpec


@dataclass
class Row:
    condition: str
    system: str
    scores: Scores = field(default_factory=Scores)
    seconds: list[float] = field(default_factory=list)
    prep: list[float] = field(default_factory=list)
    tess: list[float] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        d = {
            "condition": self.condition,
            "system": self.system,
            **self.scores.as_dict(),
            "s_per_page": statistics.median(self.seconds),
        }
        if self.tess:
            d["prep_over_tess"] = sum(self.prep) / sum(self.tess)
        return d


def dev_paragraphs(seed: int) -> list[str]:
    """Dev-split paragraphs of the admin and legal sources, shuffled with `seed`."""
    out = []
    for src in SOURCES:
        with gzip.open(corpus_dir() / f"{src}.txt.gz", "rt", encoding="utf-8") as f:
            out += [ln.strip() for ln in f if ln.strip() and split_of(ln) == "dev"]
    random.Random(seed).shuffle(out)
    return out


def wrap(paragraph: str, spec: RenderSpec) -> list[str]:
    """Greedy word wrap to the printable width, as a word processor would."""
    lines, cur = [], ""
    for word in paragraph.split():
        trial = f"{cur} {word}" if cur else word
        if cur and not line_fits(trial, spec):
            lines.append(cur)
            cur = word
        else:
            cur = trial
    if cur:
        lines.append(cur)
    return lines


def make_spec(condition: str, font: Path, rng: random.Random) -> RenderSpec:
    size = rng.choice([11, 12, 13])
    if condition == "clean":
        return RenderSpec(font=font, size_pt=size, dpi=300)
    if condition in ("clean-lowres", "shadow", "seals", "turned", "crooked"):
        tilt = rng.uniform(8.0, 14.0) * rng.choice([-1, 1]) if condition == "crooked" else 0.0
        return RenderSpec(font=font, size_pt=size, dpi=rng.choice([150, 175, 200]),
                          rotate_deg=round(tilt, 2),
                          shadow=0.62 if condition == "shadow" else 0.0,
                          seals=2 if condition == "seals" else 0)
    if condition == "hires":
        return RenderSpec(font=font, size_pt=size, dpi=600)
    return RenderSpec(
        font=font,
        size_pt=size,
        dpi=rng.choice(_DPI.get(condition, [150, 175, 200])),
        rotate_deg=round(rng.uniform(0.5, 3.0) * rng.choice([-1, 1]), 2),
        blur=round(rng.uniform(0.4, 1.0), 2),
        speckle=round(rng.uniform(0.002, 0.006), 4),
        jpeg_quality=rng.randint(35, 70),
    )


def make_pages(condition: str, n: int, workdir: Path, seed: int) -> list[Page]:
    rng = random.Random(f"{condition}-{seed}")
    fonts = find_fonts()
    paragraphs = iter(dev_paragraphs(seed + (CONDITIONS + EXTRA_CONDITIONS).index(condition)))
    pages = []
    for k in range(n):
        spec = make_spec(condition, fonts[k % len(fonts)], rng)
        lines: list[str] = []
        while len(lines) < LINES_PER_PAGE:
            block = wrap(next(paragraphs), spec)
            lines += block[: LINES_PER_PAGE - len(lines)]
        img = render_page(lines, spec, seed=seed * 1000 + k)
        if condition == "turned":
            img = img.rotate(90 if k % 2 == 0 else 180, expand=True)
        path = workdir / f"{condition}_{k:02d}.png"
        img.save(path, dpi=(spec.dpi, spec.dpi))
        pages.append(Page(path, "\n".join(lines), spec))
    return pages


def plain_tesseract(path: Path) -> tuple[str, float]:
    t0 = time.perf_counter()
    proc = subprocess.run(
        ["tesseract", str(path), "-", "-l", "vie"],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    return proc.stdout, time.perf_counter() - t0


def run_ours(path: Path, prep: PreprocessOptions) -> tuple[str, float, float, float]:
    t0 = time.perf_counter()
    pages = read_document(path, OcrOptions(preprocess=prep))
    wall = time.perf_counter() - t0
    return (
        "\f".join(p.text for p in pages),
        wall,
        sum(p.preprocess_s for p in pages),
        sum(p.tesseract_s for p in pages),
    )


def _v(**kw: object) -> PreprocessOptions:
    """A variant: every step off unless named, so rows do not drift with the defaults."""
    base: dict[str, object] = {
        "deskew": True,
        "denoise": "none",
        "binarize": "none",
        "target_x_height": 0,
    }
    return PreprocessOptions(**{**base, **kw})  # type: ignore[arg-type]


VARIANTS: dict[str, PreprocessOptions] = {
    "none (gray only)": PreprocessOptions(enabled=False),
    "deskew": _v(),
    "deskew+median": _v(denoise="median"),
    "deskew+auto-median": _v(denoise="auto"),
    "deskew+auto-median+x12": _v(denoise="auto", target_x_height=12),
    "deskew+auto-median+x16": _v(denoise="auto", target_x_height=16),
    "deskew+auto-median+x20": _v(denoise="auto", target_x_height=20),
    "deskew+auto-median+x25": _v(denoise="auto", target_x_height=25),
    "deskew+auto-median+x30": _v(denoise="auto", target_x_height=30),
    "deskew+x16": _v(target_x_height=16),
    "deskew+x20": _v(target_x_height=20),
    "default": PreprocessOptions(),
    "default-max24": PreprocessOptions(max_x_height=24),
    "default-max22": PreprocessOptions(max_x_height=22),
    "default-max20": PreprocessOptions(max_x_height=20),
    "default-max18": PreprocessOptions(max_x_height=18),
    "deskew+auto-median+otsu": _v(denoise="auto", binarize="otsu"),
    "deskew+auto-median+adaptive": _v(denoise="auto", binarize="adaptive"),
}


def correction_rows(condition: str, pages: list[Page]) -> list[Row]:
    """OCR stage alone, restored from the text alone, restored with the OCR's word
    confidences (as `vnocr ocr`): one reading per page, so only the restoration differs."""
    from vnocr import Pipeline

    pipe = Pipeline()
    rows = [Row(condition, name) for name in (
        "vnocr ocr --no-correct", "+ restoration, text only", "vnocr ocr (with confidences)")]
    for page in pages:
        t0 = time.perf_counter()
        read = read_document(page.path, OcrOptions())
        ocr_s = time.perf_counter() - t0
        lines = [line for p in read for line in p.lines]
        confs = [c for p in read for c in p.line_confidences]
        for row, confidences in zip(rows, (None, None, confs)):
            t0 = time.perf_counter()
            text = ("\n".join(lines) if row is rows[0]
                    else pipe.correct_lines(lines, confidences).text)
            row.scores.add(text, page.truth)
            row.seconds.append(ocr_s + time.perf_counter() - t0)
    return rows


def fmt_table(rows: list[Row]) -> str:
    out = [
        "| pages | system | CER | SER | s/page (median) | preprocessing / Tesseract time |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for r in rows:
        d = r.as_dict()
        ratio = f"{d['prep_over_tess']:.1%}" if "prep_over_tess" in d else "–"
        out.append(
            f"| {r.condition} | {r.system} | {d['cer']:.2%} | {d['ser']:.2%} | "
            f"{d['s_per_page']:.2f} | {ratio} |"
        )
    return "\n".join(out)


def fmt_pivot(rows: list[Row]) -> str:
    """Ablation view: one line per variant, CER / SER per condition."""
    conds = list(dict.fromkeys(r.condition for r in rows))
    cell = {(r.system, r.condition): r.scores for r in rows}
    out = ["| variant | " + " | ".join(conds) + " |", "|---|" + "---:|" * len(conds)]
    for system in dict.fromkeys(r.system for r in rows):
        cells = [cell.get((system, c)) for c in conds]
        out.append(
            f"| {system.removeprefix('vnocr ')} | "
            + " | ".join(f"{x.cer:.2%} / {x.ser:.2%}" if x else "–" for x in cells)
            + " |"
        )
    return "\n".join(out)


def diagnose(n: int, seed: int) -> str:
    """Deskew error and the page measures (letter height, dust) on `n` random pages.

    Half the pages are clean, half dusty; angles, DPI, fonts, blur and JPEG vary.
    """
    rng = random.Random(f"diagnose-{seed}")
    fonts = find_fonts()
    paragraphs = iter(dev_paragraphs(seed + 7))
    out = [
        "| dpi | dust | rotation ° | found ° | error ° | deskew s | letter px | dust ratio |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    errors, times, clean_dust, dusty_dust = [], [], [], []
    for k in range(n):
        dusty = k % 2 == 1
        spec = RenderSpec(
            font=fonts[k % len(fonts)],
            size_pt=rng.choice([11, 12, 13]),
            dpi=rng.choice([100, 150, 200, 300]),
            rotate_deg=round(rng.uniform(-3.0, 3.0), 2),
            blur=round(rng.uniform(0.0, 1.0), 2),
            speckle=round(rng.uniform(0.002, 0.006), 4) if dusty else 0.0,
            jpeg_quality=rng.randint(35, 90) if dusty else None,
        )
        lines: list[str] = []
        while len(lines) < 20:
            lines += wrap(next(paragraphs), spec)[: 20 - len(lines)]
        gray = np.asarray(render_page(lines, spec, seed=seed * 1000 + k))
        t0 = time.perf_counter()
        found = estimate_skew(gray)
        times.append(time.perf_counter() - t0)
        errors.append(abs(found - spec.rotate_deg))
        stats = text_stats(gray)
        (dusty_dust if dusty else clean_dust).append(stats.speck_ratio)
        out.append(
            f"| {spec.dpi} | {spec.speckle:.2%} | {spec.rotate_deg:+.2f} | {found:+.2f} | "
            f"{errors[-1]:.2f} | {times[-1]:.3f} | {stats.x_height or 0:.0f} | "
            f"{stats.speck_ratio:.2f} |"
        )
    out.append("")
    out.append(
        f"deskew error: max {max(errors):.2f}°, median {statistics.median(errors):.2f}°; "
        f"time median {statistics.median(times):.3f} s; dust ratio clean "
        f"{min(clean_dust):.2f}–{max(clean_dust):.2f}, dusty "
        f"{min(dusty_dust):.2f}–{max(dusty_dust):.2f}"
    )
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=8, help="pages per condition (default 8)")
    ap.add_argument(
        "--conditions",
        default=",".join(CONDITIONS),
        help=f"comma-separated, of {', '.join(CONDITIONS + EXTRA_CONDITIONS)}",
    )
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument(
        "--ablate",
        action="store_true",
        help="compare preprocessing variants instead of ours vs plain tesseract",
    )
    ap.add_argument("--variants", default="", help="comma-separated subset of the variants")
    ap.add_argument("--correct", action="store_true",
                    help="score OCR + restoration, with and without the OCR's confidences")
    ap.add_argument("--json", type=Path, help="also write the rows as JSON here")
    ap.add_argument("--keep", type=Path, help="keep the rendered pages in this directory")
    ap.add_argument(
        "--diagnose",
        type=int,
        metavar="N",
        help="instead: deskew error, letter height and dust ratio on N pages",
    )
    args = ap.parse_args(argv)
    if args.diagnose:
        print(diagnose(args.diagnose, args.seed))
        return 0
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")

    conditions = [c for c in args.conditions.split(",") if c]
    for c in conditions:
        if c not in CONDITIONS + EXTRA_CONDITIONS:
            ap.error(f"unknown condition {c!r}")
    with tempfile.TemporaryDirectory(prefix="bench_ocr-") as tmp:
        workdir = args.keep or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        rows: list[Row] = []
        for cond in conditions:
            pages = make_pages(cond, args.pages, workdir, args.seed)
            if args.correct:
                rows += correction_rows(cond, pages)
                continue
            if args.ablate:
                names = [v for v in args.variants.split(",") if v] or list(VARIANTS)
                systems = [(f"vnocr {v}", VARIANTS[v]) for v in names]
            else:
                systems = [
                    ("tesseract -l vie", None),
                    ("vnocr ocr --no-correct", PreprocessOptions()),
                ]
            cond_rows = [Row(cond, name) for name, _ in systems]
            # Page by page, every system in turn (order rotating), so a load spike on
            # this shared machine hits all systems alike rather than one row.
            for k, page in enumerate(pages):
                order = list(range(len(systems)))
                order = order[k % len(order) :] + order[: k % len(order)]
                for j in order:
                    prep, row = systems[j][1], cond_rows[j]
                    if prep is None:
                        text, wall = plain_tesseract(page.path)
                    else:
                        text, wall, p_s, t_s = run_ours(page.path, prep)
                        row.prep.append(p_s)
                        row.tess.append(t_s)
                    row.scores.add(text, page.truth)
                    row.seconds.append(wall)
            for row in cond_rows:
                print(fmt_table([row]).splitlines()[-1], file=sys.stderr, flush=True)
            rows += cond_rows
    print(fmt_pivot(rows) if args.ablate else fmt_table(rows))
    if args.json:
        args.json.write_text(json.dumps([r.as_dict() for r in rows], indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
