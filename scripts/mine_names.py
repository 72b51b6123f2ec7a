"""Mine proper names from the corpus: capitalised syllable runs and names after type words.

Names (streets named after people, villages, Lao provinces and districts, organisations)
are rare in any one text and have no ready list, so we count how the corpus writes them.
Two passes over the training split (the dev and test paragraphs, md5 % 100 in (0, 1),
are skipped so the benchmark never sees its own names):

1. count maximal runs of Title-case syllables (2–4 syllables, a sentence's first word
   dropped because it is capitalised anyway) and single- or multi-syllable names right
   after a type word (`xã Chiềng Sinh`, `bản Mòng`);
2. count how often the same words appear in lower case, and keep a name only where the
   capitalised form dominates (`Nhà Nước` in a heading is not a name; `nhà nước` is
   everywhere), with a frequency threshold.

Output: TSV (gzip) `name<TAB>count<TAB>type:count,...`, NFC, old tone style.

    python scripts/mine_names.py --corpus ../shared/corpus --out pipeline/lexicon/data/names.tsv.gz
"""

from __future__ import annotations

import argparse
import collections
import gzip
import hashlib
import logging
import time
from collections.abc import Iterator
from pathlib import Path

from vnocr.lexicon.types import AMBIGUOUS_TYPES, MAX_TYPE_TOKENS, TYPE_WORDS
from vnocr.text import nfc, normalize_text_tones

log = logging.getLogger("mine_names")

OPENING = set("“\"'‘«[")  # a token led by these starts a sentence-like unit
CLOSING_SENT = set(".!?:;…")
MAX_SYL_LEN = 7  # longest Vietnamese syllable is 7 letters (nghiêng); longer = foreign


def in_train_split(paragraph: str) -> bool:
    """Dev (0) and test (1) paragraphs are never mined."""
    return int(hashlib.md5(paragraph.encode()).hexdigest(), 16) % 100 > 1


def is_title(core: str) -> bool:
    """One capital then lower case: `Sơn`, `Y`; not `UBND`, not `iPhone`."""
    return core[:1].isupper() and (len(core) == 1 or core[1:].islower())


def is_syllable(core: str) -> bool:
    return 0 < len(core) <= MAX_SYL_LEN and core.isalpha()


def split_token(tok: str) -> tuple[str, str, str]:
    a, b = 0, len(tok)
    while a < b and not tok[a].isalnum():
        a += 1
    while b > a and not tok[b - 1].isalnum():
        b -= 1
    return tok[:a], tok[a:b], tok[b:]


def paragraphs(corpus: Path, limit: int | None) -> Iterator[str]:
    for path in sorted(corpus.glob("*.txt.gz")):
        n = 0
        t0 = time.time()
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for raw in f:
                raw = raw.rstrip("\n")
                if not raw or not in_train_split(raw):
                    continue
                n += 1
                if limit and n > limit:
                    break
                yield normalize_text_tones(nfc(raw))
        log.info("%s: %d paragraphs in %.0f s", path.name, n, time.time() - t0)


def _upper_heavy(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) > 8 and sum(c.isupper() for c in letters) > 0.5 * len(letters)


def runs(line: str) -> Iterator[tuple[str | None, list[str], str | None]]:
    """Yield (type word or None, name syllables, next word) for every name-like run.

    The next word is the lowercase word that follows the run with no punctuation in
    between, or None: a run always followed by the same word is a truncated phrase
    (`Bộ Tài` of `Bộ Tài chính`), not a name.
    """
    if _upper_heavy(line):  # headings in capitals say nothing about names
        return
    toks = [split_token(t) for t in line.split()]
    sent_start = True
    i = 0
    n = len(toks)
    while i < n:
        lead, core, trail = toks[i]
        starts = sent_start or bool(set(lead) & OPENING)
        if not (is_syllable(core) and is_title(core)):
            sent_start = bool(trail and trail[-1] in CLOSING_SENT) or (
                not core and bool(set(lead) & (OPENING | CLOSING_SENT))
            )
            i += 1
            continue
        # a run of Title-case syllables with no punctuation inside
        j = i
        while True:
            _, _, tr = toks[j]
            if tr or j + 1 >= n:
                break
            nl, nc, _ = toks[j + 1]
            if nl or not (is_syllable(nc) and is_title(nc)):
                break
            j += 1
        run = [toks[k][1] for k in range(i, j + 1)]
        first = i
        if starts:
            run = run[1:]
            first = i + 1
        # the lowercase type word just before the run (`xã`, `thành phố`)
        typ = None
        for m in range(MAX_TYPE_TOKENS, 0, -1):
            if first - m < 0:
                continue
            prev = toks[first - m : first]
            if any(p[0] or (p[2] and k < m - 1) for k, p in enumerate(prev)):
                continue
            if prev[-1][2]:
                continue
            cand = " ".join(p[1] for p in prev).lower()
            if cand in TYPE_WORDS:
                typ = cand
                break
        if typ is None and run:
            # a capitalised type word opening the run: `Huyện Mai Sơn`, `Thị xã Mường Lay`
            for m in range(min(MAX_TYPE_TOKENS, len(run) - 1), 0, -1):
                cand = " ".join(run[:m]).lower()
                if cand in TYPE_WORDS:
                    if cand in AMBIGUOUS_TYPES and 2 <= len(run) <= 4:
                        yield None, run, None  # Hồ Chí Minh is a name too
                    typ, run = cand, run[m:]
                    break
        nxt = None
        if not toks[j][2] and j + 1 < n and not toks[j + 1][0] and toks[j + 1][1].islower():
            nxt = toks[j + 1][1]
        if run and len(run) <= 4 and (typ is not None or len(run) >= 2):
            yield typ, run, nxt
        sent_start = bool(toks[j][2] and toks[j][2][-1] in CLOSING_SENT)
        i = j + 1


