#!/usr/bin/env python3
"""Benchmark an administrative document's header read by the English OCR model.

Every Vietnamese administrative document opens the same way: its issuing body
(`ỦY BAN NHÂN DÂN` / `TỈNH SƠN LA`), the national title and motto (`CỘNG HÒA XÃ HỘI
CHỦ NGHĨA VIỆT NAM` / `Độc lập - Tự do - Hạnh phúc`) and a date line naming where it
was issued (`Mường La, ngày 15 tháng 3 năm 2024`). This writes such a header for every
province and district of the registers before and after the 2025 merger
(`../shared/lexicon`), each under its province, gives it eng-OCR noise
(`vnocr.data.noise`, the learned eng table), runs the full pipeline on it and counts:

- places: the place of issue written exactly right (its words changed with
  probability `--rate`, the rest of the date line at the learned rate);
- title, motto: the formula found whole in its line (whole lines at the learned rates,
  with the OCR's lost, glued and invented tokens).

    python scripts/bench_admin_header.py                 # 300 headers, seeds 1 2 3
    python scripts/bench_admin_header.py --headers 600 --seeds 4 --rate 0.3 --show 20
"""

from __future__ import annotations

import argparse
import csv
import random
import re
from pathlib import Path

from vnocr.api import Pipeline
from vnocr.data.noise import NoiseModel, corrupt_line, corrupt_tokens
from vnocr.text import strip_marks

LEXICON = Path(__file__).resolve().parents[1].parent / "shared" / "lexicon"
REGISTERS = ("vn_admin_legacy_pre2025.tsv", "vn_admin_2025.tsv")  # before, after the merger
# a unit's type before its name in the registers (`Huyện Mường La`)
_TYPE = re.compile(r"^(Thành phố|Tỉnh|Quận|Huyện|Thị xã)\s+", re.IGNORECASE)
TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
_EDGES = " \"'“”‘’-_.~—|"  # OCR specks around the place, kept as the input had them


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


def run(pipeline: Pipeline, items: list[tuple[str, str]], seed: int, rate: float,
        model: NoiseModel) -> list[dict[str, tuple[str, str, bool]]]:
    """Per header: for the place, the title and the motto, (the noisy line, the
    pipeline's line, right or not)."""
    rng = random.Random(seed)
    out = []
    for place, province in items:
        date = f"{place}, ngày {rng.randint(1, 28)} tháng {rng.randint(1, 12)} năm 2024".split()
        n = len(place.split())
        date_line = " ".join(corrupt_tokens(date[:n], "eng", rng, rate=rate, model=model)
                             + corrupt_tokens(date[n:], "eng", rng, model=model))
        header = ["UY BAN NHAN DAN", strip_marks(f"TỈNH {province}").upper(),
                  corrupt_line(TITLE, "eng", rng, model=model),
                  corrupt_line(MOTTO, "eng", rng, model=model), date_line,
                  "QUYET DINH", "Vé viéc phé duyét ké hoach nam 2024"]
        written = pipeline.correct_lines(header).lines
        out.append({
            "place": (date_line, written[4], written[4].split(",")[0].strip(_EDGES) == place),
            "title": (header[2], written[2], TITLE in written[2]),
            "motto": (header[3], written[3], MOTTO in written[3]),
        })
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--headers", type=int, default=300, help="headers (places) per seed")
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    ap.add_argument("--rate", type=float, default=0.6, help="share of the place's words changed")
    ap.add_argument("--show", type=int, default=0, help="print this many wrong lines of each part")
    args = ap.parse_args()
    pipeline = Pipeline()
    model = NoiseModel.load("eng")
    pool = places()
    parts = ("place", "title", "motto")
    print("| seed | headers | place right | title right | motto right |")
    print("|---:|---:|---:|---:|---:|")
    results = []
    for seed in args.seeds:
        found = run(pipeline, random.Random(seed).sample(pool, min(args.headers, len(pool))),
                    seed, args.rate, model)
        results += found
        print(f"| {seed} | {len(found)} | "
              + " | ".join(str(sum(r[p][2] for r in found)) for p in parts) + " |")
    print(f"| all | {len(results)} | " + " | ".join(
        f"{sum(r[p][2] for r in results)} ({100 * sum(r[p][2] for r in results) / len(results):.1f} %)"
        for p in parts) + " |")
    for p in parts:
        for noisy, written, _ in [r[p] for r in results if not r[p][2]][: args.show]:
            print(f"  {p}: {noisy!r} -> {written!r}")


if __name__ == "__main__":
    main()
