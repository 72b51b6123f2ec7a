#!/usr/bin/env python3
"""Measure layout and page furniture: SER of raw `tesseract -l vie`, of vnocr's OCR stage
and of the full pipeline, and the errors the correction stages fix and introduce, on
pages rendered in the Nghị định 30 layout (`vnocr.data.admin_pages`: two-column header,
bold centred title, numbered paragraphs, a black received-stamp over the first body
words, a two-column signature block, a page number on every other page), on book pages
(`vnocr.data.book_pages`: justified serif prose, italic date clauses with bracketed
years, footnote numbers and footnotes, a page number), on table pages
(`vnocr.data.table_pages`: a ruled table of 3-6 columns with multi-line cells between
two paragraphs; truth row by row, cells tab-separated) and on the real scans in
`../shared/samples/real/` when that folder exists (they are examples, not a dev set).

Body text comes from the dev split of the corpus (never trained on): admin_docs for
administrative pages (the composer's own sentences when the corpus is absent), history
paragraphs of wiki_vi_2017 for book pages (those need the corpus). Pages alternate three
conditions: clean 300 DPI; scanned (blur, dust, JPEG, a slight tilt); photocopy (toner
spread, more blur and dust, a larger tilt).

A second table sorts each stage's errors by where they sit on the page
(`vnocr.data.page_errors`: stamp, junk line, footnote, header, diacritics, other), from
the renderer's own furniture (header lines, stamp box, footnote positions) and, on the
real scans, their header up to the date line and stamp boxes marked by eye.

    python scripts/bench_layout.py --pages 9            # the table in docs/benchmarks.md
    python scripts/bench_layout.py --pages 3 --no-full  # quick: raw and OCR stage only
    python scripts/bench_layout.py --kind book --pages 6 --no-real
    python scripts/bench_layout.py --kind table --pages 6 --no-real
    python scripts/bench_layout.py --kind both --lang vie+Vietnamese --json rows.json
    python scripts/bench_layout.py --kind both --max-x-height 32

`--max-x-height` sets `PreprocessOptions.max_x_height` (the print size large print is
brought down to) for the OCR stage.

`--lang` is the Tesseract language of both the raw run and the OCR stage. Raw
Tesseract outputs are kept in `$TMPDIR/vnocr-bench-raw/`, keyed by the page image's
bytes and the language, so a second run with another OCR setting reads each page once.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from vnocr.data.admin_pages import render_admin_page
from vnocr.data.book_pages import render_book_page
from vnocr.data.page_errors import (
    CLASSES,
    Furniture,
    PlacedToken,
    classify_errors,
    header_tokens,
    place_words,
)
from vnocr.data.table_pages import render_table_page
from vnocr.evaluate import align_syllables, read_text_file, syllable_errors, syllable_tokens
from vnocr.ocr import ocr_image
from vnocr.options import OcrOptions, PreprocessOptions, TesseractOptions

REAL = REPO.parent / "shared" / "samples" / "real"
# Stamps and seals of the real scans, boxed by eye on the images (left, top, width,
# height): the chỉ thị's black `CV ĐẾN` received-stamp, the báo cáo's red seal.
REAL_STAMPS = {
    "2352_07_CT_UBND_signed_p01.png": ((30, 580, 670, 245),),
    "280_BC_signed_p01.jpeg": ((730, 2640, 520, 500),),
}
CONDITIONS = {
    "clean": {},
    "scanned": {"blur": 0.7, "speckle": 0.0005, "jpeg_quality": 80, "rotate_deg": 0.3},
    "photocopy": {"ink_spread": 1, "blur": 1.0, "speckle": 0.0015, "jpeg_quality": 70,
                  "rotate_deg": -0.7},
}


def _dev_bodies(n_pages: int) -> list[list[str] | None]:
    """Three to four dev-split admin_docs paragraphs of 25-70 words per page, or None
    per page (the composer's sentences) when the corpus is absent."""
    try:
        from vnocr.data.corpus import iter_paragraphs, split_of

        paras = [p for p in iter_paragraphs("admin_docs")
                 if split_of(p) == "dev" and 25 <= len(p.split()) <= 70]
    except Exception as e:  # noqa: BLE001 - any missing corpus means built-in text
        print(f"corpus not available ({e}); using the composer's sentences", file=sys.stderr)
        return [None] * n_pages
    out: list[list[str] | None] = []
    for i in range(n_pages):
        k = 3 + i % 2
        out.append(paras[(i * 4) % len(paras):(i * 4) % len(paras) + k] or None)
    return out


# Paragraphs of a history book's kind: reigns, dynasties, armies.
_HISTORY = re.compile(r"\b(vua|triều|nhà (Lý|Trần|Lê|Hồ|Mạc|Nguyễn|Hán|Đường|Tống|Minh)|"
                      r"Đại Việt|khởi nghĩa|quân)\b")


def _book_bodies(n_pages: int) -> list[list[str]]:
    """Five dev-split history paragraphs of 40-110 words per page (as many as fit)."""
    from vnocr.data.corpus import iter_paragraphs, split_of

    paras = [p for p in iter_paragraphs("wiki_vi_2017")
             if split_of(p) == "dev" and 40 <= len(p.split()) <= 110 and _HISTORY.search(p)]
    return [paras[(i * 5) % len(paras):(i * 5) % len(paras) + 5] for i in range(n_pages)]


def _render(kind: str, n_pages: int):
    """(name, page with .image and .truth) for `n_pages` pages of `kind`, the
    conditions taken in turn."""
    names = list(CONDITIONS)
    if kind == "table":
        for i in range(n_pages):
            cond = names[i % len(names)]
            yield f"{kind}{i:02d}_{cond}", render_table_page(seed=i, degrade_spec=CONDITIONS[cond])
        return
    bodies = _dev_bodies(n_pages) if kind == "admin" else _book_bodies(n_pages)
    for i, body in enumerate(bodies):
        cond = names[i % len(names)]
        if kind == "admin":
            page = render_admin_page(body, seed=i, degrade_spec=CONDITIONS[cond],
                                     page_number=i + 1 if i % 2 else None)
        else:
            page = render_book_page(body, seed=i, degrade_spec=CONDITIONS[cond],
                                    page_number=i + 11)
        yield f"{kind}{i:02d}_{cond}", page


def _wrong_truth_tokens(pred: str, truth: str) -> set[int]:
    """Indices of the truth's syllables that `pred` gets wrong (missed or misread)."""
    wrong, k = set(), 0
    for gold, _pred, kind in align_syllables(pred, truth):
        if gold is None:
            continue
        if kind != "ok":
            wrong.add(k)
        k += 1
    return wrong


RAW_CACHE = Path(tempfile.gettempdir()) / "vnocr-bench-raw"


def _raw_tesseract(path: Path, lang: str) -> tuple[str, list[PlacedToken], float]:
    """`tesseract IMG - -l LANG`'s text, and its words placed on the page (the same run's
    TSV); read from `RAW_CACHE` when this image was read with `lang` before (its
    seconds are the first run's)."""
    key = hashlib.sha1(path.read_bytes() + lang.encode()).hexdigest()[:20]
    base = RAW_CACHE / key
    if not base.with_suffix(".json").exists():
        RAW_CACHE.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
        t0 = time.perf_counter()
        subprocess.run(["tesseract", str(path), str(base), "-l", lang, "txt", "tsv"],
                       capture_output=True, check=True, env=env)
        base.with_suffix(".json").write_text(json.dumps({"seconds": time.perf_counter() - t0}))
    seconds = json.loads(base.with_suffix(".json").read_text())["seconds"]
    text = base.with_suffix(".txt").read_text()
    lines: dict[tuple[str, ...], list[tuple[str, tuple[int, int, int, int]]]] = {}
    for row in base.with_suffix(".tsv").read_text().splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) >= 12 and cells[0] == "5" and cells[11].strip():
            box = tuple(int(c) for c in cells[6:10])
            lines.setdefault(tuple(cells[1:5]), []).append((cells[11], box))
    return text, place_words(lines.values()), seconds