def lower_ngrams(line: str, firsts: set[str]) -> Iterator[str]:
    """All-lowercase n-grams (n ≤ 6) that start with a word in `firsts`."""
    words = []
    for t in line.split():
        _, core, trail = split_token(t)
        words.append(core if core.islower() and core.isalpha() else None)
        if trail:
            words.append(None)
    for i, w in enumerate(words):
        if w is None or w not in firsts:
            continue
        parts = [w]
        for k in range(i + 1, min(i + 6, len(words))):
            if words[k] is None:
                break
            parts.append(words[k])
            yield " ".join(parts)


def collocations(corpus: Path, limit: int | None, firsts: set[str]) -> collections.Counter:
    """Lowercase word pairs `a b` (no punctuation between) whose first word ends a name.

    `Lễ Vinh danh`, `Được Chính phủ`, `Viện An ninh`: a capitalised word that forms a common
    compound with the lowercase word after it ends no name, whatever it shares with one.
    """
    pairs: collections.Counter[str] = collections.Counter()
    for para in paragraphs(corpus, limit):
        prev = None
        for t in para.split():
            _, core, trail = split_token(t)
            w = core if core.isalpha() and core.islower() else None
            if prev is not None and w is not None:
                pairs[f"{prev} {w}"] += 1
            prev = w if (w is not None and w in firsts and not trail) else None
    return pairs


