"""Clean training text from the shared corpus: one convention, model-sized lines, fixed splits.

Splits are decided per *paragraph* (md5 of the NFC paragraph as stored, before any tone
normalisation), so no sentence of a dev paragraph can leak into training through a sibling
line. `scripts/build_ngrams.py` uses the same rule: `split_of` is the one definition.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import random
import re
from collections.abc import Iterator
from pathlib import Path

from vnocr.errors import BadOptionsError, InputError
from vnocr.text import nfc, normalize_text_tones

SOURCES = (
    "admin_docs",
    "legal_codes_vlc",
    "news_baomoi_2017",
    "news_dantri_2021",
    "wiki_vi_2017",
    "software_debian_vi",
)
SPLITS = ("train", "dev", "test")
MAX_SYLLABLES = 40

# Relative sampling weights per *line*: the targets are administrative reports, so admin and
# legal text are oversampled far beyond their share of characters (0.2 % and 6 %).
DOMAIN_WEIGHTS: dict[str, float] = {
    "admin_docs": 30.0,
    "legal_codes_vlc": 4.0,
    "news_dantri_2021": 1.5,
    "news_baomoi_2017": 1.0,
    "wiki_vi_2017": 0.6,
    "software_debian_vi": 0.3,
}

_REPO_ROOT = Path(__file__).resolve().parents[2]
# CoNLL-style headers in news_dantri_2021 ("# url = https://…", "# doc_id = …"): not text.
_METADATA = re.compile(r"#\s*\w+\s*=")


def corpus_dir() -> Path:
    """The training corpus (gzip text, one file per source): `$VNOCR_CORPUS`, else a
    `shared/corpus` folder beside the repository, where the development machines keep it."""
    env = os.environ.get("VNOCR_CORPUS")
    return Path(env) if env else (_REPO_ROOT.parent / "shared" / "corpus")


def split_of(paragraph: str) -> str:
    """'dev' / 'test' / 'train' by md5 of the NFC paragraph: 1 % dev, 1 % test, stable forever."""
    h = int(hashlib.md5(nfc(paragraph.strip()).encode()).hexdigest(), 16) % 100
    return "dev" if h == 0 else "test" if h == 1 else "train"


# A sentence ends at . ! ? … (possibly closed by quotes/brackets) before a space and a capital,
# digit or opening quote. Abbreviations like "TP. Hồ Chí Minh" split too; harmless for lines.
_SENT_GAP = re.compile(r"(?<=[.!?…])[\"”’)\]]*(\s+)")


def split_sentences(text: str) -> list[str]:
    """Cut at sentence ends; `str.isupper` covers every accented capital (Ấ, Đ, Ỹ …)."""
    out, start = [], 0
    for m in _SENT_GAP.finditer(text):
        nxt = text[m.end() : m.end() + 2].lstrip('"“‘([')
        if nxt[:1].isupper() or nxt[:1].isdigit():
            out.append(text[start : m.start(1)])
            start = m.end()
    out.append(text[start:])
    return [s for s in out if s.strip()]


def in_tuning_half(paragraph: str) -> bool:
    """Half of the corpus test split (by a second md5 digit, stable like the split itself):
    text neither counted, trained on, nor read by the dev sets, where decoding weights can
    be tuned; the other half of the test split stays untouched."""
    digest = int(hashlib.md5(nfc(paragraph.strip()).encode()).hexdigest(), 16)
    return split_of(paragraph) == "test" and digest // 100 % 2 == 0


_CLAUSE_END = re.compile(r"(?<=[,;:])\s+")


def _pack(pieces: list[str], limit: int) -> list[str]:
    """Greedily join consecutive pieces while the line stays within `limit` syllables."""
    out: list[str] = []
    cur: list[str] = []
    n = 0
    for p in pieces:
        k = len(p.split())
        if cur and n + k > limit:
            out.append(" ".join(cur))
            cur, n = [], 0
        cur.append(p)
        n += k
    if cur:
        out.append(" ".join(cur))
    return out


def split_lines(paragraph: str, max_syllables: int = MAX_SYLLABLES) -> list[str]:
    """Paragraph → lines of at most `max_syllables` tokens, cut at sentence ends first.

    Long sentences are cut at commas/semicolons/colons (clauses packed back together while
    they fit), and what is still too long at a hard token boundary.
    """
    lines: list[str] = []
    for sent in split_sentences(paragraph.strip()):
        words = sent.split()
        if not words:
            continue
        if len(words) <= max_syllables:
            lines.append(" ".join(words))
            continue
        clauses = [c for c in _CLAUSE_END.split(sent) if c.strip()]
        for chunk in _pack(clauses, max_syllables):
            w = chunk.split()
            for i in range(0, len(w), max_syllables):
                lines.append(" ".join(w[i : i + max_syllables]))
    return lines


def _check(split: str, sources: list[str] | None, root: Path | None) -> list[str]:
    """Validate; `None` means every known source present under `root`."""
    if split not in SPLITS:
        raise BadOptionsError(f"unknown split {split!r}; use one of {', '.join(SPLITS)}")
    if sources is None:
        base = root or corpus_dir()
        use = [s for s in SOURCES if (base / f"{s}.txt.gz").is_file()]
        if not use:
            raise InputError(f"no corpus files in {base} (set VNOCR_CORPUS)")
        return use
    unknown = [s for s in sources if s not in SOURCES]
    if unknown:
        raise BadOptionsError(f"unknown corpus source(s): {', '.join(unknown)}")
    return list(sources)


def iter_paragraphs(source: str, root: Path | None = None) -> Iterator[str]:
    """Raw NFC paragraphs of one source, as stored (no tone normalisation)."""
    path = (root or corpus_dir()) / f"{source}.txt.gz"
    if not path.is_file():
        raise InputError(f"corpus file not found: {path} (set VNOCR_CORPUS)")
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for raw in f:
            para = nfc(raw.strip())
            if para and not _METADATA.match(para):
                yield para


def iter_split_paragraphs(
    split: str, per_source: int = 0, root: Path | None = None
) -> Iterator[tuple[str, str]]:
    """(source, paragraph) for the paragraphs of `split` in every source the corpus folder
    holds, as stored (`iter_paragraphs`); at most `per_source` of each (0: all). What
    the count tables are built from (scripts/build_name_context.py, build_clause_ends.py,
    build_common_syllables.py)."""
    for source in SOURCES:
        if not ((root or corpus_dir()) / f"{source}.txt.gz").is_file():
            continue
        taken = 0
        for para in iter_paragraphs(source, root):
            if split_of(para) != split:
                continue
            yield source, para
            taken += 1
            if per_source and taken >= per_source:
                break


def iter_lines(
    split: str,
    sources: list[str] | None = None,
    *,
    root: Path | None = None,
    max_syllables: int = MAX_SYLLABLES,
) -> Iterator[tuple[str, str]]:
    """(source, line) for every line of `split`: NFC, old tone style, ≤ `max_syllables`."""
    for source in _check(split, sources, root):
        for para in iter_paragraphs(source, root):
            if split_of(para) != split:
                continue
            for line in split_lines(normalize_text_tones(para, "old"), max_syllables):
                yield source, line


class WeightedSampler:
    """Endless stream of training lines, sources drawn by DOMAIN_WEIGHTS × their line counts.

    Lines are loaded once into memory per source (the train split is ~170 M chars; pass
    `sources` or `max_lines_per_source` to keep it small), then drawn with a seeded RNG.
    """

    def __init__(
        self,
        split: str = "train",
        sources: list[str] | None = None,
        *,
        weights: dict[str, float] | None = None,
        seed: int = 0,
        root: Path | None = None,
        max_lines_per_source: int | None = None,
    ) -> None:
        use = _check(split, sources, root)
        w = dict(DOMAIN_WEIGHTS, **(weights or {}))
        self.lines: dict[str, list[str]] = {s: [] for s in use}
        for s in use:
            for _, line in iter_lines(split, [s], root=root):
                self.lines[s].append(line)
                if max_lines_per_source and len(self.lines[s]) >= max_lines_per_source:
                    break
        self.sources = [s for s in use if self.lines[s]]
        if not self.sources:
            raise InputError(f"no {split} lines found in the corpus")
        self.probs = [w.get(s, 1.0) * len(self.lines[s]) for s in self.sources]
        self.rng = random.Random(seed)

    def sample(self) -> tuple[str, str]:
        """One (source, line)."""
        s = self.rng.choices(self.sources, weights=self.probs)[0]
        return s, self.rng.choice(self.lines[s])

    def __iter__(self) -> Iterator[tuple[str, str]]:
        while True:
            yield self.sample()
