"""Page renderer: Vietnamese fonts found by glyph coverage, one printed line per given line,
degradations reproducible from the seed."""

from __future__ import annotations

import numpy as np
import pytest

from vnocr.data.render import A4_WIDTH_IN, RenderSpec, find_fonts, render_page
from vnocr.errors import BadOptionsError

LINES = [
    "Đảng bộ thành phố Sơn La nhiệm kỳ 2020–2025",
    "những kết quả được bổ sung",
    "ỄỮỰ Quyết định số 353-KL/TU",
]


@pytest.fixture(scope="module")
def font():
    fonts = find_fonts()
    assert fonts, "no font with Vietnamese glyphs installed (make setup installs them)"
    return fonts[0]


def test_find_fonts_checks_coverage_not_names():
    fonts = find_fonts()
    names = {p.stem for p in fonts}
    assert {"DejaVuSerif", "FreeSerif"} <= names
    # Script-specific Noto fonts lack Vietnamese letters; bold/italic faces are left out.
    assert not any("Thai" in n or "Bold" in n or "Italic" in n for n in names)
    assert find_fonts(text="ệ\U0001f9ff\U000e0100") == []


def _rows_of_ink(img) -> int:
    a = np.asarray(img) < 128
    rows = a.any(axis=1)
    # Count runs of inked rows; marks above capitals may form their own short run, so
    # only runs taller than a third of the tallest count as text lines.
    runs, start = [], None
    for y, r in enumerate(rows):
        if r and start is None:
            start = y
        if not r and start is not None:
            runs.append(y - start)
            start = None
    return sum(h > max(runs) / 3 for h in runs)


def test_one_printed_line_per_given_line(font):
    img = render_page(LINES, RenderSpec(font=font, dpi=150), seed=0)
    assert img.mode == "L"
    assert img.width == round(A4_WIDTH_IN * 150)
    assert img.info["dpi"] == (150, 150)
    assert _rows_of_ink(img) == len(LINES)


def test_degradation_is_deterministic_in_seed(font):
    spec = RenderSpec(
        font=font, dpi=150, rotate_deg=1.5, blur=0.7, speckle=0.003, jpeg_quality=50, ink_spread=1
    )
    a = np.asarray(render_page(LINES, spec, seed=7))
    b = np.asarray(render_page(LINES, spec, seed=7))
    c = np.asarray(render_page(LINES, spec, seed=8))
    assert np.array_equal(a, b)
    assert a.shape == c.shape and not np.array_equal(a, c)
    clean = np.asarray(render_page(LINES, RenderSpec(font=font, dpi=150), seed=7))
    assert a.shape != clean.shape  # rotation grows the canvas


def test_ink_spread_darkens_strokes(font):
    thin = np.asarray(render_page(LINES, RenderSpec(font=font, dpi=150)))
    thick = np.asarray(render_page(LINES, RenderSpec(font=font, dpi=150, ink_spread=1)))
    assert (thick < 128).sum() > 1.3 * (thin < 128).sum()


def test_bad_specs_are_refused(font):
    with pytest.raises(BadOptionsError):
        RenderSpec(font=font, dpi=10)
    with pytest.raises(BadOptionsError):
        RenderSpec(font=font, jpeg_quality=0)
    with pytest.raises(BadOptionsError):
        render_page(["two\nlines"], RenderSpec(font=font))
