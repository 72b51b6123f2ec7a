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
A capital after a word is counted apart by whether the model's LM knows its letters as
a common word (`common_keys`): before `Ban Thường vụ` it is, before a hamlet's `Pét` it
is not, and type words differ by that (ban before common capitals, bản before rare ones).
The keys are stored with the counts, so the decoder splits capitals the same way.

    python scripts/build_name_context.py [--min-count 20] [--per-source 0]
"""

from __future__ import annotations

import argparse
import collections
import time
from pathlib import Path

import numpy as np

from vnocr.data.corpus import iter_split_paragraphs
from vnocr.options import DEFAULT_MODEL_DIR
from vnocr.restore.backend import load_backend
from vnocr.restore.name_context import COMMON_LOG_COUNT, TABLE_PATH
from vnocr.restore.tokenizer import LM_VOCAB_FILE
from vnocr.restore.vocab import is_word, lm_unit, mid_sentence
from vnocr.text import key_of, tokenize

Counts = collections.Counter[str]


def common_keys(model_dir: Path) -> frozenset[str]:
    """Letter keys (`key_of`) of the words the model's LM counts at least
    `COMMON_LOG_COUNT`: a capital with such a key is a common word (`Ban Thường vụ`),
    one without is a name the LM hardly knows (`bản Pét`)."""
    log_counts = load_backend(model_dir, 1).take_tables()["unigram_logc"]
    lm_vocab = (model_dir / LM_VOCAB_FILE).read_text(encoding="utf-8").splitlines()
    return frozenset(key_of(unit) for unit, count in zip(lm_vocab, log_counts.tolist())
                     if is_word(unit) and count >= COMMON_LOG_COUNT)


def count_paragraph(paragraph: str, counts: dict[str, Counts], common: frozenset[str]) -> None:
    """Add one paragraph's pairs of neighbouring words in mid-sentence: for the first
    word, whether the second is capitalised, split by whether that capital's key is
    `common` (`before_capital_common`, `before_capital_rare`); for the second, whether
    the first is (`after`)."""
    prev_unit = prev_title = prev_trail = None
    for tok in tokenize(paragraph):
        if not tok.core or not is_word(tok.core):
            prev_unit = prev_trail = None
            continue
        unit = lm_unit(tok.core)
        title = tok.core[:1].isupper()
        if prev_unit is not None and mid_sentence(prev_trail, tok.lead):
            counts["before"][prev_unit] += 1
            if title:
                known = key_of(tok.core) in common
                counts["before_capital_common" if known else "before_capital_rare"][prev_unit] += 1
            counts["after"][unit] += 1
            counts["after_capital"][unit] += prev_title
        prev_unit, prev_title, prev_trail = unit, title, tok.trail


def count_corpus(per_source: int, common: frozenset[str]) -> dict[str, Counts]:
    counts = {k: collections.Counter() for k in (
        "before", "before_capital_common", "before_capital_rare", "after", "after_capital")}
    paragraphs: collections.Counter[str] = collections.Counter()
    t0 = time.time()
    for source, para in iter_split_paragraphs("train", per_source):
        count_paragraph(para, counts, common)
        paragraphs[source] += 1
    print(f"{dict(paragraphs)} paragraphs ({time.time() - t0:.0f} s)", flush=True)
    return counts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--min-count", type=int, default=20,
                    help="leave out units seen fewer times beside a word")
    ap.add_argument("--per-source", type=int, default=0,
                    help="training paragraphs per source (0: all)")
    ap.add_argument("--out", type=Path, default=TABLE_PATH)
    ap.add_argument("--model", type=Path, default=DEFAULT_MODEL_DIR,
                    help="the model whose LM counts decide which capitals are common words")
    args = ap.parse_args()
    common = common_keys(args.model)
    counts = count_corpus(args.per_source, common)
    units = sorted(u for u in set(counts["before"]) | set(counts["after"])
                   if counts["before"][u] + counts["after"][u] >= args.min_count)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        args.out,
        units=np.array(units),
        common_keys=np.array(sorted(common)),
        **{k: np.array([c[u] for u in units], dtype=np.int32) for k, c in counts.items()},
    )
    print(f"{len(units)} units → {args.out} ({args.out.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
