"""`Pipeline.iter_pages`: the one page loop, and the `--pages` selection it takes."""

from __future__ import annotations

import pytest
from ocr_helpers import render

from vnocr.api import Pipeline
from vnocr.errors import BadOptionsError, InputError
from vnocr.options import LexiconOptions, Options, RestoreOptions
from vnocr.page_selection import PageSelection

RAW = Options(restore=RestoreOptions(enabled=False), lexicon=LexiconOptions(enabled=False))


@pytest.fixture(scope="module")
def four_pages(tmp_path_factory, font):
    pages = [render([f"Trang {k} của văn bản."], font, dpi=150) for k in range(1, 5)]
    tif = tmp_path_factory.mktemp("doc") / "four.tif"
    pages[0].save(tif, save_all=True, append_images=pages[1:])
    return tif


def test_selected_pages_in_order_and_read_collects_all(four_pages):
    pipeline = Pipeline(RAW)
    got = list(pipeline.iter_pages(four_pages, "4,2"))
    assert [p.index for p in got] == [1, 3]
    assert "Trang 2" in got[0].text and "Trang 4" in got[1].text
    whole = pipeline.read(four_pages)
    assert [p.index for p in whole.pages] == [0, 1, 2, 3]
    assert whole.pages[1].text == got[0].text
    assert [p.index for p in pipeline.iter_pages(four_pages, [range(3, 9)])] == [2, 3]


def test_a_selection_past_the_end_is_an_input_error(four_pages, tmp_path):
    with pytest.raises(InputError, match="has no page 7"):
        list(Pipeline(RAW).iter_pages(four_pages, "7-"))
    txt = tmp_path / "a.txt"
    txt.write_text("một trang\n")
    assert [p.text for p in Pipeline(RAW).iter_pages(txt, "1")] == ["một trang\n"]
    with pytest.raises(InputError, match="has no page 2"):
        list(Pipeline(RAW).iter_pages(txt, "2"))


def test_page_selection_parsing():
    sel = PageSelection.parse("7, 1-3,2-4,9-")
    assert sel.spans == ((1, 4), (7, 7), (9, None))
    assert 3 in sel and 8 not in sel and 100 in sel
    assert (sel.first, sel.last) == (1, None)
    assert sel.count(10) == 4 + 1 + 2
    assert PageSelection.of([5, range(1, 3)]).spans == ((1, 2), (5, 5))
    assert PageSelection.of(None) is None
    for bad in ("", "a", "3-1", "0", "1,,2"):
        with pytest.raises(BadOptionsError, match="--pages"):
            PageSelection.parse(bad)


def test_the_heap_is_reused_while_a_page_is_read_and_not_after(four_pages, monkeypatch):
    """`vnocr.allocator.reusing_heap` is held around decoding and OCR only: the stage
    that takes the page after the `yield` (the correction) keeps the fixed thresholds."""
    import contextlib

    import vnocr.ocr

    held = []

    @contextlib.contextmanager
    def reusing_heap():
        held.append(True)
        yield
        held.append(False)

    monkeypatch.setattr(vnocr.ocr, "reusing_heap", reusing_heap)
    seen = [(page.index, held[-1]) for page in Pipeline(RAW).iter_pages(four_pages, "2-3")]
    assert seen == [(1, False), (2, False)]
    assert held == [True, False] * 3  # two pages, then the look for a next one
