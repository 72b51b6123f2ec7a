"""Which province and district a unit name lies in, and which places a paragraph names.

Most wrong unit names are real units of another province: `xa Tan An, huyen X, tinh Y`
has one reading that puts the commune inside district X of province Y, and others of
the same key elsewhere. The register knows the nesting, before and after the 2025
merger (data/admin_parents.tsv.gz, built by scripts/build_admin_hierarchy.py); a
paragraph that names a province or district says which reading it means.

A paragraph's places are compared by key (`span_key`): the province's own spelling may
still be wrong in the restored text, and an unmarked `tinh Son La` names it as well.
"""

from __future__ import annotations

import gzip
import logging
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from vnocr.lexicon.sources import DATA_DIR, Name
from vnocr.text import STRIP_TABLE, Token, lower_old, span_key

log = logging.getLogger(__name__)

PARENTS_FILE = "admin_parents.tsv.gz"
MAX_PLACE_WORDS = 4  # `Bà Rịa - Vũng Tàu` aside, no province or district is longer
_NOT_A_NAME = "\x1f"  # a word's key in `ParagraphPlaces` that no place's key holds
_NO_PARENTS: frozenset[str] = frozenset()


class AdminHierarchy:
    """Per unit name (lowercase, old tone style): the keys of the provinces and
    districts that any unit of that name lies in, and of the districts alone."""

    def __init__(self, parents: Mapping[str, str], districts: Mapping[str, str] | None = None
                 ) -> None:
        # name (lowercase, old tone style) → its parents' names joined by "|"; keys are
        # made on first use: a process reads 7,700 rows and looks up a few
        self._parents = parents
        self._districts = districts or {}
        self._keys: dict[str, frozenset[str]] = {}
        self._district_keys: dict[str, frozenset[str]] = {}
        self._names_by_key: dict[str, list[str]] | None = None  # see names_near

    def __len__(self) -> int:
        return len(self._parents)

    def __contains__(self, name: str) -> bool:
        return lower_old(name) in self._parents

    def parent_keys(self, name: str) -> frozenset[str]:
        """The keys of every province and district a unit called `name` lies in."""
        return _keys_of(self._parents, self._keys, name)

    def district_keys(self, name: str) -> frozenset[str]:
        """The keys of the districts alone (before the 2025 merger) it lies in."""
        return _keys_of(self._districts, self._district_keys, name)

    def names_near(self, key: str) -> list[str]:
        """The unit names (lowercase) whose key is one letter from `key`, the same
        number of syllables: one inserted, dropped or changed (`son lung` → Sơn Lương,
        `xin min` → Xín Mần). The index of keys is built on first use."""
        if self._names_by_key is None:
            self._names_by_key = {}
            for name in self._parents:
                self._names_by_key.setdefault(span_key(name), []).append(name)
        words = key.count(" ")
        return [name for found, _, _ in process.extract_iter(
                    key, self._names_by_key.keys(), scorer=Levenshtein.distance, score_cutoff=1)
                if found != key and found.count(" ") == words
                for name in self._names_by_key[found]]


def _keys_of(joined_by_name: Mapping[str, str], memo: dict[str, frozenset[str]], name: str
             ) -> frozenset[str]:
    low = lower_old(name)
    keys = memo.get(low)
    if keys is None:
        joined = joined_by_name.get(low, "")
        keys = memo[low] = (
            frozenset(span_key(p) for p in joined.split("|")) if joined else _NO_PARENTS)
    return keys


def paragraph_of_lines(lines: Sequence[str]) -> list[int]:
    """Per line: the index of its paragraph (blank lines separate paragraphs)."""
    out: list[int] = []
    para = 0
    for k, line in enumerate(lines):
        if not line.strip() and k > 0 and lines[k - 1].strip():
            para += 1
        out.append(para)
    return out


class ParagraphPlaces:
    """What one paragraph (its lines' tokens) may name: any run of 1–MAX_PLACE_WORDS of
    its words, compared by key. Its words are keyed on first use, and a place is looked
    for in their joined keys: few paragraphs hold a unit name to check, and keying
    every run of words of every paragraph up front was a tenth of the correction's
    time on plain text. `lines` is iterated once, on first use: a lazy iterable
    tokenises only the paragraphs asked about (`places_by_line`)."""

    def __init__(self, lines: Iterable[Sequence[Token]]) -> None:
        self._lines: Iterable[Sequence[Token]] | None = lines
        self._joined: str | None = None

    def _keys(self) -> str:
        """The paragraph's word keys, each between spaces; a word in small letters is a
        gap (`_NOT_A_NAME`) where its line has capitals: a place is named with them, and
        `vịnh Long Island` names no Vĩnh Long. A line without capitals tells nothing."""
        if self._joined is None:
            words: list[str] = []
            for line in self._lines or ():
                cased = any(c.isupper() for t in line for c in t.core)
                words += [_NOT_A_NAME if cased and t.core[:1].islower() else span_key(t.core)
                          for t in line if t.core]
            self._joined = f" {' '.join(words)} " if words else ""
            self._lines = None  # read: a generator cannot be read again
        return self._joined

    def __contains__(self, key: str) -> bool:
        return key.count(" ") < MAX_PLACE_WORDS and f" {key} " in self._keys()

    def __bool__(self) -> bool:
        return bool(self._keys())

    def names_any(self, keys: Iterable[str]) -> bool:
        """Does the paragraph name one of `keys`?"""
        return any(key in self for key in keys)


