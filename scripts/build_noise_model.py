"""Learn OCR noise from real Tesseract runs: render → Tesseract eng/vie → align → tables.

Two steps, both resumable:

    # 1. render pages from the corpus and OCR them (slow: Tesseract, 2 processes at most;
    #    ~7 s a page on this shared 2-core machine, 425 pages in ~55 min)
    nohup nice -n 10 python scripts/build_noise_model.py ocr --pages train_mixed=160 \
        train_photo=60 dev_mixed=70 dev_clean=70 dev_photo=70 > /tmp/noise_ocr.log 2>&1 &
    # 2. align the train pages and write pipeline/channel_tables/{eng,vie}.json.gz
    python scripts/build_noise_model.py tables

Raw OCR and truth per page go to runs/ocr_pages/<set>/<index>.json (gitignored).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from vnocr.data.pages import PAGE_SETS, plan_pages, run_job

log = logging.getLogger("build_noise_model")
DEFAULT_PAGES = ROOT / "runs" / "ocr_pages"


def _interleave(plans: list[list]) -> list:
    """Round-robin over sets so every set has pages early, whenever the run is stopped."""
    out = []
    for i in range(max((len(p) for p in plans), default=0)):
        for p in plans:
            if i < len(p):
                out.append(p[i])
    return out


def cmd_ocr(args: argparse.Namespace) -> None:
    os.environ["OMP_THREAD_LIMIT"] = "1"
    plans = []
    for item in args.pages:
        name, _, n = item.partition("=")
        if name not in PAGE_SETS:
            raise SystemExit(f"unknown page set {name!r}; known: {', '.join(PAGE_SETS)}")
        plans.append(plan_pages(name, int(n)))
        log.info("planned %s: %d pages", name, len(plans[-1]))
    jobs = [
        j
        for j in _interleave(plans)
        if not (args.out / j.set_name / f"{j.index:05d}.json").exists()
    ]
    log.info("%d pages to OCR (%d workers)", len(jobs), args.workers)
    t0 = time.time()
    with ProcessPoolExecutor(max_workers=args.workers) as ex:
        futs = {ex.submit(run_job, j, args.out): j for j in jobs}
        for k, fut in enumerate(as_completed(futs), 1):
            j = futs[fut]
            try:
                fut.result()
            except (OSError, RuntimeError, ValueError) as e:  # one bad page must not stop it
                log.warning("page %s/%d failed: %s", j.set_name, j.index, e)
                continue
            el = time.time() - t0
            log.info("%d/%d %s/%05d done, %.1f s/page", k, len(jobs), j.set_name, j.index, el / k)


def cmd_tables(args: argparse.Namespace) -> None:
    from vnocr.data.noise_tables import build_tables_from_pages

    # Every train page set read in the regime's language: eng reads only the mixed pages,
    # vie the mixed and the photocopy-grade ones.
    dirs = [args.out / name for name, (split, _c) in PAGE_SETS.items() if split == "train"]
    for regime in ("eng", "vie"):
        stats = build_tables_from_pages(dirs, regime, args.noise_dir)
        log.info("%s: %s", regime, stats)


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--out", type=Path, default=DEFAULT_PAGES, help="raw OCR page folder")
    sub = ap.add_subparsers(dest="cmd", required=True)
    o = sub.add_parser("ocr", help="render and OCR pages")
    o.add_argument(
        "--pages",
        nargs="+",
        default=[
            "train_mixed=160",
            "train_photo=60",
            "dev_mixed=70",
            "dev_clean=70",
            "dev_photo=70",
        ],
        help="SET=N pages per set",
    )
    o.add_argument("--workers", type=int, default=2, help="parallel Tesseract processes (≤2)")
    t = sub.add_parser("tables", help="align train pages and write the noise tables")
    t.add_argument("--noise-dir", type=Path, default=ROOT / "pipeline" / "channel_tables")
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    {"ocr": cmd_ocr, "tables": cmd_tables}[args.cmd](args)


if __name__ == "__main__":
    main()
