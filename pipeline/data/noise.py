"""Noise that looks like real OCR, sampled from tables learned on real Tesseract output.

Errors are not invented by hand. `vnocr.data.noise_tables` aligns Tesseract's
reading of rendered pages with their truth and counts, per regime (eng, vie):

* token confusions P(seen core | truth core) for syllables seen often enough,
* character back-off P(output string | truth char) for everything else,
* punctuation around tokens P(seen lead/trail | truth lead/trail),
* line events: tokens lost, invented (at line start, middle, end), split and merged.

Sampling is table look-ups with cumulative weights, so millions of training lines cost
minutes, not Tesseract days. Two regimes need no tables: "strip" (every mark and đ gone)
and "partial" (some words keep their marks, as people type).
"""

from __future__ import annotations

import gzip
import json
import logging
import random
import re
import unicodedata
from bisect import bisect
from functools import lru_cache
from itertools import accumulate
from pathlib import Path

from vnocr.channel import TABLES_DIR
from vnocr.errors import BadOptionsError, ModelLoadError
from vnocr.text import strip_marks, strip_tone, tokenize

log = logging.getLogger(__name__)

NOISE_DIR = TABLES_DIR  # the run-time channel reads the tables this module builds
OCR_REGIMES = ("eng", "vie")
REGIMES = ("strip", "partial", "eng", "vie")
MIN_TOKEN_COUNT = 3  # a truth syllable needs this many readings to use its own distribution
SMOOTH = 2.0  # pseudo-count of the character model mixed into each token distribution

# Phenomena our rendered pages cannot show (they have no footnotes and no line-end
# hyphenation), added at rates read off a real eng-OCR report (the appendix sample):
# ~1 glued footnote marker per 400 tokens, ~1 hyphenated break per 60 lines.
FOOTNOTE_RATE = 0.0025
FOOTNOTE_MARKS = ("1", "2", "3", "4", "'", "’", "*", "°")
STRAY_PUNCT_RATE = 0.002
STRAY_PUNCT = (".", ",", "'", "`", "’", ")", "(", ";", ":", "-", "_")
HYPHEN_RATE = 0.015


# ---------------------------------------------------------------------------------------
# Sampling


class _Dist:
    """A categorical distribution drawn by bisecting cumulative weights (fast, seedable)."""

    __slots__ = ("changed", "cum", "items", "p_same", "total")

    def __init__(self, pairs: list[tuple[str, float]], same: str | None = None) -> None:
        self.items = [s for s, _ in pairs]
        self.cum = list(accumulate(w for _, w in pairs))
        self.total = self.cum[-1] if self.cum else 0.0
        w_same = sum(w for s, w in pairs if s == same) if same is not None else 0.0
        self.p_same = w_same / self.total if self.total else 1.0
        other = [(s, w) for s, w in pairs if s != same]
        self.changed = _Dist(other) if (same is not None and other) else None

    def draw(self, rng: random.Random):
        return self.items[bisect(self.cum, rng.random() * self.total)]