def _placed_lines(page, texts: list[str]) -> list[PlacedToken]:
    """The tokens of `texts` (the page's lines, as read or as corrected, line for line)
    placed at the page's words: word by word where a line kept its words, else at the
    line's box."""
    read = [ln for par in page.paragraphs for ln in (*par.lines, None)][:-1] \
        if page.paragraphs else []
    placed = []
    for line, text in zip(read, texts, strict=True):
        if line is None:
            continue
        words = text.split()
        boxes = [w.box for w in line.words] if len(words) == len(line.words) \
            else [line.box] * len(words)
        placed.append(list(zip(words, boxes, strict=True)))
    return place_words(placed)


def _classes(read: list[PlacedToken], text: str, truth: str, furniture: Furniture
             ) -> dict[str, int]:
    """Error counts per class; checks that the placed tokens are the text's."""
    if [t.text for t in read] != syllable_tokens(text):
        print("placed tokens differ from the text's: classes without places", file=sys.stderr)
        read = [PlacedToken(t) for t in syllable_tokens(text)]
    return classify_errors(read, truth, furniture)


def _measure(image: Image.Image, path: Path, truth: str, pipe, furniture: Furniture,
             opts: OcrOptions) -> dict[str, float]:
    raw, raw_read, raw_s = _raw_tesseract(path, opts.tesseract.lang)
    t0 = time.perf_counter()
    page = ocr_image(image, opts)
    ocr_s = time.perf_counter() - t0
    confs = [c for line in page.line_confidences if line for c in line]
    row = {"n": syllable_errors("", truth)[1], "raw": syllable_errors(raw, truth)[0],
           "ocr": syllable_errors(page.text, truth)[0], "raw_s": raw_s, "ocr_s": ocr_s,
           "conf": sum(confs) / len(confs) if confs else 0.0}
    stages = {"raw": _classes(raw_read, raw, truth, furniture),
              "ocr": _classes(_placed_lines(page, page.lines), page.text, truth, furniture)}
    if pipe is not None:
        full = pipe.correct_lines(page.lines, page.line_confidences).text
        row["full"] = syllable_errors(full, truth)[0]
        before, after = _wrong_truth_tokens(page.text, truth), _wrong_truth_tokens(full, truth)
        row["fixed"], row["introduced"] = len(before - after), len(after - before)
        stages["full"] = _classes(_placed_lines(page, full.split("\n")), full, truth, furniture)
    for stage, counts in stages.items():
        row.update({f"{stage}:{c}": v for c, v in counts.items()})
    return row


