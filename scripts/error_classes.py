"""Syllable errors of restored OCR text sorted into classes, with examples.

The SER of a dev set says how much is wrong, not what: this splits each line's syllable
errors (the `vnocr.evaluate` alignment of output to truth) by what the input shows at
that place, so the largest class of remaining errors can be chosen for work. The input
token of each truth syllable comes from a second alignment, input keys to truth keys.

    python scripts/error_classes.py OUT.pkl                 # a golden pickle (eng set)
    python scripts/error_classes.py OUT.pkl --set eng --show 5
    python scripts/error_classes.py A.pkl B.pkl             # two runs side by side

A pickle holds, per dev set, 40-line documents `(text, changes)` in dev-set order (the
layout `golden.py` writes). Classes, first match wins per aligned error:

- digits: the input token has a digit where the truth word has none (`16` for lễ)
- footnote: the input token ends in a glyph printed for a footnote mark (`phố'`, `tích®`)
- merged/split: output and truth hold the same letters in a different number of words
- debris: an output word with no truth word (OCR specks read as a word)
- dropped: a truth word with no output word
- glued: the input token holds punctuation between letters (`cao.thêm`)
- case: only capitals differ
- heading: the truth line is in capitals
- name: a capitalised truth word inside a sentence
- homograph: a real word with the wrong marks, the OCR's letters right
- marks: wrong marks where the OCR's letters were damaged too
- letters: other letters wrong
"""

from __future__ import annotations

import argparse
import pickle
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

from rapidfuzz.distance import Levenshtein

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_restore import load_devset

from vnocr.evaluate import fold
from vnocr.text import strip_marks

CLASSES = ("digits", "footnote", "merged/split", "debris", "dropped", "glued", "case",
           "heading", "name", "homograph", "marks", "letters")
DOC_LINES = 40  # lines per document in a golden pickle
_WORD = re.compile(r"\w+")
_FOOTNOTE_TAIL = re.compile(r"[^\W\d_][*®°'’¹²³⁴⁵]+[.,;:]?$")
_INNER_PUNCT = re.compile(r"[^\W_][.,:;‘’'][^\W_]")
_DIGIT = re.compile(r"\d")


def _key(word: str) -> str:
    return strip_marks(word).lower()


def _words_with_tokens(text: str) -> tuple[list[str], list[str]]:
    """The `\\w+` words of a text (as the metric counts them) and, for each, the
    whitespace-separated token it stands in (where glued debris shows)."""
    folded = fold(text)
    words, tokens = [], []
    for raw in re.finditer(r"\S+", folded):
        for m in _WORD.finditer(raw.group(0)):
            words.append(m.group(0))
            tokens.append(raw.group(0))
    return words, tokens


def _is_heading(truth_words: list[str]) -> bool:
    letters = [w for w in truth_words if not w.isdigit()]
    return bool(letters) and sum(w.isupper() and len(w) > 1 for w in letters) >= 0.6 * len(letters)


def classify_line(noisy: str, pred: str, truth: str) -> list[tuple[str, str, str | None, str | None]]:
    """(class, input token, output word, truth word) for each syllable error of a line."""
    p_words, _ = _words_with_tokens(pred)
    g_words, _ = _words_with_tokens(truth)
    i_words, i_tokens = _words_with_tokens(noisy)
    input_at: dict[int, str] = {}  # truth index -> input token there
    for op in Levenshtein.opcodes([_key(w) for w in i_words], [_key(w) for w in g_words]):
        if op.tag in ("equal", "replace"):
            for k in range(op.dest_end - op.dest_start):
                if op.src_start + k < op.src_end:
                    input_at[op.dest_start + k] = i_tokens[op.src_start + k]
    heading = _is_heading(g_words)
    found = []
    for p_part, g_part, g_start, pairs in _regions(p_words, g_words):
        near = input_at.get(g_start) or input_at.get(g_start - 1) or ""
        if len(p_part) != len(g_part) and _same_letters(p_part, g_part):
            errors = Levenshtein.distance(p_part, g_part)
            found.extend(("merged/split", near, " ".join(p_part), " ".join(g_part))
                         for _ in range(errors))
            continue
        for p, g, j in pairs:
            if g is None:
                found.append(("debris", near, p, None))
            elif p is None:
                found.append(("dropped", input_at.get(j, ""), None, g))
            else:
                found.append((_replace_class(p, g, input_at.get(j, ""), j, g_words, truth,
                                             heading), input_at.get(j, ""), p, g))
    return found