class NoiseModel:
    """Learned noise of one OCR regime; `corrupt_core` is the per-syllable sampler."""

    def __init__(self, tables: dict) -> None:
        self.regime = tables["regime"]
        ev = tables["events"]
        n_tok = max(1, ev.get("tokens", 1))
        n_lines = max(1, ev.get("lines", 1))
        self.rates = {
            "del": ev.get("del", 0) / n_tok,
            "split": ev.get("split", 0) / n_tok,
            "merge": ev.get("merge", 0) / max(1, ev.get("boundaries", 1)),
            **{
                f"{what}_{k}": ev.get(f"{what}_{k}", 0) / max(1, ev.get(f"{unit}_{k}", 0))
                for what, unit in (("del", "tokens"), ("split", "tokens"), ("merge", "boundaries"))
                for k in ("word", "punct")
            },
            "ins_mid": ev.get("ins_mid", 0) / n_tok,
            "ins_start": ev.get("ins_start", 0) / n_lines,
            "ins_end": ev.get("ins_end", 0) / n_lines,
        }
        self.chars = {c: _Dist([(o, n) for o, n in v], same=c) for c, v in tables["chars"].items()}
        self.lead = {c: _Dist([(o, n) for o, n in v], same=c) for c, v in tables["lead"].items()}
        self.trail = {c: _Dist([(o, n) for o, n in v], same=c) for c, v in tables["trail"].items()}
        self.punct_tokens = {
            t: _Dist([(o, n) for o, n in v], same=t) for t, v in tables["punct_tokens"].items()
        }
        self.inserted = _Dist([(o, n) for o, n in tables["inserted"]] or [("", 1)])
        self.inserted_mid = _Dist([(o, n) for o, n in tables.get("inserted_mid", [])] or [("", 1)])
        # Debris tokens per line edge: a count distribution, since speckled lines end in
        # runs like "~~ | - ee :", which one Bernoulli draw per edge cannot make.
        self.n_start = _Dist([(k, n) for k, n in tables.get("n_start", [])] or [(0, 1)])
        # Merged words are often glued with a mark Tesseract saw in the gap ("thiết:kế").
        self.glue = _Dist([(o, n) for o, n in tables.get("glue", [])] or [("", 1)])
        self.n_end = _Dist([(k, n) for k, n in tables.get("n_end", [])] or [(0, 1)])
        # Token distributions: mix in the character model with SMOOTH pseudo-counts, so a
        # syllable seen 3 times correct still has the chance of error its letters carry.
        self.tokens: dict[str, tuple[_Dist, float]] = {}
        for t, v in tables["tokens"].items():
            n = sum(c for _, c in v)
            self.tokens[t] = (_Dist([(o, c) for o, c in v], same=t), n / (n + SMOOTH))
        self.events = ev
        self.backoff: dict[str, float] = tables.get("backoff", {})
        # Line-event calibration (see `calibrate`): independent per-token draws put a little
        # more debris and glue on lines than the pages they were counted on had.
        cal = tables.get("calibration", {})
        self.ins_keep = min(1.0, cal.get("ins", 1.0))
        for key in ("del_word", "del_punct", "merge_word", "merge_punct"):
            self.rates[key] *= cal.get("del", 1.0)

    @classmethod
    def load(cls, regime: str, directory: Path | None = None) -> NoiseModel:
        """The shipped tables of `regime` ("eng" or "vie"), cached per process."""
        if regime not in OCR_REGIMES:
            raise BadOptionsError(f"unknown OCR noise regime {regime!r}; use eng or vie")
        return _load(regime, str(directory or NOISE_DIR))

    # -- per token ----------------------------------------------------------------------

    def _char_sample(self, core: str, rng: random.Random) -> str:
        out = []
        for c in core:
            d = self.chars.get(c)
            if d is None or rng.random() < d.p_same:
                out.append(c)
            else:
                out.append(d.changed.draw(rng) if d.changed else c)
        return "".join(out)

    def _backoff_sample(self, core: str, rng: random.Random, force: bool | None) -> str:
        """A reading of a syllable without its own row: first whether it is misread at all
        (learned per marked/plain word), then which letters, given that some letter is."""
        p = self.backoff.get("marked" if has_marks(core) else "plain")
        if p is None:
            return self._char_sample(core, rng)
        if not force and rng.random() >= p:
            return core
        for _ in range(10):
            seen = self._char_sample(core, rng)
            if seen != core:
                return seen
        # Letters that almost never change: change the likeliest one.
        weights = [1.0 - self.chars[c].p_same if c in self.chars else 0.0 for c in core]
        if not any(weights):
            return core
        k = rng.choices(range(len(core)), weights=weights)[0]
        d = self.chars[core[k]]
        return core[:k] + (d.changed.draw(rng) if d.changed else core[k]) + core[k + 1 :]

    def corrupt_core(self, core: str, rng: random.Random, *, force: bool | None = None) -> str:
        """One OCR reading of a word core. `force`: True must change it, False keeps it."""
        if force is False or not core:
            return core
        entry = self.tokens.get(core)
        for _ in range(8 if force else 1):
            if entry is not None and rng.random() < entry[1]:
                d = entry[0]
                if force:
                    seen = (
                        d.changed.draw(rng) if d.changed else self._backoff_sample(core, rng, True)
                    )
                else:
                    seen = d.draw(rng)
            else:
                seen = self._backoff_sample(core, rng, force)
            if not force or seen != core:
                return seen
        return _fallback_change(core, rng)

    def corrupt_token(
        self, token: str, rng: random.Random, *, force: bool | None = None, extras: bool = True
    ) -> str:
        """One whitespace token: core from the token tables, lead/trail from the punctuation
        tables, plus the rare glued footnote mark or stray punctuation."""
        t = _split(token)
        if t is None:
            return token
        if not t.core:
            d = self.punct_tokens.get(token)
            if d is None or force is False:
                return token
            out = d.draw(rng) if not force or not d.changed else d.changed.draw(rng)
            return out.replace(" ", "") or token
        core = self.corrupt_core(t.core, rng, force=force)
        if force is not False and extras:
            if rng.random() < STRAY_PUNCT_RATE and len(core) > 1:
                k = rng.randrange(1, len(core))
                core = core[:k] + rng.choice(STRAY_PUNCT) + core[k:]
            if rng.random() < FOOTNOTE_RATE:
                core = core + rng.choice(FOOTNOTE_MARKS)
        lead = self._punct(self.lead, t.lead, rng, force)
        trail = self._punct(self.trail, t.trail, rng, force)
        out = (lead + core + trail).replace(" ", "")
        return out

    @staticmethod
    def _punct(table: dict[str, _Dist], p: str, rng: random.Random, force: bool | None) -> str:
        if force is False:
            return p
        d = table.get(p)
        if d is None or rng.random() < d.p_same:
            return p
        return d.changed.draw(rng) if d.changed else p


