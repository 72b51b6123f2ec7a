"""Compute the candidate searches of common eng-OCR word forms and ship them with the model.

    .venv/bin/python scripts/build_searches.py [--model models/restore-v1]

Writes `<model>/eng_ocr_searches.npz` (see `vnocr.restore.shipped_searches`): every form
of the eng OCR token table and each syllable's likely prints under the character channel,
small and capitalised, searched with the model's eng-OCR weights (about 3 s CPU). Run it
after any change to the candidate search, the character channel's tables, the vocabulary
or the decoding weights: tests/restore/test_shipped_searches.py fails until the file
matches, and a file that does not match is left unused at run time.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from vnocr.options import DEFAULT_MODEL_DIR
from vnocr.restore import shipped_searches
from vnocr.restore.restorer import ENG_OCR, Restorer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL_DIR)
    args = parser.parse_args()
    gen = Restorer.from_pretrained(args.model).generators[ENG_OCR]
    forms = shipped_searches.search_forms(gen)
    start = time.process_time()
    size = shipped_searches.save(args.model / shipped_searches.FILE, gen, forms)
    print(f"{args.model / shipped_searches.FILE}: {len(forms):,} forms searched in "
          f"{time.process_time() - start:.1f} s CPU, {size / 1024:.0f} KB")


if __name__ == "__main__":
    main()
