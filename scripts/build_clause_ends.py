"""Write `pipeline/restore/data/clause_ends.npz`: how often each syllable ends a clause
(a comma, full stop, colon, semicolon, ! or ? right after it) and how often it opens one
(right after such a mark), counted on the training split.

The language model counts syllables without punctuation, so it cannot tell that đã,
để, có, cho (which take a complement) almost never stand before a comma while đá,
đề, cỏ, chó often do. These counts give the decoder that evidence (see
`vnocr.restore.clause_ends`).

Counted like the n-grams (scripts/build_ngrams.py): every source of the corpus, only
paragraphs whose `split_of` is "train" (dev and test lines are never read), LM units
(lowercase, old tone style) of plain words. Units seen fewer than `--min-count` times
are left out (the decoder treats them as unknown).

    python scripts/build_clause_ends.py [--min-count 20]
"""

from __future__ import annotations

import argparse
import collections
import time
from pathlib import Path

import numpy as np

from vnocr.data.corpus import iter_split_paragraphs
from vnocr.restore.clause_ends import TABLE_PATH
from vnocr.restore.vocab import CLAUSE_ENDS, is_word, lm_unit
from vnocr.text import tokenize

Counter = collections.Counter[str]


def count_corpus() -> tuple[Counter, Counter, Counter]:
    """(occurrences, occurrences right before a clause's end, occurrences right after
    one inside a paragraph) per LM unit."""
    total: Counter = collections.Counter()
    ends: Counter = collections.Counter()
    starts: Counter = collections.Counter()
    paragraphs: Counter = collections.Counter()
    t0 = time.time()
    for source, para in iter_split_paragraphs("train"):
        after_end = False
        for tok in tokenize(para):
            if tok.core and is_word(tok.core):
                unit = lm_unit(tok.core)
                total[unit] += 1
                ends[unit] += tok.trail[:1] in CLAUSE_ENDS
                starts[unit] += after_end and not tok.lead
            after_end = tok.trail[:1] in CLAUSE_ENDS
        paragraphs[source] += 1
    print(f"{dict(paragraphs)} paragraphs ({time.time() - t0:.0f} s)", flush=True)
    return total, ends, starts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--min-count", type=int, default=20, help="leave out rarer units")
    ap.add_argument("--out", type=Path, default=TABLE_PATH)
    args = ap.parse_args()
    total, ends, starts = count_corpus()
    units = sorted(u for u in total if total[u] >= args.min_count)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out, units=np.array(units),
                        total=np.array([total[u] for u in units], dtype=np.int32),
                        ends=np.array([ends[u] for u in units], dtype=np.int32),
                        starts=np.array([starts[u] for u in units], dtype=np.int32))
    print(f"{len(units)} units → {args.out} ({args.out.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
