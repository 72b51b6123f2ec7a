"""User dictionaries on top of the prebuilt shipped tables, without rebuilding them.

Why: building the tables from the data files for every process given a `--dict`
list would take 0.3–0.4 s, about 20 % of `vnocr correct` on a page. A user list holds
a few names; only the entries and keys they touch differ from the shipped tables. Here
those are merged by the rules `Gazetteer.__init__` applies (same spelling: one entry,
weights add, the user's case wins; an unmarked spelling goes when a marked one with its
key is at least as frequent, user entries always stay) and laid over the shipped tables
(`Overlay`), which stay lazily parsed.

tests/lexicon/test_index.py checks that this gives the tables a full build gives.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from typing import TypeVar

from vnocr.lexicon.index import Tables
from vnocr.lexicon.sources import MINED_SOURCE, VOWEL_FOLD, Name, wildcards

V = TypeVar("V")


class Overlay(Mapping[str, V]):
    """`base` with some keys replaced or added (`changed`) and some hidden (`removed`)."""

    def __init__(self, base: Mapping[str, V], changed: dict[str, V], removed: set[str]) -> None:
        self._base, self._changed, self._removed = base, changed, removed

    def __getitem__(self, key: str) -> V:
        if key in self._changed:
            return self._changed[key]
        if key in self._removed:
            raise KeyError(key)
        return self._base[key]

    def __contains__(self, key: object) -> bool:
        return key in self._changed or (key not in self._removed and key in self._base)

    def __iter__(self) -> Iterator[str]:
        for key in self._base:
            if key not in self._removed:
                yield key
        for key in self._changed:
            if key not in self._base or key in self._removed:
                yield key

    def __len__(self) -> int:
        hidden = sum(1 for k in self._removed if k in self._base and k not in self._changed)
        return len(self._base) - hidden + sum(1 for k in self._changed if k not in self._base)


def merged_entry(old: Name | None, new: Name) -> Name:
    """One entry for one spelling from two sources: weights add up; the user's case wins,
    then the corpus's (documents write `Krông Búk`, the register `KRông`)."""
    if old is None:
        return new
    if new.is_user != old.is_user:
        text = new.text if new.is_user else old.text
    else:
        mined = MINED_SOURCE in new.sources and MINED_SOURCE not in old.sources
        text = new.text if mined else old.text
    return Name(
        text,
        old.key,
        old.weight + new.weight,
        tuple(dict.fromkeys(old.sources + new.sources)),
        old.types | new.types,
    )


def outweighed(names: Iterable[Name]) -> list[Name]:
    """The unmarked spellings among one key's names that go: those at most as frequent as
    the key's most frequent marked spelling (`Viet Nam` beside Việt Nam). The user's own
    entries always stay. (unmarked: the key, the de-accented lowercase, is the lowercase)"""
    names = list(names)
    marked = max((nm.weight for nm in names if nm.key != nm.text.lower()), default=0.0)
    return [nm for nm in names
            if nm.key == nm.text.lower() and marked >= nm.weight and not nm.is_user]


def with_user_names(
    tables: Tables, user_names: Iterable[Name], phrase_sources: tuple[str, ...]
) -> tuple[Tables, list[Name]]:
    """The shipped `tables` with `user_names` merged in, and the merged user entries."""
    changed: dict[str, Name] = {}
    for nm in user_names:
        low = nm.text.lower()
        old = changed.get(low) or tables.by_lower.get(low) or tables.dropped.get(low)
        changed[low] = merged_entry(old, nm)
    removed: set[str] = set()
    unmarked_units = set(tables.unmarked_units) - changed.keys()
    key_lists: dict[str, list[Name]] = {}
    for key in dict.fromkeys(nm.key for nm in changed.values()):  # input order, not hash order
        base = tables.by_key.get(key, [])
        names = [changed.get(nm.text.lower(), nm) for nm in base if nm.sources is not phrase_sources]
        present = {nm.text.lower() for nm in names}
        names += [nm for low, nm in changed.items() if nm.key == key and low not in present]
        gone = {nm.text.lower(): nm for nm in outweighed(names)}
        removed.update(gone)
        unmarked_units.update(low for low, nm in gone.items() if nm.is_admin_unit)
        kept = [nm for nm in names if nm.text.lower() not in gone]
        # phrases compete only where no name has their spelling
        kept += [p for p in base if p.sources is phrase_sources and p.text not in changed]
        key_lists[key] = kept
    new_keys = [k for k in key_lists if k not in tables.by_key and " " in k]
    wild: dict[str, list[str]] = {}
    fold: dict[str, list[str]] = {}
    for key in new_keys:
        for w in wildcards(key.split()):
            wild.setdefault(w, list(tables.wild.get(w, ()))).append(key)
        f = key.translate(VOWEL_FOLD)
        fold.setdefault(f, list(tables.by_fold.get(f, ()))).append(key)
    merged = replace(
        tables,
        unmarked_units=frozenset(unmarked_units),
        by_lower=Overlay(tables.by_lower, changed, removed),
        by_key=Overlay(tables.by_key, key_lists, set()),
        wild=Overlay(tables.wild, wild, set()),
        by_fold=Overlay(tables.by_fold, fold, set()),
    )
    return merged, list(changed.values())
