"""Which line ends are a heading's edges: a heading is a sentence of its own."""

from __future__ import annotations

import pytest

from vnocr.restore.candidates import capitals_line
from vnocr.restore.heading_lines import heading_breaks
from vnocr.text import tokenize

BODY = "Trong nhiem ky vua qua, mac du chiu nhieu anh huong boi tinh hinh dich"


def _breaks(lines: list[str]) -> list[bool]:
    toks = [tokenize(line) for line in lines]
    return heading_breaks(toks, [capitals_line(t) for t in toks])


def test_a_heading_in_capitals_over_two_lines_is_one_sentence():
    lines = ["ket qua nhu sau", "KHAI QUAT KET QUA THUC HIEN NGHI QUYET", "DANG BO THANH PHO",
             BODY]
    assert _breaks(lines) == [True, False, True, False]


def test_a_label_over_a_heading_is_a_sentence_of_its_own():
    assert _breaks(["PHU LUC ,", "KHAI QUAT KET QUA THUC HIEN", BODY]) == [True, True, False]
    # the label's second line is no label over the first
    assert _breaks(["UY BAN NHAN DAN", "TINH GIA LAI", BODY]) == [False, True, False]


@pytest.mark.parametrize(("lines", "breaks"), [
    (["1.1. Thuc hien cac chi tieu kinh te", BODY], [True, False]),
    (["1.1. Thuc hien cac chi tieu kinh te", "sau 5 nam"], [False, False]),  # small letter
    (["1.1. Thuc hien cac chi tieu.", BODY], [False, False]),  # a sentence already
    # a point wrapped before a name fills its line: no heading
    (["2. Giao Uy ban nhan dan tinh chu tri, phoi hop voi cac co quan", "So Tai chinh"],
     [False, False]),
])
def test_a_numbered_heading_in_small_letters_ends_before_a_capital(lines, breaks):
    assert _breaks(lines) == breaks
