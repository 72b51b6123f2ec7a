#!/usr/bin/env python
"""CPU of one `Pipeline.correct_lines` call on page-sized inputs, against long text.

    .venv/bin/python scripts/bench_page_cpu.py --scans ../shared/samples/real --repeat 7

A scanned page is corrected in one call of some 500 syllables, with the OCR's word
confidences; a long text in calls of thousands. What a call costs beyond its syllables
(the search's steps, the network's small batches, set-up) shows against a long text
of the same kind read in one call (`--long`). Per input: the median over `--repeat`
calls after a warm-up call (model loaded, memos filled) of the whole process's CPU
(`time.process_time`, the network's thread included) and of the main thread's
(`time.thread_time`); the network thread's share is their difference. Compare CPU, not
wall time, on a shared machine.

Inputs: each image in `--scans` read by the OCR stage (its lines and confidences, as
`vnocr ocr` corrects them), and the first `--docs` documents of 40 lines of each dev
set in `--devsets` (with their OCR confidences where the set has them).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(__file__))
from bench_restore import load_devset

from vnocr import Pipeline

DOC_LINES = 40
SCAN_SUFFIXES = (".jpeg", ".jpg", ".png", ".tif", ".tiff")
Input = tuple[list[str], list | None]


def scanned_pages(folder: Path) -> dict[str, Input]:
    """Each scan's OCR lines and word confidences, as `Pipeline.iter_pages` corrects them."""
    from vnocr.ocr import iter_read
    from vnocr.options import Options

    pages = {}
    for path in sorted(p for p in folder.iterdir() if p.suffix.lower() in SCAN_SUFFIXES):
        for read in iter_read(path, Options().ocr, None):
            pages[f"{path.name}:{read.page.index + 1}"] = (
                list(read.page.lines), read.page.line_confidences)
    return pages


def dev_documents(name: str, docs: int, lines: int = DOC_LINES) -> dict[str, Input]:
    """The first `docs` documents of `lines` lines of a dev set."""
    rows = load_devset(name, confidences=True)
    out = {}
    for d in range(docs):
        chunk = rows[d * lines : (d + 1) * lines]
        conf = [r[3] for r in chunk]
        out[f"{name} doc {d + 1}"] = ([r[0] for r in chunk],
                                      conf if any(c is not None for c in conf) else None)
    return out


def cpu_per_call(pipe: Pipeline, doc: Input, repeat: int) -> tuple[float, float]:
    """Median process and main-thread CPU seconds of `correct_lines(*doc)`."""
    process, main = [], []
    for _ in range(repeat):
        p, m = time.process_time(), time.thread_time()
        pipe.correct_lines(*doc)
        process.append(time.process_time() - p)
        main.append(time.thread_time() - m)
    return statistics.median(process), statistics.median(main)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scans", type=Path, help="folder of scanned pages to OCR once")
    ap.add_argument("--devsets", nargs="*", default=["vie_photo", "eng", "strip"])
    ap.add_argument("--docs", type=int, default=3, help="40-line documents per dev set")
    ap.add_argument("--long", default="vie_photo",
                    help="dev set read whole in one call, for its CPU per syllable")
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()

    inputs: dict[str, Input] = scanned_pages(args.scans) if args.scans else {}
    for name in args.devsets:
        inputs.update(dev_documents(name, args.docs))
    pipe = Pipeline()
    pipe.load()
    for doc in inputs.values():
        pipe.correct_lines(*doc)  # warm-up: what a first reading of these words costs
    print("| input | syllables | CPU ms a call | main thread | network thread | µs a syllable |")
    print("|---|---:|---:|---:|---:|---:|")
    rows = list(inputs.items())
    if args.long:
        rows.append((f"{args.long}, whole, one call",
                     next(iter(dev_documents(args.long, 1, lines=10**9).values()))))
    for label, doc in rows:
        long = label.endswith("one call")
        if long:
            pipe.correct_lines(*doc)
        process, main_thread = cpu_per_call(pipe, doc, 1 if long else args.repeat)
        syllables = sum(len(line.split()) for line in doc[0])
        print(f"| {label} | {syllables:,} | {process * 1e3:.1f} | {main_thread * 1e3:.1f} | "
              f"{(process - main_thread) * 1e3:.1f} | {process / syllables * 1e6:.0f} |",
              flush=True)
    print(f"\nload average {os.getloadavg()[0]:.1f} (1 min) at the end")


if __name__ == "__main__":
    main()
