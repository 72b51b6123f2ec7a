"""Footnote markers: raised digits after a word become words of their own."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from vnocr.ocr._tesseract import TsvWord
from vnocr.ocr.footnotes import _without_glued, find_markers, split_markers

FONT = "/usr/share/fonts/truetype/freefont/FreeSerif.ttf"


def _line(marker: bool) -> tuple[np.ndarray, list[TsvWord]]:
    """`Thuấn` (with a raised `1` when `marker`) and `cai trị`, set at 46 px, and
    Tesseract-like word boxes (the first one spanning the marker, as `vie` boxes it)."""
    body, small = ImageFont.truetype(FONT, 46), ImageFont.truetype(FONT, 28)
    img = Image.new("L", (700, 120), 255)
    draw = ImageDraw.Draw(img)
    boxes = []
    x = 20
    for k, word in enumerate(("Thuấn", "cai", "trị")):
        draw.text((x, 90), word, font=body, fill=0, anchor="ls")
        left, top, right, bottom = draw.textbbox((x, 90), word, font=body, anchor="ls")
        if k == 0 and marker:
            draw.text((right + 1, 90 - 19), "1", font=small, fill=0, anchor="ls")
            right += 1 + round(small.getlength("1"))
        boxes.append((word, left, top, right - left, bottom - top))
        x = right + 24
    words = [TsvWord(1, 1, 1, k + 1, left, top, width, height, 95.0, text)
             for k, (text, left, top, width, height) in enumerate(boxes)]
    return np.asarray(img), words


def test_a_raised_digit_is_found_after_its_word():
    image, words = _line(marker=True)
    found = find_markers(image, words)
    assert [m.index for m in found] == [0]


def test_no_marker_on_plain_words():
    image, words = _line(marker=False)
    assert find_markers(image, words) == []


def test_split_writes_the_marker_as_a_word_and_unglues_it():
    image, words = _line(marker=True)
    glued = [replace(words[0], text="Thuấnš"), *words[1:]]

    def read_digits(strip: np.ndarray) -> list[TsvWord]:
        return [TsvWord(1, 1, 1, 1, strip.shape[1] // 2 - 5, 0, 10, 10, 96.0, "1")]

    out = split_markers(image, glued, read_digits)
    assert [w.text for w in out] == ["Thuấn", "1", "cai", "trị"]
    assert [w.footnote_marker for w in out] == [False, True, False, False]


def test_an_unread_marker_changes_nothing():
    image, words = _line(marker=True)
    assert split_markers(image, words, lambda strip: []) == words


@pytest.mark.parametrize(("text", "expected"), [
    ("Thuấnš", "Thuấn"),   # a glued letter
    ('thời"', "thời"),     # a glued quote
    ("không", "không"),    # Tesseract dropped the marker: a whole syllable stays
    ("Nam,", "Nam,"),
])
def test_glued_glyphs_come_off(text, expected):
    assert _without_glued(text, inside=8, width=80) == expected


def test_a_line_of_two_blobs_with_no_common_baseline_is_skipped():
    """Two blobs, feet 60 px apart: their median foot touches neither, so the line has
    no letters standing on a baseline and no marker is looked for (not a crash)."""
    image = np.full((200, 300), 255, np.uint8)
    image[20:60, 20:50] = 0
    image[80:120, 120:150] = 0
    words = [TsvWord(1, 1, 1, 1, 10, 10, 200, 120, 90.0, "ab")]
    assert find_markers(image, words) == []
