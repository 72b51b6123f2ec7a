"""Book pages: what is printed and what the truth says about it."""

from __future__ import annotations

import re

from vnocr.data.book_pages import render_book_page

_PARAS = [
    ("Năm ấy vua sai quân đi đánh giặc ở phương nam, quân thắng trận trở về kinh thành. "
     "Triều đình mở tiệc khao thưởng ba ngày liền."),
    ("Sau đó nhà vua cho dựng chùa và đúc chuông lớn, lại sai sứ sang nước láng giềng "
     "để giữ việc hòa hiếu lâu dài giữa hai nước."),
]


def test_truth_holds_dates_footnote_numbers_and_notes_but_no_page_number():
    page = render_book_page(_PARAS, seed=3, page_number=57)
    truth = page.truth
    assert re.search(r"/\d+/|\(\d+\)", truth)  # the bracketed years of the date clauses
    marks = re.findall(r"\w (\d) ", truth)  # a footnote number is a word of its own
    notes = re.findall(r"^(\d)\. ", truth, re.MULTILINE)
    assert marks and sorted(set(marks)) == notes
    assert "57" not in truth
    assert page.image.size == (1740, 2490) and page.image.info["dpi"] == (300, 300)


def test_same_seed_same_page():
    a, b = render_book_page(_PARAS, seed=5), render_book_page(_PARAS, seed=5)
    assert a.truth == b.truth and a.image.tobytes() == b.image.tobytes()


def test_footnote_positions_point_at_the_numbers_and_the_notes():
    from vnocr.evaluate import syllable_tokens

    page = render_book_page(_PARAS * 2, seed=3)
    tokens = syllable_tokens(page.truth)
    numbers = [tokens[i] for i in sorted(page.note_numbers)]
    assert numbers == [str(n) for n in range(1, len(numbers) + 1)] and numbers
    notes = [tokens[i] for i in sorted(page.notes)]
    assert notes[0] == "1" and len(page.notes) + max(page.notes) - min(page.notes) + 1 \
        == 2 * len(page.notes) and max(page.notes) == len(tokens) - 1