def _regions(p_words: list[str], g_words: list[str]):
    """Runs of adjacent non-equal edit operations: (output words, truth words, first
    truth index, [(output word | None, truth word | None, truth index)])."""
    region: list = []
    for op in Levenshtein.opcodes(p_words, g_words):
        if op.tag == "equal":
            if region:
                yield _region(region, p_words, g_words)
            region = []
        else:
            region.append(op)
    if region:
        yield _region(region, p_words, g_words)


def _region(ops, p_words, g_words):
    pairs = []
    for op in ops:
        if op.tag == "replace":
            pairs += [(p_words[op.src_start + k], g_words[op.dest_start + k], op.dest_start + k)
                      for k in range(op.src_end - op.src_start)]
        elif op.tag == "delete":  # an output word the truth lacks
            pairs += [(p_words[k], None, op.dest_start) for k in range(op.src_start, op.src_end)]
        else:
            pairs += [(None, g_words[k], k) for k in range(op.dest_start, op.dest_end)]
    p_part = p_words[ops[0].src_start:ops[-1].src_end]
    g_part = g_words[ops[0].dest_start:ops[-1].dest_end]
    return p_part, g_part, ops[0].dest_start, pairs


def _same_letters(p_part: list[str], g_part: list[str]) -> bool:
    """Mostly the same letters, spaced differently: `dactrungcua` for `đặc trưng của`."""
    a, b = "".join(map(_key, p_part)), "".join(map(_key, g_part))
    return bool(a and b) and Levenshtein.normalized_similarity(a, b) >= 0.6


def _replace_class(p: str, g: str, token: str, j: int, g_words: list[str],
                   truth: str, heading: bool) -> str:
    if _DIGIT.search(token) and not _DIGIT.search(g):
        return "digits"
    if _FOOTNOTE_TAIL.search(token):
        return "footnote"
    if _key(p) != _key(g) and len(_key(p)) > len(_key(g)) + 2 and _key(g) in _key(p):
        return "merged/split"
    if _INNER_PUNCT.search(token):
        return "glued"
    if p.lower() == g.lower():
        return "case"
    if heading:
        return "heading"
    if g[:1].isupper() and j > 0 and not re.search(
            rf"[.!?:]\s*\W*{re.escape(g)}", fold(truth)):
        return "name"
    if _key(p) == _key(g):
        return "homograph" if _key("".join(_WORD.findall(token))) == _key(g) else "marks"
    return "letters"


def classify_set(pkl: dict, name: str) -> list[tuple[str, str, str | None, str | None, int]]:
    """Every error of one dev set: (class, input token, output, truth, row index)."""
    rows = load_devset(name, 200 if name == "partial" else None)
    out = [line for text, _ in pkl[name] for line in text.split("\n")]
    found = []
    for index, (row, pred) in enumerate(zip(rows, out)):
        found.extend((*e, index) for e in classify_line(row[0], pred, row[1]))
    return found


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("pickles", nargs="+", type=Path)
    ap.add_argument("--set", default="eng")
    ap.add_argument("--show", type=int, default=0, help="examples per class (first pickle)")
    args = ap.parse_args()
    rows = load_devset(args.set, 200 if args.set == "partial" else None)
    tables = []
    for path in args.pickles:
        tables.append(classify_set(pickle.loads(path.read_bytes()), args.set))
    counts = [Counter(e[0] for e in t) for t in tables]
    print(f"{'class':14s}" + "".join(f"{p.stem:>12s}" for p in args.pickles))
    for c in CLASSES:
        print(f"{c:14s}" + "".join(f"{n[c]:12d}" for n in counts))
    print(f"{'total':14s}" + "".join(f"{sum(n.values()):12d}" for n in counts))
    if args.show:
        by_class = defaultdict(list)
        for e in tables[0]:
            by_class[e[0]].append(e)
        for c in CLASSES:
            print(f"\n## {c}")
            for label, token, p, g, index in by_class[c][: args.show]:
                print(f"  {token!r} -> {p!r} (truth {g!r})   | {rows[index][0].strip()[:90]}")


if __name__ == "__main__":
    main()
