"""Candidate searches of common eng-OCR word forms, computed ahead and shipped with the model.

A word form met for the first time costs a candidate search (`CandidateGenerator.
generate`: fuzzy keys, then the character channel's alignments, some 0.15 ms), and
English-model OCR text is full of forms no syllable has (`dugc`, `cla`, `nguoi`). Two
kinds of forms, small and capitalised, are searched once by `scripts/build_searches.py`
and their results stored in the model folder (`FILE`): those real OCR runs printed, as
the OCR's token table lists them (`vnocr.channel`), and each syllable's likeliest prints
under the character channel (`CharChannel.likely_prints`: P ≥ PRINT_FLOOR). On the
eng-OCR bench text they hold about two thirds of a file's searches.

It also holds the generator's reverse prints (`CandidateGenerator.reverse_prints`:
which syllables of other keys print as a form), which eng-OCR's first search otherwise
builds from every syllable's likely prints (0.07 s of each process).

The file holds the weights it was computed with. A generator uses it only where its own
weights are the same and a fresh search of a few of its forms (`PROBES`) gives the very
arrays it holds, and its reverse prints only where a few syllables' prints worked out
afresh are the ones it lists for them: a changed search, channel table or vocabulary
shows there, and the file (or its reverse prints) is then left unused (searching is only
slower). tests/restore/test_shipped_searches.py searches every form afresh and builds
the reverse prints afresh against the shipped file.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, TypeVar

import numpy as np

from vnocr.text import apply_case

if TYPE_CHECKING:
    from vnocr.restore.candidates import CandidateGenerator

log = logging.getLogger(__name__)

FILE = "eng_ocr_searches.npz"  # in the model folder
PROBES = 16  # forms searched afresh before the file is trusted
# a syllable's prints searched ahead: those the character channel gives at least this
# probability, at most PRINT_BEAM of them (18,445 forms in all, 1.35 MB; the eng-OCR bench
# text's first reading then searches 1,441 forms itself, 1,899 with the table's alone)
PRINT_FLOOR = 0.01
PRINT_BEAM = 8

# a search's key in `CandidateGenerator._searched`: (form, accented text, OCR unsure)
SearchKey = tuple[str, bool, bool]
Searched = tuple[np.ndarray, np.ndarray]  # (out ids, channel scores)
K, V = TypeVar("K"), TypeVar("V")  # a `_StoredRows` key and what it finds


def search_forms(gen: CandidateGenerator) -> list[str]:
    """The forms shipped, small and capitalised (a sentence's first word): each form of
    the OCR's token table in table order, then each output syllable's likely prints
    (`CharChannel.likely_prints`), the commonest syllables first."""
    forms: dict[str, None] = {}
    for form in gen.seen_as:
        forms[form] = None
        forms[apply_case(form, "title")] = None
    if gen.char_channel is not None:
        vocab, log_freq = gen.tok.vocab, gen.log_freq
        for i in sorted(range(1, len(vocab)), key=lambda i: -log_freq[i]):
            for word in (vocab[i], apply_case(vocab[i], "title")):
                forms.update(dict.fromkeys(
                    gen.char_channel.likely_prints(word, math.log(PRINT_FLOOR), PRINT_BEAM)))
    return list(forms)


def _weights(gen: CandidateGenerator) -> str:
    return json.dumps(gen.p, sort_keys=True)


def save(path: Path, gen: CandidateGenerator, forms: list[str]) -> int:
    """Search each form as plain text with no OCR doubt (what `vnocr correct` asks for
    eng-OCR text) and write the results with `gen`'s weights, and `gen`'s reverse prints;
    returns the file's size."""
    results = [gen.generate(form, False, False) for form in forms]
    printed = gen.reverse_prints() if gen.char_channel is not None else {}
    id_type = _ids_type(gen)
    np.savez_compressed(
        path,
        forms=np.array(forms),
        ends=np.cumsum([len(found) for found in results]),
        ids=np.fromiter((i for found in results for i in found), dtype=id_type),
        scores=np.fromiter((s for found in results for s in found.values()), dtype=np.float64),
        weights=np.array(_weights(gen)),
        printed=np.array(list(printed)),
        printed_ends=np.cumsum([len(ids) for ids in printed.values()]),
        printed_ids=np.fromiter((i for ids in printed.values() for i in ids), dtype=id_type),
    )
    return path.stat().st_size


class Stored(NamedTuple):
    """What a file holds for a generator: its searches, and its reverse prints (None
    where the file has none or they do not hold for the generator)."""

    searches: Mapping[SearchKey, Searched]
    reverse_prints: Mapping[str, tuple[int, ...]] | None


def load(path: Path, gen: CandidateGenerator) -> Stored | None:
    """What `path` stores for `gen`: None where the file is missing or unreadable or was
    computed with other weights; its reverse prints are checked here (`_prints_agree`),
    its searches by `searches_agree`, once the generator holds the reverse prints its
    searches are to read."""
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as stored:
            forms, ends = stored["forms"].tolist(), stored["ends"]
            ids, scores, weights = stored["ids"], stored["scores"], str(stored["weights"])
            printed = ((stored["printed"].tolist(), stored["printed_ends"], stored["printed_ids"])
                       if "printed" in stored else None)
    except (OSError, ValueError, KeyError) as e:
        log.warning("cannot read %s (%s): every form is searched", path, e)
        return None
    if weights != _weights(gen):
        log.info("%s was computed with other decoding weights: not used", path)
        return None
    prints = None
    if printed is not None:
        prints = StoredPrints(*printed)
        if not _prints_agree(prints, gen):
            log.warning("%s lists other reverse prints than this channel gives: rebuild it "
                        "with scripts/build_searches.py", path)
            prints = None
    return Stored(StoredSearches(forms, ends, ids, scores), prints)


def searches_agree(found: Mapping[SearchKey, Searched], gen: CandidateGenerator) -> bool:
    """Whether a fresh search of a few of the stored forms (`PROBES`) gives the very
    arrays stored."""
    forms = [form for form, _, _ in found]
    for form in forms[:: max(1, len(forms) // PROBES)]:
        fresh = gen.generate(form, False, False)
        shipped_ids, shipped_scores = found[form, False, False]
        if shipped_ids.tolist() != list(fresh) or shipped_scores.tolist() != list(fresh.values()):
            log.warning("the shipped searches do not match this search (form %r): rebuild "
                        "them with scripts/build_searches.py; every form is searched", form)
            return False
    return True


def _prints_agree(prints: StoredPrints, gen: CandidateGenerator) -> bool:
    """Whether a few syllables' prints of other keys, worked out afresh, are the forms
    `prints` lists them under (`PROBES` syllables across the vocabulary)."""
    if gen.char_channel is None:
        return False
    size = len(gen.tok.vocab)
    return all(sorted(gen.prints_elsewhere(i)) == prints.forms_of(i)
               for i in range(1, size, max(1, size // PROBES)))


class _StoredRows(Mapping[K, V]):
    """Rows of arrays stored end to end (`ends`: where each row ends), found by key; a
    row is cut out when it is asked for: most forms of the file are never met in one
    text, so loading only indexes them."""

    def __init__(self, keys: Iterable[K], ends: np.ndarray) -> None:
        self._at = {key: k for k, key in enumerate(keys)}
        self._bounds = np.concatenate(([0], ends)).tolist()

    def _row(self, key: K) -> slice:
        k = self._at[key]
        return slice(self._bounds[k], self._bounds[k + 1])

    def __iter__(self) -> Iterator[K]:
        return iter(self._at)

    def __len__(self) -> int:
        return len(self._at)


class StoredSearches(_StoredRows[SearchKey, Searched]):
    """The file's searches by key."""

    def __init__(self, forms: list[str], ends: np.ndarray, ids: np.ndarray,
                 scores: np.ndarray) -> None:
        super().__init__(((form, False, False) for form in forms), ends)
        self._ids, self._scores = ids, scores

    def __getitem__(self, key: SearchKey) -> Searched:
        row = self._row(key)
        # the file's ids are as small as the vocabulary allows; a search's are int64
        return self._ids[row].astype(np.int64), self._scores[row]


class StoredPrints(_StoredRows[str, tuple[int, ...]]):
    """The file's reverse prints: form → syllable ids."""

    def __init__(self, forms: list[str], ends: np.ndarray, ids: np.ndarray) -> None:
        super().__init__(forms, ends)
        self._forms, self._ends, self._ids = forms, ends, ids

    def __getitem__(self, form: str) -> tuple[int, ...]:
        return tuple(self._ids[self._row(form)].tolist())

    def forms_of(self, i: int) -> list[str]:
        """The forms that list syllable `i`, sorted."""
        rows = np.searchsorted(self._ends, np.flatnonzero(self._ids == i), side="right")
        return sorted(self._forms[k] for k in rows.tolist())


def _ids_type(gen: CandidateGenerator) -> type[np.integer]:
    """How the file stores output ids: uint16 where every id fits (~7,000 syllables)."""
    return np.uint16 if len(gen.tok.vocab) <= np.iinfo(np.uint16).max + 1 else np.int64
