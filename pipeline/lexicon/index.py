"""The shipped gazetteer's tables, prebuilt: what `Gazetteer.__init__` and its lazy
indexes compute from the data files, stored so that a process reads them in
milliseconds instead of building them.

Why: building 37k `Name` records, merging sources and the wildcard and vowel-fold
indexes takes 0.4–0.5 s per process, 15–20 % of `vnocr correct` on a page. Here each
table is stored as two aligned columns (keys, values) that `dict(zip(...))` turns into
a dict in C; a `Name` is parsed from its row only when a lookup reaches it
(`LazyMapping`).

The index is built by `scripts/build_gazetteer_index.py` from the data files it
fingerprints; a stale or missing index is ignored (with a warning) and the tables are
built from the data files. User dictionaries are merged over these tables
(user_overlay.py).
tests/lexicon/test_index.py checks that both ways give the same tables.
"""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from vnocr.lexicon.sources import DATA_DIR, Name

INDEX_FILE = "gazetteer.index.gz"
FORMAT = "vnocr-gazetteer-index 2"
# the data files the tables come from (scripts/build_gazetteer.py, scripts/mine_names.py)
SOURCE_FILES = (
    "admin.tsv.gz", "names.tsv.gz", "syllables.txt.gz", "phrases.txt.gz",
    "collocations.txt.gz",
)
_SECTION = "\n\x1e\n"  # between tables; no name, key or count holds \x1e
_LIST = "|"  # between the keys of one wildcard or fold entry

V = TypeVar("V")


class LazyMapping(Mapping[str, V]):
    """A read-only dict whose values are parsed from stored strings on first access."""

    def __init__(self, raw: dict[str, str], parse: Callable[[str], V]) -> None:
        self._raw = raw
        self._parse = parse
        self._done: dict[str, V] = {}

    def __getitem__(self, key: str) -> V:
        got = self._done.get(key)
        if got is None:
            got = self._done[key] = self._parse(self._raw[key])
        return got

    def get(self, key: str, default: V | None = None) -> V | None:  # type: ignore[override]
        return self[key] if key in self._raw else default

    def __contains__(self, key: object) -> bool:
        return key in self._raw

    def __iter__(self) -> Iterator[str]:
        return iter(self._raw)

    def __len__(self) -> int:
        return len(self._raw)


@dataclass
class Tables:
    """What the matcher looks names up in (see `Gazetteer.__init__` for each)."""

    syllables: frozenset[str]
    syllable_keys: frozenset[str]
    phrases: frozenset[str]
    collocations: dict[str, float]
    unmarked_units: frozenset[str]
    by_lower: Mapping[str, Name]
    by_key: Mapping[str, list[Name]]
    wild: Mapping[str, list[str]]
    by_fold: Mapping[str, list[str]]
    dropped: Mapping[str, Name]  # unmarked spellings that went (a user list may bring them back)


def fingerprint(data_dir: Path = DATA_DIR) -> str:
    """sha256 over the source data files (a missing file counts as empty)."""
    h = hashlib.sha256(FORMAT.encode())
    for name in SOURCE_FILES:
        path = data_dir / name
        h.update(name.encode())
        h.update(path.read_bytes() if path.exists() else b"")
    return h.hexdigest()


def write_index(tables: Tables, path: Path, source_fingerprint: str,
                phrase_sources: tuple[str, ...]) -> None:
    """Store `tables` (built from the data files with `source_fingerprint`)."""
    rows: list[str] = []
    row_of: dict[int, int] = {}

    def row(nm: Name) -> str:
        got = row_of.get(id(nm))
        if got is None:
            sources = "" if nm.sources is phrase_sources else ",".join(nm.sources)
            text = "\t".join((nm.text, nm.key, repr(nm.weight), sources, ",".join(sorted(nm.types))))
            if "\n" in text or "\x1e" in text:
                raise ValueError(f"cannot store {nm.text!r}")
            got = row_of[id(nm)] = len(rows)
            rows.append(text)
        return str(got)

    def keys_values(table: Mapping, value: Callable) -> list[str]:
        keys = list(table)
        if any(_LIST in k or "\n" in k for k in keys):
            raise ValueError("a key holds a separator")
        return ["\n".join(keys), "\n".join(value(table[k]) for k in keys)]

    sections = [
        f"{FORMAT}\t{source_fingerprint}",
        *keys_values(tables.by_lower, row),
        *keys_values(tables.by_key, lambda names: ",".join(row(n) for n in names)),
        *keys_values(tables.wild, _LIST.join),
        *keys_values(tables.by_fold, _LIST.join),
        "\n".join(sorted(tables.syllables)),
        "\n".join(sorted(tables.syllable_keys)),
        "\n".join(sorted(tables.phrases)),
        *keys_values(tables.collocations, repr),
        "\n".join(sorted(tables.unmarked_units)),
        *keys_values(tables.dropped, row),
    ]
    sections.insert(1, "\n".join(rows))  # filled by row() while the tables above were written
    path.write_bytes(gzip.compress(_SECTION.join(sections).encode("utf-8"), mtime=0))


def read_index(path: Path, source_fingerprint: str,
               phrase_sources: tuple[str, ...]) -> Tables | None:
    """The stored tables, or None when the file is missing or was built from other data."""
    if not path.exists():
        return None
    parts = gzip.decompress(path.read_bytes()).decode("utf-8").split(_SECTION)
    if parts[0] != f"{FORMAT}\t{source_fingerprint}":
        return None
    (_, rows, low_k, low_v, key_k, key_v, wild_k, wild_v, fold_k, fold_v, syllables,
     syllable_keys, phrases, coll_k, coll_v, unmarked, dropped_k, dropped_v) = parts
    row_texts = _lines(rows)
    names: dict[int, Name] = {}
    source_tuples: dict[str, tuple[str, ...]] = {"": phrase_sources}
    no_types: frozenset[str] = frozenset()

    def name(i: int) -> Name:
        got = names.get(i)
        if got is None:
            text, key, weight, sources, types = row_texts[i].split("\t")
            src = source_tuples.get(sources)
            if src is None:
                src = source_tuples[sources] = tuple(sources.split(","))
            got = names[i] = Name(text, key, float(weight), src,
                                  frozenset(types.split(",")) if types else no_types)
        return got

    return Tables(
        syllables=frozenset(_lines(syllables)),
        syllable_keys=frozenset(_lines(syllable_keys)),
        phrases=frozenset(_lines(phrases)),
        collocations=dict(zip(_lines(coll_k), map(float, _lines(coll_v)))),
        unmarked_units=frozenset(_lines(unmarked)),
        by_lower=LazyMapping(dict(zip(_lines(low_k), _lines(low_v))),
                             lambda v: name(int(v))),
        by_key=LazyMapping(dict(zip(_lines(key_k), _lines(key_v))),
                           lambda v: [name(int(i)) for i in v.split(",")]),
        wild=LazyMapping(dict(zip(_lines(wild_k), _lines(wild_v))),
                         lambda v: v.split(_LIST)),
        by_fold=LazyMapping(dict(zip(_lines(fold_k), _lines(fold_v))),
                            lambda v: v.split(_LIST)),
        dropped=LazyMapping(dict(zip(_lines(dropped_k), _lines(dropped_v))),
                            lambda v: name(int(v))),
    )


def _lines(section: str) -> list[str]:
    return section.split("\n") if section else []
