"""Learning the OCR noise tables from Tesseract's readings of rendered training pages.

`build_tables_from_pages` aligns each page's reading with its truth and counts, per
regime (eng, vie), what OCR printed for each token, character and punctuation mark and
which line events happened; `vnocr.data.noise` samples from the tables and
`vnocr.channel` reads them at run time. Training-only: nothing at run time imports it.
"""

import gzip
import json
import logging
import random
from collections import Counter, defaultdict
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from vnocr.data.align import align_lines, align_tokens
from vnocr.data.noise import (
    MIN_TOKEN_COUNT,
    NOISE_DIR,
    OCR_REGIMES,
    NoiseModel,
    corrupt_line,
    has_marks,
    merge_glue,
    token_kind,
)
from vnocr.errors import BadOptionsError
from vnocr.text import tokenize

log = logging.getLogger(__name__)


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
        kinds = [token_kind(w) for w in words]
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
                self.events[f"del_{token_kind(g.truth[0])}"] += 1
            elif kind == "split":
                self.events["split"] += 1
                self.events[f"split_{token_kind(g.truth[0])}"] += 1
                self._add_sub(g.truth[0], "".join(g.seen))
            elif kind == "merge":
                self.events["merge"] += len(g.truth) - 1
                for a, b in pairwise(g.truth):
                    both = token_kind(a) == token_kind(b) == "word"
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
            key = "marked" if has_marks(t) else "plain"
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


def iter_page_pairs(
    page: dict, lang: str, *, min_similarity: float = 0.5
) -> Iterator[tuple[str, str, float, str]]:
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


