"""Preprocessing: deskew finds a known rotation, rescale sees the print size."""

from __future__ import annotations

import importlib

import cv2
import numpy as np
import pytest
from ocr_helpers import LINES, render
from PIL import Image

from vnocr.errors import BadOptionsError
from vnocr.ocr.preprocess import (
    dust_cleared,
    estimate_skew,
    estimate_x_height,
    flatten,
    ink_components,
    paper_background,
    preprocess,
    text_stats,
    to_gray,
    unevenness,
)
from vnocr.options import PreprocessOptions


@pytest.mark.parametrize(("angle", "dpi"), [(2.3, 300), (-1.7, 200), (0.6, 150), (-2.9, 300),
                                           (9.5, 200), (-13.0, 150)])  # phone photos
def test_deskew_recovers_known_rotation(font, angle, dpi):
    page = render(LINES, font, dpi=dpi, rotate_deg=angle, blur=0.6, speckle=0.002)
    found = estimate_skew(np.asarray(page))
    assert abs(found - angle) < 0.3, (angle, found)


def _tilted(page: np.ndarray, angle: float) -> np.ndarray:
    h, w = page.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(page, m, (w, h), borderValue=255)


@pytest.fixture(scope="module")
def level_page(font):
    return np.asarray(render(LINES * 4, font, dpi=200).convert("L"))


@pytest.mark.parametrize("angle", [0.7, -1.3, 3.1, -6.4, 11.2])
def test_deskew_finds_an_exact_tilt_within_five_hundredths(level_page, angle):
    assert abs(estimate_skew(_tilted(level_page, angle)) - angle) <= 0.05


@pytest.mark.parametrize("angle", [0.0, 2.2, -9.7])
def test_screened_tilt_search_picks_what_scoring_every_point_picks(level_page, angle,
                                                                   monkeypatch):
    """The coarse pass scores most angles on a quarter of the points; upright and
    sideways (where no angle stands out and the screen steps aside) the same tilt."""
    pages = [_tilted(level_page, angle)]
    pages.append(np.ascontiguousarray(np.rot90(pages[0])))
    screened = [estimate_skew(p) for p in pages]
    monkeypatch.setattr(importlib.import_module("vnocr.ocr.skew"),
                        "_SKEW_SCREEN_MARGIN", 1.0)  # no angle stands out by 100 %
    assert [estimate_skew(p) for p in pages] == screened


def test_deskewed_page_measures_level(font):
    page = render(LINES, font, dpi=200, rotate_deg=2.5)
    prep = preprocess(page, PreprocessOptions(deskew=True, target_x_height=0))
    assert abs(prep.skew_deg - 2.5) < 0.3
    assert abs(estimate_skew(prep.image)) < 0.3


def test_blank_page_has_no_skew_and_no_text_height():
    blank = np.full((400, 300), 255, np.uint8)
    assert estimate_skew(blank) == 0.0
    assert estimate_x_height(blank) is None
    prep = preprocess(blank, PreprocessOptions(target_x_height=30))
    assert prep.scale == 1.0 and prep.image.shape == blank.shape


def test_x_height_follows_resolution_and_rescale_reaches_target(font):
    low = estimate_x_height(np.asarray(render(LINES, font, dpi=150)))
    high = estimate_x_height(np.asarray(render(LINES, font, dpi=300)))
    assert low and high and abs(high / low - 2.0) < 0.25
    prep = preprocess(render(LINES, font, dpi=150), PreprocessOptions(target_x_height=30))
    assert prep.scale > 1.5
    assert abs(estimate_x_height(prep.image) - 30) < 4


