"""Error classes of a page's reading: each error goes to the one class its place says."""

from __future__ import annotations

from vnocr.data import page_errors
from vnocr.data.page_errors import Furniture, PlacedToken, classify_errors, header_tokens
from vnocr.evaluate import syllable_errors

_TRUTH = ("ỦY BAN NHÂN DÂN\nSố: 12/QĐ-UBND\n\nHà Nội, ngày 3 tháng 4 năm 2020\n\n"
          "QUYẾT ĐỊNH\nThực hiện kế hoạch của tỉnh\n")


def test_header_runs_to_the_date_line():
    assert header_tokens(_TRUTH) == frozenset(range(16))
    assert header_tokens("Chỉ một dòng\nkhông có ngày\n") == frozenset()


def test_each_error_goes_to_its_class_and_the_total_is_the_page_error_count():
    box, stamp = (10, 10, 5, 5), (500, 500, 40, 40)
    lines = [
        [("ỦY", box), ("BAN", box), ("NHÂN", box), ("DÂN", box)],
        [("Số:", box), ("12/QĐ-UBND", box)],
        [("Hà", box), ("Nội,", box), ("ngày", box), ("3", box), ("tháng", box), ("4", box),
         ("năm", box), ("2021", box)],                       # header: 2021
        [("À", box), (".^A", box), ("k4", box)],              # junk line: 2 words read
        [("QUYẾT", box), ("ĐINH", box)],                      # diacritics: ĐINH
        [("Thục", (510, 510, 5, 5)), ("hiện", box), ("kê", box), ("hoach", box),
         ("của", box), ("tình", box), ("___", box)],          # stamp, 3 diacritics, junk
    ]
    read = page_errors.place_words(lines)
    pred = " ".join(t.text for t in read)
    counts = classify_errors(read, _TRUTH, Furniture(header=header_tokens(_TRUTH),
                                                      stamps=(stamp,)))
    assert list(counts) == list(page_errors.CLASSES)
    assert counts == {"stamp": 1, "junk": 4, "footnote": 0, "header": 1, "diacritics": 4,
                      "other": 0}
    assert sum(counts.values()) == syllable_errors(pred, _TRUTH)[0]


def test_footnote_numbers_and_the_word_before_them():
    truth = "vua Thuấn 1 lên ngôi\n"
    read = [PlacedToken(t) for t in ("vua", "Thuấnê", "lên", "ngôi")]
    counts = classify_errors(read, truth, Furniture(footnotes=frozenset({1, 2})))
    assert counts["footnote"] == 2 and sum(counts.values()) == 2
