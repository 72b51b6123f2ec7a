"""The shared orthography: the fast tokenizer and keys against their plain definitions,
and the syllable grammar."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vnocr.text import (
    RAISED_DIGITS,
    Token,
    has_syllable_shape,
    is_vietnamese_syllable,
    key_of,
    span_key,
    strip_marks,
    tokenize,
)

VIETNAMESE = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữự"
    "ỳýỷỹỵĐÂƠ"
)


def _tokenize_by_characters(line: str) -> list[Token]:
    """The definition `tokenize` implements with regexes: a token's core runs from its
    first to its last `str.isalnum` character, less raised digits after a letter."""
    tokens = []
    start = None
    for k, c in enumerate(line + " "):
        if not c.isspace() and start is None:
            start = k
        elif c.isspace() and start is not None:
            s = line[start:k]
            a = 0
            while a < len(s) and not s[a].isalnum():
                a += 1
            b = len(s)
            while b > a and not s[b - 1].isalnum():
                b -= 1
            raised = b
            while raised > a and s[raised - 1] in RAISED_DIGITS:
                raised -= 1
            if a < raised < b and s[raised - 1].isalpha():
                b = raised
            tokens.append(Token(start, s[:a], s[a:b], s[b:]) if a < len(s) else Token(start, s, "", ""))
            start = None
    return tokens


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="aĐé6_ -.,()“”'\t\n/\u00a0\u0301¹²", max_size=40))
def test_tokenize_equals_the_per_character_definition(s):
    assert tokenize(s) == _tokenize_by_characters(s)


def test_raised_digits_after_a_word_are_its_trail():
    # a footnote number or a unit's power is no part of the word it follows; a raised
    # digit alone or after a digit is the token's core, as before
    assert [(t.core, t.trail) for t in tokenize("phố¹, km² tích³. ¹ 2²")] == [
        ("phố", "¹,"), ("km", "²"), ("tích", "³."), ("¹", ""), ("2²", "")
    ]


def test_token_parts_and_offsets():
    line = '  “Hà Nội,” dé)ng --'
    toks = tokenize(line)
    assert [(t.lead, t.core, t.trail) for t in toks] == [
        ("“", "Hà", ""), ("", "Nội", ",”"), ("", "dé)ng", ""), ("--", "", "")
    ]
    assert all(line[t.start : t.start + len(t.text)] == t.text for t in toks)
    assert toks[0].core_start == 3


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=VIETNAMESE + " ", max_size=30))
def test_span_key_equals_strip_marks(s):
    assert span_key(s) == " ".join(strip_marks(s).lower().split())


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=VIETNAMESE + "ABCXYZ", max_size=12))
def test_the_two_keys_agree_on_vietnamese_and_latin_words(word):
    assert key_of(word) == span_key(word)


def test_key_of_strips_marks_of_every_script():
    assert key_of("Й") == "и"  # span_key covers Latin only
    assert span_key("Й") == "й"


@pytest.mark.parametrize(
    ("word", "shape", "vietnamese"),
    [
        ("nghiêng", True, True),
        ("Quốc", True, True),
        ("thuỷ", True, True),
        ("học", True, True),
        ("hòc", True, False),  # a stop coda takes only sắc or nặng
        ("Jennifer", False, False),
        ("quéc", True, True),  # a shape, not a word: the inventory decides
        ("ndi", False, False),
    ],
)
def test_syllable_grammar(word, shape, vietnamese):
    assert has_syllable_shape(word) is shape
    assert is_vietnamese_syllable(word) is vietnamese