def write_collocations(args: argparse.Namespace) -> None:
    from vnocr.lexicon.sources import shipped_names

    firsts = {nm.text.split()[-1].lower() for nm in shipped_names(args.out.parent)}
    pairs = collocations(args.corpus, args.limit, firsts)
    kept = sorted(
        (p for p, c in pairs.items() if c >= args.min_collocation), key=lambda p: -pairs[p]
    )
    out = args.out.with_name("collocations.txt.gz")
    with gzip.open(out, "wt", encoding="utf-8", compresslevel=9) as f:
        f.write(
            f"# lowercase pairs seen >= {args.min_collocation} times whose first word ends a name"
            "<TAB>count — scripts/mine_names.py\n"
        )
        f.write("".join(f"{p}\t{pairs[p]}\n" for p in kept))
    log.info("%d collocations (of %d pairs) -> %s", len(kept), len(pairs), out)


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--corpus", type=Path, default=Path("../shared/corpus"))
    ap.add_argument("--out", type=Path, default=Path("pipeline/lexicon/data/names.tsv.gz"))
    ap.add_argument(
        "--min-count", type=int, default=3, help="capitalised occurrences to keep a name"
    )
    ap.add_argument(
        "--min-cap-ratio",
        type=float,
        default=0.6,
        help="share of capitalised occurrences among all occurrences",
    )
    ap.add_argument(
        "--max-follow",
        type=float,
        default=0.6,
        help="drop a run followed this often by one same lowercase word",
    )
    ap.add_argument(
        "--min-syllable",
        type=int,
        default=20,
        help="occurrences for a syllable to enter the inventory",
    )
    ap.add_argument(
        "--min-collocation",
        type=int,
        default=100,
        help="occurrences for a lowercase pair to be kept as a compound",
    )
    ap.add_argument(
        "--collocations-only",
        action="store_true",
        help="write only collocations.txt.gz (needs names.tsv.gz and admin.tsv.gz next to --out)",
    )
    ap.add_argument("--limit", type=int, default=None, help="paragraphs per file (for a quick try)")
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    if args.collocations_only:
        write_collocations(args)
        return

    names: collections.Counter[str] = collections.Counter()
    follow: collections.Counter[tuple[str, str]] = collections.Counter()
    typed: collections.Counter[tuple[str, str]] = collections.Counter()
    t0 = time.time()
    syllables: collections.Counter[str] = collections.Counter()
    for para in paragraphs(args.corpus, args.limit):
        syllables.update(w for w in para.lower().split() if w.isalpha())
        for typ, run, nxt in runs(para):
            name = " ".join(run)
            names[name] += 1
            if nxt is not None:
                follow[(name, nxt)] += 1
            if typ is not None:
                typed[(typ, name)] += 1
    log.info("pass 1: %d runs, %d typed, %.0f s", len(names), len(typed), time.time() - t0)

    # candidates above the threshold; then how often they are written in lower case
    multi = {n for n, c in names.items() if c >= args.min_count and " " in n}
    singles = {(t, n) for (t, n), c in typed.items() if c >= args.min_count and " " not in n}
    want = {n.lower() for n in multi} | {f"{t} {n.lower()}" for t, n in singles}
    firsts = {w.split()[0] for w in want}
    lower: collections.Counter[str] = collections.Counter()
    for para in paragraphs(args.corpus, args.limit):
        for g in lower_ngrams(para, firsts):
            if g in want:
                lower[g] += 1
    log.info("pass 2: %d lowercase hits, %.0f s", len(lower), time.time() - t0)

    top_follow: collections.Counter[str] = collections.Counter()
    for (n, _), c in follow.items():
        top_follow[n] = max(top_follow[n], c)
    truncated = {n for n, c in top_follow.items() if c >= args.max_follow * names[n]}
    log.info("%d truncated phrases dropped", len(truncated & (multi | {n for _, n in singles})))
    kept: dict[str, tuple[int, dict[str, int]]] = {}
    for n in multi - truncated:
        c = names[n]
        if c / (c + lower[n.lower()]) >= args.min_cap_ratio:
            kept[n] = (c, {})
    for (t, n), c in typed.items():
        if c < args.min_count:
            continue
        if n in truncated:
            continue
        if " " not in n:
            if (t, n) not in singles or c / (c + lower[f"{t} {n.lower()}"]) < args.min_cap_ratio:
                continue
            kept.setdefault(n, (names[n], {}))[1][t] = c
        elif n in kept:
            kept[n][1][t] = c
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(args.out, "wt", encoding="utf-8", compresslevel=9) as f:
        f.write("# name\tcount\ttypes (type:count) — mined by scripts/mine_names.py\n")
        for n in sorted(kept, key=lambda n: (-kept[n][0], n)):
            c, ts = kept[n]
            types = ",".join(f"{t}:{k}" for t, k in sorted(ts.items(), key=lambda x: -x[1]))
            f.write(f"{n}\t{c}\t{types}\n")
    log.info(
        "kept %d names (%d typed) -> %s",
        len(kept),
        sum(bool(v[1]) for v in kept.values()),
        args.out,
    )

    # Capitalised runs that are not names (`Viện An` of `Viện An ninh`, `Ban Thường` of
    # `Ban Thường vụ`): where the model wrote one of these, the dictionary leaves it alone.
    phrases = sorted(n for n in multi if n not in kept)
    ph_out = args.out.with_name("phrases.txt.gz")
    with gzip.open(ph_out, "wt", encoding="utf-8", compresslevel=9) as f:
        f.write("# capitalised runs that are not names<TAB>count — scripts/mine_names.py\n")
        f.write("".join(f"{n}\t{names[n]}\n" for n in phrases))
    log.info("%d non-name phrases -> %s", len(phrases), ph_out)

    # The syllable inventory: what real text is made of, so the matcher can tell OCR debris
    # (`Quéc`, `Ndi`) from a correct word it does not know as a name.
    from vnocr.text import has_syllable_shape as _is_syllable

    inv = sorted(w for w, c in syllables.items() if c >= args.min_syllable and _is_syllable(w))
    syl_out = args.out.with_name("syllables.txt.gz")
    with gzip.open(syl_out, "wt", encoding="utf-8", compresslevel=9) as f:
        f.write(f"# syllables seen at least {args.min_syllable} times — scripts/mine_names.py\n")
        f.write("\n".join(inv) + "\n")
    log.info("%d syllables -> %s", len(inv), syl_out)


if __name__ == "__main__":
    main()