def _furniture(page) -> Furniture:
    """A rendered page's furniture: an administrative page's header (its truth up to the
    date line) and received-stamp; a book page's footnote numbers, the words they follow,
    and its footnotes; a table page has none."""
    if hasattr(page, "table_box"):
        return Furniture()
    if hasattr(page, "stamp_box"):
        return Furniture(header=header_tokens(page.truth),
                         stamps=(page.stamp_box,) if page.stamp_box else ())
    numbers = page.note_numbers
    return Furniture(footnotes=frozenset(numbers | {i - 1 for i in numbers} | page.notes))


def _class_table(totals: dict[str, dict[str, float]]) -> str:
    """Errors per class (`vnocr.data.page_errors`) of each stage, per group of pages."""
    stages = {"raw": "raw tesseract", "ocr": "OCR stage", "full": "full"}
    lines = ["| pages | stage | " + " | ".join(CLASSES) + " | all |",
             "|---|---|" + "---:|" * (len(CLASSES) + 1)]
    for group, r in totals.items():
        for stage, label in stages.items():
            if f"{stage}:other" not in r:
                continue
            counts = [r[f"{stage}:{c}"] for c in CLASSES]
            lines.append(f"| {group.removesuffix(', all')} | {label} | "
                         + " | ".join(f"{v:.0f}" for v in counts) + f" | {sum(counts):.0f} |")
    return "\n".join(lines)


def _table(rows: dict[str, dict[str, float]], full: bool) -> str:
    head = ("| page | syllables | raw tesseract | OCR stage | full | fixed / introduced "
            "| OCR s (raw s) |")
    lines = [head, "|---|---:|---:|---:|---:|---:|---:|"]

    def fmt(name: str, r: dict[str, float]) -> str:
        ser = [f"{r[k]:.0f} ({100 * r[k] / r['n']:.1f} %)" for k in ("raw", "ocr")]
        ser.append(f"{r['full']:.0f} ({100 * r['full'] / r['n']:.1f} %)" if full else "-")
        ser.append(f"{r['fixed']:.0f} / {r['introduced']:.0f}" if full else "-")
        return f"| {name} | {r['n']:.0f} | " + " | ".join(ser) + \
            f" | {r['ocr_s']:.1f} ({r['raw_s']:.1f}) |"

    for name, r in rows.items():
        lines.append(fmt(name, r))
    return "\n".join(lines)