NO_PLACES = ParagraphPlaces(())


def places_by_line(
    restored_lines: Sequence[str], input_tokens: Sequence[Sequence[Token]],
    restored_tokens: Sequence[Sequence[Token]],
) -> list[ParagraphPlaces]:
    """Per line: what its paragraph may name, in its input and in its restored text
    (paragraphs as the restored lines break them). The tokens are those of each input
    and restored line (`tokenize`), read only for a paragraph asked about: a lazy
    sequence (`spans.LineTokens`) tokenises no other line."""
    para = paragraph_of_lines(restored_lines)
    by_para: dict[int, list[int]] = {}
    for li, p in enumerate(para):
        by_para.setdefault(p, []).append(li)
    places = {p: ParagraphPlaces(toks for li in lis
                                 for toks in (input_tokens[li], restored_tokens[li]))
              for p, lis in by_para.items()}
    return [places[p] for p in para]


def read_parents(path: Path) -> tuple[dict[str, str], dict[str, str]]:
    """The data file (`name<TAB>parent|parent|...<TAB>district|district|...` per line,
    `#` comments, NFC, old tone style): its parents and its districts, keyed by the
    lowercase name."""
    parents: dict[str, str] = {}
    districts: dict[str, str] = {}
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            name, joined, within, *_ = (*line.rstrip("\n").split("\t"), "", "")
            parents[name.lower()] = joined
            if within:
                districts[name.lower()] = within
    return parents, districts


@lru_cache(maxsize=1)
def load_hierarchy() -> AdminHierarchy:
    """The shipped hierarchy, read once per process; empty (with a warning) when its
    data file is missing: the dictionary pass then works as without it."""
    path = DATA_DIR / PARENTS_FILE
    if not path.exists():
        log.warning("%s missing: run scripts/build_admin_hierarchy.py", path)
        return AdminHierarchy({})
    return AdminHierarchy(*read_parents(path))


def local_reading(
    hierarchy: AdminHierarchy, same_key: Iterable[Name], written: str,
    places: ParagraphPlaces, type_word: str | None,
) -> Name | None:
    """The unit name of the span's key that lies inside a place its paragraph names,
    where the model's spelling (`written`, lowercase) does not: None when the written
    one does (unless another lies in a district the paragraph names and it does not),
    or when no unit of that key (and of `type_word`'s type, if any) does. Of several
    inside, the most frequent."""
    written_parents = hierarchy.parent_keys(written)
    if not written_parents and written in hierarchy:
        return None  # a province: it names the place, it lies in none
    units = [
        nm for nm in same_key
        if nm.is_admin_unit and (type_word is None or nm.fits(type_word))
        and _may_respell(written, nm)
    ]
    # the paragraph's places last: most spans have no such unit (9 in 10 on plain
    # text), and reading a paragraph's places keys all its words
    if not units or not places:
        return None
    # a span is no place around itself (`xã Đăk Glei` of `huyện Đắk Glei`: one key)
    own = frozenset({span_key(written)})
    named_around = frozenset(key for key in written_parents - own if key in places)
    if named_around:
        # the written reading lies in a named place: another takes its place only by
        # lying in that place too and in a district the paragraph names that the
        # written one does not lie in (`xã Tân Thành, huyện Lai Vung, tỉnh Đồng Tháp`:
        # Tân Thạnh lies in Đồng Tháp too); a district of that place's own name (the
        # city Hà Tĩnh of the province Hà Tĩnh) adds nothing
        if places.names_any(hierarchy.district_keys(written) - own):
            return None
        inside = [nm for nm in units if hierarchy.parent_keys(nm.text) & named_around
                  and places.names_any(hierarchy.district_keys(nm.text) - own - named_around)]
    else:
        inside = [nm for nm in units if places.names_any(hierarchy.parent_keys(nm.text) - own)]
    return max(inside, key=lambda nm: (nm.weight, nm.text)) if inside else None


def near_units_inside(
    hierarchy: AdminHierarchy, near: Iterable[Name], written: str, places: ParagraphPlaces,
) -> list[Name]:
    """Of names a letter from a span's key (`near`: units of its type word), those that
    lie inside a place its paragraph names: among all the register's names, a letter
    away from a misread one (`xã Xin Min`) lie many; inside one province few (Xín Mần).
    An unmarked spelling never overrules a marked one."""
    return [nm for nm in near
            if _may_respell(written, nm) and places.names_any(hierarchy.parent_keys(nm.text))]


def _may_respell(written: str, nm: Name) -> bool:
    """An unmarked spelling (`Đắk R'lap`) never overrules a marked one: the register
    spells some units both ways."""
    return written.translate(STRIP_TABLE) == written or nm.text.translate(STRIP_TABLE) != nm.text
