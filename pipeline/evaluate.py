"""Metrics: CER and SER after NFC and tone-placement folding.

Each metric returns `(rate, n)` — errors over truth length and the truth length — so
corpus totals can be weighted (dinglehopper's habit). An empty truth gives `inf`
when there is any prediction, 0.0 otherwise.

Characters are counted as grapheme clusters (a base letter with its combining marks is
one character), so a stray combining mark that NFC cannot compose costs one error, not
two. Syllable errors are also broken down by kind — case only, diacritics only, other —
so a diacritic-only error rate tells restoration misses apart from OCR misses.

Directory evaluation (`evaluate_paths`) returns one `EvalReport`; the JSON output and
the HTML report both render from its `as_dict()`.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regex
from rapidfuzz.distance import Levenshtein

from vnocr.errors import InputError
from vnocr.text import normalize_text_tones, strip_marks

_WS = re.compile(r"\s+")
_WORD = re.compile(r"\w+")
_GRAPHEME = regex.compile(r"\X")

# Kinds of aligned syllable pairs, as `align_syllables` yields them.
OK, CASE, DIACRITIC, OTHER, INSERT, DELETE = "ok", "case", "diacritic", "other", "insert", "delete"
TOP_CONFUSIONS = 30  # most frequent errors listed in a report


def fold(text: str) -> str:
    """NFC + one tone convention, so hoá and hóa score the same."""
    return normalize_text_tones(text, "old")


def _rate(errors: int, n: int) -> float:
    if n == 0:
        return 0.0 if errors == 0 else float("inf")
    return errors / n


def graphemes(text: str) -> list[str]:
    """User-perceived characters: NFC alone leaves e.g. `x` + U+0301 as two code points."""
    return _GRAPHEME.findall(text)


def _char_seq(text: str) -> str | list[str]:
    """The string itself when every grapheme is one code point (the fast, common case)."""
    g = graphemes(text)
    return text if len(g) == len(text) else g


def char_errors(pred: str, gold: str) -> tuple[int, int]:
    """Grapheme edit distance with whitespace folded to single spaces; (errors, truth length)."""
    p = _char_seq(_WS.sub(" ", fold(pred)).strip())
    g = _char_seq(_WS.sub(" ", fold(gold)).strip())
    # A small hint lets rapidfuzz grow a band from there instead of filling the whole
    # matrix: exact all the same, and several times faster on long, mostly right pages.
    return Levenshtein.distance(p, g, score_hint=max(16, len(g) // 200)), len(g)


def syllable_tokens(text: str, *, ignore_case: bool = False) -> list[str]:
    """Word tokens (`\\w+`) after folding: punctuation never counts as a syllable."""
    words = _WORD.findall(fold(text))
    return [w.lower() for w in words] if ignore_case else words


def syllable_errors(pred: str, gold: str, *, ignore_case: bool = False) -> tuple[int, int]:
    """Edit distance over word tokens (`\\w+`), punctuation ignored."""
    p = syllable_tokens(pred, ignore_case=ignore_case)
    g = syllable_tokens(gold, ignore_case=ignore_case)
    return Levenshtein.distance(p, g), len(g)


def cer(pred: str, gold: str) -> tuple[float, int]:
    """Character error rate and the truth's length in graphemes (the rate's weight)."""
    e, n = char_errors(pred, gold)
    return _rate(e, n), n


def ser(pred: str, gold: str, *, ignore_case: bool = False) -> tuple[float, int]:
    """Syllable error rate and the truth's syllable count (the rate's weight)."""
    e, n = syllable_errors(pred, gold, ignore_case=ignore_case)
    return _rate(e, n), n


def _kind(p: str, g: str) -> str:
    """Why two aligned syllables differ: only case, only marks (any case), or letters."""
    if p == g:
        return OK
    if p.lower() == g.lower():
        return CASE
    if strip_marks(p).lower() == strip_marks(g).lower():
        return DIACRITIC
    return OTHER


def align_syllables(pred: str, gold: str) -> Iterator[tuple[str | None, str | None, str]]:
    """Yield `(gold, pred, kind)` along one minimal alignment; `None` marks a gap.

    `kind` is one of ok, case, diacritic, other, insert (extra predicted syllable) and
    delete (missed truth syllable). The non-ok pairs number exactly `syllable_errors`.
    """
    p = syllable_tokens(pred)
    g = syllable_tokens(gold)
    for op in Levenshtein.opcodes(p, g):
        if op.tag == "equal":
            for k in range(op.src_end - op.src_start):
                yield g[op.dest_start + k], p[op.src_start + k], OK
        elif op.tag == "replace":
            for k in range(op.src_end - op.src_start):
                a, b = p[op.src_start + k], g[op.dest_start + k]
                yield b, a, _kind(a, b)
        elif op.tag == "delete":  # in pred, not in gold
            for k in range(op.src_start, op.src_end):
                yield None, p[k], INSERT
        else:  # insert: in gold, missing from pred
            for k in range(op.dest_start, op.dest_end):
                yield g[k], None, DELETE


def syllable_breakdown(pred: str, gold: str) -> dict[str, int]:
    """Counts of each error kind (case, diacritic, other, insert, delete) and `n`."""
    counts = {CASE: 0, DIACRITIC: 0, OTHER: 0, INSERT: 0, DELETE: 0}
    n = 0
    for g, _p, kind in align_syllables(pred, gold):
        n += g is not None
        if kind != OK:
            counts[kind] += 1
    counts["n"] = n
    return counts


def der(pred: str, gold: str) -> tuple[float, int]:
    """Diacritic-only error rate: syllables whose letters are right but whose marks are not.

    High DER with low other errors means restoration is the weak stage; the reverse
    points at OCR (broken letters, merged or split words).
    """
    b = syllable_breakdown(pred, gold)
    return _rate(b[DIACRITIC], b["n"]), b["n"]


def _json_rate(x: float) -> float | None:
    """JSON has no infinity: an undefined rate (empty truth) becomes null."""
    return round(x, 6) if math.isfinite(x) else None


@dataclass
class Scores:
    """Running totals over many (pred, gold) pairs."""

    char_err: int = 0
    chars: int = 0
    syl_err: int = 0
    syl_err_nocase: int = 0
    syllables: int = 0
    syl_err_case: int = 0
    syl_err_diacritic: int = 0
    pairs: int = 0

    def add(self, pred: str, gold: str) -> None:
        e, n = char_errors(pred, gold)
        self.char_err += e
        self.chars += n
        b = syllable_breakdown(pred, gold)
        self.syl_err += sum(v for k, v in b.items() if k != "n")
        self.syllables += b["n"]
        self.syl_err_case += b[CASE]
        self.syl_err_diacritic += b[DIACRITIC]
        self.syl_err_nocase += syllable_errors(pred, gold, ignore_case=True)[0]
        self.pairs += 1

    def merge(self, other: Scores) -> None:
        """Add another total, for corpus sums weighted by truth length."""
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def cer(self) -> float:
        return _rate(self.char_err, self.chars)

    @property
    def ser(self) -> float:
        return _rate(self.syl_err, self.syllables)

    @property
    def ser_nocase(self) -> float:
        return _rate(self.syl_err_nocase, self.syllables)

    @property
    def der(self) -> float:
        """Diacritic-only share of syllable errors, over truth syllables."""
        return _rate(self.syl_err_diacritic, self.syllables)

    def as_dict(self) -> dict[str, float | int]:
        return {
            "cer": self.cer,
            "ser": self.ser,
            "ser_nocase": self.ser_nocase,
            "der": self.der,
            "chars": self.chars,
            "syllables": self.syllables,
            "char_errors": self.char_err,
            "syllable_errors": self.syl_err,
            "syllable_errors_nocase": self.syl_err_nocase,
            "case_errors": self.syl_err_case,
            "diacritic_errors": self.syl_err_diacritic,
        }

    def as_json(self) -> dict[str, float | int | None]:
        """`as_dict` with non-finite rates as null and rates rounded."""
        return {k: _json_rate(v) if isinstance(v, float) else v for k, v in self.as_dict().items()}


# -- files and directories -----------------------------------------------------------


@dataclass
class FileEval:
    """One matched (prediction, truth) pair and its scores; texts kept for the HTML view."""

    name: str
    pred_path: Path
    gold_path: Path
    scores: Scores
    pred_text: str = field(repr=False, default="")
    gold_text: str = field(repr=False, default="")


@dataclass
class EvalReport:
    """Per-file and total scores plus files present on one side only."""

    pred_root: Path
    gold_root: Path
    files: list[FileEval]
    total: Scores
    only_pred: list[str] = field(default_factory=list)
    only_gold: list[str] = field(default_factory=list)
    # (truth, predicted, kind) → count over all files: what to fix first.
    confusions: Counter[tuple[str | None, str | None, str]] = field(default_factory=Counter)

    def as_dict(self, *, with_text: bool = False) -> dict[str, Any]:
        """The one dict that JSON and HTML reports render from (rates JSON-safe)."""
        files = []
        for f in self.files:
            d: dict[str, Any] = {
                "name": f.name,
                "pred": str(f.pred_path),
                "gold": str(f.gold_path),
                **f.scores.as_json(),
            }
            if with_text:
                d["alignment"] = _alignment_rows(f.pred_text, f.gold_text)
            files.append(d)
        return {
            "pred": str(self.pred_root),
            "gold": str(self.gold_root),
            "files": files,
            "total": {"files": len(self.files), **self.total.as_json()},
            "only_pred": list(self.only_pred),
            "only_gold": list(self.only_gold),
            "confusions": [
                {"gold": g, "pred": p, "kind": k, "count": n}
                for (g, p, k), n in self.confusions.most_common(TOP_CONFUSIONS)
            ],
        }


def _alignment_rows(pred: str, gold: str) -> list[dict[str, Any]]:
    """Alignment pairs with the truth line each belongs to, so a report keeps the layout."""
    folded = fold(gold)
    lines = [folded.count("\n", 0, m.start()) for m in _WORD.finditer(folded)]
    rows, k, line = [], 0, 0
    for g, p, kind in align_syllables(pred, gold):
        if g is not None:
            line = lines[k]
            k += 1
        rows.append({"gold": g, "pred": p, "kind": kind, "line": line})
    return rows


def read_text_file(path: Path) -> str:
    """UTF-8 text (BOM allowed), NFC, `\n` line ends; a one-line InputError otherwise."""
    from vnocr.files import read_text

    return read_text(path)


def _match_key(rel: str) -> str:
    """`a/b.gt.txt` (truth beside its scan, as in samples/) matches `a/b.txt`."""
    return rel[: -len(".gt.txt")] + ".txt" if rel.endswith(".gt.txt") else rel


def _text_files(root: Path, *, prefer_gt: bool) -> dict[str, Path]:
    """Relative match key → path of every `.txt` file under `root`.

    When both `x.txt` and `x.gt.txt` exist, the truth side takes `x.gt.txt` and the
    prediction side `x.txt`, so a folder of scans with truth and output works both ways.
    """
    found: dict[str, Path] = {}
    for path in sorted(root.rglob("*.txt")):
        if not path.is_file():
            continue
        rel = path.relative_to(root).as_posix()
        key = _match_key(rel)
        is_gt = rel.endswith(".gt.txt")
        if key in found and is_gt != prefer_gt:
            continue
        found[key] = path
    return found


def evaluate_texts(pred: str, gold: str) -> Scores:
    """Every metric of one prediction against its truth."""
    s = Scores()
    s.add(pred, gold)
    return s


def evaluate_paths(pred: Path, gold: Path) -> EvalReport:
    """Score a prediction file against a truth file, or two trees of matching `.txt` files.

    Files match by relative path (`x.gt.txt` on either side matches `x.txt`); files on
    one side only are listed, not scored. No matching pair at all is an InputError.
    """
    pred, gold = Path(pred), Path(gold)
    for p in (pred, gold):
        if not p.exists():
            raise InputError(f"{p}: no such file or directory")
    if pred.is_dir() != gold.is_dir():
        what = {True: "a directory", False: "a file"}
        raise InputError(
            f"{pred} is {what[pred.is_dir()]} but {gold} is {what[gold.is_dir()]}: give two of a kind"
        )
    if not pred.is_dir():
        pairs = [(pred.name, pred, gold)]
        only_pred: list[str] = []
        only_gold: list[str] = []
    else:
        pf = _text_files(pred, prefer_gt=False)
        gf = _text_files(gold, prefer_gt=True)
        pairs = [(k, pf[k], gf[k]) for k in sorted(pf.keys() & gf.keys())]
        only_pred = sorted(pf.keys() - gf.keys())
        only_gold = sorted(gf.keys() - pf.keys())
        if not pairs:
            raise InputError(
                f"no matching .txt files in {pred} and {gold} "
                f"({len(pf)} and {len(gf)} files, matched by relative path)"
            )
    total = Scores()
    files = []
    confusions: Counter[tuple[str | None, str | None, str]] = Counter()
    for name, p, g in pairs:
        pt, gt = read_text_file(p), read_text_file(g)
        s = evaluate_texts(pt, gt)
        total.merge(s)
        files.append(FileEval(name, p, g, s, pt, gt))
        confusions.update((a, b, k) for a, b, k in align_syllables(pt, gt) if k != OK)
    return EvalReport(pred, gold, files, total, only_pred, only_gold, confusions)


__all__ = [
    "EvalReport",
    "FileEval",
    "Scores",
    "align_syllables",
    "cer",
    "char_errors",
    "der",
    "evaluate_paths",
    "evaluate_texts",
    "fold",
    "graphemes",
    "read_text_file",
    "ser",
    "syllable_breakdown",
    "syllable_errors",
    "syllable_tokens",
]
