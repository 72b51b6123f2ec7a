"""Prebuild the shipped gazetteer's tables into pipeline/lexicon/data/gazetteer.index.gz.

Run after any change to the data files (scripts/build_gazetteer.py,
scripts/mine_names.py) or to how `Gazetteer` builds its tables; a process that finds
the index stale builds the tables itself (0.4-0.5 s) and warns.
tests/lexicon/test_index.py fails while the shipped index is stale.

    python scripts/build_gazetteer_index.py
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from vnocr.lexicon.gazetteer import _PHRASE, build_shipped
from vnocr.lexicon.index import INDEX_FILE, fingerprint, read_index, write_index
from vnocr.lexicon.sources import DATA_DIR


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", type=Path, default=DATA_DIR / INDEX_FILE)
    args = ap.parse_args()
    t0 = time.perf_counter()
    gaz = build_shipped()
    tables = gaz.tables()
    t1 = time.perf_counter()
    write_index(tables, args.out, fingerprint(), _PHRASE)
    t2 = time.perf_counter()
    assert read_index(args.out, fingerprint(), _PHRASE) is not None
    t3 = time.perf_counter()
    print(f"{len(gaz)} names, {len(tables.by_key)} keys, {len(tables.wild)} wildcards → "
          f"{args.out} ({args.out.stat().st_size / 1e6:.2f} MB); built in {t1 - t0:.2f} s, "
          f"written in {t2 - t1:.2f} s, read in {t3 - t2:.3f} s")


if __name__ == "__main__":
    main()
