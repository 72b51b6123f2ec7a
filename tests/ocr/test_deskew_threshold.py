"""Deskew turns a page only by a tilt it can tell from level."""

from __future__ import annotations

import numpy as np

from vnocr.data.admin_pages import render_admin_page
from vnocr.ocr.preprocess import estimate_skew, least_measurable_skew, preprocess, to_gray
from vnocr.options import PreprocessOptions


def test_least_measurable_skew_is_about_a_tenth_of_a_degree():
    assert 0.1 < least_measurable_skew(2480) < 0.12
    assert least_measurable_skew(500) > least_measurable_skew(2480)


def test_level_page_is_not_turned():
    page = render_admin_page(seed=1, dpi=150, stamp=False, degrade_spec={"blur": 0.8})
    gray = to_gray(page.image)
    assert estimate_skew(gray) != 0.0  # the search's own noise on a level page
    prep = preprocess(page.image, PreprocessOptions(target_x_height=0))
    assert prep.skew_deg == 0.0
    assert np.array_equal(prep.matrix, np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]))


def test_measurable_tilt_is_still_corrected():
    page = render_admin_page(seed=1, dpi=150, stamp=False, degrade_spec={"rotate_deg": 0.5})
    prep = preprocess(page.image, PreprocessOptions(target_x_height=0))
    assert abs(prep.skew_deg - 0.5) < 0.1
