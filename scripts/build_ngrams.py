"""Count syllable 1/2/3-grams over the training split of the corpus (no dev/test text),
plus any extra corpus files (`--extra`, all of them training text: e.g. public-domain
literature from `scripts/literary_corpus.py`, which no dev or test set holds).

Counting is cheap and strong on a CPU, so the restorer's language model
is counts. Output: an .npz with the vocabulary and sorted packed n-gram keys + counts.

    python scripts/build_ngrams.py --corpus ../shared/corpus --out runs/ngrams.npz
    python scripts/build_ngrams.py --extra /tmp/literary.txt.gz --out runs/ngrams.npz
"""

from __future__ import annotations

import argparse
import collections
import gzip
import hashlib
import logging
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from vnocr.restore.vocab import BOS, NUM, SPECIALS, UNK, ends_sentence, lm_unit, mid_sentence
from vnocr.text import nfc, tokenize

log = logging.getLogger("build_ngrams")
BITS = 20  # vocabulary ids < 2**20; three ids pack into one int64


def in_train_split(paragraph: str) -> bool:
    """Same rule as vnocr.data.corpus: md5 % 100 == 0 dev, == 1 test."""
    return int(hashlib.md5(paragraph.encode()).hexdigest(), 16) % 100 > 1


def training_paragraphs(path: Path, *, split: bool) -> Iterator[str]:
    """NFC paragraphs of one gzip corpus file; with `split`, only its training split
    (the extra files hold no dev or test text, so all of theirs is training)."""
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            para = nfc(line.strip())
            if para and (not split or in_train_split(para)):
                yield para


def paragraph_units(
    paragraph: str, title_counts: collections.Counter[str], mid_counts: collections.Counter[str]
) -> list[str]:
    """LM units of a paragraph; also counts, per unit, its mid-sentence occurrences and
    how many of them are capitalised (a name's share is high, a common word's near 0)."""
    units = [BOS]
    prev_trail = None
    for tok in tokenize(paragraph):
        if not tok.core:
            prev_trail = None
            continue
        unit = lm_unit(tok.core)
        units.append(unit)
        if mid_sentence(prev_trail, tok.lead):
            mid_counts[unit] += 1
            title_counts[unit] += tok.core[:1].isupper()
        prev_trail = tok.trail
        if ends_sentence(tok.trail):
            units.append(BOS)
    return units


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--corpus", type=Path, default=Path("../shared/corpus"))
    ap.add_argument("--out", type=Path, default=Path("runs/ngrams.npz"))
    ap.add_argument("--min-count", type=int, default=3, help="vocabulary threshold")
    ap.add_argument("--extra", type=Path, nargs="*", default=[],
                    help="more corpus files (.txt.gz), counted whole as training text")
    ap.add_argument("--extra-weight", type=int, default=1,
                    help="count each extra paragraph this many times (a small corpus of "
                         "another register weighed against the large one)")
    ap.add_argument("--limit-chars", type=int, default=0, help="stop after this many chars")
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")

    t0 = time.time()
    streams: list[list[str]] = []
    counts: collections.Counter[str] = collections.Counter()
    title_counts: collections.Counter[str] = collections.Counter()
    mid_counts: collections.Counter[str] = collections.Counter()
    nchars = 0
    sources = [(p, True, 1) for p in sorted(args.corpus.glob("*.txt.gz"))]
    sources += [(p, False, args.extra_weight) for p in args.extra]
    for path, split, weight in sources:
        for para in training_paragraphs(path, split=split):
            for _ in range(weight):
                units = paragraph_units(para, title_counts, mid_counts)
                counts.update(units)
                streams.append(units)
                nchars += len(para)
        log.info("%s done: %d paragraphs, %.1f M chars, %.0fs", path.name, len(streams),
                 nchars / 1e6, time.time() - t0)
        if args.limit_chars and nchars > args.limit_chars:
            break

    vocab = list(SPECIALS) + sorted(
        (u for u, c in counts.items() if c >= args.min_count and u not in SPECIALS),
        key=lambda u: -counts[u],
    )
    index = {u: i for i, u in enumerate(vocab)}
    unk = index[UNK]
    ids = np.fromiter(
        (index.get(u, unk) for units in streams for u in units), dtype=np.int64
    )
    del streams
    log.info("vocab %d, tokens %d", len(vocab), len(ids))
    # BOS separates paragraphs, so n-grams across paragraphs start at BOS anyway.
    uni = np.bincount(ids, minlength=len(vocab))
    big_keys, big_counts = np.unique((ids[:-1] << BITS) | ids[1:], return_counts=True)
    tri_keys, tri_counts = np.unique(
        (ids[:-2] << (2 * BITS)) | (ids[1:-1] << BITS) | ids[2:], return_counts=True
    )
    log.info("bigrams %d, trigrams %d, %.0fs", len(big_keys), len(tri_keys), time.time() - t0)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez(
        args.out,
        vocab=np.array(vocab, dtype=object),
        unigram=uni,
        bigram_keys=big_keys,
        bigram_counts=big_counts,
        trigram_keys=tri_keys,
        trigram_counts=tri_counts,
        mid_sentence=np.array([mid_counts[u] for u in vocab]),
        mid_sentence_title=np.array([title_counts[u] for u in vocab]),
    )
    log.info("wrote %s", args.out)


if __name__ == "__main__":
    assert NUM in SPECIALS
    main()