@lru_cache(maxsize=1 << 19)
def _split(token: str):
    """`tokenize` of one token, cached: the same syllables recur millions of times."""
    toks = tokenize(token)
    return toks[0] if len(toks) == 1 else None


@lru_cache(maxsize=8)
def _load(regime: str, directory: str) -> NoiseModel:
    path = Path(directory) / f"{regime}.json.gz"
    try:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            return NoiseModel(json.load(f))
    except (OSError, ValueError, KeyError) as e:
        raise ModelLoadError(f"cannot load noise tables {path}: {e}") from e


def _fallback_change(core: str, rng: random.Random) -> str:
    """A change for a core the tables never saw changed: drop its marks, else flip case."""
    s = strip_marks(core)
    if s != core:
        return s
    return core.swapcase() if rng.random() < 0.5 else core[:1].swapcase() + core[1:]


# ---------------------------------------------------------------------------------------
# Regimes without tables


def partial_token(token: str, rng: random.Random, keep: float) -> str:
    """Typed-with-some-marks: a word keeps its marks, loses them all, or only its tone."""
    u = rng.random()
    if u < keep:
        return token
    if u < keep + (1 - keep) * 0.15:
        return strip_tone(token)
    return strip_marks(token)


_PUNCT_RUN = re.compile(r"[^\w]+")


def merge_glue(truth: tuple[str, ...], seen: str) -> str:
    """The mark that took the place of the space when OCR glued words ("" when none):
    an interior punctuation run of `seen` that the truth words do not have themselves."""
    joined = "".join(truth)
    inner = [m for m in _PUNCT_RUN.finditer(seen) if 0 < m.start() and m.end() < len(seen)]
    own = len([m for m in _PUNCT_RUN.finditer(joined) if 0 < m.start() and m.end() < len(joined)])
    if len(inner) <= own:
        return ""
    cut = len(truth[0]) / max(1, len(joined)) * len(seen)
    return min(inner, key=lambda m: abs(m.start() - cut)).group(0)


def token_kind(token: str) -> str:
    """'word' when the token has a letter or digit (SER counts it), else 'punct'."""
    t = _split(token)
    return "word" if t is not None and t.core else "punct"


def has_marks(token: str) -> bool:
    """Any diacritic or đ/Đ: marked and plain tokens have separate backoff tables."""
    return any(unicodedata.combining(c) for c in unicodedata.normalize("NFD", token)) or (
        "đ" in token or "Đ" in token
    )


# ---------------------------------------------------------------------------------------
# Public API used by the training code


