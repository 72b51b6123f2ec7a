"""Build the committed dev sets under samples/dev/: gzip TSV `noisy<TAB>truth<TAB>source`.

    python scripts/make_devsets.py            # all sets
    python scripts/make_devsets.py --only strip

strip.tsv.gz      dev-split corpus lines (5–40 syllables), marks stripped
eng.tsv.gz        real Tesseract -l eng on dev pages (mixed print/scan conditions)
vie_mixed.tsv.gz  real Tesseract -l vie on the same pages
vie_clean.tsv.gz  real Tesseract -l vie on clean 300 DPI renders of the same text
vie_photo.tsv.gz  real Tesseract -l vie on 150–200 DPI rotated, blurred, JPEG renders

Beside each OCR set, `<name>.conf.gz`: one line per row, Tesseract's word confidences
(0–100) of the row's OCR tokens (its whitespace-separated words), empty where the page
gave none for every word; `vnocr.data.devsets.load_confidences` reads them.

The OCR sets need `scripts/build_noise_model.py ocr` to have produced runs/ocr_pages/dev_*.
Only dev-split text is used; OCR lines that do not align with their truth line (folded
similarity < 0.5: dropped or invented lines) are dropped and counted.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from vnocr.data.corpus import iter_lines
from vnocr.data.noise_tables import iter_page_pairs
from vnocr.text import strip_marks

log = logging.getLogger("make_devsets")
STRIP_SOURCES = [
    "admin_docs",
    "legal_codes_vlc",
    "news_dantri_2021",
    "news_baomoi_2017",
    "wiki_vi_2017",
]
OCR_SETS = {  # output name: (page set, Tesseract language)
    "eng": ("dev_mixed", "eng"),
    "vie_mixed": ("dev_mixed", "vie"),
    "vie_clean": ("dev_clean", "vie"),
    "vie_photo": ("dev_photo", "vie"),
}


def _clean(s: str) -> str:
    return " ".join(s.replace("\t", " ").split())


def write_lines(path: Path, lines: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0: the same rows give the same bytes, so a rebuild shows no spurious diff.
    with (
        open(path, "wb") as raw,
        gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, compresslevel=9) as gz,
    ):
        for line in lines:
            gz.write(f"{line}\n".encode())


def write_tsv(path: Path, rows: list[tuple[str, str, str]]) -> None:
    write_lines(path, [f"{_clean(noisy)}\t{_clean(truth)}\t{src}" for noisy, truth, src in rows])


def make_strip(out: Path, per_source: int, seed: int) -> dict:
    by_src: dict[str, list[str]] = defaultdict(list)
    for src, line in iter_lines("dev", STRIP_SOURCES):
        if 5 <= len(line.split()) <= 40:
            by_src[src].append(line)
    rng = random.Random(seed)
    rows = []
    counts = {}
    for src in STRIP_SOURCES:
        lines = by_src[src]
        if len(lines) > per_source:
            lines = [lines[i] for i in sorted(rng.sample(range(len(lines)), per_source))]
        counts[src] = len(lines)
        rows += [(strip_marks(t), t, src) for t in lines]
    write_tsv(out / "strip.tsv.gz", rows)
    return counts


def make_ocr(out: Path, pages_dir: Path, name: str) -> dict:
    page_set, lang = OCR_SETS[name]
    rows = []
    confidences = []
    stats: Counter[str] = Counter()
    for p in sorted((pages_dir / page_set).glob("*.json")):
        page = json.loads(p.read_text(encoding="utf-8"))
        stats["pages"] += 1
        stats["truth_lines"] += len(page["truth"])
        conf_of = {line["text"]: line.get("conf") for line in page["ocr"].get(lang, [])}
        for truth, seen, _sim, src in iter_page_pairs(page, lang):
            rows.append((seen, truth, src))
            conf = conf_of.get(seen)
            if conf is None or len(conf) != len(_clean(seen).split()):
                conf = []
                stats["no_confidences"] += 1
            confidences.append(conf)
            stats[src] += 1
    stats["kept"] = len(rows)
    stats["dropped"] = stats["truth_lines"] - len(rows)
    write_tsv(out / f"{name}.tsv.gz", rows)
    write_confidences(out / f"{name}.conf.gz", confidences)
    return dict(stats)


def write_confidences(path: Path, confidences: list[list[float]]) -> None:
    write_lines(path, [" ".join(str(round(c)) for c in conf) for conf in confidences])


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--out", type=Path, default=ROOT / "samples" / "dev")
    ap.add_argument("--pages", type=Path, default=ROOT / "runs" / "ocr_pages")
    ap.add_argument("--per-source", type=int, default=3000, help="strip set cap per source")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--only", nargs="*", choices=["strip", *OCR_SETS], default=None)
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    todo = args.only or ["strip", *OCR_SETS]
    for name in todo:
        if name == "strip":
            stats = make_strip(args.out, args.per_source, args.seed)
        else:
            stats = make_ocr(args.out, args.pages, name)
        size = (args.out / f"{name}.tsv.gz").stat().st_size
        log.info("%s.tsv.gz: %s, %d bytes", name, stats, size)


if __name__ == "__main__":
    main()
