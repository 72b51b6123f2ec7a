"""Headings in capitals: the OCR dev sets upper-cased, restored by the full Pipeline.

Capital letters are rare in the OCR'd training pages, so the character channel knows
them from a handful of observations; this bench measures how all-caps text is restored.
The sets are built here from samples/dev, never shipped:

- `eng_upper`, `vie_*_upper`: truth and OCR output both upper-cased. Faithful for vie-OCR
  (it reads capitals' marks as it reads small ones'); for eng-OCR it assumes a capital
  is misread like its small letter (`ộ` → `é` becomes `Ộ` → `É`).
- `eng_caps_plain`: truth upper-cased, OCR output upper-cased with its marks stripped,
  as real eng-OCR headings come out (`KHAI QUAT KET QUA THU'C HIEN`, `PANG BQ`).
- `strip_headings`, `eng_headings`, `vie_*_headings`: the running text of the dev set
  as it is, with a heading line put in after a line that ends a sentence, at most one
  in HEADING_GAP lines, as in real documents (no blank line around it, so its
  neighbours are read with it). A heading is the first two to eight words of a line far
  away in the set, in one of `HEADING_STYLES`: in capitals, in capitals after a Roman
  section number (`II. KẾT QUẢ …`), or numbered in small letters (`2.1. Kết quả …`).
  Its input is the truth stripped of marks (strip), noised by the eng-OCR noise model
  (`vnocr.data.noise`) with the capitals' marks then stripped, as eng-OCR reads
  capitals, or noised by the vie-OCR one. Errors are counted apart for the headings,
  the lines before and after them, and the other lines.

    python scripts/bench_capitals.py runs/caps_before.pkl [--limit 400]
    python scripts/bench_capitals.py --diff runs/caps_before.pkl runs/caps_after.pkl

Saving prints syllable errors per set; `--diff` prints errors before/after and the
truth's number tokens missing from the output (`missing_numbers`: codes and numbers must
pass untouched), then scripts/compare_outputs.py's fixed and broken counts and the lines
that got worse.
"""

from __future__ import annotations

import argparse
import pickle
import random
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import compare_outputs
from bench_restore import load_devset

from vnocr.evaluate import syllable_errors
from vnocr.text import strip_marks

DOC_LINES = 40
BASES = {"eng_upper": "eng", "eng_caps_plain": "eng", "vie_clean_upper": "vie_clean",
         "vie_photo_upper": "vie_photo", "vie_mixed_upper": "vie_mixed",
         "strip_headings": "strip", "eng_headings": "eng", "vie_clean_headings": "vie_clean",
         "vie_photo_headings": "vie_photo"}
HEADING_GAP = 6  # running lines at least between two headings
HEADING_STYLES = ("caps", "roman", "numbered")
HEADING_SEED = 23
ROLES = ("heading", "before", "after", "other")  # a line's place, scored apart
_ROMAN = ("I", "II", "III", "IV", "V", "VI")
_SENTENCE_END = re.compile(r"[.:;!?…][\"”’)]*$")
_DIGIT = re.compile(r"\d")
NUMBER_TRAIL = ",.;:!?"  # cut from a number token's ends: a sentence's, not the number's


def capital_rows(name: str, limit: int | None) -> tuple[list[tuple], list]:
    """(noisy, truth, source) rows of set `name`, upper-cased as its name says, and
    their OCR confidences."""
    rows = load_devset(BASES[name], limit, confidences=True)
    plain = name == "eng_caps_plain"
    upper = [((strip_marks(noisy) if plain else noisy).upper(), truth.upper(), source)
             for noisy, truth, source, _ in rows]
    return upper, [conf for *_, conf in rows]