def _total(rows: dict[str, dict[str, float]]) -> dict[str, float]:
    """A group's sums, its mean word confidence the mean of its pages'."""
    total = {k: sum(r[k] for r in rows.values()) for k in next(iter(rows.values()))}
    total["conf"] /= len(rows)
    return total


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=9, help="rendered pages per kind (default 9)")
    ap.add_argument("--kind", choices=("admin", "book", "both", "table"), default="admin",
                    help="which rendered pages (default admin)")
    ap.add_argument("--no-full", action="store_true", help="skip the correction stages")
    ap.add_argument("--no-real", action="store_true", help="skip the shared real scans")
    ap.add_argument("--save", type=Path, help="also write the rendered pages and truth here")
    ap.add_argument("--lang", default="vie",
                    help="Tesseract language(s) of the raw run and the OCR stage (default vie)")
    ap.add_argument("--json", type=Path, help="also write every page's row here")
    ap.add_argument("--max-x-height", type=int, default=PreprocessOptions().max_x_height,
                    help="print over 1.25 times this is brought down to it (px; 0: never)")
    ap.add_argument("--no-tables", action="store_true",
                    help="OCR stage without ruled-table reading (`vnocr.ocr.tables`): the before")
    args = ap.parse_args()
    if args.no_tables:
        import vnocr.ocr

        vnocr.ocr.find_tables = lambda rules, line_height: []
    opts = OcrOptions(tesseract=TesseractOptions(lang=args.lang),
                      preprocess=PreprocessOptions(max_x_height=args.max_x_height))
    pipe = None
    if not args.no_full:
        from vnocr import Pipeline

        pipe = Pipeline()
    rows: dict[str, dict[str, float]] = {}
    kinds = ("admin", "book") if args.kind == "both" else (args.kind,)
    with tempfile.TemporaryDirectory(prefix="bench-layout-") as tmp:
        for kind in kinds:
            measured = {}
            for name, page in _render(kind, args.pages):
                path = Path(tmp) / f"{name}.png"
                page.image.save(path, dpi=page.image.info["dpi"])
                if args.save:
                    args.save.mkdir(parents=True, exist_ok=True)
                    page.image.save(args.save / path.name, dpi=page.image.info["dpi"])
                    (args.save / path.name).with_suffix(".gt.txt").write_text(page.truth)
                measured[name] = _measure(Image.open(path), path, page.truth, pipe,
                                          _furniture(page), opts)
                print(f"{name}: {measured[name]}", file=sys.stderr)
            rows.update(measured)
            rows[f"{kind}, all"] = _total(measured)
    if args.no_real:
        pass
    elif not REAL.is_dir():
        print(f"{REAL} not found: real scans not measured", file=sys.stderr)
    else:
        real = {}
        for gt in sorted(REAL.glob("*.gt.txt")):
            img_path = next(p for p in REAL.glob(gt.name.replace(".gt.txt", ".*"))
                            if p.suffix.lower() in (".png", ".jpeg", ".jpg", ".tif"))
            truth = read_text_file(gt)
            real[img_path.name] = _measure(
                Image.open(img_path), img_path, truth, pipe,
                Furniture(header=header_tokens(truth), stamps=REAL_STAMPS.get(img_path.name, ())),
                opts)
            print(f"{img_path.name}: {real[img_path.name]}", file=sys.stderr)
        rows.update(real)
        if real:
            rows["real, all"] = _total(real)
    if args.json:
        args.json.write_text(json.dumps({"lang": args.lang, "rows": rows}, indent=1))
    print(_table({k: r for k, r in rows.items() if k != "real, all"}, pipe is not None))
    print()
    print(_class_table({k: r for k, r in rows.items() if k.endswith(", all")}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
