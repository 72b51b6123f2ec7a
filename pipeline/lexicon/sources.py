"""Where the gazetteer's names come from: the shipped data files (administrative units
before and after the 2025 merger, names mined from the corpus, their phrases, syllables
and collocations) and the user's own lists, as `Name` records with lookup keys.
"""

from __future__ import annotations

import gzip
import logging
import math
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from vnocr.errors import InputError
from vnocr.files import read_text, write_output
from vnocr.lexicon.types import PLACE_OF_ISSUE
from vnocr.text import nfc, normalize_text_tones, span_key

log = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent / "data"
PHRASE_WEIGHT = 3.0  # a capitalised non-name run with no count (seen ≥ 3 times)
ADMIN_SOURCES = frozenset({"admin-2025", "admin-legacy"})


class Name(NamedTuple):
    """One gazetteer entry: canonical spelling, lookup key and how much to trust it.

    A NamedTuple, not a dataclass: 30k of them are made at start-up, and a frozen
    dataclass's __init__ costs three times as much.
    """

    text: str
    key: str
    weight: float
    sources: tuple[str, ...]
    types: frozenset[str] = frozenset()

    @property
    def nsyl(self) -> int:
        return self.text.count(" ") + 1

    @property
    def source(self) -> str:
        """The most specific source: a user list, then the 2025 map, then the others."""
        for s in self.sources:
            if s.startswith("user:"):
                return s
        for s in ("admin-2025", "admin-legacy", "names"):
            if s in self.sources:
                return s
        return self.sources[0]

    @property
    def is_admin_unit(self) -> bool:
        """In the official register of either map (scripts/build_gazetteer.py)."""
        return any(s in ADMIN_SOURCES for s in self.sources)

    def fits(self, type_word: str | None) -> bool:
        """Is the name known after `type_word`? Every unit of the register is after the
        placeholder for a document's place of issue (`types.PLACE_OF_ISSUE`)."""
        return type_word in self.types or type_word == PLACE_OF_ISSUE and self.is_admin_unit

    @property
    def is_user(self) -> bool:
        return any(s.startswith("user:") for s in self.sources)


def _read_tsv_gz(path: Path) -> Iterable[list[str]]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            yield line.rstrip("\n").split("\t")


def _parse_types(s: str) -> dict[str, int]:
    out = {}
    for part in filter(None, s.split(",")):
        t, _, c = part.rpartition(":")
        out[t] = int(c)
    return out


MINED_SOURCE = "names"  # names mined from the corpus: how documents write them
_NAMES: tuple[str, ...] = (MINED_SOURCE,)
_NONE: frozenset[str] = frozenset()


def shipped_names(data_dir: Path = DATA_DIR) -> list[Name]:
    """Admin units (both maps) and mined corpus names from the package's data files."""
    names: list[Name] = []
    admin = data_dir / "admin.tsv.gz"
    if admin.exists():
        for name, sources, types in _read_tsv_gz(admin):
            ts = _parse_types(types)
            # an administrative unit counts like a name seen 20 times in the corpus
            names.append(
                Name(
                    name,
                    span_key(name),
                    20.0 * sum(ts.values()),
                    tuple(sources.split(",")),
                    frozenset(ts),
                )
            )
    else:
        log.warning("%s missing: run scripts/build_gazetteer.py", admin)
    mined = data_dir / "names.tsv.gz"
    if mined.exists():
        for name, count, types in _read_tsv_gz(mined):
            names.append(
                Name(
                    name,
                    span_key(name),
                    float(count),
                    _NAMES,
                    frozenset(_parse_types(types)) if types else _NONE,
                )
            )
    else:
        log.warning("%s missing: run scripts/mine_names.py", mined)
    return names


def shipped_syllables(data_dir: Path = DATA_DIR, name: str = "syllables.txt.gz") -> list[str]:
    """The corpus's syllable inventory (lowercase, NFC, old tone style), or another of
    the one-item-a-line lists (`phrases.txt.gz`)."""
    path = data_dir / name
    if not path.exists():
        log.warning("%s missing: run scripts/mine_names.py", path)
        return []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [w for w in f.read().split("\n") if w and not w.startswith("#")]


def shipped_phrases(data_dir: Path = DATA_DIR) -> dict[str, float]:
    """Capitalised runs that are not names, with how often the corpus writes them."""
    out: dict[str, float] = {}
    for line in shipped_syllables(data_dir, "phrases.txt.gz"):
        text, _, count = line.partition("\t")
        out[text] = float(count) if count else PHRASE_WEIGHT
    return out


def shipped_collocations(data_dir: Path = DATA_DIR) -> dict[str, float]:
    """Common lowercase compounds (`chính phủ`) whose first word can end a name, with
    their corpus counts."""
    out: dict[str, float] = {}
    for line in shipped_syllables(data_dir, "collocations.txt.gz"):
        pair, _, count = line.partition("\t")
        out[pair] = float(count or 0)
    return out


def read_user_dict(path: Path) -> list[Name]:
    """A user list: one name per line, or `name<TAB>weight`; `#` starts a comment.

    A user name with no weight counts like a frequent corpus name, and user names get a
    bonus on top, so they win ties against the shipped lists.
    """
    text = read_text(path, label="dictionary")
    source = f"user:{path.name}"
    names = []
    for no, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, _, w = line.partition("\t")
        name = normalize_text_tones(nfc(" ".join(name.split())))
        weight = 100.0
        if w.strip():
            try:
                weight = float(w)
            except ValueError:
                raise InputError(
                    f"dictionary {path}:{no}: weight {w.strip()!r} is not a number"
                ) from None
            if not math.isfinite(weight) or weight < 0:
                raise InputError(f"dictionary {path}:{no}: weight must be a non-negative number")
        if not any(c.isalpha() for c in name):
            raise InputError(f"dictionary {path}:{no}: {name!r} is not a name")
        names.append(Name(name, span_key(name), weight, (source,), frozenset()))
    return names


def add_user_names(path: Path, names: Iterable[str]) -> list[str]:
    """Append to the user list at `path` (created with its folders) the names it does not
    have yet, compared as the list is read (tone style, spacing); returns those added.
    How a review teaches the dictionary: the next documents get these names right."""
    known = {n.text for n in read_user_dict(path)} if path.exists() else set()
    added: list[str] = []
    for raw in names:
        name = normalize_text_tones(nfc(" ".join(raw.split())))
        if name and any(c.isalpha() for c in name) and name not in known:
            known.add(name)
            added.append(raw.strip())
    if added:
        old = read_text(path, label="dictionary") if path.exists() else ""
        if old and not old.endswith("\n"):
            old += "\n"
        write_output(path, old + "".join(f"{n}\n" for n in added), label="dictionary",
                     make_parents=True)
    return added


def default_user_dict() -> Path:
    """`$XDG_CONFIG_HOME/vnocr/names.txt`, else `~/.config/vnocr/names.txt`."""
    import os

    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "vnocr" / "names.txt"


# eng-OCR reads one vowel for another: names are also indexed by their consonant
# skeleton, every vowel letter of the key folded to `a`
VOWEL_FOLD = str.maketrans("eiouy", "aaaaa")


def wildcards(syls: list[str]) -> list[str]:
    """`a * c` for each syllable of `a b c`: keys by all syllables but one."""
    return [" ".join(syls[:p] + ["*"] + syls[p + 1 :]) for p in range(len(syls))]