def heading_rows(name: str, limit: int | None) -> tuple[list[tuple], list]:
    """(noisy, truth, "source:role") rows of set `name`: its running text with heading
    lines put in (see the module), and their OCR confidences (None for a heading)."""
    base = BASES[name]
    rows = load_devset(base, limit, confidences=True)
    rng = random.Random(HEADING_SEED)
    lines: list[tuple[str, str, str, bool]] = []  # noisy, truth, source, is a heading
    confidences: list = []
    since = 0
    for index, (noisy, truth, source, conf) in enumerate(rows):
        lines.append((noisy, truth, source, False))
        confidences.append(conf)
        since += 1
        if since < HEADING_GAP or not _SENTENCE_END.search(truth.strip()):
            continue
        heading = _heading(rows[(index * 7919 + len(rows) // 2) % len(rows)][1], rng)
        if heading is not None:
            lines.append((_heading_input(heading, base, rng), heading, source, True))
            confidences.append(None)
            since = 0
    return [(noisy, truth, f"{source}:{_role(lines, i)}")
            for i, (noisy, truth, source, _) in enumerate(lines)], confidences


def _role(lines: list[tuple[str, str, str, bool]], i: int) -> str:
    """Line `i`'s place among ROLES: a heading, just before or after one, or other."""
    if lines[i][3]:
        return "heading"
    if i + 1 < len(lines) and lines[i + 1][3]:
        return "before"
    return "after" if i and lines[i - 1][3] else "other"


def _heading(line: str, rng: random.Random) -> str | None:
    """A heading made of `line`'s first words, in a style drawn from HEADING_STYLES."""
    words = [w for w in line.split() if any(c.isalpha() for c in w)]
    words = words[: rng.randint(2, 8)]
    if len(words) < 2:
        return None
    text = " ".join(words).rstrip(",.:;!?…-–—\"“”'’()")
    style = rng.choice(HEADING_STYLES)
    if style == "numbered":
        return f"{rng.randint(1, 4)}.{rng.randint(1, 5)}. {text[:1].upper()}{text[1:]}"
    if style == "roman":
        return f"{rng.choice(_ROMAN)}. {text.upper()}"
    return text.upper()


def _heading_input(heading: str, base: str, rng: random.Random) -> str:
    """`heading` as the set's input writes it: stripped; eng-OCR'd (capitals with their
    marks lost, small letters as the noise model reads them); or vie-OCR'd (capitals
    misread as their small letters are, as in `vie_*_upper`)."""
    if base == "strip":
        return strip_marks(heading)
    from vnocr.data.noise import corrupt_line

    regime = "eng" if base == "eng" else "vie"
    noisy = corrupt_line(heading.lower() if heading.isupper() else heading, regime, rng)
    if not heading.isupper():
        return noisy
    return strip_marks(noisy).upper() if regime == "eng" else noisy.upper()


def load_rows(name: str, limit: int | None) -> tuple[list[tuple], list]:
    """The rows of set `name` and their confidences, however the set is made."""
    if name.endswith("_headings"):
        return heading_rows(name, limit)
    return capital_rows(name, limit)


def save(path: Path, names: list[str], limit: int | None) -> None:
    from vnocr import Pipeline

    pipe = Pipeline()
    saved = {}
    for name in names:
        rows, confidences = load_rows(name, limit)
        out: list[str] = []
        for i in range(0, len(rows), DOC_LINES):
            confs = confidences[i : i + DOC_LINES]
            result = pipe.correct_lines([noisy for noisy, _, _ in rows[i : i + DOC_LINES]],
                                        confs if any(c is not None for c in confs) else None)
            out.extend(result.text.split("\n"))
        saved[name] = (rows, out)
        errors, total = _errors(rows, out)
        print(f"{name}: {len(rows)} lines, {errors}/{total} syllable errors"
              f"{_by_role(rows, out)}", flush=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(saved))


def _errors(rows: list[tuple], out: list[str]) -> tuple[int, int]:
    errors = total = 0
    for (_, truth, _), text in zip(rows, out):
        e, n = syllable_errors(text, truth)
        errors += e
        total += n
    return errors, total


def _number_tokens(line: str) -> Counter[str]:
    """The line's tokens that hold a digit (numbers, codes, `KM972+900`), punctuation cut."""
    return Counter(w.strip(NUMBER_TRAIL) for w in line.split() if _DIGIT.search(w))


def missing_numbers(rows: list[tuple], out: list[str]) -> tuple[int, int]:
    """(missing, all) number tokens of the truth: those not found in the output line,
    counted with repeats."""
    missing = total = 0
    for (_, truth, _), text in zip(rows, out):
        wanted = _number_tokens(truth)
        total += wanted.total()
        missing += (wanted - _number_tokens(text)).total()
    return missing, total


def _by_role(rows: list[tuple], out: list[str]) -> str:
    """Errors per line role (`ROLES`) of a headings set; empty for the others."""
    if not rows or not rows[0][2].endswith(ROLES):
        return ""
    parts = []
    for role in ROLES:
        picked = [(row, text) for row, text in zip(rows, out) if row[2].endswith(":" + role)]
        errors, total = _errors([row for row, _ in picked], [text for _, text in picked])
        parts.append(f"{role} {errors}/{total}")
    return " (" + ", ".join(parts) + ")"


def diff(before_path: Path, after_path: Path, show: int) -> None:
    """Errors per set before and after, then `compare_outputs.diff`'s fixed/broken lines."""
    before = pickle.loads(before_path.read_bytes())
    after = pickle.loads(after_path.read_bytes())
    for name, (rows, old) in before.items():
        if name in after:
            new = after[name][1]
            (lost, numbers), (lost_after, _) = missing_numbers(rows, old), missing_numbers(rows, new)
            print(f"{name}: syllable errors {_errors(rows, old)[0]} -> {_errors(rows, new)[0]}"
                  f", number tokens of the truth missing {lost} -> {lost_after} of {numbers}"
                  f"\n  before{_by_role(rows, old)}\n  after {_by_role(rows, new)}")
    compare_outputs.diff(before_path, after_path, show)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pkl", type=Path, nargs="+", help="OUT.pkl to save, or BEFORE AFTER with --diff")
    ap.add_argument("--diff", action="store_true", help="compare two saved runs")
    ap.add_argument("--sets", nargs="*", default=list(BASES), choices=list(BASES))
    ap.add_argument("--limit", type=int, default=None, help="rows per source")
    ap.add_argument("--show", type=int, default=10, help="worse lines printed per set")
    args = ap.parse_args()
    if args.diff:
        diff(*args.pkl, args.show)
    else:
        save(args.pkl[0], args.sets, args.limit)


if __name__ == "__main__":
    main()
