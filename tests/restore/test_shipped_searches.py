"""The searches shipped with the model (`vnocr.restore.shipped_searches`) are the searches
themselves: the same arrays as searching afresh, used only with the weights they were
computed with and only while a fresh search of their probes agrees."""

from __future__ import annotations

import numpy as np
import pytest

from vnocr.options import DEFAULT_MODEL_DIR
from vnocr.restore import shipped_searches
from vnocr.restore.restorer import ENG_OCR
from vnocr.text import tokenize


@pytest.fixture(scope="module")
def eng_gen(restorer):
    return restorer.generators[ENG_OCR]


def _fresh(gen):
    """A generator with `gen`'s weights and tables and nothing shipped or memoised."""
    twin = gen.with_params(dict(gen.p))
    twin._printed_as = None
    return twin


def test_the_shipped_file_holds_what_searching_every_form_afresh_gives(eng_gen):
    """Fails after a change to the search, the channel, the vocabulary or the weights
    until `scripts/build_searches.py` is run."""
    path = DEFAULT_MODEL_DIR / shipped_searches.FILE
    stored = shipped_searches.load(path, _fresh(eng_gen))
    shipped = stored.searches
    assert dict(stored.reverse_prints) == _fresh(eng_gen).reverse_prints()
    assert set(shipped) == {(form, False, False)
                            for form in shipped_searches.search_forms(eng_gen)}
    fresh = _fresh(eng_gen)
    for (form, accented, unsure), (ids, scores) in shipped.items():
        found = fresh.generate(form, accented, unsure)
        assert ids.tolist() == list(found), form
        assert scores.tolist() == list(found.values()), form


def test_the_eng_ocr_generator_reads_the_shipped_searches(eng_gen, monkeypatch):
    """Searching a shipped form gives the file's arrays without a search, as a search's
    types (int64 ids), and a form no file holds is searched."""
    forms = shipped_searches.search_forms(eng_gen)
    eng_gen._search("dugc", False, False)  # the file is read at the first search
    searched = []
    monkeypatch.setattr(eng_gen, "generate", lambda *args: searched.append(args) or {})
    for form in (forms[0], forms[-1]):
        eng_gen._searched.pop((form, False, False), None)
        ids, scores = eng_gen._search(form, False, False)
        stored_ids, stored_scores = eng_gen._shipped[form, False, False]
        assert ids.dtype == np.int64 and ids.tolist() == stored_ids.tolist()
        assert scores.tolist() == stored_scores.tolist() and len(ids)
    assert searched == []
    assert ("qzxqzx", False, False) not in eng_gen._shipped
    eng_gen._search("qzxqzx", False, False)
    assert searched == [("qzxqzx", False, False)]


def test_a_file_computed_with_other_weights_is_not_used(eng_gen, tmp_path):
    other = eng_gen.with_params({**eng_gen.p, "char_bias": eng_gen.p["char_bias"] - 1.0})
    path = tmp_path / shipped_searches.FILE
    shipped_searches.save(path, other, ["dugc", "nguoi", "Trén"])
    assert len(shipped_searches.load(path, other).searches) == 3
    assert shipped_searches.load(path, _fresh(eng_gen)) is None


def test_a_file_a_fresh_search_disagrees_with_is_not_used(eng_gen, tmp_path):
    """Same weights, other results (what a changed search or table gives): the probes
    find it, and the generator searches every form itself."""
    path = tmp_path / shipped_searches.FILE
    forms = ["dugc", "nguoi", "cla", "Trén"]
    shipped_searches.save(path, eng_gen, forms)
    with np.load(path) as stored:
        arrays = dict(stored)
    arrays["scores"] = arrays["scores"] + 1e-9
    np.savez_compressed(path, **arrays)
    stored = shipped_searches.load(path, _fresh(eng_gen))
    assert not shipped_searches.searches_agree(stored.searches, _fresh(eng_gen))
    gen = _fresh(eng_gen)
    gen.use_shipped_searches(path)
    assert gen._search("dugc", False, False)[1].tolist() == list(
        _fresh(eng_gen).generate("dugc", False, False).values())


def test_the_eng_ocr_generator_takes_the_shipped_reverse_prints(eng_gen, monkeypatch):
    """The first search reads the file's reverse prints instead of working out every
    syllable's likely prints (7,000 of them): only the probes' few are worked out."""
    gen = _fresh(eng_gen)
    gen.use_shipped_searches(DEFAULT_MODEL_DIR / shipped_searches.FILE)
    worked_out = []
    likely_prints = gen.char_channel.likely_prints
    monkeypatch.setattr(gen.char_channel, "likely_prints",
                        lambda *args: worked_out.append(args) or likely_prints(*args))
    gen._search("dugc", False, False)
    assert isinstance(gen.reverse_prints(), shipped_searches.StoredPrints)
    assert 0 < len(worked_out) <= 2 * shipped_searches.PROBES
    assert gen.reverse_prints()["sip"] == _fresh(eng_gen).reverse_prints()["sip"]


def test_reverse_prints_the_channel_does_not_give_are_not_used(eng_gen, tmp_path):
    """A file whose reverse prints differ from the channel's (a changed channel table
    or floor) keeps its searches, and the generator builds its reverse prints itself."""
    path = tmp_path / shipped_searches.FILE
    shipped_searches.save(path, eng_gen, ["dugc", "nguoi"])
    with np.load(path) as stored:
        arrays = dict(stored)
    size = len(eng_gen.tok.vocab)
    probe = next(i for i in range(1, size, size // shipped_searches.PROBES)
                 if eng_gen.prints_elsewhere(i))  # a probe syllable the file lists
    arrays["printed_ids"] = np.where(arrays["printed_ids"] == probe, probe + 1,
                                     arrays["printed_ids"]).astype(arrays["printed_ids"].dtype)
    np.savez_compressed(path, **arrays)
    assert shipped_searches.load(path, _fresh(eng_gen)).reverse_prints is None
    gen = _fresh(eng_gen)
    gen.use_shipped_searches(path)
    gen._search("dugc", False, False)
    assert gen._shipped and gen.reverse_prints() == _fresh(eng_gen).reverse_prints()


def test_changed_weights_leave_the_file_unused_until_they_are_set_back(eng_gen):
    gen = _fresh(eng_gen)
    gen.use_shipped_searches(DEFAULT_MODEL_DIR / shipped_searches.FILE)
    gen._search("dugc", False, False)
    assert gen._shipped
    shipped_bias = gen.p["char_bias"]
    gen.p["char_bias"] = shipped_bias - 1.0
    gen.forget()
    gen._search("dugc", False, False)
    assert gen._shipped == {}
    gen.p["char_bias"] = shipped_bias
    gen.forget()
    gen._search("dugc", False, False)
    assert gen._shipped


def test_eng_ocr_text_restores_alike_with_and_without_the_shipped_searches(
        restorer, monkeypatch):
    lines = ["Pang bo thanh phé Son La d3 dat dugc nhiéu thanh tich quan trong",
             "Trén dia ban cé 1a nguoi dan téc Thai, Kinh, Méng sinh séng",
             "cong tac xay dung Dang va hé théng chinh tri dugc quan tam"]
    facts = restorer.facts(lines, [tokenize(line) for line in lines])
    assert restorer.weight_set(facts) == ENG_OCR
    shipped = restorer.restore(lines)
    monkeypatch.setitem(restorer.generators, ENG_OCR, _fresh(restorer.generators[ENG_OCR]))
    assert [r.text for r in restorer.restore(lines)] == [r.text for r in shipped]
