"""A compact syllable trigram language model (stupid back-off over pruned counts).

Keys are 32-bit fingerprints of packed id pairs/triples, sorted so a batch of look-ups
is one `np.searchsorted`; values are natural-log counts in float16. A false hit needs
a fingerprint collision (about 1 in 2,000 queries for 4 M entries), which costs at
most a slightly wrong score, never a wrong output form.
"""

from __future__ import annotations

import numpy as np

BITS = 20
_MULT = np.uint64(0x9E3779B97F4A7C15)
_HIGH_HALF = np.uint64(32)
BACKOFF = float(np.log(0.4))


def fingerprint(packed: np.ndarray, salt: int) -> np.ndarray:
    """Mix a packed int64 key array into uint32s (salt separates bigrams from trigrams).
    In place on one copy: a search step makes a few dozen keys, where each numpy call
    and temporary costs more than the arithmetic (uint64 arrays wrap silently)."""
    x = packed.astype(np.uint64)
    x += np.uint64(salt)
    x *= _MULT
    x >>= _HIGH_HALF
    return x.astype(np.uint32)


def pack2(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Bigram keys: two word ids in one int64, so one sorted array answers lookups."""
    return (a.astype(np.int64, copy=False) << BITS) | b.astype(np.int64, copy=False)


def pack3(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Trigram keys: three word ids in one int64 (see `pack2`)."""
    packed = a.astype(np.int64, copy=False) << (2 * BITS)
    packed |= b.astype(np.int64, copy=False) << BITS
    packed |= c.astype(np.int64, copy=False)
    return packed


KEYS_PER_BUCKET = 2  # fingerprints are uniform: their top bits cut the table in buckets


class NgramTable:
    """Sorted fingerprints → log counts; lookup returns -inf where absent.

    A look-up first finds the fingerprint's bucket (its top bits) in a table of bucket
    starts, then searches forward from the bucket's start in steps of 8, 4, 2, 1 keys
    (as many as its largest bucket needs), all queries at once: 2.4x faster than
    `np.searchsorted` over the whole table, whose every level was a cache miss. A step
    never needs the bucket's end: the keys after a bucket are larger than any of its
    fingerprints (their top bits are), and padding keys after the table's last are the
    largest fingerprint, so each step is three numpy calls: a gather from the keys
    shifted by the stride, a comparison, and an add where it holds (a bisection took
    nine). Buckets of about two keys leave 4 steps.
    """

    def __init__(self, keys: np.ndarray, logc: np.ndarray) -> None:
        keys = np.asarray(keys, dtype=np.uint32)
        bits = min(24, max(1, (len(keys) // KEYS_PER_BUCKET).bit_length()))
        self._shift = np.uint32(32 - bits)
        # bucket b holds keys[starts[b] : starts[b + 1]]: the keys' count per bucket,
        # summed (10 ms of CPU for 3.6 M keys; a search of every bucket's bound took 60)
        self._starts = np.zeros((1 << bits) + 1, dtype=np.uint32)
        per_bucket = np.bincount(keys >> self._shift, minlength=1 << bits)
        np.cumsum(per_bucket, out=self._starts[1:])
        largest = int(per_bucket.max())
        # strides of the forward search: they add up to at least the largest bucket
        self._strides = [1 << k for k in reversed(range(max(1, largest).bit_length()))]
        padded = np.empty(len(keys) + 2 * self._strides[0], dtype=np.uint32)
        padded[: len(keys)] = keys
        padded[len(keys):] = np.iinfo(np.uint32).max
        self._padded = padded
        self.keys = padded[: len(keys)]
        # the keys from the stride's last on: the key a step compares, at no addition
        self._ahead = {stride: padded[stride - 1:] for stride in self._strides}
        # the log counts padded with the last one: what a query equal to the padding
        # key finds (it is the largest fingerprint), with no clipping of its index
        self._padded_logc = np.empty(len(padded), dtype=np.float32)
        self._padded_logc[: len(keys)] = logc
        self._padded_logc[len(keys):] = self._padded_logc[len(keys) - 1] if len(keys) else 0
        self.logc = self._padded_logc[: len(keys)]

    @classmethod
    def build(cls, packed: np.ndarray, counts: np.ndarray, salt: int) -> NgramTable:
        fp = fingerprint(packed, salt)
        order = np.argsort(fp, kind="stable")
        fp, counts = fp[order], counts[order]
        # Merge collisions: keep the larger count (rare).
        uniq, start = np.unique(fp, return_index=True)
        maxc = np.maximum.reduceat(counts, start)
        return cls(uniq, np.log(maxc.astype(np.float64)).astype(np.float16))

    def lookup(self, fp: np.ndarray) -> np.ndarray:
        if len(self.keys) == 0:
            return np.full(np.shape(fp), -np.inf, dtype=np.float32)
        fp = np.asarray(fp, dtype=np.uint32)
        keys = self._padded
        at = self._starts[fp >> self._shift].astype(np.int64)
        for stride in self._strides:  # the first key >= fp: its lower bound
            np.add(at, stride, out=at, where=self._ahead[stride][at] < fp)
        return np.where(keys[at] == fp, self._padded_logc[at], np.float32(-np.inf))


class TrigramLM:
    """Stupid back-off scores: log f(abc)/f(ab), else 0.4·f(bc)/f(b), else 0.4²·f(c)/N."""

    def __init__(self, unigram_logc: np.ndarray, bigrams: NgramTable, trigrams: NgramTable):
        self.uni = np.asarray(unigram_logc, dtype=np.float32)
        self.log_total = float(np.log(np.exp(self.uni.astype(np.float64)).sum()))
        self.bigrams = bigrams
        self.trigrams = trigrams
        # Floor for units never seen: a tenth of a single count.
        self.floor = float(np.log(0.1) - self.log_total)
        # each unit's unigram back-off score, 0.4²·f(c)/N floored, for all units at once:
        # the float32 operations `extend` would do on each candidate, done once
        self.unigram_backoff = 2 * BACKOFF + np.maximum(self.uni - self.log_total, self.floor)

    def pair_logc(self, a: int, b: int) -> float:
        """Log count of the bigram (a, b) of LM ids; -inf where it was never seen."""
        fp = fingerprint(pack2(np.array([a]), np.array([b])), 2)
        return float(self.bigrams.lookup(fp)[0])

    def context_logc(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Log counts of the bigrams (a, b) of aligned id arrays, -inf where unseen: the
        contexts of a beam's states (see `extend`)."""
        return self.bigrams.lookup(fingerprint(pack2(a, b), 2))

    def score(self, a: np.ndarray, b: np.ndarray, c: np.ndarray,
              state: np.ndarray | None = None) -> np.ndarray:
        """log S(c | a b) for aligned id arrays; with `state`, `c[k]` follows the context
        (a, b)[state[k]] (see `extend`)."""
        if state is None:
            state = np.arange(len(a))
        return self.extend(a, b, self.context_logc(a, b), c, state)[0]

    def extend(self, a: np.ndarray, b: np.ndarray, f_ab: np.ndarray, c: np.ndarray,
               state: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """log S(c | a b) where `a`, `b` are the contexts of a beam's states, `f_ab` their
        bigram log counts (`context_logc`), and `c[k]` follows the context `state[k]`;
        and the log count of each candidate's bigram (b, c), the context of the state it
        makes, which the decoder carries along instead of looking it up again.

        The context's bigram is looked up once per state, not once per candidate, and
        the trigram only where that bigram exists (without it the trigram's ratio is no
        probability anyway). Same scores, a third of the look-ups: they are the
        decoder's largest cost."""
        f_ab = f_ab[state]
        a, b = a[state], b[state]
        f_bc = self.bigrams.lookup(fingerprint(pack2(b, c), 2))
        f_abc = np.full(len(c), -np.inf, dtype=np.float32)
        known = np.flatnonzero(np.isfinite(f_ab))
        if len(known):
            f_abc[known] = self.trigrams.lookup(
                fingerprint(pack3(a[known], b[known], c[known]), 3))
        # A fingerprint false hit can pair an n-gram with an absent or smaller context:
        # such a ratio is no probability (> 1, or +inf) and counts as absent.
        with np.errstate(invalid="ignore"):  # -inf - -inf where both are absent
            s3 = _ratio(f_abc, f_ab)
            s2 = BACKOFF + _ratio(f_bc, self.uni[b])
        s1 = self.unigram_backoff[c]
        return np.where(np.isfinite(s3), s3, np.where(np.isfinite(s2), s2, s1)), f_bc


def _ratio(log_num: np.ndarray, log_den: np.ndarray) -> np.ndarray:
    """log(num/den) where that is a probability, -inf elsewhere (absent or a false hit).
    Called under `np.errstate(invalid="ignore")`: -inf - -inf where both are absent."""
    r = log_num - log_den
    return np.where(r <= 0.0, r, np.float32(-np.inf))
