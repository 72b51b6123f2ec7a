"""Write `pipeline/restore/data/name_context.npz`: how often each syllable stands before
(and after) a capitalised word in mid-sentence, counted on the training split.

The language model reads syllables without case and an unknown name as <unk>, so it
cannot tell that the word before `Pét` in `ban Pét` is a type word that introduces a
name (bản, xã, đường, ông) rather than the common word with the same letters (bán).
These counts give the decoder that evidence (see `vnocr.restore.name_context`).

Counted like the n-grams (scripts/build_ngrams.py): every source of the corpus, only
paragraphs whose `split_of` is "train" (dev and test lines are never read), LM units
(lowercase, old tone style) of plain words, and the same mid-sentence rule
(`vocab.mid_sentence`) for the neighbour whose capital counts. Units seen fewer than
`--min-count` times beside a word are left out (the decoder treats them as unknown).

    python scripts/build_name_context.py [--min-count 20] [--per-source 0]
"""

from __future__ import annotations

import argparse
import collections
import time
from pathlib import Path

import numpy as np

from vnocr.data.corpus import SOURCES, corpus_dir, iter_paragraphs, split_of
from vnocr.restore.name_context import TABLE_PATH
from vnocr.restore.vocab import is_word, lm_unit, mid_sentence
from vnocr.text import tokenize

Counts = collections.Counter[str]


def count_paragraph(paragraph: str, counts: dict[str, Counts]) -> None:
    """Add one paragraph's pairs of neighbouring words in mid-sentence: for the first
    word, whether the second is capitalised (`before`); for the second, whether the
    first is (`after`)."""
    prev_unit = prev_title = prev_trail = None
    for tok in tokenize(paragraph):
        if not tok.core or not is_word(tok.core):
            prev_unit = prev_trail = None
            continue
        unit = lm_unit(tok.core)
        title = tok.core[:1].isupper()
        if prev_unit is not None and mid_sentence(prev_trail, tok.lead):
            counts["before"][prev_unit] += 1
            counts["before_capital"][prev_unit] += title
            counts["after"][unit] += 1
            counts["after_capital"][unit] += prev_title
        prev_unit, prev_title, prev_trail = unit, title, tok.trail


def count_corpus(per_source: int) -> dict[str, Counts]:
    counts = {k: collections.Counter() for k in ("before", "before_capital", "after",
                                                   "after_capital")}
    for source in SOURCES:
        if not (corpus_dir() / f"{source}.txt.gz").is_file():
            continue
        t0, taken = time.time(), 0
        for para in iter_paragraphs(source):
            if split_of(para) != "train":
                continue
            count_paragraph(para, counts)
            taken += 1
            if per_source and taken >= per_source:
                break
        print(f"{source}: {taken} paragraphs ({time.time() - t0:.0f} s)", flush=True)
    return counts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--min-count", type=int, default=20,
                    help="leave out units seen fewer times beside a word")
    ap.add_argument("--per-source", type=int, default=0,
                    help="training paragraphs per source (0: all)")
    ap.add_argument("--out", type=Path, default=TABLE_PATH)
    args = ap.parse_args()
    counts = count_corpus(args.per_source)
    units = sorted(u for u in set(counts["before"]) | set(counts["after"])
                   if counts["before"][u] + counts["after"][u] >= args.min_count)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        args.out,
        units=np.array(units),
        **{k: np.array([c[u] for u in units], dtype=np.int32) for k, c in counts.items()},
    )
    print(f"{len(units)} units → {args.out} ({args.out.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
