"""Candidate searches of common eng-OCR word forms, computed ahead and shipped with the model.

A word form met for the first time costs a candidate search (`CandidateGenerator.
generate`: fuzzy keys, then the character channel's alignments, some 0.15 ms), and
English-model OCR text is full of forms no syllable has (`dugc`, `cla`, `nguoi`). The
forms that real OCR runs printed, as the OCR's token table lists them (`vnocr.channel`),
small and capitalised, are searched once by `scripts/build_searches.py` and their
results stored in the model folder (`FILE`): on the eng-OCR bench text they are about
half of a file's searches.

The file holds the weights it was computed with. A generator uses it only where its own
weights are the same and a fresh search of a few of its forms (`PROBES`) gives the very
arrays it holds: a changed search, channel table or vocabulary shows there, and the file
is then left unused (searching is only slower). tests/restore/test_shipped_searches.py
searches every form afresh against the shipped file.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from vnocr.restore.candidates import CandidateGenerator

log = logging.getLogger(__name__)

FILE = "eng_ocr_searches.npz"  # in the model folder
PROBES = 16  # forms searched afresh before the file is trusted

# a search's key in `CandidateGenerator._searched`: (form, accented text, OCR unsure)
SearchKey = tuple[str, bool, bool]
Searched = tuple[np.ndarray, np.ndarray]  # (out ids, channel scores)


def search_forms(gen: CandidateGenerator) -> list[str]:
    """The forms shipped: each form of the OCR's token table, small and capitalised
    (a sentence's first word), in table order."""
    forms: dict[str, None] = {}
    for form in gen.seen_as:
        forms[form] = None
        forms[form[:1].upper() + form[1:]] = None
    return list(forms)


def _weights(gen: CandidateGenerator) -> str:
    return json.dumps(gen.p, sort_keys=True)


def save(path: Path, gen: CandidateGenerator, forms: list[str]) -> int:
    """Search each form as plain text with no OCR doubt (what `vnocr correct` asks for
    eng-OCR text) and write the results with `gen`'s weights; returns the file's size."""
    results = [gen.generate(form, False, False) for form in forms]
    np.savez_compressed(
        path,
        forms=np.array(forms),
        ends=np.cumsum([len(found) for found in results]),
        ids=np.fromiter((i for found in results for i in found), dtype=np.int64),
        scores=np.fromiter((s for found in results for s in found.values()), dtype=np.float64),
        weights=np.array(_weights(gen)),
    )
    return path.stat().st_size


def load(path: Path, gen: CandidateGenerator) -> dict[SearchKey, Searched]:
    """The searches stored in `path` for `gen`; empty where the file is missing, was
    computed with other weights, or a fresh search of its probe forms differs."""
    if not path.is_file():
        return {}
    try:
        with np.load(path, allow_pickle=False) as stored:
            forms, ends = stored["forms"].tolist(), stored["ends"]
            ids, scores, weights = stored["ids"], stored["scores"], str(stored["weights"])
    except (OSError, ValueError, KeyError) as e:
        log.warning("cannot read %s (%s): every form is searched", path, e)
        return {}
    if weights != _weights(gen):
        log.info("%s was computed with other decoding weights: not used", path)
        return {}
    starts = np.concatenate(([0], ends[:-1]))
    found = {(form, False, False): (ids[a:b], scores[a:b])
             for form, a, b in zip(forms, starts.tolist(), ends.tolist())}
    for form in forms[:: max(1, len(forms) // PROBES)]:
        fresh = gen.generate(form, False, False)
        shipped_ids, shipped_scores = found[form, False, False]
        if shipped_ids.tolist() != list(fresh) or shipped_scores.tolist() != list(fresh.values()):
            log.warning("%s does not match this search (form %r): rebuild it with "
                        "scripts/build_searches.py; every form is searched", path, form)
            return {}
    return found
