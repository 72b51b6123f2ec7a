#!/usr/bin/env python3
"""A syllable-bigram Viterbi baseline on vnocr's own counts: the yardstick for stripped text.

    python scripts/bigram_baseline.py "Toi di hoc o Ha Noi"     # restores its arguments
    python scripts/bigram_baseline.py < stripped.txt             # or stdin, line by line

Each token whose core strips to a key of the output vocabulary may become any syllable
with that key (`RestoreTokenizer.by_key`: the candidates vnocr's generator gives a token
typed without marks); every other token is kept as written. The best path maximises the
sum of bigram log-probabilities from the shipped model's counts alone, with the same
back-off as `TrigramLM` below its trigram level (0.4 × the unigram share where a bigram
is absent): no network, no channel weights, no trigrams, no dictionary pass. Context
restarts at `<s>` after a sentence end, as in vnocr's decoder.

A measurement tool for `scripts/benchmark.py` (system `bigram`), not part of the product:
it says how much of vnocr's result the counts alone already give.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from safetensors.numpy import load_file

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from vnocr.restore.ngram import BACKOFF, NgramTable, fingerprint, pack2
from vnocr.restore.tokenizer import RestoreTokenizer
from vnocr.restore.vocab import ends_sentence
from vnocr.text import Token, apply_case, case_pattern, key_of, tokenize

DEFAULT_MODEL = ROOT / "models" / "restore-v1"


class BigramBaseline:
    """Same-key candidates per token, best path by bigram log-probabilities only."""

    def __init__(self, tok: RestoreTokenizer, unigram_logc: np.ndarray,
                 bigrams: NgramTable) -> None:
        self.tok = tok
        self.uni = np.asarray(unigram_logc, dtype=np.float32)
        self.log_total = float(np.log(np.exp(self.uni.astype(np.float64)).sum()))
        self.floor = float(np.log(0.1) - self.log_total)  # as TrigramLM: unseen units
        self.bigrams = bigrams

    @classmethod
    def from_model_dir(cls, model_dir: Path = DEFAULT_MODEL) -> BigramBaseline:
        """The counts and vocabularies of a model folder; the network is not loaded."""
        buffers = load_file(str(Path(model_dir) / "model.safetensors"))
        tok = RestoreTokenizer.from_dir(Path(model_dir))
        bigrams = NgramTable(buffers["bigram_keys"].view(np.uint32), buffers["bigram_logc"])
        return cls(tok, buffers["unigram_logc"], bigrams)

    def logp(self, prev: np.ndarray, cur: np.ndarray) -> np.ndarray:
        """log P(cur | prev) of aligned LM id arrays: the bigram's share of its context's
        count where both were counted (and the ratio is a probability: a fingerprint
        false hit is not), else 0.4 × the unigram share."""
        f_pair = self.bigrams.lookup(fingerprint(pack2(prev, cur), 2))
        with np.errstate(invalid="ignore"):
            ratio = f_pair - self.uni[prev]
        unigram = BACKOFF + np.maximum(self.uni[cur] - self.log_total, self.floor)
        return np.where(np.isfinite(ratio) & (ratio <= 0.0), ratio, unigram)

    def candidates(self, core: str) -> tuple[list[str], np.ndarray]:
        """Output forms (in the core's letter case) and their LM ids; the core itself
        where its key is no output syllable's or its case is mixed (`McLean`)."""
        ids = self.tok.by_key.get(key_of(core))
        pattern = case_pattern(core)
        if not ids or pattern == "mixed":
            return [core], np.array([self.tok.lm_id(core)], dtype=np.int64)
        forms = [apply_case(self.tok.vocab[i], pattern) for i in ids]
        return forms, self.tok.out_to_lm[np.asarray(ids)]

    def best_path(self, tokens: Sequence[Token]) -> list[str]:
        """Viterbi over the tokens with a core: the chosen form of each."""
        if not tokens:
            return []
        bos = np.array([self.tok.lm_bos], dtype=np.int64)
        steps = []  # per token: (forms, back-pointers into the previous token's forms)
        score = np.zeros(1)
        prev_ids, restart, best = bos, True, 0
        for token in tokens:
            forms, ids = self.candidates(token.core)
            if restart:  # a sentence start: only the best path so far goes on
                best = int(score.argmax())
                prev_ids, score = bos, score[best : best + 1]
            trans = score[:, None] + self.logp(
                np.repeat(prev_ids, len(ids)), np.tile(ids, len(prev_ids))
            ).reshape(len(prev_ids), len(ids))
            back = trans.argmax(axis=0)
            score = trans[back, np.arange(len(ids))]
            steps.append((forms, np.full(len(ids), best) if restart else back))
            prev_ids, restart = ids, ends_sentence(token.trail)
        choice = int(score.argmax())
        out = []
        for forms, back in reversed(steps):
            out.append(forms[choice])
            choice = int(back[choice])
        return out[::-1]

    def restore_line(self, line: str) -> str:
        """`line` with each token's core replaced by its form on the best path; spacing,
        punctuation and everything without a core stay as they are."""
        tokens = [t for t in tokenize(line) if t.core]
        pieces, at = [], 0
        for token, form in zip(tokens, self.best_path(tokens), strict=True):
            pieces += [line[at:token.core_start], form]
            at = token.core_start + len(token.core)
        return "".join(pieces) + line[at:]

    def restore_lines(self, lines: Sequence[str]) -> list[str]:
        """Each line on its own: a dev row is one line, its context never the next row's."""
        return [self.restore_line(line) for line in lines]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    baseline = BigramBaseline.from_model_dir()
    lines = args or [line.rstrip("\n") for line in sys.stdin]
    for line in baseline.restore_lines(lines):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
