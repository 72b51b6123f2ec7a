"""Which capitals belong to the sentence: the one test shared by counting and decoding."""

from __future__ import annotations

import pytest

from vnocr.restore.vocab import mid_sentence


@pytest.mark.parametrize(
    ("prev_trail", "lead", "expected"),
    [
        (None, "", False),  # first word of a sentence or line
        ("", "", True),  # `căn cứ Vào`
        (",", "", True),
        (".", "", False),  # a new sentence
        (":", "", False),
        (")", "", False),  # after a list marker: `a) Vào ngày`
        ("", "“", False),  # a quotation opens
        ("", "(", False),
    ],
)
def test_mid_sentence(prev_trail, lead, expected):
    assert mid_sentence(prev_trail, lead) is expected