def corrupt_tokens(
    tokens: list[str],
    regime: str,
    rng: random.Random,
    *,
    rate: float | None = None,
    extras: bool = True,
    model: NoiseModel | None = None,
) -> list[str]:
    """1:1 corruption of whitespace tokens: same length out, no whitespace inside a token.

    regime: "strip" (every mark and đ removed), "partial" (each line keeps a random share
    of its words accented; `rate` = share of words stripped), "eng" or "vie" (learned OCR
    noise; `rate`, when given, is the share of tokens forced to change, else the learned
    rate applies). A token is never emptied: an OCR loss is `corrupt_line`'s business.
    `extras=False` leaves out what the rendered pages could not teach (glued footnote
    marks, stray punctuation, hyphenated breaks), to compare the learned part with real OCR.
    """
    if regime == "strip":
        return [strip_marks(t) for t in tokens]
    if regime == "partial":
        keep = 1.0 - (rate if rate is not None else rng.uniform(0.2, 0.9))
        return [partial_token(t, rng, keep) for t in tokens]
    if regime not in OCR_REGIMES:
        raise BadOptionsError(f"unknown noise regime {regime!r}; use {', '.join(REGIMES)}")
    model = model or NoiseModel.load(regime)
    out = []
    for t in tokens:
        force = None if rate is None else (rng.random() < rate)
        out.append(model.corrupt_token(t, rng, force=force, extras=extras) or t)
    return out


PARTIAL_SEED = 7  # the benchmarks' partly typed set (scripts/bench_restore.py, benchmark.py)


def partially_typed(lines: list[str], seed: int = PARTIAL_SEED) -> list[str]:
    """Each line as if typed with only some marks (the `partial` regime, token for token,
    each line keeping 10-80 % of its words' marks): the same lines for the same seed."""
    rng = random.Random(seed)
    return [" ".join(corrupt_tokens(line.split(), "partial", rng)) for line in lines]


def corrupt_line(
    line: str,
    regime: str,
    rng: random.Random,
    *,
    extras: bool = True,
    model: NoiseModel | None = None,
) -> str:
    """A whole noisy line, as OCR or a typist would produce it from `line`.

    On top of `corrupt_tokens`, the OCR regimes lose, invent, split and merge tokens at
    their learned rates, and sometimes break a word with a hyphen as at a line end.
    """
    tokens = line.split()
    noisy = corrupt_tokens(tokens, regime, rng, extras=extras, model=model)
    if regime not in OCR_REGIMES:
        return " ".join(noisy)
    model = model or NoiseModel.load(regime)
    r = model.rates
    keep = model.ins_keep
    out: list[str] = []
    for _ in range(model.n_start.draw(rng)):
        if rng.random() < keep:
            out.append(model.inserted.draw(rng))
    prev = None
    for i, tok in enumerate(noisy):
        kind = token_kind(tokens[i])
        if rng.random() < r[f"del_{kind}"]:
            continue
        if rng.random() < r["ins_mid"] * keep:
            out.append(model.inserted_mid.draw(rng))
        if len(tok) > 1 and rng.random() < r[f"split_{kind}"]:
            k = rng.randrange(1, len(tok))
            out.extend([tok[:k], tok[k:]])
            prev = kind
            continue
        glue = "word" if kind == prev == "word" else "punct"
        if out and prev is not None and rng.random() < r[f"merge_{glue}"]:
            out[-1] = out[-1] + model.glue.draw(rng) + tok
            prev = kind
            continue
        out.append(tok)
        prev = kind
    for _ in range(model.n_end.draw(rng)):
        if rng.random() < keep:
            out.append(model.inserted.draw(rng))
    if extras and out and rng.random() < HYPHEN_RATE:
        j = rng.randrange(len(out))
        w = out[j]
        if len(w) >= 4 and w.isalpha():
            k = rng.randrange(2, len(w) - 1)
            out[j : j + 1] = [w[:k] + "-", w[k:]]
    return " ".join(t for t in out if t)


def corrupt_mixed(line: str, rng: random.Random, weights: dict[str, float] | None = None) -> str:
    """One regime drawn per line: the mix the model meets in use."""
    w = weights or {"strip": 0.35, "partial": 0.15, "eng": 0.3, "vie": 0.2}
    regime = rng.choices(list(w), weights=list(w.values()))[0]
    return corrupt_line(line, regime, rng)
