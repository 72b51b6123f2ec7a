"""Noise that looks like real OCR, sampled from tables learned on real Tesseract output.

Errors are not invented by hand. `build_tables_from_pages` aligns Tesseract's
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
from collections import Counter, defaultdict
from functools import lru_cache
from itertools import accumulate, pairwise
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from vnocr.channel import TABLES_DIR
from vnocr.data.align import align_lines, align_tokens
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
# Learning


def char_edits(truth: str, seen: str) -> list[tuple[str, str]]:
    """What each truth character became: (char, output string; "" when lost).

    Characters inserted by OCR attach to the truth character before them (to the first
    one at the start), so "ữ" → "it" is one event, as Tesseract makes it.
    """
    outs = [""] * len(truth)
    pre = [""] * len(truth)  # text read before a truth char (an insertion glued to it)
    ops = Levenshtein.opcodes(truth, seen)
    for idx, op in enumerate(ops):
        t0, t1, s0, s1 = op.src_start, op.src_end, op.dest_start, op.dest_end
        if op.tag == "equal":
            for k in range(t1 - t0):
                outs[t0 + k] += seen[s0 + k]
        elif op.tag == "replace":
            k_t, k_s = t1 - t0, s1 - s0
            for k in range(k_t):
                # Spread the replacement proportionally; a short reading leaves some "" .
                outs[t0 + k] += seen[s0 + k * k_s // k_t : s0 + (k + 1) * k_s // k_t]
        elif op.tag == "insert":
            # Glue the insertion to the changed neighbour ("ữ" → "it"), else to the left.
            nxt = ops[idx + 1].tag if idx + 1 < len(ops) else None
            prv = ops[idx - 1].tag if idx > 0 else None
            if t0 < len(truth) and (nxt in ("replace", "delete") or t0 == 0) and prv != "replace":
                pre[t0] += seen[s0:s1]
            elif t0 > 0:
                outs[t0 - 1] += seen[s0:s1]
    outs = [p + o for p, o in zip(pre, outs, strict=True)]
    return list(zip(truth, outs, strict=True))


class _Counts:
    """Raw counts gathered from aligned pages; `to_tables` turns them into the saved form."""

    def __init__(self) -> None:
        self.tokens: dict[str, Counter[str]] = defaultdict(Counter)
        self.chars: dict[str, Counter[str]] = defaultdict(Counter)
        self.lead: dict[str, Counter[str]] = defaultdict(Counter)
        self.trail: dict[str, Counter[str]] = defaultdict(Counter)
        self.punct_tokens: dict[str, Counter[str]] = defaultdict(Counter)
        self.inserted: Counter[str] = Counter()  # debris at a line's start or end
        self.inserted_mid: Counter[str] = Counter()  # debris between words
        self.n_start: Counter[int] = Counter()  # how many debris tokens open a line
        self.n_end: Counter[int] = Counter()
        self.glue: Counter[str] = Counter()  # what replaces the space of merged words
        self.events: Counter[str] = Counter()

    def add_line(self, truth: str, seen: str) -> None:
        words = truth.split()
        groups = align_tokens(words, seen.split())
        kinds = [_kind(w) for w in words]
        self.events["lines"] += 1
        self.events["tokens"] += len(words)
        self.events["boundaries"] += max(0, len(words) - 1)
        # Losses and glue hit punctuation tokens ("-", "–") far more than words, and SER
        # only sees words: rates are kept per token kind.
        for k in kinds:
            self.events[f"tokens_{k}"] += 1
        for a, b in pairwise(kinds):
            self.events[f"boundaries_{'word' if a == b == 'word' else 'punct'}"] += 1
        pos = 0
        n_start = n_end = 0
        for gi, g in enumerate(groups):
            kind = g.kind
            if kind == "sub":
                self._add_sub(g.truth[0], g.seen[0])
            elif kind == "ins":
                where = (
                    "start"
                    if pos == 0
                    else "end"
                    if all(h.kind == "ins" for h in groups[gi:])
                    else "mid"
                )
                self.events[f"ins_{where}"] += 1
                if where == "mid":
                    self.inserted_mid[g.seen[0]] += 1
                else:
                    self.inserted[g.seen[0]] += 1
                    n_start += where == "start"
                    n_end += where == "end"
            elif kind == "del":
                self.events["del"] += 1
                self.events[f"del_{_kind(g.truth[0])}"] += 1
            elif kind == "split":
                self.events["split"] += 1
                self.events[f"split_{_kind(g.truth[0])}"] += 1
                self._add_sub(g.truth[0], "".join(g.seen))
            elif kind == "merge":
                self.events["merge"] += len(g.truth) - 1
                for a, b in pairwise(g.truth):
                    both = _kind(a) == _kind(b) == "word"
                    self.events[f"merge_{'word' if both else 'punct'}"] += 1
                self.glue[merge_glue(g.truth, g.seen[0])] += 1
                # Each merged truth token is read as its share of the glued token; only the
                # glue is learned here, the letters come from the sub statistics.
            pos += len(g.truth)
        self.n_start[n_start] += 1
        self.n_end[n_end] += 1

    def _add_sub(self, t: str, s: str) -> None:
        tt, st = tokenize(t), tokenize(s)
        if len(tt) != 1 or not tt[0].core:
            self.punct_tokens[t][s] += 1
            return
        ct = tt[0]
        if len(st) != 1 or not st[0].core:
            # The word was read as debris only: a token-level outcome, no letters to learn.
            self.tokens[ct.core][s] += 1
            return
        cs = st[0]
        self.tokens[ct.core][cs.core] += 1
        self.lead[ct.lead][cs.lead] += 1
        self.trail[ct.trail][cs.trail] += 1
        for c, out in char_edits(ct.core, cs.core):
            self.chars[c][out] += 1

    def _backoff_rates(self) -> dict[str, float]:
        """How often a syllable too rare for its own row is misread at all, by whether it has
        marks. Character rates alone would spread a word's errors (a whole word read in
        capitals) over many words: right CER, too many wrong syllables."""
        n: Counter[str] = Counter()
        changed: Counter[str] = Counter()
        for t, c in self.tokens.items():
            total = sum(c.values())
            if total >= MIN_TOKEN_COUNT:
                continue
            key = "marked" if _has_marks(t) else "plain"
            n[key] += total
            changed[key] += total - c[t]
        return {k: changed[k] / n[k] for k in n if n[k]}

    def to_tables(self, regime: str) -> dict:
        def top(c: Counter[str], k: int = 50) -> list[list]:
            return [[s, n] for s, n in c.most_common(k)]

        return {
            "regime": regime,
            "version": 1,
            "events": dict(self.events),
            "tokens": {
                t: top(c, 40) for t, c in self.tokens.items() if sum(c.values()) >= MIN_TOKEN_COUNT
            },
            "backoff": self._backoff_rates(),
            "chars": {t: top(c, 80) for t, c in self.chars.items()},
            "lead": {t: top(c, 10) for t, c in self.lead.items()},
            "trail": {t: top(c, 10) for t, c in self.trail.items()},
            "punct_tokens": {t: top(c, 10) for t, c in self.punct_tokens.items()},
            # Debris strings are mostly unique ("-....", "..__"): keep the long tail, or
            # sampled debris would be shorter than real debris.
            "inserted": top(self.inserted, 5000),
            "inserted_mid": top(self.inserted_mid, 2000),
            "glue": top(self.glue, 50),
            "n_start": sorted(self.n_start.items()),
            "n_end": sorted(self.n_end.items()),
        }


def iter_page_pairs(page: dict, lang: str, *, min_similarity: float = 0.5):
    """(truth line, OCR line, similarity, source) for the lines of one page that align."""
    ocr = [line["text"] for line in page["ocr"].get(lang, [])]
    for ti, oi, sim in align_lines(page["truth"], ocr, min_similarity=min_similarity):
        yield page["truth"][ti], ocr[oi], sim, page["sources"][ti]


def calibrate(tables: dict, pairs: list[tuple[str, str]], seed: int = 0) -> dict[str, float]:
    """Scale factors that make sampled lines lose and invent words as often as the real
    reading of the *same training lines* did (syllable-level alignment, as `vnocr.evaluate` aligns).

    Fitted on the train pages only, never on dev: the dev comparison stays honest.
    """
    from vnocr.evaluate import syllable_breakdown

    model = NoiseModel(tables)
    rng = random.Random(seed)
    real = {"insert": 0, "delete": 0}
    fake = {"insert": 0, "delete": 0}
    for truth, seen in pairs:
        b = syllable_breakdown(seen, truth)
        f = syllable_breakdown(
            corrupt_line(truth, tables["regime"], rng, extras=False, model=model), truth
        )
        for k in real:
            real[k] += b[k]
            fake[k] += f[k]

    def ratio(k: str) -> float:
        return max(0.5, min(2.0, real[k] / fake[k])) if fake[k] else 1.0

    return {"ins": ratio("insert"), "del": ratio("delete")}


def build_tables_from_pages(pages_dirs: list[Path], regime: str, out_dir: Path = NOISE_DIR) -> dict:
    """Align every page in `pages_dirs` read with `regime`'s language; write the table file.

    Pages without a reading in that language (e.g. vie-only photo pages for eng) are skipped.
    """
    if regime not in OCR_REGIMES:
        raise BadOptionsError(f"no OCR tables for regime {regime!r}")
    counts = _Counts()
    pages = [p for d in pages_dirs for p in sorted(d.glob("*.json"))]
    total = kept = used = 0
    pairs: list[tuple[str, str]] = []
    for p in pages:
        page = json.loads(p.read_text(encoding="utf-8"))
        if regime not in page["ocr"]:
            continue
        used += 1
        total += len(page["truth"])
        for truth, seen, _sim, _src in iter_page_pairs(page, regime):
            counts.add_line(truth, seen)
            pairs.append((truth, seen))
            kept += 1
    tables = counts.to_tables(regime)
    tables["events"].update(pages=used, truth_lines=total, aligned_lines=kept)
    tables["calibration"] = calibrate(tables, pairs)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{regime}.json.gz"
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as f:
        json.dump(tables, f, ensure_ascii=False, separators=(",", ":"))
    return {
        "pages": used,
        "lines": kept,
        "of": total,
        "token_types": len(tables["tokens"]),
        "bytes": path.stat().st_size,
    }


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
        p = self.backoff.get("marked" if _has_marks(core) else "plain")
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


def strip_token(token: str) -> str:
    return strip_marks(token)


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


def _kind(token: str) -> str:
    """'word' when the token has a letter or digit (SER counts it), else 'punct'."""
    t = _split(token)
    return "word" if t is not None and t.core else "punct"


def _has_marks(token: str) -> bool:
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
        kind = _kind(tokens[i])
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
