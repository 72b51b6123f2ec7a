"""Noisy versions of clean lines, line-aligned: one noisy line out per clean line in.

    python scripts/make_pairs.py --mode eng --in clean.txt --out noisy.txt --seed 1

Modes: strip (all marks and đ removed), partial (some words keep marks, as people type),
eng / vie (noise learned from real Tesseract runs, see pipeline/data/noise.py), mixed (one
of those four drawn per line). An empty clean line gives an empty noisy line.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from vnocr.data.noise import corrupt_line, corrupt_mixed
from vnocr.errors import InputError, VnocrError
from vnocr.text import nfc

MODES = ("strip", "partial", "eng", "vie", "mixed")


def make_pairs(src: Path, dst: Path, mode: str, seed: int) -> tuple[int, float]:
    """Write `dst`; returns (lines, seconds)."""
    rng = random.Random(seed)
    t0 = time.perf_counter()
    n = 0
    try:
        with open(src, encoding="utf-8") as fin, open(dst, "w", encoding="utf-8") as fout:
            for raw in fin:
                line = nfc(raw.rstrip("\n").rstrip("\r"))
                if not line.strip():
                    noisy = ""
                elif mode == "mixed":
                    noisy = corrupt_mixed(line, rng)
                else:
                    noisy = corrupt_line(line, mode, rng)
                fout.write(noisy + "\n")
                n += 1
    except UnicodeDecodeError as e:
        raise InputError(f"{src}: not UTF-8 text ({e.reason} at byte {e.start})") from e
    except FileNotFoundError as e:
        raise InputError(f"cannot read {src}: {e.strerror}") from e
    return n, time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--mode", choices=MODES, required=True)
    ap.add_argument("--in", dest="src", type=Path, required=True, help="clean text, UTF-8")
    ap.add_argument("--out", dest="dst", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    try:
        n, secs = make_pairs(args.src, args.dst, args.mode, args.seed)
    except VnocrError as e:
        print(f"make_pairs: {e}", file=sys.stderr)
        sys.exit(int(e.exit_code))
    print(f"{n} lines, {secs:.2f} s, {n / max(secs, 1e-9) * 60:,.0f} lines/min", file=sys.stderr)


if __name__ == "__main__":
    main()
