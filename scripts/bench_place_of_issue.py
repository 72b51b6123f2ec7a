#!/usr/bin/env python3
"""Benchmark the place an administrative document is issued at, read by the English OCR model.

Every administrative document opens with its issuing body (`UBND TỈNH SƠN LA`) and a
date line naming where it was issued (`Mường La, ngày 15 tháng 3 năm 2024`). This
writes such a header for every province and district of the registers before and after
the 2025 merger (`../shared/lexicon`), each under its province, gives the place's
words eng-OCR noise (`vnocr.data.noise`, the learned eng table, each word changed with
probability `--rate`; the rest of the line at the learned rate), runs the full pipeline
on the five-line header and counts the places written exactly right.

    python scripts/bench_place_of_issue.py                 # 300 places, seeds 1 2 3
    python scripts/bench_place_of_issue.py --places 600 --seeds 4 --show 20
"""

from __future__ import annotations

import argparse
import csv
import random
import re
from pathlib import Path

from vnocr.api import Pipeline
from vnocr.data.noise import NoiseModel, corrupt_tokens
from vnocr.text import strip_marks

LEXICON = Path(__file__).resolve().parents[1].parent / "shared" / "lexicon"
REGISTERS = ("vn_admin_legacy_pre2025.tsv", "vn_admin_2025.tsv")  # before, after the merger
# a unit's type before its name in the registers (`Huyện Mường La`)
_TYPE = re.compile(r"^(Thành phố|Tỉnh|Quận|Huyện|Thị xã)\s+", re.IGNORECASE)


def places(lexicon: Path = LEXICON) -> list[tuple[str, str]]:
    """(place, its province as the header names it) for every province and district of
    the registers, before and after the 2025 merger (communes issue documents too, but
    far fewer of them reach an archive of provincial reports)."""
    found: dict[tuple[str, str], None] = {}
    for register in REGISTERS:
        path = lexicon / register
        if not path.is_file():
            raise SystemExit(f"{path}: not found (the registers of ../shared/lexicon)")
        with path.open(encoding="utf-8") as f:
            for row in csv.DictReader(f, delimiter="\t"):
                province = _TYPE.sub("", row["province"])
                found[province, province] = None
                if row.get("district"):
                    district = _TYPE.sub("", row["district"])
                    if not district[:1].isdigit():  # `Quận 1`: a number, no name
                        found[district, province] = None
    return sorted(found)


_EDGES = " \"'“”‘’-_.~—|"  # OCR specks around the place, kept as the input had them


def run(pipeline: Pipeline, items: list[tuple[str, str]], seed: int, rate: float,
        model: NoiseModel) -> list[tuple[str, str, str]]:
    """(place, the noisy date line, the place as the pipeline wrote it) per item."""
    rng = random.Random(seed)
    out = []
    for place, province in items:
        words = f"{place}, ngày {rng.randint(1, 28)} tháng {rng.randint(1, 12)} năm 2024".split()
        n = len(place.split())
        line = " ".join(corrupt_tokens(words[:n], "eng", rng, rate=rate, model=model)
                        + corrupt_tokens(words[n:], "eng", rng, model=model))
        header = ["UY BAN NHAN DAN", strip_marks(f"TỈNH {province}").upper(), line,
                  "QUYET DINH", "Vé viéc phé duyét ké hoach nam 2024"]
        written = pipeline.correct_lines(header).lines[2].split(",")[0].strip(_EDGES)
        out.append((place, line, written))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--places", type=int, default=300, help="places per seed")
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    ap.add_argument("--rate", type=float, default=0.6, help="share of the place's words changed")
    ap.add_argument("--show", type=int, default=0, help="print this many wrong places")
    args = ap.parse_args()
    pipeline = Pipeline()
    model = NoiseModel.load("eng")
    pool = places()
    print("| seed | places | right | % |")
    print("|---:|---:|---:|---:|")
    total = right_all = 0
    wrong: list[tuple[str, str, str]] = []
    for seed in args.seeds:
        items = random.Random(seed).sample(pool, min(args.places, len(pool)))
        results = run(pipeline, items, seed, args.rate, model)
        right = sum(place == written for place, _, written in results)
        wrong += [r for r in results if r[0] != r[2]]
        total += len(results)
        right_all += right
        print(f"| {seed} | {len(results)} | {right} | {100 * right / len(results):.1f} |")
    print(f"| all | {total} | {right_all} | {100 * right_all / total:.1f} |")
    for place, line, written in wrong[: args.show]:
        print(f"  {place}: {line!r} -> {written}")


if __name__ == "__main__":
    main()
