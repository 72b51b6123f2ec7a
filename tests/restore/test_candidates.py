"""A token's searched candidates are memoised by what the search depends on: the same
ids and channel scores whatever trails the word, and forgotten with the params."""

from __future__ import annotations

import numpy as np
import pytest


@pytest.mark.parametrize(("core", "trails"), [("nhitng", ("", ",", ".")),
                                              ("chét", ("", ";", ")")),
                                              ("d3", ("", ",", "..."))])
def test_a_word_met_with_other_trails_gets_the_candidates_of_a_fresh_search(
        restorer, core, trails):
    gen = restorer.generators["plain"]  # eng-OCR's channel
    gen.forget()
    found = [gen.for_token(core, trail, False) for trail in trails]
    gen.forget()
    for trail, cands in zip(trails, found):
        fresh = gen._token_candidates(core, trail, False)
        assert np.array_equal(cands.ids, fresh.ids)
        assert np.array_equal(cands.lm_ids, fresh.lm_ids)
        assert np.array_equal(cands.channel, fresh.channel)
    assert len(gen._searched) == 1  # the search ran once for all trails


def test_forget_drops_the_searches_too(restorer):
    gen = restorer.generators["plain"]
    gen.for_token("nhitng", "", False)
    assert gen._searched
    gen.forget()
    assert not gen._searched and not gen._cache