def test_box_maps_back_to_input(font):
    page = render(LINES, font, dpi=150, rotate_deg=1.5)
    prep = preprocess(page, PreprocessOptions(target_x_height=30))
    # The centre of the processed page is the centre of the input page.
    h, w = prep.image.shape
    x, y, bw, bh = prep.to_input_box(w // 2 - 1, h // 2 - 1, 2, 2)
    assert abs(x + bw / 2 - page.width / 2) < 3 and abs(y + bh / 2 - page.height / 2) < 3


def test_bad_preprocess_options_are_rejected():
    with pytest.raises(BadOptionsError):
        PreprocessOptions(binarize="sauvola")
    with pytest.raises(BadOptionsError):
        PreprocessOptions(target_x_height=-1)


def test_dust_is_told_apart_from_clean_print(font):
    clean = text_stats(np.asarray(render(LINES, font, dpi=150)))
    dusty = text_stats(np.asarray(render(LINES, font, dpi=150, speckle=0.004, jpeg_quality=50)))
    assert clean.speck_ratio < 0.05
    assert dusty.speck_ratio > 0.5
    # "auto" denoises only the dusty page; the clean one reaches Tesseract untouched.
    auto = PreprocessOptions(deskew=False, denoise="auto", target_x_height=0)
    page = np.asarray(render(LINES, font, dpi=150))
    assert np.array_equal(preprocess(page, auto).image, page)
    dusty_page = np.asarray(render(LINES, font, dpi=150, speckle=0.004))
    assert not np.array_equal(preprocess(dusty_page, auto).image, dusty_page)


def test_median_is_applied_only_where_it_clears_the_dust(font):
    # 150 DPI dust is 1 px, finer than the 3x3 kernel: the median takes it all. 300 DPI
    # dust is 3 px, as wide as the strokes: the median would take half of it and round
    # the letters as much, so "auto" leaves such a page alone.
    auto = PreprocessOptions(deskew=False, denoise="auto", target_x_height=0)
    for dpi, clears in ((150, True), (300, False)):
        page = np.asarray(render(LINES, font, dpi=dpi, speckle=0.004))
        xh = text_stats(page).x_height
        assert xh and text_stats(page).speck_ratio > 0.2
        cleared = dust_cleared(page, cv2.medianBlur(page, 3), xh)
        assert (cleared > 0.8) if clears else (cleared < 0.6)
        assert np.array_equal(preprocess(page, auto).image, page) is not clears


def test_rescale_leaves_ordinary_print_alone_and_brings_large_print_down(font):
    opts = PreprocessOptions(deskew=False, target_x_height=16, max_x_height=22)
    assert preprocess(render(LINES, font, dpi=200), opts).scale == 1.0
    assert preprocess(render(LINES, font, dpi=300, size_pt=11), opts).scale == 1.0  # 25 px
    for dpi, size in ((300, 13), (600, 12)):  # 30 and 55 px
        large = preprocess(render(LINES, font, dpi=dpi, size_pt=size), opts)
        assert large.scale < 0.8
        assert abs(estimate_x_height(large.image) - 22) <= 2
    never = PreprocessOptions(deskew=False, target_x_height=16, max_x_height=0)
    assert preprocess(render(LINES, font, dpi=600), never).scale == 1.0


def test_print_is_never_brought_below_the_target(font):
    opts = PreprocessOptions(deskew=False, target_x_height=30, max_x_height=22)
    large = preprocess(render(LINES, font, dpi=600, size_pt=12), opts)
    assert abs(estimate_x_height(large.image) - 30) <= 2
    with pytest.raises(BadOptionsError):
        PreprocessOptions(max_x_height=-1)


def test_print_size_is_measured_through_heavy_dust(font):
    clean = text_stats(np.asarray(render(LINES, font, dpi=300)))
    # At 600 DPI dust grains are 4 px wide, as tall as a small letter; they outnumber
    # the letters, yet the measured print size must not follow them.
    dusty = text_stats(np.asarray(render(LINES, font, dpi=600, speckle=0.004)))
    assert clean.x_height and dusty.x_height
    assert abs(dusty.x_height / clean.x_height - 2.0) < 0.2


def test_only_an_unevenly_lit_page_is_flattened(font):
    """Rendered, photocopied or dusty pages are lit evenly and pass as they are; a
    shadowed page has its paper made even and its ink kept dark."""
    from vnocr.ocr.preprocess import _UNEVEN

    page = np.asarray(render(LINES, font, dpi=200, speckle=0.004, blur=0.6))
    assert unevenness(paper_background(page)) < 0.05
    w = page.shape[1]
    shaded = np.asarray(render(LINES, font, dpi=200, speckle=0.004, blur=0.6, shadow=0.6))
    assert unevenness(paper_background(shaded)) > _UNEVEN
    flat = flatten(shaded)
    ink = page < 100
    # the paper on the shadowed left is as light as on the right, the ink stays dark
    left, right = flat[:, : w // 6][~ink[:, : w // 6]], flat[:, -w // 6 :][~ink[:, -w // 6 :]]
    assert abs(float(np.median(left)) - float(np.median(right))) < 15
    assert np.median(flat[ink]) < 110
    same = preprocess(page, PreprocessOptions(deskew=False, target_x_height=0, denoise="none"))
    assert np.array_equal(same.image, page)  # an evenly lit page is left alone
    flattened = preprocess(shaded, PreprocessOptions(deskew=False, target_x_height=0,
                                                     denoise="none"))
    assert np.array_equal(flattened.image, flat)


@pytest.mark.parametrize("shadow", [0.0, 0.15, 0.25, 0.35, 0.6])
def test_paper_of_the_tilt_search_copy_is_as_uneven_as_the_pages(font, shadow):
    """`preprocess` skips the page's own paper estimate where the tilt search's copy
    is even by a margin: both say about the same."""
    from vnocr.ocr.preprocess import _UNEVEN_MARGIN, skew_work_copy

    page = np.asarray(render(LINES, font, dpi=300, speckle=0.004, shadow=shadow))
    whole = unevenness(paper_background(page))
    assert abs(unevenness(paper_background(skew_work_copy(page))) - whole) < _UNEVEN_MARGIN / 4


def test_red_ink_turns_to_paper_other_colours_keep_their_grey():
    px = np.array([[[200, 40, 50], [0, 0, 0], [30, 60, 170], [120, 120, 120], [90, 10, 12]]],
                  dtype=np.uint8)  # seal red, black, blue pen, grey, black text under a seal
    plain = to_gray(px)
    dropped = to_gray(px, drop_red=True)
    assert dropped[0, 0] == 200 and plain[0, 0] < 100
    assert list(dropped[0, 1:4]) == list(plain[0, 1:4])
    assert dropped[0, 4] < 100  # dark in its red channel too: still ink


@pytest.mark.parametrize("height", [1, 63, 64, 201])
def test_grey_of_a_colour_page_is_that_of_the_whole_page_at_once(height):
    """`to_gray` converts a colour page in stripes: every pixel as one conversion of the
    whole page gives it, red dropped or not, from an array or a PIL image."""
    rng = np.random.default_rng(height)
    rgb = rng.integers(0, 256, (height, 97, 3), dtype=np.uint8)
    rgb[::3, ::2] = (230, 40, 60)  # seal red
    whole = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    r, g, b = cv2.split(rgb)
    red = cv2.subtract(r, cv2.max(g, b)) >= 50
    dropped = whole.copy()
    dropped[red] = r[red]
    for page in (rgb, Image.fromarray(rgb)):
        assert np.array_equal(to_gray(page), whole)
        assert np.array_equal(to_gray(page, drop_red=True), dropped)


@pytest.mark.parametrize("share", [0.05, 0.5, 0.9])
def test_ink_components_are_opencvs_default_labelling(share):
    """Labels, boxes and areas, in the same order, as `cv2.connectedComponentsWithStats`
    gives them: on a page of blobs, and on one of more specks than 16-bit labels hold."""
    rng = np.random.default_rng(7)
    blobs = cv2.dilate((rng.random((600, 500)) < share / 20).astype(np.uint8),
                       np.ones((3, 3), np.uint8))
    specks = np.zeros((600, 600), np.uint8)
    specks[::2, ::2] = 1  # 90,000 components
    for mask in (blobs, specks):
        n, labels, stats = ink_components(mask)
        want_n, want_labels, want_stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
        assert n == want_n
        assert np.array_equal(labels, want_labels)
        assert np.array_equal(stats, want_stats)


def test_rescale_keeps_every_side_within_tesseracts_limit(font):
    """A long strip of small print is upscaled only as far as Tesseract can take it."""
    line = np.asarray(render(LINES[:1], font, dpi=100).convert("L"))
    strip = np.hstack([line] * max(1, 20_000 // line.shape[1] + 1))[:, :20_000]
    prep = preprocess(strip, PreprocessOptions(deskew=False, target_x_height=30))
    assert max(prep.image.shape) <= 32_767
    assert prep.scale > 1.0  # still enlarged, only not past the limit
    tilted = preprocess(strip, PreprocessOptions(target_x_height=30, max_skew_deg=15))
    assert max(tilted.image.shape) <= 32_767


def test_ink_blobs_and_mask_are_those_of_the_image_tesseract_gets(font):
    """The footnote search reuses preprocessing's labelling only where it labelled the
    very image handed on: the same boxes as labelling that image again."""
    page = np.asarray(render(LINES, font, dpi=300, size_pt=11))
    prep = preprocess(page, PreprocessOptions(deskew=False))
    assert prep.scale == 1.0 and prep.ink_blobs is not None
    ink = cv2.threshold(prep.image, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)[1]
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    assert np.array_equal(prep.ink_blobs, stats[1:n, :4])
    assert np.array_equal(prep.ink_mask, ink)  # the footnote search's mask, not made again
    small = preprocess(np.asarray(render(LINES, font, dpi=100)), PreprocessOptions(deskew=False))
    assert small.scale > 1.0 and small.ink_blobs is None  # rescaled: other pixels
    assert small.ink_mask is None
    inverted = preprocess(255 - page, PreprocessOptions(deskew=False))
    assert inverted.ink_blobs is None  # light on dark: the search's dark ink is the paper
    assert inverted.ink_mask is None
