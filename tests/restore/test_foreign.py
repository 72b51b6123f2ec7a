"""Foreign words misread by one letter, respelt from the corpus vocabulary's counts."""

from __future__ import annotations

import math

import numpy as np

from vnocr.restore.foreign import ForeignSpeller

UNITS = {"fiorentina": 60, "ibrahimovic": 400, "schultz": 20, "wall": 300, "was": 900,
         "barcelona": 900, "barcelone": 300, "vinh": 5000, "rare": 5}


def speller() -> ForeignSpeller:
    index = {u: i for i, u in enumerate(UNITS)}
    logc = np.array([math.log(c) for c in UNITS.values()], dtype=np.float32)
    return ForeignSpeller(index, logc)


def test_one_letter_off_a_common_word_is_respelt_in_its_case():
    s = speller()
    assert s.respell("Eiorentina") == "Fiorentina"
    assert s.respell("Sehultz") == "Schultz"
    assert s.respell("EIORENTINA") == "FIORENTINA"
    assert s.respell("lbrahimovic") == "Ibrahimovic"  # the OCR's small l for a capital I


def test_words_the_corpus_knows_short_or_ambiguous_ones_stay():
    s = speller()
    assert s.respell("Barcelona") is None  # known as written
    assert s.respell("Wal") is None  # too short: wall, was
    assert s.respell("Barcelonx") is None  # barcelona and barcelone: not 5x apart
    assert s.respell("Raro") is None  # the near word is too rare to trust
    assert s.respell("Xyzzyq") is None  # nothing near
    assert s.respell("Vịnh") is None  # marks: Vietnamese, not a foreign word


def test_a_first_letter_is_misread_never_lost_or_invented():
    s = ForeignSpeller({"inoki": 0, "bnews": 1}, np.array([math.log(500.0)] * 2, dtype=np.float32))
    assert s.respell("Hinoki") is None
    assert s.respell("WBnews") is None
    assert s.respell("Jnoki") == "Inoki"


def test_without_a_doubt_only_an_edit_the_ocr_makes_is_trusted():
    s = ForeignSpeller({"paris": 0, "netflix": 1, "royce": 2},
                       np.array([math.log(900.0)] * 3, dtype=np.float32))
    assert s.respell("Karis") == "Paris"  # the OCR doubted it: any one edit
    assert s.respell("Karis", doubted=False) is None  # K and P do not look alike
    assert s.respell("Netfix", doubted=False) == "Netflix"  # a thin l lost
    assert s.respell("Royoe", doubted=False) == "Royce"  # o for c
    assert s.respell("royoe", doubted=False) is None  # a short small word: only if doubted
