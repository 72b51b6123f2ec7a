#!/usr/bin/env python3
"""Count the abbreviations inside document codes over the corpus's training split and
write `pipeline/lexicon/data/code_parts.tsv.gz` (see `vnocr.lexicon.code_parts`).

    python scripts/build_code_parts.py --corpus ../shared/corpus
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_ngrams import training_paragraphs

from vnocr.lexicon.code_parts import CODE_PARTS_FILE, count_code_parts, write_code_parts


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=Path("../shared/corpus"))
    ap.add_argument("--out", type=Path, default=CODE_PARTS_FILE)
    args = ap.parse_args()
    counts = count_code_parts(
        para for path in sorted(args.corpus.glob("*.txt.gz"))
        for para in training_paragraphs(path, split=True))
    write_code_parts(counts, args.out)
    for part, n in counts.most_common(40):
        print(f"{part}\t{n}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
